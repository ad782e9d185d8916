"""Origin naming in the library convention, checked on FM lines and banners of real cables."""

from __future__ import annotations

import pytest

from archive.parse.origins import origin_from_fm, origin_from_station, station_from_fm


@pytest.mark.parametrize(
    ("fm_line", "origin"),
    [
        ("SECSTATE WASHDC", "Secretary of State"),  # 09STATE53069
        ("AMEMBASSY BERLIN", "Embassy Berlin"),
        ("AMEMBASSY BUENOS AIRES", "Embassy Buenos Aires"),  # 07BUENOSAIRES1673
        ("AMEMBASSY PORT AU PRINCE", "Embassy Port Au Prince"),
        ("AMEMBASSY DAR ES SALAAM", "Embassy Dar Es Salaam"),
        ("AMEMBASSY KIEV", "Embassy Kyiv"),  # the library uses today's spelling
        ("AMCONSUL SAO PAULO", "Consulate Sao Paulo"),
        ("AMCONSUL RIO DE JANEIRO", "Consulate Rio De Janeiro"),
        ("USMISSION USOSCE", "Mission USOSCE"),  # 09USOSCE86
        ("USMISSION USNATO", "Mission USNATO"),
        ("USMISSION GENEVA", "Mission Geneva"),
        ("USMISSION USUN NEW YORK", "USUN New York"),
        ("USMISSION UNVIE VIENNA", "UNVIE"),
        ("USEU BRUSSELS", "USEU Brussels"),  # 09BRUSSELS269
        ("USINT HAVANA", "US Interests Section Havana"),
        ("RPO DUBAI", "Iran RPO Dubai"),
        ("IRAN RPO DUBAI", "Iran RPO Dubai"),
        ("USLO TRIPOLI", "Embassy Tripoli"),
        ("AIT TAIPEI", "American Institute Taiwan, Taipei"),
        ("USOFFICE PRISTINA", "US Office Pristina"),
        ("REO BASRAH", "REO Basrah"),
        ("RUEHC/SECSTATE WASHDC", "Secretary of State"),
        ("USNATO", "Mission USNATO"),
        ("CDR USEUCOM VAIHINGEN GE", "CDR USEUCOM VAIHINGEN GE"),  # no library rule: as printed
    ],
)
def test_origin_from_fm_line(fm_line: str, origin: str) -> None:
    assert origin_from_fm(fm_line) == origin


@pytest.mark.parametrize(
    ("station", "origin"),
    [
        ("TEHRAN", "Embassy Tehran"),  # 79TEHRAN8980
        ("STATE", "Secretary of State"),
        ("ISTANBUL", "Consulate Istanbul"),  # 05ISTANBUL890, a partial extract without FM line
        ("RIO DE JANEIRO", "Consulate Rio De Janeiro"),  # 05RIODEJANEIRO1118
        ("THE HAGUE", "Embassy The Hague"),  # 04THEHAGUE281
        ("USOSCE", "Mission USOSCE"),
        ("USUN NEW YORK", "USUN New York"),
        ("HAVANA", "US Interests Section Havana"),
    ],
)
def test_origin_from_banner_station(station: str, origin: str) -> None:
    assert origin_from_station(station) == origin


@pytest.mark.parametrize(
    ("fm_line", "station"),
    [
        ("SECSTATE WASHDC", "STATE"),
        ("AMEMBASSY LA PAZ", "LA PAZ"),  # 07LAPAZ3262
        ("USMISSION USUN NEW YORK", "USUN NEW YORK"),
        ("USINT HAVANA", "HAVANA"),
        ("USEU BRUSSELS", "USEU BRUSSELS"),
    ],
)
def test_banner_station_of_an_fm_line(fm_line: str, station: str) -> None:
    assert station_from_fm(fm_line) == station
