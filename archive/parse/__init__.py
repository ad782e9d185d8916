"""Telegram text → ``Cable``: pure functions of the text, no database.

``parse(document)`` splits the telegram into routing header and body
(:mod:`archive.parse.header`, :mod:`archive.parse.body`) and assembles the ``Cable``. Every
field comes from the telegram text alone; publisher metadata only supplies the published
reference id, and disagreements with it are recorded as warnings.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from archive.cable import Cable, Document, InputError, PublisherMetadata, classification_label
from archive.parse.body import Body, parse_body
from archive.parse.flattened import unflatten
from archive.parse.frus import FORMATS as FRUS_FORMATS
from archive.parse.frus import parse_frus
from archive.parse.header import Header, Identity, identify, read_header, split_header_lines
from archive.parse.ids import canonical_id, find_station_serial, full_year, normalize_station, parse_reference_id
from archive.parse.provisional import provisional_id
from archive.parse.scan import FORMAT as SCAN_FORMAT
from archive.parse.scan import ScanForm, complete, read_form
from archive.parse.scan_sheets import FORMAT as SHEET_FORMAT
from archive.parse.scan_sheets import parse_sheet

__all__ = ["NO_CLASSIFICATION", "NO_YEAR", "parse"]

# Forms that publish the body alone, the id beside it: their telegrams show no banner or header.
HEADERLESS_FORMATS = ("cfpf",)

# The least a text must show to be taken for a cable.
_NOT_A_CABLE = "not a cable: no classification banner, date-time group, TAGS or SUBJECT line found"
NO_YEAR = "no date in the text: the year of the reference id is unknown"
NO_CLASSIFICATION = "no classification found; UNCLASSIFIED assumed"
# A publisher's record printed inside the body of an undated extract: a cables.csv row
# ('19205,7/29/2004 5:59,04THEHAGUE1903,"Embassy The Hague",...'), its fields one per line
# ('13722' / '2004-02-04' / '04THEHAGUE281'), or a date printed before a later copy's banner
# ('C..3/10/2005 16:26 C O N F I D E N T I A L PRAGUE 000356', 'Cable dated:2009-09-14T13:52:00C O N F I …').
# Its fields may also be separated by tabs or runs of spaces ('50133  2006-01-19  06THEHAGUE131').
_PRINTED_RECORD = re.compile(
    r"^\d+(?:,|\s+)(?P<date>\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}|\d{4}-\d{2}-\d{2})(?:,|\s+)"
    r"(?P<id>\d{2}[A-Z][A-Z-]*\d+)\b"
    r"|(?P<banner_date>\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}|(?<=Cable dated:)\d{4}-\d{2}-\d{2}T\d{2}:\d{2})"
    r"(?::\d{2})?\s*(?=C O N F|S E C R|UNCLAS|CONFIDENTIAL|SECRET)",
    re.MULTILINE,
)
# Every _PRINTED_RECORD holds one of these dates; searching for them first is about 20 times
# faster than the record pattern itself, which has no literal to search for. Each opens with the
# character paired with it, which str.find looks for (``_holds``).
_RECORD_DATE_HINTS = (("/", re.compile(r"/\d{4} \d{1,2}:\d{2}")), ("-", re.compile(r"-\d{2}-\d{2}")))
# How many places of its opening character ``_holds`` tries a hint at before it leaves the rest
# of the text to the hint's own search (a corpus text prints a hundred dashes, a synthetic one none).
_MOST_OPENINGS_TRIED = 8
_RECORD_LINE = re.compile(r"^[ \t]*\d+[ \t]+\d{1,2}/\d{1,2}/\d{4}\b", re.MULTILINE)
_RECORD_DATE = re.compile(r"(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{2,4})(?:[ T]+(?P<h>\d{1,2}):(?P<m>\d{2}))?")


def parse(document: Document) -> Cable:
    """The cable in ``document.text``; raises ``InputError`` for text that is not a cable."""
    if document.format in FRUS_FORMATS:
        return parse_frus(document)  # an edition's apparatus, not a telegram's header
    if document.format == SHEET_FORMAT:
        return parse_sheet(document)  # a reference sheet's fields: no telegram text
    if document.format == SCAN_FORMAT:
        text, form = read_form(_telegram_text(document))  # the form's boxes stand in for a routing header
        return complete(_parse_telegram(dataclasses.replace(document, text=text), form), form)
    return _parse_telegram(document, None)


def _parse_telegram(document: Document, form: ScanForm | None) -> Cable:
    text = unflatten(_telegram_text(document))
    header_text, body_text, header_lines = split_header_lines(text)
    header = read_header(header_lines)
    body_text, glued = _without_glued_cable(body_text)
    body = parse_body(body_text, _year(header, document.metadata))
    shown = body.level is not None or header.created is not None or body.tags or body.subject is not None
    if not (shown or (form is not None and form.found) or document.format in HEADERLESS_FORMATS):
        raise InputError(_NOT_A_CABLE)
    if not body_text.strip():
        raise InputError("truncated: the telegram has a routing header but no body")
    warnings = [*document.warnings, *header.warnings, *body.warnings]
    if glued:
        warnings.append(f"the text of another cable ({glued}) is glued into the body; it is left out of this cable")

    identity = identify(header, body_text)
    warnings.extend(identity.warnings)
    dating = _dating(header, body, body_text, identity, document.metadata, warnings)
    canonical = _canonical(identity, dating.year, body, document.metadata, warnings)
    published = document.metadata.reference_id if document.metadata else None
    level = _level(body, header, warnings)
    warnings.extend(_disagreements(canonical, classification_label(level, body.caveats), document.metadata))
    record_date = dating.record_date
    return Cable(
        reference_id=published or canonical or _provisional(identity, body_text, warnings),
        canonical_id=canonical,
        created=dating.created,
        level=level,
        caveats=body.caveats,
        origin=identity.origin,
        station=header.station,
        subject=body.subject,
        transmission_id=header.transmission_id,
        precedence=header.precedence,
        executive_order=body.executive_order,
        declassify_on=body.declassify_on,
        declassify_text=body.declassify_text,
        classified_by=body.classified_by,
        classified_by_title=body.classified_by_title,
        reasons=body.reasons,
        signers=body.signers,
        partial=header.partial or body.partial,
        header=header_text,
        body=body_text,
        recipients=header.recipients,
        tags=body.tags,
        references=body.references,
        paragraphs=body.paragraphs,
        warnings=tuple(dict.fromkeys(warnings)),
        metadata=document.metadata,
        extra=_extra(body) | ({"record_date": record_date.when.date().isoformat()} if record_date else {}),
    )


def _telegram_text(document: Document) -> str:
    """The document's text, if it can hold a telegram at all."""
    text = document.text
    if not text or not text.strip():
        raise InputError("empty document: no telegram text")
    if "\x00" in text:
        raise InputError("binary data, not telegram text")
    return text


