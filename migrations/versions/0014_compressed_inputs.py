"""Compressed input bytes, uncompressed search vectors.

* ``sources.raw`` and ``load_errors.raw`` (every input's exact bytes, kept so that every field
  can be derived again) were stored uncompressed since 0003, because pglz in the one backend
  that merges was the limit of a bulk load. The loader now compresses them in its staging
  tables, while the two writer connections COPY at once, and the compressed values are carried
  into these tables as they are: the columns stay EXTERNAL, so the merge never compresses again
  (nor tries again on what staging found incompressible). This migration compresses the rows
  already stored the same way (pglz; the embedded PostgreSQL has no lz4); the downgrade stores
  them uncompressed again. The bytes read back are the same either way.
* ``cables.search_vector`` is EXTERNAL: a tsvector does not compress, and pglz only finds that
  out after compressing the whole vector — once in staging and again in the merge, for every
  cable. Its values are stored as they were; only future writes skip the attempt.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INPUT_BYTES = (("sources", "raw"), ("load_errors", "raw"))


def _store_again(table: str, column: str, storage: str, compressed: bool) -> None:
    """Write ``column``'s values again under ``storage``: a new value (``|| ''``) is toasted afresh,
    compressed under EXTENDED, as it is under EXTERNAL. Only the rows that change are written."""
    op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}")
    state = "IS NULL" if compressed else "IS NOT NULL"
    op.execute(f"UPDATE {table} SET {column} = {column} || ''::bytea WHERE pg_column_compression({column}) {state}")
    op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


def upgrade() -> None:
    for table, column in INPUT_BYTES:
        _store_again(table, column, "EXTENDED", compressed=True)
    op.execute("ALTER TABLE cables ALTER COLUMN search_vector SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.execute("ALTER TABLE cables ALTER COLUMN search_vector SET STORAGE EXTENDED")
    for table, column in INPUT_BYTES:
        _store_again(table, column, "EXTERNAL", compressed=False)
