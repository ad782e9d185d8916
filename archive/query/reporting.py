"""The ``reporting`` schema for BI tools: refreshing its aggregates, and its read-only role.

The schema itself (flat views with ``COMMENT ON`` every view and column, and materialized
aggregates) is built by the migration ``0002_reporting_layer``. This module refreshes the
aggregates (the loader calls :func:`refresh` at the end of each load) and sets up the role a
BI tool connects as: it may read the ``reporting`` schema and nothing else, its sessions
are read-only, and a statement timeout keeps a runaway dashboard from hogging the server.

Roles belong to the whole PostgreSQL server, not to one database, so the role is named
after the database (``archive`` → ``archive_reader``) and made by :func:`ensure_reader_role`
rather than by a migration; it needs only the CREATEROLE privilege, not a superuser.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from archive.db.session import database_url, libpq_url
from archive.query import QueryError
from archive.query.readonly import first_line

SCHEMA = "reporting"
READER_SUFFIX = "_reader"
READER_SETTINGS = {
    "statement_timeout": "60s",  # a runaway dashboard query is cancelled, not left to hog the server
    "idle_in_transaction_session_timeout": "10min",
    "default_transaction_read_only": "on",  # a second lock besides the privileges: sessions start read-only
}
READER_CONNECTION_LIMIT = 20
IDENTIFIER_LIMIT = 63  # PostgreSQL truncates longer names


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


def reader_role_name(database: str) -> str:
    """The read-only role of ``database``: ``archive`` → ``archive_reader``."""
    return database[: IDENTIFIER_LIMIT - len(READER_SUFFIX)] + READER_SUFFIX


def ensure_reader_role(connection: psycopg.Connection[Any], role: str, password: str) -> None:
    """Create or update ``role``: it logs in with ``password`` and may only read the reporting schema.

    Idempotent; run it again after adding views to the schema (it grants on all of them).
    ``connection`` must be open on the archive's database as a user with CREATEROLE (or the
    existing role's admin) who owns the reporting schema.
    """
    name = sql.Identifier(role)
    database = connection.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    statements: list[sql.Composable] = [
        sql.SQL("{} ROLE {} WITH LOGIN CONNECTION LIMIT {} PASSWORD {}").format(
            sql.SQL(verb), name, sql.Literal(READER_CONNECTION_LIMIT), sql.Literal(password)
        ),
        *(
            sql.SQL("ALTER ROLE {} SET {} = {}").format(name, sql.Identifier(setting), sql.Literal(value))
            for setting, value in READER_SETTINGS.items()
        ),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), name),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), name),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), name),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(
            sql.Identifier(SCHEMA), name
        ),
    ]
    try:
        with connection.transaction():
            for statement in statements:
                connection.execute(statement)
            # Temporary tables are the one write PUBLIC may do by default; take that from the role
            # too when we own the database (its owner keeps the privilege: the loader stages in TEMP).
            owns = connection.execute(
                "SELECT pg_has_role(d.datdba, 'USAGE') FROM pg_database d WHERE d.datname = current_database()"
            ).fetchone()
            if owns and owns[0]:
                connection.execute(
                    sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
                )
                connection.execute(
                    sql.SQL("GRANT TEMPORARY ON DATABASE {} TO CURRENT_USER").format(sql.Identifier(database))
                )
            # Before PostgreSQL 15 everyone may create tables in the public schema; not this role.
            can_create = connection.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", (role,)).fetchone()
            if can_create and can_create[0]:
                connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    except psycopg.errors.InsufficientPrivilege as error:
        raise QueryError(
            f"cannot set up the read-only role {role}: {first_line(error)} "
            "(connect as a user with the CREATEROLE privilege who owns the database)"
        ) from error


def reader_password_file(url: str, home: Path | None = None) -> Path:
    """Where the reader's generated password is kept: beside the embedded server's own password.

    The embedded database's reader uses ``reader-password``; a reader on another server gets a
    file named after that server and database.
    """
    from archive.db.embedded import EmbeddedServer

    server = EmbeddedServer(home)
    if server.password_file.exists() and _same_database(url, server.url()):
        return server.home / "reader-password"
    parsed = make_url(url)
    digest = hashlib.sha256(f"{parsed.host}:{parsed.port}/{parsed.database}".encode()).hexdigest()[:12]
    return server.home / f"reader-password-{digest}"


def _same_database(one: str, other: str) -> bool:
    a, b = make_url(one), make_url(other)
    return (a.host, a.port, a.database) == (b.host, b.port, b.database)


def _reader_password(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    # Created 0600 from the start, so the password is never readable by others, even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def reader_url(url: str | None = None, home: Path | None = None) -> str:
    """A libpq URL for the read-only role of the configured database (or ``url``), set up if needed.

    The schema must be at the newest migration, so the reporting views exist.
    """
    from archive.db import migrate

    admin_url = database_url(url)
    migrate.require_current(admin_url)
    parsed = make_url(admin_url)
    role = reader_role_name(parsed.database or "")
    password = _reader_password(reader_password_file(admin_url, home))
    with psycopg.connect(libpq_url(admin_url)) as connection:
        ensure_reader_role(connection, role, password)
    return libpq_url(parsed.set(username=role, password=password).render_as_string(hide_password=False))
