"""The body half of the parser on the tricky real cables of the shared corpus, named by id."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.cable import Cable, Document, Reference
from archive.parse import parse
from archive.sources import read_file

PAGES = {
    "07BERN881": "heuer-cablemap/data-subject/in/07BERN881.html",
    "08BRASILIA93": "heuer-cablemap/data-subject/in/08BRASILIA93.html",
    "09MOSCOW2353": "avilaroman-Wikileaks-Mirror/cable/2009/09/09MOSCOW2353.html",
    "04ANKARA348": "chillicoder-cablegate/cable/2004/01/04ANKARA348.html",
    "09PRETORIA939": "chillicoder-cablegate/cable/2009/05/09PRETORIA939.html",
    "09THEHAGUE567": "avilaroman-Wikileaks-Mirror/cable/2009/09/09THEHAGUE567.html",
    "00HARARE6677": "chillicoder-cablegate/cable/2000/11/00HARARE6677.html",
    "09STATE15113": "avilaroman-Wikileaks-Mirror/cable/2009/02/09STATE15113.html",
    "08MADRID757": "avilaroman-Wikileaks-Mirror/cable/2008/07/08MADRID757.html",
    "09MADRID71": "chillicoder-cablegate/cable/2009/01/09MADRID71.html",
    "07TALLINN366": "chillicoder-cablegate/cable/2007/06/07TALLINN366.html",
    "10MOSCOW228": "chillicoder-cablegate/cable/2010/02/10MOSCOW228.html",
    "06MADRID2583": "avilaroman-Wikileaks-Mirror/cable/2006/10/06MADRID2583.html",
    "09TRIPOLI65": "chillicoder-cablegate/cable/2009/01/09TRIPOLI65.html",
}


@pytest.fixture(scope="module")
def cables(corpus_dir: Path) -> dict[str, Cable]:
    parsed = {}
    for cable_id, relative in PAGES.items():
        document = next(read_file(str(corpus_dir / relative)))
        assert isinstance(document, Document)
        parsed[cable_id] = parse(document)
    return parsed


def test_07BERN881_subject_and_references_across_continuation_marks(cables: dict[str, Cable]) -> None:
    cable = cables["07BERN881"]
    # The page ends every line with a backslash; the subject wraps over two of them.
    assert cable.subject == 'FM CALMY-REY "TAKES NOTE" OF USG CONCERNS REGARDING IRAN/IAEA AND IRAN/EGL'
    assert cable.references == (
        Reference("A", "cable", "STATE 124823", "07STATE124823"),
        Reference("B", "email", "GUHA-CARTER E-MAIL (07SEP07)", None),
        Reference("C", "cable", "BERN 860", "07BERN860"),
        Reference("D", "cable", "STATE 123352", "07STATE123352"),
    )
    # "reasons 1.4(b) and (" + "d)." on the next line.
    assert cable.reasons == ("1.4(b)", "1.4(d)")
    assert cable.classified_by == "Leigh Carter"


def test_08BRASILIA93_glued_tags_and_classified_by_before_passing_line(cables: dict[str, Cable]) -> None:
    cable = cables["08BRASILIA93"]
    assert [tag.code for tag in cable.tags] == ["MASS", "MNUC", "NPT", "PARM", "PREL"]
    assert "TAGS code 'MASSMNUC' read as MASS MNUC" in cable.warnings
    assert cable.subject == "BRAZIL'S NUCLEAR SUBMARINE AMBITIONS"
    assert (cable.classified_by, cable.classified_by_title) == ("Clifford Sobel", "Ambassador")
    assert cable.reasons == ("1.5(b)", "1.5(d)")  # the older order's section 1.5


def test_09MOSCOW2353_fields_glued_on_one_line(cables: dict[str, Cable]) -> None:
    cable = cables["09MOSCOW2353"]
    assert cable.level == "CONFIDENTIAL"
    assert [tag.code for tag in cable.tags] == ["EPET", "ENRG", "ECON", "PREL", "RS"]
    assert cable.declassify_on == date(2019, 9, 14)
    assert cable.subject is None  # the cable has no SUBJECT line


def test_04ANKARA348_damaged_case_partial_extract(cables: dict[str, Cable]) -> None:
    cable = cables["04ANKARA348"]
    assert cable.level == "CONFIDENTIAL"  # "C o n f i d e n t i a l section 01 of 04 ankara 000348"
    assert cable.caveats == ("SIPDIS",)  # "Sipdis"
    assert [tag.code for tag in cable.tags] == ["PREL", "PGOV", "PINS", "TU"]  # "Tags: prel, pgov, pins, tu"
    assert cable.subject == (
        "turkish p.m. Erdogan goes to washington: how strong a leader in the face of strong challenges?"
    )
    assert (cable.classified_by, cable.reasons) == ("Eric Edelman", ("1.5(b)", "1.5(d)"))


def test_09PRETORIA939_sensitive_but_unclassified(cables: dict[str, Cable]) -> None:
    cable = cables["09PRETORIA939"]
    assert cable.level == "SENSITIVE BUT UNCLASSIFIED"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    # The dashed "Summary" heading after a page break is neither subject nor paragraph text.
    assert cable.subject == "PART 1 OF 3: THE LIFE AND TIMES OF SOUTH AFRICA’S NEXT PRESIDENT"
    assert cable.paragraphs[0].section == "SUMMARY"
    assert cable.paragraphs[0].marking == "SBU"


def test_09THEHAGUE567_truncated_copy_then_full_copy(cables: dict[str, Cable]) -> None:
    cable = cables["09THEHAGUE567"]
    assert cable.classification == "SECRET//NOFORN"  # "SIPDIS, NOFORN"
    assert cable.subject is not None and cable.subject.endswith("IN AFGHANISTAN POST-2010")
    assert [p.number for p in cable.paragraphs][:3] == [1, 2, 3]
    assert cable.paragraphs[0].marking == "S/NF"
    assert cable.paragraphs[0].caveats == ("NOFORN",)
    assert cable.signers == ("LEVIN",)


def test_00HARARE6677_subject_across_old_page_header(cables: dict[str, Cable]) -> None:
    cable = cables["00HARARE6677"]
    # "... WITH ZIMBABWE\n CONFIDENTIAL\nPAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER"
    assert cable.subject == "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER"
    assert cable.references == (Reference(None, "cable", "HARARE 6584", "00HARARE6584"),)
    assert cable.signers == ("MCDONALD",)
    assert cable.declassify_on == date(2010, 11, 29)  # "DECL: 11/29/10"


def test_09STATE15113_caveat_line_with_explanation(cables: dict[str, Cable]) -> None:
    cable = cables["09STATE15113"]
    assert cable.classification == "SECRET//NOFORN"  # "NOFORN, NOT FOR INTERNET DISTRIBUTION"
    assert [tag.code for tag in cable.tags] == ["PTER", "PGOV", "ASEC", "EFIN", "ENRG", "KCIP"]  # "TAG ..."
    assert cable.paragraphs[0].marking == "U//FOUO"
    assert cable.paragraphs[0].caveats == ("FOUO",)


def test_08MADRID757_misspelled_tags_on_a_second_line(cables: dict[str, Cable]) -> None:
    cable = cables["08MADRID757"]
    assert [tag.code for tag in cable.tags][-2:] == ["PTERS", "SP"]
    assert cable.subject == "TREASURY UNDER SECRETARY LEVEY SCENESETTER"
    assert (cable.classified_by, cable.classified_by_title) == ("Hugo Llorens", "Charge d'Affaires")
    assert cable.reasons == ("1.5(b)", "1.5(d)")  # "1.5 (b) and (" + "d)"


def test_09MADRID71_word_cut_by_hard_wrap_in_reasons(cables: dict[str, Cable]) -> None:
    cable = cables["09MADRID71"]
    assert cable.reasons == ("1.4(b)", "1.4(d)")  # "1.4 (b) a" + "nd (d)"
    assert cable.references == (
        Reference("A", "cable", "08 MADRID 1359", "08MADRID1359"),
        Reference("B", "cable", "08 MADRID 518", "08MADRID518"),
    )


def test_07TALLINN366_lettered_references_with_an_email(cables: dict[str, Cable]) -> None:
    references = cables["07TALLINN366"].references
    assert [(r.letter, r.kind, r.canonical_id) for r in references] == [
        ("A", "cable", "07TALLINN276"),
        ("B", "cable", "07TALLINN280"),
        ("C", "cable", "07TALLINN347"),
        ("D", "email", None),
    ]


def test_10MOSCOW228_run_on_subject_and_page_counter_inside_a_line(cables: dict[str, Cable]) -> None:
    cable = cables["10MOSCOW228"]
    assert cable.subject == "RUSSIAN DRAFT BILL WOULD REQUIRE ON-SHORE CREDIT CARD PROCESSING"
    paragraph = next(p for p in cable.paragraphs if p.number == 6)
    assert "MOSCOW 00000228" not in paragraph.text
    assert "MinFin understands that this would entail so much expense" in paragraph.text


def test_06MADRID2583_metadata_record_in_body(cables: dict[str, Cable]) -> None:
    cable = cables["06MADRID2583"]
    assert cable.subject == "SPAIN: VISIT OF VENEZUELA COORDINATOR DEBORAH MCCARTHY"
    assert "the body holds a second copy of the cable; the later, full copy was read" in cable.warnings
    assert all("refid:" not in p.text for p in cable.paragraphs)


def test_09TRIPOLI65_first_paragraph_run_onto_the_classified_by_line(cables: dict[str, Cable]) -> None:
    cable = cables["09TRIPOLI65"]
    # "... REASON: 1.4 (b), (d) 1. (C/NF) Summary: While Libya ..."
    assert (cable.classified_by, cable.classified_by_title) == (
        "Gene A. Cretz",
        "Ambassador, U.S. Embassy - Tripoli, U.S. Dept of State",
    )
    assert cable.reasons == ("1.4(b)", "1.4(d)")
    first = cable.paragraphs[0]
    assert (first.number, first.marking, first.section) == (1, "C/NF", "SUMMARY")
    assert first.text.startswith("Summary: While Libya")
