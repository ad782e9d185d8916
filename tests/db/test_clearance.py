"""Clearance down to the paragraph: readers made by `archive db grant-reader` read only what their clearance covers.

On the loaded sample (``QUERY_SAMPLE``): 05ANKARA3199 is SECRET over C and U paragraphs,
08BERLIN1387 is CONFIDENTIAL//NOFORN with one paragraph marked S/NF above its banner.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.clearance import Clearance
from archive.db.models import Cable
from archive.db.roles import admin_url, grant_reader, reader_password_file, reader_role_name, reader_url
from archive.db.session import libpq_url, make_engine

REPO_ROOT = Path(__file__).resolve().parents[2]

CONFIDENTIAL = Clearance("CONFIDENTIAL")
CONFIDENTIAL_NOFORN = Clearance("CONFIDENTIAL", ("NOFORN",))
RELEASED_IN_PART = "08BERLIN1387"
SECRET_BANNER = "05ANKARA3199"
# Lexemes of the paragraphs a CONFIDENTIAL//NOFORN reader may not read, of cables it may, found in
# no paragraph and no subject it may read.
WITHHELD_WORDS = """
SELECT w.word FROM paragraphs p
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', p.text))) AS w(word)
JOIN cables c ON c.id = p.cable_id
WHERE p.clearance_rank > 4 AND c.clearance_rank <= 4 AND length(w.word) > 4
  AND websearch_to_tsquery('english', w.word)::text = quote_literal(w.word)  -- searching the lexeme finds it
  AND NOT EXISTS (SELECT FROM paragraphs q JOIN cables qc ON qc.id = q.cable_id
                  WHERE q.clearance_rank <= 4 AND qc.clearance_rank <= 4
                    AND to_tsvector('english', q.text) @@ to_tsquery('english', quote_literal(w.word)))
  AND NOT EXISTS (SELECT FROM cables s WHERE to_tsvector('english', coalesce(s.subject, ''))
                  @@ to_tsquery('english', quote_literal(w.word)))
