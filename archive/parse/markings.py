"""Classification words, banners and portion marks → level + caveats.

A cable's banner (``C O N F I D E N T I A L SECTION 01 OF 05 KABUL 003934``) and the portion
mark opening each paragraph (``(S//NF)``, ``(SBU/N)``, ``(C - ENTIRE TEXT)``) name a level and
handling caveats in many spellings; this module reads them all into the names of
``archive.cable.LEVELS`` and ``archive.cable.CAVEATS``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from archive.cable import LEVEL_RANK


def _spaced(word: str) -> str:
    """A pattern matching ``word`` with its letters optionally spaced out."""
    return r"\s?".join(re.escape(letter) for letter in word)


# Banner words, tolerant of the damage seen in the release: spaced-out letters, the first letter
# doubled ("SS E C R E T", "CC O N F I D E N T I A L") or lost ("E C R E T"), any case.
_BANNER_WORDS: tuple[tuple[str, str], ...] = (
    (r"T\s?O\s?P\s+S\s?E\s?C\s?R\s?E\s?T", "TOP SECRET"),
    (r"S?S?\s?" + _spaced("ECRET"), "SECRET"),
    (r"C?C?\s?" + _spaced("ONFIDENTIAL"), "CONFIDENTIAL"),
    (r"LIMITED\s+OFFICIAL\s+USE", "LIMITED OFFICIAL USE"),
    (r"SENSITIVE\s+BUT\s+UNCLASSIFIED", "SENSITIVE BUT UNCLASSIFIED"),
    (r"U?U?\s?" + _spaced("NCLASSIFIED"), "UNCLASSIFIED"),
    (r"U?U?\s?" + _spaced("NCLAS"), "UNCLASSIFIED"),
)
_BANNER_LEVEL = "|".join(f"(?P<w{i}>{pattern})" for i, (pattern, _) in enumerate(_BANNER_WORDS))
# The level each group of ``_BANNER_LEVEL`` stands for, in the order they are tried.
_LEVEL_GROUPS = tuple((f"w{i}", level) for i, (_, level) in enumerate(_BANNER_WORDS))
# Compiled once, not looked up in re's cache by their text on every banner.
_EFTO = re.compile(r"E\s?F\s?T\s?O", re.IGNORECASE)
_BANNER_TAIL = re.compile(r"[\s/A-Z-]*")

# The banner: level, optional caveats ("//NOFORN", "E F T O", "NOFORN"), optional section counter,
# optional station and serial. A date line glued in front ("Cable dated:2009-...") is skipped.
BANNER = re.compile(
    r"^\s*(?:\",)?\"?(?:Cable dated:\S*?)?(?P<level>" + _BANNER_LEVEL + r")"
    r"(?P<caveats>(?:\s*//?\s*[A-Z]+|\s*E\s?F\s?T\s?O|\s+(?:NOFORN|NODIS|EXDIS|LIMDIS|SIPDIS))*)"
    r"(?:\s*-+\s*ENTIRE\s+TEXT)?"
    r"(?:\s+SECTION(?:\s+(?P<section>\d+)\s+OF\s+(?P<sections>\d+))?)?"
    # the station may be glued to a section counter or EFTO ("SECTION 01 OF 03LONDON", "EFTOLONDON")
    r"(?:(?:\s+|(?<=\d)|(?<=EFTO))(?:(?P<year>\d{2})\s+)?"
    r"(?P<station>[A-Z][A-Z'.-]*(?:\s[A-Z][A-Z'.-]*){0,3}?)\s+(?P<serial>0\d{5}(?=\d)|\d{1,7}(?!\d)))?"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Banner:
    """A classification banner line taken apart."""

    level: str
    caveats: tuple[str, ...]
    station: str | None  # upper case as printed: "USUN NEW YORK"
    serial: str | None  # as printed: "000457"
    section: int | None
    sections: int | None
    rest: str  # what follows on the same line (text glued by a bad conversion)


_NOT_STATIONS = frozenset({"SECTION", "OF", "PAGE", "PARA", "NO", "TEXT"})


def parse_banner(line: str) -> Banner | None:
    """The banner on ``line``, or None when the line does not open with a classification word."""
    match = BANNER.match(line)
    if not match:
        return None
    level = next(level for group, level in _LEVEL_GROUPS if match[group] is not None)
    caveats = caveats_of(match["caveats"] or "")
    if level == "UNCLASSIFIED" and _EFTO.search(match["caveats"] or ""):
        caveats = (*caveats, "EFTO")
    station = match["station"].upper() if match["station"] else None
    serial = match["serial"]
    rest = match["rest"] or ""
    if station is not None and station.split()[-1] in _NOT_STATIONS:
        station = serial = None
    if station is None and not _is_banner_tail(rest):
        return None
    return Banner(
        level=level,
        caveats=caveats,
        station=station,
        serial=serial,
        section=int(match["section"]) if match["section"] else None,
        sections=int(match["sections"]) if match["sections"] else None,
        rest=rest.strip(),
    )


def _is_banner_tail(rest: str) -> bool:
    """A banner without station: nothing, or only a caveat/"ENTIRE TEXT" remark, may follow."""
    return not rest.strip() or (bool(_BANNER_TAIL.fullmatch(rest)) and len(rest.strip()) <= 30)


# --- caveats ----------------------------------------------------------------------------------

# Spellings of handling caveats, upper-cased, mapped to the archive's names.
_CAVEAT_NAMES: dict[str, str] = {
    "NOFORN": "NOFORN",
    "NF": "NOFORN",
    "N": "NOFORN",
    "NOFORNS": "NOFORN",
    "SIPDIS": "SIPDIS",
    "NODIS": "NODIS",
    "EXDIS": "EXDIS",
    "LIMDIS": "LIMDIS",
    "STADIS": "STADIS",
    "NOTAL": "NOTAL",
    "FOUO": "FOUO",
    "ORCON": "ORCON",
    "OC": "ORCON",
    "REL": "REL",
}


# What separates caveats ("NOFORN/SIPDIS", "NF, REL"), and runs of spaces in a portion mark.
_CAVEAT_SEPARATORS = re.compile(r"[\s/,;]+")
_SPACES = re.compile(r"\s+")


def caveat_name(word: str) -> str | None:
    """The archive's name for one caveat word, or None when it is not one."""
    return _CAVEAT_NAMES.get(word.strip().upper())


