"""The loader on hand-made Documents and Cables (so these tests do not depend on the parser):
rows, idempotence, quarantine, resume, versions, references; and its parse workers, which only the
default parser runs in, on examples/."""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from archive.cable import (
    Cable,
    Document,
    InputError,
    Paragraph,
    PublisherMetadata,
    Recipient,
    Reference,
    Rejection,
    Tag,
)
from archive.db import models, reporting
from archive.db.input_bytes import unpack
from archive.load import LoadAborted, indexes, load_items, load_paths, merge, staging

TABLES = (
    "sources",
    "cables",
    "cable_versions",
    "cable_version_sources",
    "recipients",
    "cable_tags",
    "cable_references",
    "paragraphs",
    "cable_caveats",
    "load_errors",
)


def document(name: str, text: str, released: datetime | None = None, raw: bytes | None = None) -> Document:
    metadata = PublisherMetadata(released=released) if released else None
    return Document(name=name, location=None, format="text", raw=raw or text.encode(), text=text, metadata=metadata)


def cable_from_text(document: Document) -> Cable:
    """A tiny stand-in parser: ``ID|SUBJECT|CITED,CITED|PARAGRAPH;PARAGRAPH`` (raises InputError otherwise)."""
    fields = document.text.split("|")
    if len(fields) != 4:
        raise InputError("not a test cable: expected ID|SUBJECT|REFS|PARAGRAPHS", line=1)
    reference_id, subject, refs, paragraphs = fields
    return Cable(
        reference_id=reference_id,
        canonical_id=reference_id,
        created=datetime(2009, 5, 23, 0, 19, tzinfo=UTC),
        level="CONFIDENTIAL",
        caveats=("SIPDIS", "NOFORN"),
        origin="Secretary of State",
        station="SECSTATE WASHDC",
        subject=subject,
        header="O 230019Z MAY 09\nFM SECSTATE WASHDC",
        body=document.text,
        recipients=(
            Recipient("TO", "USMISSION USNATO", "RUEHNO", "IMMEDIATE"),
            Recipient("INFO", "NATO EU COLLECTIVE", None, "IMMEDIATE"),
        ),
        tags=(Tag("KV", "country"), Tag("PREL", "subject")),
        references=tuple(
            Reference(chr(ord("A") + i), "cable", cited, cited) for i, cited in enumerate(refs.split(",")) if cited
        ),
        paragraphs=tuple(
            Paragraph(i, f"{i}.", "C", "CONFIDENTIAL", (), text)
            for i, text in enumerate(paragraphs.split(";"), start=1)
        ),
        reasons=("1.4(b)", "1.4(d)"),
        signers=("CLINTON",),
        metadata=document.metadata,
    )


