"""JSON exports and SQL dumps of Cablegate records: field mapping, the shifted-id export, repairs, streaming.

The JSON samples are real: the first three records of a MongoDB export whose ``_id`` holds the
referenced ids (``delhi.json``), and a four-record export whose every line escapes quotes as
``\\'`` (see ../shared/corpus-forms/json-exports/SOURCES.md). No real SQL dump of the cables is
published: the SQL tests write one, in each dialect, from the records of examples/cables/cables.csv.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Document, InputError, Rejection
from archive.parse import parse
from archive.sources import detect_format, read_paths, read_stream

DATA = Path(__file__).parent / "data"
DELHI = DATA / "delhi-first3.jsonl"
ISLAMABAD = DATA / "Embassy_Islamabad90-95.badescapes.jsonl"


class PieceStream(io.BytesIO):
    """A stream that may only be read in bounded pieces, as a large export must be."""

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and 0 < size <= 64 * 1024, "the export was read whole"
        return super().read(size)


def documents(path: Path) -> list[Document]:
    items = list(read_paths([str(path)]))
    assert all(isinstance(item, Document) for item in items), [getattr(i, "message", "") for i in items]
    return [item for item in items if isinstance(item, Document)]


def test_mongodb_export_with_shifted_ids() -> None:
    assert detect_format(DELHI.read_bytes()) == "json"
    items = documents(DELHI)
    assert [item.location for item in items] == ["record 1 (line 1)", "record 2 (line 2)", "record 3 (line 3)"]
    assert b"".join(item.raw for item in items) == DELHI.read_bytes()
    first = items[0]
    assert first.format == "json"
    assert first.metadata is not None
    # _id holds the cited cable (REF: NEW DELHI 17853), not this one (banner NEW DELHI 19406).
    assert first.metadata.reference_id is None
    assert first.metadata.references == ("87NEWDELHI17853",)
    assert first.metadata.created == datetime(1987, 8, 7, 12, 11, tzinfo=UTC)
    assert (first.metadata.origin, first.metadata.classification) == ("Embassy New Delhi", "UNCLASSIFIED")
    assert first.warnings == (
        "the export's id 87NEWDELHI17853 is not this cable's (the banner reads NEW DELHI 19406): it holds the "
        "referenced ids (the export's columns are shifted); the id is taken from the text",
    )
    cables = [parse(item) for item in items]
    assert [cable.reference_id for cable in cables] == ["87NEWDELHI19406", "87NEWDELHI23722", "97NEWDELHI6957"]
    assert [cable.created for cable in cables] == [
        datetime(1987, 8, 7, 12, 11, tzinfo=UTC),
        datetime(1987, 9, 25, 11, 40, tzinfo=UTC),
        datetime(1997, 7, 8, 5, 2, tzinfo=UTC),
    ]
    assert [cable.classification for cable in cables] == ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"]
    assert [cable.origin for cable in cables] == ["Embassy New Delhi"] * 3
    assert cables[0].subject == "INCREASE IN SIKH TERRORISM LIKELY: NO MODERATION IN SIGHT"
    assert [tag.code for tag in cables[0].tags] == ["PTER", "PGOV", "IN"]
    assert first.warnings[0] in cables[0].warnings


def test_an_id_the_text_agrees_with_is_kept() -> None:
    line = DELHI.read_bytes().split(b"\n")[0].replace(b'"87NEWDELHI17853"', b'"87NEWDELHI19406"')
    (item,) = list(read_stream("x.json", io.BytesIO(line)))
    assert isinstance(item, Document) and item.metadata is not None
    assert item.metadata.reference_id == "87NEWDELHI19406"
    assert item.metadata.references == () and item.warnings == ()


def test_an_id_the_banner_contradicts_is_not_trusted() -> None:
    line = DELHI.read_bytes().split(b"\n")[0].replace(b'"87NEWDELHI17853"', b'"87NEWDELHI99999"')
    (item,) = list(read_stream("x.json", io.BytesIO(line)))
    assert isinstance(item, Document) and item.metadata is not None
    assert (item.metadata.reference_id, item.metadata.references) == (None, ())
    assert item.warnings == (
        "the export's id 87NEWDELHI99999 names another cable than the banner (NEW DELHI 19406): "
        "the id is taken from the text",
    )
    assert parse(item).reference_id == "87NEWDELHI19406"


def test_backslash_quote_lines_are_repaired_one_by_one() -> None:
    items = documents(ISLAMABAD)
    assert len(items) == 4
    assert all("invalid JSON repaired: \\' escapes read as '" in item.warnings for item in items)
    assert "DEPARTMENT'S PREPARATION" in items[0].text
    assert [parse(item).reference_id for item in items] == [
        "90ISLAMABAD22570",
        "91ISLAMABAD8792",
        "92ISLAMABAD8548",
        "94ISLAMABAD10894",
    ]
    # An id column holding several ids is the referenced ids.
    assert items[2].metadata is not None
    assert items[2].metadata.references == ("91ISLAMABAD16291", "91ISLAMABAD7153", "92ISLAMABAD6252", "92ISLAMABAD7242")


def test_a_broken_line_is_rejected_alone() -> None:
    lines = DELHI.read_bytes().split(b"\n")
    broken = lines[1][:200] + b'"oops'  # cut inside the body: no repair can close it
    data = b"\n".join([lines[0], broken, lines[2]]) + b"\n"
    items = list(read_stream("export.json", PieceStream(data)))
    assert [type(item).__name__ for item in items] == ["Document", "Rejection", "Document"]
    rejected = items[1]
    assert isinstance(rejected, Rejection)
    assert rejected.label == "export.json:record 2 (line 2)"
    assert rejected.message.startswith("invalid JSON, no unambiguous repair: ")
    assert "\n" not in rejected.message
    assert rejected.raw == broken + b"\n"


def test_json_array_pretty_printed_and_extended_json() -> None:
    record = {
        "_id": {"$oid": "4cf5a1d2e3b4c5d6e7f80910"},
        "reference_id": "09STATE53069",
        "date": {"$date": "2009-05-23T00:19:00Z"},
        "origin": "Secretary of State",
        "classification": "UNCLASSIFIED",
        "subject": "A SUBJECT",
        "tags": ["PREL", "KV"],
        "body": "UNCLAS STATE 053069\n\nE.O. 12958: N/A\nTAGS: PREL, KV\nSUBJECT: A SUBJECT\n\n1. TEXT.",
    }
    import json

    data = ("[\n" + ",\n".join(json.dumps(r, indent=2) for r in (record, record | {"body": ""})) + "\n]\n").encode()
    first, second = list(read_stream("array.json", PieceStream(data)))
    assert isinstance(first, Document) and first.metadata is not None
    assert first.location == "record 1 (line 2)"
    assert first.metadata.reference_id == "09STATE53069"
    assert first.metadata.created == datetime(2009, 5, 23, 0, 19, tzinfo=UTC)
    assert first.metadata.tags == ("PREL", "KV") and first.metadata.subject == "A SUBJECT"
    assert isinstance(second, Rejection)
    assert second.message.startswith("no telegram text: the record has no header or body field")


def test_a_json_array_on_one_line_is_read_object_by_object() -> None:
    line = DELHI.read_bytes().split(b"\n")[0]
    data = b"[" + b",".join([line] * 3) + b"]"
    items = list(read_stream("minified.json", PieceStream(data)))
    assert [item.location for item in items] == [f"record {n} (line 1)" for n in (1, 2, 3)]
    assert all(isinstance(item, Document) and item.raw == line for item in items)


def test_an_array_wrapped_in_an_object_is_read_record_by_record() -> None:
    lines = DELHI.read_bytes().split(b"\n")[:3]
    data = b'{"cables": [\n' + b",\n".join(lines) + b"\n]}\n"
    items = list(read_stream("wrapped.json", PieceStream(data)))
    assert [item.location for item in items] == [f"record {n} (line {n + 1})" for n in (1, 2, 3)]
    assert [item.raw for item in items] == [line + b",\n" for line in lines[:2]] + [lines[2] + b"\n"]
    assert all(isinstance(item, Document) for item in items)


def test_mongodb_shell_values_are_repaired() -> None:
    line = (
        b'{ "_id" : ObjectId("4cf5a1d2e3b4c5d6e7f80910"), "reference_id" : "09STATE53069", '
        b'"date_time" : ISODate("2009-05-23T00:19:00Z"), "body" : "UNCLAS STATE 053069 TAGS: PREL SUBJECT: X" }\n'
    )
    (item,) = list(read_stream("shell.json", io.BytesIO(line)))
    assert isinstance(item, Document) and item.metadata is not None
    assert item.metadata.created == datetime(2009, 5, 23, 0, 19, tzinfo=UTC)
    assert item.warnings == ("MongoDB shell values (ObjectId, ISODate, NumberLong) read as their JSON values",)


def _csv_rows(example_cables: Path) -> list[tuple[Document, list[str]]]:
    """The records of the example dump with their eight column values."""
    rows = []
    for number, item in enumerate(read_paths([str(example_cables / "cables.csv")]), start=1):
        assert isinstance(item, Document) and item.metadata is not None and item.metadata.created is not None
        meta, created = item.metadata, item.metadata.created
        header, _, body = item.text.partition("\n\n")
        when = f"{created.month}/{created.day}/{created.year} {created.hour}:{created.minute:02d}"
        values = [when, meta.reference_id or "", meta.origin or "", meta.classification or ""]
        rows.append((item, [str(number), *values, "|".join(meta.references), header, body]))
    return rows


def _mysql(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def _postgres(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def mysql_dump(rows: list[list[str]]) -> bytes:
    """mysqldump's shape: backquoted names, one extended INSERT, backslash escapes."""
    values = ",".join("(" + ",".join([row[0], *map(_mysql, row[1:])]) + ")" for row in rows)
    return (
        "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8 */;\nDROP TABLE IF EXISTS `cable`;\n"
        "CREATE TABLE `cable` (`id` int, `date` varchar(20), `refid` varchar(40), `origin` text,\n"
        "  `classification` text, `destination` text, `header` text, `content` text) ENGINE=InnoDB;\n"
        f"LOCK TABLES `cable` WRITE;\nINSERT INTO `cable` VALUES {values};\nUNLOCK TABLES;\n"
    ).encode()


