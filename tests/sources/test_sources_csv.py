"""The bulk cables.csv dump: streamed records, exact raw bytes, both quote escapings, broken records."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.cable import Document, Rejection
from archive.sources import read_paths, read_stream
from archive.sources.cables_csv import _QUOTED_FIELD, parse_dump_time, read_records
from archive.sources.html import parse_page

DUMP_IDS = ["66BUENOSAIRES2481", "72TEHRAN5055", "7575LIBREVILLE1895", "08LONDON1991", "09BEIJING1247", "09ASHGABAT86"]


class LineStream(io.BytesIO):
    """A stream that may only be read in bounded pieces or by lines, as a huge dump must be."""

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and 0 < size <= 64 * 1024, "the dump was read whole"
        return super().read(size)


def records(data: bytes, name: str = "cables.csv") -> list[Document | Rejection]:
    return list(read_stream(name, LineStream(data)))


def record_spans(data: bytes) -> list[bytes]:
    """The exact bytes of each record of a well-formed dump (records start at line starts)."""
    starts = [0] + [i + 1 for i in range(len(data) - 1) if data[i : i + 1] == b"\n" and data[i + 1 :].startswith(b'"')]
    good = [s for s in starts if data[s:].split(b",", 2)[0].strip(b'"').isdigit()]
    return [data[a:b] for a, b in zip(good, [*good[1:], len(data)], strict=True)]


def test_example_dump_is_built_from_the_corpus_pages(
    example_cables: Path, example_dump_pages: list[Path], cables_csv_builder: Callable[..., bytes]
) -> None:
    rebuilt = cables_csv_builder(example_dump_pages)
    assert (example_cables / "cables.csv").read_bytes() == rebuilt


def test_example_dump_one_document_per_record(example_cables: Path) -> None:
    data = (example_cables / "cables.csv").read_bytes()
    documents = records(data, str(example_cables / "cables.csv"))
    assert all(isinstance(document, Document) for document in documents)
    assert [d.metadata.reference_id for d in documents if d.metadata] == DUMP_IDS
    assert [d.location for d in documents] == [
        "record 1 (line 1)",
        "record 2 (line 115)",
        "record 3 (line 141)",
        "record 4 (line 157)",
        "record 5 (line 235)",
        "record 6 (line 396)",
    ]
    # raw is each record's exact bytes: together they are the file.
    assert b"".join(d.raw for d in documents) == data
    assert [d.raw for d in documents] == record_spans(data)


def test_dump_record_metadata_and_text_08LONDON1991(example_cables: Path) -> None:
    documents = records((example_cables / "cables.csv").read_bytes())
    london = documents[3]
    assert isinstance(london, Document) and london.metadata is not None
    assert london.format == "csv"
    assert london.metadata.created == datetime(2008, 7, 31, 10, 30, tzinfo=UTC)  # exact: 311030Z JUL 08
    assert london.metadata.classification == "CONFIDENTIAL//NOFORN"
    assert london.metadata.origin == "Embassy London"
    assert london.metadata.references == ("08LONDON1939", "08LONDON1704")
    page = parse_page(
        (example_cables / "chillicoder-cablegate/cable/2008/07/08LONDON1991.html").read_bytes(), paragraph_signs=True
    )
    assert london.text == page.text
    assert "\n¶1. (C/NF) Summary." in london.text


def test_escaped_quotes_are_plain_in_the_text_09BEIJING1247(example_cables: Path) -> None:
    beijing = records((example_cables / "cables.csv").read_bytes())[4]
    assert b'said that \\"the lever of economic \ndevelopment\\" had not' in beijing.raw
    assert 'said that "the lever of economic \ndevelopment" had not' in beijing.text


def test_doubled_quotes_read_like_backslash_escapes_08LONDON1991(
    example_cables: Path, example_dump_pages: list[Path], cables_csv_builder: Callable[..., bytes]
) -> None:
    doubled = cables_csv_builder(example_dump_pages, quoting="doubled")
    assert b'""' in doubled and b'\\"' not in doubled
    escaped = records((example_cables / "cables.csv").read_bytes())
    assert [d.text for d in records(doubled)] == [d.text for d in escaped]


def test_crlf_dump_keeps_raw_and_normalises_text_09BEIJING1247(example_cables: Path) -> None:
    data = (example_cables / "cables.csv").read_bytes().replace(b"\n", b"\r\n")
    documents = records(data)
    assert len(documents) == 6 and all(isinstance(d, Document) for d in documents)
    assert b"".join(d.raw for d in documents) == data
    beijing = documents[4]
    assert "\r" not in beijing.text
    assert beijing.text.startswith("VZCZCXRO9500\nOO RUEHCN RUEHGH RUEHVC\n")


def test_unterminated_record_is_rejected_and_the_others_come_through(example_cables: Path) -> None:
    data = (example_cables / "cables.csv").read_bytes()
    spans = record_spans(data)
    broken = spans[1].rstrip(b"\n")[:-1] + b"\n"  # 72TEHRAN5055 loses its closing quote
    items = records(b"".join([spans[0], broken, *spans[2:]]))
    assert [type(item).__name__ for item in items] == ["Document", "Rejection", *["Document"] * 4]
    rejection = items[1]
    assert isinstance(rejection, Rejection)
    assert rejection.label == "cables.csv:record 2 (line 115)"
    assert rejection.message == "a quoted field is never closed"
    assert rejection.raw == broken
    assert [d.metadata.reference_id for d in items if isinstance(d, Document) and d.metadata] == [
        DUMP_IDS[0],
        *DUMP_IDS[2:],
    ]


def test_record_with_missing_fields_is_rejected_7575LIBREVILLE1895(example_cables: Path) -> None:
    spans = record_spans((example_cables / "cables.csv").read_bytes())
    # Drop the origin column of 7575LIBREVILLE1895.
    short = spans[2].replace(b'"Embassy Libreville",', b"", 1)
    items = records(b"".join([*spans[:2], short, *spans[3:]]))
    rejection = items[2]
    assert isinstance(rejection, Rejection)
    assert rejection.message == "expected 8 fields, found 7"
    assert rejection.raw == short
    assert sum(isinstance(item, Document) for item in items) == 5


def test_unreadable_date_and_stray_text_are_rejected(example_cables: Path) -> None:
    spans = record_spans((example_cables / "cables.csv").read_bytes())
    bad_date = spans[0].replace(b'"12/28/1966 18:48"', b'"28.12.1966 18:48"', 1)
    stray = spans[2].replace(b'"7575LIBREVILLE1895",', b'"7575LIBREVILLE1895"x,', 1)
    items = records(b"".join([bad_date, spans[1], stray, *spans[3:]]))
    messages = [item.message for item in items if isinstance(item, Rejection)]
    assert messages == [
        "unreadable creation time '28.12.1966 18:48' (expected M/D/YYYY H:MM)",
        "unexpected text after a field: b'x,\"Embassy Librevill'",
    ]
    assert sum(isinstance(item, Document) for item in items) == 4


def test_truncated_dump_rejects_only_the_last_record(example_cables: Path) -> None:
    data = (example_cables / "cables.csv").read_bytes()
    truncated = data[: len(data) - 500]
    items = records(truncated)
    assert sum(isinstance(item, Document) for item in items) == 5
    last = items[-1]
    assert isinstance(last, Rejection)
    assert last.message == "truncated: the file ends inside a quoted field"
    assert b"".join(item.raw for item in items) == truncated


def test_dump_detected_by_content_whatever_its_name(example_cables: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "dump.txt"
    renamed.write_bytes((example_cables / "cables.csv").read_bytes())
    items = list(read_paths([str(renamed)]))
    assert [item.format for item in items] == ["csv"] * 6


def test_dump_with_broken_first_record_is_still_a_dump(example_cables: Path, tmp_path: Path) -> None:
    spans = record_spans((example_cables / "cables.csv").read_bytes())
    damaged = tmp_path / "cables.csv"
    damaged.write_bytes(b"garbage line\n" + b"".join(spans))
    items = list(read_paths([str(damaged)]))
    assert isinstance(items[0], Rejection) and items[0].message == "expected 8 fields, found 1"
    assert sum(isinstance(item, Document) for item in items) == 6


def test_big_dump_streams_record_by_record(example_cables: Path) -> None:
    data = (example_cables / "cables.csv").read_bytes()
    copies = 300
    lines = (line for _ in range(copies) for line in io.BytesIO(data))
    count = 0
    for item in read_records("big.csv", lines, head=data[:65536]):
        assert isinstance(item, Document)
        count += 1
    assert count == 6 * copies


@pytest.mark.parametrize("mark", [b"NULL", b"\\N"])
def test_unquoted_null_references_column(example_cables: Path, mark: bytes) -> None:
    spans = record_spans((example_cables / "cables.csv").read_bytes())
    record = spans[0].replace(b'"UNCLASSIFIED","",', b'"UNCLASSIFIED",' + mark + b",", 1)
    (document,) = records(record)
    assert isinstance(document, Document) and document.metadata is not None
    assert document.metadata.references == ()


def test_doubled_quotes_beyond_the_sniffed_head_09BEIJING1247(
    example_dump_pages: list[Path], cables_csv_builder: Callable[..., bytes]
) -> None:
    # 7575LIBREVILLE1895 has no quote at all: a head made of it alone decides nothing.
    doubled = cables_csv_builder([example_dump_pages[2], example_dump_pages[4]], quoting="doubled")
    items = list(read_records("cables.csv", io.BytesIO(doubled), head=doubled[:400]))
    assert [type(item).__name__ for item in items] == ["Document", "Document"]
    assert 'said that "the lever of economic \ndevelopment" had not' in items[1].text


@pytest.mark.parametrize("piece_size", [1, 7, 4096])
def test_records_are_the_same_whatever_the_pieces_the_dump_comes_in_09BEIJING1247(
    example_cables: Path, piece_size: int
) -> None:
    data = (example_cables / "cables.csv").read_bytes()
    whole = list(read_records("cables.csv", [data], head=data[:65536]))
    pieces = (data[i : i + piece_size] for i in range(0, len(data), piece_size))
    assert list(read_records("cables.csv", pieces, head=data[:65536])) == whole
    assert [d.metadata.reference_id for d in whole if isinstance(d, Document) and d.metadata] == DUMP_IDS


def test_a_line_starting_like_a_record_inside_a_field_cuts_it_66BUENOSAIRES2481(example_cables: Path) -> None:
    spans = record_spans((example_cables / "cables.csv").read_bytes())
    # A body line that starts like a record is where a record starts, even inside quotes:
    # 66BUENOSAIRES2481 is cut there (its text is not trusted) and the line read as a record.
    cut = spans[0].replace(b"\n", b'\n"7","1/2/2003 10:00","",\n', 1)
    data = b"".join([cut, *spans[1:]])
    items = records(data)
    assert isinstance(items[0], Rejection) and items[0].message == "a quoted field is never closed"
    assert items[1].location == "record 2 (line 2)"
    assert b"".join(item.raw for item in items) == data
    assert [d.metadata.reference_id for d in items if isinstance(d, Document) and d.metadata][-5:] == DUMP_IDS[1:]


@pytest.mark.parametrize(("escaped", "special"), [(True, b'"\\'), (False, b'"')])
def test_a_quoted_field_of_one_byte_is_any_byte_but_the_special_ones(escaped: bool, special: bytes) -> None:
    """The fast pattern's plain bytes (spelled as ranges for speed, docs in cables_csv) are every byte but these."""
    quoted = re.compile(_QUOTED_FIELD[escaped])
    plain = [byte for byte in range(256) if quoted.fullmatch(b'"' + bytes([byte]) + b'"')]
    assert plain == [byte for byte in range(256) if byte not in special]


