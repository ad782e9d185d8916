"""archive report: the list, running reports in every format, parameters, charts and user reports."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.db.session import libpq_url

UNUSED = "postgresql://nobody@127.0.0.1:1/archive"  # refused before any connection is tried


def test_report_lists_the_reports(run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("report", "--format", "csv")
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [row["report"] for row in rows] == [
        "banner-exceeds-paragraphs",
        "cables-per-year",
        "caveat-usage",
        "declassification-due",
        "marking-exceeds-banner",
        "most-cited",
        "multi-form-cables",
        "tags-by-year",
        "top-origins",
        "unresolved-references",
        "who-writes-to-whom",
    ]
    by_name = {row["report"]: row for row in rows}
    assert by_name["top-origins"]["parameters"] == "[limit=20]"
    assert by_name["cables-per-year"]["chart"] == "timeline"
    assert by_name["top-origins"]["chart"] == "bars"


def test_report_markdown_with_parameters(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run(
        "report", "top-origins", "--param", "limit=2", "--format", "markdown", "--database-url", loaded_database
    )
    assert code == 0, output
    assert output.splitlines() == [
        "| origin | cables | top_secret | secret | confidential | limited_official_use | sensitive_but_unclassified"
        " | unclassified | noforn | first_cable | last_cable |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        "| Embassy Berlin | 4 | 0 | 0 | 4 | 0 | 0 | 0 | 1 | 2008-10-10 | 2010-01-29 |",
        "| Embassy Ankara | 2 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 2000-12-11 | 2005-06-08 |",
    ]


def test_report_json(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("report", "caveat-usage", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    assert [(row["caveat"], row["cables"]) for row in json.loads(output)] == [("SIPDIS", 9), ("NOFORN", 2)]


def test_report_chart_writes_a_png(loaded_database: str, tmp_path: Path) -> None:
    chart = tmp_path / "years.png"
    result = CliRunner().invoke(
        cli, ["report", "cables-per-year", "--chart", str(chart), "--format", "csv", "--database-url", loaded_database]
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert result.stdout.splitlines()[0].startswith("year,cables,top_secret")
    assert result.stderr == f"chart written to {chart}\n"


def test_report_without_chart_refuses_before_running(
    loaded_database: str, tmp_path: Path, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run(
        "report", "marking-exceeds-banner", "--chart", str(tmp_path / "x.png"), "--database-url", loaded_database
    )
    assert code == 1
    assert output == (
        "Error: report marking-exceeds-banner has no chart (its rows are a list, not a series or a ranking)\n"
    )
    assert not (tmp_path / "x.png").exists()


def test_report_chart_without_matplotlib_says_how_to_install_it(
    tmp_path: Path, run: Callable[..., tuple[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import matplotlib` finds when it is not installed
    code, output = run("report", "cables-per-year", "--chart", str(tmp_path / "years.png"), "--database-url", UNUSED)
    assert (code, output) == (
        1,
        "Error: charts need matplotlib, an optional extra: pip install 'cable-archive[charts]'\n",
    )
    assert not (tmp_path / "years.png").exists()


def test_report_parameter_carrying_sql_is_harmless(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run(
        "report",
        "who-writes-to-whom",
        "--param",
        "origin='; DROP TABLE cables; --",
        "--format",
        "json",
        "--database-url",
        loaded_database,
    )
    assert code == 0, output
    assert json.loads(output) == []
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        assert connection.execute("SELECT count(*) FROM cables").fetchone() == (10,)


def test_report_errors(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    assert run("report", "nope", "--database-url", loaded_database)[1].startswith("Error: no report named 'nope'")
    code, output = run("report", "top-origins", "--param", "limit", "--database-url", loaded_database)
    assert code == 2 and "'limit' is not NAME=VALUE" in output


def test_report_from_a_folder_of_your_own(
    loaded_database: str, tmp_path: Path, run: Callable[..., tuple[int, str]]
) -> None:
    (tmp_path / "noforn.sql").write_text(
        "-- NOFORN cables of a level.\n"
        "-- param level: text, default SECRET. The banner level.\n"
        "SELECT reference_id FROM reporting.cables WHERE is_noforn AND level = upper(:level)\n"
    )
    code, output = run(
        "report", "noforn", "--reports-dir", str(tmp_path), "--format", "csv", "--database-url", loaded_database
    )
    assert code == 0, output
    assert output == "reference_id\n09UNVIEVIENNA289\n"
    code, output = run(
        "report",
        "noforn",
        "--param",
        "level=confidential",
        "--reports-dir",
        str(tmp_path),
        "--format",
        "csv",
        "--database-url",
        loaded_database,
    )
    assert output == "reference_id\n08BERLIN1387\n"
