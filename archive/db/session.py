"""Engines and sessions for the configured database: a URL given, ARCHIVE_DATABASE_URL, or the embedded server.

Also :func:`temporary_database`, a database of its own for a test or a benchmark run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, LiteralString

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

URL_VARIABLE = "ARCHIVE_DATABASE_URL"


class DatabaseUrlError(ValueError):
    """A database URL that cannot be read."""


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and use psycopg 3 for them."""
    try:
        parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    except ArgumentError:
        raise DatabaseUrlError("not a database URL (expected postgresql://user@host:port/name)") from None
    if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername != "postgresql+psycopg":
        raise DatabaseUrlError(f"not a PostgreSQL URL ({parsed.drivername}://): the archive needs postgresql://…")
    return parsed.render_as_string(hide_password=False)


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else $ARCHIVE_DATABASE_URL, else the embedded server (started if needed)."""
    chosen = url or os.environ.get(URL_VARIABLE)
    if chosen:
        return normalise_url(chosen)
    from archive.db.embedded import ensure_running

    return ensure_running()


def libpq_url(url: str) -> str:
    """The same URL for libpq clients (psql, BI tools, psycopg.connect)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# The library's queries name the tables of the public schema; the reader role's own
# search_path starts in the reporting schema, whose views share some of their names.
LIBRARY_SEARCH_PATH = "-c search_path=public"


def make_engine(url: str | None = None, **kwargs: object) -> Engine:
    kwargs.setdefault("connect_args", {"options": LIBRARY_SEARCH_PATH})
    return create_engine(database_url(url), **kwargs)  # type: ignore[arg-type]


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session on the configured database that commits on success and rolls back on error."""
    engine = make_engine(url)
    factory = sessionmaker(engine, expire_on_commit=False)
    try:
        with factory.begin() as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def temporary_database(server_url: str, name: str, template: str | None = None, *, keep: bool = False) -> Iterator[str]:
    """A new database ``name`` on the server of ``server_url`` (a copy of ``template``, if given),
    dropped on exit unless ``keep``; yields its URL."""
    admin = libpq_url(make_url(server_url).set(database="postgres").render_as_string(hide_password=False))
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
        # Closed to other roles from the start, as the archive's own database is (docs/security.md).
        connection.execute(f'REVOKE CONNECT, TEMPORARY ON DATABASE "{name}" FROM PUBLIC')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kept_if(connection: psycopg.Connection[Any], probe: LiteralString) -> psycopg.Connection[Any] | None:
    """``connection``, outside any transaction, when ``probe``'s first value is true; else closed, None.

    A probe of a table the schema does not have yet counts as false (the set-up says what to do).
    """
    try:
        answer = connection.execute(probe).fetchone()
        connection.rollback()
    except psycopg.errors.UndefinedTable:
        answer = None
    except BaseException:
        connection.close()
        raise
    if answer and answer[0]:
        return connection
    connection.close()
    return None
