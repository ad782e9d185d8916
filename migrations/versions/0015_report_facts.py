"""Report facts: what the built-in reports and BI group-bys read is summarized at load end or indexed narrow.

What changes, and why (issues #14 and #12: every built-in report under 1 s, every group-by of
``reporting.cables`` under 300 ms, at 251,287 cables):

* ``addressee_totals`` (who-writes-to-whom) and ``caveat_totals`` (caveat-usage): summaries like
  migration 0009's, cables counted per group and per the clearance they need, under the cables'
  row-level security, rebuilt at the end of every load (``archive.db.reporting.refresh``); the
  reports sum them instead of grouping every recipient or caveat row when run.
* ``marking_audit``: per cable whose highest paragraph marking is not its banner's level (the two
  marking audits), that highest rank, how many paragraphs are marked, and the paragraphs above the
  banner; its clearance is that of every paragraph of the cable, so only a reader who may read the
  whole text sees it. The audits read it instead of every paragraph row.
* ``citation_totals``: per cited canonical id, the cables citing it, per clearance; ``reporting.citations``
  sums it and names the cited cable (under the reader's rights), where it grouped every reference row.
* ``ix_cable_editions_other_forms``: the editions that are not telegrams, which name every cable
  published in more than one form (multi-form-cables).
* ``ix_cables_labels``: the label columns of ``cables`` in one narrow index, so that a group-by of
  ``reporting.cables`` is an index-only scan of it rather than a scan of the wide table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 07:20:00
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

from archive.db.models import LABEL_COLUMNS
from archive.db.reporting import refresh

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("addressee_totals", "citation_totals", "caveat_totals", "marking_audit")

# reporting.citations sums citation_totals, then names the cited cable of each group: the same columns
# as migration 0002's view, which grouped every row of reporting.cable_references when queried.
CITATIONS = """
SELECT t.cited_canonical_id, cited.reference_id AS cited_reference_id, t.is_resolved, cited.subject AS cited_subject,
       t.cited_by
FROM (SELECT cited_canonical_id, max(cited_cable_id) AS cited_cable_id,
             bool_or(cited_cable_id IS NOT NULL) AS is_resolved, sum(cables)::bigint AS cited_by
      FROM public.citation_totals GROUP BY cited_canonical_id) t
LEFT JOIN public.cables cited ON cited.id = t.cited_cable_id
"""


def replace_citations(query: str) -> None:
    """``reporting.citations`` over ``query``, keeping its comments (same columns, same types)."""
    op.execute(f"CREATE OR REPLACE VIEW reporting.citations WITH (security_invoker = true) AS {query}")


def migration(revision_id: str) -> ModuleType:
    """An earlier migration: 0009 for how it secures a summary, 0008 for the clearance predicate."""
    return context.script.get_revision(revision_id).module


def create_tables(counted: Callable[[], list[sa.Column[Any]]]) -> None:
    op.create_table(
        "addressee_totals",
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("to_cables", sa.Integer(), nullable=False),
        sa.Column("info_cables", sa.Integer(), nullable=False),
        *counted(),
    )
    op.create_table(
        "citation_totals",
        sa.Column("cited_canonical_id", sa.Text(), nullable=False),
        sa.Column("cited_cable_id", sa.BigInteger(), nullable=True),
        *counted(),
    )
    op.create_table(
        "caveat_totals",
        sa.Column("caveat_id", sa.SmallInteger(), nullable=False),
        sa.Column("first_created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_created", sa.DateTime(timezone=True), nullable=True),
        *counted(),
    )
    op.create_table(
        "marking_audit",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("banner_rank", sa.SmallInteger(), nullable=False),
        sa.Column("top_rank", sa.SmallInteger(), nullable=False),
        sa.Column("marked_paragraphs", sa.Integer(), nullable=False),
        sa.Column("paragraphs", sa.Integer(), nullable=False),
        sa.Column("paragraphs_above_banner", sa.Text(), nullable=True),
        sa.Column("clearance_rank", sa.SmallInteger(), nullable=False),
        sa.Column("clearance_caveats", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("cable_id", name=op.f("pk_marking_audit")),
    )


def upgrade() -> None:
    labels = migration("0009")
    create_tables(labels.counted)
    cleared = migration(labels.CLEARANCE).cleared_sql("clearance_rank", "clearance_caveats")
    for table in TABLES:
        labels.secure(table, cleared)
    op.create_index("ix_cables_labels", "cables", ["year", "month"], postgresql_include=list(LABEL_COLUMNS))
    op.create_index(
        "ix_cable_editions_other_forms", "cable_editions", ["cable_id"], postgresql_where=sa.text("form <> 'telegram'")
    )
    refresh(op.get_bind(), TABLES)
    replace_citations(CITATIONS)


def downgrade() -> None:
    replace_citations(next(view.query for view in migration("0002").VIEWS if view.name == "citations"))
    op.drop_index("ix_cable_editions_other_forms", table_name="cable_editions")
    op.drop_index("ix_cables_labels", table_name="cables")
    for table in reversed(TABLES):
        op.drop_table(table)
