"""The normalized schema as typed SQLAlchemy models. Alembic migrations create it; these match them.

These models are the one description of the schema: the loader derives its staging tables,
COPY types and validation from ``Base.metadata`` (``archive/load/staging.py``), and the
full-text vector is spelled once, by :func:`search_vector_sql`. Vocabularies (CHECK ... IN)
carry their values in the constraint's ``info`` so that Python code reads them from here.

A cable is one row per published reference id with its current version's parsed fields;
every distinct text ever loaded for it is a row of ``cable_versions``; every input is a row
of ``sources`` with its exact bytes, so every field can be derived again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Computed,
    DateTime,
    FetchedValue,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship

from archive.cable import EDITION_FORMS, LEVELS, PARAGRAPH_SECTIONS, RECIPIENT_ROLES, REFERENCE_KINDS, TAG_KINDS
from archive.db import input_bytes

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

bigint_pk = Annotated[int, mapped_column(BigInteger, primary_key=True, autoincrement=True)]
small_pk = Annotated[int, mapped_column(SmallInteger, primary_key=True, autoincrement=True)]
text_array = Annotated[list[str], mapped_column(ARRAY(Text), nullable=False, server_default=text("'{}'"))]
cable_fk = Annotated[int, mapped_column(BigInteger, ForeignKey("cables.id", ondelete="CASCADE"), primary_key=True)]
position = Annotated[int, mapped_column(SmallInteger, primary_key=True)]
timestamp_now = Annotated[datetime, mapped_column(nullable=False, server_default=func.now())]


def one_of(column: str, values: Sequence[str]) -> CheckConstraint:
    """``CHECK (column IN (values))``, named ``<column>_known``, with the values in ``info["one_of"]``."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(
        f"{column} IN ({listed})", name=f"{column}_known", info={"column": column, "one_of": tuple(values)}
    )


def not_empty(column: str) -> CheckConstraint:
    """``CHECK (column <> '')``, named ``<column>_not_empty``."""
    return CheckConstraint(f"{column} <> ''", name=f"{column}_not_empty", info={"column": column, "not_empty": True})


# Large values stored out of line but not compressed (migration 0003 says why); the loader's staging does the same.
EXTERNAL_STORAGE = {"storage": "external"}
# A rejected input's bytes, and a version's body: compressed (pglz) in the loader's staging tables, where the COPY
# of both writer connections runs at once, and carried compressed into the table — whose EXTERNAL storage keeps
# the merge (one at a time) from compressing again, or trying again on what staging found incompressible
# (migration 0014; docs/schema.md has the body's cost and gain).
COMPRESSED_IN_STAGING = {**EXTERNAL_STORAGE, "staging": "compressed"}


def is_external(column: Column[Any]) -> bool:
    return column.info.get("storage") == "external"


def is_compressed_in_staging(column: Column[Any]) -> bool:
    return column.info.get("staging") == "compressed"


# The text search configuration of every vector and query; as a SQL literal it is TEXT_SEARCH_REGCONFIG.
TEXT_SEARCH_CONFIG = "english"
TEXT_SEARCH_REGCONFIG = f"'{TEXT_SEARCH_CONFIG}'::regconfig"


def subject_vector_args(row: str = "") -> str:
    """to_tsvector's arguments for a cable's subject; ``row`` qualifies the column (``"NEW."`` in a trigger)."""
    return f"{TEXT_SEARCH_REGCONFIG}, coalesce({row}subject, '')"


def search_vector_sql(row: str = "", body: str | None = None) -> str:
    """The SQL of ``cables.search_vector``: the subject (of ``row``) weighted A, the body B.

    ``body`` is the body's SQL, ``row`` + ``body`` unless given. The loader computes the vector in its
    staging table, the triggers of migration 0020 for every other writer from the current version's body
    (migration 0003 spells it as it was then; tests keep them equal).
    """
    return (
        f"setweight(to_tsvector({subject_vector_args(row)}), 'A') || "
        f"setweight(to_tsvector({TEXT_SEARCH_REGCONFIG}, {body or row + 'body'}), 'B')"
    )


