"""The read-only role of an archive database: what it may read, the limits it starts with, and its URL.

Roles belong to the whole PostgreSQL server, not to one database, so the role is named after
the database (``archive`` → ``archive_reader``) and made here rather than by a migration.
It logs in, reads the ``reporting`` schema and the archive's content tables (the ones
``show``, ``search`` and ``refs`` read, and ``load_state`` for ``reporting.freshness``; not
``load_errors`` nor the raw input bytes in ``sources.raw``), and nothing else: no superuser, no role memberships (so none of
``pg_read_server_files``, ``pg_write_server_files``, ``pg_execute_server_program``), owns
nothing, may not create anything, not even TEMP tables. Why each limit holds, and which
ones PostgreSQL cannot enforce, is written down in docs/security.md.

The role is administered through the embedded server's superuser when the URL is the
embedded server's, else as the URL's own user (who needs CREATEROLE and to own the database).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors, sql
from sqlalchemy.engine import make_url

from archive.db.clearance import (
    EVERYTHING,
    WHOLE_TEXT_COLUMNS,
    Clearance,
    lock_policy_tables,
    policy_changes,
    set_clearance,
)
from archive.db.embedded import EmbeddedServer, write_secret
from archive.db.models import Base
from archive.db.reporting import SCHEMA
from archive.db.session import database_url, kept_if, libpq_url
from archive.query import QueryError, first_line

READER_SUFFIX = "_reader"
SETUP_LOCK = 0x43_41_42_4C_45_52_44  # "CABLERD": one reader set-up at a time
READER_CONNECTION_LIMIT = 20
IDENTIFIER_LIMIT = 63  # PostgreSQL truncates longer names
READER_NAME = re.compile(rf"[a-z_][a-z0-9_]{{0,{IDENTIFIER_LIMIT - 1}}}")
# What every reader session starts with. PostgreSQL lets a role SET these for itself, so on a
# direct connection they are defaults; `archive sql` and reports also set them per transaction.
READER_SETTINGS: dict[str, str | tuple[str, ...]] = {
    "statement_timeout": "60s",
    "idle_in_transaction_session_timeout": "5min",
    "work_mem": "32MB",
    "default_transaction_read_only": "on",
    # The reporting views first; then public, where pg_trgm's operators (used by reports) live.
    "search_path": (SCHEMA, "public"),
}
# Settings only a superuser may change: set on the role, they hold for every session of it.
READER_LOCKED_SETTINGS = {"temp_file_limit": "1GB"}
# Tables no read command needs, and columns of readable tables it does not need.
UNREADABLE_TABLES = frozenset({"load_errors"})
UNREADABLE_COLUMNS = {"sources": frozenset({"raw"})}
VERSION_TABLE = "alembic_version"
# The role's comment names the schema revision its grants were made for.
GRANTED_FOR_THIS_REVISION = f"""
SELECT shobj_description(r.oid, 'pg_authid') = (SELECT version_num FROM public.{VERSION_TABLE})
FROM pg_roles r WHERE r.rolname = current_user
"""
# Functions PUBLIC may call by default that would let a reader take the loader's and the
# migrations' advisory locks (and so stall every load), or raise its own limits in the middle
# of a statement. Revoked from PUBLIC and granted to the database owner (by a superuser).
OWNER_ONLY_FUNCTIONS = """
SELECT p.oid::regprocedure FROM pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace
  AND (p.proname LIKE 'pg\\_%advisory\\_%' OR p.proname = 'set_config')
"""


def is_reader(connection: psycopg.Connection[Any], role: str) -> bool:
    """Whether ``role`` is a reader the archive made: the database's own, or one with a clearance."""
    if role == reader_role_name(_database(connection)):
        return True
    return connection.execute("SELECT 1 FROM public.clearances WHERE role_name = %s", (role,)).fetchone() is not None


def reader_role_name(database: str) -> str:
    """The read-only role of ``database``: ``archive`` → ``archive_reader``."""
    return database[: IDENTIFIER_LIMIT - len(READER_SUFFIX)] + READER_SUFFIX


def _embedded(url: str, home: Path | None = None) -> EmbeddedServer | None:
    """The embedded server (of ``home``, else of $ARCHIVE_HOME) ``url`` points at, if it does."""
    server = EmbeddedServer(home)
    if not server.password_file.exists():
        return None
    one, other = make_url(url), make_url(server.url())
    return server if (one.host, one.port) == (other.host, other.port) else None


