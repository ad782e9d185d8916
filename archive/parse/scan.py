"""Scanned State telegrams of every era: the form's boxes, and OCR repairs in header fields.

The telegram text of a scan (:mod:`archive.sources.scans`) goes through the common parser; this
module reads what only scans have, before and after it:

- **1950s–60s forms**: ``INCOMING TELEGRAM Department of State`` with ``FROM:``, ``TO:``, ``NO:
  865, November 21``, ``Control:``, ``Rec'd: November 21, 1957`` boxes and the action/info office
  column interleaved with the text; ``OUTGOING TELEGRAM`` with ``ACTION: Embassy GEORGETOWN 286``
  and the time stamp ``FEB 6 10 16 AM '63``. Each line is classified once (:func:`classify`); the
  boxes give station, serial, date and addressees and are taken out of the text, as are the
  form's captions and (above the text) its office column.
- **1960s–70s machine telegrams**: ``PAGE 01 MADRID 01109 252147Z`` gives station and serial (and
  the day and time) when there is no banner; the common parser reads the rest.
- **OCR damage in header lines only** (date-time group, page line, office lists, FM/TO/INFO):
  ``Ø`` → ``0``, a precedence ``0`` → ``O``, a date-time group's ``Z`` read as ``2``
  (``2217502``), ``l``/``I`` → ``1`` and ``O`` → ``0`` inside numbers, ``WASHD C`` → ``WASHDC``.
  Every repair is a warning; the text below the header is never touched.

:func:`complete` fills the cable's id, date, station and addressees from the form where the
telegram lines gave none. A date from a form is the local date (no time of day): the creation
time is that date, said so in a warning.
"""

from __future__ import annotations

import calendar
import dataclasses
import difflib
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from archive.cable import Cable, Recipient
from archive.parse.cleaning import clean_lines
from archive.parse.header import classify as classify_header_line
from archive.parse.ids import BANNER_LEVEL, canonical_id
from archive.parse.origins import origin_from_fm, origin_from_station, station_from_fm
from archive.parse.paragraphs import parse_paragraphs
from archive.parse.provisional import is_provisional, provisional_id

FORMAT = "scan"

_MONTH_NAMES = [name.upper() for name in calendar.month_name if name]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name.upper(): number for number, name in enumerate(calendar.month_abbr) if name})
_PRECEDENCES = {
    "NIACT": "NIACT IMMEDIATE",
    "IMMEDIATE": "IMMEDIATE",
    "PRIORITY": "PRIORITY",
    "ROUTINE": "ROUTINE",
    "FLASH": "FLASH",
}


class Kind(enum.Enum):
    """What one line of a scanned telegram is, by its shape alone."""

    TITLE = "form title"  # INCOMING TELEGRAM, Department of State
    FROM = "FROM box"  # FROM: Hong Kong
    TO = "TO box"  # TO: Secretary of State
    NUMBER = "NO box"  # NO: 865, November 21
    RECEIVED = "Rec'd box"  # Rec'd: November 21, 1957
    ACTION = "ACTION box"  # ACTION: Embassy GEORGETOWN 286, ACTION: SECSTATE 1234 PRIORITY
    INFO = "INFO box"  # INFO: CINCPAC 567
    DATE = "DATE box"  # DATE: NOVEMBER 2, 5 PM
    STAMP = "time stamp"  # FEB 6 10 16 AM '63
    CAPTION = "form caption"  # Control: 12435, Action, Info, CHARGE TO, INDICATE
    PAGE = "page line"  # PAGE 01 MADRID 01429 181241Z
    TEXT = "text"


