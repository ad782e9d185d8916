"""Stored labels and stations: what BI tools group and filter on is stored at load time, not computed per row.

What changes, and why (issue #12):

* ``cables`` stores its labels: ``classification``, ``tag_codes`` (printed order), the counts of
  recipients, paragraphs, references and versions, and ``year`` and ``month`` (UTC, generated);
  the level's rank and the banner's caveats (sorted) are ``clearance_rank`` and
  ``clearance_caveats`` (migration 0008). ``reporting.cables`` computed them per row with
  correlated subqueries (25 µs for the classification and 67 µs for the TAGS of each cable, each
  time a query touched them); it now reads them. The loader stages them with the cable (the counts
  and labels come from the parsed cable) and counts versions at the end of each load
  (``archive.load.merge.count_versions``).
* ``stations``: one row per post or agency, the dimension that origins and addressees share
  (``origins.station_id``, ``addressees.station_id``), named by ``archive.load.stations.station_of``
  at the end of each load: ``SECSTATE WASHDC`` and the origin ``Secretary of State`` are one station,
  so ``reporting.correspondence`` joins both ways.
* The reporting views give lists as arrays (``caveats``, ``reasons``, ``signers``, ``tags``) and
  NULL for none everywhere (no more ``''``); ``reporting.paragraphs`` has the normalized marking
  (``S//NF`` whether printed ``S/NF`` or ``S//NF``) and says which paragraphs are SBU under an
  UNCLASSIFIED banner; ``reporting.recipients`` and the new ``reporting.stations`` carry stations.
* The aggregates (``cables_by_year``, ``cables_by_month``, ``origins_summary``, ``tags_by_year``,
  ``correspondence``) sum summary tables (``cable_totals``, ``tag_totals``, ``correspondence_totals``)
  that the end of each load rebuilds (``archive.db.reporting.refresh``): cables counted per group
  and per clearance (``clearance_rank``, ``clearance_caveats``), under the cables' row-level security,
  so that a reader's sums count exactly the cables it may read, and no aggregate reads the large
  tables at query time.
* Every view it makes is ``security_invoker``, as migration 0008 requires (it reads with the
  reader's rights and row-level security).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

from archive.db.reporting import refresh
from archive.load.stations import assign_stations

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The migration that put row-level security on every table readers read and made every view
# security_invoker (its predicate secures the tables made here; a downgrade restores its views).
CLEARANCE = "0008"


def migration(revision_id: str) -> ModuleType:
    """An earlier migration: 0002 for its ``View`` and the views this one replaces, CLEARANCE for how it
    changed them."""
    return context.script.get_revision(revision_id).module


PORTION_MARKING = """
CREATE FUNCTION reporting.portion_marking(level text, caveats text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE level
    WHEN 'TOP SECRET' THEN 'TS' WHEN 'SECRET' THEN 'S' WHEN 'CONFIDENTIAL' THEN 'C'
    WHEN 'LIMITED OFFICIAL USE' THEN 'LOU' WHEN 'SENSITIVE BUT UNCLASSIFIED' THEN 'SBU' WHEN 'UNCLASSIFIED' THEN 'U'
END || coalesce('//' || nullif(array_to_string(array_replace(caveats, 'NOFORN', 'NF'), '/'), ''), '')
$$
"""

# The views replaced here, each after those built on it (a downgrade recreates them as CLEARANCE left them).
REPLACED = ("cables_by_year", "origins_summary", "tags_by_year", "correspondence", "cables", "paragraphs", "recipients")
SUMMARIES = ("cable_totals", "tag_totals", "correspondence_totals")


def views(layer: ModuleType) -> tuple[Any, ...]:
    """The views this migration makes, as ``layer.View`` values."""
    View = layer.View
    return (
        View(
            "cables",
            "One row per cable (its current version) with its labels as stored at load time.",
            """
            SELECT c.id AS cable_id,
                   c.reference_id,
                   c.canonical_id,
                   c.created,
                   (c.created AT TIME ZONE 'UTC')::date AS created_date,
                   c.year,
                   c.month,
                   c.classification,
                   l.name AS level,
                   c.clearance_rank AS level_rank,
                   nullif(c.clearance_caveats, '{}') AS caveats,
                   'NOFORN' = ANY (c.clearance_caveats) AS is_noforn,
                   o.name AS origin,
                   o.station_id,
                   c.station,
                   c.subject,
                   c.precedence,
                   c.transmission_id,
                   c.executive_order,
                   c.declassify_on,
                   c.declassify_text,
                   c.classified_by,
                   c.classified_by_title,
                   nullif(c.reasons, '{}') AS reasons,
                   nullif(c.signers, '{}') AS signers,
                   c.is_partial,
                   nullif(c.tag_codes, '{}') AS tags,
                   c.recipient_count,
                   c.paragraph_count,
                   c.reference_count,
                   c.version_count,
                   c.released,
                   s.format AS source_format,
                   s.name AS source_name,
                   -- The current version's text: a reader cleared to less than every paragraph gets none
                   -- (migration 0008 says why); a query that does not ask for it does not read it.
                   (SELECT v.body FROM cable_versions v WHERE v.cable_id = c.id AND v.is_current) AS body
            FROM cables c
            -- Left joins (every cable has a level and a source): a query that reads neither joins neither.
            LEFT JOIN classification_levels l ON l.id = c.classification_level_id
            LEFT JOIN sources s ON s.id = c.source_id
            LEFT JOIN origins o ON o.id = c.origin_id
            """,
            {
                "cable_id": "Internal key of the cable; joins every other reporting view.",
                "reference_id": "Published reference id, e.g. 09STATE53069.",
                "canonical_id": "Reference id as derived from the telegram itself.",
                "created": "When the cable was sent (its date-time group), UTC.",
                "created_date": "The day the cable was sent, UTC.",
                "year": "The year the cable was sent, UTC; NULL when the date is unknown.",
                "month": "The month the cable was sent, 1 to 12, UTC; NULL when the date is unknown.",
                "classification": "Classification as WikiLeaks published it: CONFIDENTIAL, SECRET//NOFORN, "
                "UNCLASSIFIED//FOR OFFICIAL USE ONLY.",
                "level": "Classification level of the banner: TOP SECRET, SECRET, CONFIDENTIAL, "
                "LIMITED OFFICIAL USE, SENSITIVE BUT UNCLASSIFIED or UNCLASSIFIED.",
                "level_rank": "Rank of the level, 6 = TOP SECRET down to 1 = UNCLASSIFIED; sort or compare by it.",
                "caveats": "Handling caveats of the banner, sorted: {NOFORN,SIPDIS}; NULL when none. "
                "Filter with 'NOFORN' = ANY (caveats).",
                "is_noforn": "Whether the cable is NOFORN (not releasable to foreign nationals).",
                "origin": "Sending station in library naming: Embassy Berlin, Secretary of State; NULL when unknown.",
                "station_id": "Station of the origin; joins reporting.stations and the stations of "
                "reporting.recipients and reporting.correspondence.",
                "station": "The FM line as printed: AMEMBASSY BERLIN; NULL when the cable has none.",
                "subject": "Subject line; NULL when the cable has none.",
                "precedence": "Precedence of the date-time group: FLASH, IMMEDIATE, PRIORITY, ROUTINE.",
                "transmission_id": "Transmission id of the routing header, e.g. VZCZCXYZ0009.",
                "executive_order": "Executive order of the classification, e.g. 12958; N/A when printed so.",
                "declassify_on": "Date the cable is to be declassified (DECL), when it is a date.",
                "declassify_text": "The DECL instruction as printed: 05/22/2019, OADR, 1.6X1.",
                "classified_by": "Who classified the cable.",
                "classified_by_title": "Title or office of who classified the cable.",
                "reasons": "Classification reasons: {1.4(b),1.4(d)}; NULL when none.",
                "signers": "Who signed the cable, one name per item: {VAN VOORST}; NULL when unsigned.",
                "is_partial": "Whether the published record is a partial extract of the original cable.",
                "tags": "TAGS of the cable in printed order: {KV,MARR,NATO}; NULL when none. "
                "Filter with 'PREL' = ANY (tags).",
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
            "One row per paragraph of a cable, with its portion marking beside the cable's banner (the marking audit).",
            """
            SELECT p.cable_id,
                   c.reference_id,
                   p.position,
                   p.number,
                   p.number_printed,
                   p.marking,
                   reporting.portion_marking(l.name, p.caveats) AS normalized_marking,
                   l.name AS level,
                   l.rank AS level_rank,
                   nullif(p.caveats, '{}') AS caveats,
                   cl.name AS cable_level,
                   c.clearance_rank AS cable_level_rank,
                   coalesce(l.rank > c.clearance_rank, false) AS exceeds_banner,
                   coalesce(l.name = 'SENSITIVE BUT UNCLASSIFIED' AND cl.name = 'UNCLASSIFIED', false)
                       AS is_sbu_under_unclassified,
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
                "number": "Paragraph number as recovered (OCR damage such as '11.' read as 1); NULL when unnumbered.",
                "number_printed": "Paragraph number as printed: '1.', '11.', '¶5.'; NULL when unnumbered.",
                "marking": "Portion marking as printed, without brackets: C, S/NF, SBU; NULL when unmarked.",
                "normalized_marking": "The marking's level and caveats, spelled one way: S//NF whether printed "
                "S/NF or S//NF, C//REL, U//FOUO; NULL when unmarked.",
                "level": "Classification level of the portion marking; NULL when unmarked.",
                "level_rank": "Rank of the marking's level, 6 = TOP SECRET down to 1 = UNCLASSIFIED.",
                "caveats": "Caveats of the portion marking: {NOFORN}; NULL when none.",
                "cable_level": "Classification level of the cable's banner.",
                "cable_level_rank": "Rank of the banner's level.",
                "exceeds_banner": "Whether the paragraph is marked above the cable's banner (a marking error).",
                "is_sbu_under_unclassified": "Whether the paragraph is marked SBU in an UNCLASSIFIED cable: "
                "above the banner by rank, but common practice, not a marking error; filter it out of "
                "exceeds_banner audits with NOT is_sbu_under_unclassified.",
                "section": "SUMMARY or COMMENT when the paragraph sits in one; NULL otherwise.",
                "text": "Paragraph text without its number and marking.",
            },
        ),
        View(
            "recipients",
            "One row per addressee of a cable (TO, INFO, XMT lines), with its station, beside the cable's origin.",
            """
            SELECT r.cable_id,
                   c.reference_id,
                   r.position,
                   r.role,
                   a.name AS addressee,
                   a.routing,
                   a.station_id,
                   st.name AS station,
                   r.precedence,
                   r.channel,
                   o.name AS origin,
                   o.station_id AS origin_station_id,
                   c.created,
                   c.year
            FROM recipients r
            JOIN addressees a ON a.id = r.addressee_id
            LEFT JOIN stations st ON st.id = a.station_id
            JOIN cables c ON c.id = r.cable_id
            LEFT JOIN origins o ON o.id = c.origin_id
            """,
            {
                "cable_id": "Internal key of the cable; joins reporting.cables.",
                "reference_id": "Published reference id of the cable.",
                "position": "Order of the addressee in the header, from 1.",
                "role": "TO (action), INFO (information) or XMT (excluded from a collective).",
                "addressee": "Addressee as printed: AMEMBASSY BELGRADE, SECSTATE WASHDC.",
                "routing": "Routing indicator of the addressee, e.g. RUEHBW; NULL when not printed.",
                "station_id": "Station of the addressee; joins reporting.stations and reporting.cables.station_id.",
                "station": "Station of the addressee in library naming: Embassy Belgrade, Secretary of State.",
                "precedence": "Precedence for this addressee: IMMEDIATE, PRIORITY, ROUTINE; NULL when not printed.",
                "channel": "Message channel number as printed; NULL when not printed.",
                "origin": "Sending station of the cable; NULL when unknown.",
                "origin_station_id": "Station of the sending station; joins reporting.stations.",
                "created": "When the cable was sent, UTC.",
                "year": "The year the cable was sent, UTC.",
            },
        ),
        View(
            "stations",
            "One row per station, the posts and agencies that send (origins) and receive (addressees) cables.",
            """
            SELECT s.id AS station_id,
                   s.name AS station,
                   s.rule,
                   nullif(ARRAY(SELECT a.name FROM addressees a WHERE a.station_id = s.id
                                GROUP BY a.name ORDER BY a.name), '{}') AS addressed_as,
                   nullif(ARRAY(SELECT a.routing FROM addressees a WHERE a.station_id = s.id
                                AND a.routing IS NOT NULL GROUP BY a.routing ORDER BY a.routing), '{}')
                       AS routing_indicators,
                   nullif(ARRAY(SELECT o.name FROM origins o WHERE o.station_id = s.id ORDER BY o.name), '{}')
                       AS origin_names
            FROM stations s
            """,
            {
                "station_id": "Internal key of the station; joins the station_id columns of reporting.cables, "
                "reporting.recipients and reporting.correspondence.",
                "station": "The station in library naming: Embassy Belgrade, Secretary of State, Secretary of "
                "Defense; a station no rule names keeps its printed form (CDR USEUCOM VAIHINGEN GE).",
                "rule": "How the name was found: post (a post type such as AMEMBASSY, or a post the library names "
                "irregularly), agency (a Washington agency of the documented table) or printed (no rule).",
                "addressed_as": "The addressees as printed that are this station: {SECDEF WASHDC,SECDEF WASHINGTON "
                "DC}; NULL when it never receives.",
                "routing_indicators": "Routing indicators printed with those addressees: {RUEKJCS}; NULL when none.",
                "origin_names": "The origins that are this station; NULL when it never sends.",
            },
        ),
        View(
            "correspondence",
            "Who writes to whom, station to station: the number of cables per sending station, receiving "
            "station and role.",
            """
            SELECT t.from_station_id,
                   fs.name AS from_station,
                   t.to_station_id,
                   ts.name AS to_station,
                   t.role,
                   sum(t.cables)::bigint AS cables
            FROM correspondence_totals t
            LEFT JOIN stations fs ON fs.id = t.from_station_id
            LEFT JOIN stations ts ON ts.id = t.to_station_id
            GROUP BY 1, 2, 3, 4, 5
            """,
            {
                "from_station_id": "Station that sent the cables; NULL when the origin is unknown.",
                "from_station": "Its name: Embassy Berlin, Secretary of State.",
                "to_station_id": "Station the cables were addressed to: swap with from_station_id to read the "
                "other direction.",
                "to_station": "Its name.",
                "role": "TO, INFO or XMT.",
                "cables": "Number of cables from the one station to the other in that role.",
            },
        ),
        View(
            "cables_by_year",
            "Number of cables per year and classification level.",
            f"""
            SELECT t.year, l.name AS level, t.clearance_rank AS level_rank,
                   sum(t.cables)::bigint AS cables,
                   {NOFORN_CABLES} AS noforn_cables,
                   make_date(t.year, 1, 1) AS period_start
            FROM cable_totals t JOIN classification_levels l ON l.rank = t.clearance_rank
            GROUP BY t.year, l.name, t.clearance_rank
            """,
            {
                "year": "The year the cables were sent, UTC; NULL when the date is unknown.",
                "level": "Classification level of the banner.",
                "level_rank": "Rank of the level, 6 = TOP SECRET down to 1 = UNCLASSIFIED.",
                "cables": "Number of cables.",
                "noforn_cables": "How many of them are NOFORN.",
                "period_start": PERIOD_START.format("year"),
            },
        ),
        View(
            "cables_by_month",
            "Number of cables per month and classification.",
            """
            SELECT t.year, t.month, t.classification, l.name AS level, t.clearance_rank AS level_rank,
                   sum(t.cables)::bigint AS cables,
                   make_date(t.year, t.month, 1) AS period_start
            FROM cable_totals t JOIN classification_levels l ON l.rank = t.clearance_rank
            GROUP BY t.year, t.month, t.classification, l.name, t.clearance_rank
            """,
            {
                "year": "The year the cables were sent, UTC; NULL when the date is unknown.",
                "month": "The month the cables were sent, 1 to 12, UTC; NULL when the date is unknown.",
                "classification": "Classification as WikiLeaks published it: CONFIDENTIAL, SECRET//NOFORN.",
                "level": "Classification level of the banner.",
                "level_rank": "Rank of the level, 6 = TOP SECRET down to 1 = UNCLASSIFIED.",
                "cables": "Number of cables.",
                "period_start": PERIOD_START.format("month"),
            },
        ),
        View(
            "origins_summary",
            "Per sending station, its cables, period and classification mix.",
            f"""
            SELECT o.name AS origin,
                   sum(t.cables)::bigint AS cables,
                   min(t.first_created) AS first_created,
                   max(t.last_created) AS last_created,
                   {", ".join(f"{LEVEL_CABLES.format(level)} AS {column}" for level, column in LEVEL_COLUMNS)},
                   {NOFORN_CABLES} AS noforn
            FROM cable_totals t
            JOIN classification_levels l ON l.rank = t.clearance_rank
            LEFT JOIN origins o ON o.id = t.origin_id
            GROUP BY o.name
            """,
            {
                "origin": "Sending station; NULL for the cables that name none.",
                "cables": "Number of cables sent.",
                "first_created": "When its first cable in the archive was sent.",
                "last_created": "When its last cable in the archive was sent.",
                **{column: f"Cables classified {level}." for level, column in LEVEL_COLUMNS},
                "noforn": "Cables marked NOFORN, whatever their level.",
            },
        ),
        View(
            "tags_by_year",
            "Number of cables per tag and year.",
            """
            SELECT g.code AS tag, g.kind, t.year, sum(t.cables)::bigint AS cables, make_date(t.year, 1, 1) AS period_start
            FROM tag_totals t JOIN tags g ON g.id = t.tag_id
            GROUP BY g.code, g.kind, t.year
            """,
            {
                "tag": "The tag.",
                "kind": "What the tag names: country, subject, program, organisation, person or other.",
                "year": "The year the cables were sent, UTC.",
                "cables": "Number of cables carrying the tag that year.",
                "period_start": PERIOD_START.format("year"),
            },
        ),
    )


