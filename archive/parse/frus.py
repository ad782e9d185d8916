"""FRUS documents → ``Cable``: telegrams as the *Foreign Relations of the United States* prints them.

Both FRUS sources (:mod:`archive.sources.frus_tei`, :mod:`archive.sources.frus_text`) give the
parser one document in the layout of the series' text edition (:func:`edition_text` writes it)::

    195. Telegram From the Embassy in the Soviet Union to the Department of State
    Moscow, May 13, 1962, 1 a.m.
    2935. Eyes only President. Following is ...        (paragraphs, one per line)
    Thompson                                           (the signer)
    * * *
    * Source: Department of State, Central Files, 611.61/5-1362. Secret; Priority; ...
    1 Document 194.                                    (editor's footnotes)

The telegram has no header of its own: every field comes from the edition's apparatus. The
heading gives sender and addressee (a post-name table turns ``Embassy in the Soviet Union``
into ``MOSCOW``), the dateline the date and local time, the first word of the text the
telegram number (``1706.``, ``Secto 3.``) and any ``Subject:``, the source note the file
citation, classification, precedence and handling (``Secret; Immediate; Nodis``) and the
``Repeated to`` addressees. The canonical id is the two-digit year, the sending station and
the number (``62MOSCOW2935``; series such as Secto keep their own name: ``61SECTO3``).
Editor's footnotes and the source note are annotations, not telegram text: they are kept in
the cable's publisher metadata (``apparatus``), never in paragraphs.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive.cable import Cable, Document, InputError, Paragraph, PublisherMetadata, Recipient
from archive.parse.frus_posts import Post, addressee_posts, repeated_posts, sender_post
from archive.parse.ids import canonical_id
from archive.parse.markings import MARK_LEVELS
from archive.parse.provisional import provisional_id

FORMATS = ("frus-tei", "frus-text")
NO_SOURCE_CLASSIFICATION = "no classification in the source note; UNCLASSIFIED assumed"
SEPARATOR = "* * *"
SOURCE_PREFIX = "* "

# Heading: "195. Telegram From the Embassy ... to the Department of State", in the text edition
# with the source footnote's mark glued on ("...StateSource", "...State1").
HEADING = re.compile(r"^[ \t]*(?P<number>\d{1,4})\.[ \t]+(?P<title>\S.*)$")
_VOLUME_IN_NAME = re.compile(r"(?P<volume>frus\d{4}(?:-\d{2,4})?[A-Za-z]\w*?)(?=[-_.]|$)")
_GLUED_NOTE = re.compile(r"(?<=[a-z.)\]])(?:Source|\d{1,2})$")
# Documents that are telegrams, by the first words of their title.
# Telegrams, by the title's first words; "Cable" alone names CIA reports and station cables too.
_TELEGRAM_TITLE = re.compile(
    r"^(?:[A-Z][\w-]*\s+){0,3}?(?:Telegrams?|Circular\s+Telegrams?|Backchannel\s+(?:Messages?|Cables?|Telegrams?))\b"
    r"(?!\s+(?:of|on|and)\b)"
)
_MONTHS = list(calendar.month_name)[1:]
_MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(_MONTHS, start=1)}
MONTH = "|".join(_MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# "Moscow, January 21, 1961, 4 p.m.", "Washington, October 25, 1956—7:29 p.m.",
# "Washington, January 23, 1970, 0117Z.", "Moscow, November 15, 1961 noon.", "October 26, 1956".
DATELINE = re.compile(
    rf"^(?:(?P<place>[^,\d]{{2,60}}?),\s*)?(?P<month>{MONTH})\.?\s+(?P<day>\d{{1,2}}),\s*(?P<year>\d{{4}})"
    r"(?:\s*[,—–-]?\s*(?P<time>[^.]{0,40}?(?:[ap]\.\s?m|noon|midnight|\d{4}\s?Z|\d{1,2}:\d{2})))?\.?[ \t]*$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<half>[ap])\.\s?m", re.IGNORECASE)
_ZULU = re.compile(r"(?P<h>\d{2})(?P<m>\d{2})\s?Z", re.IGNORECASE)
# The telegram number opening the text: "1706.", "Secto 3.", "Circular 332.", "010865. Subject: ...".
_NUMBER = re.compile(r"^(?:(?P<series>[A-Z][a-z]{2,7}|[A-Z]{2,7})\s+)?(?P<number>\d{1,7})\.(?=\s|$)")
_NOT_SERIES = frozenset(
    {*_MONTHS, "Telegram", "Deptel", "Embtel", "Legtel", "Reftel", "Section", "Part", "No", "Para", "Us", "Un"}
)
_PRECEDENCE_WORDS = frozenset({"Niact", "Flash", "Immediate", "Priority", "Routine"})
_SUBJECT = re.compile(r"^Subject:\s*(?P<subject>.+?)(?:\s+Refs?:.*)?$", re.IGNORECASE)
# Numbered paragraphs and their portion mark: "1. (S—Entire text.)", "2. (C) ...".
_PARAGRAPH_NUMBER = re.compile(r"^(?P<printed>(?P<number>\d{1,3})\.)\s+")
_MARK = re.compile(r"^\((?P<mark>(?P<level>TS|S|C|LOU|U)(?:\s*[—–-]+\s*Entire\s+text)?)\.?\)\s*", re.IGNORECASE)
REDACTION = re.compile(r"\[[^\[\]]*not\s+declassified[^\[\]]*\]", re.IGNORECASE)
# The signer on the last line before the apparatus: "Thompson", "Dean Rusk", "J. F. Dulles", "JFD".
_SIGNER = re.compile(
    r"^(?:[A-Z][\w’'-]*\.?|[A-Z]\.|de|van|von|der|[A-Z]{2,4})(?:\s+(?:[A-Z][\w’'-]*|[A-Z]\.|de|van|von|der)){0,4}$"
)

# The source note: classification and handling, file citations, routing.
_LEVELS = {
    "top secret": "TOP SECRET",
    "secret": "SECRET",
    "confidential": "CONFIDENTIAL",
    "limited official use": "LIMITED OFFICIAL USE",
    "official use only": "LIMITED OFFICIAL USE",
    "unclassified": "UNCLASSIFIED",
}
_CLASSIFICATION = re.compile(
    r"(?:^|[.;)]\s+)(?P<level>Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified)"
    r"(?P<rest>(?:\s*;\s*[^.;]+?)*)\s*(?:\.(?=\s|$)|$)",
)
_PRECEDENCES = {
    "flash": "FLASH",
    "niact": "NIACT IMMEDIATE",
    "niact immediate": "NIACT IMMEDIATE",
    "immediate": "IMMEDIATE",
    "operational immediate": "IMMEDIATE",
    "priority": "PRIORITY",
    "routine": "ROUTINE",
}
_HANDLING = {
    "nodis": "NODIS",
    "exdis": "EXDIS",
    "limdis": "LIMDIS",
    "limit distribution": "LIMDIS",
    "limited distribution": "LIMDIS",
    "noforn": "NOFORN",
    "stadis": "STADIS",
    "eyes only": "EYES ONLY",
    "exclusively eyes only": "EYES ONLY",
    "roger channel": "ROGER CHANNEL",
    "cherokee": "CHEROKEE",
    "verbatim text": "VERBATIM TEXT",
    "no distribution outside department": "NODIS",
}
_CENTRAL_FILE = re.compile(r"\b\d{3}[A-Z]?(?:\.[\dA-Z]+)*(?:-[A-Z]+)?/\d{1,2}[-–]\d{3,4}\b")
_CITED_FILE = re.compile(r"Central (?:Foreign Policy )?Files?,\s*(?P<file>[^.,]+(?:,[^.,]+)?)")
_ELECTRONIC_ID = re.compile(r"\b(?:19[7-9]\d|20[01]\d)[A-Z]{3,}\d{5,6}\b|\b[DPN]\d{6}[-–]\d{3,4}\b")
_ROUTING = re.compile(
    r"\b(?P<verb>Repeated|Sent also|Also sent|Also repeated)(?:\s+(?:for\s+information|priority|niact|immediate))?"
    r"\s+to\s+(?P<list>[^.;]+)",
    re.IGNORECASE,
)
# "Drafted by Wood, cleared with Haydn Williams, U. Alexis Johnson, and G/PM; approved by Bowles."
_STAFF = re.compile(
    r"\b(?P<role>Drafted|cleared|approved)(?:\s+in\s+(?:draft|substance))?\s+(?:by|with)\s+"
    r"(?P<names>.+?)(?=[;,]?\s+(?:and\s+)?(?:cleared|approved|initialed|repeated|sent|drafted)\b|;|(?<!\s[A-Z])\.(?:\s|$)|$)",
    re.IGNORECASE,
)
_RECEIVED = re.compile(r"\bReceived\s+(?P<when>[^.;]+(?:[ap]\.m\.[^.;]*)?)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(?P<n>\d{1,3})\s+(?P<text>\S.*)$")

NOT_A_TELEGRAM = "not a telegram"


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str | None
    year: int
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    zulu: bool = False  # the time is printed in GMT ("0117Z")

    @property
    def date_iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Sections:
    """A document split into its parts (text edition layout)."""

    heading: str
    document_number: str | None
    title: str
    dateline: str | None
    lines: tuple[str, ...]  # the telegram's text, one paragraph a line (signer included)
    source: str | None  # the source note, without "* Source:"
    footnotes: tuple[tuple[str, str], ...]  # (number, text)


def edition_text(
    heading: str,
    dateline: str | None,
    paragraphs: Iterable[str],
    signers: Iterable[str],
    source: str | None,
    footnotes: Iterable[tuple[str, str]],
) -> str:
    """A document in the text edition's layout (what :func:`parse_frus` reads)."""
    parts = [heading, ""]
    if dateline:
        parts += [dateline, ""]
    for paragraph in (*paragraphs, *signers):
        parts += [paragraph, ""]
    parts += [SEPARATOR, ""]
    if source:
        parts += [f"{SOURCE_PREFIX}{source}", ""]
    for number, text in footnotes:
        parts += [f"{number} {text}", ""]
    return "\n".join(parts).rstrip() + "\n"


