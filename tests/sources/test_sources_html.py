"""Cablegate site pages in every layout of the corpus: metadata from the table, <h3> and TAGS links; telegram text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Document, Rejection
from archive.sources import read_document
from archive.sources.html import parse_page


def read_page(example_cables: Path, relative: str) -> Document:
    path = example_cables / relative
    document = read_document(str(path), path.read_bytes())
    assert isinstance(document, Document), document
    assert document.format == "html"
    assert document.raw == path.read_bytes()
    return document


def test_dec_2010_layout_09BEIJING1247(example_cables: Path) -> None:
    document = read_page(example_cables, "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html")
    meta = document.metadata
    assert meta is not None
    assert meta.reference_id == "09BEIJING1247"
    assert meta.created == datetime(2009, 5, 8, 10, 10, tzinfo=UTC)
    assert meta.released == datetime(2010, 11, 29, 21, 9, tzinfo=UTC)
    # The anchor text, not its title= attribute ("unclassified").
    assert meta.classification == "CONFIDENTIAL"
    assert meta.origin == "Embassy Beijing"
    assert meta.subject == "BEIJING-BASED G-5 CHIEFS OF MISSION ON DPRK, GTMO"
    assert meta.tags == ("PREL", "PGOV", "PHUM", "KIRF", "ECON", "CH", "FR", "JA", "GM", "UK")
    text = document.text
    assert text.startswith("VZCZCXRO9500\nOO RUEHCN RUEHGH RUEHVC\nDE RUEHBJ #1247/01 1281039\n")
    # Header and body joined by one blank line; entities decoded; links reduced to their text.
    assert "RHEHNSC/NSC WASHDC IMMEDIATE\n\nC O N F I D E N T I A L SECTION 01 OF 02 BEIJING 001247 \n" in text
    assert "TAGS: PREL PGOV PHUM KIRF ECON CH FR JA GM UK\nSUBJECT: BEIJING-BASED" in text
    assert "\n1. (C) At the regular meeting of G-5 Ambassadors in Beijing \n" in text
    assert "¶" not in text and "&#x" not in text and "<a" not in text and "\r" not in text


def test_relative_links_mirror_09ASHGABAT86(example_cables: Path) -> None:
    document = read_page(example_cables, "gabrielduque-wikileaks-mirror-jp/cable/2009/01/09ASHGABAT86.html")
    assert document.metadata is not None
    assert document.metadata.tags == ("PGOV", "PINR", "EIND", "CIS", "FR", "TX")
    # The <h3> keeps only the first SUBJECT line; the telegram has both.
    assert document.metadata.subject == "BOUYGUES APPEARS TO HAVE A SHELF LIFE IN"
    assert "SUBJECT: BOUYGUES APPEARS TO HAVE A SHELF LIFE IN \nTURKMENISTAN, BUT WORK CONTINUES" in document.text
    assert "\n1. (C) During a January 18 conversation" in document.text


def test_spring_2011_partial_extract_03COLOMBO2200(example_cables: Path) -> None:
    document = read_page(example_cables, "avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html")
    meta = document.metadata
    assert meta is not None
    assert meta.released == datetime(2011, 3, 19, 1, 1, tzinfo=UTC)
    assert meta.tags == ("PGOV", "PREL", "PINS", "CE", "NO", "JA", "EU", "IN", "LTTE")
    assert document.text.startswith(
        "This record is a partial extract of the original cable. The full text of the original cable is "
        "not available.\n\nC O N F I D E N T I A L SECTION 01 OF 02 COLOMBO 002200 \n"
    )


def test_aug_2011_torrent_layout_66BUENOSAIRES2481(example_cables: Path) -> None:
    document = read_page(example_cables, "MarkChips-cablegate-search-app/test-set/1966/12/66BUENOSAIRES2481.html")
    meta = document.metadata
    assert meta is not None
    assert meta.created == datetime(1966, 12, 28, 18, 48, tzinfo=UTC)
    assert meta.released == datetime(2011, 8, 30, 1, 44, tzinfo=UTC)
    assert meta.classification == "UNCLASSIFIED"  # its title= says "unclassified//fouo"
    assert meta.tags == ("EFIS", "PBTS", "AR")
    assert document.text.startswith("P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\n")


def test_malformed_published_id_7575LIBREVILLE1895_is_kept(example_cables: Path) -> None:
    document = read_page(example_cables, "MarkChips-cablegate-search-app/test-set/1975/11/7575LIBREVILLE1895.html")
    assert document.metadata is not None
    assert document.metadata.reference_id == "7575LIBREVILLE1895"
    assert document.metadata.subject == ""  # the site printed no subject for it
    assert "SUBJ: KOREA AT 30TH UNGA: GABON" in document.text


def test_early_2011_layout_with_a_dump_record_in_the_body_07BERN881(example_cables: Path) -> None:
    document = read_page(example_cables, "heuer-cablemap/data-subject/in/07BERN881.html")
    assert document.metadata is not None
    assert document.metadata.created == datetime(2007, 9, 11, 9, 9, tzinfo=UTC)
    assert document.metadata.subject == 'FM CALMY-REY "TAKES NOTE" OF USG CONCERNS \\'
    # The site's body holds a tab-separated record of the old dump: kept as published.
    assert "\n\n2007-09-11 09:44:00\t07BERN881\tEmbassy Bern\tSECRET\t07STATE124823\tVZCZCXRO4549\\\n" in document.text


def test_cable_without_subject_08TRIPOLI220(example_cables: Path) -> None:
    document = read_page(example_cables, "heuer-cablemap/data-subject/in/08TRIPOLI220.html")
    assert document.metadata is not None
    assert document.metadata.subject == ""
    assert "SUBJECT" not in document.text


def test_lettered_paragraph_anchors_and_br_tags_09LAPAZ96(example_cables: Path) -> None:
    document = read_page(example_cables, "chillicoder-cablegate/cable/2009/01/09LAPAZ96.html")
    # <a id='parB'>¶</a> anchors go; <br> adds nothing (the &#x000A; after it is the line end).
    assert "REF: A. 08 LAPAZ 2606 \nB. LA PAZ 6 \n\nC. LA PAZ 11 \nD. LA PAZ 62 \n" in document.text
    assert "¶" not in document.text


def test_paragraph_signs_kept_on_request_09LAPAZ96(example_cables: Path) -> None:
    raw = (example_cables / "chillicoder-cablegate/cable/2009/01/09LAPAZ96.html").read_bytes()
    page = parse_page(raw, paragraph_signs=True)
    assert "REF: A. 08 LAPAZ 2606 \n¶B. LA PAZ 6 \n" in page.body
    assert "\n¶1. (C) Summary:" in page.body


def test_split_tag_links_00HARARE5461(example_cables: Path) -> None:
    document = read_page(example_cables, "gabrielduque-wikileaks-mirror-jp/cable/2000/09/00HARARE5461.html")
    assert document.metadata is not None
    # The site linked "ZANU-PF" as two tags; the comparison (archive.check) knows it.
    assert document.metadata.tags == ("PGOV", "PINS", "ZI", "MDC", "ZANU", "PF")


def test_reissued_version_and_its_dec_2010_twin_09LONDON2478(example_cables: Path) -> None:
    dec_2010 = read_page(example_cables, "gabrielduque-wikileaks-mirror-jp/cable/2009/11/09LONDON2478.html")
    reissued = read_page(example_cables, "avilaroman-Wikileaks-Mirror/cable/2009/11/09LONDON2478.html")
    assert dec_2010.metadata is not None and reissued.metadata is not None
    assert dec_2010.metadata.reference_id == reissued.metadata.reference_id == "09LONDON2478"
    assert dec_2010.metadata.released == datetime(2010, 12, 13, 23, 11, tzinfo=UTC)
    assert reissued.metadata.released == datetime(2011, 2, 4, 21, 9, tzinfo=UTC)
    assert "Tuesday, 03 November 2009, 15:52\nUNCLAS SECTION 01 OF 03 LONDON 002478" in dec_2010.text
    assert "Tuesday, 03 November 2009" not in reissued.text
    assert dec_2010.text != reissued.text


@pytest.mark.corpus
def test_every_corpus_page_reads(corpus: tuple[Document | Rejection, ...]) -> None:
    pages = 0
    for item in corpus:
        if not item.name.endswith(".html"):
            continue
        assert isinstance(item, Document), item
        pages += 1
        meta = item.metadata
        assert meta is not None
        assert meta.reference_id == Path(item.name).stem
        assert meta.created is not None and meta.released is not None
        assert meta.classification in {
            "UNCLASSIFIED",
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "CONFIDENTIAL",
            "CONFIDENTIAL//NOFORN",
            "SECRET",
            "SECRET//NOFORN",
        }
        assert meta.origin and meta.subject is not None
        assert item.text.strip() and "&#x" not in item.text and "<pre>" not in item.text
    assert pages == 2191


def test_page_without_cable_table_is_rejected() -> None:
    rejection = read_document("about.html", b"<!DOCTYPE html>\n<html><body><h1>About us</h1></body></html>\n")
    assert isinstance(rejection, Rejection)
    assert rejection.message == "not a cablegate cable page: no <table class='cable'> with the cable's metadata"


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9])
def test_truncated_page_is_rejected_09BEIJING1247(example_cables: Path, cut: float) -> None:
    raw = (example_cables / "chillicoder-cablegate/cable/2009/05/09BEIJING1247.html").read_bytes()
    truncated = raw[: int(len(raw) * cut)]
    rejection = read_document("09BEIJING1247.html", truncated)
    assert isinstance(rejection, Rejection)
    assert rejection.message == "truncated HTML: the page ends before </html>"
    assert rejection.raw == truncated
