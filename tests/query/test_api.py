"""The Python API on the loaded sample: helpers return ORM objects; one cable in full, its references and versions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from archive.query import CableNotFound, api
from archive.query.cables import cable_record, load_cable, references_both_ways, version_history


def ids(cables: list[api.Cable]) -> list[str]:
    return [cable.reference_id for cable in cables]


def test_cables_by_tag_origin_dates_and_classification(sample_session: Session) -> None:
    assert ids(api.cables_by_tag(sample_session, "gm")) == [
        "08BERLIN1387",
        "09BERLIN1167",
        "09BERLIN1197",
        "10BERLIN128",
    ]
    assert ids(api.cables_by_origin(sample_session, "ankara")) == ["00ANKARA8112", "05ANKARA3199"]
    assert ids(api.cables_between(sample_session, date(2009, 4, 7), date(2009, 6, 19))) == [
        "09USOSCE86",
        "09STATE53069",
        "09UNVIEVIENNA289",
    ]
    assert ids(api.cables_between(sample_session, date(2010, 1, 1), None)) == ["10BERLIN128"]
    assert ids(api.cables_classified_at_most(sample_session, "unclassified")) == ["09USOSCE86"]
    assert ids(api.cables_classified_at_most(sample_session, "C")) == [
        "07LONDON4045",
        "08BERLIN1387",
        "09USOSCE86",
        "09STATE53069",
        "09BERLIN1167",
        "09BERLIN1197",
        "10BERLIN128",
    ]
    assert ids(api.cables(sample_session, api.CableFilter(origin="berlin", tags=("KHLS",)))) == [
        "09BERLIN1167",
        "10BERLIN128",
    ]
    assert ids(api.cables(sample_session, limit=2)) == ["00ANKARA8112", "05ANKARA3199"]


def test_references_both_ways_as_orm_objects(sample_session: Session) -> None:
    cable = api.get_cable(sample_session, "09berlin1167")
    assert ids(api.citing_cables(sample_session, cable)) == ["09BERLIN1197", "10BERLIN128"]
    assert ids(api.cited_cables(sample_session, api.get_cable(sample_session, "10BERLIN128"))) == ["09BERLIN1167"]
    assert ids(api.cited_cables(sample_session, cable)) == []  # it cites BERLIN 988, 2008 BERLIN 504 and 354


def test_unknown_cables_are_named(sample_session: Session) -> None:
    with pytest.raises(CableNotFound, match="no cable '09STATE1' in the archive"):
        api.get_cable(sample_session, "09STATE1")


def test_a_cable_in_full(sample_session: Session) -> None:
    record = cable_record(load_cable(sample_session, "09STATE53069"))
    assert record["classification"] == "CONFIDENTIAL"
    assert record["caveats"] == ["SIPDIS"]
    assert record["tags"] == ["KV", "MARR", "NATO", "PGOV", "PREL", "KPKO"]
    assert record["recipients"][0] == {
        "role": "TO",
        "name": "USMISSION USNATO",
        "routing": "RUEHNO",
        "precedence": "IMMEDIATE",
    }
    assert [(r["role"], r["name"]) for r in record["recipients"][1:]] == [
        ("INFO", "NATO EU COLLECTIVE"),
        ("INFO", "AMEMBASSY BELGRADE"),
        ("INFO", "AMEMBASSY PRISTINA"),
        ("INFO", "AMEMBASSY TIRANA"),
        ("INFO", "JOINT STAFF WASHINGTON DC"),
        ("INFO", "NSC WASHINGTON DC"),
        ("INFO", "SECDEF WASHINGTON DC"),
    ]
    assert [(p["number"], p["marking"]) for p in record["paragraphs"]] == [
        (1, "U"),
        (2, "C"),
        (3, "C"),
        (4, "C"),
        (5, "C"),
        (6, "SBU"),
        (7, "C"),
    ]
    assert record["declassify_on"] == date(2019, 5, 22)
    assert record["signers"] == ["CLINTON"]


def test_references_with_resolution_status(sample_session: Session) -> None:
    rows = references_both_ways(sample_session, api.get_cable(sample_session, "09BERLIN1167"))
    assert [(r["direction"], r["letter"], r["text"], r["reference_id"], r["status"]) for r in rows] == [
        ("cites", "A", "BERLIN 988", "09BERLIN988", "not in archive"),
        ("cites", "B", "2008 BERLIN 504", "08BERLIN504", "not in archive"),
        ("cites", "C", "2008 BERLIN 354", "08BERLIN354", "not in archive"),
        ("cited by", "D", "BERLIN 1167", "09BERLIN1197", "in archive"),
        ("cited by", "D", "2009 BERLIN 1167", "10BERLIN128", "in archive"),
    ]


def test_versions_with_a_diff(sample_session: Session) -> None:
    versions = version_history(load_cable(sample_session, "07LONDON4045"))
    assert [(v["version"], v["current"], "avilaroman" in v["source"]) for v in versions] == [
        (1, False, False),
        (2, True, True),
    ]
    assert versions[0]["changes"] == ""
    diff = versions[1]["changes"].splitlines()
    assert diff[0].startswith("--- 07LONDON4045 version 1 (") and diff[1].startswith("+++ 07LONDON4045 version 2 (")
    # The re-issue puts a blank line after each line of the preamble (SIPDIS, EO, TAGS, SUBJECT, REF…).
    assert diff.count("+") >= 5
