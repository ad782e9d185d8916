"""Provisional ids: ``cables.id_status`` says whether a cable's id is its full one.

A real telegram whose year cannot be read (an undated partial extract, a flattened export with
no date) is archived under a provisional id, ``PROVISIONAL-<STATION>-<SERIAL>`` (see
``archive.parse.provisional``), and merged into the cable with the full id once an input gives
it. ``id_status`` is computed from the id ('provisional' or 'full'), so it can never disagree
with it; a partial index finds the provisional cables a load has to try to merge.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_STATUS = "CASE WHEN reference_id LIKE 'PROVISIONAL-%' THEN 'provisional' ELSE 'full' END"


def upgrade() -> None:
    op.add_column("cables", sa.Column("id_status", sa.Text(), sa.Computed(ID_STATUS, persisted=True), nullable=False))
    op.create_index(
        "ix_cables_provisional", "cables", ["canonical_id"], postgresql_where=sa.text("id_status = 'provisional'")
    )


def downgrade() -> None:
    op.drop_index("ix_cables_provisional", table_name="cables")
    op.drop_column("cables", "id_status")
