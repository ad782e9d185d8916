"""The bulk Cablegate dump ``cables.csv``, streamed one record at a time.

Eight double-quoted columns, no header row: row number, creation time ``M/D/YYYY H:MM``
(UTC, minutes exact), reference id, origin, classification, referenced ids separated by ``|``,
routing header, body. Fields hold newlines. The dump was written by MySQL
(``FIELDS ENCLOSED BY '"' ESCAPED BY '\\'``), so a quote inside a field is ``\\"`` and a
backslash ``\\\\``; copies re-saved by spreadsheet tools double the quote instead (``""``).
Both are read: ``""`` inside a field is a quote either way, and whether a backslash escapes
(MySQL) or stands for itself is decided from the file's first 64 KB.

Each record becomes one ``Document`` whose ``raw`` is the record's exact bytes (line end
included) and whose ``location`` is ``record N (line L)``. A broken record — wrong number
of fields, a quote left open, an unreadable date, invalid UTF-8 — becomes a ``Rejection``
with its bytes; reading resumes at the next line that starts a record.

Speed: the file is read in chunks, and a well-formed record is matched whole by one compiled
regular expression over the buffered bytes (C speed, no Python loop per line); only a record
that expression refuses — broken, or longer than the buffer — is read again line by line by
the original scanner, which decides every error message. Both readings give the same
records; the fast one is only a shortcut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from archive.cable import Document, PublisherMetadata, Rejection
from archive.sources.common import BOM, join_telegram, normalize_newlines

FORMAT = "csv"
COLUMNS = 8

_RECORD_START = re.compile(rb'"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(?::\d{2})?",')
_RECORD_START_ANYWHERE = re.compile(rb"^" + _RECORD_START.pattern, re.M)
_BACKSLASH_ESCAPED_QUOTE = re.compile(rb'\\"(?![,\r\n])')
_DOUBLED_QUOTE = re.compile(rb'[^,\n]""(?![,\r\n])')
_BACKSLASH_SPECIAL = re.compile(rb'[\\"]')
_QUOTE = re.compile(rb'"')
_UNQUOTED_END = re.compile(rb"[,\r\n]")
# MySQL's escape sequences; any other escaped byte stands for itself.
MYSQL_ESCAPES = {b"0": b"\x00", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a"}
_LINE_END = (b"\n", b"\r\n", b"\r", b"")
_DOUBLED_MIN_LINES = 20


def looks_like(head: bytes) -> bool:
    """True when ``head`` starts with a dump record (``"1","12/28/1966 18:48",…``)."""
    return _RECORD_START.match(head.removeprefix(BOM)) is not None


def contains_record(head: bytes) -> bool:
    """True when some line of ``head`` starts a dump record (the first one may be broken)."""
    return _RECORD_START_ANYWHERE.search(head) is not None


def backslash_escaped(head: bytes) -> bool:
    """True when the dump escapes quotes as ``\\"`` (MySQL, the original) rather than ``""``."""
    if _BACKSLASH_ESCAPED_QUOTE.search(head):
        return True
    return not _DOUBLED_QUOTE.search(head)


def lines_doubled(head: bytes) -> bool:
    """True when every line of ``head`` is followed by an empty line (a re-export that doubled
    each line end, so a field's text has a blank line after each of its lines)."""
    lines = normalize_newlines(head.decode("latin-1")).split("\n")[:-1]  # the last may be cut
    if len(lines) < _DOUBLED_MIN_LINES:
        return False
    return all(not line for line in lines[1::2]) and any(lines[0::2])


@dataclass
class _Record:
    """A record being read: its raw lines and the fields found so far."""

    number: int
    line: int
    raw: list[bytes] = field(default_factory=list)
    fields: list[bytes] = field(default_factory=list)
    parts: list[bytes] = field(default_factory=list)  # of the field being read
    in_quotes: bool = False
    expect_field: bool = True  # at the start of a field (after a comma or at record start)
    error: str | None = None

    @property
    def location(self) -> str:
        return f"record {self.number} (line {self.line})"


# A well-formed record, matched whole at C speed: eight fields, each quoted (escapes per
# quoting style) or bare, then the line end. Anything else is read line by line below.
_BARE_FIELD = rb'(?!")([^,\r\n]*)'
# MySQL: \x escapes, "" a quote. Its plain bytes, any but a quote or a backslash, are spelled as
# ranges ([\x00-!#-\[\]-\xff], not [^"\\]): re then tests each byte with one bitmap look-up instead
# of two comparisons, about twice as fast over a 7 KB field.
_QUOTED_FIELD = {
    True: rb'"([\x00-!#-\[\]-\xff]*+(?:(?:\\[\s\S]|"")[\x00-!#-\[\]-\xff]*+)*+)"',
    False: rb'"([^"]*+(?:""[^"]*+)*+)"',  # spreadsheet: only "" is special
}
_WHOLE_RECORD = {
    escaped: re.compile(b",".join([rb"(?:" + quoted + b"|" + _BARE_FIELD + b")"] * COLUMNS) + rb"(\r?\n|\r?\Z)")
    for escaped, quoted in _QUOTED_FIELD.items()
}
_INNER_RECORD_START = re.compile(rb"\n" + _RECORD_START.pattern)
_UNESCAPE = re.compile(rb'\\([\s\S])|""')
_CHUNK = 64 * 1024
# Keep this much of the file ahead of the reading position, so that most records are whole in it.
_AHEAD = 2 * 1024 * 1024


