"""Cable reference ids: the canonical form, published ids, and cables cited in REF lists.

Functions for the rest of the parser (the body half uses the last two for REF items):

- ``canonical_id(station, serial, year) -> str`` — ``("USUN NEW YORK", "000457", 2008)`` →
  ``"08USUNNEWYORK457"``.
- ``parse_reference_id(reference_id) -> ReferenceIdParts | None`` — a published id split into
  year, station and serial, malformed ones included (``08SECTION01OF02MANAMA492``,
  ``7575LIBREVILLE1895``); ``.canonical`` is the canonical id to record beside it.
- ``find_station_serial(body) -> tuple[str, str] | None`` — station and serial as printed in the
  classification banner (``C O N F I D E N T I A L STATE 053069`` → ``("STATE", "053069")``) or,
  failing that, in a page-break line (``USOSCE 00000086 002 OF 002``).
- ``cable_reference_canonical_ids(text, default_year) -> tuple[str, ...]`` — every cable cited
  in one REF item: ``"BRASILIA 2799 AND 2764"`` → ``("09BRASILIA2799", "09BRASILIA2764")``,
  ``"08 BERLIN 99"`` → ``("08BERLIN99",)``; the year defaults to the citing cable's year.
- ``cable_reference_canonical_id(text, default_year) -> str | None`` — the first of those.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Two-digit years: the Cablegate release runs from December 1966 to February 2010.
_CENTURY_PIVOT = 66


def full_year(two_digit_year: int) -> int:
    """1966–1999 for 66–99, 2000–2065 for 00–65."""
    if two_digit_year >= 100:
        return two_digit_year
    return (1900 if two_digit_year >= _CENTURY_PIVOT else 2000) + two_digit_year


# What a station's name loses in an id: "USUN NEW YORK", "ST. PETERSBURG", "PORT-AU-PRINCE".
_STATION_PUNCTUATION = re.compile(r"[\s.'-]+")


@functools.lru_cache(maxsize=4096)  # a few thousand spellings of stations, met again and again
def normalize_station(station: str) -> str:
    """The station as it appears in a canonical id: upper case, no spaces, aliases resolved."""
    squeezed = _STATION_PUNCTUATION.sub("", station.upper())
    return _STATION_ALIASES.get(squeezed, squeezed)


# How stations are abbreviated or spelled in citations, mapped to the form used in ids.
# Only spellings that name one station unambiguously belong here.
_STATION_ALIASES: dict[str, str] = {
    "SECSTATE": "STATE",
    "SECSTATEWASHDC": "STATE",
    "DEPT": "STATE",
    "DEPTSTATE": "STATE",
    "USUN": "USUNNEWYORK",
    "USUNNY": "USUNNEWYORK",
    "USUNNEWYORKNY": "USUNNEWYORK",
    "USEU": "USEUBRUSSELS",
    "UNVIE": "UNVIEVIENNA",
    "TAIPEI": "AITTAIPEI",
    "HAGUE": "THEHAGUE",
    "MEXICOCITY": "MEXICO",
    "USOSCEVIENNA": "USOSCE",
    "USNATOBRUSSELS": "USNATO",
    # Abbreviations seen only in REF citations ("05 CASA 1220", "ADDIS 1556", "DELHI 195").
    "CASA": "CASABLANCA",
    "ADDIS": "ADDISABABA",
    "DELHI": "NEWDELHI",
    "DUBAIRPO": "RPODUBAI",
}


# The American Institute in Taiwan replaced the Embassy in Taipei on 1 January 1979: earlier
# telegrams from Taipei are numbered under the Embassy's station, TAIPEI.
_AIT_OPENED = 1979


def canonical_id(station: str, serial: str | int, year: int) -> str:
    """Two-digit year + station without spaces + serial without leading zeros."""
    number = int(serial)
    place = normalize_station(station)
    if place == "AITTAIPEI" and full_year(year) < _AIT_OPENED:
        place = "TAIPEI"
    return f"{year % 100:02d}{place}{number}"


@dataclass(frozen=True, slots=True)
class ReferenceIdParts:
    """A published reference id taken apart."""

    published: str  # exactly as published: "08SECTION01OF02MANAMA492"
    year: int  # four digits: 2008
    station: str  # "MANAMA"
    serial: str  # without leading zeros: "492"
    malformed: bool  # the published id is not in canonical form

    @property
    def canonical(self) -> str:
        return canonical_id(self.station, self.serial, self.year)


_REFERENCE_ID = re.compile(
    r"^(?P<year>\d{2})"
    r"(?P<repeat>\d{2})?"  # "7575LIBREVILLE1895": the year printed twice
    r"(?P<section>S?E?C?T?ION\d+[O0G]F\d+)?"  # "SECTION01OF02", "SCTION02OF02", "ECTION01OF02"
    r"(?P<handling>EFTO|NOFORN|AMEMBASSY)?"  # "09EFTOLONDON2468", "85NOFORNMOGADISHU1643"
    r"(?P<station>[A-Z][A-Z-]*?)"
    r"(?P<serial>\d+)"
    r"(?P<series>(?:TOSEC|SECTO|PARTO|TOPAR)\d+)?$"  # "90STATE255577TOSEC140323": the series number too
)


def parse_reference_id(reference_id: str) -> ReferenceIdParts | None:
    """Split a published reference id; None when it does not look like one at all."""
    text = reference_id.strip().upper()
    match = _REFERENCE_ID.match(text)
    if not match:
        return None
    repeat = match["repeat"]
    malformed = any(match[part] for part in ("section", "handling", "series")) or (
        repeat is not None and repeat == match["year"]
    )
    if repeat is not None and repeat != match["year"]:
        return None
    parts = ReferenceIdParts(
        published=reference_id,
        year=full_year(int(match["year"])),
        station=match["station"],
        serial=str(int(match["serial"])),
        malformed=malformed,
    )
    if not malformed and parts.canonical != text:
        # A serial printed with leading zeros, say: still the same cable, but not canonical.
        return ReferenceIdParts(parts.published, parts.year, parts.station, parts.serial, True)
    return parts


# --- station and serial of the cable itself -------------------------------------------------

# Classification words of a banner, tolerant of the damage seen in the release: letters spaced
# out ("C O N F I D E N T I A L"), the first letter doubled or lost ("SS E C R E T",
# "E C R E T", "NCLAS", "UUNCLAS") and lower case in partial extracts.
_LEVEL_WORDS = (
    r"(?:T\s?O\s?P\s+)?S*\s?E\s?C\s?R\s?E\s?T",
    r"C*\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L",
    r"U*N?\s?C\s?L\s?A\s?S(?:\s?S\s?I\s?F\s?I\s?E\s?D)?(?:\s+E\s?F\s?T\s?O)?",
    r"LIMITED\s+OFFICIAL\s+USE",
    r"SENSITIVE(?:\s+BUT\s+UNCLASSIFIED)?",
)
BANNER_LEVEL = "(?:" + "|".join(_LEVEL_WORDS) + ")"

_STATION_WORDS = r"[A-Z][A-Z'.-]*(?:\s[A-Z][A-Z'.-]*){0,3}"
# Words a bad conversion glues to the station or the serial of a banner: handling words before
# the station ("UNCLAS EFTOLONDON 002468", the release's own "09EFTOLONDON2468"), caveats and
# preamble labels after the serial ("MOSCOW 002353SIPDIS").
_GLUED_BEFORE_STATION = r"(?:\s*(?:E\s?F\s?T\s?O|NOFORN|SIPDIS))?"
GLUED_AFTER_SERIAL = (
    r"(?:SIPDIS|NOFORN|NODIS|EXDIS|LIMDIS|SENSITIVE|E\.\s?O\.|EO\s\d|TAGS|SUBJ|TOSEC|SECTO|PARTO|TOPAR)"
)
# A banner serial: up to seven digits standing alone; six digits end there even when a word is run
# onto them ("MOSCOW 002353SIPDIS", "STATE 255577TOSEC"), a padded one even when a digit is
# ("REYKJAVIK 0000401." is serial 40 and paragraph 1: padded serials never have seven digits).
# A shorter one before a word lost a digit ("BUENOS AIRES 00167SIPDIS" of 07BUENOSAIRES1673).
_BANNER_SERIAL = rf"(?:0\d{{5}}(?=\d)|\d{{6}}(?={GLUED_AFTER_SERIAL})|\d{{1,7}}(?![\dA-Z]))"
_BANNER_STATION_SERIAL = re.compile(
    rf"(?<![A-Za-z])(?P<level>{BANNER_LEVEL})"
    + r"\s*(?://?\s*[A-Z]+\s*)?"  # "SECRET//NOFORN"
    + _GLUED_BEFORE_STATION
    + r"(?:\s*SECTION\s*\d+\s*OF\s*\d+)?"  # "SECTION 01 OF 03LONDON"
    + r"(?:\s+|(?<=\d)|(?<=EFTO)|(?<=NOFORN)|(?<=SIPDIS))(?:(?P<year>\d{2})\s+)?"  # "C O N F I D E N T I A L 75 LIBREVILLE 1895"
    + rf"(?P<station>{_STATION_WORDS})\s+(?P<serial>{_BANNER_SERIAL})",
    re.IGNORECASE,
)
# A page-break line: "USOSCE 00000086 002 OF 002", "PARIS 00002069 001.2 OF 002".
_PAGE_BREAK = re.compile(
    rf"^\s*(?P<station>{_STATION_WORDS})\s+(?P<serial>\d{{8}})\s+\d{{3}}(?:\.\d)?\s+OF\s+\d{{3}}\s*$",
    re.MULTILINE,
)
# How far into the body the banner may sit (after a date line, a metadata record...).
_BANNER_WINDOW = 3000
# The banner nearly always opens the body: the first look squeezes only this much of it.
_FIRST_LOOK = 600
# Each \s of the pattern reads at most one character of a squeezed window (its spaces are single),
# and no repeat but the station's {0,3} holds one: an attempt reads at most this many spaces past
# its start (tests/parse/test_ids.py counts them), so a match with more after it in the first look
# is the whole window's too.
MATCH_SPACES = 64
_NOT_STATIONS = frozenset({"SECTION", "OF", "PAGE", "PARA", "NO"})
_SPACED_LETTERS = re.compile(r"\w \w")


def _looks_like_banner_level(level: str) -> bool:
    """A banner's level is upper case, spaced out ("S e c r e t") or "Unclas"; prose is not."""
    return level.isupper() or _SPACED_LETTERS.search(level) is not None or level.startswith("Unclas")


