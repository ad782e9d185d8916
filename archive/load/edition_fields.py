"""Fill the fields of editions stored without them, by parsing their stored source bytes again.

Migration 0010 gave every (cable, form) an edition, but only the edition holding the cable's current
version could take fields (the cable's); an edition made from versions that were not current (one id
that already had texts of several forms) kept NULL fields. Their inputs are in ``sources``: each is
read again in its format and parsed with the current code, and the document whose text is the
edition's leading version's (the same text sha256 the load stores) gives the edition its fields, as
a load would have stored them. An input that no longer reads or parses leaves its edition as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from psycopg import Connection
from psycopg.types.json import Jsonb

from archive.cable import Cable, Document, InputError
from archive.load.staging import banner_caveats, metadata_json, text_sha256

# Editions without their fields (paragraph_count is set for every edition a load stores), with the
# input behind them and the text of the version it brought.
UNFILLED = """
SELECT e.cable_id, e.form, s.name, s.format, s.raw, v.text_sha256
FROM cable_editions e
JOIN sources s ON s.id = e.source_id
JOIN cable_versions v ON v.cable_id = e.cable_id AND v.form = e.form AND v.source_id = e.source_id
WHERE e.paragraph_count IS NULL
ORDER BY e.cable_id, e.form
"""
ADD_ORIGIN = "INSERT INTO origins (name) VALUES (%s) ON CONFLICT DO NOTHING"
FILL = """
UPDATE cable_editions SET
    created = %(created)s,
    classification_level_id = (SELECT id FROM classification_levels WHERE name = %(level)s),
    caveats = %(caveats)s,
    origin_id = (SELECT id FROM origins WHERE name = %(origin)s),
    station = %(station)s, subject = %(subject)s, precedence = %(precedence)s, signers = %(signers)s,
    paragraph_count = %(paragraphs)s, publisher_metadata = %(metadata)s
WHERE cable_id = %(cable_id)s AND form = %(form)s
"""


def fill_edition_fields(connection: Connection, parse: Callable[[Document], Cable] | None = None) -> int:
    """Give every edition stored without fields those of its input parsed again; returns how many were filled.

    Migration 0011 runs it, on inputs stored as they came: before 0024 compressed any (``sources.raw_encoding``).
    """
    from archive.parse import parse as parse_document
    from archive.sources import read_stream

    parse = parse or parse_document
    filled = 0
    for cable_id, form, name, input_format, raw, stored_sha256 in connection.execute(UNFILLED).fetchall():
        for item in read_stream(name, io.BytesIO(bytes(raw)), input_format):
            if isinstance(item, Document) and text_sha256(item) == bytes(stored_sha256):
                filled += _fill(connection, (cable_id, form), item, parse)
                break
    return filled


def _fill(
    connection: Connection, edition: tuple[int, str], document: Document, parse: Callable[[Document], Cable]
) -> int:
    try:
        cable = parse(document)
    except InputError:
        return 0
    if cable.origin is not None:
        connection.execute(ADD_ORIGIN, (cable.origin,))
    metadata = metadata_json(document, cable)
    connection.execute(
        FILL,
        {
            "cable_id": edition[0],
            "form": edition[1],
            "created": cable.created,
            "level": cable.level,
            "caveats": banner_caveats(cable),
            "origin": cable.origin,
            "station": cable.station,
            "subject": cable.subject,
            "precedence": cable.precedence,
            "signers": list(cable.signers),
            "paragraphs": len(cable.paragraphs),
            "metadata": None if metadata is None else Jsonb(metadata),
        },
    )
    return 1
