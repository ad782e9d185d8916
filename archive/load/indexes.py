"""Secondary indexes of the bulk-loaded tables: dropped for a load into an empty archive, built after.

Building an index once over the loaded rows (with parallel maintenance workers, GIN
included since PostgreSQL 18) is much cheaper than updating it for every batch, above all
the GIN full-text index. Only non-unique indexes are managed: unique ones and primary keys
enforce what the merge relies on. Their definitions come from the ORM models, so what the
loader rebuilds is exactly what the migrations built; a load that was killed before
rebuilding leaves them missing, and the next load builds them at its end.
"""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import Connection
from sqlalchemy import Index
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

from archive.db.models import Base

BULK_TABLES = (
    "sources",
    "cables",
    "cable_versions",
    "cable_version_sources",
    "cable_caveats",
    "recipients",
    "cable_tags",
    "cable_references",
    "paragraphs",
)
# Built first and alone: by far the largest (full-text GIN over every subject and body).
LARGEST = "ix_cables_search_vector"


def managed_indexes() -> list[Index]:
    indexes = [index for table in BULK_TABLES for index in Base.metadata.tables[table].indexes if not index.unique]
    return sorted(indexes, key=lambda index: (index.name != LARGEST, str(index.name)))


def create_statement(index: Index) -> str:
    sql = str(CreateIndex(index, if_not_exists=True).compile(dialect=postgresql.dialect()))
    return sql


def missing(connection: Connection, indexes: Iterable[Index]) -> list[Index]:
    names = [str(index.name) for index in indexes]
    present = {
        row[0]
        for row in connection.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY(%s)", (names,)
        )
    }
    return [index for index in indexes if index.name not in present]


def drop(connection: Connection, indexes: Iterable[Index]) -> None:
    for index in indexes:
        connection.execute(f'DROP INDEX IF EXISTS "{index.name}"')
