"""Bulk-load support: search vectors filled by the loader, a source link per version, no TOAST compression.

What changes, and why (for the query helper and anyone reading ``cables``):

* ``cables.search_vector`` is no longer a STORED GENERATED column but a plain ``tsvector``
  column with the same value: ``setweight(to_tsvector('english', coalesce(subject, '')), 'A')
  || setweight(to_tsvector('english', body), 'B')``. A generated column is computed by the one
  backend that inserts the row, and the loader's inserts into ``cables`` are serialised (one
  merge at a time), so computing it there keeps a single core busy for minutes at Cablegate
  scale. The loader computes the vectors while COPYing into its per-connection staging tables,
  on two connections at once, and inserts them ready-made. A trigger (``cables_search_vector``)
  computes the vector for every other writer: on INSERT when none is given, on UPDATE when the
  subject or body changes and the vector does not. Search keeps using the same column and its
  GIN index ``ix_cables_search_vector``.
* ``cable_version_sources``: every source that carried a version's text. The same telegram
  text from two mirrors (different page bytes, same cable) is one version with two sources;
  ``cable_versions.source_id`` stays the first of them.
* The large byte and text columns (``sources.raw``, ``load_errors.raw``, ``cables.body``,
  ``cable_versions.body``) are stored EXTERNAL: out of line but not pglz-compressed. pglz runs
  on one core in the inserting backend and was the limit of a bulk COPY here (44 s compressed
  vs 15.5 s uncompressed for the 1.85 GB of Cablegate text); the price is about 1.6x the disk.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce({0}subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, {0}body), 'B')"
)

TRIGGER_FUNCTION = f"""
CREATE FUNCTION cables_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vector IS NULL
       OR (TG_OP = 'UPDATE'
           AND (NEW.subject IS DISTINCT FROM OLD.subject OR NEW.body IS DISTINCT FROM OLD.body)
           AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector) THEN
        NEW.search_vector := {SEARCH_VECTOR.format("NEW.")};
    END IF;
    RETURN NEW;
END
$$
"""

EXTERNAL_COLUMNS = (("sources", "raw"), ("load_errors", "raw"), ("cables", "body"), ("cable_versions", "body"))


def upgrade() -> None:
    op.drop_index("ix_cables_search_vector", table_name="cables", postgresql_using="gin")
    op.drop_column("cables", "search_vector")
    op.add_column("cables", sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True))
    op.execute(f"UPDATE cables SET search_vector = {SEARCH_VECTOR.format('')}")
    op.alter_column("cables", "search_vector", nullable=False)
    op.execute(TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER cables_search_vector BEFORE INSERT OR UPDATE ON cables "
        "FOR EACH ROW EXECUTE FUNCTION cables_search_vector()"
    )
    op.create_index("ix_cables_search_vector", "cables", ["search_vector"], unique=False, postgresql_using="gin")

    op.create_table(
        "cable_version_sources",
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cable_id", "version"],
            ["cable_versions.cable_id", "cable_versions.version"],
            name=op.f("fk_cable_version_sources_cable_id_cable_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_cable_version_sources_source_id_sources")),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_cable_version_sources")),
    )
    op.create_index(
        "ix_cable_version_sources_cable_id_version", "cable_version_sources", ["cable_id", "version"], unique=False
    )
    op.execute(
        "INSERT INTO cable_version_sources (source_id, cable_id, version) "
        "SELECT source_id, cable_id, version FROM cable_versions ON CONFLICT DO NOTHING"
    )
    for table, column in EXTERNAL_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


def downgrade() -> None:
    for table, column in EXTERNAL_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTENDED")
    op.drop_index("ix_cable_version_sources_cable_id_version", table_name="cable_version_sources")
    op.drop_table("cable_version_sources")
    op.execute("DROP TRIGGER cables_search_vector ON cables")
    op.execute("DROP FUNCTION cables_search_vector()")
    op.drop_index("ix_cables_search_vector", table_name="cables", postgresql_using="gin")
    op.drop_column("cables", "search_vector")
    op.add_column(
        "cables",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(SEARCH_VECTOR.format(""), persisted=True),
            nullable=False,
        ),
    )
    op.create_index("ix_cables_search_vector", "cables", ["search_vector"], unique=False, postgresql_using="gin")
