"""Scanned releases into the real database: every State telegram page and reference stub stored, no
boilerplate in a stored paragraph, other agencies' cable forms kept aside as rejections."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg

from archive.db.session import libpq_url
from archive.load import load_paths

OCR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-forms" / "ocr-telegrams"


def test_scanned_telegrams_and_reference_stubs_are_all_stored(tmp_path: Path, fresh_database: str) -> None:
    for page in [*sorted((OCR / "state-telegrams").glob("*.md")), *sorted(OCR.glob("jfk_doc_*.md"))]:
        shutil.copy(page, tmp_path / page.name)
    for page in sorted((OCR / "near-misses").glob("*.md")):
        shutil.copy(page, tmp_path / f"near-miss-{page.name}")
    summary = load_paths([str(tmp_path)], fresh_database, workers=1)
    rejected = sorted(Path(problem.name).name for problem in summary.rejected)
    assert rejected == [
        f"near-miss-{name}" for name in ("jfk_doc_487-p029.md", "jfk_doc_729-p004.md", "jfk_doc_898-p055.md")
    ]
    # A sheet file opens with a CIA cable page (its own stamp): skipped and counted.
    assert [(Path(problem.name).name, problem.location) for problem in summary.skipped] == [
        ("jfk_doc_512-p026.md", "page 1")
    ]
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        formats = dict(
            conn.execute(
                "SELECT s.format, count(DISTINCT c.id) FROM cables c JOIN cable_versions v ON v.cable_id = c.id"
                " JOIN sources s ON s.id = v.source_id GROUP BY 1"
            ).fetchall()
        )
        ids = {row[0] for row in conn.execute("SELECT reference_id FROM cables").fetchall()}
        boilerplate = conn.execute(
            "SELECT count(*) FROM paragraphs WHERE text ~* 'REPRODUCTION|PROHIBITED|DECLASSIFICATION|Declassify|14-0000'"
        ).fetchone()
        sheet_paragraphs = conn.execute(
            "SELECT count(*) FROM paragraphs p JOIN cables c ON c.id = p.cable_id"
            " JOIN cable_versions v ON v.cable_id = c.id JOIN sources s ON s.id = v.source_id"
            " WHERE s.format = 'scan-sheet'"
        ).fetchone()
    assert formats == {"scan": 6, "scan-sheet": 29}
    assert {"57HONGKONG865", "63STATE286", "68BERLIN2538", "69STATE69053", "69MADRID1429", "69STATE59324"} <= ids
    assert {"76KINGSTON2883", "61STATE881", "73CARACAS2866"} <= ids
    assert boilerplate == (0,) and sheet_paragraphs == (0,)
