"""Staging tables and the rows a document becomes in them.

Each writer connection has its own TEMP staging tables (``stage_*``), filled by binary COPY
and emptied at commit. A parse worker turns a ``Document`` and its ``Cable`` (or the reason it
was rejected) into encoded staging rows, so the loading process only forwards bytes.

The staging tables are derived from the models (``archive.db.models``): each staged column
names the model column it fills and takes from it its type (hence its COPY encoding), its
storage, and the rules a cable is checked against before it is staged (the vocabulary of a
CHECK or a seeded lookup, a varchar length, an integer range, a non-empty CHECK, and the size
of a btree index entry). All of it is worked out once, at import.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import is_not, itemgetter
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from archive.budget import InputTimeout, failure_message, time_budget
from archive.cable import Cable, Document, InputError, Rejection, edition_form
from archive.db import input_bytes, models
from archive.db.models import search_vector_sql
from archive.load.binary_copy import RowEncoder
from archive.load.summary import Problem

KEY_MAX = 1000  # characters of an indexed text; a btree entry must stay under ~2.7 KB
INTEGER_RANGES = {"smallint": (-(2**15), 2**15 - 1), "integer": (-(2**31), 2**31 - 1)}
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]

Row = tuple[Any, ...]
_is_not_none = partial(is_not, None)


def sql_type(column: Column[Any]) -> str:
    """The column's PostgreSQL type as the binary COPY encoders name it: ``text``, ``smallint``, ``text[]``."""
    return str(column.type.compile(dialect=_DIALECT)).lower()


# -- the staging tables, from the models ---------------------------------------------------

_STAGING = MetaData()


def _staged(target: Column[Any], name: str | None = None, *, via: Column[Any] | None = None) -> Column[Any]:
    """A staging column filled with values for ``target``; ``via``: the foreign key a looked-up name becomes.

    Varchar lengths are checked before COPY, so staging holds text (a long value is a rejected input, never a
    failed COPY).
    """
    type_ = Text() if isinstance(target.type, String) else target.type
    nullable = (via if via is not None else target).nullable
    return Column(name or target.name, type_, info={"target": target, "nullable": nullable})


def _staged_array(target: Column[Any], name: str) -> Column[Any]:
    """A text[] staging column whose elements are values for ``target`` (the names of a lookup)."""
    return Column(name, postgresql.ARRAY(Text), info={"target": target, "nullable": True, "array": True})


def _table(name: str, noun: str, *columns: Column[Any]) -> Table:
    """A TEMP staging table; ``noun`` names its rows in messages (``recipient role``)."""
    return Table(
        name, _STAGING, *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DELETE ROWS", info={"noun": noun}
    )


def _seq() -> Column[Any]:
    """The input's place in its batch: the key that joins a cable's rows across the staging tables."""
    return Column("seq", Integer)


def _same(columns: Any, names: str) -> list[Column[Any]]:
    """Staging columns named as the model columns (of ``columns``, a table's ``.c``) they fill."""
    return [_staged(columns[name]) for name in names.split()]


_sources, _cables = models.Source.__table__.c, models.Cable.__table__.c
_level, _addressees = models.ClassificationLevel.__table__.c.name, models.Addressee.__table__.c

