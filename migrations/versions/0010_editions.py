"""Editions: one telegram published in several forms is one cable with one edition per form.

A cable's versions were the texts loaded for it. Now each version belongs to an edition of the
cable — its form: the telegram's own text (Cablegate pages, the CSV dump, exports), a FRUS TEI
document, a FRUS text-edition document, a scan — and the versions of one edition are its releases
(Cablegate re-releases). ``cable_editions`` keeps, per edition, the fields that edition gives; the
cable's own fields are its most authoritative edition's (``authority`` is computed from the form).

Upgrade: every version gets the form of the input that brought it (its source's format), every
(cable, form) an edition whose source is its leading version's (the current one, else the latest);
the edition holding the current version takes the cable's fields, the others keep NULL (their
inputs are in ``sources`` and can be parsed again). A text is now unique per edition, not per cable.
Downgrade: versions of one text in several editions become one (the current, else the first),
their sources joining it; the forms and editions go.

Like every table granted to readers (migration 0008), ``cable_editions`` has row-level security
enabled and forced: a role not cleared to everything sees an edition when it may see the edition's
leading version (its whole text, ``cable_versions.clearance_rank``), so a FRUS edition stamped
SECRET stays hidden from a reader cleared to CONFIDENTIAL even when the cable's own text is not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As archive.cable.EDITION_FORMS and archive.db.models.EDITION_AUTHORITY were at this revision.
FORMS = ("telegram", "frus-tei", "frus-text", "scan")
AUTHORITY = "CASE form " + " ".join(f"WHEN '{form}' THEN {rank}" for rank, form in enumerate(FORMS, start=1)) + " END"
FORM_OF_FORMAT = "CASE WHEN s.format IN ('frus-tei', 'frus-text', 'scan') THEN s.format ELSE 'telegram' END"

EDITIONS_OF_VERSIONS = """
INSERT INTO cable_editions (cable_id, form, source_id, created, classification_level_id, caveats, origin_id,
                            station, subject, precedence, signers, paragraph_count, publisher_metadata)
SELECT DISTINCT ON (v.cable_id, v.form) v.cable_id, v.form, v.source_id,
       c.created, c.classification_level_id,
       ARRAY(SELECT cv.name FROM cable_caveats cc JOIN caveats cv ON cv.id = cc.caveat_id
             WHERE cc.cable_id = c.id ORDER BY cv.name),
       c.origin_id, c.station, c.subject, c.precedence, coalesce(c.signers, '{}'),
       CASE WHEN c.id IS NOT NULL THEN (SELECT count(*) FROM paragraphs p WHERE p.cable_id = c.id) END,
       c.publisher_metadata
FROM cable_versions v
LEFT JOIN cables c ON c.id = v.cable_id AND v.is_current
ORDER BY v.cable_id, v.form, v.is_current DESC, v.version DESC
"""

# One row per edition for BI tools; security_invoker, so a reader sees what its own rights let it see.
VIEW = "reporting.cable_editions"
VIEW_COLUMNS = {
    "cable_id": "Internal key of the cable; joins reporting.cables.",
    "reference_id": "Reference id of the cable.",
    "form": "Form of this edition: telegram (the telegram's own text: Cablegate pages, the CSV dump, exports), "
    "frus-tei, frus-text (FRUS documents) or scan.",
    "authority": "1 for the most authoritative form (telegram) to 4 (scan); the cable's fields come from the "
    "edition giving them with the lowest number.",
    "gives_cable_fields": "Whether the cable's fields (reporting.cables) are this edition's.",
    "source_name": "File name of the input behind this edition's fields.",
    "source_format": "Format of that input: html, csv, frus-tei, frus-text, scan, ...",
    "versions": "How many texts (releases) of this edition are stored.",
    "created": "When the cable was sent, as this edition gives it (UTC; a FRUS local date at midnight).",
    "classification": "Classification as this edition gives it.",
    "origin": "Sending station as this edition gives it.",
    "subject": "Subject as this edition gives it.",
    "precedence": "Precedence as this edition gives it.",
    "signers": "Signers as this edition gives them, space separated.",
    "paragraph_count": "Paragraphs of this edition's text.",
}
VIEW_QUERY = """
SELECT e.cable_id, c.reference_id, e.form, e.authority,
       EXISTS (SELECT FROM cable_versions v WHERE v.cable_id = e.cable_id AND v.form = e.form AND v.is_current),
       s.name, s.format,
       (SELECT count(*) FROM cable_versions v WHERE v.cable_id = e.cable_id AND v.form = e.form),
       e.created, reporting.classification_label(l.name, e.caveats), o.name, e.subject, e.precedence,
       array_to_string(e.signers, ' '), e.paragraph_count
