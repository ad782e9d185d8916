"""The embedded server: starts as a user of its own (data folder 0700, log 0600) on 127.0.0.1, hands an older
server's objects to the owner role, survives stale pid files, and refuses a busy port with a clear message."""

from __future__ import annotations

import os
import pwd
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from archive.db import embedded
from archive.db.embedded import EmbeddedServer, EmbeddedServerError, server_account
from archive.db.session import libpq_url


@pytest.fixture
def server(own_server: EmbeddedServer) -> EmbeddedServer:
    """The tests' own embedded server (initialised once per session), stopped."""
    return own_server


def test_starts_listens_on_loopback_with_password_and_stops(server: EmbeddedServer) -> None:
    status = server.start()
    assert status.running and status.port == server.port

    with psycopg.connect(libpq_url(server.url())) as conn:
        listen, user = conn.execute("SELECT current_setting('listen_addresses'), current_user").fetchone()
        assert (listen, user) == ("127.0.0.1", "archive_owner")
        assert conn.execute("SELECT version()").fetchone()[0].startswith("PostgreSQL 18")
        extensions = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
        assert {"pg_trgm", "unaccent", "btree_gin"} <= extensions

    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(libpq_url(server.url(password="wrong")))
    assert oct(server.password_file.stat().st_mode & 0o777) == "0o600"

    assert server.start().pid == status.pid  # already running: nothing to do
    assert server.stop() is True
    assert server.status().running is False
    assert server.stop() is False


def test_stale_pid_file_does_not_block_a_start(server: EmbeddedServer) -> None:
    server.start()
    server.stop()
    # A pid that is alive but is not our postmaster (this test process), as after a reboot.
    (server.data_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{server.data_dir}\n")
    assert server.start().running


def test_busy_port_gives_a_clear_error(server: EmbeddedServer) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        elsewhere = EmbeddedServer(home=server.requested_home, port=port)
        with pytest.raises(EmbeddedServerError, match=f"port {port} on 127.0.0.1 is in use.*ARCHIVE_PORT"):
            elsewhere.start()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root needs the server to run as another user")
def test_runs_as_nobody_when_we_are_root(server: EmbeddedServer) -> None:
    status = server.start()
    owner = Path(f"/proc/{status.pid}").stat().st_uid
    assert owner != 0


def _server_uid() -> int:
    return server_account().pw_uid if os.geteuid() == 0 else os.geteuid()


def test_data_folder_and_log_are_private_to_the_server_user(server: EmbeddedServer) -> None:
    status = server.start()
    assert Path(f"/proc/{status.pid}").stat().st_uid == _server_uid()
    if os.geteuid() == 0:  # a user of its own, never root nor a shared account such as nobody
        assert pwd.getpwuid(_server_uid()).pw_name == "cable-archive"
    for path, mode in ((server.data_dir, 0o700), (server.log_file, 0o600)):
        assert (path.stat().st_uid, stat.S_IMODE(path.stat().st_mode)) == (_server_uid(), mode), path
    for secret in (server.password_file, server.owner_password_file):
        assert (secret.stat().st_uid, stat.S_IMODE(secret.stat().st_mode)) == (os.geteuid(), 0o600), secret
    with psycopg.connect(libpq_url(server.admin_url())) as conn:
        roles = conn.execute(
            "SELECT rolname, rolsuper, rolcreaterole FROM pg_roles WHERE rolname LIKE 'archive%' ORDER BY 1"
        ).fetchall()
        assert roles == [("archive", True, True), ("archive_owner", False, False)]
        assert conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'archive'").fetchone() == (
            "archive_owner",
        )
        granted = conn.execute("SELECT has_parameter_privilege('archive_owner', 'session_replication_role', 'SET')")
        assert granted.fetchone() == (True,)
        groups = conn.execute(
            "SELECT roleid::regrole::text FROM pg_auth_members WHERE member = 'archive_owner'::regrole"
        )
        assert groups.fetchall() == [("pg_signal_backend",)]  # not the server-file roles


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user")
def test_a_data_folder_left_to_nobody_is_taken_back_and_made_private(server: EmbeddedServer) -> None:
    server.start()
    server.stop()
    nobody = pwd.getpwnam("nobody")
    for folder, folders, files in os.walk(server.data_dir):
        for name in [*folders, *files]:
            os.lchown(Path(folder) / name, nobody.pw_uid, nobody.pw_gid)
    os.chown(server.data_dir, nobody.pw_uid, nobody.pw_gid)
    os.chown(server.log_file, nobody.pw_uid, nobody.pw_gid)
    server.log_file.chmod(0o644)  # as older versions left it
    status = server.start()
    assert Path(f"/proc/{status.pid}").stat().st_uid == _server_uid()
    assert {path.stat().st_uid for path in server.data_dir.rglob("*")} == {_server_uid()}
    assert stat.S_IMODE(server.log_file.stat().st_mode) == 0o600


def test_a_user_that_cannot_be_made_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root creates the server's user")
    monkeypatch.setattr(embedded, "SERVER_USER", "no:such:user")  # a name useradd refuses
    with pytest.raises(EmbeddedServerError, match=r"^cannot create the system user no:such:user .*useradd --system"):
        embedded.server_account()


def test_objects_the_superuser_built_are_handed_to_the_owner(server: EmbeddedServer) -> None:
    server.start()
    with psycopg.connect(libpq_url(server.admin_url("archive")), autocommit=True) as conn:  # as older versions did
        conn.execute("CREATE SCHEMA legacy")
        conn.execute("CREATE TABLE legacy.items (id serial PRIMARY KEY)")
        conn.execute("CREATE VIEW legacy.item_ids AS SELECT id FROM legacy.items")
        conn.execute("CREATE FUNCTION legacy.one() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    server.stop()
    server.start()
    with psycopg.connect(libpq_url(server.url())) as conn:
        owners = conn.execute(
            "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'legacy' UNION ALL "
            "SELECT relowner::regrole::text FROM pg_class WHERE relnamespace = 'legacy'::regnamespace UNION ALL "
            "SELECT proowner::regrole::text FROM pg_proc WHERE pronamespace = 'legacy'::regnamespace"
        ).fetchall()
        assert (
            set(owners) == {("archive_owner",)} and len(owners) == 6
        )  # schema, table, sequence, index, view, function
        conn.execute("INSERT INTO legacy.items DEFAULT VALUES")
        conn.execute("DROP SCHEMA legacy CASCADE")  # the owner may: it owns it now
        conn.commit()


def test_a_running_server_is_reached_on_its_own_port_whatever_is_asked(
    server: EmbeddedServer, free_port: Callable[[], int]
) -> None:
    server.start()
    asked_elsewhere = EmbeddedServer(home=server.requested_home, port=free_port())
    assert asked_elsewhere.port == server.port
    with psycopg.connect(libpq_url(asked_elsewhere.url())) as conn:
        assert conn.execute("SELECT current_setting('port')").fetchone()[0] == str(server.port)