def volume_in_name(name: str) -> str | None:
    """The FRUS volume id a file name starts with: ``frus1961-63v05-part1.txt`` → ``frus1961-63v05``."""
    match = _VOLUME_IN_NAME.match(name.replace("\\", "/").rsplit("/", 1)[-1])
    return match["volume"] if match else None


def heading_title(line: str) -> tuple[str | None, str]:
    """Document number and title of a heading line, without a glued footnote mark."""
    match = HEADING.match(line)
    if not match:
        return None, line.strip()
    return match["number"], _GLUED_NOTE.sub("", match["title"].strip()).strip()


def is_telegram_title(title: str) -> bool:
    """True for the titles of telegrams: ``Telegram From …``, ``Circular Telegram …``, ``Backchannel Message …``."""
    return bool(_TELEGRAM_TITLE.match(title.strip()))


def document_kind(title: str) -> str:
    """What a non-telegram document is, from its title: ``Memorandum of Conversation``, ``Editorial Note``."""
    words = re.split(r"\s+(?:From|Between|to|by|Prepared|for|on)\b", title.strip(), maxsplit=1)[0]
    return words.strip(" ,.") or "untitled document"


def split_sections(text: str) -> Sections:
    """The parts of one document in the text edition's layout."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError("empty FRUS document")
    number, title = heading_title(lines[0])
    try:
        end = lines.index(SEPARATOR)
    except ValueError:
        end = len(lines)
    body = lines[1:end]
    dateline = body.pop(0) if body and DATELINE.match(body[0]) else None
    source: str | None = None
    footnotes: list[tuple[str, str]] = []
    for line in lines[end + 1 :]:
        if line.startswith(SOURCE_PREFIX) or (source is None and line.startswith("Source:")):
            source = line.removeprefix(SOURCE_PREFIX).removeprefix("Source:").strip()
        elif match := _FOOTNOTE.match(line):
            footnotes.append((match["n"], match["text"]))
        elif footnotes:  # a footnote of several paragraphs
            footnotes[-1] = (footnotes[-1][0], f"{footnotes[-1][1]}\n{line}")
        elif source is not None:
            source = f"{source}\n{line}"
    return Sections(lines[0], number, title, dateline, tuple(body), source, tuple(footnotes))


def parse_dateline(line: str | None) -> Dateline | None:
    """Place, date and time of a dateline; None when it gives no date."""
    match = DATELINE.match(line or "")
    if not match:
        return None
    month = _month_number(match["month"])
    place = match["place"].strip() if match["place"] else None
    base = Dateline(place, int(match["year"]), month, int(match["day"]))
    timed = _with_time(base, (match["time"] or "").strip().lower())
    try:  # a misprinted date ("February 30") or time ("2460Z") is no date
        datetime(timed.year, timed.month, timed.day, timed.hour or 0, timed.minute or 0)
    except ValueError:
        return None
    return timed


def _with_time(base: Dateline, time: str) -> Dateline:
    if zulu := _ZULU.search(time):
        return dataclasses.replace(base, hour=int(zulu["h"]), minute=int(zulu["m"]), zulu=True)
    if clock := _CLOCK.search(time):
        hour = int(clock["h"]) % 12 + (12 if clock["half"].lower() == "p" else 0)
        return dataclasses.replace(base, hour=hour, minute=int(clock["m"] or 0))
    if "noon" in time:
        return dataclasses.replace(base, hour=12, minute=0)
    if "midnight" in time:
        return dataclasses.replace(base, hour=0, minute=0)
    return base


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


@dataclass(frozen=True, slots=True)
class SourceNote:
    """What the source note says about the telegram."""

    level: str | None
    precedence: str | None
    caveats: tuple[str, ...]
    handling: tuple[str, ...]  # as printed: ("Limit Distribution", "[codeword not declassified]")
    central_files: tuple[str, ...]
    electronic_ids: tuple[str, ...]
    sent_also: tuple[str, ...]
    repeated: tuple[str, ...]
    staff: dict[str, str]
    received: str | None


def parse_source_note(note: str | None) -> SourceNote:
    """Classification, precedence, handling, file citations and routing of a source note."""
    text = " ".join((note or "").split())
    match = _CLASSIFICATION.search(text)
    # The file citation precedes the classification; later sentences cite other documents' files.
    citation = text[: match.start()] if match else text.split(". ", 1)[0]
    level = _LEVELS[match["level"].lower()] if match else None
    printed = [part.strip() for part in (match["rest"] if match else "").split(";") if part.strip()]
    precedence = next((_PRECEDENCES[p.lower()] for p in printed if p.lower() in _PRECEDENCES), None)
    words = [piece.strip() for part in printed for piece in re.split(r"[—–-](?=[A-Z])", part)]
    caveats = tuple(dict.fromkeys(_HANDLING[w.lower()] for w in words if w.lower() in _HANDLING))
    handling = tuple(p for p in printed if p.lower() not in _PRECEDENCES)
    sent_also: list[str] = []
    repeated: list[str] = []
    for routing in _ROUTING.finditer(text):
        (repeated if "repeated" in routing["verb"].lower() else sent_also).append(routing["list"].strip())
    staff = {m["role"].lower(): m["names"].strip() for m in _STAFF.finditer(text)}
    received = _RECEIVED.search(text)
    return SourceNote(
        level=level,
        precedence=precedence,
        caveats=caveats,
        handling=handling,
        central_files=_central_files(citation),
        electronic_ids=tuple(dict.fromkeys(m.replace("–", "-") for m in _ELECTRONIC_ID.findall(citation))),
        sent_also=tuple(sent_also),
        repeated=tuple(repeated),
        staff=staff,
        received=received["when"].strip() if received else None,
    )


def _central_files(citation: str) -> tuple[str, ...]:
    """``761.5411/1-2161``, or a subject-numeric file as cited after ``Central Files,`` (``POL 27 VIET S``)."""
    files = [m.replace("–", "-") for m in _CENTRAL_FILE.findall(citation)]
    cited = _CITED_FILE.search(citation)
    if not files and cited and not cited["file"].startswith("["):
        files.append(cited["file"].strip())
    return tuple(dict.fromkeys(files))


@dataclass(frozen=True, slots=True)
class Opening:
    """The telegram number (and series) and subject printed at the start of the text."""

    series: str | None
    number: str | None
    subject: str | None
    rest: str  # the first paragraph without number and subject


def parse_opening(first: str) -> Opening:
    match = _NUMBER.match(first)
    series = number = None
    word = match["series"].capitalize() if match and match["series"] else None
    if match and word not in _NOT_SERIES:
        # "Niact 1234.": a precedence printed before a plain number, not a series.
        series, number = (None if word in _PRECEDENCE_WORDS else match["series"]), match["number"]
        first = first[match.end() :].strip()
    subject = _SUBJECT.match(first)
    if subject:
        return Opening(series, number, subject["subject"].strip().rstrip("."), "")
    return Opening(series, number, None, first)


def strip_note_marks(lines: Iterable[str], numbers: Iterable[str]) -> list[str]:
    """Paragraph lines without the text edition's footnote marks (``Aide-Memoire1 for``, ``telegram 1706).1``).

    Marks are the footnotes' numbers glued to the word or punctuation they annotate, in order;
    a mark glued to a number (``January 141``) cannot be told apart and is left.
    """
    pending = list(dict.fromkeys(numbers))
    result: list[str] = []
    for line in lines:
        while pending:
            mark = re.search(rf"(?<=[A-Za-z.,;:)\]’”\"'])({re.escape(pending[0])})(?=[\s.,;:)’”\"']|$)", line)
            if not mark:
                break
            line = line[: mark.start()] + line[mark.end() :]
            pending.pop(0)
        result.append(line)
    return result


def parse_paragraphs(lines: Iterable[str]) -> tuple[Paragraph, ...]:
    """One ``Paragraph`` per line: number and portion mark taken apart."""
    paragraphs: list[Paragraph] = []
    for line in lines:
        number = printed = marking = level = None
        text = line
        if match := _PARAGRAPH_NUMBER.match(text):
            number, printed = int(match["number"]), match["printed"]
            text = text[match.end() :]
        if mark := _MARK.match(text):
            marking = mark["mark"]
            level = MARK_LEVELS[mark["level"].upper()]
            text = text[mark.end() :]
        if text.strip() or marking:
            paragraphs.append(Paragraph(number, printed, marking, level, (), text.strip()))
    return tuple(paragraphs)


def lift_redactions(text: str) -> tuple[str, list[dict[str, Any]]]:
    """``text`` without the editor's redaction markers (``[less than 1 line not declassified]``), and each
    marker as printed with the offset in the returned text where it stood."""
    pieces: list[str] = []
    markers: list[dict[str, Any]] = []
    start = length = 0
    for match in REDACTION.finditer(text):
        before = text[start : match.start()]
        pieces.append(before)
        length += len(before)
        markers.append({"at": length, "printed": match[0]})
        start = match.end()
        if (not before or before.endswith(" ")) and text[start : start + 1] == " ":
            start += 1  # "told a [...] source": the marker's two spaces become one
    pieces.append(text[start:])
    lifted = "".join(pieces).rstrip()
    for marker in markers:
        marker["at"] = min(marker["at"], len(lifted))
    return lifted, markers


def split_signer(lines: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text lines and the signer printed on the last line (when it is a name)."""
    if len(lines) > 1 and _SIGNER.match(lines[-1]) and not lines[-1].lower().startswith(("end ", "begin ")):
        return lines[:-1], (lines[-1].rstrip("."),)
    return lines, ()


