"""Reference ids: canonical form, published ids (malformed ones too), banners and REF citations."""

from __future__ import annotations

import random

import pytest

from archive.parse.ids import (
    _BANNER_STATION_SERIAL,
    _BANNER_WINDOW,
    MATCH_SPACES,
    ReferenceIdParts,
    _banner_station_serial,
    cable_reference_canonical_id,
    cable_reference_canonical_ids,
    canonical_id,
    cited_cables,
    find_station_serial,
    full_year,
    normalize_station,
    parse_reference_id,
)


@pytest.mark.parametrize(
    ("station", "serial", "year", "expected"),
    [
        ("STATE", "053069", 2009, "09STATE53069"),  # seed 000
        ("USOSCE", "000086", 2009, "09USOSCE86"),  # seed 002
        ("USUN NEW YORK", "000457", 2008, "08USUNNEWYORK457"),
        ("AIT TAIPEI", "000012", 2010, "10AITTAIPEI12"),
        ("TAIPEI", "05268", 1977, "77TAIPEI5268"),  # before AIT (1979) the Embassy's station
        ("TAIPEI", "000012", 1979, "79AITTAIPEI12"),
        ("RIO DE JANEIRO", "001118", 2005, "05RIODEJANEIRO1118"),
        ("TEHRAN", "08980", 1979, "79TEHRAN8980"),
        ("UNVIE VIENNA", "000279", 2009, "09UNVIEVIENNA279"),
    ],
)
def test_canonical_id(station: str, serial: str, year: int, expected: str) -> None:
    assert canonical_id(station, serial, year) == expected


def test_two_digit_years_span_the_release() -> None:
    assert (full_year(66), full_year(99), full_year(0), full_year(10)) == (1966, 1999, 2000, 2010)


def test_station_aliases_used_in_citations() -> None:
    assert normalize_station("SECSTATE") == "STATE"
    assert normalize_station("USUN") == "USUNNEWYORK"
    assert normalize_station("the hague") == "THEHAGUE"


@pytest.mark.parametrize(
    ("published", "canonical", "malformed"),
    [
        ("09STATE53069", "09STATE53069", False),
        ("08SECTION01OF02MANAMA492", "08MANAMA492", True),
        ("7575LIBREVILLE1895", "75LIBREVILLE1895", True),  # MarkChips test set
        ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335", True),
        ("08ECTION01OF02MANAMA492", "08MANAMA492", True),
        ("10AITTAIPEI12", "10AITTAIPEI12", False),
        ("09STATE053069", "09STATE53069", True),
        # The release's ids with a handling word or a series number run in (heuer/cablemap lists them)
        ("09EFTOLONDON2468", "09LONDON2468", True),
        ("85NOFORNMOGADISHU1643", "85MOGADISHU1643", True),
        ("09AMEMBASSYHANOI1284", "09HANOI1284", True),
        ("90STATE255577TOSEC140323", "90STATE255577", True),
        ("06TAIPEI2654", "06AITTAIPEI2654", True),  # the id's station and the printed AIT TAIPEI agree
    ],
)
def test_published_reference_ids(published: str, canonical: str, malformed: bool) -> None:
    parts = parse_reference_id(published)
    assert parts is not None
    assert (parts.canonical, parts.malformed, parts.published) == (canonical, malformed, published)


