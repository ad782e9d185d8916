"""Administration of the ``reporting`` schema: rebuilding the summaries its aggregates sum.

The schema itself (flat views with ``COMMENT ON`` every view and column) is built by the
migrations (``0002_reporting_layer`` and those after it). Its aggregates are views that sum
the summary tables of ``archive.db.models`` (``cable_totals``, ...), which hold the cables
counted by group and by the clearance they need, under the cables' row-level security
(migration 0009): the loader calls :func:`refresh` at the end of each load to rebuild them,
and ``archive db refresh`` does on demand. Who may read the schema is :mod:`archive.db.roles`.
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


# Each summary and how it is rebuilt: cables counted per group, per clearance their rows need (a
# cable is in one clearance group, so summing a group's distinct counts over clearances is exact).
SUMMARIES = {
    "cable_totals": """
        INSERT INTO cable_totals (year, month, origin_id, classification, first_created, last_created,
                                  clearance_rank, clearance_caveats, cables)
        SELECT year, month, origin_id, classification, min(created), max(created), clearance_rank, clearance_caveats,
               count(*)
        FROM cables GROUP BY year, month, origin_id, classification, clearance_rank, clearance_caveats
        """,
    "correspondence_totals": """
        INSERT INTO correspondence_totals (from_station_id, to_station_id, role, clearance_rank, clearance_caveats,
                                           cables)
        SELECT o.station_id, a.station_id, r.role, c.clearance_rank, c.clearance_caveats, count(DISTINCT c.id)
        FROM recipients r JOIN addressees a ON a.id = r.addressee_id JOIN cables c ON c.id = r.cable_id
        LEFT JOIN origins o ON o.id = c.origin_id
        GROUP BY 1, 2, 3, 4, 5
        """,
    "tag_totals": """
        INSERT INTO tag_totals (tag_id, year, clearance_rank, clearance_caveats, cables)
        SELECT ct.tag_id, c.year, c.clearance_rank, c.clearance_caveats, count(DISTINCT c.id)
        FROM cable_tags ct JOIN cables c ON c.id = ct.cable_id
        GROUP BY 1, 2, 3, 4
        """,
}


def refresh(connection: Any) -> list[str]:
    """Rebuild every summary the reporting aggregates sum; returns their names.

    ``connection`` is a SQLAlchemy ``Connection`` or ``Session``, or a psycopg connection of the
    database owner (cleared to everything); the rebuild runs in its transaction, which the caller commits.
    """
    for name, insert in SUMMARIES.items():
        _execute(connection, f"DELETE FROM {name}")
        _execute(connection, insert)
    return list(SUMMARIES)
