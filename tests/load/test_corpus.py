"""The loader on the real shared corpus: every file, the 44 re-issued cables as versions, an unchanged re-load."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from archive.db.session import libpq_url, temporary_database
from archive.load import LoadSummary, load_paths
from archive.query.filters import CableFilter

pytestmark = pytest.mark.corpus

DEC_2010_MIRRORS = ("chillicoder-cablegate", "gabrielduque-wikileaks-mirror-jp")
REISSUES = "avilaroman-Wikileaks-Mirror"


@pytest.fixture(scope="module")
def corpus_load(corpus_dir: Path, server_url: str, load_template: str) -> Iterator[tuple[str, LoadSummary]]:
    """The whole corpus loaded once into a database of its own."""
    with temporary_database(server_url, f"{load_template}_corpus", load_template) as url:
        yield url, load_paths([str(corpus_dir)], url)


@pytest.fixture
def corpus_sql(corpus_load: tuple[str, LoadSummary]) -> Iterator[psycopg.Connection]:
    with psycopg.connect(libpq_url(corpus_load[0]), autocommit=True) as conn:
        yield conn


def reissued_ids(corpus_dir: Path) -> set[str]:
    """Reference ids with a page in the spring-2011 mirror and in a Dec-2010 one."""
    later = {path.stem for path in (corpus_dir / REISSUES).rglob("*.html")}
    earlier = {path.stem for mirror in DEC_2010_MIRRORS for path in (corpus_dir / mirror).rglob("*.html")}
    return later & earlier


def test_every_input_is_stored_or_kept_aside(
    corpus_load: tuple[str, LoadSummary], corpus_sql: psycopg.Connection
) -> None:
    _, summary = corpus_load
    assert summary.loaded + len(summary.rejected) == summary.documents
    assert corpus_sql.execute("SELECT count(*) FROM sources").fetchone() == (summary.loaded,)
    errors = {row[0] for row in corpus_sql.execute("SELECT name FROM load_errors")}
    assert errors == {problem.name for problem in summary.rejected}
    assert any(name.endswith("SOURCES.md") for name in errors)  # the corpus's read-me is not a cable
    # The only inputs kept aside are the known non-cables, each with its message: the read-me,
    # heuer's expected-subject files and a PDF holding only a routing header.
    assert {Path(name).name for name in errors} == {
        "SOURCES.md", "07BERN881.txt", "08BRASILIA93.txt", "08REYKJAVIK195.txt", "08TRIPOLI220.txt",
        "10STATE284.txt", "00DAMASCUS3013.pdf",
    }  # fmt: skip
    assert all(problem.message for problem in summary.rejected)
    cables = corpus_sql.execute("SELECT count(*) FROM cables").fetchone()[0]
    assert cables >= 2_150  # 2,181 distinct reference ids in the corpus, a few files are not cables
    resolved = corpus_sql.execute("SELECT count(*) FROM cable_references WHERE cited_cable_id IS NOT NULL").fetchone()
    assert resolved[0] > 100


def test_the_44_reissued_cables_keep_both_versions_and_the_latest_release_is_current(
    corpus_dir: Path, corpus_sql: psycopg.Connection
) -> None:
    reissued = reissued_ids(corpus_dir)
    assert len(reissued) == 44
    versions = corpus_sql.execute(
        "SELECT c.reference_id, v.version, v.released, v.is_current, s.name LIKE %s, c.source_id = v.source_id, "
        "octet_length(v.header) + octet_length(v.body), v.text_sha256 "
        "FROM cables c JOIN cable_versions v ON v.cable_id = c.id JOIN sources s ON s.id = v.source_id "
        "WHERE c.reference_id = ANY(%s) ORDER BY c.reference_id, v.version",
        (f"%/{REISSUES}/%", sorted(reissued)),
    ).fetchall()
    by_cable: dict[str, list[tuple]] = {}
    for reference_id, *version in versions:
        by_cable.setdefault(reference_id, []).append(tuple(version))
    assert set(by_cable) == reissued
    reissue_current = 0
    for reference_id, rows in by_cable.items():
        assert len(rows) == 2, reference_id
        # The rule of merge.CHOOSE_CURRENT (neither text here is a truncation of the other): the latest
        # release, then the longer text, then the smaller text sha256.
        latest = min(rows, key=lambda row: (-row[1].timestamp(), -row[5], row[6]))
        assert [row[2] for row in rows] == [row is latest for row in rows], reference_id
        assert [row[4] for row in rows] == [row[2] for row in rows], reference_id  # cables row = current version
        reissue_current += latest[3]
    assert reissue_current >= 30  # most re-issues were released later than the Dec-2010 pages


def test_09saopaulo653_versions_follow_the_release_dates(corpus_sql: psycopg.Connection) -> None:
    versions = corpus_sql.execute(
        "SELECT v.released, v.is_current FROM cable_versions v JOIN cables c ON c.id = v.cable_id "
        "WHERE c.reference_id = '09SAOPAULO653' ORDER BY v.released"
    ).fetchall()
    assert versions == [
        (datetime(2010, 11, 29, 9, 9, tzinfo=UTC), False),
        (datetime(2011, 1, 28, 12, 12, tzinfo=UTC), True),
    ]
    released = corpus_sql.execute("SELECT released FROM cables WHERE reference_id = '09SAOPAULO653'").fetchone()
    assert released == (datetime(2011, 1, 28, 12, 12, tzinfo=UTC),)


def test_reloading_the_corpus_finds_everything_unchanged(
    corpus_dir: Path, corpus_load: tuple[str, LoadSummary], corpus_sql: psycopg.Connection
) -> None:
    url, first = corpus_load
    before = corpus_sql.execute(
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM cable_versions)"
    ).fetchone()

    again = load_paths([str(corpus_dir)], url)

    assert (again.unchanged, again.loaded, again.new_cables, again.new_versions) == (first.loaded, 0, 0, 0)
    assert len(again.rejected) == len(first.rejected)
    after = corpus_sql.execute(
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM cable_versions)"
    ).fetchone()
    assert after == before
    assert corpus_sql.execute("SELECT count(*) FROM load_errors").fetchone() == (len(first.rejected),)


# Every query shape, each ranked with the bound: single words from common to rare, OR queries, a
# NOT, two and three words (all must appear), phrases, and an AND with an exclusion.
BOUNDED_QUERIES = {
    "word": ("government", "embassy", "minister", "security", "economic", "iran", "nuclear"),
    "or": ("police or military", "germany or turkey or brazil", "-government"),
    "two words": ("nuclear weapons", "human rights", "prime minister", "foreign minister", "oil gas"),
    "three words": ("human rights abuses", "security council resolution", "nuclear weapons program"),
    "phrase": ('"prime minister"', '"human rights"', '"security council"', '"foreign minister"'),
    "mixed": ('"human rights" -china', 'president "prime minister"'),
}
# No filter, then each filter: the bound must hold under every one (they narrow every round).
FILTERS = (
    CableFilter(),
    CableFilter(classification="C"),
    CableFilter(since=date(2009, 1, 1)),
    CableFilter(since=date(2008, 1, 1), until=date(2008, 12, 31)),
    CableFilter(tags=("PREL",)),
    CableFilter(origin="Secretary of State"),
)


# The queries the bound must answer on the corpus with no filter: every single word, and the
# pair-scored ones whose words stand together often enough for their top scores to rule out
# long cables (the others are ranked in full after a confined round).
CONFINED = (
    *BOUNDED_QUERIES["word"],
    "human rights",
    "prime minister",
    "foreign minister",
    '"prime minister"',
    '"human rights"',
    '"foreign minister"',
)


@pytest.mark.parametrize("query", [query for queries in BOUNDED_QUERIES.values() for query in queries])
@pytest.mark.parametrize("limit", [20, 3])
def test_bounded_ranking_gives_exactly_the_full_ranking(
    corpus_load: tuple[str, LoadSummary], query: str, limit: int
) -> None:
    # The whole corpus has too few cables for search() to bound its ranking (RANK_ALL_BELOW):
    # force the bound on and compare with ranking every match, scores and order included.
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from archive.query import search

    engine = create_engine(corpus_load[0])
    with Session(engine) as session:
        # reporting.ranked_cables says (at DEBUG) when the bound, not the full ranking, answered.
        confined: list[str] = []
        session.connection().connection.driver_connection.add_notice_handler(  # type: ignore[union-attr]
            lambda notice: confined.append(notice.message_primary or "")
        )
        session.execute(text("SET client_min_messages = debug1"))
        for where in FILTERS:
            confined.clear()
            bounded = search.ranked(session, query, where, limit, rank_all_below=0)
            answered_by_the_bound = any(message.startswith("ranked_cables: confined") for message in confined)
            full = search.ranked(session, query, where, limit, rank_all_below=10**9)
            assert [tuple(row) for row in bounded] == [tuple(row) for row in full], where
            if where == CableFilter():
                assert len(full) == limit
                if query in CONFINED:
                    assert answered_by_the_bound  # so the equality above did not come from ranking everything
    engine.dispose()


def test_a_word_once_in_a_subject_scores_at_most_the_weight_ranked_search_bounds_it_by(
    corpus_sql: psycopg.Connection,
) -> None:
    # Migration 0017: before the length (ts_rank normalisation 0), a word of a term-scored query scores at
    # most 0.7648 when it is once in the subject, 0.4 when only in the body; a subject hit scores 0.61 at least.
    assert corpus_sql.execute(
        "SELECT count(*) FROM cables c WHERE NOT c.subject_repeats AND EXISTS ("
        "SELECT FROM unnest(to_tsvector('english', coalesce(c.subject, ''))) s WHERE cardinality(s.positions) > 1)"
    ).fetchone() == (0,)
    for word in BOUNDED_QUERIES["word"]:
        once, body = corpus_sql.execute(
            "SELECT max(ts_rank(c.search_vector, q, 0)) FILTER (WHERE to_tsvector('english', coalesce(c.subject, '')) "
            "@@ q AND NOT c.subject_repeats), max(ts_rank(c.search_vector, q, 0)) FILTER (WHERE NOT "
            "to_tsvector('english', coalesce(c.subject, '')) @@ q) "
            "FROM cables c, websearch_to_tsquery('english', %s) q WHERE c.search_vector @@ q",
            (word,),
        ).fetchone()
        assert 0.61 < once <= 0.7648 and 0.2 < body <= 0.4, word


@pytest.mark.parametrize("query", ["goverment", "westerwele", "nucleer wepons", "secruity councel", "Embasy Berln"])
def test_the_trigram_fallback_from_a_high_threshold_gives_the_same_subjects(
    corpus_load: tuple[str, LoadSummary], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from archive.query import search

    engine = create_engine(corpus_load[0])
    with Session(engine) as session:
        for where in FILTERS:  # the selective ones go to the floor at once (migration 0021), the others step
            for limit in (20, 3):
                stepped = search.similar_subjects(session, query, where, limit)
                with monkeypatch.context() as only_the_floor:
                    only_the_floor.setattr(search, "SIMILARITY_STEPS", ())
                    assert [tuple(row) for row in stepped] == [
                        tuple(row) for row in search.similar_subjects(session, query, where, limit)
                    ]
    engine.dispose()


# The built-in reports made fast at scale (issue #14), each against the plain SQL it had before,
# kept in tests/data/reports-before/: same rows, same order. A report that gained a limit
# (declassification-due: nearly every cable is overdue) is compared with a limit above every row,
# on the columns it had; the column it gained (the total) is checked apart.
REPORTS_BEFORE = Path(__file__).resolve().parents[1] / "data" / "reports-before"
UNLIMITED = "1000000"


def run_as_before(report: str, params: dict[str, str], url: str) -> tuple[list[dict], list[dict]]:
    """The rows of the report ``report`` as it is and as it was, with ``params`` (those each takes)."""
    from archive.query.reports import get_report, parse_report

    fast = get_report(report)
    before = parse_report(report, (REPORTS_BEFORE / f"{report}.sql").read_text(encoding="utf-8"), "before")
    takes = {name: {p.name for p in each.parameters} for name, each in (("fast", fast), ("before", before))}
    given = {name: {k: v for k, v in params.items() if k in takes[name]} for name in takes}
    if "limit" in takes["fast"] - takes["before"]:
        given["fast"]["limit"] = UNLIMITED
    expected = before.run(given["before"], url=url)
    rows = fast.run(given["fast"], url=url).rows
    return [{column: row[column] for column in expected.columns} for row in rows], expected.rows


@pytest.mark.parametrize("report", sorted(path.stem for path in REPORTS_BEFORE.glob("*.sql")))
def test_a_report_made_fast_gives_the_rows_it_gave_before(corpus_load: tuple[str, LoadSummary], report: str) -> None:
    for params in ({}, {"limit": "1000"}, {"as_of": "2015-06-30"}, {"origin": "state", "limit": "1000"}):
        rows, expected = run_as_before(report, params, corpus_load[0])
        assert expected  # the corpus has rows for each of them: the comparison is not empty
        assert rows == expected


def test_declassification_due_lists_the_longest_overdue_and_counts_them_all(
    corpus_load: tuple[str, LoadSummary],
) -> None:
    from archive.query.reports import get_report

    report = get_report("declassification-due")
    every = report.run({"limit": UNLIMITED}, url=corpus_load[0]).rows
    assert len(every) > 1000  # nearly every cable of the corpus is overdue
    assert {row["overdue_cables"] for row in every} == {len(every)}
    assert report.run({}, url=corpus_load[0]).rows == every[:100]


def test_a_similar_subjects_snippet_is_the_one_its_whole_text_gives(corpus_load: tuple[str, LoadSummary]) -> None:
    # search() gives a similar subject's snippet from the opening of its text (OPENING_CHARACTERS, cut at
    # whitespace): with no query word to find, ts_headline shows the text's first words, the same from either.
    from sqlalchemy import create_engine, func, literal, not_, select
    from sqlalchemy.orm import Session

    from archive.db.models import TEXT_SEARCH_CONFIG, Cable, CableVersion
    from archive.query import search

    engine = create_engine(corpus_load[0])
    options = literal(search.headline_options(search.HIGHLIGHT, 2))
    with Session(engine) as session:
        hits = [
            (query, hit)
            for query in ("goverment", "westerwele", "Embasy Berln", "nucleer wepons", "secruity councel")
            for hit in search.search(session, query)
            if hit.match == search.MATCH_SIMILAR_SUBJECT
        ]
        assert any(len(hit.cable.body) > search.OPENING_CHARACTERS for _, hit in hits)
        for query, hit in hits:
            tsquery = func.websearch_to_tsquery(TEXT_SEARCH_CONFIG, query)
            whole = session.scalar(
                select(func.ts_headline(TEXT_SEARCH_CONFIG, Cable.body, tsquery, options)).where(
                    Cable.id == hit.cable.id
                )
            )
            assert hit.snippet == search.one_line(whole), (query, hit.cable.reference_id)
        # And the same for the current text of every cable of the corpus that does not hold the word.
        tsquery = func.websearch_to_tsquery(TEXT_SEARCH_CONFIG, "goverment")
        text = CableVersion.body
        current = select(Cable.reference_id).join(
            CableVersion, (CableVersion.cable_id == Cable.id) & CableVersion.is_current
        )
        differing = session.scalars(
            current.where(
                not_(Cable.search_vector.bool_op("@@")(tsquery)),
                func.ts_headline(TEXT_SEARCH_CONFIG, text, tsquery, options)
                != func.ts_headline(TEXT_SEARCH_CONFIG, search.opening(text), tsquery, options),
            )
        ).all()
        assert differing == []
        cut = session.scalars(current.where(func.length(text) > search.OPENING_CHARACTERS)).all()
        assert len(cut) > 1000
    engine.dispose()