# Set on (SET LOCAL) by a writer that stores the vectors itself (the loader's merge): the trigger of
# migration 0020 on cable_versions then leaves cables.search_vector as it is.
SEARCH_VECTORS_GIVEN = "archive.search_vectors_given"


def current_body_sql(cable_id: str) -> str:
    """The SQL of the body of the current version of the cable whose id is ``cable_id``: its only copy."""
    return f"(SELECT v.body FROM cable_versions v WHERE v.cable_id = {cable_id} AND v.is_current)"


# The subject's own vector, as its index spells it (a query must use the same).
SUBJECT_VECTOR_ARGS = subject_vector_args()

# Whether a lexeme occurs twice in the subject's vector (a comma separates its positions): ranked search
# bounds the score of the other cables more tightly (migration 0017 gives the proof).
SUBJECT_REPEATS = f"strpos(to_tsvector({SUBJECT_VECTOR_ARGS})::text, ',') > 0"

# The id_status of a cable, computed from its reference id (migration 0006).
ID_STATUS = "CASE WHEN reference_id LIKE 'PROVISIONAL-%' THEN 'provisional' ELSE 'full' END"


def edition_authority_sql(form: str = "form") -> str:
    """The SQL of an edition's authority from its ``form`` column: 1 for the most authoritative form."""
    ranks = " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(EDITION_FORMS, start=1))
    return f"CASE {form} {ranks} END"


# ``cable_editions.authority``, computed from the form (migration 0010 spells it as it was then).
EDITION_AUTHORITY = edition_authority_sql()


def created_part(field: str) -> str:
    """The SQL of a part of a cable's date in UTC, as a stored column computes it: ``created_part("year")``."""
    return f"extract({field} FROM created AT TIME ZONE 'UTC')::smallint"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), dict[str, Any]: JSONB}


class ClassificationLevel(Base):
    """Lookup of levels; a higher rank is more sensitive (TOP SECRET 6 … UNCLASSIFIED 1)."""

    __tablename__ = "classification_levels"
    __table_args__ = (CheckConstraint("rank > 0", name="rank_positive"),)

    id: Mapped[small_pk]
    # Its rows are seeded by migration 0001 (ranked as LEVELS orders them): a cable's level is one of them.
    name: Mapped[str] = mapped_column(Text, unique=True, info={"one_of": LEVELS})
    rank: Mapped[int] = mapped_column(SmallInteger, unique=True)


class Caveat(Base):
    """Handling caveats: NOFORN, SIPDIS, EXDIS, NODIS, …"""

    __tablename__ = "caveats"

    id: Mapped[small_pk]
    name: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str | None] = mapped_column(Text)


# How a station's name was found (archive.load.stations): a post rule, the Washington agencies' table, none.
STATION_RULES: tuple[str, ...] = ("post", "agency", "printed")


class Station(Base):
    """A post or agency that sends or receives cables, in library naming: 'Embassy Belgrade', 'Secretary of State'.

    Origins and addressees both point at one (``archive.load.stations`` names it); ``rule`` says
    how the name was found: 'post' (a post type or a post the library names irregularly),
    'agency' (a Washington agency of the documented table) or 'printed' (no rule: the cleaned
    printed form).
    """

    __tablename__ = "stations"
    __table_args__ = (one_of("rule", STATION_RULES),)

    id: Mapped[bigint_pk]
    name: Mapped[str] = mapped_column(Text, unique=True)
    rule: Mapped[str] = mapped_column(Text)


