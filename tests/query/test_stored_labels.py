"""Labels stored at load time, stations, and the reporting views that read them (migration 0009), on the examples."""

from __future__ import annotations

import psycopg

# Every example cable with its stored labels, as reporting.cables shows them (NULL is None, lists are arrays).
CABLES = [
    ("00ANKARA8112", 2000, 12, "SECRET", 5, None, "Embassy Ankara", "Embassy Ankara", ["PTER", "TU"],
     ["PEARSON"], ["1.5(b)", "1.5(d)"], 3, 40, 1, 1),
    ("05ANKARA3199", 2005, 6, "SECRET", 5, ["SIPDIS"], "Embassy Ankara", "Embassy Ankara",
     ["PREL", "PGOV", "PINS", "PHUM", "TU"], ["MOORE"], None, 0, 12, 0, 1),
    ("07LONDON4045", 2007, 10, "CONFIDENTIAL", 4, ["SIPDIS"], "Embassy London", "Embassy London",
     ["PGOV", "PREL", "KISL", "PTER", "SCUL", "UK"], ["Tuttle"], ["1.4(b)", "1.4(d)"], 2, 19, 1, 2),
    ("08BERLIN1387", 2008, 10, "CONFIDENTIAL//NOFORN", 4, ["NOFORN", "SIPDIS"], "Embassy Berlin", "Embassy Berlin",
     ["PREL", "MARR", "PGOV", "AF", "GM"], ["Koenig"], ["1.4(b)", "1.4(d)"], 10, 12, 2, 1),
    ("09BERLIN1167", 2009, 9, "CONFIDENTIAL", 4, ["SIPDIS"], "Embassy Berlin", "Embassy Berlin",
     ["PGOV", "PREL", "PTER", "KJUS", "KHLS", "GM"], ["Murphy"], ["1.4(b)", "1.4(d)"], 13, 9, 3, 1),
    ("09BERLIN1197", 2009, 9, "CONFIDENTIAL", 4, ["SIPDIS"], "Embassy Berlin", "Embassy Berlin",
     ["GM", "PGOV", "PREL"], ["Murphy"], ["1.4(b)", "1.4(d)"], 3, 13, 7, 1),
    ("09STATE53069", 2009, 5, "CONFIDENTIAL", 4, ["SIPDIS"], "Secretary of State", "Secretary of State",
     ["KV", "MARR", "NATO", "PGOV", "PREL", "KPKO"], ["CLINTON"], ["1.4(b)", "1.4(d)"], 8, 7, 0, 1),
    ("09UNVIEVIENNA289", 2009, 6, "SECRET//NOFORN", 5, ["NOFORN", "SIPDIS"], "UNVIE", "UNVIE",
     ["PREL", "PARM", "SY", "KN", "IAEA", "KNNP"], ["SCHULTE"], ["1.4(b)", "1.4(d)"], 4, 27, 1, 1),
    ("09USOSCE86", 2009, 4, "UNCLASSIFIED", 1, ["SIPDIS"], "Mission USOSCE", "Mission USOSCE",
     ["EAID", "OSCE", "PREL"], ["SCOTT"], None, 4, 6, 0, 1),
    ("10BERLIN128", 2010, 1, "CONFIDENTIAL", 4, ["SIPDIS"], "Embassy Berlin", "Embassy Berlin",
     ["PTER", "KTFN", "KCRM", "KHLS", "ECPS", "ECON", "PREL", "KPAO", "KTIA", "GM"], ["Murphy"],
     ["1.4(b)", "1.4(d)"], 11, 6, 4, 1),
]  # fmt: skip


def test_cables_show_the_labels_stored_at_load_time(sql_connection: psycopg.Connection) -> None:
    rows = sql_connection.execute(
        "SELECT c.reference_id, c.year, c.month, c.classification, c.level_rank, c.caveats, c.origin, s.station, "
        "c.tags, c.signers, c.reasons, c.recipient_count, c.paragraph_count, c.reference_count, c.version_count "
        "FROM reporting.cables c LEFT JOIN reporting.stations s USING (station_id) ORDER BY 1"
    ).fetchall()
    assert [list(row) for row in rows] == [list(row) for row in CABLES]