# A date for BI tools' time axes (an integer year is a number to them).
PERIOD_START = "The first day of the {0}, as a date; NULL when the date is unknown."
NOFORN_CABLES = "coalesce(sum(t.cables) FILTER (WHERE 'NOFORN' = ANY (t.clearance_caveats)), 0)::bigint"
LEVEL_CABLES = "coalesce(sum(t.cables) FILTER (WHERE l.name = '{0}'), 0)::bigint"
LEVEL_COLUMNS = (
    ("TOP SECRET", "top_secret"),
    ("SECRET", "secret"),
    ("CONFIDENTIAL", "confidential"),
    ("LIMITED OFFICIAL USE", "limited_official_use"),
    ("SENSITIVE BUT UNCLASSIFIED", "sensitive_but_unclassified"),
    ("UNCLASSIFIED", "unclassified"),
)


def create(layer: ModuleType, view: Any) -> None:
    """Create ``view`` (security_invoker) with a comment on it and on each of its columns, as 0002 and 0008 do."""
    op.execute(
        f"CREATE VIEW reporting.{view.name} ({', '.join(view.columns)}) WITH (security_invoker = true) AS {view.query}"
    )
    op.execute(f"COMMENT ON VIEW reporting.{view.name} IS {layer.quoted(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN reporting.{view.name}.{column} IS {layer.quoted(comment)}")


