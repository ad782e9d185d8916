"""REF blocks: lettered lists of cited cables, emails, telcons and memos.

``REF: A. STATE 12345 B. 08 BERLIN 99``, ``REFS: (A) ...``, ``REFTEL: ...``, ``A) ... B) ...``;
each item becomes one ``Reference`` per cited cable (``BRASILIA 2799 AND 2764`` cites two).
"""

from __future__ import annotations

import re

from archive.cable import Reference
from archive.parse.ids import cable_reference_canonical_ids

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\bE-?\s?MAILS?\b|\bEMAILED\b", re.IGNORECASE)),
    ("telcon", re.compile(r"\bTELE?CONS?\b|\bTELEPHONE\b|\bPHONE\s*CALL", re.IGNORECASE)),
    ("memo", re.compile(r"\bMEMO(?:RANDUM|CON)?S?\b", re.IGNORECASE)),
)


def _letter_marker(letter: str) -> re.Pattern[str]:
    """An item marker for ``letter``: ``A.``, ``A)``, ``(A)``, ``a.``, ``(a)`` at a word start."""
    return re.compile(rf"(?:^|(?<=[\s,;]))\(?(?:{letter}|{letter.lower()})(?:[.):]|\s*-\s)\s*")


_MARKERS = {letter: _letter_marker(letter) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def split_items(text: str) -> list[tuple[str | None, str]]:
    """The items of a REF block as (letter, text); one unlettered item when none are lettered."""
    text = re.sub(r"\s+", " ", text).strip()
    first = _MARKERS["A"].match(text)
    if not first:
        return [(None, text)] if text else []
    items: list[tuple[str | None, str]] = []
    position = first.end()
    letter_index = 0
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        following = letters[letter_index + 1] if letter_index + 1 < len(letters) else None
        nxt = _MARKERS[following].search(text, position) if following else None
        end = nxt.start() if nxt else len(text)
        items.append((letters[letter_index], text[position:end].strip(" ,;")))
        if not nxt:
            return items
        position = nxt.end()
        letter_index += 1


def reference_kind(text: str) -> str:
    """email, telcon or memo when the item says so; cable when it cites one; else other."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"


def parse_references(text: str, year: int | None) -> tuple[Reference, ...]:
    """The references of a REF block (the text after ``REF:``); ``year`` completes short citations."""
    references: list[Reference] = []
    for letter, item in split_items(text):
        kind = reference_kind(item)
        ids = cable_reference_canonical_ids(item, year) if year and kind == "other" else ()
        if ids:
            references.extend(Reference(letter, "cable", item, canonical) for canonical in ids)
        else:
            references.append(Reference(letter, kind, item))
    return tuple(references)
