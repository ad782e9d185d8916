"""Origin naming: the station of a cable in the WikiLeaks library convention.

The FM line names the sending post the way the telegram system does (``AMEMBASSY BUENOS
AIRES``, ``AMCONSUL SAO PAULO``, ``USMISSION USOSCE``, ``SECSTATE WASHDC``); the library names it
``Embassy Buenos Aires``, ``Consulate Sao Paulo``, ``Mission USOSCE``, ``Secretary of State``.
General rules cover the post types; the few posts the library names irregularly are listed.
When a cable has no FM line (partial extracts), the station printed in its banner
(``TEHRAN 08980``) gives the origin instead: :func:`origin_from_station`.
"""

from __future__ import annotations

import functools
import re

# Post-type prefixes of FM lines and the library's word for them.
_POST_TYPES: dict[str, str] = {
    "AMEMBASSY": "Embassy",
    "AMEMB": "Embassy",
    "AMCONSUL": "Consulate",
    "AMCONGEN": "Consulate",
    "USMISSION": "Mission",
    "USOFFICE": "US Office",
    "USINT": "US Interests Section",
    "REO": "REO",
    "USLO": "Embassy",  # the US Liaison Office Tripoli's cables are filed under Embassy Tripoli
}

# Posts the library names irregularly, keyed by the FM line without its post-type prefix.
_IRREGULAR: dict[str, str] = {
    "SECSTATE WASHDC": "Secretary of State",
    "SECSTATE WASHINGTON DC": "Secretary of State",
    "SECSTATE": "Secretary of State",
    "USUN NEW YORK": "USUN New York",
    "UNVIE VIENNA": "UNVIE",
    "UNVIE": "UNVIE",
    "USEU BRUSSELS": "USEU Brussels",
    "USEU": "USEU Brussels",
    "RPO DUBAI": "Iran RPO Dubai",
    "IRAN RPO DUBAI": "Iran RPO Dubai",
    "AIT TAIPEI": "American Institute Taiwan, Taipei",
    "AMERICAN INSTITUTE TAIWAN TAIPEI": "American Institute Taiwan, Taipei",
    "UN ROME": "UN Rome",
    "UNESCO PARIS": "Mission UNESCO",
    "USNATO BRUSSELS BE": "Mission USNATO",
}

# Cities whose English name the library spells differently from the telegram address.
_CITY_NAMES: dict[str, str] = {
    "KIEV": "Kyiv",
}

# Consular posts, for naming a cable by its banner station alone (no FM line): the telegram
# addresses of the corpus (AMCONSUL X) list them.
CONSULATE_STATIONS: frozenset[str] = frozenset(
    {
        "ADANA", "ALEXANDRIA", "AMSTERDAM", "AUCKLAND", "BARCELONA", "BELFAST", "CALCUTTA",
        "CAPE TOWN", "CASABLANCA", "CHENGDU", "CHENNAI", "CHIANG MAI", "CIUDAD JUAREZ", "CURACAO",
        "DHAHRAN", "DUBAI", "DURBAN", "DUSSELDORF", "EDINBURGH", "FLORENCE", "FRANKFURT",
        "GUADALAJARA", "GUANGZHOU", "GUAYAQUIL", "HALIFAX", "HAMBURG", "HAMILTON", "HERMOSILLO",
        "HO CHI MINH CITY", "HONG KONG", "HYDERABAD", "ISTANBUL", "JEDDAH", "JERUSALEM",
        "JOHANNESBURG", "KARACHI", "KOLKATA", "KRAKOW", "LAGOS", "LAHORE", "LEIPZIG", "LYON",
        "MARSEILLE", "MATAMOROS", "MELBOURNE", "MERIDA", "MILAN", "MONTERREY", "MONTREAL", "MUMBAI",
        "MUNICH", "NAHA", "NAPLES", "NOGALES", "NUEVO LAREDO", "OSAKA KOBE", "PERTH", "PESHAWAR",
        "PONTA DELGADA", "QUEBEC", "RECIFE", "RIO DE JANEIRO", "SAO PAULO", "SAPPORO", "SHANGHAI",
        "SHENYANG", "ST PETERSBURG", "STRASBOURG", "SURABAYA", "SYDNEY", "THESSALONIKI", "TIJUANA",
        "TORONTO", "VANCOUVER", "VLADIVOSTOK", "YEKATERINBURG",
    }
)  # fmt: skip

