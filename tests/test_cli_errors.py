"""Every failure the user can cause ends in one ``Error:`` line and exit code 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.cli import cli

# Nothing listens on port 1: connecting fails at once.
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/archive"
DATABASE_COMMANDS = [
    ["show", "09STATE53069"],
    ["refs", "09STATE53069"],
    ["search", "nuclear"],
    ["report", "cables-per-year"],
    ["load", "examples/000_cfe706be70c9082a.txt"],
    ["db", "upgrade"],
    ["db", "refresh"],
    ["db", "reader-url"],
]


def one_line_error(result: Result) -> str:
    """The ``Error:`` line of a command that failed cleanly (a traceback leaves another exception)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_an_unreachable_database_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", UNREACHABLE])
    assert one_line_error(result).startswith(
        'Error: database error: connection failed: connection to server at "127.0.0.1", port 1'
    )


@pytest.mark.parametrize("command", [["show", "09STATE53069"], ["db", "url"], ["sql", "SELECT 1"]], ids=" ".join)
def test_a_malformed_database_url_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--database-url", "not a url"])
    assert one_line_error(result) == "Error: not a database URL (expected postgresql://user@host:port/name)"


def test_parse_with_an_unknown_input_format(examples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", str(examples_dir), "--input-format", "docx"])
    assert one_line_error(result) == (
        "Error: unknown input format 'docx'; choose from html, csv, text, webtext, scan, pdf, frus-tei, frus-text"
    )


def test_synth_into_a_place_that_cannot_hold_files(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["synth", "2", "--out", str(blocker / "cables.csv")])
    assert one_line_error(result).startswith(f"Error: {blocker}")
