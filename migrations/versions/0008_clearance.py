"""Clearance-based access down to the paragraph: row-level security on every table a reader reads.

A reader role is cleared to a level and a set of caveats (a row of ``clearances``, written by
``archive db grant-reader`` / ``reader-url``, never by the reader). Every table granted to
readers has row-level security ENABLEd and FORCEd (the owner is held to it too) with two
policies:

* ``cleared`` (SELECT, every role): the row is visible when ``reporting.cleared(rank, caveats)``
  (spelled out, so that the role's clearance is read once per query) holds for the clearance the row needs — stored in ``clearance_rank``/``clearance_caveats``
  on cables (the banner), paragraphs (marking and banner) and cable_versions (the whole text) —
  or, for the rows that hang off a cable (tags, recipients, ...), when that row is visible;
* ``everything`` (ALL, the roles cleared to everything: the owner, the default reader): ``true``,
  so that for them the planner drops row security altogether and every index serves as before
  (a non-leakproof operator such as ``@@`` may not use an index below a row-security qual).

The reporting views become ``security_invoker`` (they read with the reader's rights and
policies) and the materialized aggregates plain views: a materialized view is read with its
owner's rights and would show every reader the counts of everything.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 05:00:00
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from archive.db.roles import reader_role_name

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def cleared_sql(rank: str, caveats: str) -> str:
    """Whether the current role may read what needs ``rank`` and ``caveats`` (SQL expressions).

    The body of ``reporting.cleared`` and, spelled out, the base tables' policies: there its
    sub-selects (the role's clearance) do not depend on the row, so the planner runs them once
    per query (InitPlans), where a call of the function would run per row.
    """
    own = "FROM public.clearances c WHERE c.role_name = current_user"
    return (
        f"coalesce({rank} <= (SELECT c.level_rank {own}) "
        f"AND {caveats} <@ coalesce((SELECT c.caveats {own}), {caveats}), false) "
        "OR (SELECT pg_has_role(d.datdba, 'USAGE') FROM pg_catalog.pg_database d WHERE d.datname = current_database())"
    )


CLEARED_FUNCTION = f"""
CREATE FUNCTION reporting.cleared(level_rank smallint, caveats text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT {cleared_sql("cleared.level_rank", "cleared.caveats")}
$$
"""
CLEARED_COMMENT = (
    "Whether the current role may read a row that needs this level rank and these caveats: the rank is at "
    "most its cleared rank and every caveat is among its caveats (public.clearances); the database owner "
    "may read everything."
)


def _visible(table: str, on: str) -> str:
    return f"EXISTS (SELECT FROM public.{table} x WHERE {on})"


CLEARED = cleared_sql("clearance_rank", "clearance_caveats")
# What a role not cleared to everything sees of each table granted to readers.
POLICIES = {
    "cables": CLEARED,
    "paragraphs": CLEARED,
    "cable_versions": CLEARED,
    "cable_caveats": _visible("cables", "x.id = cable_caveats.cable_id"),
    "cable_tags": _visible("cables", "x.id = cable_tags.cable_id"),
    "recipients": _visible("cables", "x.id = recipients.cable_id"),
    "cable_references": _visible("cables", "x.id = cable_references.cable_id"),
    "cable_version_sources": _visible(
        "cable_versions", "x.cable_id = cable_version_sources.cable_id AND x.version = cable_version_sources.version"
    ),
    "sources": _visible("cables", "x.source_id = sources.id")
    + " OR "
    + _visible("cable_version_sources", "x.source_id = sources.id"),
    "origins": _visible("cables", "x.origin_id = origins.id"),
    "addressees": _visible("recipients", "x.addressee_id = addressees.id"),
    "tags": _visible("cable_tags", "x.tag_id = tags.id"),
    "classification_levels": "true",
    "caveats": "true",
    "alembic_version": "true",
    "clearances": "role_name = current_user",
}
CLEARANCE_COLUMNS = ("cables", "paragraphs", "cable_versions")

BACKFILL = (
    """
    UPDATE cables c SET
        clearance_rank = l.rank,
        clearance_caveats = ARRAY(SELECT cv.name FROM cable_caveats cc JOIN caveats cv ON cv.id = cc.caveat_id
                                  WHERE cc.cable_id = c.id ORDER BY cv.name),
        paragraph_classifications = ARRAY(
            SELECT pl.name || CASE WHEN p.caveats = '{}' THEN '' ELSE '//' || array_to_string(p.caveats, '/') END
            FROM paragraphs p LEFT JOIN classification_levels pl ON pl.id = p.classification_level_id
            WHERE p.cable_id = c.id ORDER BY p.position)
    FROM classification_levels l WHERE l.id = c.classification_level_id
    """,
    """
    UPDATE paragraphs p SET
        clearance_rank = greatest(c.clearance_rank,
                                  (SELECT l.rank FROM classification_levels l WHERE l.id = p.classification_level_id)),
        clearance_caveats = c.clearance_caveats || p.caveats
    FROM cables c WHERE c.id = p.cable_id
    """,
    # Versions loaded before this revision take the clearance of their cable's current text.
    """
    UPDATE cable_versions v SET
        clearance_rank = greatest(c.clearance_rank,
                                  (SELECT max(p.clearance_rank) FROM paragraphs p WHERE p.cable_id = c.id)),
        clearance_caveats = c.clearance_caveats
                            || ARRAY(SELECT DISTINCT unnest(p.caveats) FROM paragraphs p WHERE p.cable_id = c.id)
    FROM cables c WHERE c.id = v.cable_id
    """,
)


def _reporting_layer() -> ModuleType:
    """Migration 0002, whose view definitions and comments are the ones this revision changes."""
    spec = importlib.util.spec_from_file_location(
        "reporting_layer", Path(__file__).with_name("0002_reporting_layer.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# reporting.cables takes the body from the current version: cable_versions rows need the clearance
# of the whole text, so a reader not cleared to every paragraph gets no body (cables.body is not theirs).
# (A subquery, not a join: a query that does not ask for the body does not read cable_versions.)
CABLES_BODY = ("c.body\n", "(SELECT v.body FROM cable_versions v WHERE v.cable_id = c.id AND v.is_current)\n")
MATERIALIZED = ("Materialized: ", " (refreshed after each load)")


def _create_view(layer: ModuleType, view: Any, comment: str, query: str, kind: str = "VIEW") -> None:
    """``view`` of migration 0002 (its columns and their comments) as a ``kind`` over ``query``."""
    options = " WITH (security_invoker = true)" if kind == "VIEW" else ""
    op.execute(f"CREATE {kind} reporting.{view.name} ({', '.join(view.columns)}){options} AS {query}")
    op.execute(f"COMMENT ON {kind} reporting.{view.name} IS {layer.quoted(comment)}")
    for column, text in view.columns.items():
        op.execute(f"COMMENT ON COLUMN reporting.{view.name}.{column} IS {layer.quoted(text)}")


def _cables_query(layer: ModuleType) -> str:
    query = next(view.query for view in layer.VIEWS if view.name == "cables")
    old, new = CABLES_BODY
    assert query.count(old) == 1
    return query.replace(old, new)


def _existing_reader() -> list[str]:
    """The database's reader, quoted, when it was made before this revision: it stays cleared to
    everything (a row of clearances, a role of every ``everything`` policy) from the upgrade on."""
    bind = op.get_bind()
    reader = reader_role_name(bind.execute(sa.text("SELECT current_database()")).scalar_one())
    if bind.execute(sa.text("SELECT FROM pg_roles WHERE rolname = :reader"), {"reader": reader}).first() is None:
        return []
    bind.execute(
        sa.text(
            "INSERT INTO clearances (role_name, level_rank, caveats) "
            "SELECT :reader, max(rank), NULL FROM classification_levels"
        ),
        {"reader": reader},
    )
    return ['"' + reader.replace('"', '""') + '"']


def upgrade() -> None:
    layer = _reporting_layer()
    op.create_table(
        "clearances",
        sa.Column("role_name", sa.Text(), nullable=False),
        sa.Column("level_rank", sa.SmallInteger(), nullable=False),
        sa.Column("caveats", postgresql.ARRAY(sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("role_name", name="pk_clearances"),
    )
    for table in CLEARANCE_COLUMNS:
        op.add_column(table, sa.Column("clearance_rank", sa.SmallInteger(), nullable=True))
        op.add_column(table, sa.Column("clearance_caveats", postgresql.ARRAY(sa.Text()), nullable=True))
    op.add_column("cables", sa.Column("paragraph_classifications", postgresql.ARRAY(sa.Text()), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)
    op.execute("ANALYZE cables, paragraphs, cable_versions")  # every row was rewritten: fresh statistics
    op.execute(CLEARED_FUNCTION)
    op.execute(f"COMMENT ON FUNCTION reporting.cleared(smallint, text[]) IS {layer.quoted(CLEARED_COMMENT)}")
    everything = ", ".join(["CURRENT_USER", *_existing_reader()])
    for table, visible in POLICIES.items():
        op.execute(f"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE public.{table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY cleared ON public.{table} FOR SELECT USING ({visible})")
        op.execute(f"CREATE POLICY everything ON public.{table} TO {everything} USING (true) WITH CHECK (true)")
    for view in layer.VIEWS:
        if view.materialized:
            op.execute(f"DROP MATERIALIZED VIEW reporting.{view.name}")
    op.execute(f"CREATE OR REPLACE VIEW reporting.cables AS {_cables_query(layer)}")
    for view in layer.VIEWS:
        if view.materialized:
            prefix, suffix = MATERIALIZED
            _create_view(layer, view, view.comment.removeprefix(prefix).replace(suffix, ""), view.query)
        else:
            op.execute(f"ALTER VIEW reporting.{view.name} SET (security_invoker = true)")


def downgrade() -> None:
    layer = _reporting_layer()
    for view in reversed(layer.VIEWS):
        if view.materialized:
            op.execute(f"DROP VIEW reporting.{view.name}")
        else:
            op.execute(f"ALTER VIEW reporting.{view.name} RESET (security_invoker)")
    cables = next(view for view in layer.VIEWS if view.name == "cables")
    op.execute(f"CREATE OR REPLACE VIEW reporting.cables AS {cables.query}")
    for view in layer.VIEWS:
        if view.materialized:
            _create_view(layer, view, view.comment, view.query, kind="MATERIALIZED VIEW")
    for table in POLICIES:
        op.execute(f"DROP POLICY everything ON public.{table}")
        op.execute(f"DROP POLICY cleared ON public.{table}")
        op.execute(f"ALTER TABLE public.{table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE public.{table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION reporting.cleared(smallint, text[])")
    op.drop_column("cables", "paragraph_classifications")
    for table in CLEARANCE_COLUMNS:
        op.drop_column(table, "clearance_caveats")
        op.drop_column(table, "clearance_rank")
    op.drop_table("clearances")