def test_the_stored_labels_are_those_of_the_rows_they_summarise(sql_connection: psycopg.Connection) -> None:
    disagreeing = sql_connection.execute(
        """
        SELECT c.reference_id FROM cables c JOIN classification_levels l ON l.id = c.classification_level_id
        WHERE c.clearance_rank <> l.rank
           OR c.classification <> reporting.classification_label(l.name, c.clearance_caveats)
           OR c.clearance_caveats <> ARRAY(SELECT cv.name FROM cable_caveats cc JOIN caveats cv ON cv.id = cc.caveat_id
                                      WHERE cc.cable_id = c.id ORDER BY cv.name)
           OR c.tag_codes <> ARRAY(SELECT t.code FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id
                                   WHERE ct.cable_id = c.id ORDER BY ct.position)
           OR c.recipient_count <> (SELECT count(*) FROM recipients r WHERE r.cable_id = c.id)
           OR c.paragraph_count <> (SELECT count(*) FROM paragraphs p WHERE p.cable_id = c.id)
           OR c.reference_count <> (SELECT count(*) FROM cable_references r WHERE r.cable_id = c.id)
           OR c.version_count <> (SELECT count(*) FROM cable_versions v WHERE v.cable_id = c.id)
           OR c.year IS DISTINCT FROM extract(year FROM c.created AT TIME ZONE 'UTC')
        """
    ).fetchall()
    assert disagreeing == []


def test_paragraph_markings_are_normalized_and_sbu_under_unclassified_is_said(
    sql_connection: psycopg.Connection,
) -> None:
    markings = sql_connection.execute(
        "SELECT marking, normalized_marking, caveats, count(*) FROM reporting.paragraphs GROUP BY 1, 2, 3 ORDER BY 1"
    ).fetchall()
    assert markings == [
        ("C", "C", None, 56),
        ("C/NF", "C//NF", ["NOFORN"], 1),
        ("S", "S", None, 4),
        ("S//NF", "S//NF", ["NOFORN"], 1),
        ("S/NF", "S//NF", ["NOFORN"], 1),  # printed with one slash, normalized with two
        ("SBU", "SBU", None, 41),
        ("U", "U", None, 46),
        (None, None, None, 1),  # unmarked: NULL, never ''
    ]
    audit = sql_connection.execute(
        "SELECT reference_id, position, marking, cable_level, is_sbu_under_unclassified FROM reporting.paragraphs "
        "WHERE exceeds_banner ORDER BY 1, 2"
    ).fetchall()
    assert audit == [
        ("08BERLIN1387", 10, "S/NF", "CONFIDENTIAL", False),  # a real marking error
        *[("09USOSCE86", position, "SBU", "UNCLASSIFIED", True) for position in range(2, 7)],
    ]


def test_addressees_and_origins_share_stations(sql_connection: psycopg.Connection) -> None:
    recipients = sql_connection.execute(
        "SELECT role, addressee, routing, station, origin FROM reporting.recipients "
        "WHERE reference_id = '09STATE53069' ORDER BY position"
    ).fetchall()
    assert recipients == [
        ("TO", "USMISSION USNATO", "RUEHNO", "Mission USNATO", "Secretary of State"),
        ("INFO", "NATO EU COLLECTIVE", None, "NATO EU COLLECTIVE", "Secretary of State"),  # no rule: as printed
        ("INFO", "AMEMBASSY BELGRADE", "RUEHBW", "Embassy Belgrade", "Secretary of State"),
        ("INFO", "AMEMBASSY PRISTINA", "RUEHPS", "Embassy Pristina", "Secretary of State"),
        ("INFO", "AMEMBASSY TIRANA", "RUEHTI", "Embassy Tirana", "Secretary of State"),
        ("INFO", "JOINT STAFF WASHINGTON DC", "RHMFISS", "Joint Staff", "Secretary of State"),
        ("INFO", "NSC WASHINGTON DC", "RHEHNSC", "National Security Council", "Secretary of State"),
        ("INFO", "SECDEF WASHINGTON DC", "RUEKJCS", "Secretary of Defense", "Secretary of State"),
    ]
    stations = sql_connection.execute(
        "SELECT station, rule, addressed_as, routing_indicators, origin_names FROM reporting.stations "
        "WHERE station IN ('Secretary of State', 'Embassy Berlin', 'Joint Staff', 'UNVIE') ORDER BY 1"
    ).fetchall()
    assert stations == [
        ("Embassy Berlin", "post", None, None, ["Embassy Berlin"]),
        ("Joint Staff", "agency", ["JOINT STAFF WASHINGTON DC"], ["RHMFISS", "RUEKJCS"], None),
        ("Secretary of State", "post", ["SECSTATE WASHDC"], ["RUEHC"], ["Secretary of State"]),
        ("UNVIE", "post", ["USMISSION UNVIE VIENNA"], ["RUEHUNV"], ["UNVIE"]),
    ]