STAGE_CABLES = _table(
    "stage_cables",
    "",
    _seq(),
    *_same(_sources, "sha256 name location format size raw raw_encoding"),
    *_same(models.CableVersion.__table__.c, "text_sha256 form header body"),
    *_same(_cables, "reference_id canonical_id created"),
    _staged(_level, "level", via=_cables.classification_level_id),
    _staged_array(models.Caveat.__table__.c.name, "caveats"),
    _staged(models.Origin.__table__.c.name, "origin", via=_cables.origin_id),
    *_same(
        _cables,
        "station subject transmission_id precedence executive_order declassify_on declassify_text classified_by "
        "classified_by_title reasons signers is_partial warnings publisher_metadata released "
        "classification tag_codes recipient_count paragraph_count reference_count",
    ),
    # Filled on the server: the source row's id by the merge; the vector while COPYing, so that both
    # writer connections compute vectors at once (the merge copies it into cables.search_vector).
    Column("source_id", _cables.source_id.type, info={"server": True}),
    Column(
        "search_vector",
        _cables.search_vector.type,
        Computed(search_vector_sql(), persisted=True),
        info={"fills": _cables.search_vector},
    ),
)
STAGE_RECIPIENTS = _table(
    "stage_recipients",
    "recipient",
    _seq(),
    *_same(models.Recipient.__table__.c, "position role"),
    _staged(_addressees.name, via=models.Recipient.__table__.c.addressee_id),
    _staged(_addressees.routing),
    *_same(models.Recipient.__table__.c, "precedence channel"),
)
STAGE_TAGS = _table(
    "stage_tags",
    "tag",
    _seq(),
    *_same(models.CableTag.__table__.c, "position"),
    *_same(models.Tag.__table__.c, "code kind"),
)
STAGE_REFERENCES = _table(
    "stage_references",
    "reference",
    _seq(),
    *_same(models.CableReference.__table__.c, "position letter kind cited_text cited_canonical_id"),
)
STAGE_PARAGRAPHS = _table(
    "stage_paragraphs",
    "paragraph",
    _seq(),
    *_same(models.Paragraph.__table__.c, "position number number_printed marking"),
    _staged(_level, "level", via=models.Paragraph.__table__.c.classification_level_id),
    *_same(models.Paragraph.__table__.c, "caveats section text"),
)
STAGE_ERRORS = _table(
    "stage_errors", "error", *_same(models.LoadError.__table__.c, "name location format message sha256 raw")
)


# -- what the loader needs of each: DDL, COPY encoder, checks --------------------------------


@dataclass(frozen=True)
class Rule:
    """One condition the schema puts on a staged column's values; ``problems`` says how values break it."""

    index: int  # of the column among the COPYed ones
    label: str  # "recipient role"
    allowed: frozenset[Any] | None = None  # a vocabulary (None is in it when the column is nullable)
    max_length: int | None = None
    bounds: tuple[int, int] | None = None
    not_empty: bool = False
    array: bool = False

    def problems(self, values: Sequence[Any]) -> list[str]:
        """How ``values`` (the column's values in a cable's rows) break this rule; C-speed checks first."""
        if self.array:
            values = [value for array in values if array for value in array]
        found: list[str] = []
        if self.not_empty and not all(values):
            found.append(f"no {self.label}")
        if self.allowed is not None and not self.allowed.issuperset(values):
            found += [f"unknown {self.label} {value!r}" for value in values if value not in self.allowed]
        if self.max_length is not None and max(map(len, filter(None, values)), default=0) > self.max_length:
            found.append(f"{self.label} longer than {self.max_length} characters")
        if self.bounds is not None and (numbers := list(filter(_is_not_none, values))):
            low, high = min(numbers), max(numbers)
            if low < self.bounds[0] or high > self.bounds[1]:
                found.append(f"{self.label} out of range ({low} to {high})")
        return found


