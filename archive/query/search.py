"""Full-text search over the archive, ranked, with highlighted snippets and paragraph-level hits.

The query uses web-search syntax (``websearch_to_tsquery``): words, ``"quoted phrases"``,
``or``, ``-excluded``. Cables match on ``cables.search_vector`` (GIN index) where the subject
weighs A and the body B, so a hit in the subject ranks above one in the body. The costly
parts (snippets, paragraph hits) are computed only for the top-ranked cables. When the text
finds nothing (a misspelt word), cables whose subject is spelt similarly are returned instead
(pg_trgm word similarity on the trigram index of ``cables.subject``); none holds a query word, so
their snippets are the opening of their text, read from its first characters, not parsed whole.

Ranking at scale. A common word matches most of the archive (230,000 of the 251,287 Cablegate
cables for "government") and ranking reads every matching vector: about 2 s. The ranking is
kept exact but confined to the cables that can reach the top, by a bound on ``ts_rank``
(normalised by the log of the cable's length, the bound rules long cables out once 20 are
ranked; tighter where the subject holds a query word once). That ranking is one SQL function,
``reporting.ranked_cables`` (migrations 0012 and 0017 give the algorithm and the proof that it
is exact; 0025 starts two or more words one round wider), which ``reporting.search`` calls for
BI readers too: one implementation, one result. ``ranked`` turns a :class:`CableFilter` into its
arguments; the filters are part of every round's query, so the planner starts from a selective
one. ``tests/load/test_corpus.py`` compares it with the full ranking on the real corpus for every
query shape under six filters.

The trigram fallback is bounded the same way: ``%>`` admits subjects whose word similarity
reaches pg_trgm's threshold, and the trigram index prunes more the higher it is, so the
threshold starts high (0.7) and is lowered to pg_trgm's only when fewer than ``limit`` subjects
reach it; every subject left out scores below every one kept (a second step at 0.8 cost more
passes than it saved: migration 0023, ``benchmarks/misspelt.py``). That fallback is one SQL function too,
``reporting.similar_subjects`` (migration 0013), which ``reporting.search`` calls as well;
under a filter the planner expects to admit at most half of the cables it goes to pg_trgm's
threshold at once, where the planner intersects the trigram index with the filter's (migration
0021: the steps would only read the same candidates again); otherwise it plans with
``word_similarity`` at its price and a parallel scan at none, so its recheck runs on every core
(migrations 0018 and 0022).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, selectinload

from archive.cable import LEVEL_RANK
from archive.db.models import TEXT_SEARCH_CONFIG, Cable, Origin, Paragraph
from archive.query.cables import cable_classification
from archive.query.filters import CableFilter, day_start, level_name, origin_matches
from archive.query.released import reads_whole_text, released_ranked, released_text

HIGHLIGHT = ("«", "»")  # marks around matched words in snippets
# ts_rank normalisation 1: divide by 1 + log(length), so long cables do not win by size alone.
RANK_NORMALISATION = 1
MATCH_TEXT = "text"
MATCH_SIMILAR_SUBJECT = "similar subject"
# Below this many matching cables, ranking them all is as quick as bounding (tens of ms).
RANK_ALL_BELOW = 2_000
# The filters of reporting.ranked_cables and reporting.similar_subjects, typed as the functions declare them.
FILTER_ARGUMENTS = (
    "CAST(:created_from AS timestamptz), CAST(:created_before AS timestamptz), CAST(:origin_ids AS bigint[]), "
    "CAST(:tags AS text[]), CAST(:level_rank_at_most AS smallint)"
)
# The bounded ranking (migration 0012) and the trigram fallback (0013), best first.
RANKED_CABLES = sql_text(
    f"SELECT r.cable_id AS id, r.rank AS score FROM reporting.ranked_cables(:query, :limit, {FILTER_ARGUMENTS}, "
    ":rank_all_below) WITH ORDINALITY AS r (cable_id, rank, position) ORDER BY r.position"
)
SIMILAR_SUBJECTS = sql_text(
    f"SELECT s.cable_id AS id, s.similarity AS score FROM reporting.similar_subjects(:query, :limit, "
    f"{FILTER_ARGUMENTS}, CAST(:steps AS real[])) WITH ORDINALITY AS s (cable_id, similarity, position) "
    "ORDER BY s.position"
)
# A similar subject's cable holds no query word (the text search found none under the same filters), so its
# snippet is the opening of its text, which ts_headline would parse the whole text to find: it is given this many
# characters, cut at whitespace (the first dozen words take a few hundred).
OPENING_CHARACTERS = 2000
# Word similarity thresholds the trigram fallback tries, highest first, above pg_trgm's own: those
# reporting.similar_subjects takes by default (migration 0023), so that reporting.search steps alike.
SIMILARITY_STEPS = (0.7,)


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
    similar = similar_subjects(session, query, where, limit)
    return _hits(session, similar, tsquery, MATCH_SIMILAR_SUBJECT, highlight, text)


def similar_subjects(
    session: Session, query: str, where: CableFilter, limit: int, steps: Sequence[float] = SIMILARITY_STEPS
) -> list[Any]:
    """(id, score) of the ``limit`` cables whose subjects are spelt most like ``query`` (pg_trgm word similarity).

    Only subjects at pg_trgm's word similarity threshold or above qualify; the thresholds of
    ``steps`` are tried first (see the module docstring; ``reporting.similar_subjects``). The steps
    choose the way, not the result: ``benchmarks/misspelt.py`` compares sets of them.
    """
    arguments = {**ranking_filters(session, where), "query": query, "limit": limit, "steps": list(steps)}
    return list(session.execute(SIMILAR_SUBJECTS, arguments).all())


def ranked(
    session: Session, query: str, where: CableFilter, limit: int, rank_all_below: int = RANK_ALL_BELOW
) -> list[Any]:
    """(id, score) of the ``limit`` best cables for ``query``: exactly ``ts_rank``'s order, ties by date and id.

    Ranks only the cables that can reach the top when ``query`` matches at least
    ``rank_all_below`` cables under ``where`` (``reporting.ranked_cables``).
    """
    return list(
        session.execute(
            RANKED_CABLES,
            {**ranking_filters(session, where), "query": query, "limit": limit, "rank_all_below": rank_all_below},
        ).all()
    )


def ranking_filters(session: Session, where: CableFilter) -> dict[str, Any]:
    """``where`` as the filter arguments of ``reporting.ranked_cables``: the same cables admitted."""
    origins = None
    if where.origin:
        origins = list(session.execute(select(Origin.id).where(origin_matches(Origin.name, where.origin))).scalars())
    return {
        "created_from": day_start(where.since) if where.since else None,
        "created_before": day_start(where.until + timedelta(days=1)) if where.until else None,
        "origin_ids": origins,
        "tags": [tag.strip().upper() for tag in where.tags] or None,
        "level_rank_at_most": LEVEL_RANK[level_name(where.classification)] if where.classification else None,
    }


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
    snippet_text = opening(text) if match == MATCH_SIMILAR_SUBJECT else text
    snippet = func.ts_headline(TEXT_SEARCH_CONFIG, snippet_text, tsquery, literal(headline_options(highlight, 2)))
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


def opening(text: ColumnElement[str]) -> ColumnElement[str]:
    """The first ``OPENING_CHARACTERS`` of ``text``, less a word the cut would split: all a snippet without a match shows."""
    cut = func.regexp_replace(func.left(text, OPENING_CHARACTERS + 1), r"\S*$", "")
    return case((func.length(text) > OPENING_CHARACTERS, cut), else_=text)


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