# "SECSTATE 1234 PRIORITY", "Amembassy PARIS 567", "Embassy GEORGETOWN 286": an addressee, its number.
_ADDRESSEE = r"(?P<value>[A-Za-z][^:]*?)(?:\s+(?P<serial>\d{1,6}))?(?:,?\s+(?P<precedence>NIACT|IMMEDIATE|PRIORITY|ROUTINE|FLASH)\b.*)?\s*$"
_SHAPES: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.TITLE,
        re.compile(r"^\W*(?:\d+\s+)?(?:(?:INCOMING|OUTGOING)\s+TELEGRAM\b.*|Department\s+of\s+State\W*)$", re.I),
    ),
    (Kind.FROM, re.compile(r"^\W*FROM\s*[:;]\s*(?P<value>\S.*?)\s*$", re.I)),
    (Kind.TO, re.compile(r"^\W*(?:SENT\s+)?TO\s*[:;]\s*" + _ADDRESSEE, re.I)),
    (Kind.ACTION, re.compile(r"^\W*ACTION\s*:\s*" + _ADDRESSEE)),
    (Kind.INFO, re.compile(r"^\W*INFO\s*:\s*" + _ADDRESSEE)),
    (
        Kind.NUMBER,
        re.compile(
            r"^\W*N[O0]\s*[:.;]{1,2}\s*(?P<serial>\d+)\s*,?\s*(?:(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}))?", re.I
        ),
    ),
    (
        Kind.DATE,
        re.compile(
            r"^\W*DATE\s*:\s*(?P<month>[A-Z][a-zA-Z]+)\.?\s+(?P<day>\d{1,2})\b(?:,?\s+(?P<year>\d{4})\b)?", re.I
        ),
    ),
    (
        Kind.RECEIVED,
        re.compile(
            r"^\W*Rec['’`]?c?d\s*[:;.]\s*(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I
        ),
    ),
    (
        Kind.STAMP,
        re.compile(r"^\W*(?P<month>[A-Z]{3})\s+(?P<day>\d{1,2})\s+\d{1,2}\s+\d{2}\s+[AP]M\s+'(?P<year>\d{2})\s*$"),
    ),
    (
        Kind.CAPTION,
        re.compile(
            r"^\W*(?:Control\s*:.*|Action|Info|\d{1,2}:\d{2}\s*[ap]\.?\s?m\.?|(?:TOP\s+)?SECRET\s+HC\w\s*\d+"
            r"|CONFIDENTIAL\s+HC\w\s*\d+|INDICATE\W*(?:COLLECT)?|COLLECT|CHARGE\s+TO|(?:\d\s){3,}\d"
            r"|UNCLASSIFIED\s+MESSAGE\s+REFERRING|TO\s+THIS\s+MESSAGE\s+BY\s+CITE\s+NUMBER|WILL\s+BE\s+DESIGNATED\s+EFTO)\W*$",
            re.I,
        ),
    ),
    (
        Kind.PAGE,
        re.compile(
            r"^\s*PAGE\s+0?(?P<page>\d{1,3})\s+(?P<station>[A-Z][A-Z ]*?)\s+(?P<serial>\d{3,6})\b(?:\s+(?P<time>\d{6}Z))?"
        ),
    ),
)
# One office of the action/info column, a box's number ("32"), typist's marks ("UMT/1").
_OFFICE = re.compile(r"^\s*(?:[A-Z]{1,5}(?:/\d+)?|\d{1,3})\s*$")
_NOT_OFFICE = frozenset({"QUOTE", "END", "TEXT"})


@dataclass(frozen=True, slots=True)
class Line:
    kind: Kind
    text: str
    match: re.Match[str] | None = None


def classify(line: str) -> Line:
    """The kind of one line of a scanned telegram, by the first shape that fits."""
    for kind, shape in _SHAPES:
        match = shape.match(line)
        if match:
            return Line(kind, line, match)
    return Line(Kind.TEXT, line)


@dataclass(slots=True)
class ScanForm:
    """What a telegram form's boxes (or a machine telegram's page line) say."""

    form: str | None = None  # "incoming" / "outgoing" when a form title is printed
    station: str | None = None  # as printed: "Hong Kong", "SECSTATE WASHDC", "MADRID"
    serial: str | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    page_time: str | None = None  # the page line's day and time: "181241Z"
    dated: bool = False  # month and day from the telegram's own date (NO or DATE box), not the receipt
    recipients: list[Recipient] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def date(self) -> datetime | None:
        if not (self.year and self.month and self.day):
            return None
        try:
            return datetime(self.year, self.month, self.day, tzinfo=UTC)
        except ValueError:
            return None

    @property
    def found(self) -> bool:
        """The boxes name a telegram: a station with its number or date (a memo's FROM: alone does not)."""
        return bool(self.station and (self.serial or self.date))


def read_form(text: str) -> tuple[str, ScanForm]:
    """The telegram text without the form's boxes and captions (header lines repaired), and the boxes."""
    reader = _FormReader()
    for raw in text.split("\n"):
        # Boxes the OCR ran onto one line ("FROM: SAIGON   ACTION: SECSTATE 917") are read one by one.
        for piece in [raw] if reader.in_text or reader.ended else _BOX_SPLIT.split(raw):
            reader.take(piece)
    return "\n".join(_close_address_gaps(reader.kept)), reader.form


