"""Merge a cable archived under a provisional id into the cable with its full id.

A provisional cable ``PROVISIONAL-NEWDELHI-19406`` and a cable whose canonical id is that
station and serial in some year (``87NEWDELHI19406``) are one telegram when their bodies match
(:func:`archive.parse.provisional.same_text`); so are a provisional cable with a station but no
serial (``PROVISIONAL-TEHRAN-H…``) and a full cable of that station sent the same day. The merge moves the provisional cable's editions
(those of a form the full cable lacks) and versions (and the sources behind them) to the full
cable, numbered after its own, makes current the text of the more authoritative form (the full
cable's on a tie: the telegram's own text over FRUS over a scan, docs/editions.md) and takes the
cable's fields from it, notes where the editions disagree, and deletes the provisional cable; references citing either resolve to the full one
afterwards. It runs at the end of every load that stored something, so it does not matter which
of the two inputs came first.
"""

from __future__ import annotations

import re

from psycopg import Connection

from archive.db.models import current_body_sql
from archive.load.merge import CABLE_COLUMNS, CHILD_TABLES, EDITION_COLUMNS, MERGE_LOCK, note_disagreements_sql
from archive.parse.provisional import same_text, station_serial

# The canonical ids of a station and serial (``%(key)s``: ``MADRID1429``) in any year: the
# two-digit year is the only part a ``PROVISIONAL-MADRID-1429`` id lacks.
FULL_IDS = "(SELECT to_char(y, 'FM00') || %(key)s FROM generate_series(0, 99) AS y)"
# Each provisional cable with a station and serial, beside every full cable of that station and
# serial in any year.
CANDIDATES = f"""
SELECT p.id, {current_body_sql("p.id")}, f.id, {current_body_sql("f.id")}
FROM cables p
JOIN cables f ON f.id_status = 'full' AND f.canonical_id IN {FULL_IDS}
WHERE p.reference_id = %(reference_id)s
ORDER BY f.reference_id <> f.canonical_id, f.id
"""
# A provisional cable with a station but no serial (``PROVISIONAL-TEHRAN-H…``, a FRUS telegram printed
# without its number) beside every full cable of that station sent the same day, one day apart
# allowed (a FRUS dateline gives the local date).
SAME_DAY_CANDIDATES = f"""
SELECT p.id, {current_body_sql("p.id")}, f.id, {current_body_sql("f.id")}
FROM cables p
JOIN cables f ON f.id_status = 'full'
    AND f.created BETWEEN p.created - interval '2 days' AND p.created + interval '2 days'
    AND abs((f.created AT TIME ZONE 'UTC')::date - (p.created AT TIME ZONE 'UTC')::date) <= 1
    AND f.canonical_id ~ ('^[0-9]{{2}}' || %(station)s || '[0-9]+$')
WHERE p.reference_id = %(reference_id)s
ORDER BY f.reference_id <> f.canonical_id, f.id
"""
_STATION_ONLY = re.compile(r"^PROVISIONAL-(?P<station>[A-Z]+)-H[0-9A-F]+$")
PROVISIONAL = "SELECT reference_id FROM cables WHERE id_status = 'provisional' ORDER BY id"

MOVE_VERSIONS = (
    # An edition of a form the full cable lacks becomes the full cable's.
    f"""
    INSERT INTO cable_editions (cable_id, form, {", ".join(EDITION_COLUMNS)})
    SELECT %(full)s, form, {", ".join(EDITION_COLUMNS)} FROM cable_editions WHERE cable_id = %(provisional)s
    ON CONFLICT (cable_id, form) DO NOTHING
    """,
    # A text the full cable's edition already has: its sources join that version, the duplicate goes.
    """
    UPDATE cable_version_sources s SET cable_id = %(full)s, version = fv.version
    FROM cable_versions pv
    JOIN cable_versions fv ON fv.cable_id = %(full)s AND fv.form = pv.form AND fv.text_sha256 = pv.text_sha256
    WHERE pv.cable_id = %(provisional)s AND s.cable_id = pv.cable_id AND s.version = pv.version
    """,
    """
    DELETE FROM cable_versions pv USING cable_versions fv
    WHERE pv.cable_id = %(provisional)s AND fv.cable_id = %(full)s AND fv.form = pv.form
      AND fv.text_sha256 = pv.text_sha256
    """,
    # The other versions follow the full cable's, in their order, none of them current. Their
    # sources are moved aside first: their foreign key points at the version being renumbered.
    """
    CREATE TEMP TABLE moved_versions AS
    SELECT version AS old, %(offset)s + row_number() OVER (ORDER BY version) AS new
    FROM cable_versions WHERE cable_id = %(provisional)s
    """,
    """
    CREATE TEMP TABLE moved_version_sources AS
    SELECT s.source_id, m.new FROM cable_version_sources s JOIN moved_versions m ON m.old = s.version
    WHERE s.cable_id = %(provisional)s
    """,
    "DELETE FROM cable_version_sources WHERE cable_id = %(provisional)s",
    """
    UPDATE cable_versions v SET cable_id = %(full)s, is_current = false, version = m.new
    FROM moved_versions m WHERE v.cable_id = %(provisional)s AND v.version = m.old
    """,
    """
    INSERT INTO cable_version_sources (source_id, cable_id, version)
    SELECT source_id, %(full)s, new FROM moved_version_sources
    """,
    "DROP TABLE moved_versions, moved_version_sources",
    "DELETE FROM cables WHERE id = %(provisional)s",
)
NOTE_DISAGREEMENTS = note_disagreements_sql("SELECT %(full)s::bigint AS cable_id")

