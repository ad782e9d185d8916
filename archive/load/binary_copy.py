"""PostgreSQL's binary COPY format, written by hand so that parse workers can encode rows.

Binary rather than text COPY: raw input bytes go to ``bytea`` as they are (text COPY would
hex-encode them, doubling the bytes the server must read and decode), and nothing needs
escaping. Each column type is one small function from a Python value to the field's bytes;
the staging tables declare exactly these types, as the binary format requires.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from operator import call
from typing import Any

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)

_POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_POSTGRES_EPOCH_DAY = date(2000, 1, 1).toordinal()
_TEXT_OID = 25
# A field is its length, then its bytes: one pack of both for the fixed-size types.
_pack_length = struct.Struct(">i").pack
_pack_int2 = struct.Struct(">ih").pack
_pack_int4 = struct.Struct(">ii").pack
_pack_int8 = struct.Struct(">iq").pack


def _sized(data: bytes) -> bytes:
    return _pack_length(len(data)) + data


def text_bytes(value: str) -> bytes:
    """UTF-8 for a text field; PostgreSQL text cannot hold NUL, so NUL becomes U+FFFD (the raw bytes keep it)."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    return value.encode("utf-8", "replace")


# Each encoder takes None too (NULL): a row is then one C-level map over its columns, and the text
# encoder, a cable's 120 fields out of 200, spelled out without a call to text_bytes.


def encode_text(value: str | None) -> bytes:
    if value is None:
        return NULL
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    data = value.encode("utf-8", "replace")
    return _pack_length(len(data)) + data


def encode_bytea(value: bytes | None) -> bytes:
    return NULL if value is None else _pack_length(len(value)) + value


def encode_int2(value: int | None) -> bytes:
    return NULL if value is None else _pack_int2(2, value)


def encode_int4(value: int | None) -> bytes:
    return NULL if value is None else _pack_int4(4, value)


def encode_int8(value: int | None) -> bytes:
    return NULL if value is None else _pack_int8(8, value)


_TRUE, _FALSE = b"\x00\x00\x00\x01\x01", b"\x00\x00\x00\x01\x00"


def encode_bool(value: bool | None) -> bytes:
    return NULL if value is None else _TRUE if value else _FALSE


def encode_timestamptz(value: datetime | None) -> bytes:
    """Microseconds since 2000-01-01 UTC; a naive datetime is taken as UTC."""
    if value is None:
        return NULL
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _POSTGRES_EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return _pack_int8(8, micros)


def encode_date(value: date | None) -> bytes:
    return NULL if value is None else _pack_int4(4, value.toordinal() - _POSTGRES_EPOCH_DAY)


_EMPTY_TEXT_ARRAY = _sized(struct.pack(">iii", 0, 0, _TEXT_OID))  # most paragraphs' caveats


def encode_text_array(values: Sequence[str] | None) -> bytes:
    """A one-dimensional text[] (the empty array has no dimensions)."""
    if values is None:
        return NULL
    if not values:
        return _EMPTY_TEXT_ARRAY
    parts = [struct.pack(">iiiii", 1, 0, _TEXT_OID, len(values), 1)]
    parts.extend(_sized(text_bytes(value)) for value in values)
    return _sized(b"".join(parts))


def encode_jsonb(value: Any) -> bytes:
    if value is None:
        return NULL
    return _sized(b"\x01" + json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"))


# By the type's name as SQLAlchemy compiles it for PostgreSQL (lower case): the staging tables' types.
ENCODERS: dict[str, Callable[[Any], bytes]] = {
    "text": encode_text,
    "bytea": encode_bytea,
    "smallint": encode_int2,
    "integer": encode_int4,
    "bigint": encode_int8,
    "boolean": encode_bool,
    "timestamp with time zone": encode_timestamptz,
    "date": encode_date,
    "text[]": encode_text_array,
    "jsonb": encode_jsonb,
}


class RowEncoder:
    """Encodes rows of one table whose columns have the given types (names of ``ENCODERS``)."""

    def __init__(self, types: Sequence[str]) -> None:
        self._encoders = [ENCODERS[type_] for type_ in types]
        self._count = struct.pack(">h", len(types))

    def encode(self, values: Sequence[Any]) -> bytes:
        if len(values) != len(self._encoders):  # map stops at the shorter: a short row would be a broken one
            raise ValueError(f"a row of {len(values)} values for {len(self._encoders)} columns")
        return self._count + b"".join(map(call, self._encoders, values))


def payload(rows: Sequence[bytes]) -> bytes:
    """A whole COPY stream from encoded rows, or runs of them (each an input's rows of one table)."""
    return b"".join((HEADER, *rows, TRAILER))
