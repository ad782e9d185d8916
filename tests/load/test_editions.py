"""One telegram in several published forms: one cable, one edition per form, the telegram's own text first.

No FRUS document in ../shared prints a telegram that is also in the Cablegate corpus (the FRUS
volumes there end before the corpus's 1966–1975 cables begin, or are 1981–88 volumes whose
telegrams are not in it), so the FRUS edition here is *constructed*: ``frus-form-72TEHRAN1164.txt``
is the real Cablegate cable 72TEHRAN1164 (``72TEHRAN1164.html``, copied from the corpus byte for
byte) written as the FRUS text edition prints a telegram — heading, dateline, the number and
``Subject:`` opening the text, paragraphs 2–7 omitted with an editor's note, the signer, the source
note (``Secret; Priority``, where the Cablegate re-release is UNCLASSIFIED and ROUTINE) and one
editor's footnote. The FRUS reader derives the same canonical id from it as Cablegate publishes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from archive.cable import Document
from archive.db import migrate
from archive.db.clearance import Clearance
from archive.db.roles import admin_url, grant_reader, reader_password_file, reader_url
from archive.db.session import libpq_url
from archive.load.loader import load_paths
from archive.sources import read_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "editions"
PAGE = DATA / "72TEHRAN1164.html"
FRUS = DATA / "frus-form-72TEHRAN1164.txt"

CABLE = """
SELECT c.reference_id, l.name, c.precedence, c.subject, c.signers, s.format, c.warnings,
       (SELECT count(*) FROM paragraphs p WHERE p.cable_id = c.id)
FROM cables c JOIN classification_levels l ON l.id = c.classification_level_id JOIN sources s ON s.id = c.source_id
"""
EDITIONS = """
SELECT e.form, e.authority, s.format, l.name, e.precedence, e.subject, e.signers, e.paragraph_count,
       e.publisher_metadata->'apparatus'->>'document', (SELECT array_agg(v.is_current) FROM cable_versions v
       WHERE v.cable_id = e.cable_id AND v.form = e.form)
FROM cable_editions e JOIN sources s ON s.id = e.source_id
JOIN classification_levels l ON l.id = e.classification_level_id ORDER BY e.authority
"""


def stored(url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with psycopg.connect(libpq_url(url)) as connection:
        return connection.execute(CABLE).fetchall(), connection.execute(EDITIONS).fetchall()


def test_a_cablegate_page_and_a_frus_document_of_one_telegram_are_one_cable_with_two_editions(
    fresh_database: str,
) -> None:
    load_paths([str(PAGE)], fresh_database, workers=1)
    summary = load_paths([str(FRUS)], fresh_database, workers=1)
    assert (summary.loaded, summary.new_cables, summary.new_versions) == (1, 0, 1)
    cables, editions = stored(fresh_database)
    assert cables == [
        (
            "72TEHRAN1164",
            "UNCLASSIFIED",  # the telegram's own text, not the FRUS source note
            "ROUTINE",
            "ACCELERATION OF F-4ES FOR IRAN",
            ["HECK"],
            "html",
            [
                "editions disagree on classification: telegram UNCLASSIFIED, frus-text SECRET",
                "editions disagree on precedence: telegram ROUTINE, frus-text PRIORITY",
            ],
            9,
        )
    ]
    assert editions == [
        ("telegram", 1, "html", "UNCLASSIFIED", "ROUTINE", "ACCELERATION OF F-4ES FOR IRAN", ["HECK"], 9, None, [True]),
        (
            "frus-text",
            3,
            "frus-text",
            "SECRET",
            "PRIORITY",
            "Acceleration of F-4Es for Iran",
            ["Heck"],
            5,
            "183",
            [False],
        ),
    ]


@pytest.mark.parametrize("order", ["frus first", "one batch"])
def test_the_order_of_loading_does_not_change_the_cable(order: str, fresh_database: str, tmp_path: Path) -> None:
    if order == "frus first":
        load_paths([str(FRUS)], fresh_database, workers=1)
        load_paths([str(PAGE)], fresh_database, workers=1)
    else:
        for path in (FRUS, PAGE):
            shutil.copy(path, tmp_path / path.name)
        load_paths([str(tmp_path)], fresh_database, workers=1)
    cables, editions = stored(fresh_database)
    assert [row[:6] for row in cables] == [
        ("72TEHRAN1164", "UNCLASSIFIED", "ROUTINE", "ACCELERATION OF F-4ES FOR IRAN", ["HECK"], "html")
    ]
    assert cables[0][6] == [
        "editions disagree on classification: telegram UNCLASSIFIED, frus-text SECRET",
        "editions disagree on precedence: telegram ROUTINE, frus-text PRIORITY",
    ]
    assert [(form, current) for form, *_, current in editions] == [("telegram", [True]), ("frus-text", [False])]


@pytest.mark.parametrize("frus_first", [True, False], ids=["frus first", "telegram text first"])
def test_a_provisional_telegram_text_outranks_the_frus_edition_it_merges_into(
    frus_first: bool, fresh_database: str, tmp_path: Path
) -> None:
    """The telegram's own text with its date-time group cut off (no year: ``PROVISIONAL-TEHRAN-1164``)
    merges into the FRUS document's cable ``72TEHRAN1164``: the cable's fields are the telegram's."""
    [document] = read_paths([str(PAGE)])
    assert isinstance(document, Document)
    yearless = tmp_path / "tehran-1164.txt"
    yearless.write_text(document.text.replace("R 250930Z FEB 72 \n", ""))
    summary = None
    for path in (FRUS, yearless) if frus_first else (yearless, FRUS):
        summary = load_paths([str(path)], fresh_database, workers=1)
    assert summary is not None and summary.provisional_merged == 1
    cables, editions = stored(fresh_database)
    assert [row[:6] for row in cables] == [
        ("72TEHRAN1164", "UNCLASSIFIED", None, "ACCELERATION OF F-4ES FOR IRAN", ["HECK"], "text")
    ]
    assert cables[0][7] == 9  # the telegram's paragraphs, not FRUS's five
    assert "editions disagree on classification: telegram UNCLASSIFIED, frus-text SECRET" in cables[0][6]
    assert not any(warning.startswith("provisional id") for warning in cables[0][6])
    assert [(form, current) for form, *_, current in editions] == [("telegram", [True]), ("frus-text", [False])]
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        created, recipients = connection.execute(
            "SELECT c.created, (SELECT count(*) FROM recipients r WHERE r.cable_id = c.id) FROM cables c"
        ).fetchone() or (None, None)
    assert created is not None and created.date().isoformat() == "1972-02-25"  # the FRUS dateline's
    assert recipients == 4  # the telegram's TO and INFO lines (FRUS gives the one addressee of its heading)