def admin_url(url: str) -> str:
    """Who administers roles for ``url``: the embedded server's superuser, else the URL's own user."""
    server = _embedded(url)
    return server.admin_url(make_url(url).database or "") if server else url


def _statements(
    connection: psycopg.Connection[Any], role: str, password: str | None, clearance: Clearance
) -> list[sql.Composable]:
    name = sql.Identifier(role)
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    attributes = sql.SQL(
        "{} ROLE {} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT {}"
    ).format(sql.SQL("ALTER" if exists else "CREATE"), name, sql.Literal(READER_CONNECTION_LIMIT))
    if password is not None:
        attributes += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    schema = sql.Identifier(SCHEMA)
    schema_owner = connection.execute(
        "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = %s", (SCHEMA,)
    ).fetchone()
    if schema_owner is None:
        raise QueryError(f"the database has no {SCHEMA} schema yet: run `archive db upgrade` (or `archive load`) first")
    return [
        attributes,
        *(
            sql.SQL("ALTER ROLE {} SET {} = {}").format(name, sql.Identifier(setting), setting_value(value))
            for setting, value in READER_SETTINGS.items()
        ),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(_database(connection)), name),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, name),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, name),
        *_unreadable_views(connection, name),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(
            sql.Identifier(schema_owner[0]), schema, name
        ),
        *_content_grants(connection, name, clearance),
        sql.SQL("COMMENT ON ROLE {} IS {}").format(name, sql.Literal(_revision(connection))),
    ]


def _revision(connection: psycopg.Connection[Any]) -> str:
    revision = connection.execute(sql.SQL("SELECT version_num FROM {}").format(sql.Identifier(VERSION_TABLE)))
    return revision.fetchone()[0]  # type: ignore[index]


def setting_value(value: str | tuple[str, ...]) -> sql.Composable:
    """A setting's value for SET: one literal, or a list of them (search_path)."""
    return sql.SQL(", ").join(map(sql.Literal, value)) if isinstance(value, tuple) else sql.Literal(value)


def _database(connection: psycopg.Connection[Any]) -> str:
    return connection.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]


def _unreadable_views(connection: psycopg.Connection[Any], name: sql.Identifier) -> list[sql.Composable]:
    """No SELECT on the reporting views over unreadable tables: they read with the reader's own rights."""
    views = connection.execute(
        "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = %s::regnamespace AND c.relname = ANY(%s)",
        (SCHEMA, sorted(UNREADABLE_TABLES)),
    ).fetchall()
    return [sql.SQL("REVOKE SELECT ON {} FROM {}").format(sql.SQL(view), name) for (view,) in views]


def _content_grants(
    connection: psycopg.Connection[Any], name: sql.Identifier, clearance: Clearance
) -> list[sql.Composable]:
    """SELECT on the content tables the read commands read, and on the schema version (for its check);
    a role cleared to less than everything not on the columns that hold the whole text."""
    present = {row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    columns = {table.name: [column.name for column in table.columns] for table in Base.metadata.sorted_tables}
    columns[VERSION_TABLE] = []  # Alembic's, not a model: the whole table
    hidden = dict(UNREADABLE_COLUMNS) if clearance.everything else UNREADABLE_COLUMNS | WHOLE_TEXT_COLUMNS
    grants: list[sql.Composable] = [sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name)]
    for table, names in columns.items():
        if table in UNREADABLE_TABLES or table not in present:
            continue
        if table in hidden:
            readable = sql.SQL(", ").join(sql.Identifier(c) for c in names if c not in hidden[table])
            grants.append(sql.SQL("REVOKE SELECT ON {} FROM {}").format(sql.Identifier(table), name))
            grants.append(sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(readable, sql.Identifier(table), name))
        else:
            grants.append(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), name))
    return grants


