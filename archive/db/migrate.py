"""Bring a database to the schema the code expects, with Alembic, or check that it is there.

The migrations live in ``migrations/`` at the top of the checkout, and are installed as the package
``archive.migrations``: the Alembic configuration is built here from that package's own folder, so
an installed wheel migrates without a checkout or an ``alembic.ini``.

Only writing commands (``archive load``, ``archive db upgrade``) migrate; the others call
:func:`require_current`, which says what to run when the database is behind.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, text

import archive.migrations

MIGRATIONS_DIR = Path(archive.migrations.__file__).parent
UPGRADE_HINT = "run `archive db upgrade`"


class SchemaNotCurrent(RuntimeError):
    """The database is not at the schema revision this code was written for."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    """The newest migration this code knows."""
    head = _scripts().get_current_head()
    assert head is not None, f"no migrations in {MIGRATIONS_DIR}"
    return head


def current_revision(url: str) -> str | None:
    """The database's revision: None when no migration has run on it (one query)."""
    return _read_revision(url)[1]


def is_current(url: str) -> bool:
    """Whether the database is at the newest migration (cheap: one query)."""
    return current_revision(url) == head_revision()


def ensure_schema(url: str) -> None:
    """Upgrade to head unless already there."""
    if not is_current(url):
        upgrade(url)


def require_current(url: str) -> None:
    """Raise :class:`SchemaNotCurrent`, saying what to run, unless the database is at the newest migration.

    A role that may not read ``alembic_version`` (one made for a BI tool, say) cannot tell,
    and could not upgrade anyway: for it the check passes.
    """
    _require(*_read_revision(url))


def require_current_on(connection: Connection) -> None:
    """:func:`require_current` on a connection already open (a read command's own): no second connection."""
    _require(*_revision_on(connection))


def _require(readable: bool, current: str | None) -> None:
    head = head_revision()
    if not readable or current == head:
        return
    if current is None:
        raise SchemaNotCurrent(f"the database holds no archive schema yet: {UPGRADE_HINT}")
    if current in {script.revision for script in _scripts().walk_revisions()}:
        raise SchemaNotCurrent(f"the database schema is at revision {current}, older than {head}: {UPGRADE_HINT}")
    raise SchemaNotCurrent(
        f"the database schema is at revision {current}, which this archive (at {head}) does not know: "
        "install the newer cable-archive that migrated it"
    )


# Where Alembic keeps the revision, looked up in the catalogue (readable by every role) so that a role
# whose search_path leaves it out, or that may not read it, is told apart from an empty database.
_VERSION_TABLE = text(
    """
    SELECT format('%I.%I', n.nspname, c.relname), has_table_privilege(c.oid, 'SELECT')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relname = 'alembic_version' AND c.relkind = 'r'
    ORDER BY array_position(current_schemas(false), n.nspname::text) NULLS LAST
    LIMIT 1
    """
)


def _read_revision(url: str) -> tuple[bool, str | None]:
    """(whether the role may read the revision, the revision or None)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return _revision_on(connection)
    finally:
        engine.dispose()


def _revision_on(connection: Connection) -> tuple[bool, str | None]:
    table = connection.execute(_VERSION_TABLE).first()
    if table is None:
        return True, None
    name, readable = table
    if not readable:
        return False, None
    return True, connection.execute(text(f"SELECT version_num FROM {name}")).scalar()


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS_DIR))