def read_records(name: str, pieces: Iterable[bytes], head: bytes = b"") -> Iterator[Document | Rejection]:
    """Documents (and rejections) for the records of a dump given as an iterable of byte pieces.

    The pieces are read in order and may be cut anywhere (lines, or fixed-size chunks);
    at most a few megabytes of them are held at a time. ``head`` is the first part of the
    file, used only to tell how quotes are escaped.
    """
    escaped = backslash_escaped(head)
    doubled = lines_doubled(head)
    whole_record = _WHOLE_RECORD[escaped]
    special = _BACKSLASH_SPECIAL if escaped else _QUOTE
    buffer = ChunkBuffer(iter(pieces))
    record: _Record | None = None
    count = 0
    line_number = 1
    while True:
        if record is None and count:
            # Between records (and past the first, whose BOM the line reader drops): try the fast path.
            buffer.fill(_AHEAD)
            match = whole_record.match(buffer.data, buffer.position)
            if match is not None and _complete(match, buffer, whole_record.groups):
                count += 1
                raw = match.group()
                yield _finish_fields(
                    name, f"record {count} (line {line_number})", raw, _fields(match, escaped), doubled
                )
                line_number += raw.count(b"\n")
                buffer.position = match.end()
                continue
        line = buffer.line()
        if line is None:
            break
        if record is not None and (record.in_quotes or record.error) and _RECORD_START.match(line):
            # The previous record never closed: a new one starts here.
            yield _rejection(name, record, record.error or "a quoted field is never closed")
            record = None
        if record is None:
            if not line.strip():
                line_number += 1
                continue  # blank lines between records hold nothing
            count += 1
            if count == 1:
                line = line.removeprefix(BOM)
            record = _Record(number=count, line=line_number)
        line_number += 1
        record.raw.append(line)
        if record.error is None and _scan_line(record, line, special):
            yield _finish(name, record, doubled)
            record = None
    if record is not None:
        if record.error is None and not record.in_quotes and not record.expect_field:
            yield _finish(name, record, doubled)
        else:
            message = record.error or "truncated: the file ends inside a quoted field"
            yield _rejection(name, record, message)