def test_published_id_parts() -> None:
    assert parse_reference_id("7575LIBREVILLE1895") == ReferenceIdParts(
        "7575LIBREVILLE1895", 1975, "LIBREVILLE", "1895", True
    )
    assert parse_reference_id("not an id") is None
    assert parse_reference_id("7475LIBREVILLE1895") is None  # two different years


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("C O N F I D E N T I A L STATE 053069 \n\nSIPDIS\n", ("STATE", "053069")),  # 09STATE53069
        ("UNCLAS SECTION 01 OF 02 USOSCE 000086\n\nSIPDIS\n", ("USOSCE", "000086")),  # 09USOSCE86
        ("C o n f i d e n t i a l section 01 of 04 ankara 000348\n", ("ANKARA", "000348")),  # 04ANKARA348
        ("C O N F I D E N T I A L \nSECTION 01 OF 02 BAKU 000687 SIPDIS E.O. 12958", ("BAKU", "000687")),  # 09BAKU687
        ("SS E C R E T SECTION 01 OF 03 ISLAMABAD 000428 \n", ("ISLAMABAD", "000428")),  # 10ISLAMABAD428
        ("E C R E T SANAA 000473 \n\nSIPDIS", ("SANAA", "000473")),  # 07SANAA473
        ("NCLAS SECTION 01 OF 02 BRASILIA 001017 \n", ("BRASILIA", "001017")),  # 09BRASILIA1017
        ("C O N F I D E N T I A L 75 LIBREVILLE 1895 \nE.O. 11652: NGDS", ("LIBREVILLE", "1895")),
        ("Cable dated:2009-09-14T13:52:00C O N F I D E N T I A L SECTION 01 OF 03 MOSCOW 002353SIPDIS",
         ("MOSCOW", "002353")),  # 09MOSCOW2353: serial glued to the next word
        # Glued variants of real banners (issue #9: ids misread where the text gives one):
        ("UNCLAS EFTOLONDON 000604\n", ("LONDON", "000604")),  # 09LONDON604, EFTO glued to the station
        ("C O N F I D E N T I A L SECTION 01 OF 03LONDON 000604\n", ("LONDON", "000604")),  # counter glued
        ("C O N F I D E N T I A L REYKJAVIK 0000401. (C) Summary", ("REYKJAVIK", "000040")),  # serial + "1."
        ("S E C R E T NOFORNMOGADISHU 01643\n", ("MOGADISHU", "01643")),  # release id 85NOFORNMOGADISHU1643
        ("S E C R E T STATE 255577TOSEC 140323\n", ("STATE", "255577")),  # a series number glued on
        ("S E C R E T STATE 255577 TOSEC 140323\n", ("STATE", "255577")),  # 90STATE255577 of the TOSEC series
        ("C O N F I D E N T I A L SECTO 03002\n", ("SECTO", "03002")),  # the Secretary's series: 09SECTO3002
        ("C O N F I D E N T I A L SECTION 01 OF 02 AIT TAIPEI 001234\n", ("AIT TAIPEI", "001234")),
        ("<<248522>>\nUNCLASSIFIED//FOR OFFICIAL USE ONLY\n10STATE10152\nVZCZCXYZ0007\n\n"
         "Unclas nairobi 000165\n", ("NAIROBI", "000165")),  # 10NAIROBI165: past a metadata record
        ("SIPDIS\n\nE.O. 12958: DECL: 12/15/2027\n\nHAVANA 00000258  001.3 OF 002\n\ntext",
         ("HAVANA", "00000258")),  # a page-break line when the banner is missing
        ("SIPDIS \n \nE.O. 12958: DECL: 12/15/2027 \n", None),  # 07LAPAZ3262
        ("SIPDIS\n\nthe secret police 12 times", None),  # prose is no banner
    ],
)  # fmt: skip
def test_station_and_serial_of_the_banner(body: str, expected: tuple[str, str] | None) -> None:
    assert find_station_serial(body) == expected


def in_the_whole_window(body: str) -> tuple[str, str] | None:
    """``find_station_serial`` without its first look: the first banner of the whole squeezed window."""
    return _banner_station_serial(" ".join(body[:_BANNER_WINDOW].split()), first_look=False)