def test_show_the_report_and_the_reporting_layer_list_the_editions(
    fresh_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    load_paths([str(PAGE), str(FRUS)], fresh_database, workers=1)
    code, output = run("show", "72tehran1164", "--format", "json", "--database-url", fresh_database)
    assert code == 0, output
    record = json.loads(output)
    assert [
        (e["form"], e["fields"], Path(e["source"]).name, e["classification"], e["signers"], e["paragraphs"])
        for e in record["editions"]
    ] == [
        ("telegram", "cable's", "72TEHRAN1164.html", "UNCLASSIFIED", "HECK", 9),
        ("frus-text", "own", "frus-form-72TEHRAN1164.txt", "SECRET", "Heck", 5),
    ]
    assert record["warnings"][0] == "editions disagree on classification: telegram UNCLASSIFIED, frus-text SECRET"
    code, output = run("show", "72TEHRAN1164", "--database-url", fresh_database)
    assert code == 0, output
    lines = output.splitlines()
    start = lines.index("editions (* gives the cable's fields)")
    assert [line.split(" · ")[:3] for line in lines[start + 1 : start + 3]] == [
        [f"* telegram   {PAGE}", "1 version", "1972-02-25T09:30:00+00:00"],
        [f"  frus-text  {FRUS}", "1 version", "1972-02-25T09:30:00+00:00"],
    ]
    assert lines[start + 2].endswith("SECRET · PRIORITY · Heck · 5 ¶")  # one line per edition, its own fields
    code, output = run("report", "multi-form-cables", "--format", "csv", "--database-url", fresh_database)
    assert code == 0, output
    (row,) = csv.DictReader(io.StringIO(output))
    assert row == {
        "reference_id": "72TEHRAN1164",
        "forms": "telegram frus-text",
        "editions": "2",
        "created": "1972-02-25T09:30:00+00:00",
        "subject": "ACCELERATION OF F-4ES FOR IRAN",
        "classifications": "SECRET / UNCLASSIFIED",
    }
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        rows = connection.execute(
            "SELECT form, gives_cable_fields, versions FROM reporting.cable_editions ORDER BY authority"
        ).fetchall()
        options = connection.execute("SELECT reloptions FROM pg_class WHERE oid = 'reporting.cable_editions'::regclass")
        assert options.fetchone() == (["security_invoker=true"],)
    assert rows == [("telegram", True, 1), ("frus-text", False, 1)]


def test_show_prints_a_lone_edition_on_one_line(fresh_database: str, run: Callable[..., tuple[int, str]]) -> None:
    load_paths([str(PAGE)], fresh_database, workers=1)
    code, output = run("show", "72TEHRAN1164", "--database-url", fresh_database)
    assert code == 0, output
    assert f"\nedition  telegram  {PAGE} · 1 version\n" in output and "editions (" not in output


def test_a_reader_cleared_below_an_editions_classification_does_not_see_that_edition(fresh_database: str) -> None:
    load_paths([str(PAGE), str(FRUS)], fresh_database, workers=1)
    role = f"editions_{os.getpid()}"
    query = "SELECT form, classification FROM reporting.cable_editions ORDER BY authority"
    try:
        confidential = grant_reader(role, Clearance("CONFIDENTIAL"), fresh_database)
        with psycopg.connect(libpq_url(reader_url(fresh_database))) as connection:
            everything = connection.execute(query).fetchall()
        with psycopg.connect(libpq_url(confidential)) as connection:
            released = connection.execute(query).fetchall()
    finally:
        with psycopg.connect(libpq_url(admin_url(fresh_database)), autocommit=True) as connection:
            connection.execute("DELETE FROM clearances WHERE role_name = %s", (role,))
            connection.execute(sql.SQL("DROP OWNED BY {0}; DROP ROLE {0}").format(sql.Identifier(role)))
        reader_password_file(fresh_database, role=role).unlink(missing_ok=True)
    assert everything == [("telegram", "UNCLASSIFIED"), ("frus-text", "SECRET")]
    assert released == [("telegram", "UNCLASSIFIED")]  # the FRUS edition's text is stamped SECRET


@pytest.mark.parametrize("frus_first", [True, False])
def test_a_frus_telegram_printed_without_its_number_joins_the_cable_of_its_station_and_day(
    frus_first: bool, fresh_database: str, tmp_path: Path
) -> None:
    numberless = tmp_path / "frus-form-without-number.txt"
    numberless.write_text(FRUS.read_text().replace("\n1164. Subject:", "\nSubject:"))
    for path in (numberless, PAGE) if frus_first else (PAGE, numberless):
        load_paths([str(path)], fresh_database, workers=1)
    cables, editions = stored(fresh_database)
    assert [row[:2] for row in cables] == [("72TEHRAN1164", "UNCLASSIFIED")]
    assert [(form, source_format, level) for form, _, source_format, level, *_ in editions] == [
        ("telegram", "html", "UNCLASSIFIED"),
        ("frus-text", "frus-text", "SECRET"),
    ]


def test_migration_0010_derives_editions_from_versions_and_its_downgrade_keeps_every_source(
    fresh_database: str,
) -> None:
    load_paths([str(PAGE), str(FRUS)], fresh_database, workers=1)
    versions = "SELECT version, is_current, source_id FROM cable_versions ORDER BY version"
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        before = connection.execute(versions).fetchall()
    migrate.downgrade(fresh_database, "0009")
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        # Two texts, two versions of the one cable, each with its source.
        assert connection.execute(versions).fetchall() == before
        assert connection.execute("SELECT count(*) FROM cable_version_sources").fetchone() == (2,)
    fields = (
        "SELECT form, source_id, l.name, paragraph_count, signers, publisher_metadata->'apparatus'->>'document' "
        "FROM cable_editions e LEFT JOIN classification_levels l ON l.id = e.classification_level_id ORDER BY authority"
    )
    migrate.upgrade(fresh_database, "0010")
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        editions = connection.execute(fields).fetchall()
    # The edition of the current version takes the cable's fields; the other's can be parsed again.
    telegram = ("telegram", before[0][2], "UNCLASSIFIED", 9, ["HECK"], None)
    assert editions == [telegram, ("frus-text", before[1][2], None, None, [], None)]
    migrate.upgrade(fresh_database)  # 0011 parses the FRUS input again: its edition's fields as a load stores them
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        assert connection.execute(fields).fetchall() == [
            telegram,
            ("frus-text", before[1][2], "SECRET", 5, ["Heck"], "183"),
        ]
        signers = connection.execute("SELECT form, signers FROM reporting.cable_editions ORDER BY authority").fetchall()
    assert signers == [("telegram", ["HECK"]), ("frus-text", ["Heck"])]  # an array, no longer space-joined
    migrate.downgrade(fresh_database, "0010")
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        assert connection.execute("SELECT signers FROM reporting.cable_editions ORDER BY authority").fetchall() == [
            ("HECK",),
            ("Heck",),
        ]
    migrate.upgrade(fresh_database)


def test_the_downgrade_joins_one_text_in_two_editions_into_one_version(fresh_database: str) -> None:
    load_paths([str(PAGE), str(FRUS)], fresh_database, workers=1)
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        # As if the FRUS edition printed exactly the telegram's text: one text, two editions.
        connection.execute(
            "UPDATE cable_versions SET text_sha256 = (SELECT text_sha256 FROM cable_versions WHERE is_current) "
            "WHERE NOT is_current"
        )
    migrate.downgrade(fresh_database, "0009")
    with psycopg.connect(libpq_url(fresh_database)) as connection:
        rows = connection.execute(
            "SELECT v.version, v.is_current, array_agg(s.source_id ORDER BY s.source_id) FROM cable_versions v "
            "JOIN cable_version_sources s USING (cable_id, version) GROUP BY 1, 2"
        ).fetchall()
        sources = [source for (source,) in connection.execute("SELECT id FROM sources ORDER BY id")]
    migrate.upgrade(fresh_database)
    assert rows == [(1, True, sources)]  # the current version kept, with both sources
