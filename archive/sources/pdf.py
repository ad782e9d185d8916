"""PDF exports of cables: text extracted with pypdf, then read as telegram text.

The exports in the corpus are cablegate pages printed to PDF (wkhtmltopdf). Text extraction
brings two layout artefacts of the page's links, which are repaired so that the text reads
as the telegram does: the paragraph anchor ``¶`` lands on a line of its own (removed, as for
the HTML pages), and each TAGS link lands on its own line, separated by blank lines (joined
back into one TAGS line). Running page headers and footers an exporter adds (a title, a date,
``Page 2 of 3``) are removed when every page repeats them; telegram lines are never touched.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader

from archive.cable import Document, InputError
from archive.sources.common import normalize_newlines

FORMAT = "pdf"

_PILCROW_LINE = re.compile(r"^[ \t]*¶[ \t]*\n", re.M)
# "TAGS: \nPREL\n \nXF\n \nTC\n": one link per line, blank lines between them.
_TAG_LINKS = re.compile(r"^(TAGS:?[ \t]*)\n((?:[^\s:]+\n[ \t]*\n)*[^\s:]+)$", re.M)
_DIGITS = re.compile(r"\d+")

# pypdf logs every recoverable defect of a damaged file; the InputError raised on an
# unreadable one says what matters, in one line.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def looks_like(head: bytes) -> bool:
    """True when ``head`` carries the PDF signature (allowed anywhere in the first 1 KB)."""
    return b"%PDF-" in head[:1024]


def read(name: str, raw: bytes) -> Document:
    """One PDF export as a ``Document``; raises ``InputError`` when no text can be extracted."""
    pages = extract_pages(raw)
    if not any(page.strip() for page in pages):
        raise InputError("no text in the PDF (scanned images? run OCR first and load the text)")
    text = repair_link_layout("\n".join(strip_page_furniture(pages)))
    return Document(name=name, location=None, format=FORMAT, raw=raw, text=text)


def extract_pages(raw: bytes) -> list[str]:
    """The text of each page, line ends normalised."""
    try:
        reader = PdfReader(io.BytesIO(raw))
        return [normalize_newlines(page.extract_text() or "") for page in reader.pages]
    except Exception as error:  # pypdf raises many types on broken files; all mean "unreadable"
        raise InputError(f"unreadable PDF: {type(error).__name__}: {error}".splitlines()[0]) from None


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Remove first and last lines that every page repeats (digits aside: page numbers differ)."""
    if len(pages) < 2:
        return pages
    split = [page.split("\n") for page in pages]
    for edge in (0, -1):
        while all(_content_lines(lines) for lines in split):
            keys = {_DIGITS.sub("#", _edge_line(lines, edge).strip()) for lines in split}
            if len(keys) != 1:
                break
            for lines in split:
                _drop_edge_line(lines, edge)
    return ["\n".join(lines) for lines in split]


def repair_link_layout(text: str) -> str:
    """Undo what extraction did to the page's links: ``¶`` anchor lines and one-per-line TAGS."""
    text = _PILCROW_LINE.sub("", text)
    return _TAG_LINKS.sub(lambda m: m.group(1) + " ".join(m.group(2).split()), text)


def _content_lines(lines: list[str]) -> bool:
    return sum(1 for line in lines if line.strip()) > 1


def _edge_line(lines: list[str], edge: int) -> str:
    ordered = lines if edge == 0 else reversed(lines)
    return next(line for line in ordered if line.strip())


def _drop_edge_line(lines: list[str], edge: int) -> None:
    indexes = range(len(lines)) if edge == 0 else range(len(lines) - 1, -1, -1)
    position = next(i for i in indexes if lines[i].strip())
    del lines[position]