class ChunkBuffer:
    """The unread part of the file: ``data[position:]``, refilled from the pieces on demand."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces = pieces
        self.data = b""
        self.position = 0
        self.at_end = False

    def fill(self, ahead: int) -> None:
        """Hold at least ``ahead`` unread bytes, or all that is left.

        It reads twice that much, so the unread bytes it copies are paid for by as many new ones.
        """
        if self.at_end or len(self.data) - self.position >= ahead:
            return
        parts = [self.data[self.position :]]
        held = len(parts[0])
        while held < 2 * ahead:
            piece = next(self.pieces, None)
            if piece is None:
                self.at_end = True
                break
            parts.append(piece)
            held += len(piece)
        self.data, self.position = b"".join(parts), 0

    def line(self) -> bytes | None:
        """The next line, ``\n`` included (split at ``\n`` only); None at the end of the file."""
        while True:
            end = self.data.find(b"\n", self.position)
            if end >= 0:
                line = self.data[self.position : end + 1]
                self.position = end + 1
                return line
            if self.at_end:
                if self.position >= len(self.data):
                    return None
                line = self.data[self.position :]
                self.position = len(self.data)
                return line
            self.fill(len(self.data) - self.position + _CHUNK)


def _complete(match: re.Match[bytes], buffer: ChunkBuffer, groups: int) -> bool:
    """True when the fast match is the record the line reader would read, whole."""
    ending = match.group(groups)
    if not ending.endswith(b"\n") and not (buffer.at_end and match.end() == len(buffer.data)):
        return False  # it stops at the end of what is buffered, not of the file
    # A line inside a quoted field that starts like a record is where the line reader cuts.
    return _INNER_RECORD_START.search(buffer.data, match.start(), match.end() - len(ending)) is None


def _fields(match: re.Match[bytes], escaped: bool) -> list[bytes]:
    values = []
    for index in range(1, 2 * COLUMNS, 2):
        quoted = match.group(index)
        if quoted is None:
            bare = match.group(index + 1)
            values.append(b"" if bare in (b"NULL", b"\\N") else bare)
        # Single-byte tests (memchr): a quote inside a quoted field is always part of an escape.
        elif escaped and (b"\\" in quoted or b'"' in quoted):
            values.append(_UNESCAPE.sub(_unescape, quoted))
        elif b'"' in quoted:
            values.append(quoted.replace(b'""', b'"'))
        else:
            values.append(quoted)
    return values


def _unescape(match: re.Match[bytes]) -> bytes:
    escaped = match.group(1)
    if escaped is None:
        return b'"'  # a doubled quote
    return MYSQL_ESCAPES.get(escaped, escaped)


def _scan_line(record: _Record, line: bytes, special: re.Pattern[bytes]) -> bool:
    """Read ``line`` into ``record``; True when the record ends with this line."""
    position, length = 0, len(line)
    while position < length:
        if record.in_quotes:
            match = special.search(line, position)
            if match is None:
                record.parts.append(line[position:])
                return False
            record.parts.append(line[position : match.start()])
            after = match.end()
            if match.group() == b"\\" and after < length:
                escaped = line[after : after + 1]
                record.parts.append(MYSQL_ESCAPES.get(escaped, escaped))
                position = after + 1
            elif match.group() == b"\\":
                record.parts.append(b"\\")  # a backslash ending the file stands for itself
                position = after
            elif line[after : after + 1] == b'"':
                # A doubled quote is a quote in either escaping: MySQL never writes "" inside a field.
                record.parts.append(b'"')
                position = after + 1
            else:
                record.in_quotes = False
                record.fields.append(b"".join(record.parts))
                record.parts = []
                position = after
        elif record.expect_field:
            if line[position : position + 1] == b'"':
                record.in_quotes, record.expect_field = True, False
                position += 1
            else:  # an unquoted field (MySQL writes NULL so)
                end = _UNQUOTED_END.search(line, position)
                stop = end.start() if end else length
                value = line[position:stop]
                record.fields.append(b"" if value in (b"NULL", b"\\N") else value)
                record.expect_field = False
                position = stop
        elif line[position : position + 1] == b",":
            record.expect_field = True
            position += 1
        elif line[position:] in _LINE_END:
            return True
        else:
            record.error = f"unexpected text after a field: {line[position : position + 20]!r}"
            return False
    return False


def _finish(name: str, record: _Record, doubled: bool) -> Document | Rejection:
    return _finish_fields(name, record.location, b"".join(record.raw), record.fields, doubled)


def _finish_fields(name: str, location: str, raw: bytes, fields: list[bytes], doubled: bool) -> Document | Rejection:
    """The Document of a record read whole, or the Rejection saying what is wrong with it."""

    def rejection(message: str) -> Rejection:
        return Rejection(name=name, location=location, format=FORMAT, raw=raw, message=message)

    if len(fields) != COLUMNS:
        return rejection(f"expected {COLUMNS} fields, found {len(fields)}")
    try:
        values = [value.decode("utf-8") for value in fields]
    except UnicodeDecodeError as error:
        return rejection(f"not valid UTF-8 ({error.reason} at byte {error.start} of a field)")
    _, created, reference_id, origin, classification, references, header, body = values
    created_at = parse_dump_time(created)
    if created_at is None:
        return rejection(f"unreadable creation time {created!r} (expected M/D/YYYY H:MM)")
    metadata = PublisherMetadata(
        reference_id=reference_id.strip() or None,
        created=created_at,
        classification=classification.strip() or None,
        origin=origin.strip() or None,
        references=tuple(ref.strip() for ref in references.split("|") if ref.strip()),
    )
    if doubled:  # each line end was written twice
        header, body = (normalize_newlines(part).replace("\n\n", "\n") for part in (header, body))
    text = normalize_newlines(join_telegram(header, body))
    return Document(
        name=name,
        location=location,
        format=FORMAT,
        raw=raw,
        text=text,
        metadata=metadata,
    )


def _rejection(name: str, record: _Record, message: str) -> Rejection:
    return Rejection(name=name, location=record.location, format=FORMAT, raw=b"".join(record.raw), message=message)


# ``%m/%d/%Y %H:%M`` with optional ``:%S``, each field spelled as ``datetime.strptime`` reads it
# (a test compares the two): strptime took 7 µs a record, a tenth of reading it.
_DUMP_TIME = re.compile(
    r"(1[0-2]|0[1-9]|[1-9])/(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])/(\d\d\d\d)\s+(2[0-3]|[0-1]\d|\d):([0-5]\d|\d)"
    r"(?::(6[0-1]|[0-5]\d|\d))?"
)


def parse_dump_time(value: str) -> datetime | None:
    """``12/28/1966 18:48`` (month first, no zero padding) as a UTC datetime."""
    found = _DUMP_TIME.fullmatch(value.strip())
    if found is None:
        return None
    month, day, year, hour, minute, second = found.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC)
    except ValueError:  # a day the month does not have, a leap second
        return None
