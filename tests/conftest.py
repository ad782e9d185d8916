"""Test fixtures: a fresh real PostgreSQL database per test session, built by the migrations.

The server is the embedded one (started on demand), or the one $ARCHIVE_DATABASE_URL names.
Each test gets a session inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.session import database_url, libpq_url

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO_ROOT / "examples"
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def server_url() -> str:
    """The server's URL (embedded unless ARCHIVE_DATABASE_URL is set)."""
    return database_url()


@pytest.fixture(scope="session")
def database(server_url: str) -> Iterator[str]:
    """URL of a new, empty database at the newest migration; dropped after the session."""
    name = f"archive_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = libpq_url(make_url(server_url).set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    """URL of a new database with no schema at all (for migration tests); dropped afterwards."""
    name = f"archive_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = libpq_url(make_url(server_url).set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_session(database: str) -> Iterator[Session]:
    """A session whose work is rolled back after the test, savepoints included."""
    engine = create_engine(database)
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
    engine.dispose()


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES_DIR


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real cables; tests needing it are skipped when it is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS_DIR} (CI always has it)")
    return CORPUS_DIR