def restore(names: Sequence[str]) -> None:
    """Create the views named as migration CLEARANCE left them: 0002's, security_invoker, the aggregates not
    materialized, the cables' body from the current version."""
    layer, clearance = migration("0002"), migration(CLEARANCE)
    for view in (view for name in names for view in layer.VIEWS if view.name == name):
        prefix, suffix = clearance.MATERIALIZED
        comment = view.comment.removeprefix(prefix).replace(suffix, "")
        query = clearance._cables_query(layer) if view.name == "cables" else view.query
        clearance._create_view(layer, view, comment, query)


def drop(names: Sequence[str]) -> None:
    for name in names:
        op.execute(f"DROP VIEW reporting.{name}")


# Who may read a station: whoever may read an origin or an addressee that is it; a summary row:
# whoever is cleared to its cables (migration 0008's predicate, as on cables).
STATION_VISIBLE = (
    "EXISTS (SELECT FROM public.origins x WHERE x.station_id = stations.id) "
    "OR EXISTS (SELECT FROM public.addressees x WHERE x.station_id = stations.id)"
)
# Migration 0008's "everything" policy names the roles cleared to everything; new tables name the same.
CLEARED_EVERYTHING = """
SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) FROM pg_policy p
JOIN pg_roles r ON r.oid = ANY (p.polroles) WHERE p.polname = 'everything' AND p.polrelid = 'public.cables'::regclass
"""


