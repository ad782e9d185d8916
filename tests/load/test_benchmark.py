"""Small runs of benchmarks/load.py, reporting.py and misspelt.py, so the benchmarks keep working (their numbers
are not checked here), and the load benchmark's memory sampler finding the loader's process tree."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.benchmark

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def benchmark_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """benchmarks/NAME.py as a module, as `python benchmarks/NAME.py` would see it (its folder on sys.path)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_memory_sampler_finds_the_process_tree_and_only_it(monkeypatch: pytest.MonkeyPatch) -> None:
    load = benchmark_module("load", monkeypatch)
    shell = "sleep 30 & sleep 30 & wait"  # a child with two children of its own
    with subprocess.Popen(["sh", "-c", shell]) as process:
        try:
            for _ in range(50):
                tree = load._process_tree(process.pid)
                if len(tree) == 3:
                    break
                time.sleep(0.1)
            assert len(tree) == 3 and process.pid in tree
            assert os.getpid() not in tree
            assert load._memory(tree) > 0
        finally:
            process.kill()


def test_a_small_benchmark_run_prints_every_measure(tmp_path: Path, database: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    benchmark = benchmark_module("load", monkeypatch)
    # Sampled ten times as often: the parse workers of 2,000 cables live about a second, and a process
    # loses the CPU it used after its last sample (with one a second, their share could fall under 0.5 s).
    monkeypatch.setattr(benchmark, "MEMORY_SECONDS", 0.1)

    benchmark.main(["--n", "2000", "--work", str(tmp_path), "--orm-slice", "200"])

    printed = capsys.readouterr().out
    for measure in (
        "archive load, empty database, all indexes",
        "cables/s",
        "MB/s",
        "peak memory (process tree)",
        "memory sampler's own CPU",
        "CPU, loader and parse workers",
        "main process",
        "parse workers",
        "CPU, database server",
        "backends of the load's connections",
        "index builds' parallel workers",
        "floor: COPY texts + stored tsvector + GIN",
        "ours / floor",
        "database size on disk",
        "bytes per input byte",
        "  sources ",
        "  cables ",
        "unchanged re-load",
        "full-text top 20, rare word",
        "full-text top 20, common word 'government'",
        "full-text top 20, two words",
        "full-text top 20, three words",
        "full-text top 20, phrase",
        "'government' --origin berlin",
        "'government' --tag PREL",
        "'government' --from 2009-01-01",
        "'government' --classification C",
        "misspelt 'goverment'",
        "one cable with all its rows",
        "report cables-per-year",
        "report who-writes-to-whom",
        "ORM loader, 200 cables",
        "speed-up",
    ):
        assert measure in printed, printed
    assert "0 rejected" in printed
    assert "2,000 unchanged" in printed
    # The CPU is told per kind of process: the parse workers and the load's backends did the work.
    for kind in ("parse workers", "backends of the load's connections"):
        seconds = re.search(rf"^ +{kind} +([0-9.]+) s", printed, re.MULTILINE)
        assert seconds is not None and float(seconds[1]) > 0.5, printed
    # And the cores busy, the whole load and each of its phases: a load keeps at least one busy.
    busy = re.search(r"^ +cores busy +([0-9.]+) of (\d+)", printed, re.MULTILINE)
    assert busy is not None and 0.5 < float(busy[1]) <= int(busy[2]) + 0.1, printed
    phases = re.findall(
        r"^ +(parse and write|references|indexes|statistics|reporting) .* ([0-9.]+) cores busy$", printed, re.MULTILINE
    )
    assert [phase for phase, _ in phases] == ["parse and write", "references", "indexes", "statistics", "reporting"]


def test_a_small_reporting_benchmark_run_prints_every_query(tmp_path: Path, database: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reporting = benchmark_module("reporting", monkeypatch)

    reporting.main(["--n", "300", "--work", str(tmp_path)])

    printed = capsys.readouterr().out
    assert "0 rejected" in printed
    assert "_reader" in printed  # run as the read-only role
    for measure, _, _ in reporting.QUERIES:
        assert measure in printed, printed
    targets = [target for _, _, target in reporting.QUERIES if target]
    assert printed.count("target p95 <") == len(targets)
    assert printed.count("no target") == len(reporting.QUERIES) - len(targets)


def test_the_reporting_benchmark_measures_a_loaded_archive_and_keeps_its_reader(
    loaded_database: str,
    reader_home: Path,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    reporting = benchmark_module("reporting", monkeypatch)

    from archive.db.roles import reader_password_file

    try:
        reporting.main(["--queries-on", loaded_database])
        reporting.main(["--queries-on", loaded_database])  # the role's password kept where `archive sql` keeps it
    finally:
        reader_password_file(loaded_database, None).unlink(missing_ok=True)  # reader_home drops the role

    printed = capsys.readouterr().out
    assert "archive load" not in printed  # no load: the archive as it is
    assert printed.count(" rows; ") == 2 * len(reporting.QUERIES)
    assert printed.count("_reader") == 2


def test_the_misspelling_benchmark_calls_the_fallback_under_every_set_of_steps(
    loaded_database: str,
    capsys,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    misspelt = benchmark_module("misspelt", monkeypatch)

    misspelt.main(["--queries-on", loaded_database, "--words", "6", "--sample", "100"])  # exits 1 if rows differ

    printed = capsys.readouterr().out
    counted = re.search(r"^(\d+) misspellings of the 6 most frequent subject words", printed, re.MULTILINE)
    assert counted is not None and int(counted[1]) > 6, printed
    for steps in misspelt.DEFAULT_STEPS:
        assert f"steps {{{steps}}}: total" in printed, printed
    # One edit away, the first letter kept ("weapons" has no letter twice, so a swap changes it too).
    rng = misspelt.random.Random(3)
    edited = {edit: misspelt.misspelt("weapons", edit, rng) for edit in misspelt.EDITS}
    assert {edit: len(word) - len("weapons") for edit, word in edited.items()} == {
        "drop": -1,
        "swap": 0,
        "replace": 0,
        "add": 1,
    }
    assert all(word != "weapons" and word[0] == "w" for word in edited.values()), edited
