"""Querying the archive: full-text search, SQL reports, the reporting layer and the Python API.

Start with :mod:`archive.query.api`; the CLI commands ``show``, ``search``, ``report``,
``sql`` and ``refs`` are thin layers over it.
"""

from __future__ import annotations


class QueryError(Exception):
    """A query that cannot be answered as asked; the message says why, in one line."""


class CableNotFound(QueryError):
    """No cable in the archive has the reference id asked for."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message: PostgreSQL adds DETAIL and HINT lines below it."""
    message = str(error).strip()
    return message.splitlines()[0] if message else type(error).__name__
