"""Administration of the ``reporting`` schema: rebuilding the summaries its aggregates sum.

The schema itself (flat views with ``COMMENT ON`` every view and column) is built by the
migrations (``0002_reporting_layer`` and those after it). Its aggregates are views that sum
the summary tables of ``archive.db.models`` (``cable_totals``, ...), which hold the cables
counted by group and by the clearance they need, under the cables' row-level security
(migration 0009): the loader calls :func:`refresh` at the end of each load to rebuild them,
and ``archive db refresh`` does on demand. Who may read the schema is :mod:`archive.db.roles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from sqlalchemy import text

SCHEMA = "reporting"


def _execute(connection: Any, statement: str) -> list[tuple[Any, ...]]:
    """Run ``statement`` on a psycopg connection, or a SQLAlchemy connection or session."""
    if isinstance(connection, psycopg.Connection):
        cursor = connection.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []
    result = connection.execute(text(statement))
    return [tuple(row) for row in result] if result.returns_rows else []


# A paragraph as the marking audit lists it: its number (its position when unnumbered) and marking.
PARAGRAPH_AND_MARKING = "coalesce(p.number::text, '#' || p.position) || ' (' || p.marking || ')'"

# Each summary and how it is rebuilt: cables counted per group, per clearance their rows need (a
# cable is in one clearance group, so summing a group's distinct counts over clearances is exact).
# Where a cable has several rows of one group, they are made distinct first and the groups then
# counted by a hash: count(DISTINCT) would sort every row of every group (a million cables:
# correspondence 17 → 10 s, tags 12 → 10 s). The costliest first (251,287 cables: 2.6–3.0, 2.2–3.0,
# 2.2–2.6, 1.9–2.3, 0.9–1.1 s, then under 0.4): the loader rebuilds them on two connections, each taking the next.
SUMMARIES = {
    # Each cable's addressees reduced to one row per name first (a name may be TO and INFO, or have two
    # routings), as the report who-writes-to-whom counts them.
    "addressee_totals": """
        INSERT INTO addressee_totals (origin_id, addressee, to_cables, info_cables, clearance_rank, clearance_caveats,
                                      cables)
        SELECT c.origin_id, a.addressee, count(*) FILTER (WHERE a.is_to), count(*) FILTER (WHERE a.is_info),
               c.clearance_rank, c.clearance_caveats, count(*)
        FROM (SELECT r.cable_id, d.name AS addressee, bool_or(r.role = 'TO') AS is_to, bool_or(r.role = 'INFO') AS is_info
              FROM recipients r JOIN addressees d ON d.id = r.addressee_id GROUP BY 1, 2) a
        JOIN cables c ON c.id = a.cable_id
        GROUP BY 1, 2, 5, 6
        """,
    "correspondence_totals": """
        INSERT INTO correspondence_totals (from_station_id, to_station_id, role, clearance_rank, clearance_caveats,
                                           cables)
        SELECT o.station_id, r.station_id, r.role, c.clearance_rank, c.clearance_caveats, count(*)
        FROM (SELECT DISTINCT r.cable_id, a.station_id, r.role
              FROM recipients r JOIN addressees a ON a.id = r.addressee_id) r
        JOIN cables c ON c.id = r.cable_id LEFT JOIN origins o ON o.id = c.origin_id
        GROUP BY 1, 2, 3, 4, 5
        """,
    # Cables whose highest marked paragraph is above or below the banner, with the clearance of every
    # paragraph (the highest rank, the banner's caveats and every paragraph's). The ranks are counted per
    # cable by a hash first, and only the few cables listed read their paragraphs again (by the primary
    # key) to list those above the banner: grouping every paragraph with its cable's banner sorted them
    # all (251,287 cables: an external sort of 2.5 million rows, 4.2–5.2 s → 2.2–2.6 s).
    "marking_audit": f"""
        INSERT INTO marking_audit (cable_id, banner_rank, top_rank, marked_paragraphs, paragraphs,
                                   paragraphs_above_banner, clearance_rank, clearance_caveats)
        SELECT t.cable_id, c.clearance_rank, t.top_rank, t.marked_paragraphs, t.paragraphs, listed.above_banner,
               t.clearance_rank,
               ARRAY(SELECT DISTINCT caveat FROM unnest(c.clearance_caveats || listed.caveats) caveat ORDER BY caveat)
        FROM (SELECT p.cable_id, max(l.rank) AS top_rank, count(l.rank) AS marked_paragraphs, count(*) AS paragraphs,
                     max(p.clearance_rank) AS clearance_rank
              FROM paragraphs p LEFT JOIN classification_levels l ON l.id = p.classification_level_id
              GROUP BY p.cable_id) t
        JOIN cables c ON c.id = t.cable_id AND t.top_rank <> c.clearance_rank
        CROSS JOIN LATERAL (
            SELECT string_agg({PARAGRAPH_AND_MARKING}, ', ' ORDER BY p.position)
                       FILTER (WHERE l.rank > c.clearance_rank) AS above_banner,
                   string_to_array(string_agg(array_to_string(p.caveats, ','), ',') FILTER (WHERE p.caveats <> '{{}}'),
                                   ',') AS caveats
            FROM paragraphs p LEFT JOIN classification_levels l ON l.id = p.classification_level_id
            WHERE p.cable_id = t.cable_id) listed
        """,
    "tag_totals": """
        INSERT INTO tag_totals (tag_id, year, clearance_rank, clearance_caveats, cables)
        SELECT ct.tag_id, c.year, c.clearance_rank, c.clearance_caveats, count(*)
        FROM (SELECT DISTINCT cable_id, tag_id FROM cable_tags) ct JOIN cables c ON c.id = ct.cable_id
        GROUP BY 1, 2, 3, 4
        """,
    "citation_totals": """
        INSERT INTO citation_totals (cited_canonical_id, cited_cable_id, clearance_rank, clearance_caveats, cables)
        SELECT r.cited_canonical_id, r.cited_cable_id, c.clearance_rank, c.clearance_caveats, count(DISTINCT r.cable_id)
        FROM cable_references r JOIN cables c ON c.id = r.cable_id
        WHERE r.cited_canonical_id IS NOT NULL
        GROUP BY 1, 2, 3, 4
        """,
    "caveat_totals": """
        INSERT INTO caveat_totals (caveat_id, first_created, last_created, clearance_rank, clearance_caveats, cables)
        SELECT cc.caveat_id, min(c.created), max(c.created), c.clearance_rank, c.clearance_caveats, count(*)
        FROM cable_caveats cc JOIN cables c ON c.id = cc.cable_id
        GROUP BY 1, 4, 5
        """,
    "cable_totals": """
        INSERT INTO cable_totals (year, month, origin_id, classification, first_created, last_created,
                                  clearance_rank, clearance_caveats, cables)
        SELECT year, month, origin_id, classification, min(created), max(created), clearance_rank, clearance_caveats,
               count(*)
        FROM cables GROUP BY year, month, origin_id, classification, clearance_rank, clearance_caveats
        """,
}


def refresh(connection: Any, names: Iterable[str] = tuple(SUMMARIES)) -> list[str]:
    """Rebuild the summaries ``names`` (by default every summary the reporting aggregates and the
    reports sum); returns their names.

    ``connection`` is a SQLAlchemy ``Connection`` or ``Session``, or a psycopg connection of the
    database owner (cleared to everything); the rebuild runs in its transaction, which the caller commits.
    (A migration names the summaries it made: those of later revisions do not exist yet.)
    """
    rebuilt = list(names)
    for name in rebuilt:
        _execute(connection, f"DELETE FROM {name}")
        _execute(connection, SUMMARIES[name])
    return rebuilt
