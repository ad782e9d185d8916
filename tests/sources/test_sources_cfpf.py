"""CFPF bodies (1973–79, AAD electronic telegrams as History Lab annotated them): the id comes from the
file name, the annotation markup never reaches the text (../shared/corpus-forms/cfpf-ner-annotated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cable import Document, Rejection
from archive.parse import parse
from archive.sources import detect_format, read_document, read_paths

CFPF = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-forms" / "cfpf-ner-annotated"
BODIES = sorted(CFPF.glob("*.txt"))


def test_every_sampled_body_is_read_with_its_id_from_the_file_name() -> None:
    assert len(BODIES) == 32
    for path in BODIES:
        [document] = list(read_paths([str(path)]))
        assert isinstance(document, Document) and document.format == "cfpf", path.name
        aad = path.stem.rsplit("__", 1)[1]
        assert document.metadata is not None
        assert document.metadata.apparatus == {"aad_message_record_number": aad}
        cable = parse(document)
        assert cable.reference_id == cable.canonical_id
        assert cable.reference_id.startswith(aad[2:4])


@pytest.mark.parametrize(
    ("name", "reference_id"),
    [
        ("gt__train__1976STATE012708.txt", "76STATE12708"),
        ("gt__train__1978KHARTO02715.txt", "78KHARTOUM2715"),
        ("gt__train__1974USUNN04833.txt", "74USUNNEWYORK4833"),
        ("gt__dev__1976NEWDE13223.txt", "76NEWDELHI13223"),
        ("gt__train__1975TELAV05348.txt", "75TELAVIV5348"),
        ("gt__train__1979STOCKH03310.txt", "79STOCKHOLM3310"),
        ("gt__train__1973MOSCOW15075.txt", "73MOSCOW15075"),
    ],
)
def test_cut_station_names_are_spelled_out(name: str, reference_id: str) -> None:
    [document] = list(read_paths([str(CFPF / name)]))
    assert isinstance(document, Document)
    assert parse(document).reference_id == reference_id


def test_the_entity_list_and_the_mention_markup_are_removed() -> None:
    raw = (CFPF / "gt__train__1976STATE012708.txt").read_bytes()
    assert detect_format(raw) == "cfpf"
    document = read_document("1976STATE012708.txt", raw)
    assert isinstance(document, Document)
    assert "PER.IND" not in document.text and "@@@" not in document.text
    assert "[[" not in document.text and "||" not in document.text and "]]" not in document.text
    cable = parse(document)
    assert cable.paragraphs
    assert "no classification found; UNCLASSIFIED assumed" in cable.warnings


@pytest.mark.parametrize("path", BODIES, ids=lambda path: path.name)
def test_no_markup_in_any_paragraph(path: Path) -> None:
    [document] = list(read_paths([str(path)]))
    assert isinstance(document, Document)
    for paragraph in parse(document).paragraphs:
        assert "[[" not in paragraph.text and "||" not in paragraph.text, paragraph.text


def test_damaged_markup_is_unwrapped_with_a_warning() -> None:
    [document] = list(read_paths([str(CFPF / "gt__train__1979LONDON02802.txt")]))
    assert isinstance(document, Document)
    assert "[[US MISSION GENEVA || 15]" not in document.text and "US MISSION GENEVA" in document.text
    assert document.warnings and document.warnings[0].startswith("annotation markup damaged in the source")


def test_a_body_whose_file_name_holds_no_id_is_rejected() -> None:
    raw = (CFPF / "gt__train__1976STATE012708.txt").read_bytes()
    rejection = read_document("annotated-body.txt", raw)
    assert isinstance(rejection, Rejection)
    assert rejection.message.startswith("a CFPF body names its telegram only in the file name")
