"""An index of the TAGS lists, for a group-by of ``reporting.cables`` on ``tags``.

TAGS lists are nearly all different (a group per cable or close to it), so hashing every list to
group them cost more than all the other label group-bys together: about 260 ms of server time at
251,287 cables against 60-90 ms for any other label. ``ix_cables_tag_lists`` keeps the view's own
expression for ``tags`` (``nullif(tag_codes, '{}')``) in order, so the group-by is an index-only
scan that counts each run of equal lists. It includes ``tag_codes`` (an index-only scan reads
columns back, never an indexed expression) and what row-level security and the view's joins read.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 10:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INCLUDED = ["tag_codes", "source_id", "origin_id", "classification_level_id", "clearance_rank", "clearance_caveats"]


def upgrade() -> None:
    op.create_index(
        "ix_cables_tag_lists", "cables", [sa.text("nullif(tag_codes, '{}'::text[])")], postgresql_include=INCLUDED
    )


def downgrade() -> None:
    op.drop_index("ix_cables_tag_lists", table_name="cables")
