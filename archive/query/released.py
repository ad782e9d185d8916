"""Search for a role cleared to less than everything: over the paragraphs it may read, never the whole body.

``cables.search_vector`` and the current version's body hold every paragraph of a cable, withheld
ones too, so such a role may not read them (archive.db.clearance) and the ranked search of
:mod:`archive.query.search` cannot serve it. Here a cable's searchable text is its subject
(weight A, as there) and the text of the paragraphs row-level security lets the role read
(weight B): a word only in a withheld paragraph matches nothing and shows in no snippet.
The vectors are computed per query (no index may hold withheld text): a full pass over the
cables the role may read — fine for the corpus, slow for all of Cablegate (docs/security.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from archive.db.models import SUBJECT_VECTOR_ARGS, TEXT_SEARCH_CONFIG, Cable, Paragraph
from archive.query.filters import CableFilter

PARAGRAPH_SEPARATOR = "\n\n"


def reads_whole_text(session: Session) -> bool:
    """Whether the session's role may read whole cable bodies (it is cleared to everything)."""
    readable = func.has_column_privilege("public.cables", "search_vector", "SELECT")
    return bool(session.execute(select(readable)).scalar_one())


def released_text() -> ColumnElement[str]:
    """A cable's text as the role may read it: its readable paragraphs, in order."""
    return (
        select(func.string_agg(Paragraph.text, aggregate_order_by(literal(PARAGRAPH_SEPARATOR), Paragraph.position)))
        .where(Paragraph.cable_id == Cable.id)
        .scalar_subquery()
    )


def released_ranked(
    session: Session, tsquery: ColumnElement[Any], where: CableFilter, limit: int, normalisation: int
) -> list[Any]:
    """(id, score) of the ``limit`` best cables for ``tsquery`` over their released text, as ranked search
    orders them: ``ts_rank`` with ``normalisation``, ties by date (newest first) and id."""
    vector = func.setweight(func.to_tsvector(literal_column(SUBJECT_VECTOR_ARGS)), literal_column("'A'")).op("||")(
        func.setweight(func.to_tsvector(TEXT_SEARCH_CONFIG, func.coalesce(released_text(), "")), literal_column("'B'"))
    )
    candidates = where.apply(select(Cable.id, Cable.created, Cable.reference_id, vector.label("vector"))).subquery()
    score = func.ts_rank(candidates.c.vector, tsquery, normalisation)
    return list(
        session.execute(
            select(candidates.c.id, score.label("score"))
            .where(candidates.c.vector.op("@@")(tsquery))
            .order_by(score.desc(), candidates.c.created.desc().nulls_last(), candidates.c.reference_id)
            .limit(limit)
        ).all()
    )
