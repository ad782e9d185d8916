"""archive sql: any query, read-only, in every format."""

from __future__ import annotations

import json
from collections.abc import Callable

import psycopg
import pytest

from archive.db.session import libpq_url


def test_sql_prints_rows(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    query = "SELECT reference_id, paragraph_count FROM reporting.cables WHERE origin = 'Embassy Berlin' ORDER BY 1"
    code, output = run("sql", query, "--format", "csv", "--database-url", loaded_database)
    assert code == 0, output
    assert output == ("reference_id,paragraph_count\n08BERLIN1387,12\n09BERLIN1167,9\n09BERLIN1197,13\n10BERLIN128,6\n")


def test_sql_reads_standard_input(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run(
        "sql", "-", "--format", "json", "--database-url", loaded_database, stdin="SELECT count(*) AS n FROM cables"
    )
    assert code == 0, output
    assert json.loads(output) == [{"n": 10}]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "DELETE FROM public.cables",
            "Error: the query tried to write, and queries here are read-only: "
            "cannot execute DELETE in a read-only transaction\n",
        ),
        (
            "UPDATE public.cables SET subject = 'x'",
            "Error: the query tried to write, and queries here are read-only: "
            "cannot execute UPDATE in a read-only transaction\n",
        ),
        ("COMMIT; DROP TABLE cables", "Error: one statement at a time, please: the query holds several\n"),
    ],
)
def test_sql_refuses_writes(loaded_database: str, query: str, error: str, run: Callable[..., tuple[int, str]]) -> None:
    assert run("sql", query, "--database-url", loaded_database) == (1, error)
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        assert connection.execute("SELECT count(*) FROM cables WHERE subject = 'x'").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM cables").fetchone() == (10,)


def test_sql_timeout(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("sql", "SELECT pg_sleep(3)", "--timeout", "0.2", "--database-url", loaded_database)
    assert (code, output) == (1, "Error: the query ran longer than the 0.2 s statement timeout\n")
