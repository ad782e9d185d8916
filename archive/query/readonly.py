"""Running SQL that must not change anything: a READ ONLY transaction with a statement timeout.

Every statement goes through the extended query protocol, which accepts one statement only:
``COMMIT; DROP TABLE cables`` cannot end the read-only transaction and run a second
statement outside it. Report parameters are always bound by the server, never pasted into
the SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors, sql
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import ArgumentError

from archive.db.session import database_url, libpq_url
from archive.query import QueryError

DEFAULT_TIMEOUT_SECONDS = 60.0
_DIALECT = postgresql.dialect(paramstyle="pyformat")  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows (dicts keyed by column name) of one query."""

    columns: list[str]
    rows: list[dict[str, Any]]


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
    if params is None:
        statement, values = sql_text, None
    else:
        try:
            compiled = text(sql_text).bindparams(**params).compile(dialect=_DIALECT)
        except ArgumentError as error:  # a parameter the SQL never uses
            raise QueryError(first_line(error)) from error
        unbound = sorted(set(compiled.params) - set(params))
        if unbound:
            raise QueryError(f"the SQL uses :{unbound[0]} but no value is given for it")
        statement, values = compiled.string, compiled.params
    try:
        with psycopg.connect(libpq_url(database_url(url))) as connection:
            connection.read_only = True
            with connection.transaction():
                connection.execute(
                    sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(f"{int(timeout * 1000)}ms"))
                )
                cursor = connection.execute(statement, values, prepare=True)
                if cursor.description is None:
                    return QueryResult([], [])
                columns = [column.name for column in cursor.description]
                rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            return QueryResult(columns, rows)
    except errors.ReadOnlySqlTransaction as error:
        raise QueryError(f"the query tried to write, and queries here are read-only: {first_line(error)}") from error
    except errors.QueryCanceled as error:
        raise QueryError(f"the query ran longer than the {timeout:g} s statement timeout") from error
    except psycopg.Error as error:
        if "multiple commands" in str(error):  # refused by the extended protocol, on purpose
            raise QueryError("one statement at a time, please: the query holds several") from error
        raise QueryError(first_line(error)) from error


def first_line(error: BaseException) -> str:
    message = str(error).strip()
    return message.splitlines()[0] if message else type(error).__name__
