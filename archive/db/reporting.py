"""Administration of the ``reporting`` schema: refreshing its materialized aggregates.

The schema itself (flat views with ``COMMENT ON`` every view and column, and materialized
aggregates) is built by the migration ``0002_reporting_layer``; the loader calls
:func:`refresh` at the end of each load, and ``archive db refresh`` does on demand. Who may
read the schema is :mod:`archive.db.roles`.
"""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import text

SCHEMA = "reporting"


def _execute(connection: Any, statement: str) -> list[tuple[Any, ...]]:
    """Run ``statement`` on a psycopg connection, or a SQLAlchemy connection or session."""
    if isinstance(connection, psycopg.Connection):
        cursor = connection.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []
    result = connection.execute(text(statement))
    return [tuple(row) for row in result] if result.returns_rows else []


def refresh(connection: Any) -> list[str]:
    """Refresh every materialized view of the ``reporting`` schema; returns their names.

    ``connection`` is a SQLAlchemy ``Connection`` or ``Session``, or a psycopg connection;
    the refresh runs in its transaction, which the caller commits.
    """
    names = [
        row[0]
        for row in _execute(
            connection,
            f"SELECT matviewname FROM pg_matviews WHERE schemaname = '{SCHEMA}' ORDER BY matviewname",
        )
    ]
    for name in names:
        _execute(connection, f'REFRESH MATERIALIZED VIEW {SCHEMA}."{name}"')
    return names
