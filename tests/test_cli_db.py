"""archive db start | stop | status | url | upgrade."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from archive.cli import cli
from archive.db.embedded import EmbeddedServer


@pytest.fixture
def own_server_env(own_server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for the tests' own embedded server, so stopping it disturbs no other test."""
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    return {"ARCHIVE_HOME": str(own_server.requested_home), "ARCHIVE_PORT": str(own_server.port)}


def test_start_status_url_stop(own_server_env: dict[str, str]) -> None:
    runner = CliRunner()
    started = runner.invoke(cli, ["db", "start"], env=own_server_env)
    assert started.exit_code == 0, started.output
    assert f"running on 127.0.0.1:{own_server_env['ARCHIVE_PORT']}" in started.output

    status = runner.invoke(cli, ["db", "status", "--format", "json"], env=own_server_env)
    assert status.exit_code == 0, status.output
    [row] = json.loads(status.output)
    assert row["running"] is True and row["port"] == int(own_server_env["ARCHIVE_PORT"])

    url = runner.invoke(cli, ["db", "url"], env=own_server_env)
    assert url.exit_code == 0, url.output
    assert url.output.startswith("postgresql://archive_owner:")  # the owner, not the superuser
    engine = create_engine(url.output.strip().replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_database()")).scalar() == "archive"
    engine.dispose()

    stopped = runner.invoke(cli, ["db", "stop"], env=own_server_env)
    assert (stopped.exit_code, stopped.output) == (0, "stopped\n")
    again = runner.invoke(cli, ["db", "stop"], env=own_server_env)
    assert (again.exit_code, again.output) == (0, "not running\n")


def test_url_names_the_configured_database_instead_of_the_embedded_one() -> None:
    result = CliRunner().invoke(cli, ["db", "url", "--database-url", "postgres://me:pw@db.example.org/cables"])
    assert (result.exit_code, result.output) == (0, "postgresql://me:pw@db.example.org/cables\n")


def test_upgrade_brings_an_empty_database_to_head(empty_database: str) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade", "--database-url", empty_database])
    assert result.exit_code == 0, result.output
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM classification_levels")).scalar() == 6
    engine.dispose()