# Whether the provisional cable's current text is of a more authoritative form than the full cable's
# (a telegram text with no year beside a FRUS document or a scan), and which text that is.
OUTRANKS = """
SELECT pv.form, pv.text_sha256
FROM cable_versions pv JOIN cable_editions pe ON pe.cable_id = pv.cable_id AND pe.form = pv.form
JOIN cable_versions fv ON fv.cable_id = %(full)s AND fv.is_current
JOIN cable_editions fe ON fe.cable_id = fv.cable_id AND fe.form = fv.form
WHERE pv.cable_id = %(provisional)s AND pv.is_current AND pe.authority < fe.authority
"""
# Then the cable's fields and child rows are the provisional cable's, taken before it goes: all but
# the full id, and the date where that edition gives none (the full id's year comes from another
# edition's); its warnings but the one announcing the provisional id.
_TAKEN = [column for column in CABLE_COLUMNS if column != "canonical_id"]
_TAKEN_FROM = {
    "created": "coalesce(p.created, f.created)",
    "warnings": "ARRAY(SELECT w FROM unnest(p.warnings) AS w WHERE NOT starts_with(w, 'provisional id '))",
}
TAKE_FIELDS = (
    f"""
    UPDATE cables f SET ({", ".join(_TAKEN)}) = ROW({", ".join(_TAKEN_FROM.get(c, f"p.{c}") for c in _TAKEN)})
    FROM cables p WHERE f.id = %(full)s AND p.id = %(provisional)s
    """,
    *(f"DELETE FROM {table} WHERE cable_id = %(full)s" for table in CHILD_TABLES),
    *(f"UPDATE {table} SET cable_id = %(full)s WHERE cable_id = %(provisional)s" for table in CHILD_TABLES),
)
# Once the versions moved, that text is the full cable's current version.
MAKE_CURRENT = (
    "UPDATE cable_versions SET is_current = false WHERE cable_id = %(full)s AND is_current",
    "UPDATE cable_versions SET is_current = true WHERE cable_id = %(full)s AND form = %(form)s AND text_sha256 = %(sha)s",
)


# Cables still under a provisional id whose current text a load stored (since ``started``).
COUNT_LOADED = """
SELECT count(*) FROM cables c JOIN sources s ON s.id = c.source_id
WHERE c.id_status = 'provisional' AND s.loaded_at >= %s
"""


def count_loaded(connection: Connection, started: object) -> int:
    """How many cables a load that began at ``started`` (the server's clock) left under a provisional id."""
    row = connection.execute(COUNT_LOADED, (started,)).fetchone()
    return row[0] if row else 0


def merge_provisional(connection: Connection) -> int:
    """Merge every provisional cable whose full id is now in the archive; returns how many merged.

    Runs in one transaction on ``connection`` (autocommit or not: it opens its own block).
    """
    merged = 0
    with connection.transaction():
        # Taking turns with the batch merges of concurrent loads, which add and replace cables.
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MERGE_LOCK,))
        for (reference_id,) in connection.execute(PROVISIONAL).fetchall():
            candidates = _candidates(reference_id)
            if candidates is None:
                continue  # a hashed id without a station: only an identical text finds it (the same id)
            for provisional, body, full, full_body in connection.execute(*candidates).fetchall():
                if same_text(body, full_body):
                    merge_into(connection, provisional, full)
                    merged += 1
                    break
    return merged


def _candidates(reference_id: str) -> tuple[str, dict[str, str]] | None:
    """The query (and its parameters) for the full cables that may be the telegram of ``reference_id``."""
    key = station_serial(reference_id)
    if key is not None:
        return CANDIDATES, {"key": f"{key[0]}{key[1]}", "reference_id": reference_id}
    station_only = _STATION_ONLY.match(reference_id)
    if station_only is not None:
        return SAME_DAY_CANDIDATES, {"station": station_only["station"], "reference_id": reference_id}
    return None


def merge_into(connection: Connection, provisional: int, full: int) -> None:
    """Move the provisional cable ``provisional`` into the full cable ``full`` (the caller holds the merge
    lock); the cable's fields are then its most authoritative edition's, whichever of the two gave it."""
    row = connection.execute("SELECT coalesce(max(version), 0) FROM cable_versions WHERE cable_id = %s", (full,))
    offset = (row.fetchone() or (0,))[0]
    parameters = {"provisional": provisional, "full": full, "offset": offset}
    leading = connection.execute(OUTRANKS, parameters).fetchone()
    for statement in TAKE_FIELDS if leading else ():
        connection.execute(statement, parameters)
    for statement in MOVE_VERSIONS:
        connection.execute(statement, parameters)
    if leading:
        for statement in MAKE_CURRENT:
            connection.execute(statement, {**parameters, "form": leading[0], "sha": leading[1]})
    connection.execute(NOTE_DISAGREEMENTS, parameters)