def counts(sql: psycopg.Connection) -> dict[str, int]:
    return {table: sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def load(url: str, items: list[Document | Rejection], **options: object):  # type: ignore[no-untyped-def]
    return load_items(items, url, parser=cable_from_text, **options)  # type: ignore[arg-type]


def test_a_cable_is_stored_with_all_its_rows(fresh_database: str, sql: psycopg.Connection) -> None:
    summary = load(fresh_database, [document("a.txt", "09STATE1|Deterrent presence|09STATE2|first;second")])

    assert (summary.loaded, summary.new_cables, summary.unchanged, summary.rejected) == (1, 1, 0, [])
    row = sql.execute(
        "SELECT c.reference_id, l.name, o.name, c.subject, c.reasons, c.signers, s.raw, s.raw_encoding, s.name "
        "FROM cables c JOIN classification_levels l ON l.id = c.classification_level_id "
        "JOIN origins o ON o.id = c.origin_id JOIN sources s ON s.id = c.source_id"
    ).fetchone()
    assert row is not None
    assert (*row[:6], unpack(row[6], row[7]), row[8]) == (
        "09STATE1",
        "CONFIDENTIAL",
        "Secretary of State",
        "Deterrent presence",
        ["1.4(b)", "1.4(d)"],
        ["CLINTON"],
        b"09STATE1|Deterrent presence|09STATE2|first;second",
        "a.txt",
    )
    recipients = sql.execute(
        "SELECT r.position, r.role, a.name, a.routing, r.precedence FROM recipients r "
        "JOIN addressees a ON a.id = r.addressee_id ORDER BY r.position"
    ).fetchall()
    assert recipients == [
        (1, "TO", "USMISSION USNATO", "RUEHNO", "IMMEDIATE"),
        (2, "INFO", "NATO EU COLLECTIVE", None, "IMMEDIATE"),
    ]
    tags = sql.execute("SELECT t.code, t.kind FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id ORDER BY position")
    assert tags.fetchall() == [("KV", "country"), ("PREL", "subject")]
    caveats = sql.execute("SELECT v.name FROM cable_caveats c JOIN caveats v ON v.id = c.caveat_id ORDER BY 1")
    assert caveats.fetchall() == [("NOFORN",), ("SIPDIS",)]
    paragraphs = sql.execute("SELECT position, number, marking, text FROM paragraphs ORDER BY position").fetchall()
    assert paragraphs == [(1, 1, "C", "first"), (2, 2, "C", "second")]
    found = sql.execute(
        "SELECT reference_id FROM cables WHERE search_vector @@ websearch_to_tsquery('english', 'deterrents')"
    )
    assert found.fetchall() == [("09STATE1",)]
    version = sql.execute("SELECT version, is_current, octet_length(text_sha256) FROM cable_versions").fetchone()
    assert version == (1, True, 32)


def test_a_long_body_is_stored_once_compressed_and_reads_back_whole(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    text = "09STATE1|Compressed|09STATE2|" + ";".join(f"paragraph {n} of the same few words" for n in range(400))
    load(fresh_database, [document("a.txt", text), document("b.txt", "09STATE3|Short|09STATE4|one")])

    stored = sql.execute(
        "SELECT c.reference_id, v.body, pg_column_compression(v.body) "
        "FROM cables c JOIN cable_versions v ON v.cable_id = c.id ORDER BY 1"
    ).fetchall()
    # Compressed in staging and carried into the version; a body too short to leave the row is kept as it is.
    assert stored == [("09STATE1", text, "pglz"), ("09STATE3", "09STATE3|Short|09STATE4|one", None)]
    with Session(create_engine(fresh_database)) as session:  # the cable's text is its current version's
        texts = select(models.Cable.reference_id, models.Cable.body).order_by(models.Cable.reference_id)
        assert [tuple(row) for row in session.execute(texts)] == [row[:2] for row in stored]


def test_reloading_the_same_bytes_changes_nothing(fresh_database: str, sql: psycopg.Connection) -> None:
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE{n + 1}|text") for n in range(1, 8)]
    load(fresh_database, inputs, batch_size=3)
    before = counts(sql)

    again = load(fresh_database, inputs, batch_size=3)

    assert (again.unchanged, again.loaded, again.new_cables, again.new_versions) == (7, 0, 0, 0)
    assert counts(sql) == before


def test_bad_inputs_are_quarantined_and_the_good_ones_load(fresh_database: str, sql: psycopg.Connection) -> None:
    rejection = Rejection(
        name="cables.csv",
        location="record 3 (line 9)",
        format="csv",
        raw=b'"3","x',
        message="a quoted field is never closed",
    )
    inputs: list[Document | Rejection] = [
        document("good1.txt", "09STATE1|One||a"),
        document("empty.txt", ""),
        rejection,
        document("good2.txt", "09STATE2|Two||b"),
    ]
    summary = load(fresh_database, inputs)

    assert summary.new_cables == 2
    assert [str(problem) for problem in summary.rejected] == [
        "empty.txt line 1: not a test cable: expected ID|SUBJECT|REFS|PARAGRAPHS",
        "cables.csv:record 3 (line 9): a quoted field is never closed",
    ]
    errors = sql.execute(
        "SELECT name, location, format, message, raw, sha256 FROM load_errors ORDER BY name"
    ).fetchall()
    assert errors == [
        (
            "cables.csv",
            "record 3 (line 9)",
            "csv",
            "a quoted field is never closed",
            b'"3","x',
            staging.sha256_of(b'"3","x'),
        ),
        (
            "empty.txt",
            None,
            "text",
            "line 1: not a test cable: expected ID|SUBJECT|REFS|PARAGRAPHS",
            b"",
            staging.sha256_of(b""),
        ),
    ]

    again = load(fresh_database, inputs)
    assert len(again.rejected) == 2
    assert sql.execute("SELECT count(*) FROM load_errors").fetchone() == (2,)


def test_a_parsed_cable_the_schema_cannot_hold_is_quarantined(fresh_database: str, sql: psycopg.Connection) -> None:
    summary = load(
        fresh_database, [document("long.txt", f"{'X' * 2000}|Long id||a"), document("ok.txt", "09STATE3|Fine||a")]
    )

    assert summary.new_cables == 1
    assert [problem.message for problem in summary.rejected] == [
        "the parsed cable cannot be stored: reference id longer than 1000 characters; "
        "canonical id longer than 1000 characters"
    ]


def test_a_batch_the_database_refuses_is_split_until_the_culprit_is_found(
    fresh_database: str, sql: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "_check", lambda rows: None)  # let an unindexable id reach the database
    inputs = [document(f"{n}.txt", f"09STATE{n}|Fine||a") for n in range(1, 6)]
    incompressible = "".join(staging.sha256_of(bytes([n])).hex() for n in range(150))  # 9,600 characters
    inputs.insert(2, document("huge.txt", f"{incompressible}|Huge id||a"))

    summary = load(fresh_database, inputs)

    assert summary.new_cables == 5
    assert len(summary.rejected) == 1
    assert summary.rejected[0].name == "huge.txt"
    assert summary.rejected[0].message.startswith("the database refused the parsed cable: index row")
    assert sql.execute("SELECT name FROM load_errors").fetchall() == [("huge.txt",)]


def test_an_interrupted_load_keeps_its_batches_and_a_rerun_finishes_without_duplicates(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE{n % 9 + 1}|p1;p2") for n in range(1, 10)]

    def crashing(doc: Document):  # type: ignore[no-untyped-def]
        if doc.name == "7.txt":  # stop the load (Ctrl-C) once the writers have committed something
            deadline = time.monotonic() + 10
            while sql.execute("SELECT count(*) FROM cables").fetchone() == (0,) and time.monotonic() < deadline:
                time.sleep(0.05)
            raise KeyboardInterrupt  # an exception would only reject 7.txt
        return cable_from_text(doc)

    with pytest.raises(KeyboardInterrupt):
        load_items(inputs, fresh_database, parser=crashing, batch_size=2)
    kept = sql.execute("SELECT count(*) FROM cables").fetchone()[0]
    assert 0 < kept < 9

    rerun = load(fresh_database, inputs, batch_size=2)

    assert rerun.unchanged == kept
    assert rerun.new_cables == 9 - kept
    assert counts(sql) == {
        "sources": 9,
        "cables": 9,
        "cable_versions": 9,
        "cable_version_sources": 9,
        "recipients": 18,
        "cable_tags": 18,
        "cable_references": 9,
        "paragraphs": 18,
        "cable_caveats": 18,
        "load_errors": 0,
    }
    unresolved = sql.execute("SELECT count(*) FROM cable_references WHERE cited_cable_id IS NULL").fetchone()
    assert unresolved == (0,)
    indexes = {row[0] for row in sql.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cables'")}
    assert {"ix_cables_search_vector", "ix_cables_subject_trgm", "ix_cables_created"} <= indexes


def unresolved(sql: psycopg.Connection) -> int:
    return sql.execute("SELECT count(*) FROM cable_references WHERE cited_cable_id IS NULL").fetchone()[0]


def test_an_unchanged_reload_skips_references_and_reporting(fresh_database: str, sql: psycopg.Connection) -> None:
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE{n % 3 + 1}|p") for n in range(1, 4)]
    load(fresh_database, inputs)
    assert sql.execute("SELECT name FROM load_state").fetchall() == [("references_and_reporting",)]
    # Undo a resolution behind the loader's back: only a load that resolves would redo it.
    sql.execute("UPDATE cable_references SET cited_cable_id = NULL")

    load(fresh_database, inputs)
    assert unresolved(sql) == 3  # skipped: nothing was stored since references were last resolved

    load(fresh_database, [*inputs, document("4.txt", "09STATE4|New|09STATE1|p")])
    assert unresolved(sql) == 0  # a new source clears the marker: the load resolves again


def test_a_reload_after_a_load_killed_before_its_end_still_resolves_and_refreshes(
    fresh_database: str, sql: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE{n % 3 + 1}|p") for n in range(1, 4)]
    load(fresh_database, inputs)

    def killed(connection: psycopg.Connection) -> int:
        raise RuntimeError("killed while resolving references")

    more = [*inputs, document("4.txt", "09STATE4|New|09STATE1|p")]
    with monkeypatch.context() as patch:
        patch.setattr(merge, "resolve_references", killed)
        with pytest.raises(RuntimeError, match="killed"):
            load(fresh_database, more)
    assert sql.execute("SELECT count(*) FROM load_state").fetchone() == (0,)
    sql.execute("UPDATE cable_references SET cited_cable_id = NULL")

    rerun = load(fresh_database, more)

    assert (rerun.unchanged, rerun.loaded) == (4, 0)
    assert unresolved(sql) == 0
    assert sql.execute("SELECT name FROM load_state").fetchall() == [("references_and_reporting",)]


NOV_2010 = datetime(2010, 11, 29, 9, 9, tzinfo=UTC)
JAN_2011 = datetime(2011, 1, 28, 12, 12, tzinfo=UTC)


@pytest.mark.parametrize("newer_first", [False, True])
def test_the_latest_release_is_the_current_version_whatever_the_load_order(
    fresh_database: str, sql: psycopg.Connection, newer_first: bool
) -> None:
    first = document("dec2010/09SAOPAULO653.html", "09SAOPAULO653|Scenesetter||old one;old two", NOV_2010)
    reissue = document("spring2011/09SAOPAULO653.html", "09SAOPAULO653|Scenesetter, revised||new one", JAN_2011)
    order = [reissue, first] if newer_first else [first, reissue]

    first_summary = load(fresh_database, [order[0]])
    second_summary = load(fresh_database, [order[1]])

    assert (first_summary.new_cables, second_summary.new_versions) == (1, 1)
    versions = sql.execute(
        "SELECT v.version, v.is_current, v.released, s.name FROM cable_versions v "
        "JOIN sources s ON s.id = v.source_id ORDER BY v.version"
    ).fetchall()
    names = [order[0].name, order[1].name]
    assert versions == [
        (1, order[0] is reissue, order[0].metadata.released, names[0]),
        (2, order[1] is reissue, order[1].metadata.released, names[1]),
    ]
    cable = sql.execute(
        "SELECT subject, released, (SELECT name FROM sources WHERE id = source_id) FROM cables"
    ).fetchone()
    assert cable == ("Scenesetter, revised", JAN_2011, "spring2011/09SAOPAULO653.html")
    assert sql.execute("SELECT text FROM paragraphs ORDER BY position").fetchall() == [("new one",)]


def test_two_versions_in_one_batch(fresh_database: str, sql: psycopg.Connection) -> None:
    summary = load(
        fresh_database,
        [
            document("new.html", "09SAOPAULO653|Revised||new", JAN_2011),
            document("old.html", "09SAOPAULO653|Original||old", NOV_2010),
        ],
    )
    assert (summary.new_cables, summary.new_versions) == (1, 1)
    assert sql.execute("SELECT subject FROM cables").fetchall() == [("Revised",)]
    current = sql.execute("SELECT version FROM cable_versions WHERE is_current").fetchall()
    assert current == [(1,)]


def test_the_same_text_from_two_mirrors_is_one_version_with_two_sources(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    text = "09LONDON2478|Same cable||same text"
    chillicoder = document(
        "chillicoder/09LONDON2478.html", text, NOV_2010, raw=b"<html>absolute links</html>" + text.encode()
    )
    gabrielduque = document(
        "gabrielduque/09LONDON2478.html", text, NOV_2010, raw=b"<html>relative links</html>" + text.encode()
    )

    load(fresh_database, [chillicoder])
    summary = load(fresh_database, [gabrielduque])

    assert (summary.loaded, summary.new_cables, summary.new_versions) == (1, 0, 0)
    assert sql.execute("SELECT count(*) FROM cable_versions").fetchone() == (1,)
    linked = sql.execute(
        "SELECT s.name FROM cable_version_sources l JOIN sources s ON s.id = l.source_id ORDER BY s.id"
    ).fetchall()
    assert linked == [(chillicoder.name,), (gabrielduque.name,)]
    version_source = sql.execute("SELECT s.name FROM cable_versions v JOIN sources s ON s.id = v.source_id")
    assert version_source.fetchall() == [(chillicoder.name,)]


def test_references_resolve_to_cables_loaded_later(fresh_database: str, sql: psycopg.Connection) -> None:
    load(fresh_database, [document("a.txt", "09STATE10|Cites later|09STATE11,09STATE99|x")])
    before = sql.execute("SELECT cited_canonical_id, cited_cable_id FROM cable_references ORDER BY position").fetchall()
    assert before == [("09STATE11", None), ("09STATE99", None)]

    load(fresh_database, [document("b.txt", "09STATE11|Cited||y")])

    after = sql.execute(
        "SELECT r.cited_canonical_id, c.reference_id FROM cable_references r "
        "LEFT JOIN cables c ON c.id = r.cited_cable_id ORDER BY r.position"
    ).fetchall()
    assert after == [("09STATE11", "09STATE11"), ("09STATE99", None)]


def test_an_aborted_writer_stops_the_load_with_its_reason(fresh_database: str, sql: psycopg.Connection) -> None:
    sql.execute("ALTER TABLE sources ADD CONSTRAINT no_more CHECK (size < 0) NOT VALID")
    sql.execute("ALTER TABLE load_errors ADD CONSTRAINT no_errors CHECK (octet_length(raw) < 0) NOT VALID")

    with pytest.raises(LoadAborted, match="no_errors"):
        load(fresh_database, [document("a.txt", "09STATE1|One||a")])


def paused_tables(sql: psycopg.Connection) -> set[str]:
    rows = sql.execute("SELECT relname FROM pg_class WHERE 'autovacuum_enabled=off' = ANY(reloptions)")
    return {row[0] for row in rows}


def test_a_bulk_load_pauses_autovacuum_on_its_tables_and_hands_it_back(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    seen_during_the_load: list[set[str]] = []

    def watching(doc: Document) -> Cable:
        seen_during_the_load.append(paused_tables(sql))
        return cable_from_text(doc)

    paused_at_phase: dict[str, set[str]] = {}
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}||p1") for n in range(1, 4)]
    load_items(
        inputs,
        fresh_database,
        parser=watching,
        on_phase=lambda phase: paused_at_phase.setdefault(phase, paused_tables(sql)),
    )
    assert {"cables", "sources", "paragraphs"} <= seen_during_the_load[0]
    # Still paused while the statistics and the summaries are made: autovacuum comes back last.
    assert {"cables", "sources", "paragraphs"} <= paused_at_phase["reporting"]
    assert paused_tables(sql) == set()

    # A bulk load killed before its end leaves it paused: the next load hands it back.
    sql.execute("ALTER TABLE cables SET (autovacuum_enabled=off, toast.autovacuum_enabled=off)")
    load_items([document("4.txt", "09STATE4|Subject 4||p1")], fresh_database, parser=cable_from_text)
    assert paused_tables(sql) == set()


def test_a_bulk_load_vacuums_the_cables_own_pages_and_leaves_their_toast_to_autovacuum(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    load(fresh_database, [document(f"{n}.txt", f"09STATE{n}|Subject {n}||p1") for n in range(1, 4)])

    vacuumed = sql.execute(
        "SELECT s.relid = c.oid, s.last_vacuum IS NOT NULL FROM pg_class c "
        "JOIN pg_stat_all_tables s ON s.relid IN (c.oid, c.reltoastrelid) WHERE c.relname = 'cables'"
    ).fetchall()
    # The table's own pages (the visibility map ix_cables_labels' index-only scans need), not its TOAST.
    assert sorted(vacuumed) == [(False, False), (True, True)]


def test_the_summaries_rebuilt_on_two_connections_are_those_of_one_refresh(
    fresh_database: str, sql: psycopg.Connection
) -> None:
    load(fresh_database, [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE1|p1;p2") for n in range(1, 4)])

    def summaries() -> dict[str, list[tuple[object, ...]]]:
        return {name: sorted(sql.execute(f"SELECT * FROM {name}").fetchall(), key=str) for name in reporting.SUMMARIES}

    at_load_end = summaries()
    # Every summary was rebuilt (the marking audit lists none: every paragraph is marked as its banner),
    # and the stations the load assigned were seen by the other connections.
    assert [name for name, rows in at_load_end.items() if not rows] == ["marking_audit"]
    assert sql.execute("SELECT count(*) FROM correspondence_totals WHERE to_station_id IS NULL").fetchone() == (0,)
    with sql.transaction():
        reporting.refresh(sql)
    assert summaries() == at_load_end


def test_the_parse_workers_share_the_loaders_objects_while_they_run(fresh_database: str, examples_dir: Path) -> None:
    """The loading process freezes its objects before forking its parse workers (their garbage collections would
    otherwise copy every page holding one) and unfreezes them once the workers are gone."""
    frozen_while_finishing: list[int] = []

    summary = load_paths(
        [str(examples_dir)],
        fresh_database,
        workers=2,
        on_phase=lambda _: frozen_while_finishing.append(gc.get_freeze_count()),
    )

    assert summary.loaded and not summary.rejected
    assert min(frozen_while_finishing) > 10_000  # the modules' objects, at least
    assert gc.get_freeze_count() == 0


def test_the_summary_says_where_the_time_went(fresh_database: str) -> None:
    inputs = [document(f"{n}.txt", f"09STATE{n}|Subject {n}|09STATE1|p") for n in range(1, 4)]
    announced: list[str] = []
    first = load(fresh_database, inputs, on_phase=announced.append)
    assert list(first.phases) == ["parse and write", "references", "indexes", "statistics", "reporting"]
    assert announced == list(first.phases)[1:]  # what a progress bar shows while it waits at 100%
    assert sum(first.phases.values()) <= first.elapsed

    again = load(fresh_database, inputs)  # nothing new: no index to build, nothing to resolve or refresh
    assert list(again.phases) == ["parse and write"]


def test_an_index_build_that_fails_with_corrupt_data_is_redone_by_one_process(
    fresh_database: str, sql: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parallel GIN build's one failure ("missing chunk number 0 for toast value") costs time, not the load."""
    attempts: list[str] = []
    create_statement = indexes.create_statement

    def failing_in_parallel(index):  # type: ignore[no-untyped-def]
        if index.name != indexes.LARGEST:
            return create_statement(index)
        attempts.append(str(index.name))
        corrupt_when_parallel = (
            "DO $$ BEGIN IF current_setting('max_parallel_maintenance_workers') <> '0' THEN "
            "RAISE EXCEPTION USING ERRCODE = 'data_corrupted', MESSAGE = 'missing chunk number 0'; END IF; END $$"
        )
        return f"{corrupt_when_parallel}; {create_statement(index)}"

    monkeypatch.setattr(indexes, "create_statement", failing_in_parallel)
    load(fresh_database, [document("1.txt", "09STATE1|Subject|09STATE2|p")])

    assert attempts == [indexes.LARGEST, indexes.LARGEST]
    assert indexes.missing(sql, indexes.managed_indexes()) == []