_BOX_SPLIT = re.compile(r"(?<=\S)\s{2,}(?=(?:FROM|TO|ACTION|INFO|DATE|NO|Control|Rec['’]?d)\s*:)", re.I)


@dataclass(slots=True)
class _FormReader:
    form: ScanForm = field(default_factory=ScanForm)
    kept: list[str] = field(default_factory=list)
    in_text: bool = False
    ended: bool = False  # below a form's END: the receiving office's routing, no box of the telegram

    def take(self, raw: str) -> None:
        if self.ended:
            self.kept.append(raw)
            return
        self.ended = self.form.form is not None and _FORM_TEXT_END.match(raw) is not None
        line = classify(raw) if self.in_text else classify(_repaired(raw, self.form.warnings))
        reader = _READERS.get(line.kind)
        if reader is not None:
            reader(self.form, line)
            if line.kind is not Kind.PAGE:  # the common parser drops page lines itself
                return
        if line.kind is Kind.CAPTION or (self.form.form and not self.in_text and _is_office(line.text)):
            return
        self.in_text = self.in_text or _starts_text(line.text)
        self.kept.append(line.text)


# An addressee line of a TO/INFO list: a post's name, maybe a precedence and a channel number.
_ADDRESSEE_LINE = re.compile(
    rf"^(?!\W*{BANNER_LEVEL}\b)\s*[A-Z][A-Z.-]+(?:\s+[A-Z][A-Z.-]+)+(?:\s+(?:NIACT|IMMEDIATE|PRIORITY|ROUTINE))?(?:\s+\d{{1,5}})?\s*$"
)


_BANNER_START = re.compile(rf"^\W*{BANNER_LEVEL}\b")


def _close_address_gaps(lines: list[str]) -> list[str]:
    """The OCR prints a blank line after every line of a TO/INFO list: the list goes on across it.

    Only the header is looked at: the text from the banner or the first paragraph on is kept as is."""
    kept: list[str] = []
    in_list = False
    for index, line in enumerate(lines):
        if _BANNER_START.match(line) or _starts_text(line):
            return kept + lines[index:]
        if not line.strip():
            following = next((ahead for ahead in lines[index + 1 :] if ahead.strip()), "")
            if in_list and _ADDRESSEE_LINE.match(following):
                continue
        elif classify_header_line(line).keyword in ("TO", "INFO"):
            in_list = True
        elif not _ADDRESSEE_LINE.match(line):
            in_list = False
        kept.append(line)
    return kept


def _starts_text(line: str) -> bool:
    """The first line of the telegram's text: a numbered paragraph, or a sentence."""
    stripped = line.strip()
    return bool(re.match(r"^¶?\s*1\.\s", stripped)) or (len(stripped) > 40 and bool(re.search(r"[a-z]{3}", stripped)))


def _is_office(line: str) -> bool:
    stripped = line.strip()
    return bool(_OFFICE.match(stripped)) and stripped not in _NOT_OFFICE


def _read_title(form: ScanForm, line: Line) -> None:
    upper = line.text.upper()
    form.form = "outgoing" if "OUTGOING" in upper else "incoming" if "INCOMING" in upper else form.form