class Origin(Base):
    """Originating station in library naming: 'Embassy Berlin', 'Secretary of State'."""

    __tablename__ = "origins"
    __table_args__ = (
        Index("ix_origins_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )

    id: Mapped[bigint_pk]
    name: Mapped[str] = mapped_column(Text, unique=True)
    # Set at the end of each load (archive.load.stations).
    station_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("stations.id"), index=True)

    cables: Mapped[list[Cable]] = relationship(back_populates="origin")


class Addressee(Base):
    """A TO/INFO/XMT addressee as printed, with its routing indicator when there is one."""

    __tablename__ = "addressees"
    __table_args__ = (
        UniqueConstraint("name", "routing", postgresql_nulls_not_distinct=True),
        Index("ix_addressees_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )

    id: Mapped[bigint_pk]
    name: Mapped[str] = mapped_column(Text)
    routing: Mapped[str | None] = mapped_column(String(16))
    # Set at the end of each load (archive.load.stations).
    station_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("stations.id"), index=True)


class Source(Base):
    """One input document with its exact bytes: a file, or one record of a bulk file."""

    __tablename__ = "sources"
    __table_args__ = (
        # The size is of the input's bytes; a zstd row stores fewer (archive.db.input_bytes).
        CheckConstraint("raw_encoding IS NOT NULL OR size = octet_length(raw)", name="size_matches_raw"),
        CheckConstraint("octet_length(sha256) = 32", name="sha256_length"),
        one_of("raw_encoding", (input_bytes.ZSTD,)),
    )

    id: Mapped[bigint_pk]
    sha256: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    name: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    # As stored (``raw_encoding`` says how; ``exact_bytes`` decodes it). Deferred: read on
    # access (the reader role may not read it).
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, info=EXTERNAL_STORAGE)
    raw_encoding: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[timestamp_now]
    loader_version: Mapped[str] = mapped_column(Text)

    @property
    def exact_bytes(self) -> bytes:
        """The input's exact bytes, decoded from ``raw``."""
        return input_bytes.unpack(self.raw, self.raw_encoding)


# What ix_cables_labels holds beside its keys: every label column of reporting.cables but the texts.
LABEL_COLUMNS = (
    "id",
    "reference_id",
    "source_id",
    "origin_id",
    "classification_level_id",
    "classification",
    "clearance_rank",
    "clearance_caveats",
    "tag_codes",
    "recipient_count",
    "paragraph_count",
    "reference_count",
    "version_count",
    "created",
)

# What ix_cables_tag_lists holds beside its key: the TAGS list itself (an index-only scan cannot read an
# indexed expression back, only columns) and what row-level security and the view's joins read.
TAG_LIST_COLUMNS = (
    "tag_codes",
    "source_id",
    "origin_id",
    "classification_level_id",
    "clearance_rank",
    "clearance_caveats",
)
# reporting.cables.tags, exactly as the view computes it, so that the index serves the view's column.
TAGS_OR_NULL = "nullif(tag_codes, '{}'::text[])"


class Cable(Base):
    """One cable: its current version's fields as parsed from the telegram text."""

    __tablename__ = "cables"
    __table_args__ = (
        not_empty("reference_id"),
        Index("ix_cables_created", "created"),
        Index("ix_cables_search_vector", "search_vector", postgresql_using="gin"),
        # For ranked search at scale (archive/query/search.py): the lexeme count bounds a cable's
        # ts_rank from above (more tightly unless the subject repeats a word: those cables have an index of
        # their own), and the subject's own vector tells which cables' subjects hold a word.
        Index("ix_cables_search_lexemes", "search_lexemes"),
        Index("ix_cables_repeating_subject_lexemes", "search_lexemes", postgresql_where=text("subject_repeats")),
        Index("ix_cables_subject_vector", text(f"to_tsvector({SUBJECT_VECTOR_ARGS})"), postgresql_using="gin"),
        Index("ix_cables_subject_trgm", "subject", postgresql_using="gin", postgresql_ops={"subject": "gin_trgm_ops"}),
        Index("ix_cables_provisional", "canonical_id", postgresql_where=text("id_status = 'provisional'")),
        # The labels a BI tool groups reporting.cables by, and what row-level security and the view's
        # joins read (migration 0015): a group-by reads this narrow index (an index-only scan, about a
        # seventh of the table's pages) instead of every wide row of the table.
        Index("ix_cables_labels", "year", "month", postgresql_include=list(LABEL_COLUMNS)),
        # A group-by on reporting.cables.tags (nearly a group per cable) reads this index in the order of
        # the lists and counts each run of equal lists, instead of hashing every list (migration 0016).
        Index("ix_cables_tag_lists", text(TAGS_OR_NULL), postgresql_include=list(TAG_LIST_COLUMNS)),
    )

    id: Mapped[bigint_pk]
    reference_id: Mapped[str] = mapped_column(Text, unique=True)
    canonical_id: Mapped[str] = mapped_column(Text, index=True)
    # 'provisional' for an id made up while the year is unknown (archive.parse.provisional), else 'full'.
    id_status: Mapped[str] = mapped_column(Text, Computed(ID_STATUS, persisted=True))
    created: Mapped[datetime | None]
    classification_level_id: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("classification_levels.id"), index=True
    )
    origin_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("origins.id"), index=True)
    station: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    transmission_id: Mapped[str | None] = mapped_column(Text)
    precedence: Mapped[str | None] = mapped_column(Text)
    executive_order: Mapped[str | None] = mapped_column(Text)
    declassify_on: Mapped[date | None] = mapped_column(index=True)
    declassify_text: Mapped[str | None] = mapped_column(Text)
    classified_by: Mapped[str | None] = mapped_column(Text)
    classified_by_title: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[text_array]
    signers: Mapped[text_array]
    is_partial: Mapped[bool] = mapped_column(server_default=text("false"))
    # The telegram's text (header and body) is stored once, in its current version (migration 0020):
    # Cable.header and Cable.body read it from there (below), under cable_versions' row-level security.
    warnings: Mapped[text_array]
    publisher_metadata: Mapped[dict[str, Any] | None]
    released: Mapped[datetime | None]
    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("sources.id"), index=True)
    # Labels BI tools group and filter on, stored at load time so that no query computes them per
    # row (migration 0009): the staged cable gives them, the merge stores them with the cable.
    # (The level's rank and the banner's caveats are clearance_rank and clearance_caveats, below.)
    classification: Mapped[str] = mapped_column(Text)  # archive.cable.classification_label
    tag_codes: Mapped[list[str]] = mapped_column(  # of cable_tags, in printed order
        ARRAY(Text), nullable=False, server_default=text("'{}'")
    )
    recipient_count: Mapped[int] = mapped_column(server_default=text("0"))
    paragraph_count: Mapped[int] = mapped_column(server_default=text("0"))
    reference_count: Mapped[int] = mapped_column(server_default=text("0"))
    # Of cable_versions: counted at the end of each load (archive.load.merge.count_versions).
    version_count: Mapped[int] = mapped_column(SmallInteger, server_default=text("1"))
    year: Mapped[int | None] = mapped_column(SmallInteger, Computed(created_part("year"), persisted=True))
    month: Mapped[int | None] = mapped_column(SmallInteger, Computed(created_part("month"), persisted=True))
    # search_vector_sql(): computed in bulk by the loader, else by the trigger cables_search_vector (see 0003).
    # EXTERNAL (0014): a vector does not compress (pglz gives up after compressing it whole, a second time
    # in the merge), so it is stored as it is.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, server_default=FetchedValue(), deferred=True, info=EXTERNAL_STORAGE
    )
    # What ranked search's bound reads of a cable (its SQL only, hence deferred), stored by every writer
    # (migration 0017): SUBJECT_REPEATS, and the vector's lexemes, which a round compares without reading
    # the vector itself.
    subject_repeats: Mapped[bool] = mapped_column(Computed(SUBJECT_REPEATS, persisted=True), deferred=True)
    # Deferred like search_vector: counted from every paragraph, so a reader cleared to less may not read it.
    search_lexemes: Mapped[int] = mapped_column(Computed("length(search_vector)", persisted=True), deferred=True)
    # The clearance needed to read the cable's fields: its banner (migration 0008, archive.db.clearance).
    clearance_rank: Mapped[int | None] = mapped_column(SmallInteger)
    clearance_caveats: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    # Each paragraph's marking as a label (SECRET//NOFORN; NULL when unmarked), by position: what
    # `show` prints in place of a paragraph withheld from a reader.
    paragraph_classifications: Mapped[list[str | None] | None] = mapped_column(ARRAY(Text))

    level: Mapped[ClassificationLevel] = relationship(lazy="joined")
    origin: Mapped[Origin | None] = relationship(back_populates="cables", lazy="joined")
    source: Mapped[Source] = relationship()
    caveats: Mapped[list[Caveat]] = relationship(secondary="cable_caveats", order_by="Caveat.name")
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="cable", order_by="Recipient.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[CableTag]] = relationship(
        back_populates="cable", order_by="CableTag.position", cascade="all, delete-orphan"
    )
    references: Mapped[list[CableReference]] = relationship(
        back_populates="cable",
        order_by="CableReference.position",
        cascade="all, delete-orphan",
        foreign_keys="CableReference.cable_id",
    )
    cited_by: Mapped[list[CableReference]] = relationship(
        back_populates="cited_cable", foreign_keys="CableReference.cited_cable_id", viewonly=True
    )
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="cable", order_by="Paragraph.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[CableVersion]] = relationship(
        back_populates="cable", order_by="CableVersion.version", cascade="all, delete-orphan"
    )
    editions: Mapped[list[CableEdition]] = relationship(
        back_populates="cable", order_by="CableEdition.authority", cascade="all, delete-orphan"
    )


