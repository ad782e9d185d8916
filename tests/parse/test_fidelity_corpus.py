"""Parser fixes found by measuring the whole shared corpus and checking by hand; each test names
the real cable it was written from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Cable, Document, Reference
from archive.parse import parse
from archive.sources import read_file

PAGES = {
    "08LONDON1991": "chillicoder-cablegate/cable/2008/07/08LONDON1991.html",
    "08PARIS130": "chillicoder-cablegate/cable/2008/01/08PARIS130.html",
    "10RIYADH184": "chillicoder-cablegate/cable/2010/02/10RIYADH184.html",
    "09THEHAGUE247": "gabrielduque-wikileaks-mirror-jp/cable/2009/04/09THEHAGUE247.html",
    "06CARACAS958": "chillicoder-cablegate/cable/2006/04/06CARACAS958.html",
    "05BRUSSELS1530": "gabrielduque-wikileaks-mirror-jp/cable/2005/04/05BRUSSELS1530.html",
    "09KUALALUMPUR752": "chillicoder-cablegate/cable/2009/09/09KUALALUMPUR752.html",
    "09CAIRO189": "avilaroman-Wikileaks-Mirror/cable/2009/02/09CAIRO189.html",
    "10MEXICO141": "chillicoder-cablegate/cable/2010/02/10MEXICO141.html",
    "00HANOI686": "paul-mathieu-cablegate-cia-analysis/cablegate/00HANOI686.pdf",
    "03COLOMBO2200": "avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html",
    "08REYKJAVIK152": "avilaroman-Wikileaks-Mirror/cable/2008/07/08REYKJAVIK152.html",
    "09PRETORIA939": "chillicoder-cablegate/cable/2009/05/09PRETORIA939.html",
    "08LONDON1176": "chillicoder-cablegate/cable/2008/04/08LONDON1176.html",
    "10ANKARA126": "chillicoder-cablegate/cable/2010/01/10ANKARA126.html",
    "10SEOUL248": "chillicoder-cablegate/cable/2010/02/10SEOUL248.html",
    "09BEIJING2964": "chillicoder-cablegate/cable/2009/10/09BEIJING2964.html",
    "06THEHAGUE2047": "avilaroman-Wikileaks-Mirror/cable/2006/09/06THEHAGUE2047.html",
    "10BAGHDAD112": "chillicoder-cablegate/cable/2010/01/10BAGHDAD112.html",
    "08ISLAMABAD525": "chillicoder-cablegate/cable/2008/02/08ISLAMABAD525.html",
    "09STATE63860": "chillicoder-cablegate/cable/2009/06/09STATE63860.html",
    "05ROME1593": "gabrielduque-wikileaks-mirror-jp/cable/2005/05/05ROME1593.html",
    "04THEHAGUE1903": "avilaroman-Wikileaks-Mirror/cable/2004/07/04THEHAGUE1903.html",
    "07YEREVAN1420": "avilaroman-Wikileaks-Mirror/cable/2007/12/07YEREVAN1420.html",
    "08ANKARA1417": "avilaroman-Wikileaks-Mirror/cable/2008/08/08ANKARA1417.html",
    "07BUENOSAIRES1673": "avilaroman-Wikileaks-Mirror/cable/2007/08/07BUENOSAIRES1673.html",
    "06BRASILIA478": "gabrielduque-wikileaks-mirror-jp/cable/2006/03/06BRASILIA478.html",
    "06HAVANA11650": "gabrielduque-wikileaks-mirror-jp/cable/2006/06/06HAVANA11650.html",
    "02ROME1196": "gabrielduque-wikileaks-mirror-jp/cable/2002/03/02ROME1196.html",
    "04THEHAGUE281": "avilaroman-Wikileaks-Mirror/cable/2004/02/04THEHAGUE281.html",
    "09STATE14070": "chillicoder-cablegate/cable/2009/02/09STATE14070.html",
    "10BRASILIA108": "chillicoder-cablegate/cable/2010/02/10BRASILIA108.html",
}


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> dict[str, Document]:
    found = {}
    for cable_id, relative in PAGES.items():
        document = next(read_file(str(corpus_dir / relative)))
        assert isinstance(document, Document)
        found[cable_id] = document
    return found


@pytest.fixture(scope="module")
def cables(documents: dict[str, Document]) -> dict[str, Cable]:
    return {cable_id: parse(document) for cable_id, document in documents.items()}


def _cited(cable: Cable) -> list[tuple[str | None, str, str | None]]:
    return [(ref.letter, ref.kind, ref.canonical_id) for ref in cable.references]


# --- subjects glued to the next field ---------------------------------------------------------


def test_ref_label_glued_to_the_subject(cables: dict[str, Cable]) -> None:
    # "SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704"
    cable = cables["08LONDON1991"]
    assert cable.subject == "WHO WOULD REPLACE GORDON BROWN AS UK PRIME"
    assert _cited(cable) == [("A", "cable", "08LONDON1939"), ("B", "cable", "08LONDON1704")]


def test_corrected_copy_notice_is_neither_subject_nor_text(cables: dict[str, Cable]) -> None:
    # The notice is printed under a page counter inside the wrapped SUBJECT and again in paragraph 4.
    cable = cables["08PARIS130"]
    assert cable.subject == "PRESIDENT SARKOZY ARTICULATES HIS FRAMEWORK FOR FRENCH FOREIGN POLICY"
    assert not any("C O R R E C T E D" in paragraph.text for paragraph in cable.paragraphs)
    assert cable.extra["corrected_copy_notice"] == "C O R R E C T E D C O P Y (ADDED TAGS)"


# --- REF items ----------------------------------------------------------------------------------


def test_year_glued_to_the_cited_station(cables: dict[str, Cable]) -> None:
    # "REF: A. 09DHAHRAN 201  B. 09RIYADH 1302  C. 09RIYADH 1397 ... G. RIYADH 103  H. SECSTATE 3080"
    cited = _cited(cables["10RIYADH184"])
    assert cited[:3] == [("A", "cable", "09DHAHRAN201"), ("B", "cable", "09RIYADH1302"), ("C", "cable", "09RIYADH1397")]
    assert ("G", "cable", "10RIYADH103") in cited and ("H", "cable", "10STATE3080") in cited


def test_year_before_the_hague_and_repeated_item_markers(cables: dict[str, Cable]) -> None:
    # "REF: A. REF: A) 2008 THE HAGUE 00021  B. B) 2008 THE HAGUE 00226"
    cable = cables["09THEHAGUE247"]
    assert _cited(cable) == [("A", "cable", "08THEHAGUE21"), ("B", "cable", "08THEHAGUE226")]
    assert [ref.text for ref in cable.references] == ["2008 THE HAGUE 00021", "2008 THE HAGUE 00226"]


def test_intelligence_reports_are_not_cables(cables: dict[str, Cable]) -> None:
    # "D. TD-314/18176-06 ... G. IIR 6 902 9642 06"
    references = {ref.letter: ref for ref in cables["06CARACAS958"].references}
    assert references["G"] == Reference("G", "other", "IIR 6 902 9642 06")
    assert references["D"].kind == "other"
    assert references["B"].canonical_id == "05CARACAS1822"


def test_letter_printed_twice(cables: dict[str, Cable]) -> None:
    # "REF: A. A) BRUSSELS 1389 / B. B) BRUSSELS 1217 / C. C) STATE 50857"
    assert [ref.text for ref in cables["05BRUSSELS1530"].references] == [
        "BRUSSELS 1389",
        "BRUSSELS 1217",
        "STATE 50857",
    ]


def test_bare_letter_between_citations(cables: dict[str, Cable]) -> None:
    # "REF: A. SECSTATE 90063 / B KUALA LUMPUR 739"
    assert _cited(cables["09KUALALUMPUR752"]) == [("A", "cable", "09STATE90063"), ("B", "cable", "09KUALALUMPUR739")]


def test_ref_line_running_on_into_the_text(cables: dict[str, Cable]) -> None:
    # "SUBJECT: ... CONTACTS REF: STATE 6970 As requested in reftel, contacts for NPT issues are: ..."
    cable = cables["09CAIRO189"]
    assert cable.references == (Reference(None, "cable", "STATE 6970", "09STATE6970"),)
    assert cable.paragraphs[0].text.startswith("As requested in reftel")


def test_derived_from_line_ends_the_ref_block(cables: dict[str, Cable]) -> None:
    # "REF: 10 MEXICO 127; 10 SANTIAGO 51; 10 SANTO DOMINGO 67 / DERIVED FROM: DSCG 05-1 B, D"
    cable = cables["10MEXICO141"]
    assert [ref.canonical_id for ref in cable.references] == ["10MEXICO127", "10SANTIAGO51", "10SANTODOMINGO67"]
    assert "DERIVED FROM: DSCG 05-1 B, D" in cable.extra["passing_instructions"]


def test_year_of_a_library_export_document_number(cables: dict[str, Cable]) -> None:
    # A PDF export with no date-time group but "2000HANOI00686 - CONFIDENTIAL" on top.
    assert _cited(cables["00HANOI686"]) == [("A", "cable", "00HANOI637"), ("B", "cable", "00HANOI232")]


def test_cited_cable_without_any_year(documents: dict[str, Document]) -> None:
    # A partial extract: no date-time group, no date anywhere; "REF: STATE 348253" is still a cable,
    # of the year of the published id. The creation time is the site's, to the hour.
    cable = parse(documents["03COLOMBO2200"])
    assert cable.created == datetime(2003, 12, 31, 10, 0, tzinfo=UTC)
    assert any("creation time taken from the publisher" in warning for warning in cable.warnings)
    assert cable.references == (Reference(None, "cable", "STATE 348253", "03STATE348253"),)


def test_unnumbered_paragraph_under_the_ref_line(cables: dict[str, Cable]) -> None:
    # "Ref: STATE 76596 / (blank) / (U) DCM and POL Intern delivered reftel talking points ..." / "VAN VOORST"
    cable = cables["08REYKJAVIK152"]
    assert cable.references == (Reference(None, "cable", "STATE 76596", "08STATE76596"),)
    assert cable.paragraphs[0].marking == "U"
    assert cable.paragraphs[0].text.startswith("DCM and POL Intern delivered")
    assert cable.signers == ("VAN VOORST",)


def test_ref_items_lettered_like_portion_marks(cables: dict[str, Cable]) -> None:
    # "REFS: / (A) 2005 STATE 165022 / ... / (C) 2005 STATE 117165 / ... / (I) CIS DOC." then
    # "CLASSIFIED BY EUR/FO ? IAN KELLY, REASONS: 1.4 (B) AND (D)."
    cable = cables["09STATE14070"]
    assert [ref.letter for ref in cable.references] == list("ABCDEFGHI")
    assert cable.references[2] == Reference("C", "cable", "2005 STATE 117165", "05STATE117165")
    assert cable.classified_by == "IAN KELLY"
    assert cable.paragraphs[0].number == 1


def test_handling_notice_under_the_ref_line(cables: dict[str, Cable]) -> None:
    # "REF: 2009 BRASILIA 1381 / (U) THIS CABLE IS SENSITIVE BUT UNCLASSIFIED AND NOT FOR INTERNET DISTRIBUTION."
    cable = cables["10BRASILIA108"]
    assert cable.references == (Reference(None, "cable", "2009 BRASILIA 1381", "09BRASILIA1381"),)
    assert cable.paragraphs[0].number == 1
    assert any("NOT FOR INTERNET DISTRIBUTION" in line for line in cable.extra["passing_instructions"])


# --- signers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cable_id", "signers", "text_end"),
    [
        ("09PRETORIA939", ("LA LIME",), "End of Part One"),  # "End of Part One LA LIME"
        ("08LONDON1176", ("TUTTLE",), "ed_Kingdom"),  # the post's website banner, then the name
        ("10ANKARA126", ("Jeffrey",), "government."),  # the name, then the website banner
        ("10SEOUL248", ("STEPHENS",), "North Korean people. XXXXXXXXXXX"),  # a redaction before the name
        ("09BEIJING2964", ("Huntsman",), None),  # "Huntsman / huntsman"
        ("09STATE63860", ("CLINTON",), "sourcing available upon request."),  # "CLINTON / XXXXXXXXXXXX"
        ("05ROME1593", ("SEMBLER",), None),  # then "NNNN  2005ROME01593 - Classification: SECRET"
    ],
)
def test_signers(cables: dict[str, Cable], cable_id: str, signers: tuple[str, ...], text_end: str | None) -> None:
    cable = cables[cable_id]
    assert cable.signers == signers
    if text_end is not None:
        assert cable.paragraphs[-1].text.endswith(text_end)
    assert "Classification:" not in cable.paragraphs[-1].text


@pytest.mark.parametrize(
    "cable_id",
    [
        "10BAGHDAD112",  # "... diverging / interests." ends a wrapped sentence
        "08ISLAMABAD525",  # "... raised by the DNI and the DCIA." ends a sentence
    ],
)
def test_no_signer_made_up(cables: dict[str, Cable], cable_id: str) -> None:
    assert cables[cable_id].signers == ()


# --- copies and records printed in the body -----------------------------------------------------


def test_full_copy_after_a_cables_csv_row(cables: dict[str, Cable]) -> None:
    # A truncated first copy ("REF: A. A..."), then a cables.csv row whose header field runs into
    # the banner ('NSC WASHDC","C O N F I D E N T I A L SECTION 01 OF 04 THE' / 'HAGUE 002047').
    cable = cables["06THEHAGUE2047"]
    assert len(cable.paragraphs) == 21
    assert cable.signers == ("ARNALL",)
    assert [ref.canonical_id for ref in cable.references] == [
        "06THEHAGUE2024", "06THEHAGUE2023", "06THEHAGUE1991", "06THEHAGUE1978",
    ]  # fmt: skip
    assert "passing_instructions" not in cable.extra


def test_date_of_a_cables_csv_row_in_the_body(documents: dict[str, Document]) -> None:
    # An undated partial extract followed by '19205,7/29/2004 5:59,04THEHAGUE1903,...': read from
    # the text alone, the record gives the date and so the year of the canonical id.
    cable = parse(replace(documents["04THEHAGUE1903"], metadata=None))
    assert cable.created == datetime(2004, 7, 29, 5, 59, tzinfo=UTC)
    assert cable.canonical_id == "04THEHAGUE1903"


def test_record_with_a_date_but_no_time(documents: dict[str, Document]) -> None:
    # A truncated extract, then a record one field a line ("13722" / "2004-02-04" / "04THEHAGUE281")
    # and the full copy: the date gives the canonical id's year, not a creation time.
    cable = parse(replace(documents["04THEHAGUE281"], metadata=None))
    assert cable.canonical_id == "04THEHAGUE281"
    assert cable.created is None
    assert cable.extra["record_date"] == "2004-02-04"
    assert cable.subject == "DUTCH FM BOT'S VISIT TO THE U.S."
    assert cable.signers == ("SOBEL",)


def test_printed_telegram_section_header_is_no_text(cables: dict[str, Cable]) -> None:
    # Section 2 of a printed telegram: " CONFIDENTIAL PTQ7827", "PAGE 01 ROME 01196 02 OF 02 082031Z
    # ACTION EUR-00", the office list, the FM/TO lines, the banner, then SIPDIS, the corrected-copy
    # notice and the passing, E.O. and TAGS lines printed again, before the text goes on.
    paragraph = cables["02ROME1196"].paragraphs[6]
    assert paragraph.text.startswith("COMMENT: POST WILL CONTINUE TO FOLLOW THE LINE\nESTABLISHED IN THESE MEETINGS")
    for noise in ("PTQ", "LOG-00", "TAGS", "SIPDIS", "C O R R E C T E D", "CONFIDENTIAL"):
        assert noise not in paragraph.text


# --- paragraph numbering --------------------------------------------------------------------------


def _numbers(cable: Cable) -> list[int | None]:
    return [paragraph.number for paragraph in cable.paragraphs]


def test_list_inside_a_marked_paragraph(cables: dict[str, Cable]) -> None:
    # "6.(U) DELEGATION ROSTERS / 1.Michael Stafford ... 6.Brent Bredehoft / 7.Anne Kohnen ...": the
    # roster's 7 and 8 are no paragraphs; "...talking points is in para / 5. / 3.(SBU)" cites para 5.
    cable = cables["07YEREVAN1420"]
    assert _numbers(cable) == [1, 2, 3, 4, 5, 6]
    assert cable.paragraphs[2].marking == "SBU"
    assert "7.Anne Kohnen" in cable.paragraphs[5].text


def test_paragraph_number_cited_on_the_next_line(cables: dict[str, Cable]) -> None:
    # "1.(U) This is an action request. Please see para. / 3. / 2.(S) SUMMARY: ..."
    cable = cables["08ANKARA1417"]
    assert _numbers(cable) == list(range(1, 11))
    assert cable.paragraphs[1].marking == "S"
    assert not any(warning.startswith("irregular") for warning in cable.warnings)


def test_paragraph_run_onto_a_heading(cables: dict[str, Cable]) -> None:
    # "END SUMMARY.Meeting with Governor and VP candidate Cobos 2.  (U) On August 16, ..."
    cable = cables["07BUENOSAIRES1673"]
    assert _numbers(cable) == list(range(1, 14))
    assert cable.paragraphs[1].text.startswith("On August 16")


def test_printed_number_kept_and_sequence_resumed(cables: dict[str, Cable]) -> None:
    # Paragraph 12 is printed "2." after "11."; "13." then goes on with the main sequence (no
    # scanned pilcrow read as a 1) and the irregular numbering is reported.
    cable = cables["06BRASILIA478"]
    assert _numbers(cable)[9:14] == [10, 11, 2, 13, 14]
    assert "irregular paragraph numbering: 2 after 11" in cable.warnings


def test_missing_paragraph_reported(cables: dict[str, Cable]) -> None:
    # The page prints paragraphs 1, 2, 3, 5, ...: no paragraph 4 anywhere.
    cable = cables["06HAVANA11650"]
    assert _numbers(cable)[:4] == [1, 2, 3, 5]
    assert "irregular paragraph numbering: 4 missing" in cable.warnings
