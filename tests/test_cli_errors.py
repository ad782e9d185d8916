"""Every failure the user can cause ends in one ``Error:`` line and exit code 1, never a traceback."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from archive.cli import cli
from archive.db import migrate
from archive.db.session import libpq_url, temporary_database

# Nothing listens on port 1: connecting fails at once.
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/archive"
# Commands that only read: they never migrate, and refuse a database whose schema is behind.
READ_COMMANDS = [
    ["show", "09STATE53069"],
    ["refs", "09STATE53069"],
    ["search", "nuclear"],
    ["report", "cables-per-year"],
    ["sql", "SELECT count(*) FROM reporting.cables"],
    ["db", "refresh"],
    ["db", "reader-url"],
]
WRITE_COMMANDS = [["load", "examples/000_cfe706be70c9082a.txt"], ["db", "upgrade"]]
DATABASE_COMMANDS = READ_COMMANDS + WRITE_COMMANDS
OLD_REVISION = "0003"


def one_line_error(result: Result) -> str:
    """The ``Error:`` line of a command that failed cleanly (a traceback leaves another exception)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture(scope="module")
def old_database(server_url: str) -> Iterator[str]:
    """A database the migrations brought only to an older revision (as a previous release left it)."""
    with temporary_database(server_url, f"archive_old_{os.getpid()}_{uuid.uuid4().hex[:8]}") as url:
        migrate.upgrade(url, OLD_REVISION)
        yield url


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_an_unreachable_database_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", UNREACHABLE])
    line = one_line_error(result)
    assert line.startswith('Error: database error: connection failed: connection to server at "127.0.0.1", port 1')
    assert line.endswith("(is the server running? `archive db start` starts the embedded one)")


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_wrong_password_is_one_line(command: list[str], server_url: str) -> None:
    server = make_url(server_url)
    if server.password is None:
        pytest.skip("the test server asks for no password")
    wrong = server.set(password="not-" + server.password).render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, [*command, "--database-url", wrong])
    line = one_line_error(result)
    assert f'password authentication failed for user "{server.username}"' in line
    assert line.endswith("(check the user and password of --database-url or ARCHIVE_DATABASE_URL)")


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_reading_an_old_schema_says_to_upgrade_and_changes_nothing(command: list[str], old_database: str) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", old_database])
    assert one_line_error(result) == (
        f"Error: the database schema is at revision {OLD_REVISION}, older than {migrate.head_revision()}: "
        "run `archive db upgrade`"
    )
    assert migrate.current_revision(old_database) == OLD_REVISION


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_reading_an_empty_database_says_to_upgrade(command: list[str], empty_database: str) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", empty_database])
    assert one_line_error(result) == "Error: the database holds no archive schema yet: run `archive db upgrade`"
    assert migrate.current_revision(empty_database) is None


@pytest.mark.parametrize("command", WRITE_COMMANDS, ids=" ".join)
def test_writing_commands_upgrade_an_old_schema(command: list[str], empty_database: str) -> None:
    migrate.upgrade(empty_database, OLD_REVISION)
    result = CliRunner().invoke(cli, [*command, "--database-url", empty_database])
    assert result.exit_code == 0, result.output
    assert migrate.is_current(empty_database)


@pytest.mark.parametrize("command", [["db", "upgrade"], ["show", "09STATE53069"]], ids=" ".join)
def test_a_schema_from_a_newer_release_is_one_line(command: list[str], empty_database: str) -> None:
    migrate.upgrade(empty_database)
    with psycopg.connect(libpq_url(empty_database), autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    line = one_line_error(CliRunner().invoke(cli, [*command, "--database-url", empty_database]))
    assert "9999" in line
    assert "newer cable-archive" in line


@pytest.mark.parametrize("command", [["show", "09STATE53069"], ["db", "url"], ["sql", "SELECT 1"]], ids=" ".join)
def test_a_malformed_database_url_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", "not a url"])
    assert one_line_error(result) == "Error: not a database URL (expected postgresql://user@host:port/name)"


@pytest.mark.parametrize("url", ["sqlite:///archive.db", "mysql://me@localhost/archive"])
def test_a_database_other_than_postgresql_is_one_line(url: str) -> None:
    result = CliRunner().invoke(cli, ["show", "09STATE53069", "--database-url", url])
    scheme = url.split(":")[0]
    assert one_line_error(result) == f"Error: not a PostgreSQL URL ({scheme}://): the archive needs postgresql://…"


def test_parse_with_an_unknown_input_format(examples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", str(examples_dir), "--input-format", "docx"])
    assert one_line_error(result) == (
        "Error: unknown input format 'docx'; choose from html, csv, json, sql, colseparator, textlines, metacsv, "
        "text, webtext, scan, pdf, frus-tei, frus-text, cfpf"
    )


def test_synth_into_a_place_that_cannot_hold_files(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["synth", "2", "--out", str(blocker / "cables.csv")])
    assert one_line_error(result).startswith(f"Error: {blocker}")


def test_show_takes_versions_or_source_not_both() -> None:
    result = CliRunner().invoke(cli, ["show", "09STATE53069", "--versions", "--source", "--database-url", UNREACHABLE])
    assert result.exit_code == 2 and "--versions and --source: choose one" in result.output, result.output
