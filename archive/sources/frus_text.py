"""FRUS as text: the text edition of a whole volume, or of one document.

Documents follow one another, each opened by its heading line (``195. Telegram From the
Embassy in the Soviet Union to the Department of StateSource`` — the source footnote's mark
glued to the title), then the dateline, the text, the signer, ``* * *``, the ``* Source:`` note
and the numbered editor's footnotes. A heading is told from a numbered paragraph by its shape
(a title, no final period) and by what marks it (the glued ``Source``, ``Editorial Note``, or
a dateline on the next line), and document numbers only grow.

Each telegram becomes a Document (``raw``: the bytes of its part of the file); other
documents are ``Skipped``. The parser reads the text as it stands (:mod:`archive.parse.frus`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.cable import Document, InputError, PublisherMetadata, Rejection, Skipped
from archive.parse.frus import DATELINE, HEADING, MONTH, document_kind, heading_title, is_telegram_title, volume_in_name
from archive.sources.common import decode_text, normalize_newlines

FORMAT = "frus-text"
# What a heading line needs around it: the glued "Source", "Editorial Note", or a dateline below.
# (Each alternative starts with a line end, which the regex engine finds fast; search "\n" + text.)
_CANDIDATE = re.compile(
    r"\n[ \t]*\d{1,4}\.[ \t]+[A-Z][^\n]*?(?:Source|Editorial Note)[ \t]*\r?\n"
    rf"|\n[ \t]*\d{{1,4}}\.[ \t]+[A-Z][^\n]*\n(?:[ \t]*\r?\n){{0,5}}[^\n,\d]{{0,60}},?[ \t]*(?:{MONTH})\.?[ \t]\d"
)


def looks_like(head: str) -> bool:
    """True when ``head`` (the start of a text input) holds a FRUS document heading."""
    # Every text input's head is asked and almost none is FRUS: plain substring tests first.
    if "Source" not in head and "Editorial Note" not in head:
        return False
    return bool(_CANDIDATE.search(f"\n{head}\n")) and next(_headings(head), None) is not None


def read(name: str, raw: bytes) -> Iterator[Document | Skipped | Rejection]:
    """Every telegram of a text edition as a Document; other documents as Skipped."""
    try:
        text = decode_text(raw)
    except InputError as error:
        yield Rejection(name, None, FORMAT, raw, error.message)
        return
    starts = [offset for offset, _ in _headings(text)]
    if not starts:
        yield Rejection(name, None, FORMAT, raw, "no FRUS document heading found")
        return
    front = text[: starts[0]]
    if front.strip():
        yield Skipped(name, "before the first document", FORMAT, front.encode(), "not a document: front matter")
    volume = volume_in_name(name)
    whole = len(starts) == 1 and not front.strip()
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        part = text[start:end]
        number, title = heading_title(part.split("\n", 1)[0].strip())
        location = None if whole else f"document {number}"
        part_raw = raw if whole else part.encode("utf-8")
        if not is_telegram_title(title):
            yield Skipped(name, location, FORMAT, part_raw, f"not a telegram: {document_kind(title)}")
            continue
        apparatus = {"volume": volume} if volume else None
        metadata = PublisherMetadata(apparatus=apparatus) if apparatus else None
        yield Document(name, location, FORMAT, part_raw, normalize_newlines(part).strip() + "\n", metadata)


def _headings(text: str) -> Iterator[tuple[int, int]]:
    """Offsets and numbers of the document headings in ``text``, in order."""
    lines = text.splitlines(keepends=True)
    offset = 0
    previous: int | None = None
    blank_before = True
    for index, line in enumerate(lines):
        stripped = line.strip()
        match = HEADING.match(stripped) if blank_before else None
        blank_before = not stripped
        if match and _is_heading(match, lines, index) and (previous is None or int(match["number"]) > previous):
            previous = int(match["number"])
            yield offset + len(line) - len(line.lstrip()), previous
        offset += len(line)


def _is_heading(match: re.Match[str], lines: list[str], index: int) -> bool:
    title = match["title"]
    if not title[0].isupper() or title.endswith((".", ":", ";", ",")) or len(title) > 400:
        return False
    if title.endswith("Source") or title.startswith("Editorial Note"):
        return True
    following = next((line.strip() for line in lines[index + 1 : index + 6] if line.strip()), "")
    return bool(DATELINE.match(following))
