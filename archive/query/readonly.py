"""Running SQL that must not change anything: as the read-only role, in a READ ONLY transaction, with limits.

``archive sql`` and every report run here. The SQL never runs as the URL's own user: it runs
as the database's reader role (:mod:`archive.db.roles`), which is no superuser, is a member
of no role (so none of the server-file roles), owns nothing and may create nothing; a check
before each statement refuses a session that is any of these, whatever URL was given. Only a
reader of ``archive db grant-reader`` runs as itself: it reads what its clearance admits.

Every statement goes through the extended query protocol, which accepts one statement only:
``COMMIT; DROP TABLE cables`` cannot end the read-only transaction and run a second
statement outside it, nor can ``SET statement_timeout = 0; SELECT …`` lift a limit for the
statement after it. The limits (statement timeout, work_mem, idle-in-transaction timeout)
are set with ``SET LOCAL`` in the same transaction, before the statement; ``set_config`` and
DO blocks, the ways to change them inside a statement, are not the reader's to use on the
embedded server. Rows are streamed from the server (the client holds a chunk, not the
result), and duplicate column names are told apart (``a``, ``a_2``). Report parameters are
always bound by the server, never pasted into the SQL text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors, sql
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from archive.db.roles import READER_SETTINGS, kept_reader_connection, reader_role_name, reader_url, setting_value
from archive.db.session import database_url, kept_if, libpq_url
from archive.query import QueryError, first_line

DEFAULT_TIMEOUT_SECONDS = 60.0
STREAM_CHUNK = 1000  # rows the client holds at a time
NO_ROWS = "didn't produce a result"  # psycopg's stream() on a statement without a result set
# Set per transaction, besides the statement timeout; the role starts every session with them too.
TRANSACTION_LIMITS = ("work_mem", "idle_in_transaction_session_timeout")
_DIALECT = postgresql.dialect(paramstyle="pyformat")  # type: ignore[no-untyped-call]

# A session that is any of these could do more than read: the statement is not run.
UNSAFE_SESSION = """
SELECT concat_ws(', ',
    CASE WHEN r.rolsuper THEN 'is a superuser' END,
    CASE WHEN r.rolbypassrls THEN 'bypasses row security' END,
    CASE WHEN EXISTS (SELECT FROM pg_auth_members m WHERE m.member = r.oid) THEN 'is a member of other roles' END,
    CASE WHEN EXISTS (SELECT FROM pg_class c WHERE c.relowner = r.oid)
           OR EXISTS (SELECT FROM pg_namespace n WHERE n.nspowner = r.oid)
           OR EXISTS (SELECT FROM pg_database d WHERE d.datdba = r.oid) THEN 'owns objects' END)