FROM cable_editions e
JOIN cables c ON c.id = e.cable_id
JOIN sources s ON s.id = e.source_id
LEFT JOIN classification_levels l ON l.id = e.classification_level_id
LEFT JOIN origins o ON o.id = e.origin_id
"""


# What a role not cleared to everything sees of cable_editions: the edition whose leading version it may see
# (cable_versions' own policy decides that).
LEADING_VERSION_VISIBLE = (
    "EXISTS (SELECT FROM public.cable_versions x WHERE x.cable_id = cable_editions.cable_id "
    "AND x.form = cable_editions.form AND x.source_id = cable_editions.source_id)"
)

EVERYTHING_ROLES = """
SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname)
FROM pg_policy p CROSS JOIN unnest(p.polroles) AS listed(oid) JOIN pg_roles r ON r.oid = listed.oid
WHERE p.polname = 'everything' AND p.polrelid = 'public.cable_versions'::regclass
"""


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Downgrade: one version per (cable, text), the current one else the first, its sources gathered.
KEPT_VERSIONS = """
CREATE TEMP TABLE kept_versions AS
SELECT v.cable_id, v.version, k.version AS kept
FROM cable_versions v
JOIN (SELECT DISTINCT ON (cable_id, text_sha256) cable_id, text_sha256, version FROM cable_versions
      ORDER BY cable_id, text_sha256, is_current DESC, version) k
  ON k.cable_id = v.cable_id AND k.text_sha256 = v.text_sha256 AND k.version <> v.version
"""
GATHER_SOURCES = """
UPDATE cable_version_sources s SET version = k.kept
FROM kept_versions k WHERE s.cable_id = k.cable_id AND s.version = k.version
"""
DROP_DUPLICATES = (
    "DELETE FROM cable_versions v USING kept_versions k WHERE v.cable_id = k.cable_id AND v.version = k.version"
)


def upgrade() -> None:
    op.create_table(
        "cable_editions",
        sa.Column("cable_id", sa.BigInteger(), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("authority", sa.SmallInteger(), sa.Computed(AUTHORITY, persisted=True), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("classification_level_id", sa.SmallInteger(), nullable=True),
        sa.Column("caveats", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("station", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("precedence", sa.Text(), nullable=True),
        sa.Column("signers", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("paragraph_count", sa.SmallInteger(), nullable=True),
        sa.Column("publisher_metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint(
            "form IN (" + ", ".join(f"'{form}'" for form in FORMS) + ")", name=op.f("ck_cable_editions_form_known")
        ),
        sa.ForeignKeyConstraint(
            ["cable_id"], ["cables.id"], name=op.f("fk_cable_editions_cable_id_cables"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["classification_level_id"],
            ["classification_levels.id"],
            name=op.f("fk_cable_editions_classification_level_id_classification_levels"),
        ),
        sa.ForeignKeyConstraint(["origin_id"], ["origins.id"], name=op.f("fk_cable_editions_origin_id_origins")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_cable_editions_source_id_sources")),
        sa.PrimaryKeyConstraint("cable_id", "form", name=op.f("pk_cable_editions")),
    )
    op.create_index(op.f("ix_cable_editions_source_id"), "cable_editions", ["source_id"])
    op.add_column("cable_versions", sa.Column("form", sa.Text(), nullable=True))
    op.execute(f"UPDATE cable_versions v SET form = {FORM_OF_FORMAT} FROM sources s WHERE s.id = v.source_id")
    op.alter_column("cable_versions", "form", nullable=False)
    op.execute(EDITIONS_OF_VERSIONS)
    op.drop_constraint("uq_cable_versions_cable_id_text_sha256", "cable_versions", type_="unique")
    op.create_unique_constraint(
        op.f("uq_cable_versions_cable_id_form_text_sha256"), "cable_versions", ["cable_id", "form", "text_sha256"]
    )
    op.create_foreign_key(
        op.f("fk_cable_versions_cable_id_cable_editions"),
        "cable_versions",
        "cable_editions",
        ["cable_id", "form"],
        ["cable_id", "form"],
        ondelete="CASCADE",
    )
    op.execute("ALTER TABLE public.cable_editions ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE public.cable_editions FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY cleared ON public.cable_editions FOR SELECT USING ({LEADING_VERSION_VISIBLE})")
    # Cleared to everything: the roles the other tables' policy of that name lists (the owner, readers made before).
    roles = op.get_bind().execute(sa.text(EVERYTHING_ROLES)).scalar() or "CURRENT_USER"
    op.execute(f"CREATE POLICY everything ON public.cable_editions TO {roles} USING (true) WITH CHECK (true)")
    op.execute(f"CREATE VIEW {VIEW} ({', '.join(VIEW_COLUMNS)}) WITH (security_invoker = true) AS {VIEW_QUERY}")
    op.execute(f"COMMENT ON VIEW {VIEW} IS " + quoted("One row per edition of a cable: each form it is published in."))
    for column, comment in VIEW_COLUMNS.items():
        op.execute(f"COMMENT ON COLUMN {VIEW}.{column} IS {quoted(comment)}")


def downgrade() -> None:
    op.execute(f"DROP VIEW {VIEW}")
    op.execute("DROP POLICY cleared ON public.cable_editions")  # it reads cable_versions.form, dropped below
    op.execute("DROP POLICY everything ON public.cable_editions")
    op.drop_constraint(op.f("fk_cable_versions_cable_id_cable_editions"), "cable_versions", type_="foreignkey")
    op.execute(KEPT_VERSIONS)
    op.execute(GATHER_SOURCES)
    op.execute(DROP_DUPLICATES)
    op.execute("DROP TABLE kept_versions")
    op.drop_constraint(op.f("uq_cable_versions_cable_id_form_text_sha256"), "cable_versions", type_="unique")
    op.create_unique_constraint("uq_cable_versions_cable_id_text_sha256", "cable_versions", ["cable_id", "text_sha256"])
    op.drop_column("cable_versions", "form")
    op.drop_index(op.f("ix_cable_editions_source_id"), table_name="cable_editions")
    op.drop_table("cable_editions")