def postgres_dump(rows: list[list[str]], column_names: bool) -> bytes:
    """pg_dump --inserts (no column list: the cables.csv order) or --column-inserts."""
    names = " (id, date_time, reference_id, origin, classification, refs, header, body)" if column_names else ""
    statements = "".join(
        f"INSERT INTO public.cables{names} VALUES ({', '.join([row[0], *map(_postgres, row[1:])])});\n" for row in rows
    )
    return f"SET standard_conforming_strings = on;\nCREATE TABLE public.cables (id integer);\n{statements}".encode()


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def postgres_copy_dump(rows: list[list[str]]) -> bytes:
    """pg_dump's default: a COPY block, tab-separated, backslash escapes, ended by \\."""
    lines = "".join("\t".join([row[0], *map(_copy_text, row[1:])]) + "\n" for row in rows)
    columns = "id, date_time, reference_id, origin, classification, refs, header, body"
    return f"SET client_encoding = 'UTF8';\nCOPY public.cables ({columns}) FROM stdin;\n{lines}\\.\n\n".encode()


@pytest.mark.parametrize("dialect", ["mysql", "postgres", "postgres-columns", "postgres-copy"])
def test_sql_dump_rows_equal_the_csv_records(example_cables: Path, dialect: str) -> None:
    rows = _csv_rows(example_cables)
    columns = [values for _, values in rows]
    if dialect == "postgres-copy":
        data = postgres_copy_dump(columns)
    else:
        data = mysql_dump(columns) if dialect == "mysql" else postgres_dump(columns, dialect == "postgres-columns")
    assert detect_format(data) == "sql"
    items = list(read_stream("cables.sql", PieceStream(data)))
    assert len(items) == len(rows)
    for item, (record, values) in zip(items, rows, strict=True):
        assert isinstance(item, Document), item
        assert item.format == "sql"
        assert item.text == record.text
        assert item.metadata is not None and record.metadata is not None
        assert item.metadata.reference_id == record.metadata.reference_id
        assert item.metadata.created == record.metadata.created
        assert item.metadata.references == record.metadata.references
        assert (item.metadata.origin, item.metadata.classification) == (values[3], values[4])
        opening = values[0].encode() + b"\t" if dialect == "postgres-copy" else b"(" + values[0].encode() + b","
        assert item.raw.startswith(opening)
    if dialect == "mysql":
        assert {item.location for item in items} == {f"record {n} (line 7)" for n in range(1, 7)}
    else:
        assert items[1].location == ("record 2 (line 4)" if dialect == "postgres-copy" else "record 2 (line 117)")


