"""Load state: a marker that the cross-batch work of the last load is done.

A load ends by resolving references across the whole archive and refreshing the reporting
materialized views (about 8 s over the 251,287 Cablegate cables). When a re-load stores
nothing new, both would reproduce what is already there. The loader writes the row
``references_and_reporting`` once that work is done, and every batch that stores new
sources deletes it in its own transaction; so the work is skipped only when nothing was
stored since it last finished, and a load killed before finishing leaves no marker.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "load_state",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_load_state")),
    )


def downgrade() -> None:
    op.drop_table("load_state")
