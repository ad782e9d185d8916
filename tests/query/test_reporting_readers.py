"""What the reporting schema gives a reader role: ranked search, per-cable warnings, freshness, dated aggregates.

On the loaded sample of real cables (``QUERY_SAMPLE``); the search function is held to
``archive.query.search``, which owns the query syntax and the ranking.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session

from archive.db.migrate import head_revision
from archive.db.reporting import refresh
from archive.db.session import libpq_url
from archive.load import load_paths
from archive.load.merge import FINISHED
from archive.query.search import search

WARNED = [
    "chillicoder-cablegate/cable/2009/01/09LAPAZ96.html",
    "chillicoder-cablegate/cable/2008/07/08LONDON1991.html",
    "avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html",
    "heuer-cablemap/data-subject/in/07BERN881.html",
]
NO_DTG = "no date-time group in the text: creation time taken from the publisher, to the hour"
# Syntax and ranking cases: words in subject and body, a phrase with an exclusion, or, a common
# word, and misspellings that only the similar-subject fallback finds (and one nothing finds).
QUERIES = [
    "data privacy",
    '"data privacy" -westerwelle',
    "deterrent presence",
    "ankara or berlin",
    "government",
    "deterent presense",
    "guidanse",
    "zzqx",
]


@pytest.fixture
def owner_connection(loaded_database: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        yield connection


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_archive_search_finds_in_the_same_order(
    query: str, sample_session: Session, owner_connection: psycopg.Connection
) -> None:
    rows = owner_connection.execute(
        "SELECT reference_id, created_date, rank, snippet, match FROM reporting.search(%s)", (query,)
    ).fetchall()
    hits = search(sample_session, query)
    assert [row[0] for row in rows] == [hit.cable.reference_id for hit in hits]
    for (_, created, rank, snippet, match), hit in zip(rows, hits, strict=True):
        assert created == (hit.cable.created.date() if hit.cable.created else None)
        assert rank == pytest.approx(hit.score, rel=1e-6)
        assert snippet == hit.snippet
        assert match == hit.match


def test_search_as_the_reader_ranks_subject_hits_first_and_keeps_to_max_results(
    reader_connection: psycopg.Connection,
) -> None:
    rows = reader_connection.execute(
        "SELECT cable_id IS NOT NULL, reference_id, created_date, subject, match FROM search('data privacy')"
    ).fetchall()
    assert rows == [
        (
            True,
            "10BERLIN128",
            date(2010, 1, 29),
            "ACTION REQUEST: OVERCOMING GERMAN DOUBTS ON U.S. DATA PRIVACY PRACTICES",
            "text",
        ),
        (
            True,
            "09BERLIN1167",
            date(2009, 9, 21),
            "DATA PRIVACY TRUMPS SECURITY: IMPLICATIONS OF A FDP VICTORY ON COUNTERTERRORISM COOPERATION",
            "text",
        ),
        (
            True,
            "09BERLIN1197",
            date(2009, 9, 28),
            "WESTERWELLE'S SURGE CLINCHES BLACK-YELLOW IN GERMANY; MERKEL GAINS SECOND TERM",
            "text",
        ),
    ]
    snippet = reader_connection.execute("SELECT snippet FROM search('data privacy', 1)").fetchall()
    assert len(snippet) == 1 and "«data» «privacy»" in snippet[0][0]


def test_cable_warnings_one_row_per_warning(empty_database: str, examples_dir: Path) -> None:
    # Examples the parser kept warnings on: no banner, a guessed date, irregular numbering, a disagreement.
    summary = load_paths([str(examples_dir / "cables" / path) for path in WARNED], empty_database, workers=1)
    assert not summary.rejected, summary.rejected
    with psycopg.connect(libpq_url(empty_database)) as connection:
        rows = connection.execute(
            "SELECT reference_id, position, warning, created_date FROM reporting.cable_warnings "
            "ORDER BY reference_id, position"
        ).fetchall()
        counted = connection.execute("SELECT cables, cables_with_warnings FROM reporting.freshness").fetchone()
    assert rows == [
        ("03COLOMBO2200", 1, NO_DTG, date(2003, 12, 31)),
        ("03COLOMBO2200", 2, "canonical id taken from the published reference id", date(2003, 12, 31)),
        ("07BERN881", 1, "irregular paragraph numbering: 1 after 4", date(2007, 9, 11)),
        (
            "08LONDON1991",
            1,
            "published classification CONFIDENTIAL//NOFORN differs from CONFIDENTIAL",
            date(2008, 7, 31),
        ),
        ("09LAPAZ96", 1, "no classification banner found", date(2009, 1, 23)),
        ("09LAPAZ96", 2, "classification taken from the highest portion mark", date(2009, 1, 23)),
        ("09LAPAZ96", 3, "no banner: station from the FM line, serial from the DE line", date(2009, 1, 23)),
    ]
    assert counted == (4, 4)


def test_freshness_says_when_and_how_much(reader_connection: psycopg.Connection) -> None:
    row = reader_connection.execute(
        "SELECT cables, cable_versions, sources, cables_with_warnings, first_created::date, last_created::date, "
        "schema_revision, aggregates_refreshed_at >= last_loaded_at FROM freshness"
    ).fetchall()
    # Eleven inputs, one of them a re-issue of 07LONDON4045: ten cables, eleven versions; none warned about.
    assert row == [(10, 11, 11, 0, date(2000, 12, 11), date(2010, 1, 29), head_revision(), True)]
    (refreshed,) = reader_connection.execute(
        "SELECT done_at FROM public.load_state WHERE name = %s", (FINISHED,)
    ).fetchone()  # type: ignore[misc]
    assert reader_connection.execute("SELECT aggregates_refreshed_at FROM freshness").fetchone() == (refreshed,)


def test_yearly_and_monthly_aggregates_start_their_period_on_its_first_day(
    reader_connection: psycopg.Connection,
) -> None:
    by_year = reader_connection.execute(
        "SELECT period_start, level, cables FROM cables_by_year ORDER BY period_start, level_rank DESC"
    ).fetchall()
    assert by_year == [
        (date(2000, 1, 1), "SECRET", 1),
        (date(2005, 1, 1), "SECRET", 1),
        (date(2007, 1, 1), "CONFIDENTIAL", 1),
        (date(2008, 1, 1), "CONFIDENTIAL", 1),
        (date(2009, 1, 1), "SECRET", 1),
        (date(2009, 1, 1), "CONFIDENTIAL", 3),
        (date(2009, 1, 1), "UNCLASSIFIED", 1),
        (date(2010, 1, 1), "CONFIDENTIAL", 1),
    ]
    tags = reader_connection.execute(
        "SELECT period_start, cables FROM tags_by_year WHERE tag = 'PREL' ORDER BY period_start"
    ).fetchall()
    assert tags == [
        (date(2005, 1, 1), 1),
        (date(2007, 1, 1), 1),
        (date(2008, 1, 1), 1),
        (date(2009, 1, 1), 5),
        (date(2010, 1, 1), 1),
    ]
    # A date, so that a BI tool puts it on a time axis (an integer year with a NULL reads as NaN there).
    types = reader_connection.execute(
        "SELECT c.relname, format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum) IS NOT NULL "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "WHERE c.relnamespace = 'reporting'::regnamespace AND a.attname = 'period_start' ORDER BY 1"
    ).fetchall()
    assert types == [
        ("cables_by_month", "date", True),
        ("cables_by_year", "date", True),
        ("tags_by_year", "date", True),
    ]
    months = reader_connection.execute(
        "SELECT period_start, sum(cables)::integer FROM cables_by_month WHERE year = 2009 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # 2009: 09USOSCE86 in April, 09STATE53069 in May, 09UNVIEVIENNA289 in June, the two Berlin cables in September.
    assert months == [(date(2009, 4, 1), 1), (date(2009, 5, 1), 1), (date(2009, 6, 1), 1), (date(2009, 9, 1), 2)]


def test_an_unknown_year_has_no_period_start(owner_connection: psycopg.Connection) -> None:
    with owner_connection.transaction(force_rollback=True):
        owner_connection.execute("UPDATE public.cables SET created = NULL WHERE reference_id = '09STATE53069'")
        refresh(owner_connection)
        unknown = owner_connection.execute(
            "SELECT year, period_start, cables FROM reporting.cables_by_year WHERE year IS NULL OR period_start IS NULL"
        ).fetchall()
        assert unknown == [(None, None, 1)]
        tags = owner_connection.execute(
            "SELECT tag FROM reporting.tags_by_year WHERE period_start IS NULL ORDER BY tag"
        ).fetchall()
        assert tags == [("KPKO",), ("KV",), ("MARR",), ("NATO",), ("PGOV",), ("PREL",)]


def test_the_reader_runs_every_view_aggregate_and_function_of_the_schema(
    reader_connection: psycopg.Connection,
) -> None:
    relations = [
        name
        for (name,) in reader_connection.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'reporting'::regnamespace "
            "AND c.relkind IN ('v', 'm') AND has_table_privilege(c.oid, 'SELECT') ORDER BY 1"
        )
    ]
    assert {"cable_warnings", "freshness", "cables_by_year", "cables"} <= set(relations)
    assert "load_errors" not in relations  # it reads load_errors with the reader's rights (docs/security.md)
    for name in relations:
        reader_connection.execute(f'SELECT * FROM reporting."{name}" LIMIT 1').fetchall()
    functions = reader_connection.execute(
        "SELECT p.oid::regprocedure::text, p.prosecdef FROM pg_proc p "
        "WHERE p.pronamespace = 'reporting'::regnamespace ORDER BY 1"
    ).fetchall()
    assert functions == [
        ("classification_label(text,text[])", False),
        ("cleared(smallint,text[])", False),
        ("lexeme_limit(double precision,double precision)", False),
        ("portion_marking(text,text[])", False),
        (
            "ranked_cables(text,integer,timestamp with time zone,timestamp with time zone,bigint[],text[],"
            "smallint,integer)",
            False,
        ),
        ("search(text,integer)", False),
        ("search_bound(tsquery)", False),
        (
            "search_filters(timestamp with time zone,timestamp with time zone,bigint[],text[],smallint)",
            False,
        ),
        (
            "similar_subjects(text,integer,timestamp with time zone,timestamp with time zone,bigint[],text[],"
            "smallint,real[])",
            False,
        ),
    ]
    assert reader_connection.execute("SELECT count(*) FROM reporting.search('berlin')").fetchone() == (4,)


def test_load_state_the_reader_reads_is_under_forced_row_security(reader_connection: psycopg.Connection) -> None:
    rls = reader_connection.execute(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'public.load_state'::regclass"
    ).fetchone()
    assert rls == (True, True)
    assert reader_connection.execute("SELECT name FROM public.load_state").fetchall() == [(FINISHED,)]