@dataclass(frozen=True, slots=True)
class _Dating:
    """When a cable was created, and the year of its canonical id."""

    created: datetime | None
    year: int | None
    record_date: _RecordDate | None  # a publisher's record printed in the body, when it dated the cable


def _dating(
    header: Header,
    body: Body,
    body_text: str,
    identity: Identity,
    metadata: PublisherMetadata | None,
    warnings: list[str],
) -> _Dating:
    """The creation time: the date-time group's, else a record's in the body, else the publisher's (to the hour)."""
    created = header.created
    record_date = (
        None if created else _record_date(body.record.get("date")) or _printed_record_date(body_text, identity)
    )
    if record_date is not None and record_date.time:
        created = record_date.when
        warnings.append("creation time taken from a publisher's record printed in the body")
    elif record_date is not None:
        # A date without a time: it gives the year of the canonical id, not a creation time.
        warnings.append(f"a record in the body gives the date {record_date.when.date()} but no time")
    year = created.year if created else record_date.when.year if record_date else None
    if created is None and metadata is not None and metadata.created is not None:
        created = _publisher_time(metadata, warnings)
    elif created is None:
        warnings.append("no date-time group or dated record in the text: the creation time is unknown")
    return _Dating(created, year, record_date)


def _publisher_time(metadata: PublisherMetadata, warnings: list[str]) -> datetime | None:
    """The publisher's creation time: to the hour for the site's pages, exact for a dump's or an export's."""
    if metadata.released is None:  # cables.csv and its re-exports: the minutes are exact
        warnings.append("no date-time group in the text: creation time taken from the publisher")
        return metadata.created
    # The site's minutes are unreliable before Aug 2011 (they repeat the hour): keep the hour.
    warnings.append("no date-time group in the text: creation time taken from the publisher, to the hour")
    return metadata.created.replace(minute=0, second=0, microsecond=0) if metadata.created else None


