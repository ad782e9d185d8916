"""The embedded server: starts as an unprivileged user on 127.0.0.1, survives stale pid files, and
refuses a busy port with a clear message."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from archive.db.embedded import EmbeddedServer, EmbeddedServerError
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
        assert (listen, user) == ("127.0.0.1", "archive")
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


def test_a_running_server_is_reached_on_its_own_port_whatever_is_asked(
    server: EmbeddedServer, free_port: Callable[[], int]
) -> None:
    server.start()
    asked_elsewhere = EmbeddedServer(home=server.requested_home, port=free_port())
    assert asked_elsewhere.port == server.port
    with psycopg.connect(libpq_url(asked_elsewhere.url())) as conn:
        assert conn.execute("SELECT current_setting('port')").fetchone()[0] == str(server.port)