def caveats_of(text: str) -> tuple[str, ...]:
    """Every caveat named in ``text`` (``//NOFORN``, ``NOFORN SIPDIS``), in order, once each."""
    if not text:  # most banners and marks name none: no split for them
        return ()
    found = (caveat_name(word) for word in _CAVEAT_SEPARATORS.split(text) if word)
    return tuple(dict.fromkeys(name for name in found if name))


# --- portion marks ----------------------------------------------------------------------------

MARK_LEVELS: dict[str, str] = {
    "U": "UNCLASSIFIED",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "UNCLAS": "UNCLASSIFIED",
    "SBU": "SENSITIVE BUT UNCLASSIFIED",
    "LOU": "LIMITED OFFICIAL USE",
    "C": "CONFIDENTIAL",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "S": "SECRET",
    "SECRET": "SECRET",
    "TS": "TOP SECRET",
}
# "(C)", "(S//NF)", "(SBU/N)", "(U//FOUO)", "(C - ENTIRE TEXT)", "(S/NF/REL UK)", "(C-NF)": the
# level letters, then caveats after slashes, hyphens or spaces, then an optional remark.
PORTION_MARK = re.compile(
    r"\(\s*(?P<mark>(?P<level>TS|SBU|LOU|U|C|S|UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET)"
    r"(?P<caveats>(?:\s*(?://?|-|\s)\s*(?:NOFORN|NF|N|SIPDIS|NODIS|EXDIS|LIMDIS|FOUO|ORCON|OC|REL[A-Z ,]*?))*)"
    r"(?P<entire>\s*-+\s*ENTIRE\s+TEXT)?)\s*\)\.?",
)


@dataclass(frozen=True, slots=True)
class Marking:
    """A portion mark: as printed (without brackets) and normalised."""

    printed: str
    level: str
    caveats: tuple[str, ...]


def parse_marking(mark: str) -> Marking | None:
    """A portion mark such as ``(S//NF)``; None when the text is not one."""
    match = PORTION_MARK.fullmatch(mark.strip())
    if not match:
        return None
    return marking_of(match)


def marking_of(match: re.Match[str]) -> Marking:
    """The ``Marking`` of a ``PORTION_MARK`` match."""
    return _marking(match["mark"], match["level"], match["caveats"] or "")


@functools.lru_cache(maxsize=1024)  # a cable's paragraphs repeat a few spellings of their marks
def _marking(mark: str, level: str, caveats: str) -> Marking:
    return Marking(printed=_SPACES.sub(" ", mark.strip()), level=MARK_LEVELS[level], caveats=caveats_of(caveats))


def highest(levels: list[str]) -> str | None:
    """The most sensitive of ``levels``."""
    return max(levels, key=LEVEL_RANK.__getitem__) if levels else None