def _canonical(
    identity: Identity, year: int | None, body: Body, metadata: PublisherMetadata | None, warnings: list[str]
) -> str | None:
    """The canonical id: from the text, else from the published id or a record printed in the body."""
    canonical = identity.canonical_id
    if canonical is None and identity.station and identity.serial and year:
        canonical = canonical_id(identity.station, identity.serial, year)
    if canonical is not None:
        return canonical
    canonical = _published_canonical(metadata.reference_id if metadata else None) or _record_canonical(body)
    if canonical is not None:
        warnings.append("canonical id taken from the published reference id")
    elif identity.station and identity.serial and metadata and metadata.created:
        canonical = canonical_id(identity.station, identity.serial, metadata.created.year)
        warnings.append("the year of the canonical id taken from the publisher's date")
    elif identity.station and identity.serial:
        # Undated partial extracts: every other field is still in the text.
        warnings.append(NO_YEAR)
    else:
        warnings.append("no station and serial in the text: the reference id is unknown")
    return canonical


def _provisional(identity: Identity, body_text: str, warnings: list[str]) -> str:
    """A real telegram is never turned away for want of a year: see archive.parse.provisional."""
    reference_id = provisional_id(identity.station, identity.serial, body_text)
    warnings.append(f"provisional id {reference_id}: it becomes the full id when an input gives that")
    return reference_id


def _level(body: Body, header: Header, warnings: list[str]) -> str:
    """The classification level: the body's, else the header's security line's, else UNCLASSIFIED."""
    if body.level is not None:
        return body.level
    level = header.security_level
    warnings.append(f"classification {level} from the header's security line" if level else NO_CLASSIFICATION)
    return level or "UNCLASSIFIED"


def _year(header: Header, metadata: PublisherMetadata | None) -> int | None:
    """The year short REF citations belong to: the date-time group's (or a library export's
    document number), else the published id's."""
    if header.created:
        return header.created.year
    if header.document_number:
        return int(header.document_number[:4])
    if metadata and metadata.reference_id:
        parts = parse_reference_id(metadata.reference_id)
        if parts:
            return parts.year
    return None


@dataclass(frozen=True, slots=True)
class _RecordDate:
    """A date printed in a record in the body (``date: 10/13/2006 14:24``, ``2004-02-04``)."""

    when: datetime  # UTC; midnight when the record gives no time
    time: bool  # whether the record gives the time of day


def _record_date(value: str | None) -> _RecordDate | None:
    """``10/13/2006 14:24``, ``2004-02-04``: a record's date (and time) in UTC."""
    match = _RECORD_DATE.search(value or "")
    if not match:
        return None
    a, b, c = match["a"], match["b"], match["c"]
    year, month, day = (int(a), int(b), int(c)) if len(a) == 4 else (full_year(int(c)), int(a), int(b))
    try:
        when = datetime(year, month, day, int(match["h"] or 0), int(match["m"] or 0), tzinfo=UTC)
    except ValueError:
        return None
    return _RecordDate(when, match["h"] is not None)


