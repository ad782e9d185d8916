"""Provisional ids: a real telegram whose year (or serial) cannot be read is still archived.

A Cablegate id is the two-digit year, the station and the serial (``87NEWDELHI19406``). When
the text gives the station and serial but no date, and the input carries no published id or
date, the cable gets ``PROVISIONAL-<STATION>-<SERIAL>`` (``PROVISIONAL-NEWDELHI-19406``);
when not even the serial can be read, ``PROVISIONAL-<STATION>-H<hash>`` or
``PROVISIONAL-H<hash>``, the hash being the first 12 hex digits of the sha256 of the body's
letters and digits (upper case, so that two copies differing only in spacing agree).

The database marks these cables ``id_status = 'provisional'`` (a column computed from the id,
migration 0006). When an input later gives the full id of the same telegram — the same
station and serial, and matching text (:func:`same_text`) — the load merges the two into the
cable with the full id (:mod:`archive.load.provisional`).
"""

from __future__ import annotations

import hashlib
import re

from archive.parse.ids import normalize_station

PREFIX = "PROVISIONAL-"
_KEYED = re.compile(r"^PROVISIONAL-(?P<station>[A-Z]+)-(?P<serial>\d+)$")
_WORD = re.compile(r"[A-Z0-9]{3,}")
# Share of the shorter text's words the other must hold for the two to be one telegram.
SAME_TEXT_SHARE = 0.8
_MIN_WORDS = 5


def provisional_id(station: str | None, serial: str | None, body: str) -> str:
    """The provisional id of a telegram of ``station`` (and ``serial``) whose year is unknown."""
    place = normalize_station(station) if station else ""
    if place and serial and place.isalpha():
        return f"{PREFIX}{place}-{int(serial)}"
    letters = re.sub(r"[^A-Z0-9]", "", body.upper())
    digest = "H" + hashlib.sha256(letters.encode()).hexdigest()[:12].upper()
    return f"{PREFIX}{place}-{digest}" if place.isalpha() else f"{PREFIX}{digest}"


def is_provisional(reference_id: str | None) -> bool:
    return bool(reference_id) and str(reference_id).startswith(PREFIX)


def station_serial(reference_id: str) -> tuple[str, int] | None:
    """Station and serial of a ``PROVISIONAL-<STATION>-<SERIAL>`` id; None for a hashed one."""
    match = _KEYED.match(reference_id)
    return (match["station"], int(match["serial"])) if match else None


def same_text(first: str, second: str) -> bool:
    """True when two bodies are the same telegram: most words of the shorter occur in the other.

    Words (three or more letters or digits, any case) are compared as sets, so line breaks,
    spacing, page-break lines and a partial extract's missing paragraphs do not matter.
    """
    words = [set(_WORD.findall(text.upper())) for text in (first, second)]
    shorter, longer = sorted(words, key=len)
    if len(shorter) < _MIN_WORDS:
        return shorter == longer
    return len(shorter & longer) >= SAME_TEXT_SHARE * len(shorter)
