"""Alembic environment: one transaction per migration, guarded by an advisory lock and timeouts."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from archive.db.models import Base
from archive.db.session import database_url

# Any stable 64-bit number: two migrators on one database wait for each other.
MIGRATION_LOCK_ID = 0x43_41_42_4C_45_41_52  # "CABLEAR"

config = context.config
target_metadata = Base.metadata


def configured_url() -> str:
    connection_url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return database_url(connection_url)


def run_migrations_offline() -> None:
    context.configure(url=configured_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(configured_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    connection.execute(text("SET lock_timeout = '60s'"))
    connection.execute(text("SET statement_timeout = '30min'"))
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            transaction_per_migration=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        connection.rollback()  # after a failed migration, so the unlock below does not hide its error
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
