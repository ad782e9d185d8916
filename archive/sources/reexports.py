"""Plain-text re-serialisations of Cablegate records, streamed line by line.

- ``colseparator``: the ``cables.csv`` columns joined with ``  %colseparator%  ``, each record
  opened by ``lineseparatorN`` (its row number) at a line start; header and body keep their
  line ends. Fields are mapped like an export's (:mod:`archive.sources.export_records`). A record
  without the eight fields is rejected with the count it has.
- ``textlines``: one flattened telegram per line (line breaks lost, banner, ``TAGS:`` and
  ``SUBJECT:`` running together) and no metadata at all; each line is one record, and the
  id and date come from the text alone (a provisional id when it gives no year).
- ``metacsv``: a metadata-only CSV (``2010-02-26T16:42:00Z,Embassy Madrid,"OREP, PREL, SP"``):
  a time, an origin and tags, but no id and no telegram text. A row is not a cable — nothing of
  it could be shown, searched or checked — so each row is rejected with a message saying so
  (kept in ``load_errors`` with its bytes, as every rejection is).

Each record's ``raw`` is its exact bytes and its ``location`` ``record N (line L)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from archive.cable import Document, InputError, Rejection
from archive.parse.ids import BANNER_LEVEL
from archive.sources.cables_csv import ChunkBuffer
from archive.sources.common import BOM, decode_text, normalize_newlines
from archive.sources.export_records import DUMP_COLUMNS, ExportState, record_document

COLSEPARATOR = "colseparator"
TEXTLINES = "textlines"
METACSV = "metacsv"
METADATA_ONLY = "metadata only: a date, an origin and tags but no reference id or telegram text, so not a cable"

_RECORD_START = re.compile(rb"lineseparator\d+\s")
_METADATA_ROW = re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?Z?,[^,\r\n]*,")
_SEPARATOR = re.compile(r" {0,2}%colseparator% ?")
# A flattened telegram: a classification banner first, then TAGS or SUBJECT on the same line.
_FLAT_TELEGRAM = re.compile(
    rf"^\s*{BANNER_LEVEL}\b[^\n]{{0,3000}}?\b(?:TAGS|SUBJ(?:ECT)?)\b[^\n]{{200,}}$", re.IGNORECASE
)


def looks_like_colseparator(head: bytes) -> bool:
    """True when ``head`` starts with ``lineseparatorN`` and holds ``%colseparator%``."""
    return _RECORD_START.match(head.removeprefix(BOM)) is not None and b"%colseparator%" in head


def looks_like_textlines(head: bytes, whole: bool = False) -> bool:
    """True when most whole lines of ``head`` (at least one) are flattened telegrams.

    ``whole`` says ``head`` is the whole input, so its last line is whole too. A line that is
    no telegram among them is rejected alone when read.
    """
    text = normalize_newlines(head.removeprefix(BOM).decode("utf-8", errors="ignore"))
    lines = text.split("\n")
    lines = [line for line in (lines if whole else lines[:-1]) if line.strip()]
    telegrams = sum(1 for line in lines if _FLAT_TELEGRAM.match(line))
    return telegrams > 0 and 2 * telegrams > len(lines)


def looks_like_metacsv(head: bytes) -> bool:
    """True when the first line of ``head`` is a ``time,origin,tags`` row."""
    return _METADATA_ROW.match(head.removeprefix(BOM)) is not None


def read_metacsv(name: str, pieces: Iterable[bytes]) -> Iterator[Rejection]:
    """A rejection per row of a metadata-only CSV (see the module docstring for why)."""
    buffer = ChunkBuffer(iter(pieces))
    count, line_number = 0, 0
    while (line := buffer.line()) is not None:
        line_number += 1
        if line.strip():
            count += 1
            message = METADATA_ONLY if _METADATA_ROW.match(line.removeprefix(BOM)) else "not a metadata row"
            location = f"record {count} (line {line_number})"
            yield Rejection(name=name, location=location, format=METACSV, raw=line, message=message)


def read_colseparator(name: str, pieces: Iterable[bytes]) -> Iterator[Document | Rejection]:
    """Documents (and rejections) for the ``lineseparatorN`` records of a ``%colseparator%`` file."""
    buffer = ChunkBuffer(iter(pieces))
    state = ExportState()
    lines: list[bytes] = []
    count, start_line, line_number = 0, 1, 0
    while (line := buffer.line()) is not None:
        line_number += 1
        if line_number == 1:
            line = line.removeprefix(BOM)
        if _RECORD_START.match(line) and lines:
            count += 1
            yield _colseparator_record(name, f"record {count} (line {start_line})", b"".join(lines), state)
            lines = []
        if not lines:
            start_line = line_number
        lines.append(line)
    if lines:
        count += 1
        yield _colseparator_record(name, f"record {count} (line {start_line})", b"".join(lines), state)


def _colseparator_record(name: str, location: str, raw: bytes, state: ExportState) -> Document | Rejection:
    def rejection(message: str) -> Rejection:
        return Rejection(name=name, location=location, format=COLSEPARATOR, raw=raw, message=message)

    if not _RECORD_START.match(raw):
        return rejection("text before the first lineseparator record: not a record")
    try:
        text = decode_text(raw)
    except InputError as error:
        return rejection(error.message)
    values = _SEPARATOR.split(text)
    if len(values) != len(DUMP_COLUMNS):
        return rejection(f"expected {len(DUMP_COLUMNS)} %colseparator% fields, found {len(values)}")
    fields = dict(zip(DUMP_COLUMNS, values, strict=True))
    return record_document(name, location, raw, fields, state, COLSEPARATOR)


def read_textlines(name: str, pieces: Iterable[bytes]) -> Iterator[Document | Rejection]:
    """One Document per non-blank line: a flattened telegram with no metadata."""
    buffer = ChunkBuffer(iter(pieces))
    count, line_number = 0, 0
    while (line := buffer.line()) is not None:
        line_number += 1
        if not line.strip():
            continue
        count += 1
        location = f"record {count} (line {line_number})"
        try:
            text = decode_text(line).strip()
        except InputError as error:
            yield Rejection(name=name, location=location, format=TEXTLINES, raw=line, message=error.message)
            continue
        yield Document(name=name, location=location, format=TEXTLINES, raw=line, text=text)