class CableCaveat(Base):
    __tablename__ = "cable_caveats"

    cable_id: Mapped[cable_fk]
    caveat_id: Mapped[int] = mapped_column(SmallInteger, ForeignKey("caveats.id"), primary_key=True, index=True)


class CableEdition(Base):
    """One publication of a cable's telegram, one per form (``EDITION_FORMS``), with the fields it gives.

    The fields are those of the edition's leading version (the one of its versions the current-version
    rule puts first, ``source_id`` its source); the cable's own fields are its most authoritative
    edition's. Editions migration 0010 made from versions that were not current got theirs from their
    inputs parsed again (migration 0011); NULL only where such an input no longer parses.
    """

    __tablename__ = "cable_editions"
    __table_args__ = (
        one_of("form", EDITION_FORMS),
        # The cables published in more than one form (the report multi-form-cables): a second edition is
        # never a second telegram, so these few rows name every one of them (migration 0015).
        Index("ix_cable_editions_other_forms", "cable_id", postgresql_where=text("form <> 'telegram'")),
    )

    cable_id: Mapped[cable_fk]
    form: Mapped[str] = mapped_column(Text, primary_key=True)
    # 1 for the most authoritative form: EDITION_FORMS' order.
    authority: Mapped[int] = mapped_column(SmallInteger, Computed(EDITION_AUTHORITY, persisted=True))
    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("sources.id"), index=True)
    created: Mapped[datetime | None]
    classification_level_id: Mapped[int | None] = mapped_column(SmallInteger, ForeignKey("classification_levels.id"))
    caveats: Mapped[text_array]
    origin_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("origins.id"))
    station: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    precedence: Mapped[str | None] = mapped_column(Text)
    signers: Mapped[text_array]
    paragraph_count: Mapped[int | None] = mapped_column(SmallInteger)
    publisher_metadata: Mapped[dict[str, Any] | None]

    cable: Mapped[Cable] = relationship(back_populates="editions")
    source: Mapped[Source] = relationship()
    level: Mapped[ClassificationLevel | None] = relationship(lazy="joined")
    origin: Mapped[Origin | None] = relationship(lazy="joined")


