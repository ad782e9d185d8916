"""Editions: ``reporting.cable_editions.signers`` is a text array, and editions stored without fields get them.

The view listed an edition's signers space-joined (``"RUSK BALL"``), which cannot be told apart from
a signer named in two words; it now gives them as ``text[]``, like ``reporting.cables.signers``.

Migration 0010 left NULL fields on the editions it made from versions that were not current (one id
that already had texts of several forms): their inputs are in ``sources``, and the upgrade now
reads and parses them again with the current code (``archive.load.edition_fields``), as migration
0009 derived labels through the current loader. The downgrade gives the view its space-joined
column back; the filled fields stay (0010's schema holds them, the values are the inputs').

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 07:20:00
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from alembic import context, op

from archive.load.edition_fields import fill_edition_fields

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EDITIONS = "0010"
JOINED = "array_to_string(e.signers, ' ')"


def editions() -> ModuleType:
    """Migration 0010: the view's query and column comments, which this one changes in one column."""
    return context.script.get_revision(EDITIONS).module


def create_view(signers: str, comment: str) -> None:
    """reporting.cable_editions with ``signers`` as its signers column (0010's otherwise), and its comments."""
    layer = editions()
    query = layer.VIEW_QUERY.replace(JOINED, signers)
    columns = {**layer.VIEW_COLUMNS, "signers": comment}
    op.execute(f"DROP VIEW {layer.VIEW}")
    op.execute(f"CREATE VIEW {layer.VIEW} ({', '.join(columns)}) WITH (security_invoker = true) AS {query}")
    op.execute(
        f"COMMENT ON VIEW {layer.VIEW} IS "
        + layer.quoted("One row per edition of a cable: each form it is published in.")
    )
    for column, text in columns.items():
        op.execute(f"COMMENT ON COLUMN {layer.VIEW}.{column} IS {layer.quoted(text)}")


def upgrade() -> None:
    create_view("e.signers", "Signers as this edition gives them, in printed order.")
    fill_edition_fields(op.get_bind().connection.driver_connection)


def downgrade() -> None:
    layer = editions()
    create_view(JOINED, layer.VIEW_COLUMNS["signers"])
