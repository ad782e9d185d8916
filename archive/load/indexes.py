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
    "cable_editions",
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
# A session advisory lock held by the one loader that drops the indexes (a load into an empty
# archive), from the drop until they are built again, and taken by every loader for its
# end-of-load work: two loads never drop or build the same index at once. A loader that does
# not get it at its start loads with the indexes as they are and waits for it at its end.
BULK_LOCK = 0x43_41_42_4C_45_42_4B  # "CABLEBK"
# An index build on two cores: the leader and one worker, each with the smallest share of
# maintenance_work_mem that PostgreSQL gives a process of a parallel build (with less, it drops
# workers). The GIN build of the search vectors runs faster with less memory, not more: at 251,287
# cables 17.6 s and 33 CPU seconds, against 21-24 s and 41-44 with two workers and 512 MB
# (docs/performance.md).
BUILD_WORKERS = 1
MEMORY_PER_BUILD_PROCESS_MB = 32
PARALLEL_BUILD = f"SET max_parallel_maintenance_workers = {BUILD_WORKERS}"
BUILD_SETTINGS = (
    f"SET maintenance_work_mem = '{MEMORY_PER_BUILD_PROCESS_MB * (BUILD_WORKERS + 1)}MB'",
    PARALLEL_BUILD,
)


# Vacuumed, not only analyzed, after a bulk load: a group-by of reporting.cables reads the narrow
# ix_cables_labels by an index-only scan, which needs the visibility map that only VACUUM sets
# (until autovacuum's first pass the planner would scan the wide table instead). Only the table's
# own pages: the map is the heap's, and its TOAST (the vectors, 6.4 GB of 7.4 at a million cables)
# took two thirds of the vacuum's time; autovacuum passes over it after the load.
VACUUMED_AFTER_BULK_LOAD = ("cables",)


def statistics_command(table: str) -> str:
    """What the end of a bulk load runs on ``table``: ``VACUUM (ANALYZE, PROCESS_TOAST FALSE)`` or ``ANALYZE``."""
    return "VACUUM (ANALYZE, PROCESS_TOAST FALSE)" if table in VACUUMED_AFTER_BULK_LOAD else "ANALYZE"


def statistics_commands() -> tuple[list[str], list[str]]:
    """The end of a bulk load's statistics in two groups to run at once: the vacuumed tables' (``cables``,
    its vectors sampled, takes as long as the other tables together) and the others'."""
    commands = {table: f"{statistics_command(table)} {table}" for table in BULK_TABLES}
    return (
        [command for table, command in commands.items() if table in VACUUMED_AFTER_BULK_LOAD],
        [command for table, command in commands.items() if table not in VACUUMED_AFTER_BULK_LOAD],
    )


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


# Autovacuum on a table that grows by gigabytes while it grows re-reads and re-dirties each new
# page (hint bits, visibility map, their WAL) on the cores the load itself needs: about 15% of a
# Cablegate load (404 s with it, 344 s without, 251,287 cables on 2 cores). A bulk load keeps it
# off its tables and hands them back at the end, so it runs once over the loaded rows instead.
AUTOVACUUM_PAUSED = "autovacuum_enabled=off"


def pause_autovacuum(connection: Connection) -> None:
    for table in BULK_TABLES:
        connection.execute(f"ALTER TABLE {table} SET ({AUTOVACUUM_PAUSED}, toast.{AUTOVACUUM_PAUSED})")


def resume_autovacuum(connection: Connection) -> None:
    """Autovacuum back on the bulk tables a (maybe killed) bulk load paused it on."""
    paused = connection.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relname = ANY(%s) AND %s = ANY(reloptions)",
        (list(BULK_TABLES), AUTOVACUUM_PAUSED),
    )
    for (table,) in paused.fetchall():
        connection.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled, toast.autovacuum_enabled)")