class CableVersion(Base):
    """Every distinct text loaded for an edition of a cable (its releases); exactly one of the cable's is current."""

    __tablename__ = "cable_versions"
    __table_args__ = (
        UniqueConstraint("cable_id", "form", "text_sha256"),
        CheckConstraint("version > 0", name="version_positive"),
        Index("ix_cable_versions_current", "cable_id", unique=True, postgresql_where=text("is_current")),
        ForeignKeyConstraint(
            ["cable_id", "form"], ["cable_editions.cable_id", "cable_editions.form"], ondelete="CASCADE"
        ),
    )

    cable_id: Mapped[cable_fk]
    version: Mapped[position]
    form: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[bytes] = mapped_column(LargeBinary)
    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("sources.id"), index=True)
    released: Mapped[datetime | None]
    header: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, info=COMPRESSED_IN_STAGING)
    is_current: Mapped[bool]
    # The clearance needed to read this text: its banner and every paragraph's marking.
    clearance_rank: Mapped[int | None] = mapped_column(SmallInteger)
    clearance_caveats: Mapped[list[str] | None] = mapped_column(ARRAY(Text))

    cable: Mapped[Cable] = relationship(back_populates="versions")
    source: Mapped[Source] = relationship()


# A cable's telegram text is its current version's, stored there only (migration 0020). Deferred:
# a reader cleared to less than everything reads it only where it may read every paragraph (the
# versions' row-level security), and gets NULL elsewhere, so no query asks for it unbidden.
_CURRENT_VERSION = (CableVersion.cable_id == Cable.id, CableVersion.is_current)
Cable.header = column_property(select(CableVersion.header).where(*_CURRENT_VERSION).scalar_subquery(), deferred=True)
Cable.body = column_property(select(CableVersion.body).where(*_CURRENT_VERSION).scalar_subquery(), deferred=True)


