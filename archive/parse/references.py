"""REF blocks: lettered lists of cited cables, emails, telcons and memos.

``REF: A. STATE 12345 B. 08 BERLIN 99``, ``REFS: (A) ...``, ``REFTEL: ...``, ``A) ... B) ...``;
each item becomes one ``Reference`` per cited cable (``BRASILIA 2799 AND 2764`` cites two).
"""

from __future__ import annotations

import re

from archive.cable import Reference
from archive.parse.ids import cited_cables

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\bE-?\s?MAILS?\b|\bEMAILED\b", re.IGNORECASE)),
    ("telcon", re.compile(r"\bTELE?CONS?\b|\bTELEPHONE\b|\bPHONE\s*CALL", re.IGNORECASE)),
    ("memo", re.compile(r"\bMEMO(?:RANDUM|CON)?S?\b", re.IGNORECASE)),
)


def _letter_marker(letter: str) -> re.Pattern[str]:
    """An item marker for ``letter``: ``A.``, ``A)``, ``(A)``, ``a.``, ``(a)`` at a word start, or a
    bare ``B`` between a cited serial and the next station (``SECSTATE 90063 B KUALA LUMPUR 739``)."""
    return re.compile(
        rf"(?:^|(?<=[\s,;]))\(?(?:{letter}|{letter.lower()})(?:[.):]|\s*-\s)\s*|(?<=\d\s){letter}\s(?=[A-Z]{{2}})"
    )


_MARKERS = {letter: _letter_marker(letter) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
# The same letter printed twice: "A. A) BRUSSELS 1389", "B. (B) EMBASSY PARIS DAILY REPORT".
_REPEATED_MARKER = {letter: re.compile(rf"^\(?{letter}[.)]\s*", re.IGNORECASE) for letter in _MARKERS}


def split_items(text: str) -> list[tuple[str | None, str]]:
    """The items of a REF block as (letter, text); one unlettered item when none are lettered."""
    # Runs of spaces squeezed: split and join, two C calls, not a pattern looked up and run.
    text = " ".join(text.split())
    first = _MARKERS["A"].match(text)
    items: list[tuple[str | None, str]] = []
    if not first:
        # An unlettered citation may come before the lettered list: "09 STATE 96625; A. A)STATE 70789; B. ..."
        first = _MARKERS["A"].search(text)
        if first is None or first.start() == 0 or not _MARKERS["B"].search(text, first.end()):
            return [(None, text)] if text else []
        items.append((None, text[: first.start()].strip(" ,;")))
    position = first.end()
    letter_index = 0
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        following = letters[letter_index + 1] if letter_index + 1 < len(letters) else None
        nxt = _MARKERS[following].search(text, position) if following else None
        end = nxt.start() if nxt else len(text)
        letter = letters[letter_index]
        items.append((letter, _REPEATED_MARKER[letter].sub("", text[position:end].strip(" ,;"), count=1)))
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
    """The references of a REF block (the text after ``REF:``); ``year`` completes short citations.

    A cited cable whose year is unknown (no date-time group, no year in the item) is still a
    cable reference, without a canonical id.
    """
    references: list[Reference] = []
    for letter, item in split_items(text):
        kind = reference_kind(item)
        cables = cited_cables(item, year) if kind == "other" else ()
        if cables:
            references.extend(Reference(letter, "cable", item, canonical) for canonical in cables)
        else:
            references.append(Reference(letter, kind, item))
    return tuple(dict.fromkeys(references))
