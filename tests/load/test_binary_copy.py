"""The binary COPY encoders, field by field against PostgreSQL's format written out by hand."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime

import pytest

from archive.load.binary_copy import NULL, RowEncoder

TYPES = [
    "text",
    "bytea",
    "smallint",
    "integer",
    "bigint",
    "boolean",
    "timestamp with time zone",
    "date",
    "text[]",
    "jsonb",
]


def field(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def test_a_row_is_its_field_count_then_each_field_sized() -> None:
    values = [
        "a\x00é",
        b"\x00\xff",
        -2,
        70_000,
        5_000_000_000,
        True,
        datetime(2000, 1, 2, tzinfo=UTC),
        date(1999, 12, 31),
        ["x"],
        {},
    ]

    encoded = RowEncoder(TYPES).encode(values)

    one_text_array = struct.pack(">iiiii", 1, 0, 25, 1, 1) + field(b"x")
    assert encoded == struct.pack(">h", 10) + b"".join(
        [
            field("a\ufffdé".encode()),  # NUL cannot be stored in text
            field(b"\x00\xff"),
            field(struct.pack(">h", -2)),
            field(struct.pack(">i", 70_000)),
            field(struct.pack(">q", 5_000_000_000)),
            field(b"\x01"),
            field(struct.pack(">q", 86_400_000_000)),
            field(struct.pack(">i", -1)),
            field(one_text_array),
            field(b"\x01{}"),
        ]
    )


def test_none_is_null_in_every_type_and_an_empty_array_has_no_dimensions() -> None:
    assert RowEncoder(TYPES).encode([None] * len(TYPES)) == struct.pack(">h", 10) + NULL * 10
    assert RowEncoder(["text[]", "boolean"]).encode([[], False]) == struct.pack(">h", 2) + field(
        struct.pack(">iii", 0, 0, 25)
    ) + field(b"\x00")


def test_a_row_of_the_wrong_width_is_refused_not_encoded_short() -> None:
    with pytest.raises(ValueError, match="a row of 1 values for 2 columns"):
        RowEncoder(["text", "text"]).encode(["only one"])
