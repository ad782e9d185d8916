"""Full-text search over the archive, ranked, with highlighted snippets and paragraph-level hits.

The query uses web-search syntax (``websearch_to_tsquery``): words, ``"quoted phrases"``,
``or``, ``-excluded``. Cables match on ``cables.search_vector`` (GIN index) where the subject
weighs A and the body B, so a hit in the subject ranks above one in the body. The costly
parts (snippets, paragraph hits) are computed only for the top-ranked cables. When the text
finds nothing (a misspelt word), cables whose subject is spelt similarly are returned instead
(pg_trgm word similarity on the trigram index of ``cables.subject``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, literal, select
from sqlalchemy.orm import Session, selectinload

from archive.cable import classification_label
from archive.db.models import Cable, Paragraph
from archive.query.filters import CableFilter

TEXT_SEARCH_CONFIG = "english"  # the configuration cables.search_vector is built with
HIGHLIGHT = ("«", "»")  # marks around matched words in snippets
# ts_rank normalisation 1: divide by 1 + log(length), so long cables do not win by size alone.
RANK_NORMALISATION = 1
MATCH_TEXT = "text"
MATCH_SIMILAR_SUBJECT = "similar subject"


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
            "classification": classification_label(cable.level.name, [c.name for c in cable.caveats]),
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
    score = func.ts_rank(Cable.search_vector, tsquery, RANK_NORMALISATION)
    ranked = session.execute(
        where.apply(select(Cable.id, score.label("score")).where(Cable.search_vector.op("@@")(tsquery)))
        .order_by(score.desc(), Cable.created.desc().nulls_last(), Cable.reference_id)
        .limit(limit)
    ).all()
    if ranked:
        return _hits(session, ranked, tsquery, MATCH_TEXT, highlight)
    similarity = cast(func.word_similarity(query, func.coalesce(Cable.subject, "")), Float)
    similar = session.execute(
        where.apply(select(Cable.id, similarity.label("score")).where(Cable.subject.op("%>")(query)))
        .order_by(similarity.desc(), Cable.created.desc().nulls_last(), Cable.reference_id)
        .limit(limit)
    ).all()
    return _hits(session, similar, tsquery, MATCH_SIMILAR_SUBJECT, highlight)


def _hits(
    session: Session,
    ranked: list[Any],
    tsquery: ColumnElement[Any],
    match: str,
    highlight: tuple[str, str],
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
    snippet = func.ts_headline(TEXT_SEARCH_CONFIG, Cable.body, tsquery, literal(headline_options(highlight, 2)))
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
