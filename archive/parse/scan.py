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

_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.upper(): number for number, name in enumerate(calendar.month_abbr) if name})


class Kind(enum.Enum):
    """What one line of a scanned telegram is, by its shape alone."""

    TITLE = "form title"  # INCOMING TELEGRAM, Department of State
    FROM = "FROM box"  # FROM: Hong Kong
    TO = "TO box"  # TO: Secretary of State
    NUMBER = "NO box"  # NO: 865, November 21
    RECEIVED = "Rec'd box"  # Rec'd: November 21, 1957
    ACTION = "ACTION line"  # ACTION: Embassy GEORGETOWN 286
    STAMP = "time stamp"  # FEB 6 10 16 AM '63
    CAPTION = "form caption"  # Control: 12435, Action, Info, CHARGE TO, INDICATE
    PAGE = "page line"  # PAGE 01 MADRID 01429 181241Z
    TEXT = "text"


_SHAPES: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.TITLE,
        re.compile(r"^\W*(?:\d+\s+)?(?:(?:INCOMING|OUTGOING)\s+TELEGRAM\b.*|Department\s+of\s+State\W*)$", re.I),
    ),
    (Kind.FROM, re.compile(r"^\W*FROM\s*[:;]\s*(?P<value>\S.*?)\s*$", re.I)),
    (Kind.TO, re.compile(r"^\W*TO\s*[:;]\s*(?P<value>\S.*?)\s*$", re.I)),
    (
        Kind.NUMBER,
        re.compile(r"^\W*NO\s*[:.;]\s*(?P<serial>\d+)\s*,?\s*(?:(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}))?", re.I),
    ),
    (
        Kind.RECEIVED,
        re.compile(r"^\W*Rec'?c?d\s*[:;.]\s*(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I),
    ),
    (Kind.ACTION, re.compile(r"^\W*ACTION\s*:\s*(?P<value>[A-Za-z][^:]*?)(?:\s+(?P<serial>\d{1,6}))?\s*$")),
    (
        Kind.STAMP,
        re.compile(r"^\W*(?P<month>[A-Z]{3})\s+(?P<day>\d{1,2})\s+\d{1,2}\s+\d{2}\s+[AP]M\s+'(?P<year>\d{2})\s*$"),
    ),
    (
        Kind.CAPTION,
        re.compile(
            r"^\W*(?:Control\s*:.*|Action|Info|\d{1,2}:\d{2}\s*[ap]\.\s?m\.|(?:TOP\s+)?SECRET\s+HC\w\s*\d+|CONFIDENTIAL\s+HC\w\s*\d+|INDICATE\W*(?:COLLECT)?|COLLECT|CHARGE\s+TO|(?:\d\s){3,}\d"
            r"|UNCLASSIFIED\s+MESSAGE\s+REFERRING|TO\s+THIS\s+MESSAGE\s+BY\s+CITE\s+NUMBER|WILL\s+BE\s+DESIGNATED\s+EFTO)\W*$",
            re.I,
        ),
    ),
    (Kind.PAGE, re.compile(r"^\s*PAGE\s+0?(?P<page>\d{1,3})\s+(?P<station>[A-Z][A-Z ]*?)\s+(?P<serial>\d{3,6})\b")),
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
        return bool(self.station or self.serial or self.date)


def read_form(text: str) -> tuple[str, ScanForm]:
    """The telegram text without the form's boxes and captions (header lines repaired), and the boxes."""
    form = ScanForm()
    kept: list[str] = []
    in_text = False
    for raw in text.split("\n"):
        line = classify(raw) if in_text else classify(_repaired(raw, form.warnings))
        reader = _READERS.get(line.kind)
        if reader is not None:
            reader(form, line)
            if line.kind is not Kind.PAGE:  # the common parser drops page lines itself
                continue
        if line.kind is Kind.CAPTION or (form.form and not in_text and _is_office(line.text)):
            continue
        in_text = in_text or _starts_text(line.text)
        kept.append(line.text)
    return "\n".join(kept), form


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
    assert line.match is not None
    form.recipients.append(Recipient("TO", line.match["value"].strip(" .,")))


def _read_number(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    form.serial = form.serial or line.match["serial"]
    if line.match["month"]:
        form.month = form.month or _MONTHS.get(line.match["month"].upper())
        form.day = form.day or int(line.match["day"])


def _read_received(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    form.year = form.year or int(line.match["year"])
    if form.month is None:  # the telegram's own date is the NO box's; the receipt date stands in
        form.month, form.day = _MONTHS.get(line.match["month"].upper()), int(line.match["day"])


def _read_action(form: ScanForm, line: Line) -> None:
    """``ACTION: Embassy GEORGETOWN 286``: an outgoing telegram's addressee and its number."""
    assert line.match is not None
    if line.match["serial"] and form.serial is None:
        form.serial = line.match["serial"]
        form.recipients.append(Recipient("TO", line.match["value"].strip()))
        form.station = form.station or "SECSTATE WASHDC"


def _read_stamp(form: ScanForm, line: Line) -> None:
    assert line.match is not None
    if form.year is None:
        form.year = 1900 + int(line.match["year"])
        form.month, form.day = _MONTHS.get(line.match["month"].upper()), int(line.match["day"])


def _read_page(form: ScanForm, line: Line) -> None:
    """``PAGE 01 MADRID 01429 181241Z``: kept in the text (the parser drops page lines), noted here."""
    assert line.match is not None
    if form.station is None and line.match["page"] in ("1", "01"):
        form.station, form.serial = line.match["station"].strip(), line.match["serial"]


_READERS: dict[Kind, Callable[[ScanForm, Line], None]] = {
    Kind.TITLE: _read_title,
    Kind.FROM: _read_from,
    Kind.TO: _read_to,
    Kind.NUMBER: _read_number,
    Kind.RECEIVED: _read_received,
    Kind.ACTION: _read_action,
    Kind.STAMP: _read_stamp,
    Kind.PAGE: _read_page,
}


# --- OCR repairs in header lines ------------------------------------------------------------

_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ØøΘ]"), "0"),
    (re.compile(r"^(\s*)0(?=\s+\d{6}\s?Z\b)"), r"\1O"),  # the precedence letter O read as zero
    (re.compile(r"(?<=\s)(\d{6})2(?=\s+[A-Z]{3}\s+\d{2}\b|\s*$)"), r"\1Z"),  # 0710122: Z read as 2
    (re.compile(r"(?<=\d)[lI](?=\d|\b)|\b[lI](?=\d)"), "1"),
    (re.compile(r"(?<=\d)O(?=\d)"), "0"),
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
    header_line = classify_header_line(fixed).kind.value in _HEADER_KINDS or _PAGE_TIME.match(line)
    if fixed == line or not header_line:
        return line
    warnings.append(f"OCR repair in a header line: {line.strip()!r} read as {fixed.strip()!r}")
    return fixed


# --- the cable --------------------------------------------------------------------------------

_FORM_TEXT_END = re.compile(r"^\W*END\W*$")
_LONE_LEVEL = re.compile(rf"^\W*{BANNER_LEVEL}\W*$", re.I)


def _form_paragraphs(cable: Cable) -> Cable:
    """A form's text has no preamble: the lines the body parser took for passing instructions
    are the telegram's paragraphs (up to an outgoing form's ``END``; level lines are the form's)."""
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
    created = cable.created
    if created is None and form.date is not None:
        created = changes["created"] = form.date
        warnings.append("the telegram form gives the local date, no time: the creation time is that date")
    if cable.station is None and form.station:
        changes["station"] = form.station
        upper = form.station.upper()  # a bare place ("Hong Kong") is named as a banner station is
        changes["origin"] = origin_from_fm(upper) if station_from_fm(upper) != upper else origin_from_station(upper)
    if not cable.recipients and form.recipients:
        changes["recipients"] = tuple(form.recipients)
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
