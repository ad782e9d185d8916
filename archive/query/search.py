"""Full-text search over the archive, ranked, with highlighted snippets and paragraph-level hits.

The query uses web-search syntax (``websearch_to_tsquery``): words, ``"quoted phrases"``,
``or``, ``-excluded``. Cables match on ``cables.search_vector`` (GIN index) where the subject
weighs A and the body B, so a hit in the subject ranks above one in the body. The costly
parts (snippets, paragraph hits) are computed only for the top-ranked cables. When the text
finds nothing (a misspelt word), cables whose subject is spelt similarly are returned instead
(pg_trgm word similarity on the trigram index of ``cables.subject``).

Ranking at scale. A common word matches most of the archive (230,000 of the 251,287 Cablegate
cables for "government") and ranking reads every matching vector: about 2 s. The ranking is
kept exact but confined to the cables that can reach the top, by a bound on ``ts_rank``:

* ``ts_rank(v, q, 1) = F / log2(1 + n)`` where ``n``, the number of positions in ``v``, is at
  least ``length(v)``, its number of lexemes (indexed by ``ix_cables_search_lexemes``).
* When the query's root is not ``&`` or a phrase, ts_rank scores it term by term (its
  ``calc_rank_or``) and ``F`` is at most the weight of the first position of a query lexeme
  in ``v``: the subject's positions (weight A, 1.0) precede the body's (weight B, 0.4). So a
  cable ranks at most ``1.0 / log2(1 + length(v))`` when a query lexeme is in its subject
  (``ix_cables_subject_vector``), and ``0.4 / log2(1 + length(v))`` otherwise.

``ranked`` ranks exactly the cables short enough to beat the current 20th best score under
that bound (a few thousand), which gives the same top results as ranking them all. Queries
whose root is ``&`` or a phrase have no such bound (ts_rank's ``calc_rank_and`` grows with
every pair of nearby positions) and queries with few matches gain nothing: both are ranked
in full.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Text, and_, cast, func, literal, literal_column, or_, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session, selectinload

from archive.db.models import SUBJECT_VECTOR_ARGS, TEXT_SEARCH_CONFIG, Cable, Paragraph
from archive.query.cables import cable_classification
from archive.query.filters import CableFilter
from archive.query.released import reads_whole_text, released_ranked, released_text

HIGHLIGHT = ("«", "»")  # marks around matched words in snippets
# ts_rank normalisation 1: divide by 1 + log(length), so long cables do not win by size alone.
RANK_NORMALISATION = 1
MATCH_TEXT = "text"
MATCH_SIMILAR_SUBJECT = "similar subject"
# ts_rank's default weights of A (the subject's lexemes) and B (the body's).
SUBJECT_WEIGHT = 1.0
BODY_WEIGHT = 0.4
# Below this many matching cables, ranking them all is as quick as bounding (tens of ms).
RANK_ALL_BELOW = 2_000
# The first round's lexeme limits for cables with a query word in the subject, and without.
FIRST_LIMITS = (256, 32)
ROUNDS = 4  # rounds of four times wider limits before ranking everything instead
# A tsquery as PostgreSQL prints it: quoted lexemes ('' and \\ escaped), maybe :* or :AB.
QUERY_LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'(:[*A-D]+)?")


@dataclass(frozen=True)
class ParagraphHit:
    """A paragraph of a found cable that matches the query itself."""

    position: int
    number: int | None
    number_printed: str | None
    marking: str | None
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "marking": self.marking, "snippet": self.snippet}

    @property
    def label(self) -> str:
        """``¶3 (C)``: the number as recovered and the marking as printed."""
        number = f"¶{self.number}" if self.number is not None else f"paragraph {self.position}"
        return f"{number} ({self.marking})" if self.marking else number


@dataclass(frozen=True)
class SearchHit:
    """One found cable: the ORM object, its score, highlighted subject and snippet, matching paragraphs."""

    cable: Cable
    score: float
    match: str  # MATCH_TEXT, or MATCH_SIMILAR_SUBJECT for the trigram fallback
    subject: str
    snippet: str
    paragraphs: tuple[ParagraphHit, ...]

    def to_dict(self) -> dict[str, Any]:
        cable = self.cable
        return {
            "reference_id": cable.reference_id,
            "created": cable.created,
            "classification": cable_classification(cable),
            "origin": cable.origin.name if cable.origin else None,
            "subject": self.subject,
            "score": round(self.score, 6),
            "match": self.match,
            "snippet": self.snippet,
            "paragraphs": [paragraph.to_dict() for paragraph in self.paragraphs],
        }


def one_line(text: str) -> str:
    """A snippet on one line: telegram line breaks and runs of spaces become single spaces."""
    return " ".join(text.split())


def headline_options(highlight: tuple[str, str], fragments: int) -> str:
    start, stop = (value.replace('"', "") for value in highlight)
    return (
        f'StartSel="{start}", StopSel="{stop}", MaxWords=30, MinWords=12, ShortWord=3, '
        f'MaxFragments={fragments}, FragmentDelimiter=" … "'
    )


def search(
    session: Session,
    query: str,
    where: CableFilter | None = None,
    limit: int = 20,
    highlight: tuple[str, str] = HIGHLIGHT,
) -> list[SearchHit]:
    """The ``limit`` best cables for ``query`` among those ``where`` admits, best first."""
    where = where or CableFilter()
    tsquery = func.websearch_to_tsquery(TEXT_SEARCH_CONFIG, query)
    # A role cleared to less than everything searches the paragraphs it may read (archive.query.released).
    whole_text = reads_whole_text(session)
    text = Cable.body if whole_text else released_text()
    if whole_text:
        found = ranked(session, query, where, limit)
    else:
        found = released_ranked(session, tsquery, where, limit, RANK_NORMALISATION)
    if found:
        return _hits(session, found, tsquery, MATCH_TEXT, highlight, text)
    similarity = cast(func.word_similarity(query, func.coalesce(Cable.subject, "")), Float)
    similar = session.execute(
        where.apply(select(Cable.id, similarity.label("score")).where(Cable.subject.op("%>")(query)))
        .order_by(similarity.desc(), Cable.created.desc().nulls_last(), Cable.reference_id)
        .limit(limit)
    ).all()
    return _hits(session, similar, tsquery, MATCH_SIMILAR_SUBJECT, highlight, text)


def ranked(
    session: Session, query: str, where: CableFilter, limit: int, rank_all_below: int = RANK_ALL_BELOW
) -> list[Any]:
    """(id, score) of the ``limit`` best cables for ``query``: exactly ``ts_rank``'s order, ties by date and id.

    Ranks only the cables the bound explained in the module docstring lets reach the top
    when ``query`` matches at least ``rank_all_below`` cables and has an OR-like root.
    """
    tsquery = func.websearch_to_tsquery(TEXT_SEARCH_CONFIG, query)
    lexemes = or_query_lexemes(session.execute(select(cast(tsquery, Text))).scalar_one())
    if lexemes is None or _matches(session, tsquery, where, rank_all_below) < rank_all_below:
        return _top(session, tsquery, where, limit)
    in_subject = func.to_tsvector(literal_column(SUBJECT_VECTOR_ARGS)).op("@@")(cast(" | ".join(lexemes), TSQUERY))
    lexeme_count = func.length(Cable.search_vector)
    subject_limit, body_limit = FIRST_LIMITS
    for _ in range(ROUNDS):
        top = _top(
            session,
            tsquery,
            where,
            limit,
            or_(and_(in_subject, lexeme_count <= subject_limit), lexeme_count <= body_limit),
        )
        if len(top) == limit:
            needed = (lexeme_limit(SUBJECT_WEIGHT, top[-1].score), lexeme_limit(BODY_WEIGHT, top[-1].score))
            if needed[0] is None or needed[1] is None:
                break
            if needed[0] <= subject_limit and needed[1] <= body_limit:
                return top  # every cable left out ranks below the last one kept
            subject_limit, body_limit = max(subject_limit, needed[0]), max(body_limit, needed[1])
        else:
            subject_limit, body_limit = subject_limit * 4, body_limit * 4
    return _top(session, tsquery, where, limit)


def _top(
    session: Session, tsquery: ColumnElement[Any], where: CableFilter, limit: int, *conditions: ColumnElement[bool]
) -> list[Any]:
    """Rank every matching cable that ``where`` and ``conditions`` admit; the ``limit`` best."""
    score = func.ts_rank(Cable.search_vector, tsquery, RANK_NORMALISATION)
    return list(
        session.execute(
            where.apply(
                select(Cable.id, score.label("score")).where(Cable.search_vector.op("@@")(tsquery), *conditions)
            )
            .order_by(score.desc(), Cable.created.desc().nulls_last(), Cable.reference_id)
            .limit(limit)
        ).all()
    )


def _matches(session: Session, tsquery: ColumnElement[Any], where: CableFilter, up_to: int) -> int:
    """How many cables match, counting no further than ``up_to`` (cheap: no vector is read for a plain query)."""
    matching = where.apply(select(Cable.id).where(Cable.search_vector.op("@@")(tsquery))).limit(up_to).subquery()
    return session.execute(select(func.count()).select_from(matching)).scalar_one()


def or_query_lexemes(printed: str) -> list[str] | None:
    """The quoted lexemes of a tsquery that ts_rank scores term by term (its root is not ``&`` or ``<->``).

    None for other queries, for empty ones and for lexemes with a prefix or weight mark: the
    bound on their rank does not hold.
    """
    marks = [match.group(2) for match in QUERY_LEXEME.finditer(printed)]
    if not marks or any(marks):
        return None
    skeleton, depth, operators = QUERY_LEXEME.sub("x", printed), 0, set()
    for character in skeleton:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and character in "&|<":
            operators.add(character)
    if "|" not in operators and operators & {"&", "<"}:
        return None
    return [f"'{match.group(1)}'" for match in QUERY_LEXEME.finditer(printed)]


def lexeme_limit(weight: float, score: float) -> int | None:
    """The most lexemes a cable may have and still score ``score`` when its best query word weighs ``weight``.

    ``weight / log2(1 + lexemes) >= score`` (a hair of slack for float rounding); None when any
    length would do.
    """
    if score <= 0:
        return None
    exponent = weight / (score * (1 - 1e-6))
    return None if exponent > 30 else math.ceil(2**exponent)


def _hits(
    session: Session,
    ranked: list[Any],
    tsquery: ColumnElement[Any],
    match: str,
    highlight: tuple[str, str],
    text: ColumnElement[str],
) -> list[SearchHit]:
    ids = [row.id for row in ranked]
    if not ids:
        return []
    subject = func.ts_headline(
        TEXT_SEARCH_CONFIG,
        func.coalesce(Cable.subject, ""),
        tsquery,
        literal(headline_options(highlight, 0) + ", HighlightAll=true"),
    )
    snippet = func.ts_headline(TEXT_SEARCH_CONFIG, text, tsquery, literal(headline_options(highlight, 2)))
    rows = session.execute(
        select(Cable, subject.label("subject"), snippet.label("snippet"))
        .where(Cable.id.in_(ids))
        .options(selectinload(Cable.caveats))
    ).all()
    by_id = {row.Cable.id: row for row in rows}
    paragraphs = paragraph_hits(session, ids, tsquery, highlight) if match == MATCH_TEXT else {}
    return [
        SearchHit(
            cable=by_id[cable_id].Cable,
            score=float(score),
            match=match,
            subject=by_id[cable_id].subject,
            snippet=one_line(by_id[cable_id].snippet),
            paragraphs=tuple(paragraphs.get(cable_id, ())),
        )
        for cable_id, score in ranked
    ]


def paragraph_hits(
    session: Session, cable_ids: list[int], tsquery: ColumnElement[Any], highlight: tuple[str, str] = HIGHLIGHT
) -> dict[int, list[ParagraphHit]]:
    """The paragraphs of ``cable_ids`` that match ``tsquery`` by themselves, per cable, in order.

    Paragraph vectors are computed on the fly: only the few top-ranked cables are looked at.
    """
    snippet = func.ts_headline(TEXT_SEARCH_CONFIG, Paragraph.text, tsquery, literal(headline_options(highlight, 1)))
    rows = session.execute(
        select(
            Paragraph.cable_id,
            Paragraph.position,
            Paragraph.number,
            Paragraph.number_printed,
            Paragraph.marking,
            snippet.label("snippet"),
        )
        .where(
            Paragraph.cable_id.in_(cable_ids),
            func.to_tsvector(TEXT_SEARCH_CONFIG, Paragraph.text).op("@@")(tsquery),
        )
        .order_by(Paragraph.cable_id, Paragraph.position)
    ).all()
    hits: dict[int, list[ParagraphHit]] = {}
    for row in rows:
        hits.setdefault(row.cable_id, []).append(
            ParagraphHit(row.position, row.number, row.number_printed, row.marking, one_line(row.snippet))
        )
    return hits
