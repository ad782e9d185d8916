"""`archive load` and `archive synth` through click's CliRunner (and once on a terminal): exit codes, output, rows."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive.cli import cli
from archive.db.input_bytes import unpack
from archive.db.models import Source
from archive.db.session import libpq_url, session_scope

SEEDS = ("000_cfe706be70c9082a.txt", "002_756b422504c41c6c.txt")


def test_load_the_seed_cables_then_again_unchanged(examples_dir: Path, fresh_database: str) -> None:
    paths = [str(examples_dir / seed) for seed in SEEDS]
    runner = CliRunner()

    first = runner.invoke(cli, ["load", *paths, "--database-url", fresh_database])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("loaded 2, unchanged 0, rejected 0 (2 new cables, 0 new versions)")

    again = runner.invoke(cli, ["load", *paths, "--database-url", fresh_database, "--format", "json"])
    assert again.exit_code == 0, again.output
    assert '"unchanged": 2' in again.stdout and '"loaded": 0' in again.stdout

    with psycopg.connect(libpq_url(fresh_database)) as conn:
        ids = conn.execute("SELECT reference_id FROM cables ORDER BY 1").fetchall()
    assert ids == [("09STATE53069",), ("09USOSCE86",)]


def test_a_bad_input_is_an_error_line_and_exit_code_1(examples_dir: Path, fresh_database: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["load", str(examples_dir / SEEDS[0]), str(empty), "--database-url", fresh_database, "--format", "csv"]
    )

    assert result.exit_code == 1
    assert result.stderr == f"error: {empty}: empty file\n"
    assert result.stdout.splitlines()[1].startswith(
        "2,1,0,1,0,1,"
    )  # documents, loaded, unchanged, new, versions, rejected


def test_synth_is_deterministic_and_loads_through_the_parser(tmp_path: Path, fresh_database: str) -> None:
    runner = CliRunner()
    first, second = tmp_path / "a" / "cables.csv", tmp_path / "b" / "cables.csv"
    for out in (first, second):
        result = runner.invoke(cli, ["synth", "40", "--out", str(out), "--seed", "5"])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("wrote 40 cables")
    assert first.read_bytes() == second.read_bytes()
    other = tmp_path / "c.csv"
    runner.invoke(cli, ["synth", "40", "--out", str(other), "--seed", "6"])
    assert other.read_bytes() != first.read_bytes()

    loaded = runner.invoke(cli, ["load", str(first), "--database-url", fresh_database])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("loaded 40, unchanged 0, rejected 0 (40 new cables")
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        cited = conn.execute("SELECT count(*) FROM cable_references WHERE cited_cable_id IS NOT NULL").fetchone()
        paragraphs = conn.execute("SELECT count(*) FROM paragraphs").fetchone()
    assert cited[0] > 0  # REF lines cite other generated cables, and they resolve
    assert paragraphs[0] >= 40


def test_synth_files_writes_one_telegram_per_cable(tmp_path: Path, fresh_database: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["synth", "5", "--out", str(tmp_path / "cables"), "--files"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "cables").iterdir())
    assert len(files) == 5 and all(path.suffix == ".txt" for path in files)

    loaded = runner.invoke(cli, ["load", str(tmp_path / "cables"), "--database-url", fresh_database])
    assert loaded.exit_code == 0, loaded.output
    assert "5 new cables" in loaded.stdout


def test_load_from_standard_input_keeps_the_exact_bytes(examples_dir: Path, fresh_database: str) -> None:
    raw = (examples_dir / SEEDS[1]).read_bytes()
    result = CliRunner().invoke(cli, ["load", "-", "--database-url", fresh_database], input=raw)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("loaded 1, unchanged 0, rejected 0")

    with psycopg.connect(libpq_url(fresh_database)) as conn:
        row = conn.execute(
            "SELECT c.reference_id, s.name, s.size, s.raw_encoding, s.raw FROM cables c JOIN sources s ON s.id = c.source_id"
        ).fetchone()
    assert row is not None and row[:4] == ("09USOSCE86", "-", len(raw), "zstd")
    stored = bytes(row[4])
    assert len(stored) < len(raw) and unpack(stored, "zstd") == raw
    with session_scope(fresh_database) as session:
        assert session.scalars(select(Source)).one().exact_bytes == raw  # as the Python API reads it
    shown = CliRunner().invoke(cli, ["show", "09usosce86", "--source", "--database-url", fresh_database])
    assert shown.exit_code == 0 and shown.stdout_bytes == raw  # as the CLI gives it back


def test_on_a_terminal_a_progress_bar_shows_the_rate_and_the_end_of_load_stages(
    examples_dir: Path, fresh_database: str
) -> None:
    """The console script on a pseudo-terminal, as a user at a shell sees it."""
    archive = Path(sys.executable).with_name("archive")
    try:
        controller, terminal = pty.openpty()
    except OSError as error:  # a machine without pseudo-terminals (no /dev/ptmx)
        pytest.skip(f"no pseudo-terminal: {error}")
    environment = dict(os.environ, TERM="xterm-256color", COLUMNS="160")
    process = subprocess.Popen(
        [str(archive), "load", str(examples_dir), "--database-url", fresh_database],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=environment,
    )
    os.close(terminal)
    screen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        screen += chunk
    os.close(controller)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))

    assert process.wait(timeout=60) == 0, text[-2000:]
    assert re.search(r"loading .*\d+ cables, \d+/s .*ETA", text)
    assert "finishing: reporting" in text  # the bar's last state, while the aggregates refresh
    assert "loaded" in text and "new_cables" in text  # then the summary table
