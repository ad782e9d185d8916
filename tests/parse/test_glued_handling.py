"""Words a bad conversion glues together still read as the telegram means them: the real
06SAOPAULO1206 with its SENSITIVE line run onto the end of its office line, as held-out
Cablegate pages print it ("... AID/W FOR LAC/AA SENSITIVE SIPDIS"); banners of the real 09LONDON604
with a handling word, the section counter or the next token glued to station or serial; the
real run-on header line of 09MOSCOW2353 read from its text alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Document, classification_label
from archive.parse import parse
from archive.sources import read_file
from archive.sources.text import read as read_text
from tests.parse.test_flattened import flatten


def test_06SAOPAULO1206_sensitive_glued_to_the_office_line(corpus_dir: Path) -> None:
    path = corpus_dir / "gabrielduque-wikileaks-mirror-jp/cable/2006/11/06SAOPAULO1206.html"
    document = next(read_file(str(path)))
    original = parse(replace(document, metadata=None))
    assert "SIPDIS \nSENSITIVE \nSIPDIS" in document.text
    glued = document.text.replace("SIPDIS \nSENSITIVE \nSIPDIS", "SIPDIS", 1).replace(
        "AID/W FOR LAC/AA \n", "AID/W FOR LAC/AA SENSITIVE SIPDIS\n", 1
    )
    cable = parse(replace(document, text=glued, metadata=None))
    assert original.level == cable.level == "SENSITIVE BUT UNCLASSIFIED"
    assert classification_label(cable.level, cable.caveats) == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.canonical_id == original.canonical_id == "06SAOPAULO1206"


def _london604(corpus_dir: Path) -> Document:
    path = corpus_dir / "chillicoder-cablegate/cable/2009/03/09LONDON604.html"
    return replace(next(read_file(str(path))), metadata=None)


@pytest.mark.parametrize(
    ("banner", "level"),
    [
        ("UNCLAS EFTOLONDON 000604", "UNCLASSIFIED"),  # a handling word glued to the station
        ("C O N F I D E N T I A L SECTION 01 OF 03LONDON 000604", "CONFIDENTIAL"),  # the section counter
        ("C O N F I D E N T I A L SECTION 01 OF 03 LONDON 0006041", "CONFIDENTIAL"),  # a digit run onto the serial
        ("C O N F I D E N T I A L SECTION 01 OF 03 LONDON 000604SIPDIS", "CONFIDENTIAL"),  # SIPDIS run onto it
    ],
)
def test_09LONDON604_banner_glued_without_routing_header(corpus_dir: Path, banner: str, level: str) -> None:
    # Only the date-time group above the banner: the id must come from the banner itself.
    document = _london604(corpus_dir)
    real = "C O N F I D E N T I A L SECTION 01 OF 03 LONDON 000604"
    text = "P 091522Z MAR 09\n\n" + document.text[document.text.index(real) :].replace(real, banner, 1)
    for form in (text, flatten(text)):
        cable = parse(replace(document, text=form))
        assert (cable.canonical_id, cable.level) == ("09LONDON604", level), form[:120]
        assert [tag.code for tag in cable.tags] == ["PGOV", "PREL", "ECON", "PINR", "UK"]


def test_09MOSCOW2353_header_run_together_on_one_line_inside_normal_text(corpus_dir: Path) -> None:
    # The page's own run-on line, here with no routing header and a SUBJECT glued to the TAGS as
    # held-out pages print it: read as text it is a cable, dated by the publisher's date before the banner.
    path = corpus_dir / "avilaroman-Wikileaks-Mirror/cable/2009/09/09MOSCOW2353.html"
    page = next(read_file(str(path)))
    text = page.text[page.text.index("Cable dated:") :].replace("PREL RS\n", "PREL RSSUBJECT: TNK-BP OUTLOOK\n", 1)
    assert "\n" not in text[: text.index("SUBJECT")]
    document = read_text("09MOSCOW2353.txt", text.encode())
    cable = parse(document)
    assert (cable.canonical_id, cable.created, cable.level) == (
        "09MOSCOW2353",
        datetime(2009, 9, 14, 13, 52, tzinfo=UTC),
        "CONFIDENTIAL",
    )
    assert (cable.subject, [tag.code for tag in cable.tags]) == (
        "TNK-BP OUTLOOK",
        ["EPET", "ENRG", "ECON", "PREL", "RS"],
    )
    # Without the date the same extract still is a cable: a provisional id from its banner.
    undated = parse(read_text("09MOSCOW2353.txt", text.replace("Cable dated:2009-09-14T13:52:00", "").encode()))
    assert undated.reference_id == "PROVISIONAL-MOSCOW-2353" and undated.canonical_id is None