class StagingTable:
    """A staging table as the loader uses it: its DDL, its COPYed columns, their encoder and rules."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.name = table.name
        self.copied = [column for column in table.columns if not column.info.get("server") and column.computed is None]
        self.column_names = ", ".join(column.name for column in self.copied)
        self.encoder = RowEncoder([sql_type(column) for column in self.copied])
        noun = table.info["noun"]
        self.rules = tuple(
            rule
            for index, column in enumerate(self.copied)
            if "target" in column.info
            and (rule := _rule(index, f"{noun} {column.name.replace('_', ' ')}".strip(), column))
        )
        # A row's values for each rule, in the order of the rules (C-speed: no per-row Python code).
        self.checked_values = _picker([rule.index for rule in self.rules])
        # Large values are stored uncompressed in staging, as in the target tables (migration 0003 says why),
        # but for those compressed here, on both writer connections at once, and kept compressed (0014).
        self.external = tuple(
            column.name
            for column in table.columns
            if (target := column.info.get("target", column.info.get("fills"))) is not None
            and models.is_external(target)
            and not models.is_compressed_in_staging(target)
        )

    def ddl(self) -> str:
        return str(CreateTable(self.table).compile(dialect=_DIALECT)).strip()


def _picker(indexes: Sequence[int]) -> Callable[[Row], Row]:
    if not indexes:
        return lambda row: ()
    if len(indexes) == 1:
        (index,) = indexes
        return lambda row: (row[index],)
    return itemgetter(*indexes)


def _rule(index: int, label: str, column: Column[Any]) -> Rule | None:
    target: Column[Any] = column.info["target"]
    vocabulary = vocabulary_of(target)
    allowed = None if vocabulary is None else frozenset(vocabulary) | ({None} if column.info["nullable"] else set())
    rule = Rule(
        index,
        label,
        allowed=allowed,
        max_length=_max_length(target) if vocabulary is None else None,
        bounds=INTEGER_RANGES.get(sql_type(target)),
        not_empty=any(check.info.get("not_empty") for check in _checks(target)),
        array=bool(column.info.get("array")),
    )
    return rule if rule != Rule(index, label, array=rule.array) else None


def _checks(target: Column[Any]) -> list[CheckConstraint]:
    return [
        constraint
        for constraint in target.table.constraints
        if isinstance(constraint, CheckConstraint) and constraint.info.get("column") == target.name
    ]


def vocabulary_of(target: Column[Any]) -> tuple[str, ...] | None:
    """The values the schema allows in ``target``: its CHECK ... IN, or the seeded rows of a lookup."""
    for check in _checks(target):
        if "one_of" in check.info:
            return check.info["one_of"]
    return target.info.get("one_of")


def _max_length(target: Column[Any]) -> int | None:
    """A varchar's length, else the btree entry limit for an indexed text, else None."""
    if not isinstance(target.type, String):
        return None
    if target.type.length is not None:
        return target.type.length
    return KEY_MAX if _in_btree_index(target) else None


def _in_btree_index(target: Column[Any]) -> bool:
    table = target.table
    indexed = [
        index.columns
        for index in table.indexes
        if index.dialect_options["postgresql"]["using"] in (False, None, "btree")
    ]
    indexed += [
        constraint.columns
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
    ]
    return any(target.name in columns and columns[target.name] is target for columns in indexed)


CABLES, RECIPIENTS, TAGS, REFERENCES, PARAGRAPHS, ERRORS = (
    StagingTable(table)
    for table in (STAGE_CABLES, STAGE_RECIPIENTS, STAGE_TAGS, STAGE_REFERENCES, STAGE_PARAGRAPHS, STAGE_ERRORS)
)
TABLES: tuple[StagingTable, ...] = (CABLES, RECIPIENTS, TAGS, REFERENCES, PARAGRAPHS, ERRORS)
EXTERNAL_COLUMNS = tuple((table.name, column) for table in TABLES for column in table.external)
_CABLE_TABLES = (CABLES, RECIPIENTS, TAGS, REFERENCES, PARAGRAPHS)


@dataclass(slots=True)
class EncodedDocument:
    """One input as staging rows: a cable with its child rows, or a load-errors row.

    ``rows`` holds, for each staging table the input has rows in, those rows encoded back to back:
    binary COPY rows concatenate, and one bytes object crosses from a parse worker to the loading
    process for much less than a list of them.
    """

    size: int
    rows: dict[str, bytes] = field(default_factory=dict)
    problem: Problem | None = None


