"""Both seed documents parse to exactly the values issue 2 lists (through the real sources)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from archive.cable import Cable, Document, InputError
from archive.parse import parse
from archive.sources import read_file


def _parse_file(path: Path) -> Cable:
    document = next(read_file(str(path)))
    assert isinstance(document, Document)
    return parse(document)


@pytest.fixture(scope="module")
def seed_000(examples_dir: Path) -> Cable:
    return _parse_file(examples_dir / "000_cfe706be70c9082a.txt")


@pytest.fixture(scope="module")
def seed_002(examples_dir: Path) -> Cable:
    return _parse_file(examples_dir / "002_756b422504c41c6c.txt")


def test_seed_000_09STATE53069_identity_and_classification(seed_000: Cable) -> None:
    assert seed_000.reference_id == "09STATE53069"
    assert seed_000.canonical_id == "09STATE53069"
    assert seed_000.created == datetime(2009, 5, 23, 0, 19, tzinfo=UTC)
    assert seed_000.classification == "CONFIDENTIAL"
    assert seed_000.level == "CONFIDENTIAL"
    assert seed_000.caveats == ("SIPDIS",)
    assert seed_000.origin == "Secretary of State"
    assert seed_000.transmission_id == "VZCZCXYZ0009"
    assert seed_000.precedence == "IMMEDIATE"


def test_seed_000_09STATE53069_preamble(seed_000: Cable) -> None:
    assert seed_000.subject == "KFOR: GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE"
    assert [(tag.code, tag.kind) for tag in seed_000.tags] == [
        ("KV", "country"),
        ("MARR", "subject"),
        ("NATO", "organisation"),
        ("PGOV", "subject"),
        ("PREL", "subject"),
        ("KPKO", "program"),
    ]
    assert seed_000.executive_order == "12958"
    assert seed_000.declassify_on == date(2019, 5, 22)
    assert seed_000.declassify_text == "05/22/2019"
    assert seed_000.classified_by == "Bruce Turner"
    assert seed_000.classified_by_title == "EUR/RPM Office Director"
    assert seed_000.reasons == ("1.4(b)", "1.4(d)")
    assert seed_000.references == ()
    assert seed_000.signers == ("CLINTON",)
    assert seed_000.warnings == ()


def test_seed_000_09STATE53069_paragraphs(seed_000: Cable) -> None:
    paragraphs = seed_000.paragraphs
    assert [p.number for p in paragraphs] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.marking for p in paragraphs] == ["U", "C", "C", "C", "C", "SBU", "C"]
    assert paragraphs[5].level == "SENSITIVE BUT UNCLASSIFIED"
    assert paragraphs[0].text == "This is an action request, please see\nparagraph 7."
    # The header printed twice stays out of every paragraph; so does the signer.
    for paragraph in paragraphs:
        assert "SUBJECT" not in paragraph.text and "Classified By" not in paragraph.text
    assert paragraphs[6].text.endswith("execute stage one of deterrent presence.")
    # The dashed heading "ACTION REQUEST" is not text of paragraph 6.
    assert "ACTION REQUEST" not in paragraphs[5].text


def test_seed_002_09USOSCE86_fields(seed_002: Cable) -> None:
    assert seed_002.reference_id == "09USOSCE86"
    assert seed_002.created == datetime(2009, 4, 7, 15, 27, tzinfo=UTC)
    assert seed_002.level == "UNCLASSIFIED"
    assert seed_002.origin == "Mission USOSCE"
    assert [tag.code for tag in seed_002.tags] == ["EAID", "OSCE", "PREL"]
    # The cut-off first SUBJECT line is not the subject.
    assert seed_002.subject == "S/CRS AMB HERBST PITCHES RECONSTRUCTION AND STABILIZATION TO OSCE STATES"
    assert seed_002.executive_order == "12958"
    assert seed_002.declassify_text == "N/A"
    assert seed_002.declassify_on is None
    assert seed_002.signers == ("SCOTT",)


def test_seed_002_09USOSCE86_paragraphs_recovered_from_scan_damage(seed_002: Cable) -> None:
    paragraphs = seed_002.paragraphs
    assert [p.number for p in paragraphs] == [1, 2, 3, 4, 5, 6]
    assert [p.number_printed for p in paragraphs] == ["11.", "2.", "13.", "14.", "¶5.", "16."]
    assert [p.marking for p in paragraphs] == [None, "SBU", "SBU", "SBU", "SBU", "SBU"]
    assert [p.section for p in paragraphs] == ["SUMMARY", None, None, None, None, "COMMENT"]
    # "(SBU)" printed before the displaced "¶5." opens paragraph 5.
    assert paragraphs[3].text.endswith("joint training was another possibility.")
    assert paragraphs[4].text.startswith("At a subsequent meeting, OSCE Secretary General (SG) de Brichambaut")
    for paragraph in paragraphs:
        assert "USOSCE 00000086" not in paragraph.text
        assert "underline" not in paragraph.text and "$" not in paragraph.text
        assert not paragraph.text.startswith("- ")
    assert paragraphs[5].text.endswith("END COMMENT")  # the signer SCOTT is not text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty document"),
        ("Dear friends,\nthe meeting is on Tuesday.\nRegards", "not a cable"),
    ],
)
def test_not_a_cable_raises_input_error(text: str, message: str) -> None:
    document = Document(name="x.txt", location=None, format="text", raw=text.encode(), text=text)
    with pytest.raises(InputError, match=message):
        parse(document)
