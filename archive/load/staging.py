"""Staging tables and the rows a document becomes in them.

Each writer connection has its own TEMP staging tables (``stage_*``), filled by binary COPY
and emptied at commit. A parse worker turns a ``Document`` and its ``Cable`` (or the reason it
was rejected) into encoded staging rows, so the loading process only forwards bytes. The
column lists here are the single description of the staging tables: DDL and encoders both
come from them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.cable import (
    LEVELS,
    RECIPIENT_ROLES,
    REFERENCE_KINDS,
    TAG_KINDS,
    Cable,
    Document,
    InputError,
    Rejection,
)
from archive.load.binary_copy import RowEncoder
from archive.load.summary import Problem

SMALLINT_MAX = 32_767
ROUTING_MAX = 16  # addressees.routing is varchar(16)
SECTIONS = ("SUMMARY", "COMMENT")
KEY_MAX = 1000  # indexed text; a btree entry must stay under ~2.7 KB
INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class StagingTable:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, type) as COPYed, in order
    extra: str = ""  # columns the loader fills on the server, not COPYed

    @property
    def column_names(self) -> str:
        return ", ".join(name for name, _ in self.columns)

    def ddl(self) -> str:
        columns = [f"{name} {type_}" for name, type_ in self.columns]
        if self.extra:
            columns.append(self.extra)
        return f"CREATE TEMP TABLE {self.name} ({', '.join(columns)}) ON COMMIT DELETE ROWS"

    def encoder(self) -> RowEncoder:
        return RowEncoder([type_ for _, type_ in self.columns])


CABLES = StagingTable(
    "stage_cables",
    (
        ("seq", "int4"),
        ("sha256", "bytea"),
        ("name", "text"),
        ("location", "text"),
        ("format", "text"),
        ("raw", "bytea"),
        ("text_sha256", "bytea"),
        ("reference_id", "text"),
        ("canonical_id", "text"),
        ("created", "timestamptz"),
        ("level", "text"),
        ("caveats", "text[]"),
        ("origin", "text"),
        ("station", "text"),
        ("subject", "text"),
        ("transmission_id", "text"),
        ("precedence", "text"),
        ("executive_order", "text"),
        ("declassify_on", "date"),
        ("declassify_text", "text"),
        ("classified_by", "text"),
        ("classified_by_title", "text"),
        ("reasons", "text[]"),
        ("signers", "text[]"),
        ("is_partial", "bool"),
        ("header", "text"),
        ("body", "text"),
        ("warnings", "text[]"),
        ("publisher_metadata", "jsonb"),
        ("released", "timestamptz"),
    ),
    # Computed here, while COPYing, so that both writer connections compute vectors at once;
    # the merge copies it into cables.search_vector (see migration 0003).
    "source_id int8, search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, body), 'B')) STORED",
)
RECIPIENTS = StagingTable(
    "stage_recipients",
    (
        ("seq", "int4"),
        ("position", "int2"),
        ("role", "text"),
        ("name", "text"),
        ("routing", "text"),
        ("precedence", "text"),
        ("channel", "text"),
    ),
)
TAGS = StagingTable("stage_tags", (("seq", "int4"), ("position", "int2"), ("code", "text"), ("kind", "text")))
REFERENCES = StagingTable(
    "stage_references",
    (
        ("seq", "int4"),
        ("position", "int2"),
        ("letter", "text"),
        ("kind", "text"),
        ("cited_text", "text"),
        ("cited_canonical_id", "text"),
    ),
)
PARAGRAPHS = StagingTable(
    "stage_paragraphs",
    (
        ("seq", "int4"),
        ("position", "int2"),
        ("number", "int4"),
        ("number_printed", "text"),
        ("marking", "text"),
        ("level", "text"),
        ("caveats", "text[]"),
        ("section", "text"),
        ("text", "text"),
    ),
)
ERRORS = StagingTable(
    "stage_errors",
    (
        ("name", "text"),
        ("location", "text"),
        ("format", "text"),
        ("message", "text"),
        ("sha256", "bytea"),
        ("raw", "bytea"),
    ),
)
TABLES: tuple[StagingTable, ...] = (CABLES, RECIPIENTS, TAGS, REFERENCES, PARAGRAPHS, ERRORS)
# Large values are kept uncompressed in staging, as in the target tables (migration 0003).
EXTERNAL_COLUMNS = (("stage_cables", "raw"), ("stage_cables", "body"), ("stage_errors", "raw"))

_ENCODERS = {table.name: table.encoder() for table in TABLES}


@dataclass(slots=True)
class EncodedDocument:
    """One input as staging rows: a cable with its child rows, or a load-errors row."""

    size: int
    rows: dict[str, list[bytes]] = field(default_factory=dict)
    problem: Problem | None = None


def sha256_of(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


def encode(seq: int, item: Document | Rejection, sha256: bytes, parser: Callable[[Document], Cable]) -> EncodedDocument:
    """Parse ``item`` (when it is a Document) and encode the result as staging rows.

    A Rejection, a parse ``InputError`` or a cable the database would refuse becomes a
    load-errors row; it never raises, so one bad input cannot stop a batch.
    """
    if isinstance(item, Rejection):
        return _error(seq, item.name, item.location, item.format, item.raw, sha256, item.message, None)
    try:
        cable = parser(item)
        _check(cable)
    except InputError as error:
        return _error(seq, item.name, item.location, item.format, item.raw, sha256, error.message, error.line)
    return EncodedDocument(len(item.raw), _cable_rows(seq, item, sha256, cable))


def _error(
    seq: int,
    name: str,
    location: str | None,
    format_: str | None,
    raw: bytes,
    sha256: bytes,
    message: str,
    line: int | None,
) -> EncodedDocument:
    problem = Problem(name, location, message, line)
    stored_message = f"line {line}: {message}" if line else message
    row = _ENCODERS[ERRORS.name].encode((name, location, format_, stored_message, sha256, raw))
    return EncodedDocument(len(raw), {ERRORS.name: [row]}, problem)


def _check(cable: Cable) -> None:
    """Refuse values the schema's constraints would reject, as an InputError naming the field."""
    problems: list[str] = []
    keys = [("reference id", cable.reference_id), ("canonical id", cable.canonical_id), ("origin", cable.origin)]
    keys += [("addressee", r.name) for r in cable.recipients] + [("tag", t.code) for t in cable.tags]
    keys += [("cited id", r.canonical_id) for r in cable.references]
    problems += [f"{what} longer than {KEY_MAX} characters" for what, key in keys if len(key or "") > KEY_MAX]
    numbers = [p.number for p in cable.paragraphs if p.number is not None]
    problems += [f"paragraph number {n} out of range" for n in numbers if not 0 <= n <= INT_MAX]
    if cable.level not in LEVELS:
        problems.append(f"unknown classification level {cable.level!r}")
    for name, items in (("recipients", cable.recipients), ("tags", cable.tags), ("references", cable.references)):
        if len(items) > SMALLINT_MAX:
            problems.append(f"too many {name} ({len(items)})")
    if len(cable.paragraphs) > SMALLINT_MAX:
        problems.append(f"too many paragraphs ({len(cable.paragraphs)})")
    problems += [f"unknown recipient role {r.role!r}" for r in cable.recipients if r.role not in RECIPIENT_ROLES]
    problems += [
        f"routing indicator too long: {r.routing!r}" for r in cable.recipients if len(r.routing or "") > ROUTING_MAX
    ]
    problems += [f"unknown tag kind {t.kind!r}" for t in cable.tags if t.kind not in TAG_KINDS]
    problems += [f"unknown reference kind {r.kind!r}" for r in cable.references if r.kind not in REFERENCE_KINDS]
    for paragraph in cable.paragraphs:
        if paragraph.level is not None and paragraph.level not in LEVELS:
            problems.append(f"unknown paragraph level {paragraph.level!r}")
        if paragraph.section is not None and paragraph.section not in SECTIONS:
            problems.append(f"unknown paragraph section {paragraph.section!r}")
    if problems:
        raise InputError("the parsed cable cannot be stored: " + "; ".join(dict.fromkeys(problems)))


