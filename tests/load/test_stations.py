"""The station rule: every printed addressee and every origin named as one station (archive.load.stations)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest

from archive.cable import Cable, InputError
from archive.load.stations import station_of


@pytest.mark.parametrize(
    ("printed", "station", "rule"),
    [
        ("SECSTATE WASHDC", "Secretary of State", "post"),
        ("Secretary of State", "Secretary of State", "post"),  # an origin, as the library names it
        ("AMEMBASSY BELGRADE", "Embassy Belgrade", "post"),
        ("RUEHC/SECSTATE WASHDC 0000", "Secretary of State", "post"),  # routing indicator and channel go
        ("SECDEF WASHDC", "Secretary of Defense", "agency"),
        ("SECDEF WASHINGTON DC", "Secretary of Defense", "agency"),
        ("SECDEF WASHINGTON DC//USDP/ISA/ISA-EURNATO//", "Secretary of Defense", "agency"),  # an office of it
        ("JOINT STAFF WASHDC//J5/RUE//", "Joint Staff", "agency"),
        ("NRC WASHDC", "NRC WASHINGTON DC", "printed"),  # no rule names it: one spelling of Washington
        ("NRC WASHINGTON DC", "NRC WASHINGTON DC", "printed"),
        ("CDR USEUCOM VAIHINGEN GE", "CDR USEUCOM VAIHINGEN GE", "printed"),
    ],
)
def test_a_printed_form_names_its_station(printed: str, station: str, rule: str) -> None:
    assert station_of(printed) == (station, rule)


@pytest.mark.corpus
def test_every_addressee_and_origin_of_the_corpus_has_one_station(
    parsed_corpus: Mapping[str, Cable | InputError],
) -> None:
    cables = [cable for cable in parsed_corpus.values() if isinstance(cable, Cable)]
    origins = {cable.origin for cable in cables if cable.origin}
    addressees = Counter(recipient.name for cable in cables for recipient in cable.recipients)
    for name in origins | set(addressees):
        station = station_of(name).name
        assert station_of(station).name == station, name  # a station's name names itself
    # The FM line as printed and the origin the library gives it are one station, for every cable.
    assert {
        (c.station, c.origin)
        for c in cables
        if c.station and c.origin and station_of(c.station).name != station_of(c.origin).name
    } == set()
    # Addressees printed several ways meet: each of these stations is addressed more than one way.
    spellings = Counter(station_of(name).name for name in addressees)
    assert all(spellings[name] > 1 for name in ("Secretary of Defense", "Joint Staff", "National Security Council"))
    # How many addressees no rule names (docs/bi.md reports the numbers): fewer than half, by name and by use.
    unmapped = [name for name in addressees if station_of(name).rule == "printed"]
    assert len(unmapped) < len(addressees) / 2
    assert sum(addressees[name] for name in unmapped) < sum(addressees.values()) / 4
