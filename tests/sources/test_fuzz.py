"""Fuzzing: real cables from examples/, mutated, never raise out of reading and parsing nor exceed the time budget.

Each example mutates one real file of every format (cablegate pages, telegram text, scans, PDFs,
the dump) with one to three of: a truncation, byte flips, a control or special character (after
a paragraph anchor, where lxml once failed), a long run of one character (spaces, dashes, line
ends: what made the old regular expressions backtrack). It goes through exactly what the loader
runs on an input — ``read_stream`` then ``staging.encode`` — and asserts that no exception reached
the safety net (a rejection that says "failed on this input" is a bug found) and that each input
took at most its time budget.

The default run is short and reproducible (fixed seed, ``FUZZ_EXAMPLES`` examples); a longer one:
``ARCHIVE_FUZZ_EXAMPLES=20000 pytest tests/sources/test_fuzz.py`` (see docs/robustness.md).
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from archive.cable import Document
from archive.load.staging import encode, sha256_of
from archive.parse import parse
from archive.sources import read_stream

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
SAMPLES = (
    "000_cfe706be70c9082a.txt",  # telegram text
    "002_756b422504c41c6c.txt",  # scan
    "cables/chillicoder-cablegate/cable/2009/03/09STATE28302.html",
    "cables/heuer-cablemap/data-subject/in/10STATE284.html",
    "cables/paul-mathieu-cablegate-cia-analysis/cablegate-converted/07KINGSTON382.txt",
    "cables/paul-mathieu-cablegate-cia-analysis/cablegate/00BANDARSERIBEGAWAN695.pdf",
    "cables/cables.csv",
)
FUZZ_EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "60"))
BUDGET = 1.0  # CPU seconds per input, for reading and again for parsing
SLACK = 0.5  # the timer's granularity and the work around it
SPECIAL = (
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "¶",
)
RUNS = (" ", "-", "\n", "\r\n", "=", "/", "X", "¶", "\t", ".")


def _truncate(raw: bytes, data: st.DataObject) -> bytes:
    return raw[: data.draw(st.integers(0, len(raw)), label="truncate at")]


def _flip(raw: bytes, data: st.DataObject) -> bytes:
    mutated = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        position = data.draw(st.integers(0, max(len(mutated) - 1, 0)), label="flip at")
        if mutated:
            mutated[position] ^= data.draw(st.integers(1, 255), label="mask")
    return bytes(mutated)


def _insert_special(raw: bytes, data: st.DataObject) -> bytes:
    character = data.draw(st.sampled_from(SPECIAL), label="character").encode()
    anchor = raw.find("¶</a>".encode())
    after_anchor = anchor + len("¶</a>".encode()) if anchor >= 0 else None
    position = data.draw(st.one_of(st.integers(0, len(raw)), st.just(after_anchor or 0)), label="insert at")
    return raw[:position] + character + raw[position:]


def _insert_run(raw: bytes, data: st.DataObject) -> bytes:
    run = data.draw(st.sampled_from(RUNS), label="run of").encode() * data.draw(
        st.integers(100, 20_000), label="length"
    )
    position = data.draw(st.integers(0, len(raw)), label="run at")
    return raw[:position] + run + raw[position:]


MUTATIONS = (_truncate, _flip, _insert_special, _insert_run)


def ingest(name: str, raw: bytes) -> list[tuple[str, float]]:
    """What the loader does with one input: read, then parse and encode each document; (message, CPU s) each."""
    results: list[tuple[str, float]] = []
    started = time.process_time()
    for item in read_stream(name, io.BytesIO(raw), None, BUDGET):
        read = time.process_time()
        encoded = encode(0, item, sha256_of(item.raw), parse, BUDGET)
        parsed = time.process_time()
        message = encoded.problem.message if encoded.problem else "loaded" if isinstance(item, Document) else ""
        results.append((message, max(read - started, parsed - read)))
        started = time.process_time()
    return results


@seed(13)
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_real_cables_are_loaded_or_rejected_within_the_budget(data: st.DataObject) -> None:
    sample = data.draw(st.sampled_from(SAMPLES), label="sample")
    raw = (EXAMPLES_DIR / sample).read_bytes()
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3), label="mutations"):
        raw = mutation(raw, data)

    results = ingest(sample, raw)

    bugs = [message for message, _ in results if "failed on this input" in message]
    assert not bugs, bugs
    slowest = max((seconds for _, seconds in results), default=0.0)
    assert slowest <= BUDGET + SLACK, f"{slowest:.2f} CPU seconds for one input"