def test_a_banner_match_reads_fewer_spaces_than_the_first_look_trusts() -> None:
    # Each \s reads at most one space of a squeezed window; the station's {0,3} repeats one thrice.
    assert _BANNER_STATION_SERIAL.pattern.count(r"\s") + 2 < MATCH_SPACES
    words = ["SECRET", "S E C R E T", "UNCLAS", "SECTION 01 OF 02", "LA PAZ", "STATE", "000906", "1234", "the", "of"]
    rng = random.Random(14)
    # prose, then banners and words at random: the first banner anywhere in the window or beyond it
    bodies = [
        " \n".join(["the"] * rng.randint(0, 700) + [rng.choice(words) for _ in range(rng.randint(0, 200))])
        for _ in range(3_000)
    ]
    assert sum(in_the_whole_window(body) is not None for body in bodies) > 1_000
    assert [find_station_serial(body) for body in bodies] == [in_the_whole_window(body) for body in bodies]


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        ("STATE 12345", ("09STATE12345",)),
        ("08 BERLIN 99", ("08BERLIN99",)),
        ("09 STATE 1234", ("09STATE1234",)),
        ("BRASILIA 2799 AND 2764", ("09BRASILIA2799", "09BRASILIA2764")),
        ("BUENOS AIRES 1234, 1235 AND 1236", ("09BUENOSAIRES1234", "09BUENOSAIRES1235", "09BUENOSAIRES1236")),
        ("BRASILIA 2799 AND 08 BERLIN 99", ("09BRASILIA2799", "08BERLIN99")),
        ("USOSCE 00182", ("09USOSCE182",)),  # 09STATE93327
        ("RECIFE 00000074", ("09RECIFE74",)),  # 05RECIFE78, page-break style serial
        ("03 SAO PAULO 092", ("03SAOPAULO92",)),  # 04BRASILIA873
        ("STATE 162318 (NOTAL)", ("09STATE162318",)),
        ("PARA 4 OF STATE 123", ("09STATE123",)),
        ("08STATE1234", ("08STATE1234",)),
        ("2009 STATE 1234", ("09STATE1234",)),
        ("USUN 457", ("09USUNNEWYORK457",)),
        ("09RIYADH 1397", ("09RIYADH1397",)),  # 10RIYADH184: year glued to the station
        ("2008 THE HAGUE 00021", ("08THEHAGUE21",)),  # 09THEHAGUE247
        ("EMBASSY VIENNA 1450", ("09VIENNA1450",)),  # 09UNVIEVIENNA540
        ("05 CASA 1220", ("05CASABLANCA1220",)),  # 08CASABLANCA81
        ("IIR 6 902 9642 06", ()),  # 06CARACAS958: an intelligence report number
        ("OSD REPORT DTG 251847Z MAR 08", ()),  # 08BRASILIA429: a date-time group
        ("7 FAM 180", ()),  # 09STATE119085: the Foreign Affairs Manual
        ("PARIS POINTS 20 SEPTEMBER 2007", ()),  # 07PARIS3956: a day of a month
        ("ATTACHMENT 1 TO LOR 08-135", ()),  # 09CAIRO125
        ("LONDON DAILY REPORT 7-28-08", ()),  # 09LONDON27
        ("EMAIL FROM SMITH OCTOBER 12", ()),
        ("SECTION 1 OF 2", ()),
    ],
)
def test_cables_cited_in_a_reference(cited: str, expected: tuple[str, ...]) -> None:
    assert cable_reference_canonical_ids(cited, 2009) == expected


def test_a_cited_year_after_the_citing_cable_is_not_a_year() -> None:
    # "30 STATE 1234" in a 2009 cable: 2030 is impossible, the number was no year.
    assert cable_reference_canonical_ids("30 STATE 1234", 2009) == ("09STATE1234",)


def test_cited_cable_without_a_year() -> None:
    # 03COLOMBO2200, an undated partial extract: "STATE 348253" cites a cable whose id is unknown.
    assert cited_cables("STATE 348253", None) == (None,)
    assert cited_cables("09 XXXXXXXXXXXX 167", 2010) == (None,)  # 10SHENYANG4: a redacted station


def test_first_cited_cable() -> None:
    assert cable_reference_canonical_id("BRASILIA 2799 AND 2764", 2008) == "08BRASILIA2799"
    assert cable_reference_canonical_id("YOUR EMAIL OF MAY 5", 2008) is None
