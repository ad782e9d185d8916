"""Plain-text cables in three shapes: raw telegram text, web-page text, and text converted from scans.

- ``text``: the telegram as transmitted (.txt exports: CRLF line ends, ``¶`` before paragraph
  numbers, page-break lines). Kept as printed; the parser removes page breaks.
- ``webtext``: a cable page's text copied from a web browser: labelled metadata
  (``Identifier`` / ``Created`` / ``Classification`` / ``Origin`` then their values, or
  ``Label: value`` lines), ``Cable title:``, ``Tags:``, ``pdf how-to read a cable``, then the
  telegram. The metadata becomes ``PublisherMetadata``; the text starts at the telegram.
- ``scan``: text converted from a scanned release (OCR to markdown) is detected here by its
  conversion markup and read by :mod:`archive.sources.scans` (pages, forms, reference sheets):
  list marks ``- `` at line starts, LaTeX fragments such as ``$\\underline{\\ \\ }$`` and ``<u>``
  markup are removed (:func:`clean_scan`); everything else, OCR damage included (``11.`` for
  ``1.``), is left for the parser.
"""

from __future__ import annotations

import re

from archive.cable import Document, InputError, PublisherMetadata
from archive.parse.flattened import unflatten
from archive.sources.common import METADATA_LABELS, UNRELATED_TEXT, decode_text, labelled_metadata, normalize_newlines

FORMATS = ("text", "webtext")

# Lines that only a telegram starts with; an input needs two different ones to count as a cable.
_TELEGRAM_MARKERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.M | re.I)
    for pattern in (
        r"^\s*VZCZC",
        r"^\s*(?:[ZOPR]{1,2}\s+)*\d{6}Z\s*[A-Z]{3}\s*\d{2}\b",  # date-time group
        r"^\s*FM\s+\S",
        r"^\s*(?:TO|INFO)\s+\S",
        r"^\s*(?:Cable dated:\S*?)?(?:UNCLAS|UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|C\s?O\s?N\s?F\s?I|S\s?E\s?C\s?R\s?E\s?T)\b",
        r"^\s*E\.\s?O\.\s?(?:\d{5}|N/A)",
        r"^\s*TAGS\b",
        r"^\s*SUBJ(?:ECT)?\s*:",
        r"^\s*(?:REF|REFS|REFTEL)\s*:",
        r"^\s*Classified\s+By\b",
        r"This record is a partial extract of the original cable",
    )
)
# How much of a text may hold its run-together header line.
_OPENING = 6000
_WEBTEXT_SIGNS = re.compile(r"^(?:Cable\s+title:|pdf\s+how-to\s+read\s+a\s+cable\s*$|Identifier\s*$)", re.M)
_SCAN_SIGNS = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$|</?u>|^- (?:\d{1,2}\.|\$)", re.M | re.I)

_LIST_MARK = re.compile(r"^- ", re.M)
_LATEX = re.compile(r"\$[^$\n]*\\[^$\n]*\$ ?")
_INLINE_MARKUP = re.compile(r"</?(?:u|b|i|em|strong|sup|sub)>", re.I)
# A paragraph sign damaged to U+FFFD by a wrong decoding, before a paragraph number or letter.
DAMAGED_PILCROW = re.compile(r"^([ \t]*)\ufffd(?=[ \t]*(?:\d|[A-Z][.)]))", re.M)


def classify(text: str) -> str | None:
    """Which text shape ``text`` is — ``webtext``, ``scan`` or ``text`` — or None when it is no cable."""
    head = text[:4000]
    if _WEBTEXT_SIGNS.search(head):
        return "webtext"
    if not is_telegram(text):
        return None
    if _SCAN_SIGNS.search(text):
        return "scan"
    return "text"


def is_telegram(text: str) -> bool:
    """True when at least two different telegram lines (FM, TAGS, a date-time group …) occur, also
    when the banner, E.O., TAGS and SUBJECT lines run together on one line (cut as the parser cuts them)."""
    return _has_telegram_lines(text) or _has_telegram_lines(unflatten(text[:_OPENING]))


def _has_telegram_lines(text: str) -> bool:
    found = 0
    for marker in _TELEGRAM_MARKERS:
        if marker.search(text):
            found += 1
            if found == 2:
                return True
    return False


def read(name: str, raw: bytes, text_format: str | None = None) -> Document:
    """One text cable as a ``Document``; ``text_format`` (text, webtext) skips detection."""
    text = normalize_newlines(decode_text(raw))
    if not text.strip():
        raise InputError("empty file")
    text_format = text_format or classify(text)
    if text_format is None:
        raise InputError(UNRELATED_TEXT)
    metadata = None
    if text_format == "webtext":
        metadata, text = split_webtext(text)
    text = DAMAGED_PILCROW.sub(r"\1¶", text)
    if not is_telegram(text):
        raise InputError(f"not a cable: the {text_format} has no telegram lines (FM/TO, TAGS, SUBJECT …)")
    return Document(name=name, location=None, format=text_format, raw=raw, text=text, metadata=metadata)


def clean_scan(text: str) -> str:
    """Remove what the scan-to-markdown conversion added: list marks, LaTeX fragments, ``<u>``."""
    text = _LIST_MARK.sub("", text)
    text = _LATEX.sub("", text)
    return _INLINE_MARKUP.sub("", text)


def split_webtext(text: str) -> tuple[PublisherMetadata, str]:
    """Publisher metadata and telegram text of a web page's text."""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    labels_waiting: list[str] = []  # a column of bare labels whose values follow in order
    subject: str | None = None
    tags: tuple[str, ...] = ()
    index = end = 0  # end: the line after the last metadata line
    while index < len(lines):
        line = " ".join(lines[index].split())  # web pages put no-break spaces in these lines
        index += 1
        if not line:
            continue
        label, colon, value = (part.strip() for part in line.partition(":"))
        label = label.lower()
        if line.lower() in METADATA_LABELS:
            labels_waiting.append(METADATA_LABELS[line.lower()])
        elif labels_waiting:
            fields[labels_waiting.pop(0)] = line
        elif colon and label in METADATA_LABELS:
            fields[METADATA_LABELS[label]] = value
        elif colon and label == "cable title":
            subject = value
            if not subject:
                index, subject = _title_below(lines, index)
        elif colon and label == "tags":
            tags = tuple(code for code in re.split(r"[\s,]+", value) if code)
        elif line.lower() != "pdf how-to read a cable":
            break
        end = index
    metadata = labelled_metadata(fields, subject, tags)
    body = lines[end:]
    while body and not body[0].strip():
        body.pop(0)
    return metadata, "\n".join(body)


def _title_below(lines: list[str], index: int) -> tuple[int, str | None]:
    """The cable title printed on the first non-blank line below ``Cable title:`` (not ``Tags:``)."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or lines[index].strip().lower().startswith("tags:"):
        return index, None
    return index + 1, lines[index].strip()