def sha256_of(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


def text_sha256(document: Document) -> bytes:
    """The sha256 of a document's text, as ``cable_versions.text_sha256`` stores it."""
    return sha256_of(document.text.encode("utf-8", "surrogatepass"))


def banner_caveats(cable: Cable) -> list[str]:
    """The banner's caveats as stored, once each and sorted: ``clearance_caveats`` is compared and grouped on."""
    return sorted(set(cable.caveats))


def encode(
    seq: int,
    item: Document | Rejection,
    sha256: bytes,
    parser: Callable[[Document], Cable],
    input_timeout: float = 0,
) -> EncodedDocument:
    """Parse ``item`` (when it is a Document) and encode the result as staging rows.

    A Rejection, a parse ``InputError``, any other exception of the parser, a parse longer than
    ``input_timeout`` CPU seconds (0: no limit) or a cable the database would refuse becomes a
    load-errors row; it never raises, so one bad input cannot stop a batch.
    """
    if isinstance(item, Rejection):
        return _error(seq, item.name, item.location, item.format, item.raw, sha256, item.message, None)
    try:
        with time_budget(input_timeout):
            cable = parser(item)
        rows = _cable_rows(seq, item, sha256, cable)
        _check(rows)
        encoded = {
            table.name: b"".join(map(table.encoder.encode, rows[table.name]))
            for table in _CABLE_TABLES
            if rows[table.name]
        }
    except InputError as error:
        return _error(seq, item.name, item.location, item.format, item.raw, sha256, error.message, error.line)
    except (Exception, InputTimeout) as error:
        message = failure_message("parser", error)
        return _error(seq, item.name, item.location, item.format, item.raw, sha256, message, None)
    return EncodedDocument(len(item.raw), encoded)


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
    row = ERRORS.encoder.encode((name, location, format_, stored_message, sha256, raw))
    return EncodedDocument(len(raw), {ERRORS.name: row}, problem)


def _check(rows: dict[str, list[Row]]) -> None:
    """Refuse values the schema would reject, as an InputError naming the fields."""
    problems: list[str] = []
    for table in _CABLE_TABLES:
        if table_rows := rows[table.name]:
            for rule, values in zip(table.rules, zip(*map(table.checked_values, table_rows), strict=True), strict=True):
                problems += rule.problems(values)
    if problems:
        raise InputError("the parsed cable cannot be stored: " + "; ".join(dict.fromkeys(problems)))


def metadata_json(document: Document, cable: Cable) -> dict[str, Any] | None:
    """The publisher metadata stored for a cable (``cables.publisher_metadata``), as JSON values."""
    metadata = cable.metadata or document.metadata
    if metadata is None:
        return None
    data = {field.name: getattr(metadata, field.name) for field in dataclasses.fields(metadata)}  # flat: no deep copy
    for key in ("created", "released"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def _cable_rows(seq: int, document: Document, sha256: bytes, cable: Cable) -> dict[str, list[Row]]:
    """The cable's rows for each staging table, in the order of the tables' COPYed columns."""
    if cable.reference_id is None:
        # The archive keys cables by id (the parser gives a provisional one when the year is unknown).
        raise InputError(
            "no reference id: the text has no date-time group to give the year and the input carries no published id"
        )
    metadata = cable.metadata or document.metadata
    cable_row = (
        seq,
        sha256,
        document.name,
        document.location,
        document.format,
        len(document.raw),
        input_bytes.pack(document.raw),
        input_bytes.ZSTD,
        text_sha256(document),
        edition_form(document.format),
        cable.header,
        cable.body,
        cable.reference_id,
        cable.canonical_id or cable.reference_id,
        cable.created,
        cable.level,
        banner_caveats(cable),
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
        list(cable.warnings),
        metadata_json(document, cable),
        metadata.released if metadata else None,
        cable.classification,
        [tag.code for tag in cable.tags],
        len(cable.recipients),
        len(cable.paragraphs),
        len(cable.references),
    )
    return {
        CABLES.name: [cable_row],
        RECIPIENTS.name: [
            (seq, i, r.role, r.name, r.routing or None, r.precedence, r.channel)
            for i, r in enumerate(cable.recipients, start=1)
        ],
        TAGS.name: [(seq, i, t.code, t.kind) for i, t in enumerate(cable.tags, start=1)],
        REFERENCES.name: [
            (seq, i, r.letter, r.kind, r.text, r.canonical_id) for i, r in enumerate(cable.references, start=1)
        ],
        PARAGRAPHS.name: [
            (seq, i, p.number, p.number_printed, p.marking, p.level, list(p.caveats), p.section, p.text)
            for i, p in enumerate(cable.paragraphs, start=1)
        ],
    }
