"""One record of a third-party Cablegate export (JSON, SQL dump) as a ``Document``.

Exports re-serialise the ``cables.csv`` columns under names of their own. A record's fields
are mapped by name (case and punctuation ignored): the id from ``_id``/``reference_id``/``refid``…,
the creation time from ``date_time``/``date``/``created``… (``2004-01-20 12:12``,
``8/7/1987 12:11``, ISO 8601, MongoDB ``{"$date": …}``), ``origin``, ``classification``,
referenced ids (``references``, ``A|B``), ``header`` and ``body`` (``content``, ``text``), and the
publisher's ``subject`` and ``tags`` when an export carries them. They become the record's
``PublisherMetadata``; the telegram text is header and body.

An export's id is trusted only when the telegram text agrees (or gives no station and
serial to check it against). One real MongoDB export holds the *referenced* ids in ``_id``
(its columns are shifted): an id that names another cable than the banner's station and
serial, and that the text cites (or that joins several ids with ``|``), is read as the
referenced ids, with a warning, and the id comes from the text. Once a file shows the
shift, its ids that the text cannot check are read the same way. Any other id the banner
contradicts is left out with a warning: the id comes from the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive.cable import Document, PublisherMetadata, Rejection
from archive.parse.ids import find_station_serial, normalize_station, parse_reference_id
from archive.sources.cables_csv import parse_dump_time
from archive.sources.common import join_telegram, normalize_newlines, parse_timestamp

# Field names as exports spell them, squeezed (lower case, letters and digits only) → role.
FIELD_ROLES: Mapping[str, str] = {
    "id": "id",
    "oid": "id",
    "referenceid": "id",
    "refid": "id",
    "cableid": "id",
    "identifier": "id",
    "canonicalid": "id",
    "datetime": "created",
    "date": "created",
    "created": "created",
    "createdat": "created",
    "released": "released",
    "releasedate": "released",
    "origin": "origin",
    "classification": "classification",
    "references": "references",
    "referenceids": "references",
    "referencedids": "references",
    "refs": "references",
    "destination": "references",
    "header": "header",
    "body": "body",
    "content": "body",
    "text": "body",
    "subject": "subject",
    "title": "subject",
    "tags": "tags",
}
# The cables.csv columns by name, for exports that keep their order but not their names.
DUMP_COLUMNS = ("row", "date", "reference_id", "origin", "classification", "references", "header", "body")
_ROW_NUMBER = re.compile(r"^\s*\d+\s*$")


def field_role(name: str) -> str | None:
    """The role of an export's field name (``date_time`` → ``created``); None for fields not mapped."""
    return FIELD_ROLES.get(re.sub(r"[^a-z0-9]", "", name.lower()))


@dataclass
class ExportState:
    """What one file's records have shown so far: whether its id column is shifted."""

    shifted: bool = False


def record_document(
    name: str,
    location: str,
    raw: bytes,
    fields: Mapping[str, Any],
    state: ExportState,
    export_format: str,
    notes: tuple[str, ...] = (),
) -> Document | Rejection:
    """The ``Document`` of one export record (``fields`` by the export's own names), or why it is none.

    ``notes`` are warnings the reader already has for the record (a repaired line, say).
    """
    values: dict[str, Any] = {}
    for key, value in fields.items():
        role = field_role(key)
        if role is not None and role not in values and not _empty(value):
            if role == "id" and _ROW_NUMBER.match(_text(value)):
                continue  # a row number ("id" in the cablegate MySQL schema), not a cable's id
            values[role] = value
    header = _text(values.get("header"))
    body = _text(values.get("body"))
    text = normalize_newlines(join_telegram(header, body))
    if not text.strip():
        found = ", ".join(fields) or "none"
        message = f"no telegram text: the record has no header or body field (fields: {found})"
        return Rejection(name=name, location=location, format=export_format, raw=raw, message=message)
    created_value = values.get("created")
    created = export_time(created_value)
    warnings = list(notes)
    if created_value is not None and created is None:
        warnings.append(f"unreadable export date {_text(created_value)!r}: ignored")
    reference_id, references = _identity(_text(values.get("id")), text, state, warnings)
    references += _references(values.get("references"))
    metadata = PublisherMetadata(
        reference_id=reference_id,
        created=created,
        released=export_time(values.get("released")),
        classification=_text(values.get("classification")).strip() or None,
        origin=_text(values.get("origin")).strip() or None,
        subject=_text(values.get("subject")).strip() or None,
        tags=_tags(values.get("tags")),
        references=tuple(dict.fromkeys(references)),
    )
    return Document(
        name=name,
        location=location,
        format=export_format,
        raw=raw,
        text=text,
        metadata=metadata,
        warnings=tuple(warnings),
    )