def _printed_record_date(body_text: str, identity: Identity) -> _RecordDate | None:
    """The date of a publisher's record printed in the body, when it names this cable (or no cable)."""
    for match in _printed_records(body_text):
        parts = parse_reference_id(match["id"]) if match["id"] else None
        if parts and not (
            identity.station
            and identity.serial
            and normalize_station(parts.station) == normalize_station(identity.station)
            and int(parts.serial) == int(identity.serial)
        ):
            continue  # a record of another cable
        return _record_date(match["date"] or match["banner_date"])
    return None


def _printed_records(body_text: str) -> Iterator[re.Match[str]]:
    if any(_holds(hint, opening, body_text) for opening, hint in _RECORD_DATE_HINTS):
        yield from _PRINTED_RECORD.finditer(body_text)


def _holds(pattern: re.Pattern[str], opening: str, text: str) -> bool:
    """Does ``pattern``, whose every match opens with the character ``opening``, match in ``text``?

    str.find skips to the places of ``opening`` (a C memchr: sre's own search steps through a
    text a character at a time, 5 instructions each, 37,000 for a synthetic body), so a text with
    few of them costs a few matches, one with none almost nothing.
    """
    at = text.find(opening)
    for _ in range(_MOST_OPENINGS_TRIED):
        if at < 0:
            return False
        if pattern.match(text, at):
            return True
        at = text.find(opening, at + 1)
    return at >= 0 and pattern.search(text, at) is not None


def _without_glued_cable(body_text: str) -> tuple[str, str | None]:
    """The body up to a publisher's record of *another* cable printed in it, and that cable's id.

    Some pages carry a second cable after their own text, opened by its cables.csv record
    ('50133  2006-01-19  06THEHAGUE131  Embassy The Hague ...' under a 1973 Tehran cable): its
    caveats, paragraphs and signer are not this cable's. A record naming this cable (the banner's
    station and serial above it) opens a later copy of the same cable and is kept.
    """
    for match in _printed_records(body_text):
        parts = parse_reference_id(match["id"]) if match["id"] else None
        own = find_station_serial(body_text[: match.start()])
        if parts is None or own is None:
            continue
        if normalize_station(own[0]) != normalize_station(parts.station) or int(own[1]) != int(parts.serial):
            start = match.start()
            # This cable's own record may sit right above ('0 02/03/2009 511 AORC,CDG,...' and its subject).
            own_record = [m.start() for m in _RECORD_LINE.finditer(body_text, 0, start)]
            if own_record and body_text[own_record[-1] : start].strip().count("\n") < 3:
                start = own_record[-1]
            return body_text[:start], parts.canonical
    return body_text, None


def _published_canonical(published: str | None) -> str | None:
    parts = parse_reference_id(published) if published else None
    return parts.canonical if parts else None


def _record_canonical(body: Body) -> str | None:
    for key in ("refid", "origin"):
        parts = parse_reference_id(body.record.get(key, ""))
        if parts:
            return parts.canonical
    return None


def _extra(body: Body) -> dict[str, object]:
    """Parser findings with no column of their own."""
    extra: dict[str, object] = {}
    if body.subject_marking:
        extra["subject_marking"] = body.subject_marking
    if body.corrected_copy_notice:
        extra["corrected_copy_notice"] = body.corrected_copy_notice
    if body.passing:
        extra["passing_instructions"] = list(body.passing)
    if body.record:
        extra["record"] = dict(body.record)
    return extra


def _disagreements(canonical: str | None, classification: str, metadata: PublisherMetadata | None) -> list[str]:
    """Where the telegram text and the publisher's metadata disagree."""
    if metadata is None:
        return []
    found: list[str] = []
    published = _published_canonical(metadata.reference_id)
    if published and canonical and published != canonical:
        found.append(f"published id {metadata.reference_id} differs from the canonical id {canonical}")
    if metadata.classification and metadata.classification.upper() != classification:
        found.append(f"published classification {metadata.classification} differs from {classification}")
    return found
