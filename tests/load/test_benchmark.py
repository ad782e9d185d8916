"""A small run of benchmarks/load.py, so the benchmark keeps working (its numbers are not checked here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def test_a_small_benchmark_run_prints_every_measure(tmp_path: Path, database: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("load_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, benchmark)  # dataclasses look their module up there
    spec.loader.exec_module(benchmark)

    benchmark.main(["--n", "2000", "--work", str(tmp_path), "--orm-slice", "200"])

    printed = capsys.readouterr().out
    for measure in (
        "archive load, empty database, all indexes",
        "cables/s",
        "MB/s",
        "peak memory (process tree)",
        "floor: COPY texts + stored tsvector + GIN",
        "ours / floor",
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
