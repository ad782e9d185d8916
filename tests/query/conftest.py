"""Fixtures of the query tests."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from archive.db.session import libpq_url


@pytest.fixture
def sql_connection(loaded_database: str) -> Iterator[psycopg.Connection]:
    """A psycopg connection (autocommit) to the database of the example cables, as its owner."""
    with psycopg.connect(libpq_url(loaded_database), autocommit=True) as connection:
        yield connection
