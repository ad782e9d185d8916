"""Reporting layer: a ``reporting`` schema of flat, documented views and materialized aggregates for BI tools.

Every view and every column carries a ``COMMENT ON`` so that a BI user can read the schema
without the ER diagram. The plain views always show the current data; the materialized
aggregates are refreshed by ``archive.db.reporting.refresh`` (the loader calls it after
each load, and ``archive db refresh`` does it by hand). The read-only role for BI tools is
created by ``archive db reader-url`` (roles are per server, not per database, so a migration
does not create one).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class View(NamedTuple):
    name: str
    comment: str
    query: str
    columns: dict[str, str]  # column name -> comment, in the order of the query's columns
    materialized: bool = False


# The year of a cable is taken in UTC, like its date-time group.
YEAR = "extract(year FROM {0} AT TIME ZONE 'UTC')::integer"
CAVEATS_OF_CABLE = (
    "ARRAY(SELECT cv.name FROM cable_caveats cc JOIN caveats cv ON cv.id = cc.caveat_id "
    "WHERE cc.cable_id = {0} ORDER BY cv.name)"
)

CLASSIFICATION_LABEL = """
CREATE FUNCTION reporting.classification_label(level text, caveats text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN level = 'SENSITIVE BUT UNCLASSIFIED' OR (level = 'UNCLASSIFIED' AND 'FOUO' = ANY (caveats))
        THEN 'UNCLASSIFIED//FOR OFFICIAL USE ONLY'
    WHEN 'NOFORN' = ANY (caveats) THEN level || '//NOFORN'
    ELSE level
END
$$
"""

VIEWS: tuple[View, ...] = (
    View(
        "cables",
        "One row per cable (its current version) with readable labels instead of keys.",
        f"""
        SELECT c.id AS cable_id,
               c.reference_id,
               c.canonical_id,
               c.created,
               (c.created AT TIME ZONE 'UTC')::date AS created_date,
               {YEAR.format("c.created")} AS year,
               reporting.classification_label(l.name, {CAVEATS_OF_CABLE.format("c.id")}) AS classification,
               l.name AS level,
               l.rank AS level_rank,
               array_to_string({CAVEATS_OF_CABLE.format("c.id")}, ' ') AS caveats,
               EXISTS (SELECT FROM cable_caveats cc JOIN caveats cv ON cv.id = cc.caveat_id
                       WHERE cc.cable_id = c.id AND cv.name = 'NOFORN') AS is_noforn,
               o.name AS origin,
               c.station,
               c.subject,
               c.precedence,
               c.transmission_id,
               c.executive_order,
               c.declassify_on,
               c.declassify_text,
               c.classified_by,
               c.classified_by_title,
               array_to_string(c.reasons, ' ') AS reasons,
               array_to_string(c.signers, ' ') AS signers,
               c.is_partial,
               (SELECT string_agg(t.code, ' ' ORDER BY ct.position) FROM cable_tags ct
                JOIN tags t ON t.id = ct.tag_id WHERE ct.cable_id = c.id) AS tags,
               (SELECT count(*) FROM recipients r WHERE r.cable_id = c.id) AS recipient_count,
               (SELECT count(*) FROM paragraphs p WHERE p.cable_id = c.id) AS paragraph_count,
               (SELECT count(*) FROM cable_references cr WHERE cr.cable_id = c.id) AS reference_count,
               (SELECT count(*) FROM cable_versions v WHERE v.cable_id = c.id) AS version_count,
               c.released,
               s.format AS source_format,
               s.name AS source_name,
               c.body
        FROM cables c
        JOIN classification_levels l ON l.id = c.classification_level_id
        JOIN sources s ON s.id = c.source_id
        LEFT JOIN origins o ON o.id = c.origin_id
        """,
        {
            "cable_id": "Internal key of the cable; joins every other reporting view.",
            "reference_id": "Published reference id, e.g. 09STATE53069.",
            "canonical_id": "Reference id as derived from the telegram itself.",
            "created": "When the cable was sent (its date-time group), UTC.",
            "created_date": "The day the cable was sent, UTC.",
            "year": "The year the cable was sent, UTC.",
            "classification": "Classification as WikiLeaks published it: CONFIDENTIAL, SECRET//NOFORN, "
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY.",
            "level": "Classification level of the banner: TOP SECRET, SECRET, CONFIDENTIAL, "
            "LIMITED OFFICIAL USE, SENSITIVE BUT UNCLASSIFIED or UNCLASSIFIED.",
            "level_rank": "Rank of the level, 6 = TOP SECRET down to 1 = UNCLASSIFIED; sort or compare by it.",
            "caveats": "Handling caveats of the banner, space separated: NOFORN SIPDIS.",
            "is_noforn": "Whether the cable is NOFORN (not releasable to foreign nationals).",
            "origin": "Sending station in library naming: Embassy Berlin, Secretary of State.",
            "station": "The FM line as printed: AMEMBASSY BERLIN.",
            "subject": "Subject line; empty when the cable has none.",
            "precedence": "Precedence of the date-time group: FLASH, IMMEDIATE, PRIORITY, ROUTINE.",
            "transmission_id": "Transmission id of the routing header, e.g. VZCZCXYZ0009.",
            "executive_order": "Executive order of the classification, e.g. 12958; N/A when printed so.",
            "declassify_on": "Date the cable is to be declassified (DECL), when it is a date.",
            "declassify_text": "The DECL instruction as printed: 05/22/2019, OADR, 1.6X1.",
            "classified_by": "Who classified the cable.",
            "classified_by_title": "Title or office of who classified the cable.",
            "reasons": "Classification reasons, space separated: 1.4(b) 1.4(d).",
            "signers": "Who signed the cable, space separated.",
            "is_partial": "Whether the published record is a partial extract of the original cable.",
            "tags": "TAGS of the cable in printed order, space separated: KV MARR NATO.",
            "recipient_count": "Number of TO, INFO and XMT addressees.",
            "paragraph_count": "Number of paragraphs of the body.",
            "reference_count": "Number of items of the REF line.",
            "version_count": "Number of distinct texts loaded for this cable (re-issues make more than one).",
            "released": "When the publisher released the cable, when known.",
            "source_format": "Format of the input the current version came from: html, csv, text, scan, pdf.",
            "source_name": "File name of the input the current version came from.",
            "body": "Body text of the cable.",
        },
    ),
    View(
        "paragraphs",
        "One row per paragraph of a cable, with its portion marking beside the cable's banner.",
        """
        SELECT p.cable_id,
               c.reference_id,
               p.position,
               p.number,
               p.number_printed,
               p.marking,
               l.name AS level,
               l.rank AS level_rank,
               array_to_string(p.caveats, ' ') AS caveats,
               cl.name AS cable_level,
               cl.rank AS cable_level_rank,
               coalesce(l.rank > cl.rank, false) AS exceeds_banner,
               p.section,
               p.text
        FROM paragraphs p
        JOIN cables c ON c.id = p.cable_id
        JOIN classification_levels cl ON cl.id = c.classification_level_id
        LEFT JOIN classification_levels l ON l.id = p.classification_level_id
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "position": "Order of the paragraph in the body, from 1.",
            "number": "Paragraph number as recovered (OCR damage such as '11.' read as 1).",
            "number_printed": "Paragraph number as printed: '1.', '11.', '¶5.'.",
            "marking": "Portion marking as printed, without brackets: C, S//NF, SBU; empty when unmarked.",
            "level": "Classification level of the portion marking; empty when unmarked.",
            "level_rank": "Rank of the marking's level, 6 = TOP SECRET down to 1 = UNCLASSIFIED.",
            "caveats": "Caveats of the portion marking, space separated: NOFORN.",
            "cable_level": "Classification level of the cable's banner.",
            "cable_level_rank": "Rank of the banner's level.",
            "exceeds_banner": "Whether the paragraph is marked above the cable's banner (a marking error).",
            "section": "SUMMARY or COMMENT when the paragraph sits in one.",
            "text": "Paragraph text without its number and marking.",
        },
    ),
    View(
        "cable_tags",
        "One row per tag of a cable (TAGS line), with the cable's date for trends.",
        f"""
        SELECT ct.cable_id,
               c.reference_id,
               ct.position,
               t.code AS tag,
               t.kind,
               c.created,
               {YEAR.format("c.created")} AS year
        FROM cable_tags ct
        JOIN tags t ON t.id = ct.tag_id
        JOIN cables c ON c.id = ct.cable_id
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "position": "Order of the tag on the TAGS line, from 1.",
            "tag": "The tag: a country (KV), subject (PREL), program, organisation or person.",
            "kind": "What the tag names: country, subject, program, organisation, person or other.",
            "created": "When the cable was sent, UTC.",
            "year": "The year the cable was sent, UTC.",
        },
    ),
    View(
        "recipients",
        "One row per addressee of a cable (TO, INFO, XMT lines), beside the cable's origin.",
        f"""
        SELECT r.cable_id,
               c.reference_id,
               r.position,
               r.role,
               a.name AS addressee,
               a.routing,
               r.precedence,
               r.channel,
               o.name AS origin,
               c.created,
               {YEAR.format("c.created")} AS year
        FROM recipients r
        JOIN addressees a ON a.id = r.addressee_id
        JOIN cables c ON c.id = r.cable_id
        LEFT JOIN origins o ON o.id = c.origin_id
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "position": "Order of the addressee in the header, from 1.",
            "role": "TO (action), INFO (information) or XMT (excluded from a collective).",
            "addressee": "Addressee as printed: AMEMBASSY BELGRADE, SECSTATE WASHDC.",
            "routing": "Routing indicator of the addressee, e.g. RUEHBW.",
            "precedence": "Precedence for this addressee: IMMEDIATE, PRIORITY, ROUTINE.",
            "channel": "Message channel number as printed.",
            "origin": "Sending station of the cable.",
            "created": "When the cable was sent, UTC.",
            "year": "The year the cable was sent, UTC.",
        },
    ),
    View(
        "cable_references",
        "One row per item of a cable's REF line, resolved to the cited cable when it is in the archive.",
        """
        SELECT cr.cable_id,
               c.reference_id,
               cr.position,
               cr.letter,
               cr.kind,
               cr.cited_text,
               cr.cited_canonical_id,
               cr.cited_cable_id,
               cited.reference_id AS cited_reference_id,
               cr.cited_cable_id IS NOT NULL AS is_resolved,
               cited.subject AS cited_subject,
               cited.created AS cited_created
        FROM cable_references cr
        JOIN cables c ON c.id = cr.cable_id
        LEFT JOIN cables cited ON cited.id = cr.cited_cable_id
        """,
        {
            "cable_id": "Internal key of the citing cable; joins reporting.cables.",
            "reference_id": "Published reference id of the citing cable.",
            "position": "Order of the item on the REF line, from 1.",
            "letter": "Letter of the item (A, B, ...); empty for a single unlettered reference.",
            "kind": "What is cited: cable, email, telcon, memo or other.",
            "cited_text": "The cited item as printed: STATE 12345.",
            "cited_canonical_id": "Canonical id of the cited cable, e.g. 09STATE12345; empty for non-cables.",
            "cited_cable_id": "Internal key of the cited cable when it is in the archive.",
            "cited_reference_id": "Published reference id of the cited cable when it is in the archive.",
            "is_resolved": "Whether the cited cable is in the archive.",
            "cited_subject": "Subject of the cited cable when it is in the archive.",
            "cited_created": "When the cited cable was sent, when it is in the archive.",
        },
    ),
    View(
        "cable_caveats",
        "One row per handling caveat of a cable's banner (NOFORN, SIPDIS, EXDIS, ...).",
        f"""
        SELECT cc.cable_id,
               c.reference_id,
               cv.name AS caveat,
               cv.description,
               c.created,
               {YEAR.format("c.created")} AS year
        FROM cable_caveats cc
        JOIN caveats cv ON cv.id = cc.caveat_id
        JOIN cables c ON c.id = cc.cable_id
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "caveat": "The caveat: NOFORN, SIPDIS, EXDIS, NODIS, ...",
            "description": "What the caveat means.",
            "created": "When the cable was sent, UTC.",
            "year": "The year the cable was sent, UTC.",
        },
    ),
    View(
        "cable_versions",
        "One row per distinct text loaded for a cable; re-issued cables have several.",
        """
        SELECT v.cable_id,
               c.reference_id,
               v.version,
               v.is_current,
               v.released,
               s.name AS source_name,
               s.format AS source_format,
               s.loaded_at,
               length(v.body) AS body_characters
        FROM cable_versions v
        JOIN cables c ON c.id = v.cable_id
        JOIN sources s ON s.id = v.source_id
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "version": "Version number, 1 for the first text loaded.",
            "is_current": "Whether this is the version shown in reporting.cables.",
            "released": "When the publisher released this version, when known.",
            "source_name": "File name of the input this version came from.",
            "source_format": "Format of that input: html, csv, text, scan, pdf.",
            "loaded_at": "When that input was loaded.",
            "body_characters": "Length of this version's body text.",
        },
    ),
    View(
        "load_errors",
        "Inputs that could not be loaded, with the reason (their bytes stay in the load_errors table).",
        """
        SELECT e.id AS load_error_id,
               e.name,
               e.location,
               e.format,
               e.message,
               octet_length(e.raw) AS size,
               e.failed_at,
               e.loader_version
        FROM load_errors e
        """,
        {
            "load_error_id": "Internal key of the load error.",
            "name": "File name of the input.",
            "location": "Where in the file, for one record of a bulk file: record 17 (line 2031).",
            "format": "Format the input was read as, when it was recognised.",
            "message": "Why the input was not loaded.",
            "size": "Size of the input in bytes.",
            "failed_at": "When the load failed.",
            "loader_version": "Version of the archive that tried to load it.",
        },
    ),
    # -- materialized aggregates, refreshed after each load --------------------------------
    View(
        "cables_by_year",
        "Materialized: number of cables per year and classification level (refreshed after each load).",
        """
        SELECT c.year, c.level, c.level_rank,
               count(*) AS cables,
               count(*) FILTER (WHERE c.is_noforn) AS noforn_cables
        FROM reporting.cables c
        GROUP BY c.year, c.level, c.level_rank
        """,
        {
            "year": "The year the cables were sent, UTC; empty when the date is unknown.",
            "level": "Classification level of the banner.",
            "level_rank": "Rank of the level, 6 = TOP SECRET down to 1 = UNCLASSIFIED.",
            "cables": "Number of cables.",
            "noforn_cables": "How many of them are NOFORN.",
        },
        materialized=True,
    ),
    View(
        "origins_summary",
        "Materialized: per sending station, its cables, period and classification mix (refreshed after each load).",
        """
        SELECT coalesce(c.origin, '(unknown)') AS origin,
               count(*) AS cables,
               min(c.created) AS first_created,
               max(c.created) AS last_created,
               count(*) FILTER (WHERE c.level = 'TOP SECRET') AS top_secret,
               count(*) FILTER (WHERE c.level = 'SECRET') AS secret,
               count(*) FILTER (WHERE c.level = 'CONFIDENTIAL') AS confidential,
               count(*) FILTER (WHERE c.level = 'LIMITED OFFICIAL USE') AS limited_official_use,
               count(*) FILTER (WHERE c.level = 'SENSITIVE BUT UNCLASSIFIED') AS sensitive_but_unclassified,
               count(*) FILTER (WHERE c.level = 'UNCLASSIFIED') AS unclassified,
               count(*) FILTER (WHERE c.is_noforn) AS noforn
        FROM reporting.cables c
        GROUP BY 1
        """,
        {
            "origin": "Sending station; (unknown) when the cable names none.",
            "cables": "Number of cables sent.",
            "first_created": "When its first cable in the archive was sent.",
            "last_created": "When its last cable in the archive was sent.",
            "top_secret": "Cables classified TOP SECRET.",
            "secret": "Cables classified SECRET.",
            "confidential": "Cables classified CONFIDENTIAL.",
            "limited_official_use": "Cables classified LIMITED OFFICIAL USE.",
            "sensitive_but_unclassified": "Cables SENSITIVE BUT UNCLASSIFIED.",
            "unclassified": "Cables UNCLASSIFIED.",
            "noforn": "Cables marked NOFORN, whatever their level.",
        },
        materialized=True,
    ),
    View(
        "tags_by_year",
        "Materialized: number of cables per tag and year (refreshed after each load).",
        """
        SELECT t.tag, t.kind, t.year, count(DISTINCT t.cable_id) AS cables
        FROM reporting.cable_tags t
        GROUP BY t.tag, t.kind, t.year
        """,
        {
            "tag": "The tag.",
            "kind": "What the tag names: country, subject, program, organisation, person or other.",
            "year": "The year the cables were sent, UTC.",
            "cables": "Number of cables carrying the tag that year.",
        },
        materialized=True,
    ),
    View(
        "citations",
        "Materialized: per cited cable, how many cables in the archive cite it (refreshed after each load).",
        """
        SELECT r.cited_canonical_id,
               max(r.cited_reference_id) AS cited_reference_id,
               bool_or(r.is_resolved) AS is_resolved,
               max(r.cited_subject) AS cited_subject,
               count(DISTINCT r.cable_id) AS cited_by
        FROM reporting.cable_references r
        WHERE r.cited_canonical_id IS NOT NULL
        GROUP BY r.cited_canonical_id
        """,
        {
            "cited_canonical_id": "Canonical id of the cited cable.",
            "cited_reference_id": "Published reference id of the cited cable when it is in the archive.",
            "is_resolved": "Whether the cited cable is in the archive.",
            "cited_subject": "Subject of the cited cable when it is in the archive.",
            "cited_by": "Number of cables in the archive that cite it.",
        },
        materialized=True,
    ),
    View(
        "correspondence",
        "Materialized: who writes to whom, the number of cables per origin, addressee and role "
        "(refreshed after each load).",
        """
        SELECT coalesce(r.origin, '(unknown)') AS origin, r.addressee, r.role,
               count(DISTINCT r.cable_id) AS cables
        FROM reporting.recipients r
        GROUP BY 1, 2, 3
        """,
        {
            "origin": "Sending station; (unknown) when the cable names none.",
            "addressee": "Addressee as printed.",
            "role": "TO, INFO or XMT.",
            "cables": "Number of cables from the origin to the addressee in that role.",
        },
        materialized=True,
    ),
)


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute("CREATE SCHEMA reporting")
    op.execute(
        "COMMENT ON SCHEMA reporting IS "
        + quoted(
            "Flat, documented views of the cable archive for reports and BI tools: one row per cable, "
            "paragraph, tag, recipient, reference, caveat and version, plus materialized aggregates."
        )
    )
    op.execute(CLASSIFICATION_LABEL)
    op.execute(
        "COMMENT ON FUNCTION reporting.classification_label(text, text[]) IS "
        + quoted("A level and its caveats in the convention WikiLeaks published: SECRET//NOFORN.")
    )
    for view in VIEWS:
        kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
        columns = ", ".join(view.columns)
        op.execute(f"CREATE {kind} reporting.{view.name} ({columns}) AS {view.query}")
        op.execute(f"COMMENT ON {kind} reporting.{view.name} IS {quoted(view.comment)}")
        for column, comment in view.columns.items():
            op.execute(f"COMMENT ON COLUMN reporting.{view.name}.{column} IS {quoted(comment)}")


def downgrade() -> None:
    op.execute("DROP SCHEMA reporting CASCADE")