def _identity(value: str, text: str, state: ExportState, warnings: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """The export's id when the text agrees with it, and the ids it holds instead when shifted."""
    value = value.strip()
    if not value:
        return None, ()
    listed = _references(value)
    banner = find_station_serial(text)
    parts = parse_reference_id(value) if len(listed) == 1 else None
    if parts is not None and (
        (banner is None and not state.shifted) or _same_cable(parts.station, parts.serial, banner)
    ):
        return value, ()
    if len(listed) > 1 or (parts is not None and banner is not None and _cited(parts.serial, text)):
        state.shifted = True
        where = f" (the banner reads {banner[0]} {banner[1]})" if banner else ""
        warnings.append(
            f"the export's id {value} is not this cable's{where}: it holds the referenced ids "
            "(the export's columns are shifted); the id is taken from the text"
        )
        return None, listed
    if state.shifted:
        warnings.append(f"the export's id {value} is read as referenced ids: the file's columns are shifted")
        return None, listed
    if parts is None:
        warnings.append(f"the export's id {value!r} is not a reference id: ignored")
        return None, ()
    assert banner is not None  # an id the text cannot check was trusted above
    warnings.append(
        f"the export's id {value} names another cable than the banner ({banner[0]} {banner[1]}): "
        "the id is taken from the text"
    )
    return None, ()


def _same_cable(station: str, serial: str, banner: tuple[str, str] | None) -> bool:
    return (
        banner is not None
        and normalize_station(banner[0]) == normalize_station(station)
        and int(banner[1]) == int(serial)
    )


def _cited(serial: str, text: str) -> bool:
    """True when the serial of an id is printed in the text (as a REF item cites it)."""
    return re.search(rf"(?<![\d/.:-])0*{int(serial)}(?![\d/.:-])", text) is not None


def export_time(value: Any) -> datetime | None:
    """An export's time: ``2004-01-20 12:12``, ``8/7/1987 12:11``, ISO 8601, ``{"$date": …}``; UTC."""
    if isinstance(value, Mapping):
        value = value.get("$date")
        if isinstance(value, Mapping):
            value = value.get("$numberLong")
        if isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)  # MongoDB: milliseconds since 1970
    if not isinstance(value, str) or not value.strip():
        return None
    found = parse_timestamp(value) or parse_dump_time(value)
    if found is not None:
        return found
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _references(value: Any) -> tuple[str, ...]:
    """Referenced ids: a list, or ids joined with ``|``."""
    return _listed(value, r"\|")


def _tags(value: Any) -> tuple[str, ...]:
    """Tags: a list, or codes joined with ``,`` or ``;``."""
    return _listed(value, r"[,;]")


def _listed(value: Any, separator: str) -> tuple[str, ...]:
    """The non-blank items of a list value, or of a text value split at ``separator``, stripped."""
    items = [_text(item) for item in value] if isinstance(value, list | tuple) else re.split(separator, _text(value))
    return tuple(stripped for item in items if (stripped := item.strip()))


def _text(value: Any) -> str:
    """A field value as text: strings as they are, MongoDB ``{"$oid": …}`` unwrapped, numbers printed."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        inner = next(iter(value.values()), None) if len(value) == 1 else None
        return _text(inner)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _empty(value: Any) -> bool:
    """No value: null, blank, or a MongoDB ObjectId (``{"$oid": …}``, a database key, not a cable's)."""
    if isinstance(value, Mapping):
        return "$oid" in value
    return value is None or (isinstance(value, str) and not value.strip())
