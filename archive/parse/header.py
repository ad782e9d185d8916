"""The routing header of a telegram: where it ends, and what it says.

``split_telegram(text)`` separates the routing header (``VZCZC…`` transmission id, ``PP RUEH…``
relays, ``DE`` originator line, ``ZNY`` security line, the date-time group, ``FM`` / ``TO`` /
``INFO`` / ``XMT`` addressees) from the body, which starts at the classification banner.
``parse_header(header)`` reads the fields of the header into a :class:`Header`, and
``identify(header, body)`` combines it with the banner's station and serial into the cable's
canonical id and origin.
"""

from __future__ import annotations

import calendar
import dataclasses
import difflib
import enum
import functools
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from archive.cable import Recipient
from archive.parse.ids import BANNER_LEVEL, canonical_id, find_station_serial, full_year, normalize_station
from archive.parse.origins import origin_from_fm, origin_from_station, station_from_fm

PRECEDENCES: tuple[str, ...] = ("FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE")
NIACT_IMMEDIATE = "NIACT IMMEDIATE"
PRECEDENCE_LETTERS: dict[str, str] = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
# ZNY/ZNR security letters: U unclassified, E unclassified EFTO, C confidential, S secret, T top secret.
SECURITY_LEVELS: dict[str, str] = {
    "U": "UNCLASSIFIED",
    "E": "UNCLASSIFIED",
    "C": "CONFIDENTIAL",
    "S": "SECRET",
    "T": "TOP SECRET",
}
PARTIAL_EXTRACT = "This record is a partial extract of the original cable"

_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES = {name.upper(): number for number, name in enumerate(calendar.month_name) if name}

# --- line shapes ----------------------------------------------------------------------------

