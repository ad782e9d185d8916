"""Reporting benchmark: what a BI tool asks of the reporting schema, as the reader role, on N synthetic cables.

Run (not part of the test suite; the full default size loads 251,287 cables first, about 10 minutes):

    .venv/bin/python benchmarks/reporting.py             # N = 251,287, the whole Cablegate release
    .venv/bin/python benchmarks/reporting.py --n 25000   # a quicker look
    .venv/bin/python benchmarks/reporting.py --queries-on postgresql://…/scale  # queries only, no load

It loads N synthetic cables into a new empty database with `archive load` (the input and the
load are benchmarks/load.py's), connects as the database's read-only role, and times each
query five times after a warm-up run: p50 and p95 (of five, the slowest) against the targets
of issue #12:

- a group-by of ``reporting.cables`` on each label column a BI tool groups or filters on, as
  Superset 6.1 sends it for a table or bar chart (sorted by the count, at its default row limit of
  10,000); and, measured without a target, every distinct TAGS list with its count (nearly a row a
  cable: an export, not a chart);
- cables per month by classification;
- recipients by classification (``reporting.recipients`` joined with ``reporting.cables``);
- the top TAGS of one origin (the busiest);
- ``reporting.search``, top 20 for a two-word query.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from load import (
    Row,
    describe_machine,
    input_arguments,
    latencies,
    print_table,
    run_archive_load,
    scratch_database,
    synthetic_input,
)
from psycopg import sql
from sqlalchemy.engine import make_url

from archive.db.roles import admin_url, reader_password_file, reader_role_name, reader_url
from archive.db.session import database_url, libpq_url

RUNS = 5
LABEL_COLUMNS = (
    "classification",
    "level",
    "caveats",
    "origin",
    "tags",
    "recipient_count",
    "paragraph_count",
    "reference_count",
    "version_count",
    "year",
)
# Superset's default row limit of a chart; it sorts a table or bar chart by its metric.
CHART_ROW_LIMIT = 10_000
TWO_WORD_QUERY = "human rights"
QUERIES: tuple[tuple[str, str, int | None], ...] = (  # (measure, SQL, target p95 in ms; None: no target)
    *(
        (
            f"cables grouped by {column}",
            f"SELECT {column}, count(*) FROM reporting.cables GROUP BY 1 ORDER BY 2 DESC LIMIT {CHART_ROW_LIMIT}",
            300,
        )
        for column in LABEL_COLUMNS
    ),
    ("every distinct TAGS list and its count", "SELECT tags, count(*) FROM reporting.cables GROUP BY 1", None),
    (
        "cables per month by classification",
        "SELECT date_trunc('month', created_date)::date, classification, count(*) FROM reporting.cables GROUP BY 1, 2",
        300,
    ),
    (
        "recipients by classification",
        "SELECT c.classification, count(*) FROM reporting.recipients r "
        "JOIN reporting.cables c ON c.cable_id = r.cable_id GROUP BY 1",
        1000,
    ),
    (
        "top TAGS of the busiest origin",
        "SELECT t.tag, count(*) FROM reporting.cable_tags t JOIN reporting.cables c ON c.cable_id = t.cable_id "
        "WHERE c.origin = %(origin)s GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
        300,
    ),
    (
        f"reporting.search('{TWO_WORD_QUERY}'), top 20",
        "SELECT * FROM reporting.search(%(query)s, 20)",
        300,
    ),
)


@contextmanager
def as_reader(url: str, home: Path | None, *, scratch: bool) -> Iterator[psycopg.Connection]:
    """A connection as the database's read-only role. On a scratch database the role and its kept
    password go afterwards (a role belongs to the server and would outlive the database). ``home``
    keeps its password; None: ARCHIVE_HOME's, as `archive sql` and load.py's reports use."""
    role = sql.Identifier(reader_role_name(make_url(url).database or ""))
    try:
        with psycopg.connect(reader_url(url, home=home), autocommit=True) as connection:
            yield connection
    finally:
        if scratch:
            drop_reader(url, home, role)


def drop_reader(url: str, home: Path | None, role: sql.Identifier) -> None:
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP OWNED BY {}").format(role))
        admin.execute(sql.SQL("DROP ROLE {}").format(role))
    reader_password_file(url, home).unlink(missing_ok=True)


def query_rows(reader: psycopg.Connection) -> list[Row]:
    busiest = reader.execute("SELECT origin FROM reporting.cables GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    parameters = {"origin": busiest.fetchone()[0], "query": TWO_WORD_QUERY}  # type: ignore[index]
    rows = []
    for measure, statement, target in QUERIES:
        sent: list[int] = []  # rows received per run
        p50, p95 = latencies(
            lambda statement=statement, sent=sent: sent.append(len(reader.execute(statement, parameters).fetchall())),
            RUNS,
        )
        rows_sent = f"{max(sent):,} rows"
        verdict = f"target p95 < {target:,} ms: {'ok' if p95 < target else 'over'}" if target else "no target"
        rows.append(Row(measure, f"p50 {p50:,.1f} ms, p95 {p95:,.1f} ms", f"{rows_sent}; {verdict}"))
    return rows


def reader_rows(url: str, home: Path | None, *, scratch: bool) -> list[Row]:
    with as_reader(url, home, scratch=scratch) as reader:
        return [Row("as", reader.info.user, f"p50 and p95 of {RUNS} runs after one warm-up"), *query_rows(reader)]


def benchmark(count: int, work: Path, seed: int = 1) -> list[Row]:
    csv_path = synthetic_input(count, work, seed)
    with scratch_database(database_url()) as url:
        load = run_archive_load(csv_path, url)
        return [
            Row("input", f"{count:,} synthetic cables", f"seed {seed}"),
            Row("archive load, empty database", f"{load.seconds:.1f} s", f"{load.summary['rejected']} rejected"),
            *reader_rows(url, work, scratch=True),
        ]


def main(argv: list[str] | None = None) -> None:
    parser = input_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument(
        "--queries-on",
        metavar="DATABASE_URL",
        help="only measure the queries, on this archive as it is loaded (no load), as its reader role",
    )
    args = parser.parse_args(argv)
    print(describe_machine())
    if args.queries_on:
        print_table(reader_rows(args.queries_on, None, scratch=False))
        return
    print_table(benchmark(args.n, args.work, args.seed))


if __name__ == "__main__":
    main()