def ensure_reader_role(
    connection: psycopg.Connection[Any],
    role: str,
    password: str | None,
    whole_server: bool = False,
    clearance: Clearance = EVERYTHING,
) -> None:
    """Create or update ``role``: read-only, limited, and (with ``password``) logging in with it.

    ``password=None`` keeps the password of an existing role. Idempotent; run it again after
    adding views or tables (it grants on all of them). ``connection`` must be open on the
    archive's database as a user with CREATEROLE (or the role's admin) who owns the database,
    or as a superuser. A superuser also sets the limits only a superuser may set, and takes the
    advisory-lock functions, set_config and DO blocks from PUBLIC in this database (leaving
    them to its owner). ``whole_server`` says the server is ours alone (the embedded one):
    then every other database is closed to PUBLIC too. The role reads what ``clearance`` admits
    (:mod:`archive.db.clearance`); setting it up again with another clearance changes it.
    """
    try:
        with connection.transaction():
            # Two set-ups at once would update the same catalogue rows ("tuple concurrently updated").
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
            changes = policy_changes(connection, role, clearance)
            lock_policy_tables(connection, changes)
            for statement in _statements(connection, role, password, clearance):
                connection.execute(statement)
            set_clearance(connection, role, clearance, changes)
            _drop_memberships(connection, role)
            _close_database(connection, role)
            superuser = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
            if superuser and superuser[0]:
                for setting, value in READER_LOCKED_SETTINGS.items():
                    connection.execute(
                        sql.SQL("ALTER ROLE {} SET {} = {}").format(
                            sql.Identifier(role), sql.Identifier(setting), sql.Literal(value)
                        )
                    )
                _owner_only_functions(connection)
                if whole_server:
                    _close_other_databases(connection)
    except errors.InsufficientPrivilege as error:
        raise QueryError(
            f"cannot set up the read-only role {role}: {first_line(error)} "
            "(connect as a user with the CREATEROLE privilege who owns the database)"
        ) from error


def _drop_memberships(connection: psycopg.Connection[Any], role: str) -> None:
    """The reader is a member of no role: none of the server-file roles, nobody's privileges."""
    granted = connection.execute(
        "SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = %s::regrole", (role,)
    ).fetchall()
    for (group,) in granted:
        connection.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), sql.Identifier(role)))


def _close_database(connection: psycopg.Connection[Any], role: str) -> None:
    """Only the owner and the roles granted CONNECT may connect; nobody else may make TEMP tables."""
    database = sql.Identifier(_database(connection))
    owns = connection.execute(
        "SELECT pg_has_role(d.datdba, 'USAGE') FROM pg_database d WHERE d.datname = current_database()"
    ).fetchone()
    if owns and owns[0]:
        connection.execute(sql.SQL("REVOKE CONNECT, TEMPORARY, CREATE ON DATABASE {} FROM PUBLIC").format(database))
        # The owner keeps its privileges as owner; a loader connecting as the admin keeps TEMP (it stages there).
        connection.execute(sql.SQL("GRANT TEMPORARY ON DATABASE {} TO CURRENT_USER").format(database))
    connection.execute(
        sql.SQL("REVOKE TEMPORARY, CREATE ON DATABASE {} FROM {}").format(database, sql.Identifier(role))
    )
    # Before PostgreSQL 15 everyone may create tables in the public schema; not this role.
    can_create = connection.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", (role,)).fetchone()
    if can_create and can_create[0]:
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")


def _close_other_databases(connection: psycopg.Connection[Any]) -> None:
    """On a server that is ours alone (the embedded one): every other database closed to PUBLIC."""
    others = connection.execute(
        "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database()"
    ).fetchall()
    for (other,) in others:
        # A database dropped since it was listed (another process's) has nothing left to close.
        with contextlib.suppress(errors.InvalidCatalogName), connection.transaction():
            connection.execute(
                sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(sql.Identifier(other))
            )


def _owner_only_functions(connection: psycopg.Connection[Any]) -> None:
    """In this database, advisory locks, set_config and DO blocks for the owner (and us) only (needs a superuser)."""
    owners = sql.SQL(", ").join(
        [
            sql.Identifier(
                connection.execute(
                    "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()"
                ).fetchone()[0]
            ),  # type: ignore[index]
            sql.SQL("CURRENT_USER"),
        ]
    )
    for (function,) in connection.execute(OWNER_ONLY_FUNCTIONS).fetchall():
        connection.execute(sql.SQL("REVOKE EXECUTE ON FUNCTION {} FROM PUBLIC").format(sql.SQL(function)))
        connection.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(sql.SQL(function), owners))
    # A DO block could SET limits in the middle of a statement; functions are made by the owner only.
    connection.execute("REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC")
    connection.execute(sql.SQL("GRANT USAGE ON LANGUAGE plpgsql TO {}").format(owners))