def test_sql_broken_row_is_rejected_alone(example_cables: Path) -> None:
    rows = [values for _, values in _csv_rows(example_cables)]
    data = postgres_dump(rows, column_names=False).replace(b"VALUES (2, ", b"VALUES (2, oops, ", 1)
    items = list(read_stream("cables.sql", PieceStream(data)))
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["Document", "Rejection", "Document", "Document", "Document", "Document"]
    rejected = items[1]
    assert isinstance(rejected, Rejection)
    assert rejected.label == "cables.sql:record 2 (line 117)"
    assert rejected.message.startswith("unreadable SQL row")


# --- the other re-serialisations of cables.csv (../shared/corpus-forms/json-exports) -------------


def test_colseparator_records(exports: Path) -> None:
    path = exports / "Wikileaks_Processing" / "news.colseparator.records13-33.txt"
    assert detect_format(path.read_bytes()[:65536]) == "colseparator"
    items = documents(path)
    assert len(items) == 21
    first = items[0]
    assert first.location == "record 1 (line 1)" and first.metadata is not None
    assert first.metadata.reference_id == "79ANKARA6618"
    assert first.metadata.created == datetime(1979, 9, 10, 7, 1, tzinfo=UTC)
    assert (first.metadata.origin, first.metadata.classification) == ("Embassy Ankara", "CONFIDENTIAL")
    assert first.text.startswith("R 100701Z SEP 79\nFM AMEMBASSY ANKARA\n")
    cable = parse(first)
    assert (cable.reference_id, cable.subject) == ("79ANKARA6618", "TURKISH VIEWS ON KURDISH TROUBLES IN IRAN")
    assert [tag.code for tag in cable.tags] == ["PFOR", "PEPR", "TU", "IR"]
    assert items[4].metadata is not None and items[4].metadata.references == ("85STATE5140",)
    assert b"".join(item.raw for item in items) == path.read_bytes()