class CableVersionSource(Base):
    """Every source that carried a version's text: the same text from two mirrors is one version, two sources."""

    __tablename__ = "cable_version_sources"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cable_id", "version"], ["cable_versions.cable_id", "cable_versions.version"], ondelete="CASCADE"
        ),
        Index("ix_cable_version_sources_cable_id_version", "cable_id", "version"),
    )

    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("sources.id"), primary_key=True)
    cable_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(SmallInteger)


class Recipient(Base):
    """An addressee of a cable, in the order printed."""

    __tablename__ = "recipients"
    __table_args__ = (one_of("role", RECIPIENT_ROLES),)

    cable_id: Mapped[cable_fk]
    position: Mapped[position]
    role: Mapped[str] = mapped_column(String(4))
    addressee_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("addressees.id"), index=True)
    precedence: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(Text)

    cable: Mapped[Cable] = relationship(back_populates="recipients")
    addressee: Mapped[Addressee] = relationship(lazy="joined")


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (one_of("kind", TAG_KINDS),)

    id: Mapped[bigint_pk]
    code: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)


class CableTag(Base):
    __tablename__ = "cable_tags"

    cable_id: Mapped[cable_fk]
    position: Mapped[position]
    tag_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tags.id"), index=True)

    cable: Mapped[Cable] = relationship(back_populates="tags")
    tag: Mapped[Tag] = relationship(lazy="joined")


class CableReference(Base):
    """A REF item; ``cited_cable_id`` is set when the cited cable is in the archive."""

    __tablename__ = "cable_references"
    __table_args__ = (one_of("kind", REFERENCE_KINDS),)

    cable_id: Mapped[cable_fk]
    position: Mapped[position]
    letter: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    cited_text: Mapped[str] = mapped_column(Text)
    cited_canonical_id: Mapped[str | None] = mapped_column(Text, index=True)
    cited_cable_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("cables.id", ondelete="SET NULL"), index=True
    )

    cable: Mapped[Cable] = relationship(back_populates="references", foreign_keys="CableReference.cable_id")
    cited_cable: Mapped[Cable | None] = relationship(
        back_populates="cited_by", foreign_keys="CableReference.cited_cable_id"
    )


class Paragraph(Base):
    __tablename__ = "paragraphs"
    __table_args__ = (one_of("section", PARAGRAPH_SECTIONS),)

    cable_id: Mapped[cable_fk]
    position: Mapped[position]
    number: Mapped[int | None]
    number_printed: Mapped[str | None] = mapped_column(Text)
    marking: Mapped[str | None] = mapped_column(Text)
    classification_level_id: Mapped[int | None] = mapped_column(SmallInteger, ForeignKey("classification_levels.id"))
    caveats: Mapped[text_array]
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # The clearance needed to read it: its marking (an unmarked one, the banner's) and the cable's banner.
    clearance_rank: Mapped[int | None] = mapped_column(SmallInteger)
    clearance_caveats: Mapped[list[str] | None] = mapped_column(ARRAY(Text))

    cable: Mapped[Cable] = relationship(back_populates="paragraphs")
    level: Mapped[ClassificationLevel | None] = relationship(lazy="joined")


class Clearance(Base):
    """What a reader role is cleared to read (archive.db.clearance): rows at or below ``level_rank``
    whose caveats are all in ``caveats`` (NULL: any caveat). Row-level security hides the rest."""

    __tablename__ = "clearances"

    role_name: Mapped[str] = mapped_column(Text, primary_key=True)
    level_rank: Mapped[int] = mapped_column(SmallInteger)
    caveats: Mapped[list[str] | None] = mapped_column(ARRAY(Text))


