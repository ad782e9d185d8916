"""A date for the time axis: ``period_start`` on the per-year aggregates.

``reporting.cables_by_year`` and ``reporting.tags_by_year`` count per integer ``year``; a BI
tool reads an integer column with a NULL in it (the cables whose date is unknown) into
floats and shows that year as "NaN". ``period_start`` is the year's first day as a ``date``
— what a time axis takes — and NULL where the year is unknown. Each view keeps its
definition as the revisions before this one left it (read from the catalog), its columns
and its ``security_invoker``; the new column comes last.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

YEARLY_AGGREGATES = ("reporting.cables_by_year", "reporting.tags_by_year")
PERIOD_START = "The first day of the year, for a time axis; empty when the year is unknown."
# CREATE OR REPLACE VIEW resets the options it is not given.
INVOKER = "WITH (security_invoker = true)"
DESCRIBED = text(
    "SELECT pg_get_viewdef(CAST(:view AS regclass)), obj_description(CAST(:view AS regclass), 'pg_class'), "
    "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = CAST(:view AS regclass) AND a.attnum > 0 "
    "AND NOT a.attisdropped ORDER BY a.attnum), "
    "ARRAY(SELECT coalesce(col_description(a.attrelid, a.attnum), '') FROM pg_attribute a "
    "WHERE a.attrelid = CAST(:view AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)"
)


def quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    connection = op.get_bind()
    for view in YEARLY_AGGREGATES:
        query = connection.execute(DESCRIBED, {"view": view}).one()[0].rstrip().rstrip(";")
        op.execute(
            f"CREATE OR REPLACE VIEW {view} {INVOKER} AS "
            f"SELECT a.*, make_date(a.year, 1, 1) AS period_start FROM ({query}) a"
        )
        op.execute(f"COMMENT ON COLUMN {view}.period_start IS {quoted(PERIOD_START)}")


def downgrade() -> None:
    # A view cannot lose a column: it is made again without it, with the comments it had.
    connection = op.get_bind()
    for view in YEARLY_AGGREGATES:
        query, comment, names, comments = connection.execute(DESCRIBED, {"view": view}).one()
        columns = {name: said for name, said in zip(names, comments, strict=True) if name != "period_start"}
        inner = query.rstrip().rstrip(";")
        op.execute(f"DROP VIEW {view}")
        op.execute(f"CREATE VIEW {view} {INVOKER} AS SELECT {', '.join(f'a.{c}' for c in columns)} FROM ({inner}) a")
        op.execute(f"COMMENT ON VIEW {view} IS {quoted(comment)}")
        for column, said in columns.items():
            op.execute(f"COMMENT ON COLUMN {view}.{column} IS {quoted(said)}")