def test_blank_line_csv_has_its_line_ends_undoubled(exports: Path) -> None:
    path = exports / "Wikileaks_Processing" / "nlp.blankline-csv.records13-33.csv"
    items = list(read_paths([str(path)]))
    assert [item.format for item in items] == ["csv"] * 21
    *read, truncated = items
    assert all(isinstance(item, Document) for item in read)
    # The sample is cut inside its last record: that one is rejected, the others read.
    assert isinstance(truncated, Rejection) and truncated.message == "truncated: the file ends inside a quoted field"
    first = read[0]
    assert isinstance(first, Document)
    assert first.text.startswith("R 100701Z SEP 79\nFM AMEMBASSY ANKARA\nTO RUEHC/SECSTATE WASHDC\n")
    assert parse(first).subject == "TURKISH VIEWS ON KURDISH TROUBLES IN IRAN"


def test_body_per_line_telegrams_get_ids_from_their_text(exports: Path) -> None:
    path = exports / "Wikileaks_Processing" / "wiki_Embassy_Baghdad80-90.body-per-line.txt"
    items = documents(path)
    assert len(items) == 18 and {item.format for item in items} == {"textlines"}
    assert all(item.metadata is None for item in items)
    first = parse(items[0])
    # No date anywhere in the line: the id is provisional.
    assert first.reference_id == "PROVISIONAL-BAGHDAD-3988"
    assert first.subject == "THE GULF WAR: PROSPECTS FOR PEACE OR EXPANSION"
    assert [tag.code for tag in first.tags] == ["MOPS", "PREL", "IZ", "IR", "XF"]


def test_a_line_that_is_no_telegram_is_rejected_alone(exports: Path) -> None:
    lines = (exports / "Wikileaks_Processing" / "wiki_Embassy_Baghdad80-90.body-per-line.txt").read_bytes().split(b"\n")
    data = b"\n".join([lines[0], b"bodies exported 2011-03-02", lines[1]])  # the last line without its line end
    assert detect_format(data) == "textlines"
    items = list(read_stream("bodies.txt", PieceStream(data)))
    assert [item.location for item in items] == ["record 1 (line 1)", "record 2 (line 2)", "record 3 (line 3)"]
    assert isinstance(items[1], Document)
    with pytest.raises(InputError):
        parse(items[1])
    assert [parse(item).reference_id for item in (items[0], items[2])] == [
        "PROVISIONAL-BAGHDAD-3988",
        parse(documents_of(lines[1])).reference_id,
    ]


def documents_of(line: bytes) -> Document:
    (item,) = list(read_stream("line.txt", io.BytesIO(line + b"\n")))
    assert isinstance(item, Document)
    return item


def test_metadata_only_rows_are_each_rejected_as_no_cable(exports: Path) -> None:
    items = list(read_paths([str(exports / "vrruiz-cablegate-sp" / "sp.csv")]))
    assert len(items) == 3672 and all(isinstance(item, Rejection) for item in items)
    assert {item.message for item in items if isinstance(item, Rejection)} == {
        "metadata only: a date, an origin and tags but no reference id or telegram text, so not a cable"
    }
    assert items[0].label.endswith("sp.csv:record 1 (line 1)")
    assert items[0].raw == b'2010-02-26T16:42:00Z,Embassy Madrid,"OREP, PREL, SP"\n'
