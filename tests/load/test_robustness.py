"""No input can stall or abort a load: exceptions and slow inputs become rejections (docs/robustness.md)."""

from __future__ import annotations

import re
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from archive.budget import InputTimeout, held_handler, time_budget
from archive.cable import Cable, Document, PublisherMetadata
from archive.cli import cli
from archive.load import load_items, merge
from archive.load.loader import _Parsing, encode_batch
from archive.parse import parse
from archive.sources import read_paths

PAGE = "chillicoder-cablegate/cable/2009/09/09BERLIN1167.html"
ANCHOR = "¶</a>".encode()
# Characters lxml refuses to hold in a tree (the HTML parser lets them through).
XML_INCOMPATIBLE = ("\x01", "\x0b", "\ufffe", "\uffff")


def after_first_anchor(raw: bytes, insert: bytes) -> bytes:
    cut = raw.index(ANCHOR) + len(ANCHOR)
    return raw[:cut] + insert + raw[cut:]


def test_a_control_character_after_a_paragraph_anchor_loads(
    corpus_dir: Path, tmp_path: Path, fresh_database: str, sql: psycopg.Connection
) -> None:
    """The load that used to print a traceback and commit nothing: every page loads, none is lost."""
    raw = (corpus_dir / PAGE).read_bytes()
    for number, character in enumerate(XML_INCOMPATIBLE):
        (tmp_path / f"{number}.html").write_bytes(after_first_anchor(raw, character.encode()))

    result = CliRunner().invoke(cli, ["load", str(tmp_path), "--database-url", fresh_database])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("loaded 4, unchanged 0, rejected 0 (1 new cables, 3 new versions)")
    bodies = [row[0] for row in sql.execute("SELECT body FROM cable_versions ORDER BY version")]
    assert sorted(character for body in bodies for character in XML_INCOMPATIBLE if character in body) == sorted(
        XML_INCOMPATIBLE
    )


def exploding(document: Document) -> Cable:
    """The real parser, with a bug on the input named bug.txt."""
    if document.name == "bug.txt":
        raise ZeroDivisionError("division by zero")
    return parse(document)


def test_any_exception_of_the_parser_rejects_that_input_only(
    examples_dir: Path, fresh_database: str, sql: psycopg.Connection
) -> None:
    (seed,) = read_paths([str(examples_dir / "000_cfe706be70c9082a.txt")])
    assert isinstance(seed, Document)
    bug = Document("bug.txt", None, "text", seed.raw + b"\n", seed.text + "\n")

    summary = load_items([seed, bug], fresh_database, parser=exploding, workers=1)

    assert summary.loaded == 1
    assert [str(problem) for problem in summary.rejected] == [
        "bug.txt: parser failed on this input (a bug, the input is kept): ZeroDivisionError: division by zero"
    ]
    assert sql.execute("SELECT name, raw FROM load_errors").fetchall() == [("bug.txt", bug.raw)]


def spinning(document: Document) -> Cable:
    """A parser stuck in a loop of Python code."""
    while True:
        pass


def backtracking(document: Document) -> Cable:
    """A parser stuck in a regular expression that backtracks exponentially on its input."""
    re.match(r"(\s*)*x", document.text)
    raise AssertionError("the match must not end")


def stuck(name: str) -> Document:
    return Document(name, None, "text", name.encode(), " " * 64)


@pytest.mark.parametrize("parser", [spinning, backtracking])
def test_the_time_budget_holds_in_the_parse_worker_processes(parser) -> None:  # type: ignore[no-untyped-def]
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        started = time.monotonic()
        (encoded,) = pool.submit(encode_batch, _Parsing(parser, 0.2), [(0, stuck("stuck.txt"), b"")]).result(60)
    assert time.monotonic() - started < 30
    assert encoded.problem is not None
    assert encoded.problem.message == "parser: took longer than the time budget of 0.2 s per input (--input-timeout)"


