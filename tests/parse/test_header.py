"""The routing header: split from the body, fields, identity — on real cables, named by id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Document, Recipient, Rejection
from archive.parse import NO_YEAR, parse
from archive.parse.header import (
    Header,
    identify,
    normalize_precedence,
    parse_date_time_group,
    parse_header,
    parse_recipient,
    split_telegram,
)
from archive.parse.ids import parse_reference_id
from archive.sources import read_file
from archive.sources.html import read as read_page


def _parse(text: str) -> tuple[Header, str]:
    header, body = split_telegram(text)
    return parse_header(header), body


def _page(corpus_dir: Path, relative: str) -> tuple[Header, str, str]:
    path = corpus_dir / relative
    document = read_page(str(path), path.read_bytes())
    header, body = split_telegram(document.text)
    return parse_header(header), body, document.text


# --- the seeds --------------------------------------------------------------------------------


def test_seed_000_09STATE53069(examples_dir: Path) -> None:
    text = (examples_dir / "000_cfe706be70c9082a.txt").read_text(encoding="utf-8")
    header, body = split_telegram(text)
    parsed = parse_header(header)
    assert body.startswith("C O N F I D E N T I A L STATE 053069")
    assert "VZCZCXYZ0009" not in body and "RUEKJCS/SECDEF" not in body
    assert parsed.transmission_id == "VZCZCXYZ0009"
    assert parsed.created == datetime(2009, 5, 23, 0, 19, tzinfo=UTC)
    assert parsed.precedence == "IMMEDIATE"
    assert parsed.station == "SECSTATE WASHDC"
    assert parsed.origin == "Secretary of State"
    assert parsed.originator_routing == "RUEHC" and parsed.serial == "3069"
    assert parsed.security == "CCCCC" and parsed.security_level == "CONFIDENTIAL"
    assert parsed.recipients == (
        Recipient("TO", "USMISSION USNATO", "RUEHNO", "IMMEDIATE", "0000"),
        Recipient("INFO", "NATO EU COLLECTIVE", None, "IMMEDIATE", None),
        Recipient("INFO", "AMEMBASSY BELGRADE", "RUEHBW", "IMMEDIATE", "0000"),
        Recipient("INFO", "AMEMBASSY PRISTINA", "RUEHPS", "IMMEDIATE", "0000"),
        Recipient("INFO", "AMEMBASSY TIRANA", "RUEHTI", "IMMEDIATE", "0000"),
        Recipient("INFO", "JOINT STAFF WASHINGTON DC", "RHMFISS", "IMMEDIATE", None),
        Recipient("INFO", "NSC WASHINGTON DC", "RHEHNSC", "IMMEDIATE", "0000"),
        Recipient("INFO", "SECDEF WASHINGTON DC", "RUEKJCS", "IMMEDIATE", None),
    )
    assert parsed.warnings == ()
    identity = identify(parsed, body)
    assert identity.canonical_id == "09STATE53069"
    assert identity.origin == "Secretary of State"


def test_seed_002_09USOSCE86_blank_lines_inside_the_header(examples_dir: Path) -> None:
    text = (examples_dir / "002_756b422504c41c6c.txt").read_text(encoding="utf-8")
    header, body = split_telegram(text)
    parsed = parse_header(header)
    assert body.startswith("UNCLAS SECTION 01 OF 02 USOSCE 000086")
    assert parsed.transmission_id == "VZCZCXRO1843"
    assert parsed.relays[:3] == ("RUEHAST", "RUEHDBU", "RUEHFL") and len(parsed.relays) == 9
    assert (parsed.originator_routing, parsed.serial, parsed.part, parsed.filed) == (
        "RUEHVEN", "0086", "01", "0971527",
    )  # fmt: skip
    assert parsed.security_level == "UNCLASSIFIED"
    assert parsed.created == datetime(2009, 4, 7, 15, 27, tzinfo=UTC)
    assert parsed.precedence == "PRIORITY"
    assert parsed.origin == "Mission USOSCE"
    assert parsed.recipients == (
        Recipient("TO", "SECSTATE WASHDC", "RUEHC", "PRIORITY", "6323"),
        Recipient("INFO", "ORGANIZATION FOR SECURITY IN EUROPE COLLECTIVE", "RUCNOSC", None, None),
        Recipient("INFO", "USMISSION UNVIE VIENNA", "RUEHUNV", "PRIORITY", "1289"),
        Recipient("INFO", "USEU BRUSSELS", "RUEHBS", "PRIORITY", "0196"),
    )
    identity = identify(parsed, body)
    assert identity.canonical_id == "09USOSCE86"
    assert (identity.station, identity.serial) == ("USOSCE", "000086")


def test_09STATE53069_routing_header_printed_twice(examples_dir: Path) -> None:
    text = (examples_dir / "000_cfe706be70c9082a.txt").read_text(encoding="utf-8")
    routing = text[text.index("VZCZCXYZ0009") : text.index("C O N F I D E N T I A L")]
    parsed = parse_header(routing + routing)
    assert len(parsed.recipients) == 8 and parsed.transmission_id == "VZCZCXYZ0009"
    assert parsed.warnings == ("routing header printed twice; the second copy is ignored",)


# --- date-time groups and precedence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "created", "precedence"),
    [
        ("O 230019Z MAY 09", datetime(2009, 5, 23, 0, 19, tzinfo=UTC), "IMMEDIATE"),  # 09STATE53069
        ("P R 041820Z JAN 10", datetime(2010, 1, 4, 18, 20, tzinfo=UTC), "PRIORITY"),
        ("R 130458Z AUG 79", datetime(1979, 8, 13, 4, 58, tzinfo=UTC), "ROUTINE"),  # 79TEHRAN8980
        ("P R 281848Z DEC 66", datetime(1966, 12, 28, 18, 48, tzinfo=UTC), "PRIORITY"),
        ("O 261055Z JAN 10        ZDK", datetime(2010, 1, 26, 10, 55, tzinfo=UTC), "IMMEDIATE"),  # 10BEIJING207
        ("070028Z Apr 04", datetime(2004, 4, 7, 0, 28, tzinfo=UTC), None),  # 04BOGOTA3619, partial extract
        ("Z 010000Z JAN 00", datetime(2000, 1, 1, 0, 0, tzinfo=UTC), "FLASH"),
    ],
)
def test_date_time_group(line: str, created: datetime, precedence: str | None) -> None:
    assert parse_date_time_group(line) == (created, precedence, None)


def test_impossible_date_time_group_is_a_warning_not_a_date() -> None:
    created, precedence, warning = parse_date_time_group("O 311200Z APR 09")
    assert created is None and precedence == "IMMEDIATE"
    assert warning is not None and "311200Z APR 09" in warning


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("IMMEDIATE", "IMMEDIATE"),
        ("PIORITY", "PRIORITY"),
        ("PRIOITY", "PRIORITY"),  # 08BRASILIA93
        ("IMMEDAITE", "IMMEDIATE"),
        ("NIACT IMMEDIATE", "NIACT IMMEDIATE"),
        ("ROUTINE", "ROUTINE"),
        ("FLASH", "FLASH"),
        ("WASHDC", None),
        ("DC", None),
    ],
)
def test_precedence_words_and_typos(printed: str, normalized: str | None) -> None:
    assert normalize_precedence(printed) == normalized


def test_08BRASILIA93_precedence_typo_in_a_date_time_group_only_header() -> None:
    text = (
        "O 151856Z JAN 08\n"
        "FM AMEMBASSY BRASILIA\n"
        "TO SECSTATE WASHDC IMMEDIATE 0861\n"
        "SECDEF WASHDC IMMEDIATE\n"
        "INFO AMEMBASSY BUENOS AIRES PRIOITY \n"
        "AMEMBASSY CARACAS PRIORITY \n"
        "AMEMBASSY MOSCOW PRIORITY \n"
        "AMMBASSY NEW DELHI PRIORITY 0415\n"
        "AMEMBASSY ARIS PRIORITY \n"
        "AMCONSUL RIO DE JANEIRO PRIORITY\n"
        "\n"
        "C O N F I D E N T I A L  BRASILIA 000093 \n"
        " \n"
        "Classified By: Ambassador Clifford Sobel.  Reason 1.5 (b) (d) \n"
    )
    parsed, body = _parse(text)
    assert body.startswith("C O N F I D E N T I A L  BRASILIA 000093")
    assert parsed.transmission_id is None and parsed.created == datetime(2008, 1, 15, 18, 56, tzinfo=UTC)
    assert [r.role for r in parsed.recipients] == ["TO", "TO"] + ["INFO"] * 6  # a multi-line TO list
    assert parsed.recipients[2] == Recipient("INFO", "AMEMBASSY BUENOS AIRES", None, "PRIORITY", None)
    assert parsed.recipients[5] == Recipient("INFO", "AMMBASSY NEW DELHI", None, "PRIORITY", "0415")
    assert identify(parsed, body).canonical_id == "08BRASILIA93"


def test_08STATE103511_niact_and_channel_ranges() -> None:
    assert parse_recipient("TO", "ZEN/AMEMBASSY BELMOPAN NIACT IMMEDIATE 2276-2279") == Recipient(
        "TO", "AMEMBASSY BELMOPAN", "ZEN", "NIACT IMMEDIATE", "2276-2279"
    )


def test_07CAIRO1417_channel_number_run_into_the_name() -> None:
    assert parse_recipient("TO", "RUEHC/SECSTATE WASHDC0000") == Recipient(
        "TO", "SECSTATE WASHDC", "RUEHC", None, "0000"
    )


# --- header shapes -------------------------------------------------------------------------------


def test_10SARAJEVO134_xmt_exclusion() -> None:
    text = (
        "VZCZCXRO9701\n"
        "RR RUEHDBU RUEHFL RUEHKW RUEHLA RUEHNP RUEHROV RUEHSL\n"
        "DE RUEHVJ #0134/01 0401233\n"
        "ZNY SSSSS ZZH\n"
        "R 091233Z FEB 10\n"
        "FM AMEMBASSY SARAJEVO\n"
        "TO RUEHC/SECSTATE WASHDC 1374\n"
        "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE\n"
        "RHEHNSC/NSC WASHDC\n"
        "RUEKJCS/SECDEF WASHDC\n"
        "XMT AMCONSUL STRASBOURG\n"
        "\n"
        "S E C R E T SECTION 01 OF 04 SARAJEVO 000134 \n"
        "\n"
        "NOFORN \n"
    )
    parsed, body = _parse(text)
    assert body.startswith("S E C R E T SECTION 01 OF 04 SARAJEVO 000134")
    assert parsed.recipients[-1] == Recipient("XMT", "AMCONSUL STRASBOURG")
    assert parsed.recipients[0] == Recipient("TO", "SECSTATE WASHDC", "RUEHC", None, "1374")
    assert parsed.precedence == "ROUTINE" and parsed.security_level == "SECRET"
    assert identify(parsed, body).canonical_id == "10SARAJEVO134"


def test_09STATE93327_address_line_with_for_is_not_a_body_line() -> None:
    text = (
        "FM SECSTATE WASHDC\n"
        "TO RUEHVEN/USMISSION USOSCE PRIORITY 3359\n"
        "INFO RUEAIIA/CIA WASHINGTON DC PRIORITY\n"
        "RHMFISS/CDRUSAREUR HEIDELBERG GE//POLAD// PRIORITY\n"
        "ORG FOR SECURITY CO OP IN EUR COLLECTIVE PRIORITY\n"
        "\n"
        "S E C R E T SECTION 01 OF 08 STATE 093327 \n"
    )
    parsed, body = _parse(text)
    assert body.startswith("S E C R E T")
    assert parsed.recipients[-1] == Recipient(
        "INFO", "ORG FOR SECURITY CO OP IN EUR COLLECTIVE", None, "PRIORITY", None
    )


def test_09BUENOSAIRES602_month_appended_to_an_addressee() -> None:
    text = (
        "P 212219Z MAY 09\n"
        "FM AMEMBASSY BUENOS AIRES\n"
        "TO RUEHC/SECSTATE WASHDC PRIORITY 3764\n"
        "INFO RUCNMER/MERCOSUR COLLECTIVE PRIORITY\n"
        "RUEHLP/AMEMBASSY LA PAZ MAY 5290\n"
    )
    parsed = parse_header(text)
    assert parsed.recipients[-1] == Recipient("INFO", "AMEMBASSY LA PAZ", "RUEHLP", None, "5290")
    assert parsed.warnings == ("month MAY removed from the addressee 'AMEMBASSY LA PAZ MAY'",)


def test_05DUBLIN143_partial_extract_dated_by_its_date_line() -> None:
    text = (
        "This record is a partial extract of the original cable. The full text of the original "
        "cable is not available.\n"
        "\n"
        "Friday, 04 February 2005, 16:06\n"
        "S E C R E T SECTION 01 OF 03 DUBLIN 000143 \n"
        "SIPDIS \n"
    )
    parsed, body = _parse(text)
    assert parsed.partial
    assert parsed.created == datetime(2005, 2, 4, 16, 6, tzinfo=UTC)
    assert body.startswith("S E C R E T SECTION 01 OF 03 DUBLIN 000143")
    identity = identify(parsed, body)
    assert identity.canonical_id == "05DUBLIN143"
    assert identity.origin == "Embassy Dublin"  # no FM line: from the banner station


def test_04BOGOTA3619_partial_extract_with_a_lower_case_date_time_group_and_a_record() -> None:
    text = (
        "This record is a partial extract of the original cable. The full text of the original "
        "cable is not available.\n"
        "\n"
        "070028Z Apr 04\n"
        "\n"
        "id: 15777\n"
        "date: 4/7/2004 0:28\n"
        "refid: 04BOGOTA3619\n"
        "header:\n"
        "This record is a partial extract of the original cable. The full text of the original "
        "cable is not available.\n"
        "\n"
        "070028Z Apr 04\n"
        "\n"
        "----------------- header ends ----------------\n"
        "\n"
        "S E C R E T SECTION 01 OF 03 BOGOTA 003619 \n"
    )
    parsed, body = _parse(text)
    assert body.startswith("id: 15777")  # the metadata record belongs to the body half
    assert parsed.partial and parsed.precedence is None and parsed.warnings == ()
    assert parsed.created == datetime(2004, 4, 7, 0, 28, tzinfo=UTC)
    identity = identify(parsed, body)
    assert identity.canonical_id == "04BOGOTA3619"
    assert identity.origin == "Embassy Bogota"


def test_partial_extract_without_any_date_cannot_give_a_canonical_id() -> None:
    # 03COLOMBO2200: the release kept neither header nor date-time group.
    text = (
        "This record is a partial extract of the original cable. The full text of the original "
        "cable is not available.\n"
        "\n"
        "C O N F I D E N T I A L SECTION 01 OF 02 COLOMBO 002200 \n"
    )
    parsed, body = _parse(text)
    assert parsed.created is None
    identity = identify(parsed, body)
    assert identity.canonical_id is None and identity.origin == "Embassy Colombo"
    assert not any("year" in warning for warning in identity.warnings)  # parse says what it finds
    assert NO_YEAR in parse(Document("extract.txt", None, "text", text.encode(), text)).warnings


def test_no_header_at_all() -> None:
    text = "C O N F I D E N T I A L STATE 053069\n\nSIPDIS\n\n1. (U) This is an action request.\n"
    assert split_telegram(text) == ("", text)
    assert parse_header("") == Header()


def test_00HARARE6677_printed_telegram_layout(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2000/11/00HARARE6677.html")
    assert body.startswith("C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677")
    assert parsed.station == "AMEMBASSY HARARE"  # found past page header and office lists
    assert parsed.created == datetime(2000, 11, 29, 13, 59, tzinfo=UTC)
    assert [r.name for r in parsed.recipients] == [
        "SECSTATE WASHDC", "NSC WASHDC", "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY", "AMEMBASSY NAIROBI",
    ]  # fmt: skip
    assert not any("LOG-00" in r.name for r in parsed.recipients)
    assert identify(parsed, body).canonical_id == "00HARARE6677"


def test_09STATE15113_page_header_inside_the_to_line(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2009/02/09STATE15113.html")
    assert parsed.recipients == (
        Recipient("TO", "ALL DIPLOMATIC POSTS COLLECTIVE", None, "PRIORITY", None),
        Recipient("TO", "AMEMBASSY TRIPOLI", None, "PRIORITY", None),
    )
    assert any("page header" in warning for warning in parsed.warnings)
    assert identify(parsed, body).canonical_id == "09STATE15113"


def test_09STATE100153_banner_printed_above_the_header(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2009/09/09STATE100153.html")
    assert parsed.created == datetime(2009, 9, 25, 18, 14, tzinfo=UTC)
    assert body.startswith("UNCLAS SECTION 01 OF 02 STATE 100153")
    assert identify(parsed, body).canonical_id == "09STATE100153"


def test_09KHARTOUM881_header_repeated_in_a_metadata_record(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2009/07/09KHARTOUM881.html")
    assert body.startswith("<<218634>>")
    assert len(parsed.recipients) == 9  # the copy in the record is not read twice
    assert identify(parsed, body).canonical_id == "09KHARTOUM881"


def test_00HANOI686_pdf_export_dated_only_by_its_document_number(corpus_dir: Path) -> None:
    path = corpus_dir / "paul-mathieu-cablegate-cia-analysis/cablegate/00HANOI686.pdf"
    (document,) = read_file(str(path))
    assert isinstance(document, Document)
    parsed, body = _parse(document.text)
    assert parsed.partial and parsed.created is None
    assert parsed.document_number == "2000HANOI00686"
    assert parsed.station == "AMEMBASSY HANOI" and len(parsed.recipients) == 13
    assert body.startswith("C O N F I D E N T I A L SECTION 01 OF 07 HANOI 000686")
    assert identify(parsed, body).canonical_id == "00HANOI686"


# --- identity: banner against header -------------------------------------------------------------


def test_07LAPAZ3262_no_banner_the_header_gives_station_and_serial(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2007/12/07LAPAZ3262.html")
    identity = identify(parsed, body)
    assert identity.canonical_id == "07LAPAZ3262"
    assert identity.warnings == ("no banner: station from the FM line, serial from the DE line",)


def test_07BUENOSAIRES1673_serial_glued_to_the_next_word(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2007/08/07BUENOSAIRES1673.html")
    assert identify(parsed, body).canonical_id == "07BUENOSAIRES1673"


def test_08LAPAZ751_body_of_another_cable_under_the_header(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2008/04/08LAPAZ751.html")
    identity = identify(parsed, body)
    assert identity.canonical_id == "08LAPAZ751"
    assert identity.warnings == ("banner station BOGOTA 004036 differs from the FM line AMEMBASSY LA PAZ",)


def test_09BRUSSELS269_usEU_banner_names_only_the_city(corpus_dir: Path) -> None:
    parsed, body, _ = _page(corpus_dir, "chillicoder-cablegate/cable/2009/02/09BRUSSELS269.html")
    identity = identify(parsed, body)
    assert (identity.canonical_id, identity.origin, identity.warnings) == ("09BRUSSELS269", "USEU Brussels", ())


# --- the whole corpus ----------------------------------------------------------------------------


@pytest.mark.corpus
def test_agreement_with_the_publisher_on_every_page(corpus: tuple[Document | Rejection, ...]) -> None:
    """Ids, dates and origins from the telegram text alone against every page's metadata.

    About 180 partial extracts carry no date-time group at all, so ids and dates are measured on
    the pages that have one; origins on every page.
    """
    pages = dated = ids = dates = origins = 0
    for document in corpus:
        if not document.name.endswith(".html"):
            continue
        assert isinstance(document, Document), document
        metadata = document.metadata
        assert metadata is not None and metadata.reference_id and metadata.created
        header, body = split_telegram(document.text)
        parsed = parse_header(header)
        identity = identify(parsed, body)
        pages += 1
        origins += identity.origin == metadata.origin
        if parsed.created is None:
            continue
        dated += 1
        published = parse_reference_id(metadata.reference_id)
        ids += published is not None and identity.canonical_id == published.canonical
        dates += parsed.created.date() == metadata.created.date()
    assert pages > 2000 and dated > 0.9 * pages
    assert origins / pages >= 0.995
    assert ids / dated >= 0.998
    assert dates / dated >= 0.998