ORDER BY w.word
"""


def _drop(url: str, role: str) -> None:
    with psycopg.connect(libpq_url(admin_url(url)), autocommit=True) as connection:
        connection.execute("DELETE FROM clearances WHERE role_name = %s", (role,))
        if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            connection.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    reader_password_file(url, role=role).unlink(missing_ok=True)


@pytest.fixture
def cleared(loaded_database: str) -> Iterator[Callable[[Clearance], str]]:
    """``cleared(clearance)``: the URL of a new reader cleared to it (one role per test, changed on each call)."""
    role = f"analyst_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield lambda clearance: grant_reader(role, clearance, loaded_database)
    _drop(loaded_database, role)


def rows(url: str, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(url)) as connection:
        return connection.execute(query, params).fetchall()


def reporting_relations(url: str) -> list[str]:
    return [name for (name,) in rows(url, "SELECT viewname FROM pg_views WHERE schemaname = 'reporting' ORDER BY 1")]


def test_a_confidential_reader_reads_no_secret_paragraph_through_any_reporting_view(
    loaded_database: str, cleared: Callable[[Clearance], str]
) -> None:
    url = cleared(CONFIDENTIAL_NOFORN)
    withheld = [text for (text,) in rows(loaded_database, "SELECT text FROM paragraphs WHERE clearance_rank > 4")]
    assert len(withheld) > 10  # the SECRET cables' paragraphs and 08BERLIN1387's S/NF one
    readable = [view for view in reporting_relations(loaded_database) if view != "load_errors"]
    assert len(readable) == 17  # every view but load_errors, which no reader may read
    seen = 0
    for view in readable:
        for row in rows(url, f"SELECT * FROM reporting.{view}"):
            seen += 1
            values = " ".join(str(value) for value in row)
            assert not any(text in values for text in withheld), view
            assert "SECRET" not in values, view
    assert seen > 100
    levels = rows(url, "SELECT DISTINCT level FROM reporting.paragraphs WHERE level IS NOT NULL ORDER BY 1")
    assert levels == [("CONFIDENTIAL",), ("SENSITIVE BUT UNCLASSIFIED",), ("UNCLASSIFIED",)]
    everything = rows(reader_url(loaded_database), "SELECT count(*) FROM reporting.paragraphs WHERE level = 'SECRET'")
    assert everything[0][0] > 0  # the default reader is cleared to everything


def test_reports_count_only_what_the_reader_may_read(
    loaded_database: str, cleared: Callable[[Clearance], str], run: Callable[..., tuple[int, str]]
) -> None:
    url = cleared(CONFIDENTIAL)
    for report in (REPO_ROOT / "archive" / "query" / "reports").glob("*.sql"):
        code, output = run("report", report.stem, "--database-url", url, "--format", "csv")
        assert code == 0, output
        assert "SECRET" not in output and "NOFORN" not in output, report.stem
    by_year = {}
    for who in (url, loaded_database):  # the second: as the default reader
        code, output = run("report", "cables-per-year", "--database-url", who, "--format", "csv")
        by_year[who] = list(csv.DictReader(io.StringIO(output)))
    assert {(row["top_secret"], row["secret"], row["noforn"]) for row in by_year[url]} == {("0", "0", "0")}
    assert sum(int(row["secret"]) for row in by_year[loaded_database]) == 3


@pytest.mark.parametrize("clearance", [CONFIDENTIAL, CONFIDENTIAL_NOFORN], ids=str)
def test_reports_made_fast_give_a_cleared_reader_the_rows_they_gave_before(
    loaded_database: str, cleared: Callable[[Clearance], str], clearance: Clearance
) -> None:
    """The summaries and audit facts the fast reports read (migration 0015) keep row-level security:
    a restricted reader gets what the plain SQL of before (tests/data/reports-before) gives it."""
    from archive.query.reports import get_report, parse_report

    url = cleared(clearance)
    for path in sorted((REPO_ROOT / "tests" / "data" / "reports-before").glob("*.sql")):
        before = parse_report(path.stem, path.read_text(encoding="utf-8"), "before")
        expected = before.run({}, url=url)
        fast = get_report(path.stem).run({"limit": "1000"} if path.stem == "declassification-due" else {}, url=url)
        assert [{column: row[column] for column in expected.columns} for row in fast.rows] == expected.rows, path.stem
    audit = get_report("marking-exceeds-banner")
    assert RELEASED_IN_PART in {row["reference_id"] for row in audit.run(url=loaded_database).rows}
    assert RELEASED_IN_PART not in {row["reference_id"] for row in audit.run(url=url).rows}  # its S/NF paragraph


def test_show_prints_a_released_in_part_view(
    loaded_database: str, cleared: Callable[[Clearance], str], run: Callable[..., tuple[int, str]]
) -> None:
    url = cleared(CONFIDENTIAL_NOFORN)
    code, output = run("show", RELEASED_IN_PART, "--database-url", url)
    assert code == 0, output
    assert "[paragraph withheld: SECRET//NOFORN]" in output
    assert "(S/NF)" not in output
    secret = rows(loaded_database, "SELECT text FROM paragraphs WHERE clearance_rank = 5 AND position = 10")
    assert secret and all(text[:60] not in output for (text,) in secret)
    code, output = run("show", RELEASED_IN_PART, "--database-url", loaded_database)
    assert "(S/NF)" in output and "withheld" not in output
    for who, reference in ((CONFIDENTIAL_NOFORN, SECRET_BANNER), (CONFIDENTIAL, RELEASED_IN_PART)):
        code, output = run("show", reference, "--database-url", cleared(who))
        assert (code, output) == (1, f"Error: no cable '{reference}' in the archive\n")


def test_a_word_only_in_a_withheld_paragraph_is_never_found(
    loaded_database: str, cleared: Callable[[Clearance], str], run: Callable[..., tuple[int, str]]
) -> None:
    words = [word for (word,) in rows(loaded_database, WITHHELD_WORDS)]
    assert words
    url = cleared(CONFIDENTIAL_NOFORN)
    for word in words[:3]:
        code, found = run("search", word, "--database-url", reader_url(loaded_database), "--format", "csv")
        assert code == 0 and RELEASED_IN_PART in found  # the word is there
        code, found = run("search", word, "--database-url", url, "--format", "csv")
        assert code == 0, found
        assert RELEASED_IN_PART not in found and word not in found.lower()
    code, found = run("search", "Bundestag", "--database-url", url, "--format", "csv")
    assert RELEASED_IN_PART in found  # its readable paragraphs are searched, and give snippets


def test_a_reader_without_noforn_sees_no_noforn_paragraph(
    loaded_database: str, cleared: Callable[[Clearance], str], run: Callable[..., tuple[int, str]]
) -> None:
    noforn = "SELECT count(*) FROM reporting.paragraphs WHERE 'NOFORN' = ANY (caveats)"
    url = cleared(Clearance("TOP SECRET"))
    assert rows(url, noforn) == [(0,)]
    assert rows(url, "SELECT count(*) FROM reporting.cables WHERE is_noforn") == [(0,)]
    code, found = run("search", "Merkel", "--database-url", url, "--format", "csv")
    assert code == 0 and "NOFORN" not in found
    url = cleared(Clearance("TOP SECRET", ("NOFORN",)))  # changed by running it again
    assert rows(url, noforn)[0][0] > 0


def test_every_relation_readers_may_read_has_forced_row_security_or_is_a_security_invoker_view(
    loaded_database: str, cleared: Callable[[Clearance], str]
) -> None:
    readers = [make_url(reader_url(loaded_database)).username, make_url(cleared(CONFIDENTIAL)).username]
    granted = rows(
        loaded_database,
        "SELECT r.rolname, c.oid::regclass::text, c.relkind, c.relrowsecurity, c.relforcerowsecurity, "
        "       coalesce('security_invoker=true' = ANY (c.reloptions), false) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r "
        "WHERE r.rolname = ANY (%s) AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "  AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND has_any_column_privilege(r.oid, c.oid, 'SELECT')",
        (readers,),
    )
    assert len(granted) > 2 * 25
    assert [row[:3] for row in granted if row[2] == "m"] == []
    assert [row[:2] for row in granted if row[2] in "rp" and not (row[3] and row[4])] == []
    assert [row[:2] for row in granted if row[2] == "v" and not row[5]] == []
    assert {row[2] for row in granted} == {"r", "v"}


def test_a_cleared_reader_cannot_raise_its_clearance(loaded_database: str, cleared: Callable[[Clearance], str]) -> None:
    url = cleared(CONFIDENTIAL)
    role = make_url(url).username
    attempts = [
        ("UPDATE clearances SET level_rank = 6", "permission denied for table clearances"),
        ("INSERT INTO clearances VALUES ('x', 6, NULL)", "permission denied for table clearances"),
        ("DELETE FROM clearances", "permission denied for table clearances"),
        ("SET ROLE archive_owner", "permission denied to set role"),
        ("SET SESSION AUTHORIZATION archive_owner", "permission denied to set session authorization"),
        ("CREATE FUNCTION public.cleared(smallint, text[]) RETURNS boolean LANGUAGE sql AS 'SELECT true'", "denied"),
        ("SELECT set_config('role', 'archive_owner', false)", "permission denied for function set_config"),
        (f"ALTER ROLE {role} SET archive.clearance = 'TOP SECRET'", "permission denied to set parameter"),
        ("SELECT search_vector FROM public.cables LIMIT 1", "permission denied for table cables"),
        ("SELECT * FROM reporting.search('nuclear')", "permission denied for table cables"),  # whole bodies
        ("SELECT * FROM reporting.ranked_cables('nuclear weapons')", "permission denied for table cables"),
    ]
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute("SET default_transaction_read_only = off")
        for statement, refusal in attempts:
            with pytest.raises(psycopg.Error, match=refusal):
                connection.execute(statement)
        assert connection.execute("SELECT role_name, level_rank FROM clearances").fetchall() == [(role, 4)]
        connection.execute("SET archive.clearance = 'TOP SECRET'")  # a custom setting decides nothing
        assert connection.execute("SELECT count(*) FROM reporting.cables WHERE level = 'SECRET'").fetchone() == (0,)


def test_a_reader_reads_a_cables_text_only_where_it_may_read_every_paragraph(
    loaded_database: str, cleared: Callable[[Clearance], str]
) -> None:
    # Cable.header and Cable.body are the current version's, read under its row-level security (migration 0020).
    query = select(Cable.reference_id, Cable.header, Cable.body, Cable.clearance_rank).order_by(Cable.reference_id)

    def texts(url: str) -> dict[str, tuple[str | None, str | None, int | None]]:
        engine = make_engine(url)  # the library's search_path, as `archive show` reads
        with Session(engine) as session:
            found = {row.reference_id: tuple(row)[1:] for row in session.execute(query)}
        engine.dispose()
        return found

    whole = texts(loaded_database)
    assert all(header is not None and body for header, body, _ in whole.values())
    partly = texts(cleared(CONFIDENTIAL_NOFORN))
    assert partly[RELEASED_IN_PART][:2] == (None, None)  # a paragraph marked S/NF above its banner
    assert SECRET_BANNER not in partly  # the cable itself is withheld
    shown = {reference_id: text for reference_id, text in partly.items() if text[1] is not None}
    assert len(shown) >= 5 and all(text == whole[reference_id] for reference_id, text in shown.items())


def test_grant_reader_is_idempotent_and_refuses_roles_it_did_not_make(
    loaded_database: str, cleared: Callable[[Clearance], str], run: Callable[..., tuple[int, str]]
) -> None:
    first = cleared(CONFIDENTIAL)
    assert cleared(CONFIDENTIAL) == first  # the password is kept
    assert rows(first, "SELECT level_rank, caveats FROM clearances") == [(4, ["FOUO", "REL", "SIPDIS"])]
    cleared(Clearance("SECRET", ("NOFORN",)))
    assert rows(first, "SELECT level_rank, caveats FROM clearances") == [(5, ["FOUO", "NOFORN", "REL", "SIPDIS"])]
    owner = make_url(loaded_database).username or ""
    for name, refusal in (
        (owner, "is a role of its own"),
        (make_url(reader_url(loaded_database)).username or "", "the database's reader"),
        ("Analyst-1", "lower-case letters"),
    ):
        code, output = run("db", "grant-reader", name, "--clearance", "c", "--database-url", loaded_database)
        assert code == 1 and refusal in output and output.count("\n") == 1, output


def test_the_merge_stores_the_clearance_the_migration_derives(loaded_database: str) -> None:
    path = REPO_ROOT / "migrations" / "versions" / "0008_clearance.py"
    spec = importlib.util.spec_from_file_location("clearance_migration", path)
    assert spec and spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    stored = (
        "SELECT c.reference_id, c.clearance_rank, c.paragraph_classifications, "
        "       ARRAY(SELECT DISTINCT unnest(c.clearance_caveats) ORDER BY 1), "
        "       ARRAY(SELECT (p.position, p.clearance_rank, ARRAY(SELECT DISTINCT unnest(p.clearance_caveats) ORDER BY 1))::text "
        "             FROM paragraphs p WHERE p.cable_id = c.id ORDER BY p.position) "
        "FROM cables c ORDER BY 1"
    )
    current_versions = (
        "SELECT v.cable_id, v.clearance_rank, ARRAY(SELECT DISTINCT unnest(v.clearance_caveats) ORDER BY 1) "
        "FROM cable_versions v WHERE v.is_current ORDER BY 1"
    )
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        merged = connection.execute(stored).fetchall(), connection.execute(current_versions).fetchall()
        for statement in migration.BACKFILL:
            connection.execute(statement)
        derived = connection.execute(stored).fetchall(), connection.execute(current_versions).fetchall()
        connection.rollback()
    assert merged == derived
    released_in_part = next(row for row in merged[0] if row[0] == RELEASED_IN_PART)
    assert released_in_part[1] == 4 and released_in_part[2][9] == "SECRET//NOFORN"


def test_the_predicate_says_what_each_role_may_read(loaded_database: str, cleared: Callable[[Clearance], str]) -> None:
    asked = [(4, []), (4, ["SIPDIS", "REL"]), (4, ["NOFORN"]), (5, []), (6, ["NOFORN", "NODIS"])]
    query = "SELECT " + ", ".join(f"reporting.cleared({rank}::smallint, %s::text[])" for rank, _ in asked)
    caveats = tuple(caveats for _, caveats in asked)
    assert rows(cleared(CONFIDENTIAL), query, caveats) == [(True, True, False, False, False)]
    assert rows(cleared(CONFIDENTIAL_NOFORN), query, caveats) == [(True, True, True, False, False)]
    for everything in (reader_url(loaded_database), loaded_database):  # the default reader, the owner
        assert rows(everything, query, caveats) == [(True,) * len(asked)]


def test_a_reader_made_before_the_upgrade_stays_cleared_to_everything(empty_database: str) -> None:
    migrate.upgrade(empty_database, "0007")
    reader = reader_role_name(make_url(empty_database).database or "")
    with psycopg.connect(libpq_url(admin_url(empty_database)), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(reader)))  # as reader-url made it
    migrate.upgrade(empty_database)
    assert rows(empty_database, "SELECT role_name, level_rank, caveats FROM clearances") == [(reader, 6, None)]
    everything = rows(
        empty_database,
        "SELECT count(*) FILTER (WHERE %s::regrole = ANY (polroles)), count(*) FROM pg_policy WHERE polname = 'everything'",
        (reader,),
    )
    assert everything[0][0] == everything[0][1] > 15


# Each aggregate (its summary rebuilt at the end of the load) beside the same counts taken from the reader's
# detail rows: both ways a reader counts only the cables it may read.
AGGREGATES_AND_DETAILS = (
    (
        "SELECT year, level, cables, noforn_cables FROM reporting.cables_by_year",
        "SELECT year, level, count(*), count(*) FILTER (WHERE is_noforn) FROM reporting.cables GROUP BY 1, 2",
    ),
    (
        "SELECT year, month, classification, cables FROM reporting.cables_by_month",
        "SELECT year, month, classification, count(*) FROM reporting.cables GROUP BY 1, 2, 3",
    ),
    (
        "SELECT origin, cables, secret, confidential, noforn FROM reporting.origins_summary",
        "SELECT origin, count(*), count(*) FILTER (WHERE level = 'SECRET'), "
        "count(*) FILTER (WHERE level = 'CONFIDENTIAL'), count(*) FILTER (WHERE is_noforn) "
        "FROM reporting.cables GROUP BY 1",
    ),
    (
        "SELECT tag, year, cables FROM reporting.tags_by_year",
        "SELECT tag, year, count(DISTINCT cable_id) FROM reporting.cable_tags GROUP BY 1, 2",
    ),
    (
        "SELECT from_station_id, to_station_id, role, cables FROM reporting.correspondence",
        "SELECT origin_station_id, station_id, role, count(DISTINCT cable_id) FROM reporting.recipients "
        "GROUP BY 1, 2, 3",
    ),
)


def test_the_aggregates_count_only_what_the_reader_may_read(
    loaded_database: str, cleared: Callable[[Clearance], str]
) -> None:
    url = cleared(CONFIDENTIAL)
    for aggregate, details in AGGREGATES_AND_DETAILS:
        assert sorted(rows(url, aggregate), key=str) == sorted(rows(url, details), key=str), aggregate
    counted = "SELECT sum(cables) FROM reporting.cables_by_year"
    assert rows(url, counted) == [(6,)]  # not the three SECRET cables nor the CONFIDENTIAL//NOFORN one
    assert rows(reader_url(loaded_database), counted) == [(10,)]