def strptime_dump_time(value: str) -> datetime | None:
    """The dump's time as ``datetime.strptime`` reads it: what ``parse_dump_time`` must agree with."""
    for pattern in ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


_TIME_PIECES = st.sampled_from(
    [
        "/",
        ":",
        " ",
        "  ",
        "\t",
        "0",
        "1",
        "2",
        "3",
        "5",
        "6",
        "9",
        "00",
        "12",
        "13",
        "19",
        "23",
        "24",
        "28",
        "29",
        "30",
        "31",
        "32",
        "59",
        "60",
        "61",
        "1966",
        "2009",
        "0000",
        "٣",
        " 3",
        "x",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_TIME_PIECES, max_size=12).map("".join))
def test_the_dump_time_is_read_as_strptime_reads_it(value: str) -> None:
    assert parse_dump_time(value) == strptime_dump_time(value)


@pytest.mark.parametrize(
    "value",
    [
        "12/28/1966 18:48",
        "1/2/2009 3:04",
        "01/02/2009 03:04:05",
        "2/29/2008 0:00",
        "2/29/2009 0:00",
        "12/ 3/2009 1:2",
        "13/1/2009 1:00",
        "1/1/2009 24:00",
        "1/1/2009 1:60",
        "1/1/2009 1:00:60",
        "1/1/2009  1:00",
        " 1/1/2009 1:00 ",
        "1/1/09 1:00",
        "1/1/2009",
        "1/1/2009 1:00:",
        "1/1/2009 1:00:000",
        "٣/1/2009 1:00",
    ],
)
def test_the_dump_times_of_every_shape_are_read_as_strptime_reads_them(value: str) -> None:
    assert parse_dump_time(value) == strptime_dump_time(value)
