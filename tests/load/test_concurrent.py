"""Two loads at once into an empty archive, or one killed and run again: the same rows and current versions as one load."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from archive.db.session import libpq_url, temporary_database
from archive.load import indexes, load_paths

PAGES = "chillicoder-cablegate/cable/2009"
REISSUED = ("gabrielduque-wikileaks-mirror-jp", "avilaroman-Wikileaks-Mirror")  # two texts of 07LONDON4045
SEED = "000_cfe706be70c9082a.txt"

# What a load leaves, without surrogate ids or load-order version numbers.
SNAPSHOT = {
    "sources": "SELECT sha256, name, format, size FROM sources",
    "cables": "SELECT reference_id, subject, warnings, released FROM cables",
    "versions": "SELECT c.reference_id, v.text_sha256, v.released, v.is_current, v.header, v.body "
    "FROM cable_versions v JOIN cables c ON c.id = v.cable_id",
    "version_sources": "SELECT s.sha256, v.text_sha256 FROM cable_version_sources x JOIN sources s ON s.id = x.source_id "
    "JOIN cable_versions v ON (v.cable_id, v.version) = (x.cable_id, x.version)",
    "paragraphs": "SELECT c.reference_id, p.position, p.text FROM paragraphs p JOIN cables c ON c.id = p.cable_id",
    "recipients": "SELECT c.reference_id, r.position FROM recipients r JOIN cables c ON c.id = r.cable_id",
    "references": "SELECT c.reference_id, r.position, cited.reference_id FROM cable_references r "
    "JOIN cables c ON c.id = r.cable_id LEFT JOIN cables cited ON cited.id = r.cited_cable_id",
    "load_errors": "SELECT sha256, name, message FROM load_errors",
    "indexes": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'",
}

Rows = dict[str, list[tuple[object, ...]]]


def snapshot(url: str) -> Rows:
    with psycopg.connect(libpq_url(url)) as connection:
        return {name: sorted(connection.execute(query).fetchall(), key=repr) for name, query in SNAPSHOT.items()}


def differences(got: Rows, expected: Rows) -> dict[str, tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """For each table that differs: the rows only in ``got``, the rows only in ``expected``."""
    return {
        name: ([row for row in got[name] if row not in rows], [row for row in rows if row not in got[name]])
        for name, rows in expected.items()
        if got[name] != rows
    }


@pytest.fixture
def second_database(server_url: str, load_template: str) -> Iterator[str]:
    with temporary_database(server_url, f"archive_load_{os.getpid()}_{uuid.uuid4().hex[:8]}", load_template) as url:
        yield url


@pytest.fixture
def overlapping(corpus_dir: Path, examples_dir: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """Two lists of inputs sharing half their cables; each also holds a version of a cable the other has."""
    pages = sorted((corpus_dir / PAGES).rglob("*.html"))[:120]
    for mirror in REISSUED:
        shutil.copy(corpus_dir / mirror / "cable/2007/10/07LONDON4045.html", tmp_path / f"{mirror}.html")
    text = (examples_dir / SEED).read_bytes()
    (tmp_path / "whole.txt").write_bytes(text)
    (tmp_path / "truncated.txt").write_bytes(text[: len(text) // 2])
    first = [*pages[:80], tmp_path / f"{REISSUED[0]}.html", tmp_path / "whole.txt"]
    second = [*pages[40:], tmp_path / f"{REISSUED[1]}.html", tmp_path / "truncated.txt"]
    return [str(path) for path in first], [str(path) for path in second]


def test_two_concurrent_loads_give_what_one_load_gives(
    overlapping: tuple[list[str], list[str]], fresh_database: str, second_database: str
) -> None:
    archive = str(Path(sys.executable).parent / "archive")
    loads = [
        subprocess.Popen(
            [archive, "load", *paths, "--database-url", fresh_database, "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in overlapping
    ]
    results = [(load.wait(600), *load.communicate()) for load in loads]

    assert [(code, stderr) for code, _, stderr in results] == [(0, ""), (0, "")]
    one_load = load_paths(sorted({*overlapping[0], *overlapping[1]}), second_database, workers=1)
    assert not one_load.rejected
    concurrent = snapshot(fresh_database)
    assert differences(concurrent, snapshot(second_database)) == {}
    assert {str(index.name) for index in indexes.managed_indexes()} <= {row[0] for row in concurrent["indexes"]}


def test_a_load_killed_mid_way_then_run_again_gives_what_one_load_gives(
    overlapping: tuple[list[str], list[str]], fresh_database: str, second_database: str
) -> None:
    """kill -9 of the loader (and its parse workers) while it holds the index lock, then the same load again."""
    paths = sorted({*overlapping[0], *overlapping[1]})
    archive = str(Path(sys.executable).parent / "archive")
    command = [archive, "load", *paths, "--database-url", fresh_database]
    killed = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    with psycopg.connect(libpq_url(fresh_database), autocommit=True) as connection:
        deadline = time.monotonic() + 120
        while connection.execute("SELECT count(*) FROM cables").fetchone() == (0,) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(60)
        stored = connection.execute("SELECT count(*) FROM cables").fetchone()[0]
    assert 0 < stored < 120  # killed mid-way

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert (rerun.returncode, rerun.stderr) == (0, "")
    load_paths(paths, second_database, workers=1)
    assert differences(snapshot(fresh_database), snapshot(second_database)) == {}
