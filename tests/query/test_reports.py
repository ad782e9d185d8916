"""The built-in SQL reports on the loaded sample of real cables, their parameters, user reports and charts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import psycopg
import pytest

from archive.charts import draw_chart
from archive.db.session import libpq_url
from archive.query.reports import BUILT_IN, ReportError, available_reports, get_report, parse_report, run_report

LISTED = {
    "banner-exceeds-paragraphs",
    "cables-per-year",
    "caveat-usage",
    "declassification-due",
    "marking-exceeds-banner",
    "most-cited",
    "multi-form-cables",
    "tags-by-year",
    "top-origins",
    "unresolved-references",
    "who-writes-to-whom",
}


def rows(name: str, url: str, reports_dir: Path | None = None, **params: str) -> list[tuple[object, ...]]:
    return [tuple(row.values()) for row in run_report(name, params, url=url, reports_dir=reports_dir).rows]


def test_every_built_in_report_has_a_description() -> None:
    reports = available_reports()
    assert set(reports) == LISTED
    assert all(report.description and report.origin == BUILT_IN for report in reports.values())


def test_cables_per_year_by_classification(loaded_database: str) -> None:
    assert rows("cables-per-year", loaded_database) == [
        # year, cables, TS, S, C, LOU, SBU, U, NOFORN
        (2000, 1, 0, 1, 0, 0, 0, 0, 0),  # 00ANKARA8112
        (2005, 1, 0, 1, 0, 0, 0, 0, 0),  # 05ANKARA3199
        (2007, 1, 0, 0, 1, 0, 0, 0, 0),  # 07LONDON4045, once although loaded in two versions
        (2008, 1, 0, 0, 1, 0, 0, 0, 1),  # 08BERLIN1387, CONFIDENTIAL//NOFORN
        (2009, 5, 0, 1, 3, 0, 0, 1, 1),  # 09UNVIEVIENNA289 S//NF; 09STATE53069, 09BERLIN1167, 1197 C; 09USOSCE86 U
        (2010, 1, 0, 0, 1, 0, 0, 0, 0),  # 10BERLIN128
    ]
    assert rows("cables-per-year", loaded_database, origin="ankara") == [
        (2000, 1, 0, 1, 0, 0, 0, 0, 0),
        (2005, 1, 0, 1, 0, 0, 0, 0, 0),
    ]


def test_top_origins_with_classification_mix(loaded_database: str) -> None:
    assert rows("top-origins", loaded_database, limit="3") == [
        ("Embassy Berlin", 4, 0, 0, 4, 0, 0, 0, 1, date(2008, 10, 10), date(2010, 1, 29)),
        ("Embassy Ankara", 2, 0, 2, 0, 0, 0, 0, 0, date(2000, 12, 11), date(2005, 6, 8)),
        ("Embassy London", 1, 0, 0, 1, 0, 0, 0, 0, date(2007, 10, 25), date(2007, 10, 25)),
    ]


def test_tags_by_year(loaded_database: str) -> None:
    # PREL is on all ten cables but 00ANKARA8112, PGOV on six.
    assert rows("tags-by-year", loaded_database, limit="2") == [
        ("PGOV", 2005, 1),
        ("PGOV", 2007, 1),
        ("PGOV", 2008, 1),
        ("PGOV", 2009, 3),
        ("PREL", 2005, 1),
        ("PREL", 2007, 1),
        ("PREL", 2008, 1),
        ("PREL", 2009, 5),
        ("PREL", 2010, 1),
    ]
    assert rows("tags-by-year", loaded_database, tag="kjus") == [("KJUS", 2009, 1)]  # 09BERLIN1167


def test_most_cited_and_unresolved_references(loaded_database: str) -> None:
    # 09BERLIN1197 (REF D) and 10BERLIN128 (REF D) both cite 09BERLIN1167, which is loaded.
    assert rows("most-cited", loaded_database, limit="1") == [
        (
            "09BERLIN1167",
            True,
            "DATA PRIVACY TRUMPS SECURITY: IMPLICATIONS OF A FDP VICTORY ON COUNTERTERRORISM COOPERATION",
            2,
        )
    ]
    unresolved = rows("unresolved-references", loaded_database)
    assert "09BERLIN1167" not in {cited for cited, _, _ in unresolved}  # in the archive: resolved
    berlin_1197 = [cited for cited, _, citing in unresolved if citing == "09BERLIN1197"]
    # Its REF line: A. BERLIN 1188, B. 1186, C. 1176, D. 1167 (in the archive), E. 1162, F. 1138, G. 1179.
    assert berlin_1197 == [
        "09BERLIN1138",
        "09BERLIN1162",
        "09BERLIN1176",
        "09BERLIN1179",
        "09BERLIN1186",
        "09BERLIN1188",
    ]


def test_who_writes_to_whom(loaded_database: str) -> None:
    assert rows("who-writes-to-whom", loaded_database, limit="3") == [
        ("Embassy Berlin", "SECSTATE WASHDC", 4, 4, 0),
        ("Embassy Berlin", "EU MEMBER STATES COLLECTIVE", 3, 0, 3),
        ("Embassy Berlin", "FRG COLLECTIVE", 3, 0, 3),
    ]
    # 09BERLIN1167 and 10BERLIN128 go to HOMELAND SECURITY CENTER, 10BERLIN128 to DEPT OF HOMELAND SECURITY too.
    assert rows("who-writes-to-whom", loaded_database, addressee="homeland securty") == [
        ("Embassy Berlin", "HOMELAND SECURITY CENTER WASHINGTON DC", 2, 0, 2),
        ("Embassy Berlin", "DEPT OF HOMELAND SECURITY WASHINGTON DC", 1, 0, 1),
    ]
    assert rows("who-writes-to-whom", loaded_database, origin="secretary of state", limit="2") == [
        ("Secretary of State", "AMEMBASSY BELGRADE", 1, 0, 1),
        ("Secretary of State", "AMEMBASSY PRISTINA", 1, 0, 1),
    ]


def test_portion_marking_audits(loaded_database: str) -> None:
    assert rows("marking-exceeds-banner", loaded_database) == [
        (
            "08BERLIN1387",
            "CONFIDENTIAL//NOFORN",
            "CONFIDENTIAL",
            "SECRET",
            "10 (S/NF)",
            "GERMANY: BUNDESTAG SET TO RENEW A BEEFED-UP ISAF MANDATE AND A SCALED-DOWN OEF COUNTERPART",
        ),
        (
            "09USOSCE86",
            "UNCLASSIFIED",
            "UNCLASSIFIED",
            "SENSITIVE BUT UNCLASSIFIED",
            "2 (SBU), 3 (SBU), 4 (SBU), 5 (SBU), 6 (SBU)",
            "S/CRS AMB HERBST PITCHES RECONSTRUCTION AND STABILIZATION TO OSCE STATES",
        ),
    ]
    # 05ANKARA3199: a SECRET banner over twelve paragraphs marked (C) or (U).
    assert rows("banner-exceeds-paragraphs", loaded_database) == [
        (
            "05ANKARA3199",
            "SECRET",
            "SECRET",
            "CONFIDENTIAL",
            12,
            12,
            "CABINET SHUFFLES AND THE LONG SQUEEZE: PM ERDOGAN SETS HIS SIGHTS ON FONMIN GUL",
        )
    ]


def test_declassification_schedule(loaded_database: str) -> None:
    due = rows("declassification-due", loaded_database, as_of="2019-06-01")
    assert [(row[0], row[2], row[3]) for row in due] == [
        ("00ANKARA8112", date(2010, 12, 7), 3098),
        ("07LONDON4045", date(2017, 10, 17), 592),
        ("08BERLIN1387", date(2018, 10, 9), 235),
        ("09STATE53069", date(2019, 5, 22), 10),  # DECL 05/22/2019 in the seed
    ]
    by_default = {row[0] for row in rows("declassification-due", loaded_database)}  # as of today
    assert {"09UNVIEVIENNA289"}.isdisjoint(by_default) and {"00ANKARA8112", "09STATE53069"} <= by_default


def test_caveat_usage(loaded_database: str) -> None:
    assert rows("caveat-usage", loaded_database) == [
        ("SIPDIS", "Cleared for distribution on SIPRNet", 9, pytest.approx(90.0), 2005, 2010),
        ("NOFORN", "Not releasable to foreign nationals", 2, pytest.approx(20.0), 2008, 2009),
    ]


def test_a_parameter_carrying_sql_is_only_a_value(loaded_database: str) -> None:
    attack = "'; DROP TABLE cables; --"
    assert rows("cables-per-year", loaded_database, origin=attack) == []
    assert rows("tags-by-year", loaded_database, tag=attack) == []
    with psycopg.connect(libpq_url(loaded_database)) as connection:
        assert connection.execute("SELECT count(*) FROM cables").fetchone() == (10,)


def test_parameter_errors_are_named(loaded_database: str) -> None:
    with pytest.raises(ReportError, match=re.escape("report top-origins has no parameter 'limt' (it takes limit)")):
        run_report("top-origins", {"limt": "3"}, url=loaded_database)
    with pytest.raises(ReportError, match="parameter limit must be an integer, not 'ten'"):
        run_report("top-origins", {"limit": "ten"}, url=loaded_database)
    with pytest.raises(ReportError, match="parameter as_of must be a date, not '2019-13-01'"):
        run_report("declassification-due", {"as_of": "2019-13-01"}, url=loaded_database)
    with pytest.raises(ReportError, match="no report named 'top-origin'"):
        get_report("top-origin")


def test_header_comments_declare_parameters_and_chart() -> None:
    report = parse_report(
        "mine",
        "-- Cables of one origin.\n"
        "-- chart: bars x=origin,addressee y=to,info\n"
        "-- param origin: text. The origin (required).\n"
        "-- param limit: integer, default 5. How many.\n"
        "-- param since: date, optional. From this day.\n"
        "SELECT 1 -- param nope: text. Not a header line any more.\n",
        "here",
    )
    assert report.description == "Cables of one origin."
    assert [(p.name, p.type, p.default, p.required) for p in report.parameters] == [
        ("origin", "text", None, True),
        ("limit", "integer", "5", False),
        ("since", "date", None, False),
    ]
    assert (report.chart.kind, report.chart.x, report.chart.y) == ("bars", ("origin", "addressee"), ("to", "info"))
    assert report.bind({"origin": "x"}) == {"origin": "x", "limit": 5, "since": None}
    with pytest.raises(ReportError, match=re.escape("report mine needs --param origin=… (The origin (required).)")):
        report.bind({})


def test_user_reports_add_to_and_override_built_ins(tmp_path: Path, loaded_database: str) -> None:
    (tmp_path / "nato-cables.sql").write_text(
        "-- Cables tagged with one tag, newest first.\n"
        "-- param tag: text, default NATO. The tag.\n"
        "SELECT reference_id FROM reporting.cable_tags WHERE tag = upper(:tag) ORDER BY created DESC\n"
    )
    (tmp_path / "caveat-usage.sql").write_text("-- My own caveat report.\nSELECT 'mine' AS caveat\n")
    reports = available_reports(tmp_path)
    assert LISTED | {"nato-cables"} == set(reports)
    assert reports["nato-cables"].origin == str(tmp_path)
    assert rows("nato-cables", loaded_database, tmp_path) == [("09STATE53069",)]
    assert rows("nato-cables", loaded_database, tmp_path, tag="gm") == [
        ("10BERLIN128",),
        ("09BERLIN1197",),
        ("09BERLIN1167",),
        ("08BERLIN1387",),
    ]
    assert rows("caveat-usage", loaded_database, tmp_path) == [("mine",)]
    with pytest.raises(ReportError, match=r"reports folder .*absent does not exist"):
        available_reports(tmp_path / "absent")


@pytest.mark.parametrize("name", ["cables-per-year", "tags-by-year", "top-origins", "who-writes-to-whom"])
def test_charts_are_png_files(name: str, loaded_database: str, tmp_path: Path) -> None:
    report = get_report(name)
    target = draw_chart(report, report.run(url=loaded_database), tmp_path / f"{name}.png")
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 800 and height > 250
