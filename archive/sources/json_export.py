"""Cablegate records exported as JSON: arrays, JSON lines and MongoDB exports, streamed record by record.

Four layouts are read alike: JSON lines (one object per line, as ``mongoexport`` writes, with
or without spaces around the colons), a JSON array (``[{…}, {…}]``, on one line or
pretty-printed), an object wrapping that array under one key (``{"cables": [{…}, …]}``), and
objects simply one after another. Each object is one record; its fields
are mapped by name (:mod:`archive.sources.export_records`). A record's ``raw`` is its exact bytes —
the whole line in JSON lines — and its ``location`` is ``record N (line L)``.

A record that is not valid JSON is repaired when the repair has one reading: ``\\'`` (a
MySQL escape some exports copy into JSON strings) is ``'``, and the MongoDB shell's
``ObjectId("…")``, ``ISODate("…")`` and ``NumberLong(…)`` are their quoted values; the record
then carries a warning saying so. Anything else is rejected alone, with the JSON error and
its line; the reading goes on with the next record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from archive.cable import Document, Rejection
from archive.sources.cables_csv import ChunkBuffer
from archive.sources.common import BOM
from archive.sources.export_records import ExportState, record_document

FORMAT = "json"

_START = re.compile(rb'\s*(?:\[\s*)?\{\s*"[^"\r\n]{1,80}"\s*:')
# What may stand between records: white space, the commas and brackets of an array.
_BETWEEN = re.compile(rb"[\s,\[\]]*")
# An object wrapping the array of records under one key ({"cables": [{…}, …]}), and what may
# stand between its records (its closing brace too).
_WRAPPER = re.compile(rb'\s*\{\s*"[^"\r\n]{1,80}"\s*:\s*\[(?=\s*\{)')
_BETWEEN_WRAPPED = re.compile(rb"[\s,\[\]}]*")
# Inside an object: a string (any escapes, valid or not) or a brace.
_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[{}]', re.S)
_LINE_REST = re.compile(rb"[ \t\r,\]]*(?:\n|\Z)")
_NEXT_RECORD = re.compile(rb"\n[ \t]*(?:\[[ \t]*)?\{")
_ESCAPE = re.compile(r"\\(.)", re.S)
# The MongoDB shell's values and their extended-JSON forms.
_SHELL_VALUE = re.compile(
    r'\b(?:(?P<oid>ObjectId)|ISODate|new Date)\(\s*(?P<string>"[^"\\]*")\s*\)|\bNumber(?:Long|Int)\(\s*"?(?P<number>-?\d+)"?\s*\)'
)
_CHUNK = 64 * 1024
_AHEAD = 2 * 1024 * 1024
# A record longer than this is refused rather than held in memory (the longest cable is ~1 MB).
_MAX_RECORD = 16 * 1024 * 1024


def looks_like(head: bytes) -> bool:
    """True when ``head`` starts with a JSON object (or an array of them) whose first key is a string."""
    return _START.match(head.removeprefix(BOM)) is not None


def read_records(name: str, pieces: Iterable[bytes]) -> Iterator[Document | Rejection]:
    """Documents (and rejections) for the records of a JSON export given as byte pieces (cut anywhere)."""
    buffer = ChunkBuffer(iter(pieces))
    buffer.fill(_AHEAD)
    if buffer.data.startswith(BOM):
        buffer.position = len(BOM)
    state = ExportState()
    line_number, between_records = 1, _BETWEEN
    wrapper = _WRAPPER.match(buffer.data, buffer.position)
    if wrapper is not None:  # {"cables": [{…}, …]}: the records are the wrapped array's
        line_number += wrapper.group().count(b"\n")
        buffer.position, between_records = wrapper.end(), _BETWEEN_WRAPPED
    lines = _one_object_per_line(buffer.data, buffer.position)
    count = 0
    while True:
        buffer.fill(_AHEAD)
        between = between_records.match(buffer.data, buffer.position)
        line_number += buffer.data.count(b"\n", buffer.position, between.end())
        buffer.position = between.end()
        if buffer.position >= len(buffer.data):
            return
        end = _line_end(buffer) if lines else _record_end(buffer)
        raw = buffer.data[buffer.position : end]
        buffer.position = end
        count += 1
        yield _record(name, f"record {count} (line {line_number})", raw, state)
        line_number += raw.count(b"\n")


def _one_object_per_line(data: bytes, start: int) -> bool:
    """True for JSON lines: the first object ends on its first line, and that line with it."""
    first = _BETWEEN.match(data, start).end()
    end = _object_end(data, first, len(data))
    return end is not None and b"\n" not in data[first:end] and _LINE_REST.match(data, end) is not None


def _line_end(buffer: ChunkBuffer) -> int:
    """Where the current line ends (its line end included)."""
    while True:
        end = buffer.data.find(b"\n", buffer.position)
        if end >= 0:
            return end + 1
        if buffer.at_end or len(buffer.data) - buffer.position > _MAX_RECORD:
            return len(buffer.data)
        buffer.fill(len(buffer.data) - buffer.position + _CHUNK)


def _record_end(buffer: ChunkBuffer) -> int:
    """Where the object at the current position ends; for a broken one, where the next record starts."""
    while True:
        data, start = buffer.data, buffer.position
        end = _object_end(data, start, len(data)) if data[start : start + 1] == b"{" else None
        if end is not None:
            return end
        if buffer.at_end or len(data) - start > _MAX_RECORD:
            following = _NEXT_RECORD.search(data, start + 1)
            return following.start() + 1 if following else len(data)
        buffer.fill(len(data) - start + _CHUNK)


def _object_end(data: bytes, start: int, stop: int) -> int | None:
    """The end of the JSON object starting at ``start``, or None when it does not close before ``stop``."""
    depth = 0
    for token in _TOKEN.finditer(data, start, stop):
        brace = token.group()
        if brace == b"{":
            depth += 1
        elif brace == b"}":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def _record(name: str, location: str, raw: bytes, state: ExportState) -> Document | Rejection:
    def rejection(message: str) -> Rejection:
        return Rejection(name=name, location=location, format=FORMAT, raw=raw, message=message)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return rejection(f"not valid UTF-8 ({error.reason} at byte {error.start} of the record)")
    text = text.strip().removeprefix("[").removesuffix("]").strip().removesuffix(",")
    notes: tuple[str, ...] = ()
    try:
        value = json.loads(text, strict=False)
    except json.JSONDecodeError as error:
        repaired = repair(text)
        if repaired is None:
            return rejection(
                f"invalid JSON, no unambiguous repair: {error.msg} (line {error.lineno} column {error.colno})"
            )
        value, notes = repaired
    if not isinstance(value, dict):
        return rejection(f"not a record: a JSON {type(value).__name__}, not an object")
    return record_document(name, location, raw, value, state, FORMAT, notes)


def repair(text: str) -> tuple[object, tuple[str, ...]] | None:
    """The value of an invalid JSON record read the one way it can be read, and what was repaired; else None."""
    notes: list[str] = []
    fixed = _ESCAPE.sub(lambda match: "'" if match[1] == "'" else match[0], text)
    if fixed != text:
        notes.append("invalid JSON repaired: \\' escapes read as '")
    shell = _SHELL_VALUE.sub(_extended_json, fixed)
    if shell != fixed:
        notes.append("MongoDB shell values (ObjectId, ISODate, NumberLong) read as their JSON values")
    if not notes:
        return None
    try:
        return json.loads(shell, strict=False), tuple(notes)
    except json.JSONDecodeError:
        return None


def _extended_json(match: re.Match[str]) -> str:
    if match["number"] is not None:
        return match["number"]
    return f'{{"{"$oid" if match["oid"] else "$date"}": {match["string"]}}}'
