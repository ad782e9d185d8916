"""Fixtures for the query tests: sessions on the database loaded with the real-cable sample."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session


@pytest.fixture
def sample_session(loaded_database: str) -> Iterator[Session]:
    """A session on the loaded sample (``QUERY_SAMPLE`` in tests/conftest.py), rolled back afterwards."""
    engine = create_engine(loaded_database)
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection)
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
    engine.dispose()
