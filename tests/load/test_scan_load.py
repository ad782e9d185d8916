"""Scanned releases into the real database: every State telegram page and reference stub stored, no
boilerplate in a stored paragraph, other agencies' cable forms kept aside as rejections."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

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


def _madrid_pages(tmp_path: Path) -> tuple[Path, Path]:
    """The real Madrid 1429 page (shared) as two inputs: its page 69 up to paragraph 3, and from there a
    page 70 that prints only its page line (``PAGE 02 MADRID 01429 181241Z``) and the level, no header."""
    first, rest = (OCR / "state-telegrams" / "104-10305-10005-p069.md").read_text().split("3. ACCORDING CAS")
    head = tmp_path / "p069.md"
    head.write_text(first + "\nSECRET\n")
    later = tmp_path / "p070.md"
    later.write_text("-" * 80 + " Page 70\n\nSECRET\n\nPAGE 02 MADRID 01429 181241Z\n\n3. ACCORDING CAS" + rest)
    return head, later


@pytest.mark.parametrize("order", ["first page first", "continuation first", "one load"])
def test_a_continuation_page_in_another_input_joins_its_first_page(
    tmp_path: Path, fresh_database: str, sql: psycopg.Connection, order: str
) -> None:
    head, later = _madrid_pages(tmp_path)
    loads = {
        "first page first": [[head], [later]],
        "continuation first": [[later], [head]],
        "one load": [[head, later]],
    }
    for paths in loads[order]:
        load_paths([str(path) for path in paths], fresh_database, workers=1)
    [(reference_id, body, versions)] = sql.execute(
        "SELECT c.reference_id, v.body, c.version_count FROM cables c JOIN cable_versions v ON v.cable_id = c.id "
        "WHERE v.is_current"
    ).fetchall()
    assert reference_id == "69MADRID1429" and versions == 3
    numbers = [
        row[0] for row in sql.execute("SELECT number FROM paragraphs WHERE number IS NOT NULL ORDER BY position")
    ]
    assert numbers == [1, 2, 3, 4]  # the text in page order
    assert body.index("INTERVIEWS WITH CONSULAR OFFICER") < body.index("ACCORDING CAS")
    assert sql.execute("SELECT count(*) FROM paragraphs WHERE text LIKE '%PAGE 02%'").fetchone() == (0,)
    sources = {
        Path(row[0]).name
        for row in sql.execute("SELECT s.name FROM cable_version_sources vs JOIN sources s ON s.id = vs.source_id")
    }
    assert {"p069.md", "p070.md"} <= {name for source in sources for name in source.split(" + ")}
    [current] = sql.execute(
        "SELECT s.name, s.location FROM cable_versions v JOIN sources s ON s.id = v.source_id WHERE v.is_current"
    ).fetchall()
    assert [Path(name).name for name in current[0].split(" + ")] == ["p069.md", "p070.md"]
