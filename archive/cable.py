"""The typed values of the pipeline: what a source yields and what the parser makes of it.

Nothing here knows about text formats or the database. ``Document`` is one input as read
by a source (its exact bytes, the telegram text and any publisher metadata); ``Cable`` is
what the parser derives from a document's telegram text alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Most to least sensitive; the rank is stored in the classification_levels lookup table.
LEVELS: tuple[str, ...] = (
    "TOP SECRET",
    "SECRET",
    "CONFIDENTIAL",
    "LIMITED OFFICIAL USE",
    "SENSITIVE BUT UNCLASSIFIED",
    "UNCLASSIFIED",
)
LEVEL_RANK: dict[str, int] = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}

# Handling caveats known to the archive; the parser may meet others and keeps them too.
CAVEATS: tuple[str, ...] = (
    "NOFORN",
    "SIPDIS",
    "NODIS",
    "EXDIS",
    "LIMDIS",
    "STADIS",
    "NOTAL",
    "FOUO",
    "ORCON",
    "REL",
)

# The values the schema allows (archive.db.models makes its CHECK constraints of them).
RECIPIENT_ROLES: tuple[str, ...] = ("TO", "INFO", "XMT")
TAG_KINDS: tuple[str, ...] = ("country", "subject", "program", "organisation", "person", "other")
REFERENCE_KINDS: tuple[str, ...] = ("cable", "email", "telcon", "memo", "other")
PARAGRAPH_SECTIONS: tuple[str, ...] = ("SUMMARY", "COMMENT")
# The forms a telegram is published in, most authoritative first (docs/editions.md): the telegram's
# own text (Cablegate pages, the CSV dump, exports, telegram text), an editor's apparatus (FRUS: the
# TEI master before the text edition made from it), a scan's OCR. One cable has one edition per form.
EDITION_FORMS: tuple[str, ...] = ("telegram", "frus-tei", "frus-text", "scan")
# Input formats that are a form of their own; every other format carries the telegram's own text.
_OWN_FORM_FORMATS = frozenset(EDITION_FORMS[1:])


def edition_form(input_format: str) -> str:
    """The edition form of an input of ``input_format`` (one of archive.sources.FORMATS)."""
    return input_format if input_format in _OWN_FORM_FORMATS else EDITION_FORMS[0]


@dataclass(frozen=True, slots=True)
class PublisherMetadata:
    """What a publisher said about a cable, beside the telegram text (HTML table, CSV columns)."""

    reference_id: str | None = None
    created: datetime | None = None
    released: datetime | None = None
    classification: str | None = None
    origin: str | None = None
    subject: str | None = None
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    # An edition's apparatus (FRUS: volume, document, source note, editor's footnotes): annotations, not text.
    apparatus: dict[str, Any] | None = None


def input_label(name: str, location: str | None) -> str:
    """An input as error messages name it: the file, plus the record in it (``cables.csv:record 12``)."""
    return f"{name}:{location}" if location else name


@dataclass(frozen=True, slots=True)
class Document:
    """One input document as a source read it.

    ``raw`` is the exact bytes of the document (a whole file, or one record of a bulk
    file); ``text`` is the telegram text recovered from it (markup removed, entities
    decoded, line ends normalised) from which every parsed field is derived.
    """

    name: str  # the file path, or "-" for standard input
    location: str | None  # where in the file: "record 17 (line 2031)"; None for a whole file
    format: str  # one of archive.sources.FORMATS: html, csv, json, sql, text, …
    raw: bytes
    text: str
    metadata: PublisherMetadata | None = None
    warnings: tuple[str, ...] = ()  # what the source noticed while reading: a repaired record, a shifted column

    @property
    def label(self) -> str:
        return input_label(self.name, self.location)


@dataclass(frozen=True, slots=True)
class Recipient:
    role: str  # TO, INFO or XMT
    name: str  # as printed: "AMEMBASSY BELGRADE"
    routing: str | None = None  # routing indicator: "RUEHBW"
    precedence: str | None = None  # IMMEDIATE, PRIORITY, ROUTINE, FLASH, NIACT IMMEDIATE
    channel: str | None = None  # message channel number as printed: "0000"


@dataclass(frozen=True, slots=True)
class Tag:
    code: str  # "PREL", "KV", "CLINTON, HILLARY"
    kind: str  # one of TAG_KINDS


@dataclass(frozen=True, slots=True)
class Reference:
    letter: str | None  # "A", "B", ... ; None for a single unlettered reference
    kind: str  # one of REFERENCE_KINDS
    text: str  # the cited text as printed: "STATE 12345"
    canonical_id: str | None = None  # for cables: "09STATE12345"


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int | None  # as recovered ("11." read in sequence as 1)
    number_printed: str | None  # as printed: "11.", "¶5."
    marking: str | None  # portion marking as printed, without brackets: "S//NF", "C - ENTIRE TEXT"
    level: str | None  # normalised level of the marking, one of LEVELS
    caveats: tuple[str, ...]  # normalised caveats of the marking: ("NOFORN",)
    text: str  # paragraph text without number and marking
    section: str | None = None  # one of PARAGRAPH_SECTIONS when the paragraph sits in one


@dataclass(frozen=True, slots=True)
class Cable:
    """A cable as parsed from the telegram text alone."""

    # As published (metadata) or as derived: "09STATE53069"; when neither the text nor the
    # publisher gives the year, a provisional id "PROVISIONAL-NEWDELHI-19406" (archive.parse.provisional).
    reference_id: str | None
    canonical_id: str | None  # the canonical form derived from the telegram
    created: datetime | None  # UTC, from the date-time group
    level: str  # one of LEVELS
    caveats: tuple[str, ...] = ()
    origin: str | None = None  # library naming: "Embassy Berlin"
    station: str | None = None  # the FM line as printed: "AMEMBASSY BERLIN"
    subject: str | None = None
    transmission_id: str | None = None  # "VZCZCXYZ0009"
    precedence: str | None = None  # of the date-time group: IMMEDIATE, PRIORITY, ...
    executive_order: str | None = None  # "12958"; "N/A" when printed so
    declassify_on: date | None = None
    declassify_text: str | None = None  # the DECL text as printed: "05/22/2019", "OADR"
    classified_by: str | None = None  # name: "Bruce Turner"
    classified_by_title: str | None = None  # "EUR/RPM Office Director"
    reasons: tuple[str, ...] = ()  # ("1.4(b)", "1.4(d)")
    signers: tuple[str, ...] = ()
    partial: bool = False  # "This record is a partial extract of the original cable"
    header: str = ""  # the routing header as recovered
    body: str = ""  # the body text as recovered
    recipients: tuple[Recipient, ...] = ()
    tags: tuple[Tag, ...] = ()
    references: tuple[Reference, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    warnings: tuple[str, ...] = ()
    metadata: PublisherMetadata | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # parser findings with no column yet

    @property
    def classification(self) -> str:
        """The Cablegate convention: CONFIDENTIAL, SECRET//NOFORN, UNCLASSIFIED//FOR OFFICIAL USE ONLY."""
        return classification_label(self.level, self.caveats)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the keys `archive parse` prints."""
        data = dataclasses.asdict(self)
        data["classification"] = self.classification
        data["created"] = self.created.isoformat().replace("+00:00", "Z") if self.created else None
        data["declassify_on"] = self.declassify_on.isoformat() if self.declassify_on else None
        if self.metadata is not None:
            for key in ("created", "released"):
                value = getattr(self.metadata, key)
                data["metadata"][key] = value.isoformat() if value else None
        return data


def classification_label(level: str, caveats: tuple[str, ...] | list[str]) -> str:
    """Level and caveats in the Cablegate convention.

    Sensitive-but-unclassified (and FOUO) is published as UNCLASSIFIED//FOR OFFICIAL USE ONLY, and
    NOFORN is the only caveat the convention shows.
    """
    if level == "SENSITIVE BUT UNCLASSIFIED" or (level == "UNCLASSIFIED" and "FOUO" in caveats):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    if "NOFORN" in caveats:
        return f"{level}//NOFORN"
    return level


class InputError(ValueError):
    """An input that is not a readable cable; ``line`` is 1-based within the document."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input kept aside: its exact bytes and why it was not loaded."""

    name: str
    location: str | None
    format: str | None
    raw: bytes
    message: str

    @property
    def label(self) -> str:
        return input_label(self.name, self.location)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input, or a document inside one, that is rightly not a cable (a FRUS memorandum):
    counted, never an error."""

    name: str
    location: str | None
    format: str
    raw: bytes
    reason: str  # "not a telegram: Memorandum of Conversation"

    @property
    def label(self) -> str:
        return input_label(self.name, self.location)
