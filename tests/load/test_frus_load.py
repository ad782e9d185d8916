"""FRUS volumes into the real database: telegrams become cables, other documents are counted as skipped."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.db.session import libpq_url
from archive.load import load_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "frus"
SHARED_TEI = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-forms" / "frus-tei"


def tei_volume(folder: Path, volume: str) -> bytes:
    """A whole volume assembled from its root and its document fragments, in document order."""
    root = (folder / f"{volume}-root.xml").read_bytes()
    fragments = sorted(folder.glob(f"{volume}-d*.xml"), key=lambda path: int(path.stem.rsplit("-d", 1)[1]))
    return root + b"<text><body>" + b"".join(path.read_bytes() for path in fragments) + b"</body></text></TEI>\n"


def test_a_tei_volume_loads_its_telegrams_and_counts_the_other_documents(tmp_path: Path, fresh_database: str) -> None:
    volume = tmp_path / "frus1955-57v25.xml"
    volume.write_bytes(tei_volume(DATA / "tei", "frus1955-57v25"))
    summary = load_paths([str(volume)], fresh_database, workers=1)
    assert (summary.loaded, summary.new_cables, len(summary.rejected)) == (4, 4, 0)
    assert sorted((s.location, s.message) for s in summary.skipped) == [
        ("document 119", "not a telegram: Memorandum of a Conversation"),
        ("document 149", "not a telegram: Editorial Note"),
    ]
    assert summary.ok and "skipped 2 (not cables)" in summary.line()
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        rows = conn.execute(
            "SELECT c.reference_id, s.format, s.location, c.publisher_metadata->'apparatus'->>'document'"
            " FROM cables c JOIN cable_versions v ON v.cable_id = c.id AND v.is_current"
            " JOIN sources s ON s.id = v.source_id ORDER BY 1"
        ).fetchall()
        notes = conn.execute(
            "SELECT count(*) FROM paragraphs WHERE text LIKE '%Cornut-Gentille%' OR text LIKE '%Telegram 313 to Belgrade%'"
        ).fetchone()
    assert rows == [
        ("56BUDAPEST171", "frus-tei", "document 130", "130"),
        ("56STATE2981", "frus-tei", "document 113", "113"),
        ("56STATE332", "frus-tei", "document 143", "143"),
        ("56WARSAW537", "frus-tei", "document 114", "114"),
    ]
    assert notes == (0,)  # editor's footnotes are apparatus, never paragraph text


def test_archive_load_of_the_text_edition_says_what_it_skipped(fresh_database: str) -> None:
    result = CliRunner().invoke(cli, ["load", str(DATA / "text"), "--database-url", fresh_database])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("loaded 6, unchanged 0, rejected 0, skipped 2 (not cables) (6 new cables")


@pytest.mark.skipif(not SHARED_TEI.is_dir(), reason=f"{SHARED_TEI} is absent")
def test_the_shared_volume_fragments_assembled(tmp_path: Path, fresh_database: str) -> None:
    volumes = {"frus1955-57v25": (14, 4), "frus1961-63v01": (8, 2), "frus1981-88v03": (2, 3)}
    for volume in volumes:
        (tmp_path / f"{volume}.xml").write_bytes(tei_volume(SHARED_TEI, volume))
    summary = load_paths([str(tmp_path)], fresh_database, workers=1)
    assert (summary.new_cables, len(summary.skipped), len(summary.rejected)) == (24, 9, 0)
    with psycopg.connect(libpq_url(fresh_database)) as conn:
        cables = dict(conn.execute("SELECT name, count(*) FROM sources GROUP BY name").fetchall())
    per_volume = {
        volume: (
            cables.get(str(tmp_path / f"{volume}.xml"), 0),
            sum(s.name == str(tmp_path / f"{volume}.xml") for s in summary.skipped),
        )
        for volume in volumes
    }
    assert per_volume == volumes