def _read_from(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    form.station = form.station or line.match["value"].strip(" .,")


def _read_to(form: ScanForm, line: Line) -> None:
    """``TO: Secretary of State``; ``TO: Amembassy PARIS 1234`` also numbers the telegram."""
    _address(form, line, "TO", numbered=True)


def _read_action(form: ScanForm, line: Line) -> None:
    """``ACTION: Embassy GEORGETOWN 286`` (outgoing), ``ACTION: SECSTATE 1234 PRIORITY`` (incoming):
    the action addressee and the telegram's number."""
    _address(form, line, "TO", numbered=True)


def _read_info(form: ScanForm, line: Line) -> None:
    _address(form, line, "INFO", numbered=False)


def _address(form: ScanForm, line: Line, role: str, numbered: bool) -> None:
    assert line.match is not None
    name = line.match["value"].strip(" .,")
    precedence = line.match["precedence"]
    form.recipients.append(Recipient(role, name, precedence=_PRECEDENCES.get(precedence or "")))
    if numbered and line.match["serial"] and form.serial is None:
        form.serial = line.match["serial"]
        if form.form == "outgoing":
            form.station = form.station or "SECSTATE WASHDC"  # an outgoing telegram is the Department's


def _read_date(form: ScanForm, line: Line) -> None:
    """``DATE: NOVEMBER 2, 5 PM``: the telegram's own date (its year from the receipt box)."""
    assert line.match is not None
    month = read_month(line.match["month"], form.warnings)
    if month is not None:
        form.month, form.day = month, int(line.match["day"])
        form.dated = True
    if line.match["year"]:
        form.year = int(line.match["year"])


def _read_number(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    form.serial = form.serial or line.match["serial"]
    if line.match["month"] and not form.dated:
        form.month, form.day = read_month(line.match["month"], form.warnings), int(line.match["day"])
        form.dated = form.month is not None


def _read_received(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    form.year = form.year or int(line.match["year"])
    if not form.dated:  # the telegram's own date is the NO or DATE box's; the receipt date stands in
        form.month, form.day = read_month(line.match["month"], form.warnings), int(line.match["day"])


def _read_stamp(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    if form.year is None:
        form.year = 1900 + int(line.match["year"])
        form.month, form.day = read_month(line.match["month"], form.warnings), int(line.match["day"])


def _read_page(form: ScanForm, line: Line) -> None:
    """``PAGE 01 MADRID 01429 181241Z``: kept in the text (the parser drops page lines), noted here.

    Any page's line names the telegram: a later page loaded without its first still gets its
    station and serial."""
    assert line.match is not None
    if form.station is None:
        form.station, form.serial = line.match["station"].strip(), line.match["serial"]
        form.page_time = line.match["time"]


_READERS: dict[Kind, Callable[[ScanForm, Line], None]] = {
    Kind.TITLE: _read_title,
    Kind.FROM: _read_from,
    Kind.TO: _read_to,
    Kind.NUMBER: _read_number,
    Kind.RECEIVED: _read_received,
    Kind.ACTION: _read_action,
    Kind.INFO: _read_info,
    Kind.DATE: _read_date,
    Kind.STAMP: _read_stamp,
    Kind.PAGE: _read_page,
}


def read_month(word: str, warnings: list[str]) -> int | None:
    """A month printed in a header field or box, read through OCR damage (``DECEMPER``, ``OCTOPER``)."""
    upper = word.upper()
    if upper in _MONTHS:
        return _MONTHS[upper]
    close = difflib.get_close_matches(upper, _MONTH_NAMES, n=1, cutoff=0.7)
    if not close:
        return None
    warnings.append(f"OCR repair in a date: {word!r} read as {close[0]!r}")
    return _MONTHS[close[0]]


# --- OCR repairs in header lines ------------------------------------------------------------

_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ØøΘ]"), "0"),
    (re.compile(r"(?<=\d)[lI](?=\d|\b)|\b[lI](?=\d)"), "1"),
    (re.compile(r"(?<=\d)O(?=\d)"), "0"),
    (re.compile(r"(?<!\d)(\d{6})2(?=\s+[A-Z]{3}\s+\d{2}\b)"), r"\1Z"),  # 0710122 MAY 69: Z read as 2
    (re.compile(r"^(\s*)0(?=\s+\d{6}\s?Z\b)"), r"\1O"),  # the precedence letter O read as zero
    (re.compile(r"\bWASHD\s+C\b"), "WASHDC"),
)
_PAGE_TIME = re.compile(r"^(\s*PAGE\s+\d+\s+[A-Z][A-Z ]*?\s+\d{3,6}\s+\d{6})2\s*$")
_HEADER_KINDS = frozenset({"date-time group", "page header", "office list", "FM/TO/INFO/XMT"})


def _repaired(line: str, warnings: list[str]) -> str:
    """``line`` with its OCR damage repaired, when the repaired line is a header line."""
    fixed = line
    for pattern, replacement in _REPAIRS:
        fixed = pattern.sub(replacement, fixed)
    fixed = _PAGE_TIME.sub(r"\1Z", fixed)
    header_line = (
        classify_header_line(fixed).kind.value in _HEADER_KINDS
        or _PAGE_TIME.match(line)
        or classify(fixed).kind not in (Kind.TEXT, Kind.CAPTION)
    )
    if fixed == line or not header_line:
        return line
    warnings.append(f"OCR repair in a header line: {line.strip()!r} read as {fixed.strip()!r}")
    return fixed


# --- the cable --------------------------------------------------------------------------------

# "SENT DEPARTMENT 865, REPEATED INFORMATION KOBE 2, YOKOHAMA 3.": the posts a 1950s–60s telegram
# was repeated to, printed as its first words.
_REPEATED = re.compile(
    r"\bSENT\s+(?:DEPARTMENT|DEPT)\.?\s+\d+\s*,\s*REPEATED\s+(?:INFORMATION|INFO)\s+(?P<posts>[^.]+)", re.I
)
_REPEATED_POST = re.compile(r"^(?P<name>[A-Z][A-Za-z .'-]*?)\s+\d+$")


def repeated_to(text: str) -> list[Recipient]:
    """The INFO addressees of a ``SENT DEPARTMENT 865, REPEATED INFORMATION KOBE 2, …`` opening."""
    match = _REPEATED.search(text[:600])
    if match is None:
        return []
    posts = [_REPEATED_POST.match(part.strip()) for part in re.split(r",|\bAND\b", match["posts"])]
    return [Recipient("INFO", post["name"].strip()) for post in posts if post]


# Where a form's text ends: an outgoing form's END, or the typist's reference under the signer
# (``UMT/1``: the code room's initials and copy); what follows is the recipient's filing notes.
_FORM_TEXT_END = re.compile(r"^\W*END\W*$|^\s*[A-Z]{2,4}/\d{1,3}\s*$")
_LONE_LEVEL = re.compile(rf"^\W*{BANNER_LEVEL}\W*$", re.I)


def _form_paragraphs(cable: Cable) -> Cable:
    """A form's text has no preamble: the lines the body parser took for passing instructions
    are the telegram's paragraphs (up to an outgoing form's ``END`` or the typist's reference;
    level lines are the form's)."""
    lines: list[str] = []
    for line in cable.body.split("\n"):
        if _FORM_TEXT_END.match(line):
            break
        if not _LONE_LEVEL.match(line.replace(".", "")):
            lines.append(line)
    text = parse_paragraphs(clean_lines(lines, None, None))
    extra = {key: value for key, value in cable.extra.items() if key != "passing_instructions"}
    warnings = [
        *cable.warnings,
        *text.warnings,
        "a telegram form's text: its lines are paragraphs, not passing instructions",
    ]
    return dataclasses.replace(
        cable, paragraphs=text.paragraphs, signers=cable.signers or text.signers, extra=extra, warnings=tuple(warnings)
    )


# Warnings of the common parser that the form answers.
_ANSWERED = ("no station and serial", "provisional id", "no date-time group or dated record", "no date in the text")


def complete(cable: Cable, form: ScanForm) -> Cable:
    """``cable`` with the id, date, station and addressees the form gives and the telegram lines did not."""
    if form.form and not cable.paragraphs and cable.extra.get("passing_instructions"):
        cable = _form_paragraphs(cable)
    if not form.found:
        return dataclasses.replace(cable, warnings=tuple(dict.fromkeys([*cable.warnings, *form.warnings])))
    changes: dict[str, object] = {}
    warnings = list(form.warnings)
    if form.page_time:
        changes["extra"] = {**cable.extra, "page_time": form.page_time}
    created = cable.created
    if created is None and form.date is not None:
        created = changes["created"] = form.date
        warnings.append("the telegram form gives the local date, no time: the creation time is that date")
    if cable.station is None and form.station:
        changes["station"] = form.station
        upper = form.station.upper()  # a bare place ("Hong Kong") is named as a banner station is
        changes["origin"] = origin_from_fm(upper) if station_from_fm(upper) != upper else origin_from_station(upper)
    if not cable.recipients and form.recipients:
        repeated = [r for r in repeated_to(cable.body) if r not in form.recipients]
        changes["recipients"] = (*form.recipients, *repeated)
    if cable.canonical_id is None and form.station and form.serial:
        station = station_from_fm(form.station) or form.station
        if created is not None:
            changes["canonical_id"] = canonical_id(station, form.serial, created.year)
        if cable.metadata is None or not cable.metadata.reference_id:
            changes["reference_id"] = changes.get("canonical_id") or provisional_id(station, form.serial, cable.body)
    kept = [w for w in cable.warnings if not (changes and w.startswith(_ANSWERED))]
    reference_id = str(changes.get("reference_id", cable.reference_id))
    if is_provisional(reference_id):
        warnings.append(f"provisional id {reference_id}: it becomes the full id when an input gives that")
    return dataclasses.replace(cable, warnings=tuple(dict.fromkeys([*kept, *warnings])), **changes)  # type: ignore[arg-type]
