"""A handling word glued into an office line by a bad conversion still counts: the real
06SAOPAULO1206 with its SENSITIVE line run onto the end of its office line, as held-out
Cablegate pages print it ("... AID/W FOR LAC/AA SENSITIVE SIPDIS")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive.cable import classification_label
from archive.parse import parse
from archive.sources import read_file


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
