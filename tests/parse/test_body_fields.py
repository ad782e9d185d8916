"""Field readers of the body half on lines taken from real cables (named in each case)."""

from __future__ import annotations

from datetime import date

import pytest

from archive.cable import Reference
from archive.parse.body import parse_body
from archive.parse.markings import parse_banner, parse_marking
from archive.parse.preamble import parse_classified_by, parse_executive_order
from archive.parse.references import parse_references
from archive.parse.tags import parse_tags


@pytest.mark.parametrize(
    ("line", "level", "caveats", "station", "serial", "section"),
    [
        ("C O N F I D E N T I A L STATE 053069", "CONFIDENTIAL", (), "STATE", "053069", None),  # 09STATE53069
        ("C O N F I D E N T I A L SECTION 01 OF 02 MADRID 002583", "CONFIDENTIAL", (), "MADRID", "002583", 1),
        ("UNCLAS SECTION 01 OF 02 USOSCE 000086", "UNCLASSIFIED", (), "USOSCE", "000086", 1),  # 09USOSCE86
        ("S e c r e t state 015220", "SECRET", (), "STATE", "015220", None),  # 08STATE15220
        ("SS E C R E T STATE 123", "SECRET", (), "STATE", "123", None),
        ("UNCLAS E F T O STATE 1234", "UNCLASSIFIED", ("EFTO",), "STATE", "1234", None),
        ("SECRET - ENTIRE TEXT", "SECRET", (), None, None, None),
        ("UNCLASSIFIED BUENOS AIRES 2481", "UNCLASSIFIED", (), "BUENOS AIRES", "2481", None),  # 66BUENOSAIRES2481
    ],
)
def test_banner(line: str, level: str, caveats: tuple[str, ...], station: str | None, serial: str | None,
                section: int | None) -> None:  # fmt: skip
    banner = parse_banner(line)
    assert banner is not None
    assert (banner.level, banner.caveats, banner.station, banner.serial, banner.section) == (
        level, caveats, station, serial, section,
    )  # fmt: skip


def test_ordinary_text_is_no_banner() -> None:
    assert parse_banner("Confidentially, the minister said") is None


@pytest.mark.parametrize(
    ("mark", "printed", "level", "caveats"),
    [
        ("(U)", "U", "UNCLASSIFIED", ()),
        ("(SBU)", "SBU", "SENSITIVE BUT UNCLASSIFIED", ()),
        ("(SBU/N)", "SBU/N", "SENSITIVE BUT UNCLASSIFIED", ("NOFORN",)),
        ("(C/NF)", "C/NF", "CONFIDENTIAL", ("NOFORN",)),  # 08LONDON1991
        ("(S//NF)", "S//NF", "SECRET", ("NOFORN",)),
        ("(TS)", "TS", "TOP SECRET", ()),
        ("(U//FOUO)", "U//FOUO", "UNCLASSIFIED", ("FOUO",)),  # 09STATE15113
        ("(C - ENTIRE TEXT)", "C - ENTIRE TEXT", "CONFIDENTIAL", ()),  # 79TEHRAN8980
    ],
)
def test_portion_marks(mark: str, printed: str, level: str, caveats: tuple[str, ...]) -> None:
    marking = parse_marking(mark)
    assert marking is not None
    assert (marking.printed, marking.level, marking.caveats) == (printed, level, caveats)


def test_abbreviation_in_brackets_is_no_portion_mark() -> None:
    assert parse_marking("(SG)") is None  # 09USOSCE86: "OSCE Secretary General (SG)"


def test_tags_with_person_and_party() -> None:
    tags, warnings = parse_tags("PREL, PGOV, ZI, ZANU-PF, KPKO (CLINTON, HILLARY)")
    assert [(tag.code, tag.kind) for tag in tags] == [
        ("PREL", "subject"),
        ("PGOV", "subject"),
        ("ZI", "country"),
        ("ZANU-PF", "organisation"),
        ("KPKO", "program"),
        ("CLINTON, HILLARY", "person"),
    ]
    assert warnings == ()


def test_glued_tags_split_only_into_known_codes() -> None:
    tags, _ = parse_tags("ECON EINDETRD KIPR PREL FR ITALIAN POLITICS")  # 09PARIS1267, 04ROME902
    assert [tag.code for tag in tags] == ["ECON", "EIND", "ETRD", "KIPR", "PREL", "FR", "ITALIAN", "POLITICS"]