# Banner stations that are not cities; the value is the FM-line form they stand for.
_STATION_POSTS: dict[str, str] = {
    "STATE": "SECSTATE WASHDC",
    "SECSTATE": "SECSTATE WASHDC",
    "USOSCE": "USMISSION USOSCE",
    "USNATO": "USMISSION USNATO",
    "GENEVA": "USMISSION GENEVA",
    "USUN NEW YORK": "USMISSION USUN NEW YORK",
    "USUN": "USMISSION USUN NEW YORK",
    "UNVIE VIENNA": "USMISSION UNVIE VIENNA",
    "UNVIE": "USMISSION UNVIE VIENNA",
    "USEU BRUSSELS": "USEU BRUSSELS",
    "HAVANA": "USINT HAVANA",
    "AIT TAIPEI": "AIT TAIPEI",
    "TAIPEI": "AIT TAIPEI",
    "RPO DUBAI": "RPO DUBAI",
    "IRAN RPO DUBAI": "IRAN RPO DUBAI",
    "PRISTINA": "AMEMBASSY PRISTINA",
}


def title_case(words: str) -> str:
    """``RIO DE JANEIRO`` → ``Rio De Janeiro``, the library's casing (every word capitalised)."""
    return " ".join(word.capitalize() for word in words.split())


_ROUTING_INDICATOR = re.compile(r"^[A-Z0-9]{3,8}/")  # "RUEHC/SECSTATE WASHDC"
_TRAILING_CHANNEL = re.compile(r"\s+\d+\s*$")  # "AMEMBASSY BERLIN 1234"
_SPACES = re.compile(r"\s+")


def clean_station(station: str) -> str:
    """An FM line's station without routing indicator, channel number and stray spacing."""
    text = _ROUTING_INDICATOR.sub("", station.strip().upper())
    text = _TRAILING_CHANNEL.sub("", text)
    return _SPACES.sub(" ", text).strip(" .,")


@functools.lru_cache(maxsize=4096)  # a cable's post is one of a few thousand, met again and again
def origin_from_fm(station: str) -> str | None:
    """Library origin for the FM line's station: ``AMEMBASSY BERLIN`` → ``Embassy Berlin``."""
    text = clean_station(station)
    if not text:
        return None
    if text in _IRREGULAR:
        return _IRREGULAR[text]
    prefix, _, rest = text.partition(" ")
    if prefix in _POST_TYPES and rest:
        if rest in _IRREGULAR:
            return _IRREGULAR[rest]
        if prefix == "USMISSION" and re.fullmatch(r"US[A-Z]+", rest):
            return f"Mission {rest}"  # USNATO, USOSCE: the library keeps the acronym
        place = _CITY_NAMES.get(rest) or title_case(rest)
        return f"{_POST_TYPES[prefix]} {place}"
    if text in _STATION_POSTS:  # a bare station: "USNATO"
        return origin_from_fm(_STATION_POSTS[text])
    # Another sender ("CDR USEUCOM VAIHINGEN GE"): the library has no rule, keep it as printed.
    return text


@functools.lru_cache(maxsize=4096)  # a cable's post is one of a few thousand, met again and again
def origin_from_station(station: str) -> str | None:
    """Library origin for a banner station (``TEHRAN`` → ``Embassy Tehran``) when there is no FM line."""
    text = _SPACES.sub(" ", station.strip().upper())
    if not text:
        return None
    if text in _STATION_POSTS:
        return origin_from_fm(_STATION_POSTS[text])
    if text in CONSULATE_STATIONS:
        return origin_from_fm(f"AMCONSUL {text}")
    return origin_from_fm(f"AMEMBASSY {text}")


# FM-line stations whose banner (and id) station is not simply the place after the post type.
_FM_BANNER_STATIONS: dict[str, str] = {
    "SECSTATE WASHDC": "STATE",
    "SECSTATE WASHINGTON DC": "STATE",
    "SECSTATE": "STATE",
}
# Post types whose FM line is "<type> <station>"; the others (USEU, AIT, RPO…) are printed whole.
_PLACE_PREFIXES = frozenset(_POST_TYPES)


@functools.lru_cache(maxsize=4096)  # a cable's post is one of a few thousand, met again and again
def station_from_fm(station: str) -> str | None:
    """The banner station of an FM line: ``AMEMBASSY LA PAZ`` → ``LA PAZ``, ``SECSTATE WASHDC`` → ``STATE``."""
    text = clean_station(station)
    if not text:
        return None
    if text in _FM_BANNER_STATIONS:
        return _FM_BANNER_STATIONS[text]
    prefix, _, rest = text.partition(" ")
    if prefix in _PLACE_PREFIXES and rest:
        return rest
    return text
