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
import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
_LONE_LEVEL = re.compile(rf"^\s*{BANNER_LEVEL}\b[\s\w]{{0,12}}$", re.IGNORECASE)
# The banner that opens the body: level, optional section counter, station and serial.
_BANNER = re.compile(
    rf"^\W*{BANNER_LEVEL}\s*(?:(?:SECTION|SECTON|SCTION)\s+\d+\s+OF\s+\d+\s+)?"
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
# How many lines from the top the routing header may start (after a web page's labels).
_HEADER_SEARCH_LINES = 60


def _is_banner(line: str) -> bool:
    return bool(_BANNER.match(line) or _BANNER_WITHOUT_STATION.match(line))


def _is_strong_marker(line: str, lines: list[str], index: int) -> bool:
    """A line only a routing header has (``lines``/``index`` give its context)."""
    if (
        _TRANSMISSION_ID.match(line)
        or _RELAY.match(line)
        or _ORIGINATOR.match(line)
        or _SECURITY.match(line)
        or _DATE_TIME_GROUP.match(line)
        or _DATE_LINE.match(line)
        or _DOCUMENT_NUMBER.match(line)
        or line.lstrip().startswith(PARTIAL_EXTRACT)
    ):
        return True
    # "FM" also abbreviates Foreign Minister in bodies: an FM line is one followed by a TO line.
    if _FM_LINE.match(line):
        following = _next_nonblank(lines, index)
        return following is not None and bool(_TO_OR_INFO.match(lines[following]))
    return False


def _is_address_line(line: str) -> bool:
    """An addressee line of a TO / INFO / XMT list (upper-case post or office name)."""
    if _ROUTED_ADDRESS.match(line) or _ENDS_WITH_PRECEDENCE.search(line):
        return True
    text = line.strip()
    return bool(_UPPER_NAME.fullmatch(text)) and not _BODY_START.match(text)


def _header_line_kind(lines: list[str], index: int, state: str) -> str | None:
    """What a line is inside the header, or None when the header cannot go on with it."""
    line = lines[index]
    if not line.strip():
        return "blank"
    if _is_banner(line):
        return None
    if _is_strong_marker(line, lines, index) or _END_OF_TEXT.match(line):
        return "marker"
    keyword = _ADDRESS_KEYWORD.match(line)
    if keyword:
        return "address"
    if _OFFICE_LIST.match(line) or _OFFICE_TAIL.match(line) or _DASHED.match(line):
        return "office"
    if _PAGE_HEADER.search(line):
        return "page"
    if state == "relay" and _RELAY_CONTINUATION.match(line):
        return "relay"
    if state == "address" and _is_address_line(line):
        return "address"
    return None


def split_telegram(text: str) -> tuple[str, str]:
    """Routing header and body of a telegram; together they keep every non-blank line of ``text``.

    The header runs from the top to the last line of the routing block (text before the first
    header line, such as a web page's labels, stays with the header); the body starts at the
    classification banner, or at the first line that cannot belong to a header. A text with no
    routing header at all gives an empty header.
    """
    lines = text.split("\n")
    start = _header_start(lines)
    if start is None:
        return "", text
    end = _header_end(lines, start)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    header = "\n".join(lines[:end])
    body = "\n".join(lines[end:])
    # The blank lines between header and banner (the HTML pages' join) belong to neither.
    return header, body.lstrip("\n") if header else body


def _header_start(lines: list[str]) -> int | None:
    """Index of the first line of the routing block, if there is one before the body.

    The block starts at the first line only a header has, even below a banner or a cover
    sheet (some cables print the banner, or a whole distribution sheet, above the routing
    block); the search stops at the first numbered paragraph. Without any header line, text
    above the banner (a web page's labels) is the header.
    """
    banner = None
    for index, line in enumerate(lines[:_HEADER_SEARCH_LINES]):
        if _is_strong_marker(line, lines, index):
            return index
        if banner is None and _BANNER.match(line):
            banner = index
        if _FIRST_PARAGRAPH.match(line):
            break
    return banner if banner else None


def _header_end(lines: list[str], start: int) -> int:
    """Index of the first body line, scanning the header from ``start``."""
    state = "top"
    seen_from = False
    index = start
    while index < len(lines):
        line = lines[index]
        if _BANNER.match(line) and index > start:
            return index
        kind = _header_line_kind(lines, index, state)
        if kind == "blank":
            following = _next_nonblank(lines, index)
            if following is None:
                return index
            # Inside an address list a blank line ends the header unless the list clearly goes
            # on (a routed address or another keyword line); seed 002 has blanks elsewhere too.
            if state == "address" and not (
                _ROUTED_ADDRESS.match(lines[following])
                or _ADDRESS_KEYWORD.match(lines[following])
                or _is_strong_marker(lines[following], lines, following)
            ):
                return index
            index += 1
            continue
        if kind is None:
            resume = None if seen_from else _resume_after_noise(lines, index)
            if resume is None:
                return index
            index = resume
            continue
        if kind == "marker":
            if _FM_WORD.match(line):
                seen_from = True
                state = "address"
            elif _RELAY.match(line):
                state = "relay"
            else:
                state = "top"
        elif kind == "address":
            keyword = _ADDRESS_KEYWORD.match(line)
            if keyword and keyword["keyword"] == "FM":
                seen_from = True
            state = "address"
        elif kind == "office":
            state = "office"
        index += 1
    return index


def _resume_after_noise(lines: list[str], index: int) -> int | None:
    """When a header without its FM line yet meets an odd line, where the header goes on.

    Printed-telegram layouts put a classification line, page headers and office lists between
    the date-time group and the FM line; the header goes on if an FM (or TO) line follows
    before anything that starts a body.
    """
    for ahead in range(index, min(index + 40, len(lines))):
        line = lines[ahead]
        if _FM_OR_TO_LINE.match(line):
            return ahead
        if _BANNER.match(line) or (_BODY_START.match(line) and not _PAGE_HEADER.search(line)):
            return None
    return None


def _next_nonblank(lines: list[str], index: int) -> int | None:
    for ahead in range(index + 1, len(lines)):
        if lines[ahead].strip():
            return ahead
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


def _parse_date_line(line: str) -> datetime | None:
    match = _DATE_LINE.match(line)
    if not match:
        return None
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
    text = _PAGE_HEADER.sub(" ", line).strip()
    if not text:
        return None
    routing = None
    routed = _ROUTED_ADDRESS.match(text)
    if routed:
        routing, text = routed["routing"], routed["name"].strip()
    tokens = text.split()
    glued = re.fullmatch(r"([A-Z]{3,})(\d{4})", tokens[-1])
    if glued and len(tokens) > 1:  # "SECSTATE WASHDC0000": channel number run into the name
        tokens[-1:] = [glued[1], glued[2]]
    channel = None
    if len(tokens) > 1 and re.fullmatch(r"\d{1,5}(?:-\d{1,5})?", tokens[-1]):  # "0000", "2276-2279"
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
    words = recipient.name.split()
    if len(words) > 2 and words[-1] == month:
        warnings.append(f"month {month} removed from the addressee {recipient.name!r}")
        return dataclasses.replace(recipient, name=" ".join(words[:-1]))
    return recipient


def parse_header(header: str) -> Header:
    """The fields of a routing header (as returned by :func:`split_telegram`)."""
    fields: dict[str, Any] = {}  # Header fields read so far
    relays: list[str] = []
    recipients: list[Recipient] = []
    warnings: list[str] = []
    dated_line: datetime | None = None
    role: str | None = None
    started = False
    for line in header.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(PARTIAL_EXTRACT):
            fields["partial"] = True
            started = True
            continue
        if _TRANSMISSION_ID.match(line):
            if "transmission_id" in fields and recipients:
                warnings.append("routing header printed twice; the second copy is ignored")
                break
            fields["transmission_id"] = stripped.upper()
            started, role = True, None
            continue
        if (relay := _RELAY.match(line)) and role is None:
            relays.extend(relay["relays"].split())
            started = True
            continue
        if (originator := _ORIGINATOR.match(line)) and role is None:
            fields.update(
                originator_routing=originator["routing"],
                serial=originator["serial"],
                part=originator["part"],
                filed=originator["filed"],
            )
            started = True
            continue
        if security := _SECURITY.match(line):
            fields["security"] = security["letters"]
            started, role = True, None
            continue
        if _DATE_TIME_GROUP.match(line) and "date_time_group" not in fields:
            created, precedence, warning = parse_date_time_group(line)
            fields.update(date_time_group=stripped, created=created, precedence=precedence)
            if warning:
                warnings.append(warning)
            started, role = True, None
            continue
        if number := _DOCUMENT_NUMBER.match(line):
            fields["document_number"] = number["number"].upper()
            started = True
            continue
        if (dated := _parse_date_line(line)) is not None:
            dated_line = dated_line or dated
            started = True
            continue
        keyword = _ADDRESS_KEYWORD.match(line)
        if keyword and (started or keyword["keyword"] == "FM"):
            started = True
            rest = keyword["rest"].strip()
            if keyword["keyword"] == "FM":
                if "station" in fields and recipients:
                    warnings.append("routing header printed twice; the second copy is ignored")
                    break
                fields["station"] = _PAGE_HEADER.sub(" ", rest).strip() or None
                role = None
                continue
            role = keyword["keyword"]
            if _OFFICE_LIST.match(line):
                role = "office"  # a printed telegram's distribution list, not addressees
                continue
            line = rest
            if not line:
                continue
        if not started:
            continue  # text before the header (a web page's labels)
        if _RELAY_CONTINUATION.match(line) and role is None and relays:
            relays.extend(line.split())
            continue
        if (
            _END_OF_TEXT.match(line)
            or _OFFICE_LIST.match(line)
            or _OFFICE_TAIL.match(line)
            or _DASHED.match(line)
            or _LONE_LEVEL.match(line)
            or _PAGE_HEADER.fullmatch(stripped)
        ):
            if role == "office" and not _OFFICE_LIST.match(line) and not _OFFICE_TAIL.match(line):
                role = None
            continue
        if role in ("TO", "INFO", "XMT"):
            if _PAGE_HEADER.search(line):
                warnings.append(f"page header inside the address list: {stripped!r}")
            recipient = parse_recipient(role, line)
            if recipient is not None and recipients and recipient == recipients[-1]:
                # Printed telegrams repeat the line after an XMT exclusion; one exclusion it is.
                warnings.append(f"addressee line repeated: {stripped!r}")
            elif recipient is not None:
                recipients.append(recipient)
            continue
        if role == "office":
            continue
        warnings.append(f"unrecognised header line: {stripped!r}")
    month = _DATE_TIME_GROUP.match(fields.get("date_time_group") or "")
    if month:
        recipients = [_drop_month_artifact(r, month["month"].upper(), warnings) for r in recipients]
    if fields.get("created") is None and dated_line is not None:
        fields["created"] = dated_line
    station = fields.get("station")
    return Header(
        **fields,
        relays=tuple(relays),
        origin=origin_from_fm(station) if station else None,
        recipients=tuple(recipients),
        warnings=tuple(warnings),
    )


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
