"""Initial schema: cables and their normalized rows, sources with exact bytes, load errors.

Lookup tables for classification levels (ranked) and handling caveats are seeded here.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 15:41:22.555246
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LEVELS = [
    ("TOP SECRET", 6),
    ("SECRET", 5),
    ("CONFIDENTIAL", 4),
    ("LIMITED OFFICIAL USE", 3),
    ("SENSITIVE BUT UNCLASSIFIED", 2),
    ("UNCLASSIFIED", 1),
]
CAVEATS = [
    ("NOFORN", "Not releasable to foreign nationals"),
    ("SIPDIS", "Cleared for distribution on SIPRNet"),
    ("NODIS", "No distribution beyond the addressees"),
    ("EXDIS", "Exclusive distribution to officers with an essential need to know"),
    ("LIMDIS", "Limited distribution"),
    ("STADIS", "State Department distribution only"),
    ("NOTAL", "Not sent to all addressees of the referenced message"),
    ("FOUO", "For official use only"),
    ("ORCON", "Dissemination controlled by the originator"),
    ("REL", "Releasable to the named countries"),
]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "addressees",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("routing", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addressees")),
        sa.UniqueConstraint(
            "name", "routing", name=op.f("uq_addressees_name_routing"), postgresql_nulls_not_distinct=True
        ),
    )
    op.create_index(
        "ix_addressees_name_trgm",
        "addressees",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_table(
        "caveats",
        sa.Column("id", sa.SmallInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caveats")),
        sa.UniqueConstraint("name", name=op.f("uq_caveats_name")),
    )
    op.create_table(
        "classification_levels",
        sa.Column("id", sa.SmallInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("rank > 0", name=op.f("ck_classification_levels_rank_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_levels")),
        sa.UniqueConstraint("name", name=op.f("uq_classification_levels_name")),
        sa.UniqueConstraint("rank", name=op.f("uq_classification_levels_rank")),
    )
    op.create_table(
        "load_errors",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("format", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sha256", sa.LargeBinary(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("loader_version", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_load_errors")),
        sa.UniqueConstraint(
            "sha256",
            "name",
            "location",
            name=op.f("uq_load_errors_sha256_name_location"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "origins",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origins")),
        sa.UniqueConstraint("name", name=op.f("uq_origins_name")),
    )
    op.create_index(
        "ix_origins_name_trgm",
        "origins",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.LargeBinary(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("loader_version", sa.Text(), nullable=False),
        sa.CheckConstraint("octet_length(sha256) = 32", name=op.f("ck_sources_sha256_length")),
        sa.CheckConstraint("size = octet_length(raw)", name=op.f("ck_sources_size_matches_raw")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("sha256", name=op.f("uq_sources_sha256")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('country', 'subject', 'program', 'organisation', 'person', 'other')",
            name=op.f("ck_tags_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("code", name=op.f("uq_tags_code")),
    )
    op.create_table(
        "cables",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("reference_id", sa.Text(), nullable=False),
        sa.Column("canonical_id", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("classification_level_id", sa.SmallInteger(), nullable=False),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("station", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("transmission_id", sa.Text(), nullable=True),
        sa.Column("precedence", sa.Text(), nullable=True),
        sa.Column("executive_order", sa.Text(), nullable=True),
        sa.Column("declassify_on", sa.Date(), nullable=True),
        sa.Column("declassify_text", sa.Text(), nullable=True),
        sa.Column("classified_by", sa.Text(), nullable=True),
        sa.Column("classified_by_title", sa.Text(), nullable=True),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("signers", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("is_partial", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("warnings", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("publisher_metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("released", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || setweight(to_tsvector('english'::regconfig, body), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("reference_id <> ''", name=op.f("ck_cables_reference_id_not_empty")),
        sa.ForeignKeyConstraint(
            ["classification_level_id"],
            ["classification_levels.id"],
            name=op.f("fk_cables_classification_level_id_classification_levels"),
        ),
        sa.ForeignKeyConstraint(["origin_id"], ["origins.id"], name=op.f("fk_cables_origin_id_origins")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_cables_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cables")),
        sa.UniqueConstraint("reference_id", name=op.f("uq_cables_reference_id")),
    )
    op.create_index(op.f("ix_cables_canonical_id"), "cables", ["canonical_id"], unique=False)
    op.create_index(op.f("ix_cables_classification_level_id"), "cables", ["classification_level_id"], unique=False)
    op.create_index("ix_cables_created", "cables", ["created"], unique=False)
    op.create_index(op.f("ix_cables_declassify_on"), "cables", ["declassify_on"], unique=False)
    op.create_index(op.f("ix_cables_origin_id"), "cables", ["origin_id"], unique=False)
    op.create_index("ix_cables_search_vector", "cables", ["search_vector"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_cables_source_id"), "cables", ["source_id"], unique=False)
    op.create_index(
        "ix_cables_subject_trgm",
        "cables",
        ["subject"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"subject": "gin_trgm_ops"},
    )
    op.create_table(
        "cable_caveats",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("caveat_id", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_cable_caveats_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["caveat_id"], ["caveats.id"], name=op.f("fk_cable_caveats_caveat_id_caveats")),
        sa.PrimaryKeyConstraint("cable_id", "caveat_id", name=op.f("pk_cable_caveats")),
    )
    op.create_index(op.f("ix_cable_caveats_caveat_id"), "cable_caveats", ["caveat_id"], unique=False)
    op.create_table(
        "cable_references",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("letter", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("cited_text", sa.Text(), nullable=False),
        sa.Column("cited_canonical_id", sa.Text(), nullable=True),
        sa.Column("cited_cable_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('cable', 'email', 'telcon', 'memo', 'other')",
            name=op.f("ck_cable_references_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_cable_references_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["cited_cable_id"],
            ["cables.id"],
            name=op.f("fk_cable_references_cited_cable_id_cables"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("cable_id", "position", name=op.f("pk_cable_references")),
    )
    op.create_index(op.f("ix_cable_references_cited_cable_id"), "cable_references", ["cited_cable_id"], unique=False)
    op.create_index(
        op.f("ix_cable_references_cited_canonical_id"),
        "cable_references",
        ["cited_canonical_id"],
        unique=False,
    )
    op.create_table(
        "cable_tags",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("tag_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_cable_tags_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_cable_tags_tag_id_tags")),
        sa.PrimaryKeyConstraint("cable_id", "position", name=op.f("pk_cable_tags")),
    )
    op.create_index(op.f("ix_cable_tags_tag_id"), "cable_tags", ["tag_id"], unique=False)
    op.create_table(
        "cable_versions",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("text_sha256", sa.LargeBinary(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("released", sa.DateTime(timezone=True), nullable=True),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.CheckConstraint("version > 0", name=op.f("ck_cable_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_cable_versions_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_cable_versions_source_id_sources")),
        sa.PrimaryKeyConstraint("cable_id", "version", name=op.f("pk_cable_versions")),
        sa.UniqueConstraint("cable_id", "text_sha256", name=op.f("uq_cable_versions_cable_id_text_sha256")),
    )
    op.create_index(
        "ix_cable_versions_current",
        "cable_versions",
        ["cable_id"],
        unique=True,
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(op.f("ix_cable_versions_source_id"), "cable_versions", ["source_id"], unique=False)
    op.create_table(
        "paragraphs",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("number_printed", sa.Text(), nullable=True),
        sa.Column("marking", sa.Text(), nullable=True),
        sa.Column("classification_level_id", sa.SmallInteger(), nullable=True),
        sa.Column("caveats", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("section IN ('SUMMARY', 'COMMENT')", name=op.f("ck_paragraphs_section_known")),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_paragraphs_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["classification_level_id"],
            ["classification_levels.id"],
            name=op.f("fk_paragraphs_classification_level_id_classification_levels"),
        ),
        sa.PrimaryKeyConstraint("cable_id", "position", name=op.f("pk_paragraphs")),
    )
    op.create_table(
        "recipients",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("role", sa.String(length=4), nullable=False),
        sa.Column("addressee_id", sa.BigInteger(), nullable=False),
        sa.Column("precedence", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.CheckConstraint("role IN ('TO', 'INFO', 'XMT')", name=op.f("ck_recipients_role_known")),
        sa.ForeignKeyConstraint(
            ["addressee_id"], ["addressees.id"], name=op.f("fk_recipients_addressee_id_addressees")
        ),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_recipients_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cable_id", "position", name=op.f("pk_recipients")),
    )
    op.create_index(op.f("ix_recipients_addressee_id"), "recipients", ["addressee_id"], unique=False)
    levels = sa.table("classification_levels", sa.column("name", sa.Text), sa.column("rank", sa.SmallInteger))
    op.bulk_insert(levels, [{"name": name, "rank": rank} for name, rank in LEVELS])
    caveats = sa.table("caveats", sa.column("name", sa.Text), sa.column("description", sa.Text))
    op.bulk_insert(caveats, [{"name": name, "description": description} for name, description in CAVEATS])


def downgrade() -> None:
    op.drop_index(op.f("ix_recipients_addressee_id"), table_name="recipients")
    op.drop_table("recipients")
    op.drop_table("paragraphs")
    op.drop_index(op.f("ix_cable_versions_source_id"), table_name="cable_versions")
    op.drop_index("ix_cable_versions_current", table_name="cable_versions", postgresql_where=sa.text("is_current"))
    op.drop_table("cable_versions")
    op.drop_index(op.f("ix_cable_tags_tag_id"), table_name="cable_tags")
    op.drop_table("cable_tags")
    op.drop_index(op.f("ix_cable_references_cited_canonical_id"), table_name="cable_references")
    op.drop_index(op.f("ix_cable_references_cited_cable_id"), table_name="cable_references")
    op.drop_table("cable_references")
    op.drop_index(op.f("ix_cable_caveats_caveat_id"), table_name="cable_caveats")
    op.drop_table("cable_caveats")
    op.drop_index(
        "ix_cables_subject_trgm",
        table_name="cables",
        postgresql_using="gin",
        postgresql_ops={"subject": "gin_trgm_ops"},
    )
    op.drop_index(op.f("ix_cables_source_id"), table_name="cables")
    op.drop_index("ix_cables_search_vector", table_name="cables", postgresql_using="gin")
    op.drop_index(op.f("ix_cables_origin_id"), table_name="cables")
    op.drop_index(op.f("ix_cables_declassify_on"), table_name="cables")
    op.drop_index("ix_cables_created", table_name="cables")
    op.drop_index(op.f("ix_cables_classification_level_id"), table_name="cables")
    op.drop_index(op.f("ix_cables_canonical_id"), table_name="cables")
    op.drop_table("cables")
    op.drop_table("tags")
    op.drop_table("sources")
    op.drop_index(
        "ix_origins_name_trgm",
        table_name="origins",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_table("origins")
    op.drop_table("load_errors")
    op.drop_table("classification_levels")
    op.drop_table("caveats")
    op.drop_index(
        "ix_addressees_name_trgm",
        table_name="addressees",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_table("addressees")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