def find_station_serial(body: str) -> tuple[str, str] | None:
    """Station and serial of the cable as printed in its banner (or a page-break line)."""
    if len(body) > _FIRST_LOOK:
        found = _banner_station_serial(" ".join(body[:_FIRST_LOOK].split()), first_look=True)
        if found:
            return found
    found = _banner_station_serial(" ".join(body[:_BANNER_WINDOW].split()), first_look=False)
    if found:
        return found
    page = _PAGE_BREAK.search(body)
    if page:
        return page["station"].upper(), page["serial"]
    return None


def _banner_station_serial(window: str, *, first_look: bool) -> tuple[str, str] | None:
    """The first banner's station and serial in a squeezed ``window``; on a first look, only a
    banner the rest of the body cannot change (None sends the caller to the whole window)."""
    for match in _BANNER_STATION_SERIAL.finditer(window):
        station = match["station"].upper()
        if station.split()[-1] in _NOT_STATIONS or not _looks_like_banner_level(match["level"]):
            continue
        if first_look and window.count(" ", match.start()) <= MATCH_SPACES:
            return None
        return station, match["serial"]
    return None


# --- cables cited in REF items ---------------------------------------------------------------

# Words that can stand before a number in a REF item without being a station.
_NOT_CITED_STATIONS = frozenset(
    {
        "PARA", "PARAS", "PARAGRAPH", "PARAGRAPHS", "SECTION", "PAGE", "NO", "NUMBER", "AND", "OF",
        "THE", "DATED", "ON", "OR", "IN", "REF", "REFS", "REFTEL", "REFTELS", "TEL", "TELEGRAM",
        "CABLE", "EMAIL", "E-MAIL", "LETTER", "MEMO", "TELCON", "NOTAL", "ALSO", "SEE", "FROM",
        "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
        "OCTOBER", "NOVEMBER", "DECEMBER", "JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP",
        "SEPT", "OCT", "NOV", "DEC", "FY", "UNSCR", "RES", "RESOLUTION", "EO", "E.O.", "CFR",
        "USC", "ARTICLE", "CHAPTER", "ITEM", "TAB", "ANNEX", "TO", "PREVIOUS", "OTHERS", "ATTACHMENT",
        "PART", "FAM", "FAH", "IIR", "TD", "TDX", "DTG", "MSG", "LOR", "EMBASSY", "AMEMBASSY", "AMCONSUL",
        "CONSULATE", "PER", "AS",
    }
)  # fmt: skip
# "THE" opens no station but THE HAGUE.
_STOP = (
    r"(?!THE\s(?!HAGUE\b))(?!(?:"
    + "|".join(re.escape(word) for word in sorted(_NOT_CITED_STATIONS - {"THE"}))
    + r")\b)"
)
_MONTH = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\b"
_CITED = re.compile(
    # the year may be glued to the station: "09RIYADH 1397"
    r"(?<![A-Z0-9])(?:(?P<year>\d{4}\s+|\d{2}\s*))?"
    rf"(?P<station>{_STOP}[A-Z][A-Z'-]+(?:\s{_STOP}[A-Z][A-Z'-]+){{0,3}})\s+"
    # page-break style serials run to eight digits; a number followed by a month, a letter
    # ("251847Z") or a dash ("08-135") is a date, time or document number, not a serial
    rf"(?P<serial>\d{{1,8}})(?!\d)(?![/.:-]\d)(?![A-Z])(?!\s+{_MONTH})"
    # further serials of the same station: "2799 AND 2764", "1234, 1235"; a number followed by
    # a word is the year of the next citation ("AND 08 BERLIN 99"), not a serial.
    r"(?P<more>(?:\s*(?:,|&|\bAND\b)\s*\d{1,8}(?!\d)(?![/.:]\d)(?!\s+(?!AND\b)[A-Z]{2,}))*)"
)
_GLUED = re.compile(r"(?<![A-Z0-9])(?P<year>\d{2})(?P<station>[A-Z]{4,})(?P<serial>\d{1,7})(?![\dA-Z])")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")