def secure(table: str, visible: str) -> None:
    """Row-level security on ``table`` as migration 0008 puts it on every table readers read."""
    roles = op.get_bind().execute(sa.text(CLEARED_EVERYTHING)).scalar() or "CURRENT_USER"
    op.execute(f"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE public.{table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY cleared ON public.{table} FOR SELECT USING ({visible})")
    op.execute(f"CREATE POLICY everything ON public.{table} TO {roles} USING (true) WITH CHECK (true)")


def counted() -> list[sa.Column[Any]]:
    """The columns every summary ends with: the clearance its cables need, and how many they are."""
    return [
        sa.Column("clearance_rank", sa.SmallInteger(), nullable=False),
        sa.Column("clearance_caveats", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("cables", sa.Integer(), nullable=False),
    ]


def create_summaries() -> None:
    op.create_table(
        "cable_totals",
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("month", sa.SmallInteger(), nullable=True),
        sa.Column("origin_id", sa.BigInteger(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("first_created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_created", sa.DateTime(timezone=True), nullable=True),
        *counted(),
    )
    op.create_table(
        "tag_totals",
        sa.Column("tag_id", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        *counted(),
    )
    op.create_table(
        "correspondence_totals",
        sa.Column("from_station_id", sa.BigInteger(), nullable=True),
        sa.Column("to_station_id", sa.BigInteger(), nullable=True),
        sa.Column("role", sa.String(length=4), nullable=False),
        *counted(),
    )
    cleared = migration(CLEARANCE).cleared_sql("clearance_rank", "clearance_caveats")
    for table in SUMMARIES:
        secure(table, cleared)


def label_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("classification", sa.Text(), nullable=True),
        sa.Column("tag_codes", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("recipient_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("paragraph_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reference_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("version_count", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
        sa.Column(
            "year",
            sa.SmallInteger(),
            sa.Computed("extract(year FROM created AT TIME ZONE 'UTC')::smallint", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "month",
            sa.SmallInteger(),
            sa.Computed("extract(month FROM created AT TIME ZONE 'UTC')::smallint", persisted=True),
            nullable=True,
        ),
    ]


# The labels of the cables already stored, as the loader stores them for new ones (in one pass: each
# UPDATE of every row writes the whole table again); the banner's caveats are 0008's, sorted.
FILL_LABELS = """
UPDATE cables c SET
    classification = reporting.classification_label(l.name, c.clearance_caveats),
    tag_codes = ARRAY(SELECT t.code FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id
                      WHERE ct.cable_id = c.id ORDER BY ct.position),
    recipient_count = (SELECT count(*) FROM recipients r WHERE r.cable_id = c.id),
    paragraph_count = (SELECT count(*) FROM paragraphs p WHERE p.cable_id = c.id),
    reference_count = (SELECT count(*) FROM cable_references r WHERE r.cable_id = c.id),
    version_count = (SELECT count(*) FROM cable_versions v WHERE v.cable_id = c.id)
FROM classification_levels l WHERE l.id = c.classification_level_id
"""


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.CheckConstraint("rule IN ('post', 'agency', 'printed')", name=op.f("ck_stations_rule_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("name", name=op.f("uq_stations_name")),
    )
    for table in ("origins", "addressees"):
        op.add_column(table, sa.Column("station_id", sa.BigInteger(), nullable=True))
        op.create_foreign_key(op.f(f"fk_{table}_station_id_stations"), table, "stations", ["station_id"], ["id"])
        op.create_index(op.f(f"ix_{table}_station_id"), table, ["station_id"], unique=False)
    secure("stations", STATION_VISIBLE)
    for column in label_columns():
        op.add_column("cables", column)
    op.execute(FILL_LABELS)
    op.alter_column("cables", "classification", nullable=False)
    assign_stations(op.get_bind().connection.driver_connection)
    create_summaries()
    refresh(op.get_bind(), SUMMARIES)

    layer = migration("0002")
    drop(REPLACED)
    op.execute(PORTION_MARKING)
    op.execute(
        "COMMENT ON FUNCTION reporting.portion_marking(text, text[]) IS "
        + layer.quoted("A portion marking's level and caveats spelled one way: S//NF, C//REL, U//FOUO.")
    )
    for view in views(layer):
        create(layer, view)


def downgrade() -> None:
    drop(("cables_by_month", *REPLACED, "stations"))
    op.execute("DROP FUNCTION reporting.portion_marking(text, text[])")
    restore(tuple(reversed(REPLACED)))
    for table in reversed(SUMMARIES):
        op.drop_table(table)
    for column in reversed(label_columns()):
        op.drop_column("cables", column.name)
    for policy in ("everything", "cleared"):
        op.execute(f"DROP POLICY {policy} ON public.stations")
    for table in ("addressees", "origins"):
        op.drop_index(op.f(f"ix_{table}_station_id"), table_name=table)
        op.drop_constraint(op.f(f"fk_{table}_station_id_stations"), table, type_="foreignkey")
        op.drop_column(table, "station_id")
    op.drop_table("stations")
