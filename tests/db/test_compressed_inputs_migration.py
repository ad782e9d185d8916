"""Input bytes compressed (by the server since migration 0014, by the parse workers since 0024): the same bytes
read back, in less space, through every migration."""

from __future__ import annotations

from pathlib import Path

import psycopg

from archive.db import migrate
from archive.db.input_bytes import unpack
from archive.db.session import libpq_url
from archive.load import load_paths

PAGES = (
    "cables/chillicoder-cablegate/cable/2008/10/08BERLIN1387.html",
    "cables/chillicoder-cablegate/cable/2009/09/09BERLIN1167.html",
)
STORED = "SELECT name, raw, pg_column_compression(raw) FROM {} ORDER BY name"
ENCODED = "SELECT name, raw, raw_encoding FROM sources ORDER BY name"
FAILED = b"not a cable " * 1000


def stored(connection: psycopg.Connection) -> dict[str, list[tuple[str, bytes, str | None]]]:
    return {table: connection.execute(STORED.format(table)).fetchall() for table in ("sources", "load_errors")}


def test_the_loader_stores_inputs_compressed_and_the_migrations_keep_their_bytes(
    empty_database: str, examples_dir: Path
) -> None:
    migrate.upgrade(empty_database)
    assert load_paths([str(examples_dir / page) for page in PAGES], empty_database, workers=1).ok
    with psycopg.connect(libpq_url(empty_database), autocommit=True) as connection:
        connection.execute(
            "INSERT INTO load_errors (name, message, sha256, raw, loader_version) VALUES ('x', 'm', 'x', %s, 'test')",
            (FAILED,),
        )
        loaded = stored(connection)
        # zstd by the parse workers, stored as it is (sources.raw is EXTERNAL): no pglz on top.
        pages = [(str(examples_dir / page), (examples_dir / page).read_bytes()) for page in sorted(PAGES)]
        encoded = connection.execute(ENCODED).fetchall()
        assert [(name, unpack(raw, encoding)) for name, raw, encoding in encoded] == pages
        assert {encoding for *_, encoding in encoded} == {"zstd"}
        assert all(len(raw) < len(page) for (_, raw, _), (_, page) in zip(encoded, pages, strict=True))
        assert {method for _, _, method in loaded["sources"]} == {None}
        assert connection.execute(
            "SELECT attrelid::regclass::text, attname, attstorage FROM pg_attribute "
            "WHERE (attrelid, attname) IN (('cable_versions'::regclass, 'body'), ('cables'::regclass, 'search_vector')) "
            "ORDER BY 1"
        ).fetchall() == [("cable_versions", "body", "e"), ("cables", "search_vector", "e")]

        migrate.downgrade(empty_database, "0013")  # 0024 decodes the zstd rows, 0014 stores all plain
        before = stored(connection)
        assert {method for rows in before.values() for _, _, method in rows} == {None}  # as 0003 stored them
        assert [row[:2] for row in before["sources"]] == pages
        assert before["load_errors"] == [("x", FAILED, None)]

        migrate.upgrade(empty_database)  # 0014 compresses what was stored before (pglz); 0024 leaves it so
        after = stored(connection)
        assert [row[:2] for row in after["sources"]] == pages
        assert {method for rows in after.values() for _, _, method in rows} == {"pglz"}
        assert after["load_errors"] == [("x", FAILED, "pglz")]
        assert {encoding for *_, encoding in connection.execute(ENCODED)} == {None}