_TRANSMISSION_ID = re.compile(r"^\s*(VZCZC[A-Z0-9]+)\s*$", re.IGNORECASE)
_RELAY = re.compile(r"^\s*(?P<precedence>[ZOPR]{2}|[ZOPR] [ZOPR])\s+(?P<relays>[A-Z]{4,8}(?:\s+[A-Z]{4,8})*)\s*$")
_RELAY_CONTINUATION = re.compile(r"^\s*R[A-Z]{3,7}(?:\s+R[A-Z]{3,7})*\s*$")
_ORIGINATOR = re.compile(
    r"^\s*DE\s+(?P<routing>[A-Z][A-Z0-9]{2,7})\s*(?:#\s*(?P<serial>\d+)(?:/(?P<part>\d+))?)?"
    r"(?:\s+(?P<filed>\d{7}))?\b"
)
_SECURITY = re.compile(r"^\s*ZN[YR]\s+(?P<letters>[A-Z]{5})\b")
_DATE_TIME_GROUP = re.compile(
    r"^\s*(?P<precedence>(?:[ZOPR]{1,2}\s+){0,2})"
    r"(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s?Z\s+"
    r"(?P<month>[A-Z]{3})[A-Z]*\.?\s+(?P<year>\d{4}|\d{2})\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Friday, 04 February 2005, 16:06": the dating line of partial extracts.
_DATE_LINE = re.compile(
    r"^\s*(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY,\s+(?P<day>\d{1,2})\s+(?P<month>[A-Z]+)\s+"
    r"(?P<year>\d{4}),\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*$",
    re.IGNORECASE,
)
# "2000HANOI00686 - CONFIDENTIAL": the document number some library exports print on top.
_DOCUMENT_NUMBER = re.compile(rf"^\s*(?P<number>(?P<year>\d{{4}})[A-Z]+\d+)\s+-\s+{BANNER_LEVEL}", re.IGNORECASE)
_ADDRESS_KEYWORD = re.compile(r"^\s*(?P<keyword>FM|TO|INFO|XMT)\b\s*(?P<rest>.*)$")
_ROUTED_ADDRESS = re.compile(r"^\s*(?P<routing>[A-Z0-9]{3,8})/(?P<name>\S.*)$")
_END_OF_TEXT = re.compile(r"^\s*(?:BT|NNNN)\s*$")
# The printed-telegram layout of older and some newer cables: page headers, office distribution
# lists ("INFO  LOG-00   MFA-00 …"), and the dashed line with the receipt time.
_PAGE_HEADER = re.compile(r"\bPAGE\s+\d+\s+[A-Z][A-Z .]*?\s+\d{3,8}\s+(?:\d+\s+OF\s+\d+\s+)?\d{6}Z\b\s*")
_OFFICE_LIST = re.compile(r"^\s*(?:(?:ACTION|INFO)\s+)?(?:[A-Z]+-\d{2}\s+)*[A-Z]+-\d{2}\s*(?:/\d+\s*[A-Z]?)?\s*$")
_OFFICE_TAIL = re.compile(r"^\s*/\d+\s*[A-Z]?\s*$")
_DASHED = re.compile(r"^\s*-{5,}\s*[A-Z0-9]*\s+\d{6}Z\s*/\d+\s*$")
# The letters a classification word (``BANNER_LEVEL``) opens with, in either case.
_LEVEL_OPENINGS = "TSECOUNLtsecounl"
_LONE_LEVEL = re.compile(rf"^\s*{BANNER_LEVEL}\b[\s\w]{{0,12}}$", re.IGNORECASE)
# The banner that opens the body: level, optional section counter, station and serial.
_BANNER = re.compile(
    rf"^\W*{BANNER_LEVEL}\s*(?:(?:SECTION|SECTON|SCTION)\s+\d+\s+OF\s+\d+\s*)?"
    r"(?:\d{2}\s+)?[A-Z][A-Z .'-]*?\s+\d{3,}",
    re.IGNORECASE,
)
_BANNER_WITHOUT_STATION = re.compile(
    rf"^\W*{BANNER_LEVEL}\s*(?:(?:SECTION|SECTON|SCTION)\s+\d+\s+OF\s+\d+)?\s*$", re.IGNORECASE
)
# First lines of a body that has no banner (partial extracts, metadata records).
_BODY_START = re.compile(
    r"^\s*(?:SIPDIS|NOFORN|SENSITIVE\b|E\.?\s?O\.?\s|TAGS?\b|SUBJ(?:ECT)?\b|REFS?\b|REFTEL|"
    r"CLASSIFIED\s+BY|(?:[A-Z]+\s+)?(?:FOR|PASS)\s|\W*\d+\.\s|¶)",
    re.IGNORECASE,
)
_FIRST_PARAGRAPH = re.compile(r"^\s*¶?\s*1\.\s")
_ENDS_WITH_PRECEDENCE = re.compile(r"^[A-Z0-9 .,&()/'-]+\s(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH)(?:\s+\d{1,5})?\s*$")
# Matched on every header line, so compiled here rather than in place.
_FM_LINE = re.compile(r"^\s*FM\s+[A-Z]")
_FM_WORD = re.compile(r"^\s*FM\b")
_FM_OR_TO_LINE = re.compile(r"^\s*(?:FM|TO)\s+\S")
_TO_OR_INFO = re.compile(r"^\s*(?:TO|INFO)\b")
_UPPER_NAME = re.compile(r"[A-Z0-9][A-Z0-9 .,&()/'-]*")
# An addressee's last word: a channel number ("0000", "2276-2279"), or one run into the name ("WASHDC0000").
_CHANNEL = re.compile(r"\d{1,5}(?:-\d{1,5})?")
_GLUED_CHANNEL = re.compile(r"([A-Z]{3,})(\d{4})")
# How many lines from the top the routing header may start (after a web page's labels).
_HEADER_SEARCH_LINES = 60
# How many lines the header scan splits at first: most headers end in twenty.
_FIRST_LINES = 40


# --- typed lines ------------------------------------------------------------------------------


class Kind(enum.Enum):
    """What one line of a routing header is, by its shape alone."""

    BLANK = "blank"
    PARTIAL = "partial-extract notice"
    TRANSMISSION = "transmission id"  # VZCZCXYZ0009
    RELAY = "precedence and relays"  # PP RUEHAST RUEHDBU
    ORIGINATOR = "originator"  # DE RUEHC #3069/01 1430033
    SECURITY = "security"  # ZNY CCCCC ZZH
    DATE_TIME_GROUP = "date-time group"  # O 230019Z MAY 09
    DOCUMENT_NUMBER = "document number"  # 2000HANOI00686 - CONFIDENTIAL
    DATE_LINE = "date line"  # Friday, 04 February 2005, 16:06
    ADDRESS = "FM/TO/INFO/XMT"  # FM SECSTATE WASHDC
    END_OF_TEXT = "end of text"  # BT, NNNN
    OFFICE = "office list"  # INFO LOG-00 MFA-00 / dashed receipt line
    PAGE = "page header"  # PAGE 02 STATE 015113 182333Z
    LONE_LEVEL = "classification word"  # CONFIDENTIAL
    TEXT = "text"  # anything else: an addressee, a relay continuation, the body

    # Members are singletons: identity hashing spares Enum's Python-level __hash__ on every set and dict look.
    __hash__ = object.__hash__


# Kinds only a routing header has (an FM line counts when a TO or INFO line follows it).
_STRONG = frozenset(
    {
        Kind.PARTIAL,
        Kind.TRANSMISSION,
        Kind.RELAY,
        Kind.ORIGINATOR,
        Kind.SECURITY,
        Kind.DATE_TIME_GROUP,
        Kind.DOCUMENT_NUMBER,
        Kind.DATE_LINE,
    }
)
# Kinds of printing noise inside a header: no field, no addressee.
_NOISE = frozenset({Kind.END_OF_TEXT, Kind.OFFICE, Kind.LONE_LEVEL})


# The substring tests spare the pattern the lines without the word (nearly all).
def _page_header(line: str) -> re.Match[str] | None:
    return _PAGE_HEADER.search(line) if "PAGE" in line else None


def _without_page_headers(text: str) -> str:
    return _PAGE_HEADER.sub(" ", text) if "PAGE" in text else text


# Each shape in the order ``classify`` tries them, with the characters a line of that shape can
# open with after its blanks (None: any); the office shapes are one kind, tried as one in turn.
_SHAPES: tuple[tuple[Kind, Callable[[str], re.Match[str] | None], str | None], ...] = (
    (Kind.TRANSMISSION, _TRANSMISSION_ID.match, "Vv"),
    (Kind.RELAY, _RELAY.match, "ZOPR"),
    (Kind.ORIGINATOR, _ORIGINATOR.match, "D"),
    (Kind.SECURITY, _SECURITY.match, "Z"),
    (Kind.DATE_TIME_GROUP, _DATE_TIME_GROUP.match, "ZOPRzopr" + string.digits),
    (Kind.DOCUMENT_NUMBER, _DOCUMENT_NUMBER.match, string.digits),
    (Kind.DATE_LINE, _DATE_LINE.match, "MTWFSmtwfs"),
    (Kind.ADDRESS, _ADDRESS_KEYWORD.match, "FTIX"),
    (Kind.END_OF_TEXT, _END_OF_TEXT.match, "BN"),
    (Kind.OFFICE, _OFFICE_LIST.match, string.ascii_uppercase),
    (Kind.OFFICE, _OFFICE_TAIL.match, "/"),
    (Kind.OFFICE, _DASHED.match, "-"),
    (Kind.PAGE, _page_header, None),
    (Kind.LONE_LEVEL, _LONE_LEVEL.match, _LEVEL_OPENINGS),
)
_ALL_SHAPES = tuple((kind, shape) for kind, shape, _ in _SHAPES)
# The shapes worth trying on a line by its first character: a header line fails most of the twelve
# at once, and a dictionary look spares those calls. Any other character (one not ASCII may match
# a letter or digit of a pattern) tries them all.
_SHAPES_BY_OPENING: dict[str, tuple[tuple[Kind, Callable[[str], re.Match[str] | None]], ...]] = {
    opening: tuple((kind, shape) for kind, shape, openings in _SHAPES if openings is None or opening in openings)
    for opening in map(chr, range(128))
}


# Not frozen: a frozen dataclass's __init__ costs three times as much, and every header line makes one.
@dataclass(slots=True)
class HeaderLine:
    """One line (or a segment cut out of one) of a routing header, classified once."""

    kind: Kind
    text: str
    match: re.Match[str] | None = None  # the match of the kind's pattern

    @property
    def keyword(self) -> str | None:
        """FM, TO, INFO or XMT for an ADDRESS line."""
        return self.match["keyword"] if self.kind is Kind.ADDRESS and self.match else None

    @property
    def noise(self) -> bool:
        """Printing noise: an end-of-text mark, an office list, a lone classification word, a bare page header."""
        return self.kind in _NOISE or (self.kind is Kind.PAGE and _PAGE_HEADER.fullmatch(self.text.strip()) is not None)


def classify(line: str) -> HeaderLine:
    """The kind of one header line (or segment), by the first shape that fits."""
    opening = line.lstrip()
    if not opening:
        return HeaderLine(Kind.BLANK, line)
    if opening.startswith(PARTIAL_EXTRACT):
        return HeaderLine(Kind.PARTIAL, line)
    for kind, shape in _SHAPES_BY_OPENING.get(opening[0], _ALL_SHAPES):
        match = shape(line)
        if match:
            return HeaderLine(kind, line, match)
    return HeaderLine(Kind.TEXT, line)


class _TextGoesOn(Exception):
    """The header scan came to the last of the lines split so far, and the text goes on."""


class _Lines(dict[int, HeaderLine]):
    """The lines of a text by index, each classified the first time it is looked at.

    A dictionary with ``__missing__``: a line looked at before is found in C, without a Python call.
    Only the first ``first_lines`` lines are split (a cable has hundreds, its routing header a few
    dozen); a scan that comes to their end calls ``at_end``, which sends it back for all of them.
    """

    def __init__(self, text: str, first_lines: int = -1) -> None:
        super().__init__()
        self.raw = text.split("\n", first_lines)
        self.cut = 0 <= first_lines < len(self.raw)
        if self.cut:
            self.raw.pop()  # the rest of the text, not one line

    def at_end(self) -> None:
        """The scan found no line left: true of the text only when all of it was split."""
        if self.cut:
            raise _TextGoesOn

    def __missing__(self, index: int) -> HeaderLine:
        typed = self[index] = classify(self.raw[index])
        return typed

    def next_nonblank(self, index: int) -> int | None:
        for ahead in range(index + 1, len(self.raw)):
            if self.raw[ahead].strip():
                return ahead
        self.at_end()
        return None

    def strong(self, index: int) -> bool:
        """A line only a routing header has."""
        line = self[index]
        if line.kind in _STRONG:
            return True
        # "FM" also abbreviates Foreign Minister in bodies: an FM line is one followed by a TO line.
        if line.keyword == "FM" and _FM_LINE.match(line.text):
            following = self.next_nonblank(index)
            return following is not None and bool(_TO_OR_INFO.match(self.raw[following]))
        return False


# ASCII word characters that open no classification word: ``^\W*`` stops at one, and the banner fails.
_NO_BANNER_OPENINGS = frozenset(string.ascii_letters + string.digits + "_") - frozenset(_LEVEL_OPENINGS)


def _may_be_banner(line: str) -> bool:
    """Quick look: can ``_BANNER`` or ``_BANNER_WITHOUT_STATION`` match ``line``? Not when its first
    character is an ASCII letter or digit that opens no classification word (most header lines)."""
    return line.lstrip()[:1] not in _NO_BANNER_OPENINGS


def _opens_body(line: str) -> bool:
    """Is ``line`` the banner that opens a body (``_BANNER``)?"""
    return _may_be_banner(line) and _BANNER.match(line) is not None


def _is_banner(line: str) -> bool:
    return _may_be_banner(line) and bool(_BANNER.match(line) or _BANNER_WITHOUT_STATION.match(line))


def _is_address_line(line: str) -> bool:
    """An addressee line of a TO / INFO / XMT list (upper-case post or office name)."""
    if _ROUTED_ADDRESS.match(line) or _ENDS_WITH_PRECEDENCE.search(line):
        return True
    text = line.strip()
    return bool(_UPPER_NAME.fullmatch(text)) and not _BODY_START.match(text)


# What a header line does to the state of the header scan (None: the header cannot go on with it).
_STEP_BY_KIND: dict[Kind, str] = {
    Kind.END_OF_TEXT: "marker",
    Kind.ADDRESS: "address",
    Kind.OFFICE: "office",
    Kind.PAGE: "page",
}


def _header_line_step(lines: _Lines, index: int, state: str) -> str | None:
    """What a line is inside the header, or None when the header cannot go on with it."""
    line = lines[index]
    if line.kind is Kind.BLANK:
        return "blank"
    if _is_banner(line.text):
        return None
    if lines.strong(index):
        return "marker"
    step = _STEP_BY_KIND.get(line.kind)
    if step is not None:
        return step
    if state == "relay" and _RELAY_CONTINUATION.match(line.text):
        return "relay"
    if state == "address" and _is_address_line(line.text):
        return "address"
    return None


def split_telegram(text: str) -> tuple[str, str]:
    """Routing header and body of a telegram; together they keep every non-blank line of ``text``.

    The header runs from the top to the last line of the routing block (text before the first
    header line, such as a web page's labels, stays with the header); the body starts at the
    classification banner, or at the first line that cannot belong to a header. A text with no
    routing header at all gives an empty header.
    """
    header, body, _ = split_header_lines(text)
    return header, body


def split_header_lines(text: str) -> tuple[str, str, list[HeaderLine]]:
    """``split_telegram``, with the typed lines of the header (for :func:`read_header`)."""
    try:
        return _split_header_lines(text, _Lines(text, _FIRST_LINES))
    except _TextGoesOn:
        return _split_header_lines(text, _Lines(text))


def _split_header_lines(text: str, lines: _Lines) -> tuple[str, str, list[HeaderLine]]:
    start = _header_start(lines)
    if start is None:
        return "", text, []
    end = _header_end(lines, start)
    while end > 0 and not lines.raw[end - 1].strip():
        end -= 1
    header = "\n".join(lines.raw[:end])
    body = text[len(header) + 1 :] if end else text  # the lines after the header, sliced rather than joined again
    # The blank lines between header and banner (the HTML pages' join) belong to neither.
    return header, body.lstrip("\n") if header else body, [lines[index] for index in range(end)]


def _header_start(lines: _Lines) -> int | None:
    """Index of the first line of the routing block, if there is one before the body.

    The block starts at the first line only a header has, even below a banner or a cover
    sheet (some cables print the banner, or a whole distribution sheet, above the routing
    block); the search stops at the first numbered paragraph. Without any header line, text
    above the banner (a web page's labels) is the header.
    """
    banner = None
    for index in range(min(_HEADER_SEARCH_LINES, len(lines.raw))):
        if lines.strong(index):
            return index
        line = lines.raw[index]
        if banner is None and _opens_body(line):
            banner = index
        if _FIRST_PARAGRAPH.match(line):
            break
    else:
        if len(lines.raw) < _HEADER_SEARCH_LINES:
            lines.at_end()
    return banner if banner else None


@dataclass(slots=True)
class _Scan:
    """Where the scan for the end of the header is."""

    index: int
    state: str = "top"
    seen_from: bool = False


def _header_end(lines: _Lines, start: int) -> int:
    """Index of the first body line, scanning the header from ``start``."""
    scan = _Scan(start)
    while scan.index < len(lines.raw):
        if scan.index > start and _opens_body(lines.raw[scan.index]):
            return scan.index
        step = _header_line_step(lines, scan.index, scan.state)
        if step == "blank":
            if _blank_ends_header(lines, scan):
                return scan.index
        elif step is None:
            resume = None if scan.seen_from else _resume_after_noise(lines, scan.index)
            if resume is None:
                return scan.index
            scan.index = resume
            continue
        else:
            _advance(lines[scan.index], step, scan)
        scan.index += 1
    lines.at_end()
    return scan.index


def _blank_ends_header(lines: _Lines, scan: _Scan) -> bool:
    """Does the blank line at ``scan.index`` end the header?"""
    following = lines.next_nonblank(scan.index)
    if following is None:
        return True
    # Inside an address list a blank line ends the header unless the list clearly goes
    # on (a routed address or another keyword line); seed 002 has blanks elsewhere too.
    return scan.state == "address" and not (
        _ROUTED_ADDRESS.match(lines.raw[following]) or lines[following].keyword or lines.strong(following)
    )


def _advance(line: HeaderLine, step: str, scan: _Scan) -> None:
    """The scan's state after a header line."""
    if line.keyword == "FM" and (step == "address" or _FM_WORD.match(line.text)):
        scan.seen_from = True
    if step == "marker":
        scan.state = "address" if _FM_WORD.match(line.text) else "relay" if line.kind is Kind.RELAY else "top"
    elif step in ("address", "office"):
        scan.state = step


def _resume_after_noise(lines: _Lines, index: int) -> int | None:
    """When a header without its FM line yet meets an odd line, where the header goes on.

    Printed-telegram layouts put a classification line, page headers and office lists between
    the date-time group and the FM line; the header goes on if an FM (or TO) line follows
    before anything that starts a body.
    """
    for ahead in range(index, min(index + 40, len(lines.raw))):
        line = lines.raw[ahead]
        if _FM_OR_TO_LINE.match(line):
            return ahead
        if _opens_body(line) or (_BODY_START.match(line) and not _page_header(line)):
            return None
    if index + 40 > len(lines.raw):
        lines.at_end()
    return None


# --- fields ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    """What the routing header says."""

    transmission_id: str | None = None  # "VZCZCXYZ0009"
    relays: tuple[str, ...] = ()  # routing indicators of the "PP RUEH…" line(s)
    originator_routing: str | None = None  # DE line: "RUEHC"
    serial: str | None = None  # DE line, as printed: "3069" (the last digits of the cable's serial)
    part: str | None = None  # DE line: "01"
    filed: str | None = None  # DE line: Julian day and time "1430033"
    security: str | None = None  # ZNY line letters: "CCCCC"
    date_time_group: str | None = None  # as printed: "O 230019Z MAY 09"
    precedence: str | None = None  # of the date-time group: IMMEDIATE, PRIORITY, ...
    created: datetime | None = None  # UTC
    station: str | None = None  # the FM line as printed: "SECSTATE WASHDC"
    origin: str | None = None  # library naming: "Secretary of State"
    recipients: tuple[Recipient, ...] = ()
    partial: bool = False  # "This record is a partial extract of the original cable"
    document_number: str | None = None  # "2000HANOI00686", printed by some library exports
    warnings: tuple[str, ...] = ()

    @property
    def security_level(self) -> str | None:
        """The level the ZNY/ZNR security letters stand for."""
        return SECURITY_LEVELS.get(self.security[0]) if self.security else None


@functools.lru_cache(maxsize=4096)  # addressee lines end in a few hundred distinct words
def normalize_precedence(word: str) -> str | None:
    """IMMEDIATE, PRIORITY, ROUTINE, FLASH or NIACT IMMEDIATE from a printed word, typos included."""
    text = re.sub(r"\s+", " ", word.strip().upper())
    if not text:
        return None
    if text.startswith("NIACT"):
        return NIACT_IMMEDIATE
    if text in PRECEDENCES:
        return text
    if len(text) < 5:
        return None
    # "PIORITY", "PRIOITY", "IMMEDAITE": one or two letters lost or swapped.
    close = difflib.get_close_matches(text, PRECEDENCES, n=1, cutoff=0.8)
    return close[0] if close else None


def parse_date_time_group(line: str) -> tuple[datetime | None, str | None, str | None]:
    """``O 230019Z MAY 09`` → (2009-05-23 00:19 UTC, "IMMEDIATE", warning or None)."""
    match = _DATE_TIME_GROUP.match(line)
    if not match:
        return None, None, None
    return _date_time_group(match)


def _date_time_group(match: re.Match[str]) -> tuple[datetime | None, str | None, str | None]:
    """``parse_date_time_group`` of a ``_DATE_TIME_GROUP`` match."""
    line = match.string
    letters = match["precedence"].split()
    precedence = PRECEDENCE_LETTERS.get(letters[0][0].upper()) if letters else None
    month = _MONTHS.get(match["month"].upper())
    year_text = match["year"]
    year = int(year_text) if len(year_text) == 4 else full_year(int(year_text))
    if month is None:
        return None, precedence, f"date-time group with an unknown month: {line.strip()!r}"
    try:
        created = datetime(year, month, int(match["day"]), int(match["hour"]), int(match["minute"]), tzinfo=UTC)
    except ValueError:
        return None, precedence, f"date-time group is not a valid time: {line.strip()!r}"
    return created, precedence, None


def _parse_date_line(match: re.Match[str]) -> datetime | None:
    """The time of a ``_DATE_LINE`` match; None for an unknown month or an impossible date."""
    month = _MONTH_NAMES.get(match["month"].upper())
    if month is None:
        return None
    try:
        return datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def parse_recipient(role: str, line: str) -> Recipient | None:
    """One addressee line: ``RUEHNO/USMISSION USNATO IMMEDIATE 0000`` → Recipient."""
    text = _without_page_headers(line).strip()
    if not text:
        return None
    routing = None
    routed = _ROUTED_ADDRESS.match(text)
    if routed:
        routing, text = routed["routing"], routed["name"].strip()
    tokens = text.split()
    glued = _GLUED_CHANNEL.fullmatch(tokens[-1])
    if glued and len(tokens) > 1:  # "SECSTATE WASHDC0000": channel number run into the name
        tokens[-1:] = [glued[1], glued[2]]
    channel = None
    if len(tokens) > 1 and _CHANNEL.fullmatch(tokens[-1]):  # "0000", "2276-2279"
        channel = tokens.pop()
    precedence = None
    if len(tokens) > 2 and tokens[-2].upper().startswith("NIACT"):
        precedence = NIACT_IMMEDIATE
        del tokens[-2:]
    elif len(tokens) > 1:
        precedence = normalize_precedence(tokens[-1])
        if precedence:
            tokens.pop()
    name = " ".join(tokens)
    if not name:
        return None
    return Recipient(role=role, name=name, routing=routing, precedence=precedence, channel=channel)


def _drop_month_artifact(recipient: Recipient, month: str, warnings: list[str]) -> Recipient:
    """Remove the month abbreviation the release appended to some addressees ("AMEMBASSY LA PAZ JUN").

    The word is the month of the cable's date-time group, so it came from the date, not the name.
    """
    if month not in recipient.name:  # the substring look spares splitting nearly every name
        return recipient
    words = recipient.name.split()
    if len(words) > 2 and words[-1] == month:
        warnings.append(f"month {month} removed from the addressee {recipient.name!r}")
        return dataclasses.replace(recipient, name=" ".join(words[:-1]))
    return recipient


def parse_header(header: str) -> Header:
    """The fields of a routing header (as returned by :func:`split_telegram`)."""
    return read_header([classify(line) for line in header.split("\n")])


@dataclass(slots=True)
class _HeaderDraft:
    """The fields of a header as its lines are read, and where in its address lists the reader is."""

    transmission_id: str | None = None
    relays: list[str] = field(default_factory=list)
    originator: re.Match[str] | None = None
    security: str | None = None
    date_time_group: str | None = None
    month: str | None = None  # the date-time group's month word, as printed
    created: datetime | None = None
    precedence: str | None = None
    document_number: str | None = None
    dated_line: datetime | None = None
    station: str | None = None
    from_seen: bool = False
    recipients: list[Recipient] = field(default_factory=list)
    partial: bool = False
    warnings: list[str] = field(default_factory=list)
    role: str | None = None  # the address list being read: TO, INFO, XMT, or "office" (a distribution list)
    started: bool = False  # text before the first header line (a web page's labels) is skipped
    ended: bool = False  # the routing header printed a second time

    def read(self, line: HeaderLine) -> None:
        """Take in one line."""
        reader = _READERS.get(line.kind)
        if line.kind is not Kind.BLANK and not (reader is not None and reader(self, line)):
            self.read_text(line)

    def read_partial(self, line: HeaderLine) -> bool:
        self.partial = self.started = True
        return True

    def read_transmission(self, line: HeaderLine) -> bool:
        if self.transmission_id is not None and self.recipients:
            self.second_copy()
            return True
        self.transmission_id = line.text.strip().upper()
        self.started, self.role = True, None
        return True

    def read_relay(self, line: HeaderLine) -> bool:
        if self.role is not None or line.match is None:
            return False
        self.relays.extend(line.match["relays"].split())
        self.started = True
        return True

    def read_originator(self, line: HeaderLine) -> bool:
        if self.role is not None:
            return False
        self.originator, self.started = line.match, True
        return True

    def read_security(self, line: HeaderLine) -> bool:
        assert line.match is not None
        self.security = line.match["letters"]
        self.started, self.role = True, None
        return True

    def read_date_time_group(self, line: HeaderLine) -> bool:
        if self.date_time_group is not None:
            return False
        if line.match is None:
            return False
        self.date_time_group = line.text.strip()
        self.month = line.match["month"].upper()
        self.created, self.precedence, warning = _date_time_group(line.match)
        if warning:
            self.warnings.append(warning)
        self.started, self.role = True, None
        return True

    def read_document_number(self, line: HeaderLine) -> bool:
        assert line.match is not None
        self.document_number = line.match["number"].upper()
        self.started = True
        return True

    def read_date_line(self, line: HeaderLine) -> bool:
        dated = _parse_date_line(line.match) if line.match else None
        if dated is None:
            return False
        self.dated_line = self.dated_line or dated
        self.started = True
        return True

    def read_address(self, line: HeaderLine) -> bool:
        keyword = line.keyword
        if not (self.started or keyword == "FM") or line.match is None:
            return False
        self.started = True
        rest = line.match["rest"].strip()
        if keyword == "FM":
            if self.from_seen and self.recipients:
                self.second_copy()
            else:
                self.station = _without_page_headers(rest).strip() or None
                self.role, self.from_seen = None, True
            return True
        self.role = "office" if _OFFICE_LIST.match(line.text) else keyword
        # A distribution list is no addressee; an addressee may follow its keyword on the line.
        if self.role != "office" and rest:
            self.read_text(classify(rest), shown=line.text)
        return True

    def read_text(self, line: HeaderLine, shown: str | None = None) -> None:
        """A line no field label opens: a relay continuation, printing noise or an addressee.

        ``shown`` is the whole line when ``line`` is the part after a TO/INFO/XMT keyword.
        """
        if not self.started:
            return
        text = line.text
        if self.role is None and self.relays and _RELAY_CONTINUATION.match(text):
            self.relays.extend(text.split())
        elif line.kind in _NOISE or (shown is None and line.noise):
            if self.role == "office" and not (_OFFICE_LIST.match(text) or _OFFICE_TAIL.match(text)):
                self.role = None
        elif self.role in ("TO", "INFO", "XMT"):
            self.add_recipient(self.role, text, (shown or text).strip())
        elif self.role != "office":
            self.warnings.append(f"unrecognised header line: {text.strip()!r}")

    def add_recipient(self, role: str, text: str, shown: str) -> None:
        if _page_header(text):
            self.warnings.append(f"page header inside the address list: {shown!r}")
        recipient = parse_recipient(role, text)
        if recipient is not None and self.recipients and recipient == self.recipients[-1]:
            # Printed telegrams repeat the line after an XMT exclusion; one exclusion it is.
            self.warnings.append(f"addressee line repeated: {shown!r}")
        elif recipient is not None:
            self.recipients.append(recipient)

    def second_copy(self) -> None:
        self.warnings.append("routing header printed twice; the second copy is ignored")
        self.ended = True

    def header(self) -> Header:
        recipients = self.recipients
        if self.month:
            recipients = [_drop_month_artifact(r, self.month, self.warnings) for r in recipients]
        originator = self.originator
        return Header(
            transmission_id=self.transmission_id,
            relays=tuple(self.relays),
            originator_routing=originator["routing"] if originator else None,
            serial=originator["serial"] if originator else None,
            part=originator["part"] if originator else None,
            filed=originator["filed"] if originator else None,
            security=self.security,
            date_time_group=self.date_time_group,
            precedence=self.precedence,
            created=self.created if self.created is not None else self.dated_line,
            station=self.station,
            origin=origin_from_fm(self.station) if self.station else None,
            recipients=tuple(recipients),
            partial=self.partial,
            document_number=self.document_number,
            warnings=tuple(self.warnings),
        )


# One reader per kind of line: it takes the field the line carries and says whether it did
# (a line it leaves, such as a relay line inside an address list, is read as text).
_READERS: dict[Kind, Callable[[_HeaderDraft, HeaderLine], bool]] = {
    Kind.PARTIAL: _HeaderDraft.read_partial,
    Kind.TRANSMISSION: _HeaderDraft.read_transmission,
    Kind.RELAY: _HeaderDraft.read_relay,
    Kind.ORIGINATOR: _HeaderDraft.read_originator,
    Kind.SECURITY: _HeaderDraft.read_security,
    Kind.DATE_TIME_GROUP: _HeaderDraft.read_date_time_group,
    Kind.DOCUMENT_NUMBER: _HeaderDraft.read_document_number,
    Kind.DATE_LINE: _HeaderDraft.read_date_line,
    Kind.ADDRESS: _HeaderDraft.read_address,
}


def read_header(lines: Iterable[HeaderLine]) -> Header:
    """The fields of a routing header from its typed lines."""
    draft = _HeaderDraft()
    for line in lines:
        draft.read(line)
        if draft.ended:
            break
    return draft.header()


# --- identity: header + banner ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Who sent a cable and under which number: the canonical id and the origin."""

    canonical_id: str | None  # "09STATE53069"
    station: str | None  # the banner's station as printed: "STATE", "USUN NEW YORK"
    serial: str | None  # the banner's serial as printed: "053069"
    origin: str | None  # library naming, from the FM line or else the banner station
    warnings: tuple[str, ...] = ()


def _same_station(banner_station: str, fm_station: str) -> bool:
    """Whether a banner and an FM line name one post; a banner may drop a prefix of the FM
    station (``BRUSSELS`` for ``USEU BRUSSELS``, ``RPO DUBAI`` for ``IRAN RPO DUBAI``)."""
    banner, fm = normalize_station(banner_station), normalize_station(fm_station)
    return banner.endswith(fm) or fm.endswith(banner)


def identify(header: Header, body: str) -> Identity:
    """Canonical id (banner station and serial, year of the date-time group) and origin.

    The banner names the cable; the header's FM station and DE-line serial must agree with it.
    When they do not (the release has bodies of other cables under a header) or the banner is
    missing, the header decides, because the published id follows the header; the DE line only
    prints the last four digits of a serial, so it cannot stand in for six-digit State serials.
    """
    warnings: list[str] = []
    found = find_station_serial(body)
    station, serial = found if found else (None, None)
    fm_station = station_from_fm(header.station) if header.station else None
    header_serial = header.serial if header.serial and fm_station != "STATE" else None
    if station and serial and fm_station and not _same_station(station, fm_station):
        warnings.append(f"banner station {station} {serial} differs from the FM line {header.station}")
        if header_serial:
            station, serial = fm_station, header_serial
    elif station and serial and header.serial and int(serial) % 10_000 != int(header.serial) % 10_000:
        warnings.append(f"banner serial {serial} differs from the DE line serial {header.serial}")
        if header_serial:
            serial = header_serial
    elif not (station and serial):
        if fm_station and header_serial:
            station, serial = fm_station, header_serial
            warnings.append("no banner: station from the FM line, serial from the DE line")
        else:
            warnings.append("no station and serial found in the banner")
    year = header.created.year if header.created else None
    if year is None and header.document_number:
        year = int(header.document_number[:4])
        warnings.append(f"no date-time group: the year is the document number's ({header.document_number})")
    # Without a year ``parse`` looks further (a record in the body, the published id) and warns
    # about what it found, or that the year is unknown.
    cable_id = canonical_id(station, serial, year) if station and serial and year else None
    origin = header.origin or (origin_from_station(station) if station else None)
    return Identity(cable_id, station, serial, origin, tuple(warnings))
