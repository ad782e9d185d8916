"""A fresh, migrated database per loader test (cloned from a template, so it takes a tenth of a second)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from archive.db import migrate
from archive.db.session import libpq_url


def _admin_url(server_url: str) -> str:
    return libpq_url(make_url(server_url).set(database="postgres").render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def load_template(server_url: str) -> Iterator[str]:
    """Name of a database at the newest migration that tests clone; dropped after the session."""
    name = f"archive_load_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(make_url(server_url).set(database=name).render_as_string(hide_password=False))
    yield name
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(server_url: str, load_template: str) -> Iterator[str]:
    """URL of an empty archive of its own, for tests that count rows."""
    name = f"archive_load_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{load_template}"')
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sql(fresh_database: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the fresh database, for checking rows."""
    with psycopg.connect(libpq_url(fresh_database), autocommit=True) as conn:
        yield conn
