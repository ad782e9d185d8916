"""PDF exports: text extracted with pypdf, link-layout artefacts repaired, page furniture removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cable import Document, Rejection
from archive.sources import read_document
from archive.sources.pdf import repair_link_layout, strip_page_furniture

PDF = "paul-mathieu-cablegate-cia-analysis/cablegate"


def read(path: Path) -> Document:
    document = read_document(str(path), path.read_bytes())
    assert isinstance(document, Document), document
    assert document.format == "pdf"
    assert document.raw == path.read_bytes()
    assert document.metadata is None
    return document


def test_tags_links_and_paragraph_anchors_00BANDARSERIBEGAWAN695(example_cables: Path) -> None:
    text = read(example_cables / PDF / "00BANDARSERIBEGAWAN695.pdf").text
    assert text.startswith("O 120718Z OCT 00\nFM AMEMBASSY BANDAR SERI BEGAWAN\n")
    # One link per line in the extraction; one TAGS line as on the page (the second line was no link).
    assert "\nTAGS: APEC ECON OPDC BX\nOVIP (CLINTON, WILLIAM J.) \nSUBJECT: SULTAN OF BRUNEI'S LETTER" in text
    # The "¶" anchor had a line of its own: gone, as on the HTML page.
    assert "\n1.  FOLLOWING IS AN ADVANCE COPY OF SULTAN \n" in text
    assert "¶" not in text
    assert text.rstrip().endswith("STANFIELD")


def test_full_routing_header_00ATHENS1501(example_cables: Path) -> None:
    text = read(example_cables / PDF / "00ATHENS1501.pdf").text
    assert text.startswith("VZCZCXYZ0000\nRR RUEHWEB\nDE RUEHTH #1501 2661510\n")
    assert "\nTAGS: EAID PREF EAGR ET KE SO EUN GR\nSUBJECT: GREEK RESPONSE ON URGENT SUPPORT" in text


@pytest.mark.corpus
def test_every_corpus_pdf_reads(corpus_dir: Path, corpus: tuple[Document | Rejection, ...]) -> None:
    documents = [item for item in corpus if Path(item.name).parent == corpus_dir / PDF]
    assert len(documents) == 14
    for document in documents:
        assert isinstance(document, Document) and document.format == "pdf", document
        lines = document.text.split("\n")
        assert "¶" not in lines
        assert not any(line.strip() in {"TAGS:", "TAGS"} for line in lines), document.name


def test_multi_page_text_joins_at_line_boundaries_00ABUDHABI5893(corpus_dir: Path) -> None:
    text = read(corpus_dir / PDF / "00ABUDHABI5893.pdf").text
    # Page 1 ends "... THE ARABS " and page 2 begins "WOULD ACCEPT THE ISRAELIS".
    assert "ALL THEY WERE SEEKING WAS THEIR INDEPENDENCE.  THE ARABS \nWOULD ACCEPT THE ISRAELIS" in text


def test_running_headers_and_footers_are_removed() -> None:
    pages = [
        "Cable 00ATHENS1501 - printed 11/8/2015\nVZCZCXYZ0000\nFM AMEMBASSY ATHENS\nPage 1 of 2",
        "Cable 00ATHENS1501 - printed 11/8/2015\nATHENS 00001501 002 OF 002\nSpeckhard\nPage 2 of 2",
    ]
    assert strip_page_furniture(pages) == [
        "VZCZCXYZ0000\nFM AMEMBASSY ATHENS",
        "ATHENS 00001501 002 OF 002\nSpeckhard",
    ]


def test_telegram_lines_are_not_mistaken_for_furniture() -> None:
    # Consecutive telegram pages start differently: nothing is removed.
    pages = ["R 310838Z OCT 00\nFM AMEMBASSY ABU DHABI", "WOULD ACCEPT THE ISRAELIS\nKATTOUF"]
    assert strip_page_furniture(pages) == pages
    assert strip_page_furniture(["one page only\nPage 1 of 1"]) == ["one page only\nPage 1 of 1"]


def test_repair_leaves_ordinary_tags_lines_alone() -> None:
    text = "TAGS: PGOV PREL\nSUBJECT: X\n \n¶\n1. (C) TEXT"
    assert repair_link_layout(text) == "TAGS: PGOV PREL\nSUBJECT: X\n \n1. (C) TEXT"


def test_truncated_pdf_is_rejected_00ATHENS1501(example_cables: Path) -> None:
    raw = (example_cables / PDF / "00ATHENS1501.pdf").read_bytes()
    rejection = read_document("00ATHENS1501.pdf", raw[: len(raw) // 2])
    assert isinstance(rejection, Rejection)
    assert rejection.format == "pdf"
    assert rejection.message.startswith("unreadable PDF: ")
    assert "\n" not in rejection.message