def parse_frus(document: Document) -> Cable:
    """The telegram of one FRUS document (text edition layout); ``InputError`` for other documents."""
    sections = split_sections(document.text)
    if not is_telegram_title(sections.title):
        raise InputError(f"{NOT_A_TELEGRAM}: {document_kind(sections.title)}")
    reader_apparatus = dict(document.metadata.apparatus or {}) if document.metadata else {}
    return _Telegram(document, sections, reader_apparatus).cable()


class _Telegram:
    """Assembles the ``Cable`` of one telegram document."""

    def __init__(self, document: Document, sections: Sections, apparatus: dict[str, Any]) -> None:
        self.document = document
        self.sections = sections
        self.apparatus = apparatus
        self.warnings: list[str] = []
        self.dateline = parse_dateline(sections.dateline) or parse_dateline(_when_dateline(apparatus))
        self.note = parse_source_note(sections.source)
        self.sender, self.addressees = _heading_posts(sections.title, self.year)

    @property
    def year(self) -> int | None:
        return self.dateline.year if self.dateline else None

    def cable(self) -> Cable:
        sections = self.sections
        text_lines, signers = split_signer(sections.lines)
        if self.document.format == "frus-text":
            text_lines = tuple(strip_note_marks(text_lines, (n for n, _ in sections.footnotes)))
        opening = parse_opening(text_lines[0]) if text_lines else Opening(None, None, None, "")
        body_lines = ([opening.rest] if opening.rest else []) + list(text_lines[1:])
        sender = _sender_station(self.sender, self.dateline)
        reference_id, canonical = self._ids(opening, sender, "\n\n".join(text_lines))
        level = self.note.level
        if level is None:
            self.warnings.append(NO_SOURCE_CLASSIFICATION)
        paragraphs = self._lift_redactions(parse_paragraphs(body_lines))
        return Cable(
            reference_id=reference_id,
            canonical_id=canonical,
            created=self._created(),
            level=level or "UNCLASSIFIED",
            caveats=self.note.caveats,
            origin=sender.origin if sender else None,
            station=sender.address if sender else None,
            subject=opening.subject,
            precedence=self.note.precedence,
            signers=signers,
            header="\n".join(line for line in (sections.heading, sections.dateline) if line),
            body="\n\n".join(text_lines),
            recipients=self._recipients(),
            paragraphs=paragraphs,
            warnings=tuple(dict.fromkeys(self.warnings)),
            metadata=PublisherMetadata(apparatus=self._apparatus(opening)),
        )

    def _ids(self, opening: Opening, sender: Post | None, body: str) -> tuple[str, str | None]:
        station = opening.series.upper() if opening.series else sender.station if sender else None
        if opening.number and station and self.year:
            canonical = canonical_id(station, opening.number, self.year)
            return canonical, canonical
        missing = "telegram number" if not opening.number else "sending post" if not station else "date"
        provisional = provisional_id(station, opening.number, body)
        self.warnings.append(f"no {missing} printed: the cable is kept under the provisional id {provisional}")
        return provisional, None

    def _document_id(self) -> str | None:
        """``frus1961-63v05d195``: the volume's id and the document number, when both are known."""
        volume = self.apparatus.get("volume")
        number = self.apparatus.get("document") or self.sections.document_number
        return f"{volume}d{number}" if volume and number else None

    def _created(self) -> datetime | None:
        dateline = self.dateline
        if dateline is None:
            self.warnings.append("no dateline: the creation time is unknown")
            return None
        if dateline.zulu:
            return datetime(
                dateline.year, dateline.month, dateline.day, dateline.hour or 0, dateline.minute or 0, tzinfo=UTC
            )
        if dateline.hour is not None:
            self.warnings.append(
                f"the dateline gives local time {dateline.hour:02d}:{dateline.minute or 0:02d} without a zone: "
                "the creation time is the local date"
            )
        else:
            self.warnings.append("the dateline gives no time: the creation time is the local date")
        return datetime(dateline.year, dateline.month, dateline.day, tzinfo=UTC)

    def _recipients(self) -> tuple[Recipient, ...]:
        to = [*self.addressees]
        info: list[Post] = []
        for listed in self.note.sent_also:
            to += repeated_posts(listed, self.year)
        for listed in self.note.repeated:
            info += repeated_posts(listed, self.year)
        recipients = [Recipient("TO", post.address) for post in to]
        recipients += [Recipient("INFO", post.address) for post in info]
        return tuple(dict.fromkeys(recipients))

    def _lift_redactions(self, paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
        """The paragraphs without the editor's redaction markers, each kept in the apparatus with its
        paragraph and its place there (``at``: the character offset in the paragraph's text)."""
        lifted: list[Paragraph] = []
        redactions: list[dict[str, Any]] = []
        for paragraph in paragraphs:
            text, markers = lift_redactions(paragraph.text)
            if not markers:
                lifted.append(paragraph)
                continue
            # A paragraph withheld whole ("[1 paragraph (5 lines) not declassified]") goes: its markers
            # stand before the paragraph that takes its place.
            whole = not text and paragraph.number is None and paragraph.marking is None
            found = {"paragraph": len(lifted) + 1, "count": len(markers), "markers": markers}
            redactions.append(found | {"whole_paragraph": True} if whole else found)
            if not whole:
                lifted.append(dataclasses.replace(paragraph, text=text))
        if redactions:
            self.apparatus["redactions"] = redactions
        return tuple(lifted)

    def _apparatus(self, opening: Opening) -> dict[str, Any]:
        note = self.note
        found: dict[str, Any] = {
            "document": self.sections.document_number,
            "document_id": self._document_id(),
            "title": self.sections.title,
            "telegram_number": opening.number,
            "series": opening.series,
            "dateline": self.sections.dateline,
            "local_time": _local_time(self.dateline),
            "source_note": self.sections.source,
            "central_files": list(note.central_files),
            "electronic_ids": list(note.electronic_ids),
            "handling": list(note.handling),
            "received": note.received,
            **{f"{role}_by": names for role, names in note.staff.items()},
            "footnotes": [{"n": n, "text": text} for n, text in self.sections.footnotes],
        }
        merged = {**self.apparatus, **{key: value for key, value in found.items() if value not in (None, [], "")}}
        return merged


def _when_dateline(apparatus: dict[str, Any]) -> str | None:
    """A dateline from the TEI ``date/@when`` the reader kept, when the printed one gives no date."""
    when = apparatus.get("when")
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", when or "")
    if not match:
        return None
    return f"{_MONTHS[int(match[2]) - 1]} {int(match[3])}, {match[1]}"


def _local_time(dateline: Dateline | None) -> str | None:
    if dateline is None or dateline.hour is None:
        return None
    zone = "Z" if dateline.zulu else ""
    return f"{dateline.date_iso}T{dateline.hour:02d}:{dateline.minute or 0:02d}{zone}"


def _heading_posts(title: str, year: int | None) -> tuple[Post | None, list[Post]]:
    """Sender and addressees named in a telegram's title."""
    match = re.search(r"\bFrom\s+(?P<sender>.+?)\s+to\s*(?P<to>.+)$", title, re.IGNORECASE)
    if not match:
        sender = re.search(r"\bFrom\s+(?P<sender>.+)$", title, re.IGNORECASE)
        return (sender_post(sender["sender"], year) if sender else None), []
    return sender_post(match["sender"], year), addressee_posts(match["to"], year)


def _sender_station(sender: Post | None, dateline: Dateline | None) -> Post | None:
    """The sending post; the dateline's place names it when the heading names a country."""
    if sender is None:
        return None
    if dateline is not None and dateline.place and sender.needs_place:
        return sender.at(dateline.place)
    return sender
