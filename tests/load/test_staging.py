"""Staging rows and the checks derived from the models: a cable the schema would refuse becomes a load error."""

from __future__ import annotations

import dataclasses
import struct
from datetime import UTC, datetime

import pytest

from archive.cable import Cable, Document, Paragraph, Recipient, Reference, Tag
from archive.load import merge, staging

DOCUMENT = Document(name="a.txt", location=None, format="text", raw=b"raw", text="text")
CABLE = Cable(
    reference_id="09STATE1",
    canonical_id="09STATE1",
    created=datetime(2009, 5, 23, tzinfo=UTC),
    level="SECRET",
    header="header",
    body="body",
    recipients=(Recipient("TO", "AMEMBASSY BERLIN", "R" * 16),),
    tags=(Tag("PREL", "subject"),),
    references=(Reference("A", "cable", "STATE 1", "09STATE1"),),
    paragraphs=(Paragraph(1, "1.", "S", "SECRET", (), "text", "SUMMARY"),),
)


def problem_of(cable: Cable) -> str | None:
    encoded = staging.encode(1, DOCUMENT, staging.sha256_of(DOCUMENT.raw), lambda document: cable)
    return encoded.problem.message if encoded.problem else None


def row_count(run: bytes) -> int:
    """The binary COPY rows of ``run``: each a field count, then each field's length (-1: NULL) and bytes."""
    count = at = 0
    while at < len(run):
        (fields,) = struct.unpack_from(">h", run, at)
        at += 2
        for _ in range(fields):
            (length,) = struct.unpack_from(">i", run, at)
            at += 4 + max(length, 0)
        count += 1
    assert at == len(run)
    return count


def test_a_cable_within_the_schema_becomes_one_row_per_staging_table() -> None:
    encoded = staging.encode(1, DOCUMENT, b"s" * 32, lambda document: CABLE)
    assert encoded.problem is None
    assert {name: row_count(rows) for name, rows in encoded.rows.items()} == {
        "stage_cables": 1,
        "stage_recipients": 1,
        "stage_tags": 1,
        "stage_references": 1,
        "stage_paragraphs": 1,
    }


def test_a_tables_rows_are_encoded_back_to_back_and_a_table_without_rows_is_left_out() -> None:
    cable = dataclasses.replace(CABLE, paragraphs=CABLE.paragraphs * 3, tags=(), references=())
    encoded = staging.encode(1, DOCUMENT, b"s" * 32, lambda document: cable)
    assert {name: row_count(rows) for name, rows in encoded.rows.items()} == {
        "stage_cables": 1,
        "stage_recipients": 1,
        "stage_paragraphs": 3,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "RESTRICTED"}, "unknown level 'RESTRICTED'"),
        ({"level": None}, "unknown level None"),
        ({"recipients": (Recipient("CC", "X"),)}, "unknown recipient role 'CC'"),
        ({"recipients": (Recipient("TO", "X", "R" * 17),)}, "recipient routing longer than 16 characters"),
        ({"tags": (Tag("PREL", "topic"),)}, "unknown tag kind 'topic'"),
        ({"references": (Reference(None, "fax", "FAX 1"),)}, "unknown reference kind 'fax'"),
        ({"paragraphs": (Paragraph(1, "1.", None, "NATO SECRET", (), "t"),)}, "unknown paragraph level 'NATO SECRET'"),
        ({"paragraphs": (Paragraph(1, "1.", None, None, (), "t", "INTRO"),)}, "unknown paragraph section 'INTRO'"),
        ({"paragraphs": (Paragraph(2**31, "1.", None, None, (), "t"),)}, "paragraph number out of range"),
        ({"tags": (Tag("PREL", "subject"),) * 32_768}, "tag position out of range (1 to 32768)"),
        ({"origin": "E" * 1001}, "origin longer than 1000 characters"),
        ({"caveats": ("N" * 1001,)}, "caveats longer than 1000 characters"),
        ({"reference_id": ""}, "no reference id"),
    ],
)
def test_a_value_the_schema_refuses_is_named_in_the_load_error(change: dict[str, object], message: str) -> None:
    problem = problem_of(dataclasses.replace(CABLE, **change))
    assert problem is not None and problem.startswith("the parsed cable cannot be stored: ")
    assert message in problem


def test_a_cable_without_reference_id_says_why() -> None:
    assert problem_of(dataclasses.replace(CABLE, reference_id=None)) == (
        "no reference id: the text has no date-time group to give the year and the input carries no published id"
    )


def test_the_staged_cable_holds_what_the_merge_reads() -> None:
    cables = staging.CABLES
    assert cables.column_names.startswith(
        "seq, sha256, name, location, format, size, raw, raw_encoding, text_sha256, form, header, body, reference_id"
    )
    assert "search_vector" not in cables.column_names.split(", ")
    assert "GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig" in cables.ddl()
    # The body is compressed in staging (EXTENDED, the default); the vector is not, nor the input bytes,
    # which the parse workers compressed (zstd) themselves.
    assert staging.EXTERNAL_COLUMNS == (("stage_cables", "raw"), ("stage_cables", "search_vector"))


def test_the_merge_fills_every_column_of_cables_from_the_staged_cable() -> None:
    staged = {column.name for column in staging.STAGE_CABLES.columns}
    # The lookups' keys, and the clearance derived from the staged banner and paragraphs.
    assert [column for column in merge.CABLE_COLUMNS if column not in staged] == [
        "classification_level_id",
        "origin_id",
        "clearance_rank",
        "clearance_caveats",
        "paragraph_classifications",
    ]
