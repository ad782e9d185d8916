"""archive search on the loaded sample of real cables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable


def test_search_json_ranks_and_shows_paragraph_hits(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("search", "data privacy", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    hits = json.loads(output)
    assert [hit["reference_id"] for hit in hits] == ["10BERLIN128", "09BERLIN1167", "09BERLIN1197"]
    first = hits[0]
    assert first["subject"] == "ACTION REQUEST: OVERCOMING GERMAN DOUBTS ON U.S. «DATA» «PRIVACY» PRACTICES"
    assert first["classification"] == "CONFIDENTIAL"
    assert first["origin"] == "Embassy Berlin"
    assert [(p["number"], p["marking"]) for p in first["paragraphs"]] == [(2, "C"), (3, "C"), (4, "C"), (6, "C")]
    assert hits[0]["score"] > hits[1]["score"] > hits[2]["score"]


def test_search_filters(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    def found(*options: str) -> list[str]:
        code, output = run("search", "Germany", "--format", "json", "--database-url", loaded_database, *options)
        assert code == 0, output
        return [hit["reference_id"] for hit in json.loads(output)]

    assert found("--from", "2009-09-28") == ["09BERLIN1197", "10BERLIN128"]
    assert found("--to", "2009-09-21", "--limit", "2") == ["08BERLIN1387", "09BERLIN1167"]
    assert found("--origin", "Embasy Berln", "--tag", "kjus") == ["09BERLIN1167"]
    assert found("--classification", "unclassified") == []
    assert found("--classification", "secret", "--origin", "ankara") == ["00ANKARA8112"]


def test_search_csv_puts_paragraph_hits_on_the_cable_row(
    loaded_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run("search", '"deterrent presence"', "--format", "csv", "--database-url", loaded_database)
    assert code == 0, output
    (header, row) = list(csv.reader(io.StringIO(output)))
    record = dict(zip(header, row, strict=True))
    assert record["reference_id"] == "09STATE53069"
    assert [hit.split(":")[0] for hit in record["paragraphs"].split(" | ")] == ["¶2 (C)", "¶6 (SBU)", "¶7 (C)"]


def test_search_table_shows_paragraph_labels_without_markers(
    loaded_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run("search", "deterrent presence", "--database-url", loaded_database)
    assert code == 0, output
    assert "09STATE53069" in output and "¶6 (SBU)" in output
    assert "«" not in output  # highlighted with style, not with marks


def test_search_misspelt_falls_back_to_similar_subjects(
    loaded_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run("search", "westerwele", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    assert [(hit["reference_id"], hit["match"]) for hit in json.loads(output)] == [("09BERLIN1197", "similar subject")]


def test_search_bad_classification_is_a_one_line_error(
    loaded_database: str, run: Callable[..., tuple[int, str]]
) -> None:
    code, output = run("search", "Germany", "--classification", "very secret", "--database-url", loaded_database)
    assert code == 1
    assert output.startswith("Error: unknown classification 'very secret'; use one of TOP SECRET, SECRET,")
    assert output.count("\n") == 1
