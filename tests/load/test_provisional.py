"""Provisional ids: an undated telegram is archived, counted, and merged when its full id arrives.

03COLOMBO2200 is a real partial extract with no date-time group and no date in its text: alone
(as a .txt, without the page's metadata) the year of its id is unknown. It is stored under
``PROVISIONAL-COLOMBO-2200``; when its cablegate page brings ``03COLOMBO2200``, the two merge.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from archive.cable import Document
from archive.db.session import libpq_url
from archive.load.loader import load_paths
from archive.parse import NO_YEAR
from archive.parse.provisional import provisional_id, same_text
from archive.sources import read_paths

PAGE = "cables/avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html"


def test_provisional_id_forms() -> None:
    assert provisional_id("NEW DELHI", "019406", "") == "PROVISIONAL-NEWDELHI-19406"
    assert provisional_id("NEW DELHI", None, "Some text") == provisional_id("NEWDELHI", None, "SOME  TEXT")
    assert provisional_id(None, None, "text").startswith("PROVISIONAL-H")
    assert same_text("ONE TWO THREE FOUR FIVE SIX", "one two\nthree four five six seven eight")
    assert not same_text("ONE TWO THREE FOUR FIVE SIX", "SEVEN EIGHT NINE TEN ELEVEN TWELVE")


def test_an_undated_extract_gets_a_provisional_id_and_merges_with_its_full_id(
    examples_dir: Path, fresh_database: str, tmp_path: Path
) -> None:
    page = examples_dir / PAGE
    (document,) = read_paths([str(page)])
    assert isinstance(document, Document)
    alone = tmp_path / "colombo-extract.txt"
    alone.write_text(document.text)
    # Another copy of the same telegram, spaced differently: another version of it.
    respaced = tmp_path / "colombo-extract-respaced.txt"
    respaced.write_text(document.text.replace("\n\n", "\n\n\n"))

    summary = load_paths([str(alone), str(respaced)], fresh_database, workers=0)
    assert summary.rejected == [] and summary.loaded == 2
    assert (summary.new_cables, summary.new_versions) == (1, 1)
    assert (summary.provisional_ids, summary.provisional_merged) == (1, 0)
    assert "1 provisional ids, 0 merged into their full id" in summary.line()
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        row = conn.execute(
            "SELECT reference_id, canonical_id, id_status, created, warnings FROM cables WHERE reference_id LIKE 'PROV%'"
        ).fetchone()
    assert row is not None
    assert row[:4] == ("PROVISIONAL-COLOMBO-2200", "PROVISIONAL-COLOMBO-2200", "provisional", None)
    assert NO_YEAR in row[4]
    assert "provisional id PROVISIONAL-COLOMBO-2200: it becomes the full id when an input gives that" in row[4]

    summary = load_paths([str(page)], fresh_database, workers=0)
    assert (summary.loaded, summary.provisional_ids, summary.provisional_merged) == (1, 0, 1)
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        cables = conn.execute("SELECT reference_id, id_status FROM cables").fetchall()
        versions = conn.execute(
            "SELECT v.version, v.is_current, count(s.source_id) FROM cable_versions v "
            "JOIN cables c ON c.id = v.cable_id JOIN cable_version_sources s USING (cable_id, version) "
            "WHERE c.reference_id = '03COLOMBO2200' GROUP BY 1, 2 ORDER BY 1"
        ).fetchall()
    assert cables == [("03COLOMBO2200", "full")]
    # The page's text is the first extract's: one version with both sources; the respaced copy follows.
    assert versions == [(1, True, 2), (2, False, 1)]


def test_a_provisional_id_loaded_after_its_full_id_joins_it(
    examples_dir: Path, fresh_database: str, tmp_path: Path
) -> None:
    page = examples_dir / PAGE
    (document,) = read_paths([str(page)])
    assert isinstance(document, Document)
    flattened = tmp_path / "colombo-flattened.txt"
    flattened.write_text(document.text.replace("\n\n", "\n \n"))
    assert load_paths([str(page)], fresh_database, workers=0).new_cables == 1

    summary = load_paths([str(flattened)], fresh_database, workers=0)
    assert (summary.loaded, summary.new_cables, summary.provisional_ids, summary.provisional_merged) == (1, 1, 0, 1)
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        rows = conn.execute(
            "SELECT c.reference_id, v.version, v.is_current, s.name FROM cables c "
            "JOIN cable_versions v ON v.cable_id = c.id JOIN sources s ON s.id = v.source_id ORDER BY v.version"
        ).fetchall()
    assert rows == [("03COLOMBO2200", 1, True, str(page)), ("03COLOMBO2200", 2, False, str(flattened))]
