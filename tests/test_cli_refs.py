"""archive refs ID: what a cable cites and what cites it, with resolution status."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable


def test_refs_both_ways(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("refs", "09BERLIN1167", "--format", "csv", "--database-url", loaded_database)
    assert code == 0, output
    rows = [
        (r["direction"], r["letter"], r["text"], r["reference_id"], r["status"])
        for r in csv.DictReader(io.StringIO(output))
    ]
    assert rows == [
        ("cites", "A", "BERLIN 988", "09BERLIN988", "not in archive"),
        ("cites", "B", "2008 BERLIN 504", "08BERLIN504", "not in archive"),
        ("cites", "C", "2008 BERLIN 354", "08BERLIN354", "not in archive"),
        ("cited by", "D", "BERLIN 1167", "09BERLIN1197", "in archive"),
        ("cited by", "D", "2009 BERLIN 1167", "10BERLIN128", "in archive"),
    ]


def test_refs_json_names_the_cited_cable(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    code, output = run("refs", "10berlin128", "--format", "json", "--database-url", loaded_database)
    assert code == 0, output
    rows = json.loads(output)
    assert [(r["letter"], r["reference_id"], r["status"]) for r in rows] == [
        ("A", "10STATE8403", "not in archive"),
        ("B", "09BERLIN1528", "not in archive"),
        ("C", "09BERLIN1377", "not in archive"),
        ("D", "09BERLIN1167", "in archive"),
    ]
    assert rows[3]["subject"].startswith("DATA PRIVACY TRUMPS SECURITY")
    assert rows[3]["created"] == "2009-09-21T08:26:00+00:00"


def test_refs_of_a_cable_citing_nothing(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    assert run("refs", "09STATE53069", "--format", "json", "--database-url", loaded_database) == (0, "[]\n")


def test_refs_unknown_cable(loaded_database: str, run: Callable[..., tuple[int, str]]) -> None:
    assert run("refs", "99NOWHERE1", "--database-url", loaded_database) == (
        1,
        "Error: no cable '99NOWHERE1' in the archive\n",
    )