def test_reference_citing_two_cables() -> None:
    assert parse_references("A. BRASILIA 2799 AND 2764 B. STATE 12345", 2009) == (
        Reference("A", "cable", "BRASILIA 2799 AND 2764", "09BRASILIA2799"),
        Reference("A", "cable", "BRASILIA 2799 AND 2764", "09BRASILIA2764"),
        Reference("B", "cable", "STATE 12345", "09STATE12345"),
    )


def test_references_in_brackets_with_years() -> None:
    # 09SAOPAULO602: "REF: (A) 09 SAO PAULO 309 (B) 09 SAO PAULO 182 (C) 08 SAO PAULO 119"
    references = parse_references("(A) 09 SAO PAULO 309 (B) 09 SAO PAULO 182 (C) 08 SAO PAULO 119", 2009)
    assert [(r.letter, r.canonical_id) for r in references] == [
        ("A", "09SAOPAULO309"),
        ("B", "09SAOPAULO182"),
        ("C", "08SAOPAULO119"),
    ]


@pytest.mark.parametrize(
    ("line", "orders", "text", "day"),
    [
        ("E.O. 12958: DECL: 05/22/2019", ("12958",), "05/22/2019", date(2019, 5, 22)),  # 09STATE53069
        ("EO 12958 DECL: 11/29/10", ("12958",), "11/29/10", date(2010, 11, 29)),  # 00HARARE6677
        ("E.O. 12958: N/A", ("12958",), "N/A", None),  # 09USOSCE86
        ("E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P", ("12065",),
         "GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P", date(1985, 8, 12)),
        ("E.O. 11652: GDS", ("11652",), "GDS", None),  # 73TEHRAN2077
    ],
)  # fmt: skip
def test_executive_order(line: str, orders: tuple[str, ...], text: str, day: date | None) -> None:
    executive = parse_executive_order(line)
    assert (executive.orders, executive.declassify_text, executive.declassify_on) == (orders, text, day)


@pytest.mark.parametrize(
    ("text", "name", "title", "reasons"),
    [
        ("EUR/RPM Office Director Bruce Turner for reasons 1.4 (b) & (d)", "Bruce Turner",
         "EUR/RPM Office Director", ("1.4(b)", "1.4(d)")),  # 09STATE53069
        ("A/PolCouns Jon Dorschner for Reasons 1.4 (B, D)", "Jon Dorschner", "A/PolCouns",
         ("1.4(b)", "1.4(d)")),  # 06NEWDELHI5135
        ("SUZANNE MCCORMICK, DIRECTOR, INR/OPS.  REASON: 1.4(C).", "SUZANNE MCCORMICK", "DIRECTOR, INR/OPS",
         ("1.4(c)",)),  # 09STATE62392
        ("DCM Thomas F. Daughton; reasons 1.4 b/d", "Thomas F. Daughton", "DCM", ("1.4(b)", "1.4(d)")),
        ("Political Counselor John Creamer Reasons 1.4 (b and d)", "John Creamer", "Political Counselor",
         ("1.4(b)", "1.4(d)")),  # 08LAPAZ751
    ],
)  # fmt: skip
def test_classified_by(text: str, name: str, title: str, reasons: tuple[str, ...]) -> None:
    classified = parse_classified_by(text)
    assert (classified.name, classified.title, classified.reasons) == (name, title, reasons)


def test_page_break_inside_tags_and_subject() -> None:
    body = parse_body(
        "C O N F I D E N T I A L SECTION 01 OF 02 PARIS 002069\n\nSIPDIS\n\n"
        "E.O. 12958: DECL: 04/01/2019\nTAGS: PREL PGOV\n\nPARIS 00002069 001.2 OF 002\n\nFR EUN\n"
        "SUBJECT: FRENCH VIEWS ON\n\nPARIS 00002069 002 OF 002\n\nTHE SUMMIT\n\n"
        "1. (C) Text of the first paragraph\nrunning on.\n\nSARKOZY\n",
        2009,
    )
    assert [tag.code for tag in body.tags] == ["PREL", "PGOV", "FR", "EUN"]
    assert body.subject == "FRENCH VIEWS ON THE SUMMIT"
    assert body.paragraphs[0].text == "Text of the first paragraph\nrunning on."
    assert body.signers == ("SARKOZY",)
