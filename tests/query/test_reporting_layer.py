"""The reporting schema: documented views, aggregates refreshed, and the read-only role BI tools use."""

from __future__ import annotations

import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from archive.db.session import libpq_url
from archive.query import QueryError
from archive.query.reporting import ensure_reader_role, reader_password_file, reader_role_name, reader_url, refresh

AGGREGATES = ["cables_by_year", "citations", "correspondence", "origins_summary", "tags_by_year"]
VIEWS = [
    "cable_caveats",
    "cable_references",
    "cable_tags",
    "cable_versions",
    "cables",
    "load_errors",
    "paragraphs",
    "recipients",
]


@pytest.fixture
def sql_connection(loaded_database: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_url(loaded_database), autocommit=True) as connection:
        yield connection


def test_every_view_and_column_is_documented(sql_connection: psycopg.Connection) -> None:
    relations = sql_connection.execute(
        "SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'm') "
        "ORDER BY c.relname"
    ).fetchall()
    assert [name for name, kind, _ in relations if kind == "v"] == VIEWS
    assert [name for name, kind, _ in relations if kind == "m"] == AGGREGATES
    assert all(comment for _, _, comment in relations)
    undocumented = sql_connection.execute(
        "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND a.attnum > 0 "
        "AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL"
    ).fetchall()
    assert undocumented == []


def test_one_row_per_cable_with_labels(sql_connection: psycopg.Connection) -> None:
    row = sql_connection.execute(
        "SELECT reference_id, year, classification, level, level_rank, caveats, origin, tags, "
        "recipient_count, paragraph_count, reference_count, version_count, declassify_on::text "
        "FROM reporting.cables WHERE reference_id = '09STATE53069'"
    ).fetchone()
    # The seed: CONFIDENTIAL, SIPDIS, one TO and seven INFO addressees, seven paragraphs, DECL 2019-05-22.
    assert row == (
        "09STATE53069",
        2009,
        "CONFIDENTIAL",
        "CONFIDENTIAL",
        4,
        "SIPDIS",
        "Secretary of State",
        "KV MARR NATO PGOV PREL KPKO",
        8,
        7,
        0,
        1,
        "2019-05-22",
    )
    versions = sql_connection.execute(
        "SELECT version, is_current, source_name LIKE '%avilaroman%' FROM reporting.cable_versions "
        "WHERE reference_id = '07LONDON4045' ORDER BY version"
    ).fetchall()
    assert versions == [(1, False, False), (2, True, True)]  # the re-issue, loaded second, is current


def test_refresh_fills_the_aggregates(loaded_database: str, sql_connection: psycopg.Connection) -> None:
    engine = create_engine(loaded_database)
    with engine.begin() as connection:
        assert refresh(connection) == AGGREGATES
    engine.dispose()
    assert refresh(sql_connection) == AGGREGATES  # a psycopg connection, as the loader passes
    by_year = sql_connection.execute(
        "SELECT year, level, cables, noforn_cables FROM reporting.cables_by_year ORDER BY year, level_rank DESC"
    ).fetchall()
    assert by_year == [
        (2000, "SECRET", 1, 0),
        (2005, "SECRET", 1, 0),
        (2007, "CONFIDENTIAL", 1, 0),
        (2008, "CONFIDENTIAL", 1, 1),
        (2009, "SECRET", 1, 1),
        (2009, "CONFIDENTIAL", 3, 0),
        (2009, "UNCLASSIFIED", 1, 0),
        (2010, "CONFIDENTIAL", 1, 0),
    ]
    cited = sql_connection.execute(
        "SELECT cited_by, is_resolved FROM reporting.citations WHERE cited_canonical_id = '09BERLIN1167'"
    ).fetchone()
    assert cited == (2, True)


@pytest.fixture
def reader(loaded_database: str, reader_home: Path) -> tuple[str, Path]:
    """The reader URL of the loaded sample (password kept under reader_home, removed afterwards with the role)."""
    return reader_url(loaded_database, home=reader_home), reader_home


def test_the_reader_role_is_named_after_the_database() -> None:
    assert reader_role_name("archive") == "archive_reader"
    long_name = "a" * 70
    assert reader_role_name(long_name) == "a" * 56 + "_reader"  # PostgreSQL keeps 63 characters of a name


def test_the_reader_reads_the_reporting_schema(reader: tuple[str, Path]) -> None:
    url, _ = reader
    assert make_url(url).username == f"{make_url(url).database}_reader"
    with psycopg.connect(url, autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM reporting.cables").fetchone() == (10,)
        assert connection.execute("SELECT cited_by FROM reporting.citations ORDER BY 1 DESC LIMIT 1").fetchone() == (2,)
        settings = connection.execute(
            "SELECT current_setting('statement_timeout'), current_setting('default_transaction_read_only')"
        ).fetchone()
        assert settings == ("1min", "on")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT count(*) FROM cables",
        "SELECT raw FROM sources",
        "INSERT INTO reporting.load_errors (name) VALUES ('x')",
        "DELETE FROM cables",
        "CREATE TABLE public.scratch (a int)",
        "CREATE TABLE reporting.scratch (a int)",
        "CREATE TEMP TABLE scratch (a int)",
        "REFRESH MATERIALIZED VIEW reporting.cables_by_year",
    ],
)
def test_the_reader_cannot_write_or_read_outside_reporting(reader: tuple[str, Path], statement: str) -> None:
    url, _ = reader
    with psycopg.connect(url, autocommit=True) as connection:
        # Turning the session's read-only default off does not help: the privileges are not there.
        connection.execute("SET default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_the_reader_password_is_kept_private_and_reused(reader: tuple[str, Path], loaded_database: str) -> None:
    url, home = reader
    password_file = reader_password_file(loaded_database, home)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text().strip() == make_url(url).password
    assert reader_url(loaded_database, home=home) == url  # idempotent: same role, same password


def test_a_user_who_may_not_create_roles_is_told_what_it_needs(loaded_database: str) -> None:
    limited = f"limited_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    with psycopg.connect(libpq_url(loaded_database), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(limited), password))
    try:
        limited_url = make_url(loaded_database).set(username=limited, password=password)
        with psycopg.connect(libpq_url(limited_url.render_as_string(hide_password=False))) as connection:
            with pytest.raises(QueryError, match=r"^cannot set up the read-only role \w+: .*CREATEROLE"):
                ensure_reader_role(connection, f"{limited}_reader", "secret")
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{limited}_reader",))
            assert exists.fetchone() is None
    finally:
        with psycopg.connect(libpq_url(loaded_database), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(limited)))
