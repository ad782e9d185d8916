"""Input formats → ``Document``: one module per format, each yielding the telegram text
and any publisher metadata together with the exact input bytes.

``read_paths`` is the entry point: files, folders (recursively, in sorted order) and ``-``
for standard input, each input's format detected from its content (never from its name),
one ``Document`` per cable, and a ``Rejection`` — exact bytes plus a one-line message — for
every input that is not a cable. Reading never stops on a bad input: an exception a reader
raises on one input (a bug the input revealed) and an input that takes longer than its time
budget (:mod:`archive.budget`) are rejections of that input too.

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
- ``text``, ``webtext``: telegram text, web-page text (:mod:`archive.sources.text`);
- ``scan``: text converted from scanned releases, cut into pages and telegrams (continuation
  pages joined), reference sheets giving one ``scan-sheet`` document per stub, other agencies'
  cable forms rejected (:mod:`archive.sources.scans`);
- ``cfpf``: 1973–79 Central Foreign Policy File bodies named by their AAD message record number,
  the id taken from the file name (:mod:`archive.sources.cfpf`).
- ``pdf``: PDF exports (:mod:`archive.sources.pdf`);
- ``frus-tei``, ``frus-text``: FRUS volumes (TEI XML, text edition) or documents cut from them,
  one Document per telegram and a ``Skipped`` for every other document
  (:mod:`archive.sources.frus_tei`, :mod:`archive.sources.frus_text`).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from archive.budget import InputTimeout, default_input_timeout, failure_message, time_budget
from archive.cable import Document, InputError, Rejection, Skipped
from archive.sources import (
    cables_csv,
    cfpf,
    frus_tei,
    frus_text,
    html,
    json_export,
    pdf,
    reexports,
    scans,
    sql_dump,
    text,
)
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
    "cfpf",
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
# Formats whose one input holds many documents, each read whole: a FRUS volume, a scanned record.
_VOLUMES = {"frus-tei": frus_tei.read, "frus-text": frus_text.read, "scan": scans.read}
STDIN = "-"

# Why a link found in a folder leads nowhere (its stat fails with these).
_LINK_ERRORS = {
    errno.ELOOP: "a symbolic link loop",
    errno.ENOENT: "a dangling symbolic link: its target does not exist",
}
# Enough to detect any format and the dump's quoting; a CSV is streamed past it.
_HEAD_SIZE = 64 * 1024


class UnknownFormatError(ValueError):
    """An ``input_format`` that is not one of ``FORMATS``."""


SkipCallback = Callable[[str, str], None]  # (path, why it was not read)


def read_paths(
    paths: Iterable[str],
    input_format: str | None = None,
    *,
    input_timeout: float | None = None,
    on_skip: SkipCallback | None = None,
) -> Iterator[Document | Rejection | Skipped]:
    """Documents and rejections for every input under ``paths``, in a stable order.

    Folders are walked recursively in sorted order (``walk``). ``input_format`` (one of
    ``FORMATS``) reads every input as that format instead of detecting it. Reading one input
    (one record of a dump) may take ``input_timeout`` CPU seconds (None: the default budget,
    0: none). ``on_skip`` hears of each entry of a folder that is deliberately not read.
    """
    if input_format is not None and input_format not in FORMATS:
        raise UnknownFormatError(f"unknown input format {input_format!r}; choose from {', '.join(FORMATS)}")
    seconds = default_input_timeout() if input_timeout is None else input_timeout
    for path in paths:
        if path == STDIN:
            yield from read_stream(STDIN, sys.stdin.buffer, input_format, seconds)
            continue
        target = Path(path)
        if target.is_dir():
            for entry in walk(target, on_skip):
                if isinstance(entry, Rejection):
                    yield entry
                else:
                    yield from read_file(str(entry), input_format, seconds)
        else:
            yield from read_file(path, input_format, seconds)


def walk(folder: Path, on_skip: SkipCallback | None = None) -> list[Path | Rejection]:
    """The files under ``folder`` in sorted order, and a ``Rejection`` for each folder that cannot be read.

    Symbolic links are followed, each folder read once: a link back to a folder already read
    (a loop) is skipped. Skipped, each with a call to ``on_skip``: hidden entries (names starting
    with a dot, their contents unread), such links, dangling links and entries that are neither
    files nor folders (a pipe would block the load). An entry that cannot be read for another
    reason is a ``Rejection``, like a folder. Nothing is left out without a word.
    """
    skip = on_skip or _ignore
    found: list[Path | Rejection] = []
    seen = {_identity(folder.stat())}
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                listing = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            found.append(Rejection(str(current), None, None, b"", f"folder not read: {_os_message(error)}"))
            continue
        for entry in listing:
            path = Path(entry.path)
            if entry.name.startswith("."):
                skip(str(path), "hidden: the name starts with a dot")
                continue
            try:
                status = path.stat()
            except OSError as error:
                if error.errno in _LINK_ERRORS:
                    skip(str(path), _LINK_ERRORS[error.errno])
                else:
                    found.append(Rejection(str(path), None, None, b"", f"not read: {_os_message(error)}"))
                continue
            if stat.S_ISDIR(status.st_mode):
                if _identity(status) in seen:
                    skip(str(path), "a link to a folder already read (a loop or a second way in)")
                    continue
                seen.add(_identity(status))
                pending.append(path)
            elif stat.S_ISREG(status.st_mode):
                found.append(path)
            else:
                skip(str(path), "not a regular file (a pipe, socket or device)")
    return sorted(found, key=lambda item: item if isinstance(item, Path) else Path(item.name))


def read_file(
    name: str, input_format: str | None = None, input_timeout: float = 0
) -> Iterator[Document | Rejection | Skipped]:
    """Documents (and rejections) from one file; a missing or unreadable file is a rejection."""
    try:
        stream = open(name, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as error:
        yield Rejection(name=name, location=None, format=None, raw=b"", message=_os_message(error))
        return
    with stream:
        try:
            yield from read_stream(name, stream, input_format, input_timeout)
        except OSError as error:
            yield Rejection(name=name, location=None, format=None, raw=b"", message=_os_message(error))


def read_stream(
    name: str, stream: BinaryIO, input_format: str | None = None, input_timeout: float = 0
) -> Iterator[Document | Rejection | Skipped]:
    """Documents (and rejections) from an open binary stream; a dump or export is never read whole."""
    head = stream.read(_HEAD_SIZE)
    chosen = input_format or detect_format(head)
    if chosen in _STREAM_READERS:
        yield from _guarded(name, chosen, _STREAM_READERS[chosen](name, _chunks(head, stream), head), input_timeout)
        return
    if chosen in _VOLUMES:
        yield from _guarded(name, chosen, _VOLUMES[chosen](name, head + stream.read()), input_timeout)
        return
    yield read_document(name, head + stream.read(), chosen, input_timeout)


def read_document(
    name: str, raw: bytes, input_format: str | None = None, input_timeout: float = 0
) -> Document | Rejection:
    """One whole-file input (not a ``STREAMED`` format) as a ``Document``, or a ``Rejection`` saying why not.

    Any exception reading it, and reading it for longer than ``input_timeout`` CPU seconds
    (0: no limit), is a rejection too.
    """
    chosen = input_format or detect_format(raw[:_HEAD_SIZE])
    try:
        with time_budget(input_timeout):
            return _read_whole(name, raw, chosen)
    except InputError as error:
        location = f"line {error.line}" if error.line else None
        return Rejection(name=name, location=location, format=chosen, raw=raw, message=error.message)
    except (Exception, InputTimeout) as error:
        return Rejection(name=name, location=None, format=chosen, raw=raw, message=failure_message("reader", error))


def _read_whole(name: str, raw: bytes, chosen: str | None) -> Document:
    if not raw.strip():
        raise InputError("empty file" if not raw else "blank file: only white space")
    if chosen is None:
        raise InputError(_undetected_message(raw))
    if chosen == "html":
        return html.read(name, raw)
    if chosen == "pdf":
        return pdf.read(name, raw)
    if chosen == "scan":
        return scans.read_one(name, raw)
    if chosen == "cfpf":
        return cfpf.read(name, raw)
    if chosen in STREAMED or chosen in _VOLUMES:
        raise InputError(f"a {chosen} input holds many documents: read it with read_stream")
    return text.read(name, raw, chosen)


def _guarded(
    name: str, format_: str, items: Iterator[Document | Rejection | Skipped], input_timeout: float
) -> Iterator[Document | Rejection | Skipped]:
    """The documents of a dump or volume, each read within the budget; a reader failure rejects the rest."""
    count = 0
    while True:
        try:
            with time_budget(input_timeout):
                item = next(items, None)
        except (Exception, InputTimeout) as error:
            message = f"{failure_message('reader', error)}; the rest of the file is not read"
            yield Rejection(name=name, location=f"after document {count}", format=format_, raw=b"", message=message)
            return
        if item is None:
            return
        count += 1
        yield item


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
    return _text_format(decoded)


# Text formats recognised by their own marks, before the telegram-text shapes.
_MARKED_TEXTS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("frus-text", frus_text.looks_like),
    ("cfpf", cfpf.looks_like),
    ("scan", scans.looks_like),
)


def _text_format(decoded: str) -> str | None:
    """The format of a text input: one with its own marks (a FRUS text volume, a CFPF body, a scan),
    else a telegram-text shape (:func:`archive.sources.text.classify`)."""
    for name, looks_like in _MARKED_TEXTS:
        if looks_like(decoded):
            return name
    return text.classify(decoded)


def _undetected_message(raw: bytes) -> str:
    if looks_binary(raw[:8192]):
        return "binary data: not a cable page, dump, text or PDF"
    decode_text(raw)  # raises the "undecodable" error when it applies
    return UNRELATED_TEXT


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def _ignore(path: str, reason: str) -> None:
    """The default ``on_skip``: callers that report nothing (the loader and the CLI pass their own)."""


def _chunks(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """``head`` followed by the rest of ``stream`` in pieces of at most ``_HEAD_SIZE`` bytes."""
    yield head
    while piece := stream.read(_HEAD_SIZE):
        yield piece


def _os_message(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
