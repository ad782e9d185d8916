"""The reporting schema: documented views and refreshed aggregates (its reader role: tests/db/test_roles.py)."""

from __future__ import annotations

import psycopg

# Aggregates are plain views too (migration 0008): a materialized one would show every reader everything.
VIEWS = [
    "cable_caveats",
    "cable_editions",
    "cable_references",
    "cable_tags",
    "cable_versions",
    "cable_warnings",
    "cables",
    "cables_by_month",
    "cables_by_year",
    "citations",
    "correspondence",
    "freshness",
    "load_errors",
    "origins_summary",
    "paragraphs",
    "recipients",
    "stations",
    "tags_by_year",
]


def test_every_view_and_column_is_documented(sql_connection: psycopg.Connection) -> None:
    relations = sql_connection.execute(
        "SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND c.relkind IN ('v', 'm') "
        "ORDER BY c.relname"
    ).fetchall()
    assert [name for name, kind, _ in relations if kind == "v"] == VIEWS
    assert [name for name, kind, _ in relations if kind == "m"] == []
    assert all(comment for _, _, comment in relations)
    undocumented = sql_connection.execute(
        "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'reporting' AND a.attnum > 0 "
        "AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL"
    ).fetchall()
    assert undocumented == []
    functions = sql_connection.execute(
        "SELECT p.proname, obj_description(p.oid, 'pg_proc') IS NOT NULL FROM pg_proc p "
        "WHERE p.pronamespace = 'reporting'::regnamespace ORDER BY 1"
    ).fetchall()
    assert functions == [
        (name, True)
        for name in (
            "classification_label",
            "cleared",
            "lexeme_limit",
            "portion_marking",
            "ranked_cables",
            "search",
            "search_bound",
            "search_filters",
            "similar_subjects",
        )
    ]


def test_one_row_per_cable_with_labels(sql_connection: psycopg.Connection) -> None:
    row = sql_connection.execute(
        "SELECT reference_id, year, classification, level, level_rank, caveats, origin, tags, "
        "recipient_count, paragraph_count, reference_count, version_count, declassify_on::text "
        "FROM reporting.cables WHERE reference_id = '09STATE53069'"
    ).fetchone()
    # The seed: CONFIDENTIAL, SIPDIS, one TO and seven INFO addressees, seven paragraphs, DECL 2019-05-22.
    assert row == (
        "09STATE53069",
        2009,
        "CONFIDENTIAL",
        "CONFIDENTIAL",
        4,
        ["SIPDIS"],
        "Secretary of State",
        ["KV", "MARR", "NATO", "PGOV", "PREL", "KPKO"],
        8,
        7,
        0,
        1,
        "2019-05-22",
    )
    versions = sql_connection.execute(
        "SELECT version, is_current, source_name LIKE '%avilaroman%' FROM reporting.cable_versions "
        "WHERE reference_id = '07LONDON4045' ORDER BY version"
    ).fetchall()
    assert versions == [(1, False, False), (2, True, True)]  # the re-issue, loaded second, is current


def test_the_aggregates_count_the_loaded_cables(sql_connection: psycopg.Connection) -> None:
    by_year = sql_connection.execute(
        "SELECT year, level, cables, noforn_cables FROM reporting.cables_by_year ORDER BY year, level_rank DESC"
    ).fetchall()
    assert by_year == [
        (2000, "SECRET", 1, 0),
        (2005, "SECRET", 1, 0),
        (2007, "CONFIDENTIAL", 1, 0),
        (2008, "CONFIDENTIAL", 1, 1),
        (2009, "SECRET", 1, 1),
        (2009, "CONFIDENTIAL", 3, 0),
        (2009, "UNCLASSIFIED", 1, 0),
        (2010, "CONFIDENTIAL", 1, 0),
    ]
    cited = sql_connection.execute(
        "SELECT cited_by, is_resolved FROM reporting.citations WHERE cited_canonical_id = '09BERLIN1167'"
    ).fetchone()
    assert cited == (2, True)