def test_the_time_budget_holds_with_one_worker(fresh_database: str, sql: psycopg.Connection) -> None:
    summary = load_items([stuck("stuck.txt")], fresh_database, parser=backtracking, workers=1, input_timeout=0.2)

    assert [problem.message for problem in summary.rejected] == [
        "parser: took longer than the time budget of 0.2 s per input (--input-timeout)"
    ]
    assert sql.execute("SELECT name, message FROM load_errors").fetchall() == [
        ("stuck.txt", "parser: took longer than the time budget of 0.2 s per input (--input-timeout)")
    ]


def test_the_time_budget_holds_while_reading(corpus_dir: Path) -> None:
    """The slowest real input (a PDF taking 0.85 CPU seconds to read) over a budget of 0.05 s."""
    pdf = corpus_dir / "paul-mathieu-cablegate-cia-analysis/cablegate/00HANOI686.pdf"

    (rejection,) = read_paths([str(pdf)], input_timeout=0.05)

    assert not isinstance(rejection, Document)
    assert rejection.message == "reader: took longer than the time budget of 0.05 s per input (--input-timeout)"
    assert rejection.raw == pdf.read_bytes()
    (document,) = read_paths([str(pdf)], input_timeout=5)
    assert isinstance(document, Document)


def test_a_budget_that_is_not_exceeded_leaves_no_timer_behind() -> None:
    with time_budget(0.05):
        pass
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:  # would raise InputTimeout if the timer still ran
        pass


def test_a_handler_held_over_many_budgets_stays_for_each_and_is_put_back_after_them() -> None:
    before = signal.getsignal(signal.SIGPROF)
    with time_budget(5):
        alone = signal.getsignal(signal.SIGPROF)
    assert alone != before
    assert signal.getsignal(signal.SIGPROF) == before
    with held_handler():
        for _ in range(3):
            with time_budget(5):
                assert signal.getsignal(signal.SIGPROF) == alone
            assert signal.getsignal(signal.SIGPROF) == alone  # no switch between inputs
        with pytest.raises(InputTimeout), time_budget(0.05):
            while True:
                pass
    assert signal.getsignal(signal.SIGPROF) == before


def test_the_budget_reaches_the_load_command(corpus_dir: Path, fresh_database: str) -> None:
    pdf = corpus_dir / "paul-mathieu-cablegate-cia-analysis/cablegate/00HANOI686.pdf"
    runner = CliRunner(env={"ARCHIVE_INPUT_TIMEOUT": "0.05"})

    result = runner.invoke(cli, ["load", str(pdf), "--database-url", fresh_database])

    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {pdf}: reader: took longer than the time budget of 0.05 s per input (--input-timeout)\n"
    )
    assert (
        runner.invoke(cli, ["load", str(pdf), "--input-timeout", "0", "--database-url", fresh_database]).exit_code == 0
    )


def released_copy(document: Document, text: str, day: int) -> Document:
    metadata = PublisherMetadata(released=datetime(2010, 11, day, tzinfo=UTC))
    return Document(document.name, None, document.format, text.encode(), text, metadata)


@pytest.mark.parametrize(("truncated_first", "truncated_day"), [(False, 28), (True, 28), (False, 30)])
def test_a_truncated_copy_never_becomes_current_and_is_flagged(
    examples_dir: Path, fresh_database: str, sql: psycopg.Connection, truncated_first: bool, truncated_day: int
) -> None:
    (seed,) = read_paths([str(examples_dir / "000_cfe706be70c9082a.txt")])
    assert isinstance(seed, Document)
    whole = released_copy(seed, seed.text, 28)
    truncated = released_copy(seed, seed.text[: len(seed.text) // 2], truncated_day)
    loads = [[truncated], [whole]] if truncated_first else [[whole], [truncated]]

    for items in loads:
        load_items(items, fresh_database, workers=1)

    current = sql.execute("SELECT version, length(body) FROM cable_versions WHERE is_current").fetchall()
    assert current == [(2 if truncated_first else 1, len(parse(seed).body))]
    (warnings,) = sql.execute("SELECT warnings FROM cables").fetchone()
    assert [warning for warning in warnings if "truncated" in warning] == [merge.TRUNCATED_NOTE]
