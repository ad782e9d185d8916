"""The routing header's quick looks — a line's first character choosing the shapes ``classify``
tries, and the banner look — never turn away a line the patterns themselves would take: on
made-up lines and on every line of the corpus."""

from __future__ import annotations

import random
import re

import pytest

from archive.cable import Document, Rejection
from archive.parse.header import (
    _BANNER,
    _BANNER_WITHOUT_STATION,
    _PAGE_HEADER,
    _SHAPES,
    PARTIAL_EXTRACT,
    HeaderLine,
    Kind,
    _Lines,
    _may_be_banner,
    _split_header_lines,
    classify,
    split_header_lines,
)


def classified_by_every_shape(line: str) -> tuple[Kind, re.Match[str] | None]:
    """What ``classify`` says of ``line`` when it tries every shape in turn, without quick looks."""
    if not line.strip():
        return Kind.BLANK, None
    if line.lstrip().startswith(PARTIAL_EXTRACT):
        return Kind.PARTIAL, None
    for kind, shape, _ in _SHAPES:
        match = _PAGE_HEADER.search(line) if kind is Kind.PAGE else shape(line)
        if match:
            return kind, match
    return Kind.TEXT, None


def classify_misses(lines: list[str]) -> list[str]:
    """Lines that ``classify`` types otherwise than the shapes tried one by one."""
    missed = []
    for line in lines:
        typed = classify(line)
        kind, match = classified_by_every_shape(line)
        seen = typed.match and (typed.match.re, typed.match.span(), typed.match.groupdict())
        if (typed.kind, seen) != (kind, match and (match.re, match.span(), match.groupdict())):
            missed.append(line)
    return missed


def banner_misses(lines: list[str]) -> list[str]:
    """Banner lines that the quick look turns away."""
    return [
        line
        for line in lines
        if (_BANNER.match(line) or _BANNER_WITHOUT_STATION.match(line)) and not _may_be_banner(line)
    ]


# Pieces of header lines of every shape, banners, and characters that fold to ASCII letters
# ("ſ" is an s, "K" a k to a pattern ignoring case) or are digits ("٣").
_PIECES = [
    "VZCZCXRO9455", "vzczcxyz0009", "OO", "PP", "R", "O", "Z", "RUEHC", "RUEHBM", "DE", "#0001/01",
    "1120337", "ZNY", "ZNR", "SSSSS", "CCCCC", "ZZH", "210337Z", "241221Z", "APR", "DEC", "08", "2009",
    "FM", "TO", "INFO", "XMT", "AMEMBASSY", "LONDON", "RUEHGV/USMISSION", "IMMEDIATE", "4349", "BT", "NNNN",
    "LOG-00", "MFA-00", "/01", "W", "------------------", "A7E2F1", "PAGE", "02", "STATE", "015113",
    "182333Z", "1", "OF", "2000HANOI00686", "-", "CONFIDENTIAL", "C O N F I D E N T I A L", "S E C R E T",
    "SECRET", "UNCLAS", "unclassified", "Limited Official Use", "SECTION", "01", "000001", "Friday,",
    "04", "February", "2005,", "16:06", "MONDAY,", "(C)", '"', "\u017fECRET", "\u212aabul", "\u0663\u0663",
    "ACTION", "This", "record", "is", "the", "said", "  ", "\t", "\u00a0", "PAGE 02 STATE 015113 182333Z",
    "2000HANOI00686 - CONFIDENTIAL", "Friday, 04 February 2005, 16:06", PARTIAL_EXTRACT,
]  # fmt: skip


def made_up_lines() -> list[str]:
    """100,000 lines of up to six pieces, each after a blank or none."""
    rng = random.Random(14)
    return [
        "".join(rng.choice(("", " ", "  ")) + rng.choice(_PIECES) for _ in range(rng.randint(1, 6)))
        for _ in range(100_000)
    ]


def test_classify_types_a_line_as_trying_every_shape_would() -> None:
    lines = made_up_lines()
    kinds = {classified_by_every_shape(line)[0] for line in lines}
    assert kinds == set(Kind)
    assert classify_misses(lines) == []


def test_the_banner_look_turns_away_no_banner() -> None:
    lines = made_up_lines()
    assert sum(bool(_BANNER.match(line)) for line in lines) > 500
    assert banner_misses(lines) == []


def split_misses(texts: list[str]) -> list[str]:
    """Texts that the header scan splits otherwise when it splits only their first lines at first."""

    def seen(split: tuple[str, str, list[HeaderLine]]) -> tuple[object, ...]:
        header, body, lines = split
        return header, body, [(line.kind, line.text, line.match and line.match.groupdict()) for line in lines]

    return [text for text in texts if seen(split_header_lines(text)) != seen(_split_header_lines(text, _Lines(text)))]


def made_up_telegrams() -> list[str]:
    """Telegrams with up to 90 addressees, blank runs, page headers and office lists, and bodies."""
    rng = random.Random(15)
    top = ["VZCZCXRO9455", "OO RUEHC", "DE RUEHBM #0001/01 1120337", "ZNY SSSSS ZZH", "O 210337Z APR 08"]
    noise = ["", "", "CONFIDENTIAL", "PAGE 02 STATE 015113 182333Z", "INFO LOG-00 MFA-00", "BT", "1. (C) Text."]
    telegrams = []
    for _ in range(2_000):
        lines = rng.choice([[], ["Label", ""] * rng.randint(1, 30)]) + top[rng.randint(0, 4) :]
        lines += [rng.choice(noise) for _ in range(rng.randint(0, 3))] + [
            "FM AMEMBASSY LONDON",
            "TO RUEHC/SECSTATE WASHDC",
        ]
        for _ in range(rng.randint(0, 90)):
            lines.append(rng.choice(["RUEHFR/AMEMBASSY PARIS IMMEDIATE 1252", "INFO CDR USCENTCOM", *noise]))
        lines += ["BT", "", "S E C R E T SECTION 01 OF 02 LONDON 000001", ""] + ["text of the body"] * rng.randint(
            0, 80
        )
        telegrams.append("\n".join(lines))
    return telegrams


def test_the_header_scan_splits_more_lines_when_it_needs_them() -> None:
    telegrams = made_up_telegrams()
    assert sum(len(split_header_lines(text)[2]) > 40 for text in telegrams) > 300
    assert split_misses(telegrams) == []


@pytest.mark.corpus
def test_the_header_quick_looks_miss_nothing_in_the_corpus(corpus: tuple[Document | Rejection, ...]) -> None:
    lines = [line for item in corpus if isinstance(item, Document) for line in item.text.split("\n")]
    assert classify_misses(lines) == []
    assert banner_misses(lines) == []
    assert any(_BANNER.match(line) for line in lines)
    assert split_misses([item.text for item in corpus if isinstance(item, Document)]) == []