def reader_password_file(url: str, home: Path | None = None, role: str | None = None) -> Path:
    """Where a reader's generated password is kept: beside the embedded server's own password.

    The embedded database's reader uses ``reader-password``; a reader on another server or
    database gets a file named after that server and database; a reader made by
    :func:`grant_reader` (``role``) gets the same name followed by its own.
    """
    server = EmbeddedServer(home)
    parsed = make_url(url)
    suffix = f"-{role}" if role else ""
    if server.password_file.exists() and _embedded(url, home) and parsed.database == make_url(server.url()).database:
        return server.home / f"reader-password{suffix}"
    digest = hashlib.sha256(f"{parsed.host}:{parsed.port}/{parsed.database}".encode()).hexdigest()[:12]
    return server.home / f"reader-password-{digest}{suffix}"


def grant_reader(name: str, clearance: Clearance, url: str | None = None, rotate: bool = False) -> str:
    """A libpq URL for the read-only role ``name`` cleared to ``clearance``, made or changed as needed.

    Like the database's reader (:func:`reader_url`) in every other respect: same limits, its
    password generated once and kept. Refuses the database's reader itself (cleared to
    everything) and any existing role that is not a reader made here.
    """
    if not READER_NAME.fullmatch(name):
        raise QueryError(f"a reader's name is lower-case letters, digits and _, at most {IDENTIFIER_LIMIT}: {name!r}")
    if name == reader_role_name(make_url(database_url(url)).database or ""):
        raise QueryError(f"{name} is the database's reader, cleared to everything; choose another name")
    return reader_url(url, rotate=rotate, role=name, clearance=clearance)


def reader_url(
    url: str | None = None,
    home: Path | None = None,
    rotate: bool = False,
    role: str | None = None,
    clearance: Clearance = EVERYTHING,
) -> str:
    """A libpq URL for the read-only role of the configured database (or ``url``), set up if needed.

    An existing role keeps its password (BI tools connected with it keep working) unless
    ``rotate``; its password is read from the file where it was kept when made. The schema
    must be at a version with the reporting schema (``archive db upgrade``). ``role`` and
    ``clearance``: another reader than the database's, cleared to less (:func:`grant_reader`).
    """
    chosen = database_url(url)
    parsed = make_url(chosen)
    path = reader_password_file(chosen, home, role)
    role = role or reader_role_name(parsed.database or "")
    with psycopg.connect(libpq_url(admin_url(chosen))) as connection:  # one transaction, committed at the end
        # Decided and written under the set-up lock, so two first runs at once agree on one password.
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None
        if exists and not (is_reader(connection, role) or path.exists()):
            raise QueryError(f"{role} is a role of its own, not a reader made by the archive; choose another name")
        if exists and not rotate and not path.exists():
            raise QueryError(
                f"the read-only role {role} exists, but its password is not kept in {path.parent}; "
                "use the URL you got when it was made, or pass --rotate to set a new password "
                "(tools using the old one must then be updated)"
            )
        password = write_secret(path) if rotate or not exists else None
        ensure_reader_role(connection, role, password, whole_server=_embedded(chosen) is not None, clearance=clearance)
    result = libpq_url(
        parsed.set(username=role, password=password or path.read_text().strip()).render_as_string(hide_password=False)
    )
    if password is None:
        _check_login(result, path)
    return result


def kept_reader_url(url: str, home: Path | None = None) -> str | None:
    """The reader's URL from its kept password, else None: when it does not log in, or the role was
    set up for another schema revision (a migration may have added tables or columns to grant)."""
    connection = kept_reader_connection(url, home)
    if connection is None:
        return None
    connection.close()
    return libpq_url(_kept_candidate(url, reader_password_file(url, home)))


def kept_reader_connection(url: str, home: Path | None = None) -> psycopg.Connection[Any] | None:
    """A connection as the reader, with its kept password, outside any transaction; None when
    :func:`kept_reader_url` would give None (so the caller need not connect a second time)."""
    path = reader_password_file(url, home)
    if not path.exists():
        return None
    try:
        connection = psycopg.connect(libpq_url(_kept_candidate(url, path)), connect_timeout=10)
    except psycopg.OperationalError as error:
        if "password authentication failed" in str(error):
            return None
        raise
    return kept_if(connection, GRANTED_FOR_THIS_REVISION)


def _kept_candidate(url: str, path: Path) -> str:
    parsed = make_url(url)
    role = reader_role_name(parsed.database or "")
    return parsed.set(username=role, password=path.read_text().strip()).render_as_string(hide_password=False)


def _check_login(url: str, path: Path) -> None:
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.OperationalError as error:
        if "password authentication failed" not in str(error):
            raise
        raise QueryError(
            f"the read-only role's password kept in {path} no longer works (it was changed elsewhere); "
            "pass --rotate to set a new one"
        ) from error
