"""SQL dumps of a cables table (``INSERT INTO … VALUES (…), (…);``), streamed one row at a time.

Both dialects' dumps are read: MySQL (``mysqldump``: backquoted names, extended inserts with
many rows per statement, strings with backslash escapes ``\\'`` ``\\n`` ``\\\\``) and PostgreSQL
(``pg_dump --inserts`` / ``--column-inserts``: standard strings where only ``''`` is special,
``E'…'`` strings with backslash escapes). Which one a file is, is decided from its first 64 KB
(backquotes, ``/*!…*/``, ``\\'``, ``ENGINE=`` or ``standard_conforming_strings = off`` mean
backslash escapes).

Each row becomes one record: with a column list, values are mapped by column name like a
JSON export's fields (:mod:`archive.sources.export_records`); without one, a row of eight values
is read in the ``cables.csv`` column order (row number, date, reference id, origin,
classification, referenced ids, header, body). A row's ``raw`` is its exact bytes ``(…)`` and
its ``location`` ``record N (line L)``. Other statements (``CREATE TABLE``, ``LOCK TABLES``,
``SET``) are skipped; a row that cannot be read is rejected alone, from its opening
parenthesis to where the next row or statement starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from archive.cable import Document, Rejection
from archive.sources.cables_csv import MYSQL_ESCAPES, ChunkBuffer
from archive.sources.common import BOM
from archive.sources.export_records import DUMP_COLUMNS, ExportState, record_document

FORMAT = "sql"

_SKIP = re.compile(rb"(?:\s+|--[^\n]*+\n?|#[^\n]*+\n?|/\*.*?\*/;?)*+", re.S)
_INSERT = re.compile(
    rb"(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+(?P<table>[`\"]?[\w$]+[`\"]?(?:\.[`\"]?[\w$]+[`\"]?)?)\s*"
    rb"(?:\((?P<columns>[^)]*)\)\s*)?VALUES\s*",
    re.I,
)
_COPY = re.compile(rb"COPY\s+(?P<table>[\w$.\"`]+)\s*(?:\((?P<columns>[^)]*)\)\s*)?FROM\s+stdin\s*;[^\n]*\n", re.I)
_COPY_ESCAPE = re.compile(rb"\\([\s\S])")
# PostgreSQL's COPY text format: these escapes, any other escaped byte stands for itself.
_COPY_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
_SQL_START = re.compile(
    rb"\A(?:\s+|--[^\n]*\n|#[^\n]*\n|/\*.*?\*/;?)*(?:INSERT|REPLACE|COPY|CREATE|DROP|SET|LOCK|BEGIN|START|USE|SELECT|ALTER)\b",
    re.S | re.I,
)
_ANY_INSERT = re.compile(rb"^\s*(?:(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s|COPY\s.*\sFROM\s+stdin\s*;)", re.M | re.I)
_BACKSLASH_DIALECT = re.compile(rb"`|/\*!|\\'|ENGINE\s*=|standard_conforming_strings\s*=\s*'?off", re.I)
_STRING = {
    True: rb"'((?:[^'\\]++|\\.|'')*+)'",  # MySQL: backslash escapes, '' a quote
    False: rb"'((?:[^']++|'')*+)'",  # PostgreSQL standard strings: only '' is special
}
_E_STRING = rb"[Ee]'((?:[^'\\]++|\\.|'')*+)'"
_BARE = rb"(NULL|TRUE|FALSE|[-+]?[\d.]+(?:[eE][-+]?\d+)?|[A-Za-z_]\w*\([^()']*\))"
_OTHER_STATEMENT = re.compile(rb"(?:[^;'\"`]++|'(?:[^'\\]++|\\.|'')*+'|\"[^\"]*+\"|`[^`]*+`)*+;?", re.S)
_RESYNC = re.compile(rb"\)\s*,\s*\(|\)\s*;|^\s*(?:INSERT|REPLACE)\s", re.M | re.I)
_UNESCAPE = re.compile(rb"\\([\s\S])|''")
_AHEAD = 2 * 1024 * 1024
_CHUNK = 64 * 1024
_MAX_ROW = 16 * 1024 * 1024


def looks_like(head: bytes) -> bool:
    """True when ``head`` starts with SQL statements and holds an ``INSERT INTO``."""
    head = head.removeprefix(BOM)
    return _SQL_START.match(head) is not None and _ANY_INSERT.search(head) is not None


@dataclass
class _Dialect:
    backslash: bool
    value: re.Pattern[bytes]

    @classmethod
    def of(cls, head: bytes) -> _Dialect:
        backslash = _BACKSLASH_DIALECT.search(head) is not None
        pattern = rb"\s*(?:" + _E_STRING + b"|" + _STRING[backslash] + b"|" + _BARE + rb")\s*([,)])"
        return cls(backslash, re.compile(pattern))


def read_records(name: str, pieces: Iterable[bytes], head: bytes = b"") -> Iterator[Document | Rejection]:
    """Documents (and rejections) for the rows of a SQL dump given as byte pieces (cut anywhere)."""
    dialect = _Dialect.of(head)
    reader = _Reader(name, ChunkBuffer(iter(pieces)), dialect)
    yield from reader.rows()


class _Reader:
    """Walks the statements of a dump, yielding one record per row of an INSERT."""

    def __init__(self, name: str, buffer: ChunkBuffer, dialect: _Dialect) -> None:
        self.name = name
        self.buffer = buffer
        self.dialect = dialect
        self.state = ExportState()
        self.count = 0
        self.line = 1

    def _advance(self, end: int) -> None:
        self.line += self.buffer.data.count(b"\n", self.buffer.position, end)
        self.buffer.position = end

    def _skip(self) -> None:
        self.buffer.fill(_AHEAD)
        self._advance(_SKIP.match(self.buffer.data, self.buffer.position).end())

    def rows(self) -> Iterator[Document | Rejection]:
        buffer = self.buffer
        buffer.fill(_AHEAD)
        if buffer.data.startswith(BOM):
            buffer.position = len(BOM)
        while True:
            self._skip()
            if buffer.position >= len(buffer.data):
                return
            insert = _INSERT.match(buffer.data, buffer.position)
            copy = None if insert else _COPY.match(buffer.data, buffer.position)
            if insert is not None:
                self._advance(insert.end())
                yield from self._values(_column_names(insert["columns"]))
            elif copy is not None:
                self._advance(copy.end())
                yield from self._copy_rows(_column_names(copy["columns"]))
            else:
                self._skip_statement()

    def _copy_rows(self, columns: tuple[str, ...] | None) -> Iterator[Document | Rejection]:
        """The rows of a ``COPY … FROM stdin`` block (pg_dump's default): tab-separated, up to ``\\.``."""
        while (line := self.buffer.line()) is not None:
            self.line += 1
            if line.rstrip(b"\r\n") == b"\\.":
                return
            self.count += 1
            location = f"record {self.count} (line {self.line - 1})"
            values = [
                None if value == b"\\N" else _COPY_ESCAPE.sub(_copy_unescape, value)
                for value in line.rstrip(b"\r\n").split(b"\t")
            ]
            yield self._record(location, line, columns, values)

    def _skip_statement(self) -> None:
        while True:
            data, start = self.buffer.data, self.buffer.position
            match = _OTHER_STATEMENT.match(data, start)
            if match.end() < len(data) or self.buffer.at_end or len(data) - start > _MAX_ROW:
                self._advance(max(match.end(), start + 1))
                return
            self.buffer.fill(len(data) - start + _CHUNK)

    def _values(self, columns: tuple[str, ...] | None) -> Iterator[Document | Rejection]:
        """The rows of one INSERT's VALUES list, up to its ``;``."""
        while True:
            self._skip()
            data, start = self.buffer.data, self.buffer.position
            if data[start : start + 1] != b"(":
                if data[start : start + 1] in (b",", b";"):
                    self._advance(start + 1)
                    if data[start : start + 1] == b";":
                        return
                    continue
                return  # the statement ended without ';' (a truncated dump): statements go on
            self.count += 1
            location = f"record {self.count} (line {self.line})"
            values, end = self._row()
            raw = self.buffer.data[self.buffer.position : end]
            self._advance(end)
            if values is None:
                message = (
                    "unreadable SQL row: a value is not a quoted string, number or NULL, or a quote is never closed"
                )
                yield Rejection(name=self.name, location=location, format=FORMAT, raw=raw, message=message)
            else:
                yield self._record(location, raw, columns, values)

    def _row(self) -> tuple[list[bytes | None] | None, int]:
        """The values of the row at the current position and where it ends; None values for a broken row."""
        while True:
            data, start = self.buffer.data, self.buffer.position
            values, end = _parse_row(data, start + 1, self.dialect)
            if values is not None:
                return values, end
            if self.buffer.at_end or len(data) - start > _MAX_ROW:
                following = _RESYNC.search(data, start + 1)
                return None, (following.start() + 1 if following else len(data))
            self.buffer.fill(len(data) - start + _CHUNK)

    def _record(
        self, location: str, raw: bytes, columns: tuple[str, ...] | None, values: list[bytes | None]
    ) -> Document | Rejection:
        if columns is None and len(values) != len(DUMP_COLUMNS):
            message = f"{len(values)} values and no column list: expected the {len(DUMP_COLUMNS)} cables.csv columns"
            return Rejection(name=self.name, location=location, format=FORMAT, raw=raw, message=message)
        if columns is not None and len(columns) != len(values):
            message = f"{len(values)} values for {len(columns)} columns"
            return Rejection(name=self.name, location=location, format=FORMAT, raw=raw, message=message)
        try:
            texts = [value.decode("utf-8") if value is not None else None for value in values]
        except UnicodeDecodeError as error:
            message = f"not valid UTF-8 ({error.reason} at byte {error.start} of a value)"
            return Rejection(name=self.name, location=location, format=FORMAT, raw=raw, message=message)
        fields = dict(zip(columns or DUMP_COLUMNS, texts, strict=True))
        return record_document(self.name, location, raw, fields, self.state, FORMAT)


def _parse_row(data: bytes, position: int, dialect: _Dialect) -> tuple[list[bytes | None] | None, int]:
    """The values of a row whose ``(`` is just before ``position``; None when they do not parse (yet)."""
    values: list[bytes | None] = []
    while True:
        match = dialect.value.match(data, position)
        if match is None:
            return None, position
        e_string, string, bare, end = match.groups()
        if e_string is not None:
            values.append(_unescape(e_string, backslash=True))
        elif string is not None:
            values.append(_unescape(string, dialect.backslash))
        else:
            values.append(None if bare.upper() == b"NULL" else bare)
        position = match.end()
        if end == b")":
            return values, position


def _unescape(value: bytes, backslash: bool) -> bytes:
    if not backslash:
        return value.replace(b"''", b"'")
    if b"\\" not in value and b"''" not in value:
        return value
    return _UNESCAPE.sub(lambda m: b"'" if m.group(1) is None else MYSQL_ESCAPES.get(m.group(1), m.group(1)), value)


def _copy_unescape(match: re.Match[bytes]) -> bytes:
    return _COPY_ESCAPES.get(match.group(1), match.group(1))


def _column_names(columns: bytes | None) -> tuple[str, ...] | None:
    if columns is None:
        return None
    return tuple(name.strip().strip(b'`"').decode("utf-8", errors="replace") for name in columns.split(b","))
