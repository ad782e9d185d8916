"""Fixtures of the query tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from archive.db.roles import reader_url
from archive.db.session import libpq_url


@pytest.fixture
def sql_connection(loaded_database: str) -> Iterator[psycopg.Connection]:
    """A psycopg connection (autocommit) to the database of the example cables, as its owner."""
    with psycopg.connect(libpq_url(loaded_database), autocommit=True) as connection:
        yield connection


@pytest.fixture
def reader_connection(loaded_database: str, reader_home: Path) -> Iterator[psycopg.Connection]:
    """A connection to the loaded sample as its read-only role."""
    with psycopg.connect(reader_url(loaded_database, home=reader_home)) as connection:
        yield connection
