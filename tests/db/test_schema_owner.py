"""The models are the one description of the schema: what `alembic check` cannot see is checked here.

The migrated database keeps the models' CHECK constraints (vocabularies included) and storage;
the loader's staging tables have the types of the columns they fill; the full-text vector the
migrations wrote is the one ``search_vector_sql`` writes.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, func, select, text
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.models import (
    SEARCH_VECTORS_GIVEN,
    SUBJECT_VECTOR_ARGS,
    Base,
    Cable,
    CableEdition,
    CableVersion,
    ClassificationLevel,
    Source,
    current_body_sql,
    is_external,
    search_vector_sql,
)
from archive.db.session import libpq_url
from archive.load import staging


@pytest.fixture
def sql(database: str) -> Iterator[psycopg.Connection]:
    """A connection to the migrated database whose changes are rolled back."""
    with psycopg.connect(libpq_url(database)) as connection:
        yield connection
        connection.rollback()


def normalised_check(sql: psycopg.Connection, table: str, expression: str) -> str:
    """The CHECK as PostgreSQL prints it once added to a scratch copy of ``table``."""
    sql.execute(f"CREATE TEMP TABLE IF NOT EXISTS probe_{table} (LIKE {table})")
    sql.execute(f"ALTER TABLE probe_{table} ADD CONSTRAINT probe CHECK ({expression})")
    (definition,) = sql.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'probe' AND conrelid = %s::regclass",
        (f"probe_{table}",),
    ).fetchone()
    sql.execute(f"ALTER TABLE probe_{table} DROP CONSTRAINT probe")
    return definition


def test_the_database_has_exactly_the_models_check_constraints(sql: psycopg.Connection) -> None:
    in_models = {
        (table.name, check.name): normalised_check(sql, table.name, str(check.sqltext))
        for table in Base.metadata.sorted_tables
        for check in table.constraints
        if isinstance(check, CheckConstraint)
    }
    in_database = dict(
        ((table, name), definition)
        for table, name, definition in sql.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'c' AND connamespace = 'public'::regnamespace AND conrelid::regclass::text = ANY(%s)",
            (list(Base.metadata.tables),),
        )
    )
    assert ("recipients", "ck_recipients_role_known") in in_models
    assert "'XMT'" in in_models["recipients", "ck_recipients_role_known"]
    assert in_database == in_models


def test_the_seeded_levels_are_the_vocabulary_the_loader_checks(sql: psycopg.Connection) -> None:
    levels = [name for (name,) in sql.execute("SELECT name FROM classification_levels ORDER BY rank DESC")]
    assert tuple(levels) == staging.vocabulary_of(ClassificationLevel.__table__.c.name)


def test_the_columns_stored_uncompressed_are_those_the_models_mark(sql: psycopg.Connection) -> None:
    in_database = set(
        sql.execute(
            "SELECT attrelid::regclass::text, attname FROM pg_attribute "
            "WHERE attstorage = 'e' AND attrelid::regclass::text = ANY(%s) AND attnum > 0 AND NOT attisdropped",
            (list(Base.metadata.tables),),
        )
    )
    in_models = {(column.table.name, column.name) for column in Base.metadata.tables.values() for column in column.c}
    assert in_database == {
        (table, column) for table, column in in_models if is_external(Base.metadata.tables[table].c[column])
    }
    assert ("stage_cables", "search_vector") in staging.EXTERNAL_COLUMNS


def column_types(sql: psycopg.Connection, table: str) -> dict[str, str]:
    return dict(
        sql.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            (table,),
        )
    )


def test_staging_columns_have_the_types_of_the_columns_they_fill(sql: psycopg.Connection) -> None:
    for table in staging.TABLES:
        sql.execute(table.ddl())
    checked = 0
    for table in staging.TABLES:
        staged = column_types(sql, table.name)
        for column in table.table.columns:
            target = column.info.get("target")
            if target is None:
                continue
            expected = column_types(sql, target.table.name)[target.name]
            expected = "text" if expected.startswith("character varying") else expected
            expected += "[]" if column.info.get("array") else ""
            assert (table.name, column.name, staged[column.name]) == (table.name, column.name, expected)
            checked += 1
    assert checked > 50


def test_the_migrations_wrote_the_full_text_expression_of_the_models(database: str) -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config(database))
    bulk_load = scripts.get_revision("0003").module  # the trigger, and the vector the loader computes since
    assert bulk_load.SEARCH_VECTOR.format("") == search_vector_sql()
    assert bulk_load.SEARCH_VECTOR.format("NEW.") == search_vector_sql("NEW.")
    initial = inspect.getsource(scripts.get_revision("0001").module)  # the generated column it replaced
    assert f'"{search_vector_sql()}"' in initial
    ranked = inspect.getsource(scripts.get_revision("0004").module)  # the subject's own vector
    assert f'"to_tsvector({SUBJECT_VECTOR_ARGS})"' in ranked


def test_the_triggers_compute_what_the_loader_computes(sql: psycopg.Connection) -> None:
    (on_cables,) = sql.execute("SELECT prosrc FROM pg_proc WHERE proname = 'cables_search_vector'").fetchone()
    current_body = f"coalesce({current_body_sql('NEW.id')}, '')"
    assert f"NEW.search_vector := {search_vector_sql('NEW.', current_body)};" in on_cables
    (on_versions,) = sql.execute("SELECT prosrc FROM pg_proc WHERE proname = 'cable_versions_search_vector'").fetchone()
    assert f"SET search_vector = {search_vector_sql('c.', 'NEW.body')} WHERE" in on_versions
    (trigger,) = sql.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'cable_versions_search_vector'"
    )
    assert f"current_setting('{SEARCH_VECTORS_GIVEN}'::text, true)" in trigger[0]


def test_a_writer_other_than_the_loader_gets_the_vector_of_the_current_text(db_session: Session) -> None:
    session = db_session
    hand_made = Cable.reference_id == "09HAND1"

    def matches(word: str) -> bool:
        found = select(Cable.search_vector.op("@@")(func.to_tsquery("english", word))).where(hand_made)
        return session.scalar(found) is True

    source = Source(sha256=b"x" * 32, name="hand.txt", format="text", size=1, raw=b"x", loader_version="hand")
    level = session.scalars(select(ClassificationLevel).where(ClassificationLevel.name == "SECRET")).one()
    cable = Cable(reference_id="09HAND1", canonical_id="09HAND1", level=level, source=source, classification="SECRET")
    cable.editions.append(CableEdition(form="telegram", source=source))
    first = CableVersion(version=1, form="telegram", text_sha256=b"1", source=source, header="", is_current=True)
    first.body = "the walrus replied"
    cable.versions.append(first)
    session.add(cable)
    session.flush()
    assert matches("walrus") and session.scalar(select(Cable.body).where(hand_made)) == "the walrus replied"

    first.body = "the carpenter replied"  # the current text changed
    session.flush()
    assert matches("carpenter") and not matches("walrus")

    first.is_current = False  # another text becomes current
    session.flush()
    cable.versions.append(
        CableVersion(
            version=2, form="telegram", text_sha256=b"2", source=source, header="", body="oysters", is_current=True
        )
    )
    cable.subject = "Beach"
    session.flush()
    assert matches("oysters") and matches("beach") and not matches("carpenter")

    # A writer that stores the vectors itself (the loader's merge) says so, and the version's trigger stays out.
    session.execute(text(f"SET LOCAL {SEARCH_VECTORS_GIVEN} = on"))
    cable.versions[1].body = "cabbages"
    session.flush()
    assert matches("oysters") and not matches("cabbages")
