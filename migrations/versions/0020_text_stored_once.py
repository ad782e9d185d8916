"""The telegram's text stored once: ``cables.header`` and ``cables.body`` go, read from the current version.

A cable's header and body were stored twice: in ``cables`` and in its current
``cable_versions`` row, the same value from the same staged text (the merge writes both from
one staging row, and every change of the current version rewrote both). The copy in ``cables``
goes; the current version's is the cable's text. What read it:

* ``reporting.search`` takes its snippet from the current version's body (a subquery: 20 probes
  of the unique index of current versions);
* ``Cable.header`` and ``Cable.body`` stay in the models, read from the current version
  (deferred scalar subqueries), so Python code reads them as before; a reader cleared to less
  than everything, refused the column before, now reads them where it may read the whole text
  (the versions' row-level security) and gets NULL elsewhere, as from ``reporting.cables.body``;
* the search vector of a cable written by anything but the loader (which computes it in
  staging): the trigger ``cables_search_vector`` takes the body from the current version, and a
  new trigger on ``cable_versions`` computes the vector again when a version becomes current or a
  current version's body changes. The loader says, for its merge's transaction, that its vectors
  are given (``archive.search_vectors_given``): on a server where it may not switch triggers off,
  the new trigger would otherwise compute every vector a second time in the serialised merge.

Before dropping the columns the upgrade checks that every cable's copy is its current version's
text, byte for byte, and stops without changing anything if one is not (nothing is lost). The
space of the dropped columns is free for new rows once vacuumed; ``VACUUM FULL cables`` gives it
back to the file system. The downgrade restores both columns from the current versions.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 15:00:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BULK_LOAD: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0003_bulk_load_support.py")))
SIMILAR_SUBJECTS: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0013_similar_subjects.py")))

# The vector of 0003, of a subject ({0}: the row) and a body's SQL ({1}).
SEARCH_VECTOR = BULK_LOAD["SEARCH_VECTOR"].replace("{0}body", "{1}")
CURRENT_BODY = "(SELECT v.body FROM cable_versions v WHERE v.cable_id = {0} AND v.is_current)"
VECTORS_GIVEN = "archive.search_vectors_given"

CHECK_COPIES = """
DO $$
DECLARE
    differing bigint;
    first_id text;
BEGIN
    SELECT count(*), min(c.reference_id) INTO differing, first_id
    FROM cables c LEFT JOIN cable_versions v ON v.cable_id = c.id AND v.is_current
    WHERE v.body IS DISTINCT FROM c.body OR v.header IS DISTINCT FROM c.header;
    IF differing > 0 THEN
        RAISE EXCEPTION '% cables (first %) hold a text that is not their current version''s: not dropped',
            differing, first_id;
    END IF;
END
$$
"""

CABLES_TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cables_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vector IS NULL
       OR (TG_OP = 'UPDATE'
           AND NEW.subject IS DISTINCT FROM OLD.subject
           AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector) THEN
        NEW.search_vector := {SEARCH_VECTOR.format("NEW.", f"coalesce({CURRENT_BODY.format('NEW.id')}, '')")};
    END IF;
    RETURN NEW;
END
$$
"""
VERSIONS_TRIGGER_FUNCTION = f"""
CREATE FUNCTION cable_versions_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cables c SET search_vector = {SEARCH_VECTOR.format("c.", "NEW.body")} WHERE c.id = NEW.cable_id;
    RETURN NULL;
END
$$
"""
VERSIONS_TRIGGER = f"""
CREATE TRIGGER cable_versions_search_vector AFTER INSERT OR UPDATE OF cable_id, body, is_current ON cable_versions
FOR EACH ROW WHEN (NEW.is_current AND current_setting('{VECTORS_GIVEN}', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION cable_versions_search_vector()
"""

CABLES_BODY = "ts_headline('english', c.body,"
SEARCH = SIMILAR_SUBJECTS["BOUNDED_TEXT_HITS"].replace(SIMILAR_SUBJECTS["SIMILAR_BEFORE"], SIMILAR_SUBJECTS["SIMILAR"])
SEARCH_BODY = (
    f"ts_headline('english', {CURRENT_BODY.format('c.id').replace('cable_versions', 'public.cable_versions')},"
)


def upgrade() -> None:
    assert CABLES_BODY in SEARCH, "reporting.search is not as 0013 made it"
    op.execute(CHECK_COPIES)
    op.execute(CABLES_TRIGGER_FUNCTION)
    op.execute(VERSIONS_TRIGGER_FUNCTION)
    op.execute(VERSIONS_TRIGGER)
    op.execute(SEARCH.replace(CABLES_BODY, SEARCH_BODY))
    op.drop_column("cables", "body")
    op.drop_column("cables", "header")


def downgrade() -> None:
    op.add_column("cables", sa.Column("header", sa.Text()))
    op.add_column("cables", sa.Column("body", sa.Text()))
    op.execute("ALTER TABLE cables ALTER COLUMN body SET STORAGE EXTERNAL")
    op.execute(
        "UPDATE cables c SET header = v.header, body = v.body FROM cable_versions v "
        "WHERE v.cable_id = c.id AND v.is_current"
    )
    op.alter_column("cables", "header", nullable=False)
    op.alter_column("cables", "body", nullable=False)
    op.execute(SEARCH)
    op.execute("DROP TRIGGER cable_versions_search_vector ON cable_versions")
    op.execute("DROP FUNCTION cable_versions_search_vector()")
    op.execute(BULK_LOAD["TRIGGER_FUNCTION"].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
