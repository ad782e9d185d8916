"""Read-only SQL: results come back, writes and second statements are refused, a timeout stops long queries."""

from __future__ import annotations

import re

import psycopg
import pytest

from archive.db.session import libpq_url
from archive.query import QueryError
from archive.query.readonly import run_readonly


def test_rows_come_back_with_their_columns(loaded_database: str) -> None:
    result = run_readonly(
        "SELECT reference_id, classification FROM reporting.cables WHERE is_noforn ORDER BY 1", url=loaded_database
    )
    assert result.columns == ["reference_id", "classification"]
    assert result.rows == [
        {"reference_id": "08BERLIN1387", "classification": "CONFIDENTIAL//NOFORN"},
        {"reference_id": "09UNVIEVIENNA289", "classification": "SECRET//NOFORN"},
    ]


def test_percent_signs_and_colons_are_sent_as_written(loaded_database: str) -> None:
    result = run_readonly("SELECT '100%' AS share, '12:30' AS time, 'a :b' AS text", url=loaded_database)
    assert result.rows == [{"share": "100%", "time": "12:30", "text": "a :b"}]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("DELETE FROM public.cables", "read-only: cannot execute DELETE in a read-only transaction"),
        ("DROP TABLE public.cables", "read-only: cannot execute DROP TABLE in a read-only transaction"),
        ("CREATE TABLE scratch (a int)", "read-only: cannot execute CREATE TABLE in a read-only transaction"),
        ("SELECT 1; DELETE FROM cables", "one statement at a time"),
        ("COMMIT; DROP TABLE cables", "one statement at a time"),
        ("DO $$ BEGIN COMMIT; DROP TABLE cables; END $$", "permission denied for language plpgsql"),
        (
            "DO $$ BEGIN SET TRANSACTION READ WRITE; DROP TABLE cables; END $$",
            "permission denied for language plpgsql",
        ),
    ],
)
def test_writes_are_refused(loaded_database: str, statement: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        run_readonly(statement, url=loaded_database)
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        assert connection.execute("SELECT count(*) FROM cables").fetchone() == (10,)


def test_a_statement_timeout_stops_long_queries(loaded_database: str) -> None:
    with pytest.raises(QueryError, match=re.escape("ran longer than the 0.2 s statement timeout")):
        run_readonly("SELECT pg_sleep(5)", url=loaded_database, timeout=0.2)


def test_errors_are_one_line(loaded_database: str) -> None:
    with pytest.raises(QueryError, match=r'^relation "no_such_table" does not exist$'):
        run_readonly("SELECT * FROM no_such_table", url=loaded_database)


def test_bound_parameters_must_match_the_sql(loaded_database: str) -> None:
    with pytest.raises(QueryError, match="doesn't define a bound parameter named 'year'"):
        run_readonly("SELECT 1", {"year": 2009}, url=loaded_database)
    with pytest.raises(QueryError, match="the SQL uses :year but no value is given for it"):
        run_readonly("SELECT count(*) FROM reporting.cables WHERE year = :year", {}, url=loaded_database)
    result = run_readonly(
        "SELECT count(*) AS n FROM reporting.cables WHERE year = :year", {"year": 2009}, url=loaded_database
    )
    assert result.rows == [{"n": 5}]
