"""Reference sheets: the CIA's stand-ins for State telegrams in its files → metadata-only cables.

A sheet prints what the withdrawn telegram was (``DEPT OF STATE TELEGRAM NUMBER 1284`` / ``FROM:
LEOPOLDVILLE`` / ``DATE: 22 NOVEMBER 1961`` / ``CLASSIFICATION: CONFIDENTIAL`` / ``SUBJECT: NONE
GIVEN``; or ``STATE CABLES`` / ``FROM AMEMBASSY KINGSTON 2883`` / …), through heavy OCR damage in
the labels themselves (``NUMPER``, ``SUPJECT``, ``PATE``, ``CEASSIFICATION``, ``DECEMPER``). Each
stub (:func:`archive.sources.scans.split_stubs`) becomes a ``Cable`` with the sheet's fields and no
text: a body is never invented. Every word read through damage is a warning; the printed values
are kept in ``extra["reference_sheet"]``.

Ids: two-digit year + station + number when the sheet gives all three (an outgoing telegram's
station is the Department, ``STATE``); otherwise a provisional id
(:mod:`archive.parse.provisional`). The date is the local date the sheet prints (no time).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from archive.cable import LEVELS, Cable, Document, Recipient
from archive.parse.ids import canonical_id
from archive.parse.origins import origin_from_fm, origin_from_station, station_from_fm
from archive.parse.provisional import provisional_id
from archive.parse.scan import read_month
from archive.sources.scans import stub_field

FORMAT = "scan-sheet"
METADATA_ONLY = "a reference sheet standing for the telegram: metadata only, the telegram's text is not in the input"

# "OFFICIAL USE ONLY": State's designation before LIMITED OFFICIAL USE; stored as FOUO.
_SHEET_LEVELS = (*LEVELS, "OFFICIAL USE ONLY")
_NUMBER = re.compile(r"\b[NW][UO]?[MNY][BPF]{0,2}[EF]?R\b\s*[:.]?\s*(?P<number>\d{1,6})(?!\d)", re.I)
# "AMEMBASSY KINGSTON 2883", "AMEMBASSY CARACAS (CARACAS 2866)."
_TRAILING_NUMBER = re.compile(r"(?:\(\s*[A-Z]+\s+(?P<cited>\d{2,6})\s*\)|\s(?P<number>\d{2,6}))\W*$")
_FROM_LABEL = re.compile(r"^.{0,6}?\b(?:FROM|PROM|FM)\b\s*[:;]?\s*", re.I)
_LABEL = re.compile(r"^\W*[A-Z]{2,}[A-Z?]*\s*[:;!.]\s*|^\W*(?:FROM|PROM|FM)\b\s*", re.I)
_DATE = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Z]{3,})\s+(?P<year>\d{4})\b", re.I)
_TO = re.compile(r"^\W*T[O0Q]\s*[:;]\s*\W*(?P<value>[A-Z].*)$", re.I)
_NONE_GIVEN = re.compile(r"^\W*NONE\s+GIVEN\W*$", re.I)
_STATE_ID = re.compile(r"\s+(?:STATE|[A-Z]ATE)\s+(?P<number>\d{3,6})\b")
# Station words the OCR damages in a way only one reading fits.
_STATION_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bA[MN][EF]?[MN][BPF]ASSY\b"), "AMEMBASSY"),
    (re.compile(r"\bW+ASHDC\b"), "WASHDC"),
)


@dataclass(slots=True)
class _Stub:
    kind: str = "telegram"
    number: str | None = None
    station: str | None = None
    to: str | None = None
    date: datetime | None = None
    level: str | None = None
    subject: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_sheet(document: Document) -> Cable:
    """The telegram one reference stub stands for: its fields, and no text."""
    stub = _read(document.text)
    station = station_from_fm(stub.station) if stub.station else ("STATE" if stub.to else None)
    year = stub.date.year if stub.date else None
    canonical = canonical_id(station, stub.number, year) if station and stub.number and year else None
    warnings = [*document.warnings, *stub.warnings, METADATA_ONLY]
    reference_id = canonical
    if reference_id is None:
        reference_id = provisional_id(station, stub.number, document.text)
        warnings.append(f"provisional id {reference_id}: it becomes the full id when an input gives that")
    if stub.date is not None:
        warnings.append("the reference sheet gives the local date, no time: the creation time is that date")
    level, caveats = _level(stub.level, warnings)
    subject = " ".join(" ".join(stub.subject).split()) or None
    return Cable(
        reference_id=reference_id,
        canonical_id=canonical,
        created=stub.date,
        level=level,
        caveats=caveats,
        origin=_origin(stub.station, station),
        station=stub.station or ("SECSTATE WASHDC" if stub.to else None),
        subject=None if subject is None or _NONE_GIVEN.match(subject) else subject,
        recipients=(Recipient("TO", stub.to),) if stub.to else (),
        warnings=tuple(dict.fromkeys(warnings)),
        extra={"reference_sheet": _printed(stub)},
    )


def _origin(printed: str | None, station: str | None) -> str | None:
    if printed:
        return origin_from_fm(printed) or origin_from_station(printed)
    return origin_from_station(station) if station else None


def _level(printed: str | None, warnings: list[str]) -> tuple[str, tuple[str, ...]]:
    if printed is None:
        warnings.append("no classification on the sheet; UNCLASSIFIED assumed")
        return "UNCLASSIFIED", ()
    if printed == "OFFICIAL USE ONLY":
        return "UNCLASSIFIED", ("FOUO",)
    return printed, ()


def _printed(stub: _Stub) -> dict[str, Any]:
    return {
        "kind": stub.kind,
        "number": stub.number,
        **{f"{key}_printed": value for key, value in stub.printed.items()},
    }


def _read(text: str) -> _Stub:
    stub = _Stub()
    reading_subject = False
    for line in text.split("\n"):
        name = stub_field(line)
        if name is None and _TO.match(line):
            name = "to"
        if name is None and reading_subject and line.strip() and not _NONE_GIVEN.match(line):
            stub.subject.append(line.strip(" .,;:-_"))
            continue
        reading_subject = name == "subject"
        _read_line(stub, name, line)
    return stub


def _read_line(stub: _Stub, name: str | None, line: str) -> None:
    if _TITLE_LINE.search(line):
        _read_title(stub, line)
    elif name == "from":
        _read_from(stub, line)
    elif name == "to":
        match = _TO.match(line)
        if match:
            stub.to = _repair_station(match["value"], stub.warnings)
    elif name == "date" and re.search(r"\s(?:FM|FROM)\s+[A-Z]", line):
        _read_from(stub, line)  # "DATE; 1 DECEMBER 1977. FM UNINT HAVANA ."
    elif name == "date":
        _read_date(stub, line)
    elif name == "classification":
        _read_level(stub, line)
    elif name == "subject":
        value = _LABEL.sub("", line, count=1).strip(" .,;:-_")
        stub.printed["subject"] = value
        stub.subject.append(value)
    elif name is None and stub.number is None:
        _read_number(stub, line)  # "WUMPER 566, OCTOPER L" on a line of its own


def _read_number(stub: _Stub, line: str) -> None:
    number = _NUMBER.search(line)
    if number:
        stub.number, stub.printed["number"] = number["number"], number[0]
        _note_label(number[0].split()[0], "NUMBER", stub.warnings)


_TITLE_LINE = re.compile(r"^\W*(?:(?:DEP\S{0,2}|DEPARTMENT)\s+[OC]F\s+STATE\s+(?!FILE\b)|STATE\s+(?:DEPT|CABLE))", re.I)


def _read_title(stub: _Stub, line: str) -> None:
    upper = line.upper()
    if "AIRGRAM" in upper or re.search(r"\bA\S?RGRAM\b", upper):
        stub.kind = "airgram"
    elif "OUTGOING" in upper:
        stub.kind = "outgoing telegram"
    elif "INCOMING" in upper:
        stub.kind = "incoming telegram"
    _read_number(stub, line)
    if "FROM" in upper.split() or " FM " in upper:
        _read_from(stub, line[upper.find(" F") :])
    else:
        _read_inline_from(stub, line)


def _read_inline_from(stub: _Stub, line: str) -> None:
    """``STATE CABLE FROM AMEMBASSY CARACAS (CARACAS 2866).``: the station on the title line."""
    match = re.search(r"\b(?:FROM|FM)\s+(?P<rest>[A-Z].*)$", line)
    if match:
        _read_from(stub, match["rest"])


def _read_from(stub: _Stub, line: str) -> None:
    value = _FROM_LABEL.sub("", line, count=1)
    inline_date = re.search(r"\b(?:FM|FROM)\s+(?P<rest>.+)$", value) if _DATE.search(value) else None
    if inline_date:  # "DATE; 1 DECEMBER 1977. FM UNINT HAVANA ."
        _read_date(stub, value[: inline_date.start()])
        value = inline_date["rest"]
    value, _, to = re.sub(r"[‘’“”'\"|,]", " ", value).partition(" TO ")
    stub.printed["from"] = " ".join(value.split())
    state_number = _STATE_ID.search(value)
    trailing = _TRAILING_NUMBER.search(value)
    if state_number:  # "SECSTATE WASHDC STATE 252295"
        stub.number = stub.number or state_number["number"]
        value = value[: state_number.start()]
    elif trailing:
        stub.number = stub.number or trailing["number"] or trailing["cited"]
        value = value[: trailing.start()]
    station = " ".join(re.sub(r"[^A-Z -]", " ", value.upper()).split()).strip(" -")
    stub.station = _repair_station(station, stub.warnings) or None
    if to.strip():
        stub.to = " ".join(to.split()).strip(" .")


def _repair_station(value: str, warnings: list[str]) -> str:
    repaired = " ".join(value.upper().split()).strip(" .|:;-_0123456789")
    for pattern, word in _STATION_REPAIRS:
        fixed = pattern.sub(word, repaired)
        if fixed != repaired:
            warnings.append(f"OCR repair in the sheet's station: {repaired!r} read as {fixed!r}")
            repaired = fixed
    return repaired


def _read_date(stub: _Stub, line: str) -> None:
    match = _DATE.search(line)
    stub.printed["date"] = " ".join(_LABEL.sub("", line, count=1).split()).strip(" .")
    if not match:
        return
    month = read_month(match["month"], stub.warnings)
    if month is None:
        return
    try:
        stub.date = datetime(int(match["year"]), month, int(match["day"]), tzinfo=UTC)
    except ValueError:
        stub.warnings.append(f"not a date: {match[0]!r}")


def _read_level(stub: _Stub, line: str) -> None:
    value = " ".join(re.sub(r"[^A-Z ]", " ", _LABEL.sub("", line, count=1).upper()).split())
    stub.printed["classification"] = value
    words = value.split()
    candidates = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 4) + 1)]
    best: tuple[float, str] | None = None
    for candidate in candidates:
        for level in _SHEET_LEVELS:
            score = difflib.SequenceMatcher(None, candidate, level).ratio()
            if score >= 0.8 and (best is None or score > best[0]):
                best = (score, level)
    if best is None:
        stub.warnings.append(f"unreadable classification on the sheet: {value!r}")
        return
    if best[1] not in value:
        stub.warnings.append(f"OCR repair in the sheet's classification: {value!r} read as {best[1]!r}")
    stub.level = best[1]


def _note_label(printed: str, label: str, warnings: list[str]) -> None:
    if printed.upper() != label:
        warnings.append(f"OCR repair in the sheet's labels: {printed!r} read as {label!r}")
