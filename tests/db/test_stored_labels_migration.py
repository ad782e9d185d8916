"""Migration 0009 (stored labels, stations) on a database that holds cables: its upgrade fills what the loader
stores, its downgrade gives back the reporting views as they were."""

from __future__ import annotations

from pathlib import Path

import psycopg

from archive.db import migrate
from archive.db.session import libpq_url
from archive.load import load_paths

LABELS = (
    "SELECT c.reference_id, c.clearance_rank, c.classification, c.clearance_caveats, c.tag_codes, c.recipient_count, "
    "c.paragraph_count, c.reference_count, c.version_count, c.year, c.month, s.name "
    "FROM cables c JOIN origins o ON o.id = c.origin_id JOIN stations s ON s.id = o.station_id ORDER BY 1"
)
ADDRESSEE_STATIONS = (
    "SELECT a.name, s.name, s.rule FROM addressees a JOIN stations s ON s.id = a.station_id ORDER BY 1, 2"
)


def test_the_upgrade_stores_the_labels_the_loader_stores_and_the_downgrade_restores_the_views(
    empty_database: str, examples_dir: Path
) -> None:
    migrate.upgrade(empty_database)
    seeds = [str(examples_dir / name) for name in ("000_cfe706be70c9082a.txt", "002_756b422504c41c6c.txt")]
    assert load_paths(seeds, empty_database, workers=1).ok
    with psycopg.connect(libpq_url(empty_database), autocommit=True) as connection:
        loaded = connection.execute(LABELS).fetchall(), connection.execute(ADDRESSEE_STATIONS).fetchall()
        assert len(loaded[0]) == 2
        assert len(loaded[1]) == 12

        migrate.downgrade(empty_database, "0008")
        cable = connection.execute(
            "SELECT caveats, tags, signers FROM reporting.cables WHERE reference_id = '09STATE53069'"
        ).fetchone()
        assert cable == ("SIPDIS", "KV MARR NATO PGOV PREL KPKO", "CLINTON")  # as 0002 spelled them
        assert connection.execute("SELECT to_regclass('stations'), to_regclass('reporting.stations')").fetchone() == (
            None,
            None,
        )

        migrate.upgrade(empty_database)
        assert (connection.execute(LABELS).fetchall(), connection.execute(ADDRESSEE_STATIONS).fetchall()) == loaded