def _metadata_json(document: Document, cable: Cable) -> dict[str, Any] | None:
    metadata = cable.metadata or document.metadata
    if metadata is None:
        return None
    data = {field.name: getattr(metadata, field.name) for field in dataclasses.fields(metadata)}  # flat: no deep copy
    for key in ("created", "released"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def _cable_rows(seq: int, document: Document, sha256: bytes, cable: Cable) -> dict[str, list[bytes]]:
    metadata = cable.metadata or document.metadata
    released = metadata.released if metadata else None
    cable_row = (
        seq,
        sha256,
        document.name,
        document.location,
        document.format,
        document.raw,
        sha256_of(document.text.encode("utf-8", "surrogatepass")),
        cable.reference_id,
        cable.canonical_id or cable.reference_id,
        cable.created,
        cable.level,
        _unique(cable.caveats),
        cable.origin,
        cable.station,
        cable.subject,
        cable.transmission_id,
        cable.precedence,
        cable.executive_order,
        cable.declassify_on,
        cable.declassify_text,
        cable.classified_by,
        cable.classified_by_title,
        list(cable.reasons),
        list(cable.signers),
        cable.partial,
        cable.header,
        cable.body,
        list(cable.warnings),
        _metadata_json(document, cable),
        released,
    )
    recipients = _ENCODERS[RECIPIENTS.name]
    tags = _ENCODERS[TAGS.name]
    references = _ENCODERS[REFERENCES.name]
    paragraphs = _ENCODERS[PARAGRAPHS.name]
    return {
        CABLES.name: [_ENCODERS[CABLES.name].encode(cable_row)],
        RECIPIENTS.name: [
            recipients.encode((seq, i, r.role, r.name, r.routing or None, r.precedence, r.channel))
            for i, r in enumerate(cable.recipients, start=1)
        ],
        TAGS.name: [tags.encode((seq, i, t.code, t.kind)) for i, t in enumerate(cable.tags, start=1)],
        REFERENCES.name: [
            references.encode((seq, i, r.letter, r.kind, r.text, r.canonical_id))
            for i, r in enumerate(cable.references, start=1)
        ],
        PARAGRAPHS.name: [
            paragraphs.encode(
                (seq, i, p.number, p.number_printed, p.marking, p.level, list(p.caveats), p.section, p.text)
            )
            for i, p in enumerate(cable.paragraphs, start=1)
        ],
    }


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))
