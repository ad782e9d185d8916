"""A fresh, migrated database per loader test (cloned from a template, so it takes a tenth of a second)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from archive.db import migrate
from archive.db.session import libpq_url, temporary_database


@pytest.fixture(scope="session")
def load_template(server_url: str) -> Iterator[str]:
    """Name of a database at the newest migration that tests clone; dropped after the session."""
    name = f"archive_load_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with temporary_database(server_url, name) as url:
        migrate.upgrade(url)
        yield name


@pytest.fixture
def fresh_database(server_url: str, load_template: str) -> Iterator[str]:
    """URL of an empty archive of its own, for tests that count rows."""
    with temporary_database(server_url, f"archive_load_{os.getpid()}_{uuid.uuid4().hex[:8]}", load_template) as url:
        yield url


@pytest.fixture
def sql(fresh_database: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the fresh database, for checking rows."""
    with psycopg.connect(libpq_url(fresh_database), autocommit=True) as conn:
        yield conn
