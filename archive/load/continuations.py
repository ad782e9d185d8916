"""Continuation pages of a scanned telegram, loaded as an input of their own, joined to their first page.

A scan's later page (``PAGE 02 MADRID 01429 181241Z``) loaded without its first page is a cable of
its own, ``PROVISIONAL-MADRID-1429``: its page line names the station and serial, not the year.
When the first page's cable (``69MADRID1429``, from its scan edition) is in the archive too, from
another input or another load, the two are one telegram whose text runs across both pages: the
reader joins the two inputs' pages (:func:`archive.sources.scans.join_inputs`), the load stores
that text as a new version of the full cable's scan edition (the longer text: current by the
usual rule, the first page alone is a truncated copy of it) and the provisional cable's versions
then move to the full cable (:func:`archive.load.provisional.merge_into`), so both inputs stay its
sources. The load does this once its batches are stored, before the provisional merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Connection

from archive.cable import Document
from archive.db.input_bytes import unpack
from archive.load.merge import wait_for_merges
from archive.load.provisional import FULL_IDS, merge_into
from archive.parse.provisional import station_serial
from archive.sources.scans import FORMAT, join_inputs

# Provisional cables whose current text is a scan, with the input that brought it.
PROVISIONAL_SCANS = """
SELECT c.id, c.reference_id, s.name, s.raw, s.raw_encoding
FROM cables c
JOIN cable_versions v ON v.cable_id = c.id AND v.is_current AND v.form = %(form)s
JOIN sources s ON s.id = v.source_id
WHERE c.id_status = 'provisional'
ORDER BY c.id
"""
# The full cables of that station and serial with a scan edition, with the input its fields come from.
FIRST_PAGES = f"""
SELECT f.id, s.name, s.raw, s.raw_encoding
FROM cables f
JOIN cable_editions e ON e.cable_id = f.id AND e.form = %(form)s
JOIN sources s ON s.id = e.source_id
WHERE f.id_status = 'full' AND f.canonical_id IN {FULL_IDS}
ORDER BY f.reference_id <> f.canonical_id, f.id
"""
# The joined text was stored as a version of the full cable (its parse gave the full cable's id).
JOINED_STORED = """
SELECT FROM cable_versions v JOIN sources s ON s.id = v.source_id
WHERE v.cable_id = %s AND s.name = %s AND s.location IS NOT DISTINCT FROM %s
"""


@dataclass(frozen=True, slots=True)
class JoinedPages:
    provisional: int  # the cable of the continuation pages
    full: int  # the cable of the first page
    document: Document  # the two inputs' pages as one telegram


def find_joins(connection: Connection) -> list[JoinedPages]:
    """Every provisional scanned cable that continues the scan edition of a full cable in the archive."""
    found = []
    provisional_scans = connection.execute(PROVISIONAL_SCANS, {"form": FORMAT}).fetchall()
    for provisional, reference_id, name, raw, encoding in provisional_scans:
        key = station_serial(reference_id)
        if key is None:
            continue  # no page line named the telegram
        parameters = {"form": FORMAT, "key": f"{key[0]}{key[1]}"}
        for full, first_name, first_raw, first_encoding in connection.execute(FIRST_PAGES, parameters).fetchall():
            document = join_inputs((first_name, unpack(first_raw, first_encoding)), (name, unpack(raw, encoding)))
            if document is not None:
                found.append(JoinedPages(provisional, full, document))
                break
    return found


def merge_joined(connection: Connection, joins: list[JoinedPages]) -> int:
    """Once the joined texts are stored, move each continuation's cable into its full cable; returns how many."""
    merged = 0
    with connection.transaction():
        wait_for_merges(connection)
        for join in joins:
            stored = (join.full, join.document.name, join.document.location)
            if connection.execute(JOINED_STORED, stored).fetchone() is not None:
                merge_into(connection, join.provisional, join.full)
                merged += 1
    return merged
