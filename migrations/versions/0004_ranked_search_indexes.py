"""Ranked search at scale: an index of each cable's lexeme count and one of its subject's own vector.

``archive.query.search`` ranks with ``ts_rank(search_vector, query, 1)`` (subject weighted A
above body B, normalised by the log of the vector's length). Ranking every matching cable
reads every matching vector: 1.8 s for a common word over the 251,287 Cablegate cables. These
two indexes let it rank only the cables that can reach the top: ``length(search_vector)``
(the lexeme count, a lower bound of the length ts_rank divides by) gives each cable an upper
bound of its rank, and the subject's own vector says which cables hold a query word in their
subject (weight A) rather than only in their body (weight B). Both are plain expression
indexes, so nothing else changes and the loader builds them after a bulk load like the others.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cables_search_lexemes", "cables", [sa.text("length(search_vector)")], unique=False)
    op.create_index(
        "ix_cables_subject_vector",
        "cables",
        [sa.text("to_tsvector('english'::regconfig, coalesce(subject, ''))")],
        unique=False,
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index("ix_cables_subject_vector", table_name="cables", postgresql_using="gin")
    op.drop_index("ix_cables_search_lexemes", table_name="cables")