def test_correspondence_joins_both_ways(sql_connection: psycopg.Connection) -> None:
    with_state = sql_connection.execute(
        "SELECT from_station, to_station, role, cables FROM reporting.correspondence "
        "WHERE 'Secretary of State' IN (from_station, to_station) ORDER BY 1, 2, 3"
    ).fetchall()
    assert with_state == [
        ("Embassy Ankara", "Secretary of State", "TO", 1),
        ("Embassy Berlin", "Secretary of State", "TO", 4),  # addressed SECSTATE WASHDC, sent as Secretary of State
        ("Embassy London", "Secretary of State", "TO", 1),
        ("Mission USOSCE", "Secretary of State", "TO", 1),
        ("Secretary of State", "Embassy Belgrade", "INFO", 1),
        ("Secretary of State", "Embassy Pristina", "INFO", 1),
        ("Secretary of State", "Embassy Tirana", "INFO", 1),
        ("Secretary of State", "Joint Staff", "INFO", 1),
        ("Secretary of State", "Mission USNATO", "TO", 1),
        ("Secretary of State", "NATO EU COLLECTIVE", "INFO", 1),
        ("Secretary of State", "National Security Council", "INFO", 1),
        ("Secretary of State", "Secretary of Defense", "INFO", 1),
        ("UNVIE", "Secretary of State", "TO", 1),
    ]
    # The station a cable is sent from is the one its addressees' cables are sent to: one key, both ways.
    keys = sql_connection.execute(
        """
        SELECT DISTINCT w.to_station_id = c.station_id
        FROM reporting.correspondence w JOIN reporting.cables c ON c.reference_id = '09STATE53069'
        WHERE w.to_station = 'Secretary of State'
        """
    ).fetchall()
    assert keys == [(True,)]


def test_the_aggregates_sum_the_summaries_rebuilt_at_the_end_of_the_load(sql_connection: psycopg.Connection) -> None:
    by_month = sql_connection.execute(
        "SELECT year, month, classification, level_rank, cables FROM reporting.cables_by_month ORDER BY 1, 2, 3"
    ).fetchall()
    assert by_month == [
        (2000, 12, "SECRET", 5, 1),
        (2005, 6, "SECRET", 5, 1),
        (2007, 10, "CONFIDENTIAL", 4, 1),
        (2008, 10, "CONFIDENTIAL//NOFORN", 4, 1),
        (2009, 4, "UNCLASSIFIED", 1, 1),
        (2009, 5, "CONFIDENTIAL", 4, 1),
        (2009, 6, "SECRET//NOFORN", 5, 1),
        (2009, 9, "CONFIDENTIAL", 4, 2),
        (2010, 1, "CONFIDENTIAL", 4, 1),
    ]
    origins = sql_connection.execute(
        "SELECT origin, cables, secret, confidential, unclassified, noforn FROM reporting.origins_summary ORDER BY 1"
    ).fetchall()
    assert origins == [
        ("Embassy Ankara", 2, 2, 0, 0, 0),
        ("Embassy Berlin", 4, 0, 4, 0, 1),
        ("Embassy London", 1, 0, 1, 0, 0),
        ("Mission USOSCE", 1, 0, 0, 1, 0),
        ("Secretary of State", 1, 0, 1, 0, 0),
        ("UNVIE", 1, 1, 0, 0, 1),
    ]
    # One summary row per group and clearance: the two September 2009 Berlin cables are one row of two.
    assert sql_connection.execute(
        "SELECT cables, clearance_caveats FROM cable_totals WHERE year = 2009 AND month = 9"
    ).fetchall() == [(2, ["SIPDIS"])]


def test_a_group_by_tags_as_the_reader_can_read_the_lists_in_order_from_their_index(
    reader_connection: psycopg.Connection,
) -> None:
    """ix_cables_tag_lists serves reporting.cables.tags only while it holds the view's expression and every
    column the view's joins and the row-level security read; a change to either would silently bring back
    hashing every list. With the alternatives switched off, the plan shows whether the index can serve."""
    for setting in ("enable_hashagg", "enable_sort", "enable_seqscan", "enable_bitmapscan"):
        reader_connection.execute(f"SET {setting} = off")
    plan = "\n".join(
        row[0] for row in reader_connection.execute("EXPLAIN SELECT tags, count(*) FROM reporting.cables GROUP BY 1")
    )
    assert "Index Only Scan using ix_cables_tag_lists" in plan, plan
    counts = reader_connection.execute("SELECT tags, count(*) FROM reporting.cables GROUP BY 1").fetchall()
    assert sorted(counts) == sorted((cable[8], 1) for cable in CABLES)  # every example's TAGS list differs
