"""Text cables: raw telegram text (.txt), web-page text (seed 000) and text converted from scans (seed 002)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Document, Rejection
from archive.sources import read_document

TXT = "paul-mathieu-cablegate-cia-analysis/cablegate-converted"


def read(path: Path) -> Document:
    document = read_document(str(path), path.read_bytes())
    assert isinstance(document, Document), document
    assert document.raw == path.read_bytes()
    return document


def test_seed_000_web_page_text_09STATE53069(examples_dir: Path) -> None:
    document = read(examples_dir / "000_cfe706be70c9082a.txt")
    assert document.format == "webtext"
    meta = document.metadata
    assert meta is not None
    assert meta.reference_id == "09STATE53069"
    assert meta.created == datetime(2009, 5, 23, 0, 19, tzinfo=UTC)
    assert meta.classification == "CONFIDENTIAL"
    assert meta.origin == "Secretary of State"
    assert meta.subject == "KFOR: GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE"
    assert meta.tags == ("KV", "MARR", "NATO", "PGOV", "PREL", "KPKO")
    # The text starts at the telegram: none of the page's labels remain.
    assert document.text.startswith("VZCZCXYZ0009\nOO RUEHWEB\n\nDE RUEHC #3069 1430033\n")
    for label in ("Identifier", "Cable title", "Tags:", "pdf"):
        assert label not in document.text
    assert document.text.endswith("execute stage one of deterrent presence.\nCLINTON")


def test_web_page_text_with_label_value_lines_09STATE53069(examples_dir: Path) -> None:
    seed = (examples_dir / "000_cfe706be70c9082a.txt").read_text(encoding="utf-8")
    telegram = seed[seed.index("VZCZCXYZ0009") :]
    labelled = (
        "Identifier: 09STATE53069\nCreated: 2009-05-23 00:19:00\nReleased: 2010-11-28 18:18\n"
        "Classification: CONFIDENTIAL\nOrigin: Secretary of State\n"
        "Cable title: KFOR: GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE\nTags: KV, MARR, NATO\n\n" + telegram
    )
    document = read_document("labelled.txt", labelled.encode("utf-8"))
    assert isinstance(document, Document) and document.metadata is not None
    assert document.format == "webtext"
    assert document.metadata.reference_id == "09STATE53069"
    assert document.metadata.released == datetime(2010, 11, 28, 18, 18, tzinfo=UTC)
    assert document.metadata.subject == "KFOR: GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE"
    assert document.metadata.tags == ("KV", "MARR", "NATO")
    assert document.text == telegram


def test_seed_002_text_from_a_scan_09USOSCE86(examples_dir: Path) -> None:
    document = read(examples_dir / "002_756b422504c41c6c.txt")
    assert document.format == "scan"
    assert document.metadata is None
    text = document.text
    assert "$" not in text and "\\underline" not in text and "<u>" not in text and "</u>" not in text
    assert not any(line.startswith("- ") for line in text.split("\n"))
    assert "\nTAGS: EAID OSCE PREL\n" in text
    # OCR damage, the cut-off SUBJECT and the page break are left for the parser.
    assert "\nSUBJECT: S/CRS AMB HERBST PITCHES RE\n" in text
    assert "\n11. Summary: S/CRS Ambassador Herbst" in text
    assert "\n2. (SBU) In his presentation to the Security Committee" in text
    assert "OSCE Secretary General ¶5. (SG) de Brichambaut" in text
    assert "\nUSOSCE 00000086 002 OF 002\n" in text
    assert text.endswith("END COMMENT SCOTT")


def test_raw_telegram_text_latin1_crlf_09PARIS1007(example_cables: Path) -> None:
    document = read(example_cables / TXT / "09PARIS1007.txt")
    assert document.format == "text"
    assert document.metadata is None
    assert b"\r\n" in document.raw and "\r" not in document.text
    assert document.text.startswith("\nVZCZCXRO5911\nOO RUEHDBU")
    # Byte B6 is the paragraph sign in the ISO-8859-1 export.
    assert "\n¶1. (C) Summary:   Mubarak and Sarkozy reportedly are in \n" in document.text
    assert "\ufffd" not in document.text


def test_paragraph_sign_damaged_to_replacement_character_is_restored_09PARIS1007(example_cables: Path) -> None:
    latin1 = (example_cables / TXT / "09PARIS1007.txt").read_bytes()
    damaged = latin1.decode("cp1252").replace("¶", "\ufffd").encode("utf-8")
    document = read_document("09PARIS1007.txt", damaged)
    assert isinstance(document, Document)
    assert document.raw == damaged
    assert "\n¶1. (C) Summary:" in document.text and "\n¶2.  (C)  According" in document.text


@pytest.mark.corpus
def test_corpus_text_files_are_kept_as_printed(corpus_dir: Path, corpus: tuple[Document | Rejection, ...]) -> None:
    documents = [item for item in corpus if Path(item.name).parent == corpus_dir / TXT]
    assert len(documents) == 24
    for document in documents:
        assert isinstance(document, Document) and document.format == "text", document
        # Nothing changes but the line ends (page breaks and all stay for the parser).
        raw = Path(document.name).read_bytes()
        expected = raw.decode("utf-8") if raw.isascii() else raw.decode("cp1252")
        assert document.text == expected.replace("\r\n", "\n")


def test_unrelated_text_is_rejected() -> None:
    # The subject line heuer/cablemap stores beside 08BRASILIA93: text, but no cable.
    rejection = read_document("08BRASILIA93.txt", b"BRAZIL'S NUCLEAR SUBMARINE AMBITIONS\n")
    assert isinstance(rejection, Rejection)
    assert rejection.message.startswith("unrelated text: no telegram lines")
    assert rejection.raw == b"BRAZIL'S NUCLEAR SUBMARINE AMBITIONS\n"
