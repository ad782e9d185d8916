"""Input formats → ``Document``: one module per format, each yielding the telegram text
and any publisher metadata together with the exact input bytes.

``read_paths`` is the entry point: files, folders (recursively, in sorted order) and ``-``
for standard input, each input's format detected from its content (never from its name),
one ``Document`` per cable, and a ``Rejection`` — exact bytes plus a one-line message — for
every input that is not a cable. Reading never stops on a bad input.

Formats (``FORMATS``):

- ``html``: cablegate site pages (:mod:`archive.sources.html`);
- ``csv``: the bulk ``cables.csv`` dump, streamed record by record (:mod:`archive.sources.cables_csv`);
- ``json``: JSON exports of Cablegate records — arrays, JSON lines, MongoDB exports — streamed
  record by record (:mod:`archive.sources.json_export`);
- ``colseparator``, ``textlines``: other re-serialisations — ``%colseparator%``-joined
  cables.csv columns, one flattened telegram per line; ``metacsv``: metadata-only rows, each
  rejected as no cable (:mod:`archive.sources.reexports`);
- ``sql``: SQL dumps of a cables table (MySQL or PostgreSQL ``INSERT … VALUES``), streamed row
  by row (:mod:`archive.sources.sql_dump`);
- ``text``, ``webtext``, ``scan``: telegram text, web-page text, text converted from scans
  (:mod:`archive.sources.text`);
- ``pdf``: PDF exports (:mod:`archive.sources.pdf`);
- ``frus-tei``, ``frus-text``: FRUS volumes (TEI XML, text edition) or documents cut from them,
  one Document per telegram and a ``Skipped`` for every other document
  (:mod:`archive.sources.frus_tei`, :mod:`archive.sources.frus_text`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from archive.cable import Document, InputError, Rejection, Skipped
from archive.sources import cables_csv, frus_tei, frus_text, html, json_export, pdf, reexports, sql_dump, text
from archive.sources.common import UNRELATED_TEXT, decode_text, looks_binary

FORMATS: tuple[str, ...] = (
    "html",
    "csv",
    "json",
    "sql",
    "colseparator",
    "textlines",
    "metacsv",
    "text",
    "webtext",
    "scan",
    "pdf",
    "frus-tei",
    "frus-text",
)
# The formats holding many records, read as a stream (never whole): name, pieces, the file's head.
_STREAM_READERS: dict[str, Callable[[str, Iterator[bytes], bytes], Iterator[Document | Rejection]]] = {
    "csv": cables_csv.read_records,
    "json": lambda name, pieces, _head: json_export.read_records(name, pieces),
    "sql": sql_dump.read_records,
    "colseparator": lambda name, pieces, _head: reexports.read_colseparator(name, pieces),
    "textlines": lambda name, pieces, _head: reexports.read_textlines(name, pieces),
    "metacsv": lambda name, pieces, _head: reexports.read_metacsv(name, pieces),
}
STREAMED: tuple[str, ...] = tuple(_STREAM_READERS)
# Formats whose one input holds many documents, each read whole: a FRUS volume.
_VOLUMES = {"frus-tei": frus_tei.read, "frus-text": frus_text.read}
STDIN = "-"

# Enough to detect any format and the dump's quoting; a CSV is streamed past it.
_HEAD_SIZE = 64 * 1024


class UnknownFormatError(ValueError):
    """An ``input_format`` that is not one of ``FORMATS``."""


def read_paths(paths: Iterable[str], input_format: str | None = None) -> Iterator[Document | Rejection | Skipped]:
    """Documents and rejections for every input under ``paths``, in a stable order.

    Folders are walked recursively in sorted order, skipping hidden files and folders
    (names starting with a dot). ``input_format`` (one of ``FORMATS``) reads every input
    as that format instead of detecting it.
    """
    if input_format is not None and input_format not in FORMATS:
        raise UnknownFormatError(f"unknown input format {input_format!r}; choose from {', '.join(FORMATS)}")
    for path in paths:
        if path == STDIN:
            yield from read_stream(STDIN, sys.stdin.buffer, input_format)
            continue
        target = Path(path)
        if target.is_dir():
            for file in _walk(target):
                yield from read_file(str(file), input_format)
        else:
            yield from read_file(path, input_format)


def read_file(name: str, input_format: str | None = None) -> Iterator[Document | Rejection | Skipped]:
    """Documents (and rejections) from one file; a missing or unreadable file is a rejection."""
    try:
        stream = open(name, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as error:
        yield Rejection(name=name, location=None, format=None, raw=b"", message=_os_message(error))
        return
    with stream:
        try:
            yield from read_stream(name, stream, input_format)
        except OSError as error:
            yield Rejection(name=name, location=None, format=None, raw=b"", message=_os_message(error))


def read_stream(
    name: str, stream: BinaryIO, input_format: str | None = None
) -> Iterator[Document | Rejection | Skipped]:
    """Documents (and rejections) from an open binary stream; a dump or export is never read whole."""
    head = stream.read(_HEAD_SIZE)
    chosen = input_format or detect_format(head)
    if chosen in _STREAM_READERS:
        yield from _STREAM_READERS[chosen](name, _chunks(head, stream), head)
        return
    if chosen in _VOLUMES:
        yield from _VOLUMES[chosen](name, head + stream.read())
        return
    yield read_document(name, head + stream.read(), chosen)


def read_document(name: str, raw: bytes, input_format: str | None = None) -> Document | Rejection:
    """One whole-file input (any format but the ``STREAMED`` ones) as a ``Document``, or a ``Rejection`` saying why not."""
    chosen = input_format or detect_format(raw[:_HEAD_SIZE])
    try:
        if not raw.strip():
            raise InputError("empty file" if not raw else "blank file: only white space")
        if chosen is None:
            raise InputError(_undetected_message(raw))
        if chosen == "html":
            return html.read(name, raw)
        if chosen == "pdf":
            return pdf.read(name, raw)
        if chosen in STREAMED or chosen in _VOLUMES:
            raise InputError(f"a {chosen} input holds many documents: read it with read_stream")
        return text.read(name, raw, chosen)
    except InputError as error:
        location = f"line {error.line}" if error.line else None
        return Rejection(name=name, location=location, format=chosen, raw=raw, message=error.message)


def detect_format(head: bytes) -> str | None:
    """The format of an input from its first bytes; None for empty, binary or unrelated inputs.

    Content decides, not the file name: a dump renamed ``.txt`` is still a dump, and one
    whose first record is broken is recognised by the records that follow.
    """
    if pdf.looks_like(head):
        return "pdf"
    if json_export.looks_like(head):
        return "json"
    if sql_dump.looks_like(head):
        return "sql"
    if reexports.looks_like_colseparator(head):
        return "colseparator"
    if reexports.looks_like_metacsv(head):
        return "metacsv"
    if cables_csv.looks_like(head) or cables_csv.contains_record(head):
        return "csv"
    if html.looks_like(head):
        return "html"
    if frus_tei.looks_like(head):
        return "frus-tei"
    if not head.strip() or looks_binary(head[:8192]):
        return None
    if reexports.looks_like_textlines(head, whole=len(head) < _HEAD_SIZE):
        return "textlines"
    # The telegram lines that decide are ASCII; the head may end inside a UTF-8 sequence.
    decoded = head.decode("utf-8", errors="ignore")
    return "frus-text" if frus_text.looks_like(decoded) else text.classify(decoded)


def _undetected_message(raw: bytes) -> str:
    if looks_binary(raw[:8192]):
        return "binary data: not a cable page, dump, text or PDF"
    decode_text(raw)  # raises the "undecodable" error when it applies
    return UNRELATED_TEXT


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield path


def _chunks(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """``head`` followed by the rest of ``stream`` in pieces of at most ``_HEAD_SIZE`` bytes."""
    yield head
    while piece := stream.read(_HEAD_SIZE):
        yield piece


def _os_message(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