# -- summaries: what the reporting aggregates sum (archive.db.reporting.refresh rebuilds them) ----------
# Each row counts the cables of one group that need one clearance (clearance_rank, clearance_caveats:
# the cables'), under the row-level security of cables (migration 0009): a reader summing the rows
# it may read counts exactly the cables it may read, and no aggregate reads the large tables.


def _summary(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        Base.metadata,
        *columns,
        Column("clearance_rank", SmallInteger, nullable=False),
        Column("clearance_caveats", ARRAY(Text), nullable=False),
        Column("cables", Integer, nullable=False),
    )


CABLE_TOTALS = _summary(
    "cable_totals",
    Column("year", SmallInteger),
    Column("month", SmallInteger),
    Column("origin_id", BigInteger),
    Column("classification", Text, nullable=False),
    Column("first_created", DateTime(timezone=True)),
    Column("last_created", DateTime(timezone=True)),
)
TAG_TOTALS = _summary("tag_totals", Column("tag_id", BigInteger, nullable=False), Column("year", SmallInteger))
CORRESPONDENCE_TOTALS = _summary(
    "correspondence_totals",
    Column("from_station_id", BigInteger),
    Column("to_station_id", BigInteger),
    Column("role", String(4), nullable=False),
)
# Of the built-in reports (migration 0015): who-writes-to-whom counts, per origin and addressee as
# printed, the cables addressed to it (in any role, TO, INFO); caveat-usage, per caveat, its cables.
ADDRESSEE_TOTALS = _summary(
    "addressee_totals",
    Column("origin_id", BigInteger),
    Column("addressee", Text, nullable=False),
    Column("to_cables", Integer, nullable=False),
    Column("info_cables", Integer, nullable=False),
)
# reporting.citations and most-cited: per cited canonical id (and the cable it resolves to) the cables citing it.
CITATION_TOTALS = _summary(
    "citation_totals",
    Column("cited_canonical_id", Text, nullable=False),
    Column("cited_cable_id", BigInteger),
)
CAVEAT_TOTALS = _summary(
    "caveat_totals",
    Column("caveat_id", SmallInteger, nullable=False),
    Column("first_created", DateTime(timezone=True)),
    Column("last_created", DateTime(timezone=True)),
)
# The marking audits' facts of each cable whose highest paragraph marking is not its banner's level,
# under the clearance of its whole text (every paragraph's): only a reader who may read every
# paragraph learns what they are marked (archive.db.reporting.refresh rebuilds it).
MARKING_AUDIT = Table(
    "marking_audit",
    Base.metadata,
    Column("cable_id", BigInteger, primary_key=True),
    Column("banner_rank", SmallInteger, nullable=False),
    Column("top_rank", SmallInteger, nullable=False),  # of the highest marked paragraph
    Column("marked_paragraphs", Integer, nullable=False),
    Column("paragraphs", Integer, nullable=False),
    Column("paragraphs_above_banner", Text),  # '3 (S), 5 (S/NF)'; NULL when none is above
    Column("clearance_rank", SmallInteger, nullable=False),
    Column("clearance_caveats", ARRAY(Text), nullable=False),
)


class LoadError(Base):
    """An input that could not be loaded, kept with its bytes for inspection."""

    __tablename__ = "load_errors"
    __table_args__ = (UniqueConstraint("sha256", "name", "location", postgresql_nulls_not_distinct=True),)

    id: Mapped[bigint_pk]
    name: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    sha256: Mapped[bytes] = mapped_column(LargeBinary)
    raw: Mapped[bytes] = mapped_column(LargeBinary, info=COMPRESSED_IN_STAGING)
    failed_at: Mapped[timestamp_now]
    loader_version: Mapped[str] = mapped_column(Text)


class LoadState(Base):
    """A marker of finished cross-batch load work; a batch storing new sources deletes every marker."""

    __tablename__ = "load_state"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    done_at: Mapped[timestamp_now]
