"""Full-text search on the loaded sample of real cables: ranking, syntax, filters, paragraph hits, fallback."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.query.filters import CableFilter
from archive.query.search import MATCH_SIMILAR_SUBJECT, MATCH_TEXT, SIMILARITY_STEPS, search


def found(session: Session, query: str, **where: object) -> list[str]:
    return [hit.cable.reference_id for hit in search(session, query, CableFilter(**where))]  # type: ignore[arg-type]


def test_subject_hits_rank_above_body_hits(sample_session: Session) -> None:
    # 10BERLIN128 and 09BERLIN1167 have "data privacy" in their subjects; 09BERLIN1197 only in its body.
    assert found(sample_session, "data privacy") == ["10BERLIN128", "09BERLIN1167", "09BERLIN1197"]


def test_hits_show_matching_paragraphs_with_number_and_marking(sample_session: Session) -> None:
    hits = {hit.cable.reference_id: hit for hit in search(sample_session, "deterrent presence")}
    assert list(hits) == ["09STATE53069"]
    paragraphs = hits["09STATE53069"].paragraphs
    # The seed's paragraphs 1-7 are marked U, C, C, C, C, SBU, C; these three name the deterrent presence.
    assert [(p.number, p.marking) for p in paragraphs] == [(2, "C"), (6, "SBU"), (7, "C")]
    assert [p.label for p in paragraphs] == ["¶2 (C)", "¶6 (SBU)", "¶7 (C)"]
    assert all("«deterrent» «presence»" in p.snippet.lower() for p in paragraphs)


def test_snippets_highlight_the_words_and_fit_on_one_line(sample_session: Session) -> None:
    hit = search(sample_session, "data privacy", limit=1)[0]
    assert hit.cable.reference_id == "10BERLIN128"
    assert hit.match == MATCH_TEXT
    assert hit.subject == "ACTION REQUEST: OVERCOMING GERMAN DOUBTS ON U.S. «DATA» «PRIVACY» PRACTICES"
    assert "«data» «privacy»" in hit.snippet
    assert "\n" not in hit.snippet
    assert [(p.number, p.marking) for p in hit.paragraphs] == [(2, "C"), (3, "C"), (4, "C"), (6, "C")]


def test_web_search_syntax_phrases_or_and_exclusion(sample_session: Session) -> None:
    assert found(sample_session, '"data privacy" -westerwelle') == ["10BERLIN128"]
    assert found(sample_session, "westerwelle or kfor") == ["09STATE53069", "09BERLIN1197", "09BERLIN1167"]


def test_date_filters_include_both_days(sample_session: Session) -> None:
    assert found(sample_session, "Germany", since=date(2009, 9, 28)) == ["09BERLIN1197", "10BERLIN128"]
    assert found(sample_session, "Germany", until=date(2009, 9, 21)) == ["08BERLIN1387", "09BERLIN1167", "00ANKARA8112"]
    assert found(sample_session, "Germany", since=date(2009, 9, 21), until=date(2009, 9, 28)) == [
        "09BERLIN1197",
        "09BERLIN1167",
    ]


def test_origin_filter_forgives_spelling(sample_session: Session) -> None:
    berlin = ["08BERLIN1387", "09BERLIN1197", "10BERLIN128", "09BERLIN1167"]
    assert found(sample_session, "Germany", origin="berlin") == berlin
    assert found(sample_session, "Germany", origin="Embasy Berln") == berlin
    assert found(sample_session, "Germany", origin="ankara") == ["00ANKARA8112"]


def test_tag_filter_requires_every_tag(sample_session: Session) -> None:
    assert found(sample_session, "Germany", tags=("kjus",)) == ["09BERLIN1167"]
    assert found(sample_session, "Germany", tags=("KJUS", "GM")) == ["09BERLIN1167"]
    assert found(sample_session, "Germany", tags=("KJUS", "AF")) == []


def test_classification_filter_is_a_ceiling(sample_session: Session) -> None:
    # 00ANKARA8112 is SECRET: left out at CONFIDENTIAL; the CONFIDENTIAL cables stay.
    assert found(sample_session, "terrorism") == [
        "00ANKARA8112",
        "09BERLIN1167",
        "07LONDON4045",
        "10BERLIN128",
        "08BERLIN1387",
    ]
    assert found(sample_session, "terrorism", classification="C") == [
        "09BERLIN1167",
        "07LONDON4045",
        "10BERLIN128",
        "08BERLIN1387",
    ]
    assert found(sample_session, "terrorism", classification="sbu") == []


def test_limit(sample_session: Session) -> None:
    assert found(sample_session, "Germany") == [
        "08BERLIN1387",
        "09BERLIN1197",
        "10BERLIN128",
        "09BERLIN1167",
        "00ANKARA8112",
    ]
    assert [hit.cable.reference_id for hit in search(sample_session, "Germany", limit=2)] == [
        "08BERLIN1387",
        "09BERLIN1197",
    ]


def test_misspelt_words_fall_back_to_similar_subjects(sample_session: Session) -> None:
    hits = search(sample_session, "westerwele")
    assert [hit.cable.reference_id for hit in hits] == ["09BERLIN1197"]  # WESTERWELLE'S SURGE CLINCHES …
    assert hits[0].match == MATCH_SIMILAR_SUBJECT
    assert hits[0].paragraphs == ()


def test_nothing_found(sample_session: Session) -> None:
    assert search(sample_session, "zzyzx qwertyuiop") == []


def search_bound(session: Session, printed: str) -> tuple[bool, str | None]:
    """(bounded, subject_terms) of reporting.search_bound for a printed tsquery."""
    row = session.execute(text("SELECT * FROM reporting.search_bound(CAST(:q AS tsquery))"), {"q": printed}).one()
    return row.bounded, row.subject_terms


def test_the_subject_split_of_the_rank_bound_applies_to_queries_ranked_term_by_term_only(
    sample_session: Session,
) -> None:
    # Term by term: a query word in the subject lifts a cable's bound from 0.4 to 1.0.
    assert search_bound(sample_session, "'govern'") == (True, "'govern'")
    assert search_bound(sample_session, "'westerwell' | 'kfor'") == (True, "'westerwell' | 'kfor'")
    assert search_bound(sample_session, "'data' & 'privaci' | 'o''neil'") == (True, "'data' | 'privaci' | 'o''neil'")
    assert search_bound(sample_session, "!'govern'") == (True, "'govern'")
    # By pairs of positions (a root & or phrase): below 1.0 for every cable, subject or not.
    for printed in ("'data' & 'privaci'", "( 'data' | 'privaci' ) & 'berlin'", "'data' <-> 'privaci'"):
        assert search_bound(sample_session, printed) == (True, None)
    # Prefix and weight marks (never made by websearch syntax) and empty queries: no bound.
    for printed in ("'govern':*", "'govern':* & 'data'", "'govern':A", ""):
        assert search_bound(sample_session, printed) == (False, None)


def test_lexeme_limit_inverts_the_rank_bound(sample_session: Session) -> None:
    def lexeme_limit(weight: float, score: float) -> int | None:
        query = text("SELECT reporting.lexeme_limit(:weight, :score)")
        return sample_session.execute(query, {"weight": weight, "score": score}).scalar_one()

    # weight / log2(1 + lexemes) >= score: 1.0 / log2(1 + 1023) = 0.1.
    assert lexeme_limit(1.0, 0.1) == 1025  # 2 ** 10, rounded up past the float slack
    assert lexeme_limit(0.4, 0.1) == 17
    assert lexeme_limit(0.4, 0.001) is None  # any length could still score that
    assert lexeme_limit(1.0, 0.0) is None


def test_the_stored_facts_of_the_rank_bound_are_those_of_the_subject_and_vector(sample_session: Session) -> None:
    # subject_repeats: a lexeme of the subject's vector has two positions (true may also mean a comma
    # inside a lexeme, which only loosens the bound); search_lexemes: the vector's lexemes.
    rows = sample_session.execute(
        text(
            "SELECT c.subject_repeats, EXISTS (SELECT FROM unnest(to_tsvector('english', coalesce(c.subject, ''))) s "
            "WHERE cardinality(s.positions) > 1), c.search_lexemes = length(c.search_vector) FROM cables c"
        )
    ).all()
    assert len(rows) >= 10
    assert all(stored == repeats and lexemes for stored, repeats, lexemes in rows)


def test_the_fallback_sets_back_the_settings_it_plans_with(sample_session: Session) -> None:
    # Migrations 0018 and 0022 price word_similarity and a parallel plan for the recheck, 0013 steps the threshold.
    planning = {
        "cpu_operator_cost": "0.003",
        "parallel_setup_cost": "999",
        "parallel_tuple_cost": "0.2",
        "min_parallel_table_scan_size": "9MB",
        "pg_trgm.word_similarity_threshold": "0.65",
    }
    for name, value in planning.items():
        sample_session.execute(text(f"SET LOCAL {name} = '{value}'"))
    # No filter; a filter admitting one of the ten cables (the floor at once, 0021); one admitting all (the steps, priced).
    for filters, expected in (
        ("", 1),
        (", level_rank_at_most => 1::smallint", 0),
        (", level_rank_at_most => 6::smallint", 1),
    ):
        found = sample_session.execute(text(f"SELECT cable_id FROM reporting.similar_subjects('westerwele'{filters})"))
        assert len(found.all()) == expected
        settings = sample_session.execute(
            text("SELECT name, current_setting(name) FROM unnest(CAST(:names AS text[])) name"),
            {"names": list(planning)},
        )
        assert dict(settings.all()) == planning


def test_archive_search_steps_as_reporting_search_does(sample_session: Session) -> None:
    # reporting.search calls reporting.similar_subjects with its default steps (migration 0023), archive search
    # passes SIMILARITY_STEPS: one fallback for both only while the two agree.
    default = sample_session.execute(
        text(
            "SELECT pg_get_expr(p.proargdefaults, 0) FROM pg_proc p WHERE p.oid = 'reporting.similar_subjects'::regproc"
        )
    ).scalar_one()
    steps = default.rsplit(", ", 1)[-1]  # the last parameter's
    same = text(f"SELECT {steps} = CAST(:steps AS real[])")
    assert sample_session.execute(same, {"steps": list(SIMILARITY_STEPS)}).scalar_one(), steps
