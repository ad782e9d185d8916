"""archive show ID [--versions] on the loaded sample of real cables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable


def test_show_prints_fields_recipients_tags_and_marked_paragraphs(
    loaded_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run("show", "09STATE53069", "--database-url", loaded_database)
    assert code == 0, output
    assert "KFOR: GUIDANCE ON MOVEMENT TO A DETERRENT PRESENCE" in output
    assert "KV MARR NATO PGOV PREL KPKO" in output
    assert "USMISSION USNATO" in output and "SECDEF WASHINGTON DC" in output
    lines = [line for line in output.splitlines() if line.startswith("¶")]
    assert [line.split(")")[0] + ")" for line in lines] == [
        "¶1 (U)",
        "¶2 (C)",
        "¶3 (C)",
        "¶4 (C)",
        "¶5 (C)",
        "¶6 (SBU)",
        "¶7 (C)",
    ]


def test_show_json_is_the_whole_record(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("show", "09usosce86", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    record = json.loads(output)
    assert record["reference_id"] == "09USOSCE86"
    assert record["created"] == "2009-04-07T15:27:00+00:00"
    assert record["origin"] == "Mission USOSCE"
    assert record["tags"] == ["EAID", "OSCE", "PREL"]
    assert [(r["role"], r["name"], r["routing"]) for r in record["recipients"]] == [
        ("TO", "SECSTATE WASHDC", "RUEHC"),
        ("INFO", "ORGANIZATION FOR SECURITY IN EUROPE COLLECTIVE", "RUCNOSC"),
        ("INFO", "USMISSION UNVIE VIENNA", "RUEHUNV"),
        ("INFO", "USEU BRUSSELS", "RUEHBS"),
    ]
    # Printed 11., 2., 13., 14., ¶5., 16. in the scan; recovered as 1-6; 1 unmarked, 2-6 SBU.
    assert [(p["number"], p["marking"]) for p in record["paragraphs"]] == [
        (1, None),
        (2, "SBU"),
        (3, "SBU"),
        (4, "SBU"),
        (5, "SBU"),
        (6, "SBU"),
    ]


def test_show_csv_is_field_value_rows(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("show", "10BERLIN128", "--format", "csv", "--database-url", loaded_database)
    assert code == 0, output
    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == ["field", "value"]
    fields = dict(rows[1:5])
    assert fields == {
        "reference_id": "10BERLIN128",
        "canonical_id": "10BERLIN128",
        "created": "2010-01-29T06:35:00+00:00",
        "classification": "CONFIDENTIAL",
    }
    assert ["reference", "D cable 2009 BERLIN 1167 09BERLIN1167 in archive"] in rows


def test_show_versions_lists_them_with_a_diff(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("show", "07LONDON4045", "--versions", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    versions = json.loads(output)
    assert [(v["version"], v["current"], v["format"]) for v in versions] == [(1, False, "html"), (2, True, "html")]
    assert "gabrielduque" in versions[0]["source"] and "avilaroman" in versions[1]["source"]
    assert versions[1]["changes"].startswith("--- 07LONDON4045 version 1 (")
    code, table = run("show", "07LONDON4045", "--versions", "--database-url", loaded_database)
    assert code == 0, table
    assert "+++ 07LONDON4045 version 2 (" in table
    assert "\n+\n" in table  # the re-issue's added blank lines


def test_show_unknown_cable_is_a_one_line_error(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("show", "09STATE1", "--database-url", loaded_database)
    assert code == 1
    assert output == "Error: no cable '09STATE1' in the archive\n"