def cited_cables(text: str, default_year: int | None) -> tuple[str | None, ...]:
    """One entry per cable cited in a REF item (text as printed, any case): its canonical id, or
    None when the cable is cited but its id cannot be told (no year anywhere, a redacted station)."""
    upper = _SPACES.sub(" ", text.upper())
    found: list[str | None] = []
    for match in _GLUED.finditer(upper):
        found.append(canonical_id(match["station"], match["serial"], full_year(int(match["year"]))))
    for match in _CITED.finditer(upper):
        year = full_year(int(match["year"])) if match["year"] else default_year
        if year is not None and default_year is not None and year > default_year:
            # A cable cannot cite a later one: the number was a day or a count, not a year.
            year = default_year
        station = match["station"]
        redacted = not station.strip("X ")  # "09 XXXXXXXXXXXX 167"
        for serial in [match["serial"], *_NUMBER.findall(match["more"] or "")]:
            if int(serial) > 0:
                found.append(None if year is None or redacted else canonical_id(station, serial, year))
    identified = list(dict.fromkeys(cable for cable in found if cable))
    return (*identified, *(None for cable in found if cable is None))


def cable_reference_canonical_ids(text: str, default_year: int | None) -> tuple[str, ...]:
    """Canonical ids of every cable cited in one REF item (text as printed, any case)."""
    return tuple(cable for cable in cited_cables(text, default_year) if cable)


def cable_reference_canonical_id(text: str, default_year: int) -> str | None:
    """The canonical id of the (first) cable cited in a REF item, or None."""
    ids = cable_reference_canonical_ids(text, default_year)
    return ids[0] if ids else None