FROM pg_roles r WHERE r.rolname = current_user
"""


# A reader made by `archive db grant-reader` (the database's own reader has a row too, but is found by name).
CLEARED_READER = "SELECT EXISTS (SELECT FROM public.clearances WHERE role_name = current_user)"


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows (dicts keyed by column name) of one query."""

    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class StreamedResult:
    """Column names (made distinct) and the rows as they arrive from the server."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]


def run_readonly(
    sql_text: str,
    params: Mapping[str, Any] | None = None,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> QueryResult:
    """Run one statement read-only on the configured database (or ``url``) and return its rows.

    With ``params``, ``:name`` placeholders in ``sql_text`` are bound to them (SQLAlchemy
    ``text()`` syntax); without, the text is sent exactly as given.
    """
    with stream_readonly(sql_text, params, url, timeout) as result:
        return QueryResult(result.columns, list(result.rows))


@contextmanager
def stream_readonly(
    sql_text: str,
    params: Mapping[str, Any] | None = None,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Iterator[StreamedResult]:
    """Like :func:`run_readonly`, but the rows arrive while they are read; use them inside the ``with``."""
    statement, values = _bound(sql_text, params)
    try:
        with _connect_reader(url) as connection:
            connection.read_only = True
            with connection.transaction():
                _limit(connection, timeout)
                cursor = connection.cursor()
                rows = cursor.stream(statement, values, size=STREAM_CHUNK)
                try:
                    first = next(rows, None)  # the statement runs (or fails) here
                except psycopg.ProgrammingError as error:
                    if NO_ROWS not in str(error):
                        raise
                    first = None  # a statement that returns no rows at all (SET, DO, …) ran
                if cursor.description is None:
                    yield StreamedResult([], iter(()))
                    return
                columns = distinct_names([column.name for column in cursor.description])
                yield StreamedResult(columns, _as_dicts(columns, first, rows, timeout))
    except psycopg.Error as error:
        raise _query_error(error, timeout) from error


def _as_dicts(
    columns: list[str], first: tuple[Any, ...] | None, rows: Iterator[tuple[Any, ...]], timeout: float
) -> Iterator[dict[str, Any]]:
    if first is None:
        return
    yield dict(zip(columns, first, strict=True))
    try:
        for row in rows:
            yield dict(zip(columns, row, strict=True))
    except psycopg.Error as error:  # e.g. the timeout, part-way through the rows
        raise _query_error(error, timeout) from error


def _bound(sql_text: str, params: Mapping[str, Any] | None) -> tuple[str, Mapping[str, Any] | None]:
    if params is None:
        return sql_text, None
    try:
        compiled = text(sql_text).bindparams(**params).compile(dialect=_DIALECT)
    except ArgumentError as error:  # a parameter the SQL never uses
        raise QueryError(first_line(error)) from error
    unbound = sorted(set(compiled.params) - set(params))
    if unbound:
        raise QueryError(f"the SQL uses :{unbound[0]} but no value is given for it")
    return compiled.string, compiled.params


def _connect_reader(url: str | None = None) -> psycopg.Connection[Any]:
    """A connection as the read-only role of the configured database (or ``url``); ``url`` may be the reader's own.

    The role is made (or its password found again) by :func:`archive.db.roles.reader_url`
    only when its kept password does not log in: most runs do no administration at all, and
    connect once.
    """
    chosen = database_url(url)
    parsed = make_url(chosen)
    if parsed.username == reader_role_name(parsed.database or ""):
        return psycopg.connect(libpq_url(chosen))
    cleared = _as_cleared_reader(chosen) if url else None
    return cleared or kept_reader_connection(chosen) or psycopg.connect(reader_url(chosen))


def _as_cleared_reader(url: str) -> psycopg.Connection[Any] | None:
    """A connection as the URL's own user when that is a reader with a clearance of its own, else None."""
    # On a schema older than clearances there is no such reader.
    return kept_if(psycopg.connect(libpq_url(url)), CLEARED_READER)


def _limit(connection: psycopg.Connection[Any], timeout: float) -> None:
    """Refuse a session that could do more than read; set this transaction's limits."""
    refuse_unsafe_session(connection)
    limits = {"statement_timeout": f"{int(timeout * 1000)}ms"} | {
        name: READER_SETTINGS[name] for name in TRANSACTION_LIMITS
    }
    for name, value in limits.items():
        connection.execute(sql.SQL("SET LOCAL {} = {}").format(sql.Identifier(name), setting_value(value)))


def refuse_unsafe_session(connection: psycopg.Connection[Any]) -> None:
    """Raise QueryError when the session's role is a superuser, a member of any role, or owns anything."""
    unsafe = connection.execute(UNSAFE_SESSION).fetchone()
    if unsafe is None or unsafe[0]:
        user = connection.info.user
        raise QueryError(
            f"refusing to run SQL as {user}: it {unsafe[0] if unsafe else 'is unknown'}; "
            "use the read-only role (archive db reader-url)"
        )


def _query_error(error: psycopg.Error, timeout: float) -> QueryError:
    if isinstance(error, errors.ReadOnlySqlTransaction):
        return QueryError(f"the query tried to write, and queries here are read-only: {first_line(error)}")
    if isinstance(error, errors.QueryCanceled):
        return QueryError(f"the query ran longer than the {timeout:g} s statement timeout")
    if "multiple commands" in str(error):  # refused by the extended protocol, on purpose
        return QueryError("one statement at a time, please: the query holds several")
    if isinstance(error, errors.InsufficientPrivilege):
        return QueryError(f"the read-only role may not do this: {first_line(error)}")
    return QueryError(first_line(error))


def distinct_names(names: list[str]) -> list[str]:
    """Column names as given, a repeated one numbered from its second use: ``a, a`` → ``a, a_2``."""
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        candidate, number = name, 1
        while candidate in seen:
            number += 1
            candidate = f"{name}_{number}"
        seen.add(candidate)
        result.append(candidate)
    return result
