"""Inputs that made the parser's patterns backtrack for minutes now parse in well under a second:
runs of glued spaces (issue #13: 10 KB cost 18 s) and a megabyte-long line of dashes (54 s),
put into a real cable, 09STATE53069."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from archive.cable import Document
from archive.parse import parse

SPACES = " " * 10_000
DASHES = "-" * 1_000_000


def parse_seconds(text: str) -> float:
    started = time.process_time()
    parse(Document("09STATE53069", None, "text", text.encode(), text))
    return time.process_time() - started


@pytest.fixture(scope="module")
def seed(examples_dir: Path) -> str:
    return (examples_dir / "000_cfe706be70c9082a.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "where",
    [
        "GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE",  # glued to the subject (the subject's run-on split)
        "SIPDIS",  # after a caveat (the glued-keyword split)
        "E.O. 12958: DECL: 05/22/2019",  # inside the preamble
        "2. (C) SHAPE assesses",  # inside a paragraph
    ],
)
def test_a_run_of_ten_thousand_spaces_parses_in_well_under_a_second(seed: str, where: str) -> None:
    assert where in seed
    assert parse_seconds(seed.replace(where, where + SPACES + "x", 1)) < 0.5


@pytest.mark.parametrize(
    "tail",
    [
        "\n" + DASHES,  # the last line: closing noise, footer and signer patterns
        "\nSome text " + DASHES + " end",  # an inline heading that is not one
        "\nSome text.\n" + DASHES + " CLINTON",  # a signer after the dashes
        "\n" + "/" * 10_000 + "\n",  # a web-address-like token
    ],
)
def test_a_megabyte_line_of_dashes_parses_in_well_under_a_second(seed: str, tail: str) -> None:
    assert parse_seconds(seed.rstrip() + tail) < 1.0


def test_a_flattened_cable_with_ten_thousand_spaces_parses_in_well_under_a_second(seed: str) -> None:
    flattened = " ".join(seed.split("\n")).replace("SIPDIS", "SIPDIS" + SPACES + "TAGS" + SPACES, 1)
    assert parse_seconds(flattened) < 0.5
