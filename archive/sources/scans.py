"""Scanned releases (OCR text of telegram pages) → one ``Document`` per telegram or reference stub.

An input converted from a scan holds pages: cut at the OCR's page marks (``---- Page 64``), the
page-top stamps of CIA records (``14-00000``, ``13-00000``) and the NARA footer (``NW 50955
DocId:32423736 Page 24``), or, with none of them, one page. Each page is classified once:

- a **telegram** page opens a telegram: an ``INCOMING``/``OUTGOING TELEGRAM`` form, a ``FROM:``
  box, a ``PAGE 01 MADRID 01109 252147Z`` line, a date-time group, FM/TO lines or a routing block;
- a **continuation** page (``PAGE 02 MADRID 01109 252147Z``, or no header at all after a telegram
  page) is joined to the telegram above it in the same input; an input of continuation pages
  alone is joined to the input of its first page by :func:`join_inputs` (the loader pairs them);
- a **reference sheet** (CIA sheets standing for State telegrams: ``DEPT OF STATE TELEGRAM NUMBER
  1284`` / ``FROM:`` / ``DATE:`` / ``CLASSIFICATION:`` / ``SUBJECT:``) gives one ``scan-sheet``
  document per stub (:mod:`archive.parse.scan_sheets` reads them; no body is invented);
- a page of another agency's cable form (CIA ``OUTGOING MESSAGE``, ``CLASSIFIED MESSAGE …
  INCOMING NUMBER``, ``DIRECTOR CIA``, FBI routing slips) is no State telegram: a one-page input
  of it is rejected, a page of a longer record is skipped and counted.

Page furniture never reaches the telegram text: the page marks and stamps, the release banner
(``[2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY …``), ``REPRODUCTION FROM THIS COPY IS
PROHIBITED`` notices, declassification stamps and markdown heading marks. The markdown the
conversion added is removed as for every scan (:func:`archive.sources.text.clean_scan`). OCR
damage in header fields is repaired by the parser (:mod:`archive.parse.scan`), as warnings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from archive.cable import Document, InputError, Rejection, Skipped
from archive.sources.common import decode_text, normalize_newlines
from archive.sources.text import DAMAGED_PILCROW, clean_scan

FORMAT = "scan"
SHEET_FORMAT = "scan-sheet"

# A page starts at an OCR page mark, or (in a text without them) at a page-top stamp; the NARA
# footer ends one.
_PAGE_MARK = re.compile(r"^-{5,}\s*Page\s+(?P<number>\d+)\s*$", re.M)
_PAGE_START = re.compile(r"^-{5,}\s*Page\s+(?P<number>\d+)\s*$|^\s*1[34]-0{3,5}\b-?\W{0,3}\w?\W{0,2}$", re.M)
_PAGE_FOOTER = re.compile(r"^.{0,12}\b[NH]W\s+\d+\s+Doc\s?[Il1]d:\s*\d+\s+Page\s+\d+\W{0,3}$", re.M)
_RELEASE_BANNER = re.compile(r"RELEASE\s+UNDER\s+THE\s+PRESIDENT\s+JOHN\s+F\.?\s+KENNEDY", re.I)
_WORD = re.compile(r"[A-Za-z]{3}")
_HEADING_MARK = re.compile(r"^#{1,6}\s+", re.M)
_REPRODUCTION = re.compile(
    r"^\W*(?:UNLESS\s+\W?UNCLASSIFIED\W*\s*)?REPRODUCTION\s+(?:FROM\s+THIS|BY\s+OTHER\s+THAN)"
    r"|^\W*COPY\s+IS\s+PROHIBITED|^\W*UNLESS\s+\W?UNCLASSIFIED\W*\.?\s*$",
    re.I,
)
# A declassification stamp opens with one of these and runs to the page's end in short lines.
_DECLASSIFICATION = re.compile(
    r"^\W*(?:STATE\s+DEPT\.?\s+)?DECLASSIFICATION\s+REVIEW|^\W*DECLASSIFIED\s*$|^\W*Authority\s+NN[DK]\s*\d+"
    r"|^\W*Retain\s+class|^\W*Declassify\s+(?:in\s+part|in\s+full|after)",
    re.I,
)
_STAMP_LINE_LENGTH = 60

# What a page shows.
_STATE_SIGN = re.compile(
    r"Department\s+of\s+State|DEP\S{0,2}\s+[OC]F\s+STATE|\bSECSTATE\b|\bAMEMBASSY\b|\bAMCONSUL\b|\bUSMISSION\b"
    r"|Secretary\s+of\s+State|^\W*STATE\s+CABLES?\b",
    re.I | re.M,
)
_OTHER_AGENCY = re.compile(
    r"OUTGOING\s+MESSAGE|CLASSI\w*\s+MESSAGE|INCOMING\s+NUMBER|DIRECTOR\s+CIA|\bCIA\s+NBR\b|SIGNAL\s+CENTER"
    r"|FEDERAL\s+BUREAU|\bMr\.\s+Tolson\b",
    re.I,
)
# Sheet lines may open with a speck the OCR read as a letter or two ("fe CLASSIFICATION:").
_SPECK = r"^[^\w\n]*(?:\w{1,2}[^\w\n]+)?"
_SHEET_CLASSIFICATION = re.compile(_SPECK + r"C\S{0,3}AS\S{0,4}FICATION\s*[:;.!]", re.I | re.M)
_SHEET_FIELD = re.compile(
    _SPECK
    + r"(?:[DBP]AT[EZ]\s*[:;]|S\S?[BPF]J\S?CT\s*[:;!]|(?:DEP\S{0,2}|DEPARTMENT)\s+[OC]F\s+STATE\s+\S+|STATE\s+CABLES?\b)",
    re.I | re.M,
)
_TELEGRAM_SIGN = re.compile(
    r"^\W*(?:INCOMING|OUTGOING)\s+TELEGRAM\b|^\s*PAGE\s+0?1\s+[A-Z]|^\s*VZCZC"
    r"|^\s*(?:[ZOP0R]{1,2}\s+)?\d{6}\s?Z\s+[A-Z]{3}\s+\d{2}\b|^\s*FM\s+[A-Z]",
    re.I | re.M,
)
# Signs a memo can show too: they open a telegram only beside a State sign.
_WEAK_TELEGRAM_SIGN = re.compile(r"^\W*FROM\s*:", re.I | re.M)
# The printed forms of other agencies' cables, as they open a page.
_OTHER_FORM = re.compile(r"OUTGOING\s+MESSAGE|CLASSI\w*\s+MESSAGE|INCOMING\s+NUMBER|DIRECTOR\s+CIA|\bCIA\s+NBR\b", re.I)
_HEAD = 1500
_SHEET_TITLE = re.compile(
    _SPECK + r"(?:(?:DEP\S{0,2}|DEPARTMENT)\s+[OC]F\s+STATE\s+(?!FILE\b)\S+|STATE\s+CABLES?\b)", re.I | re.M
)
# A machine telegram prints its page line on every page; a form's later pages print "-2-".
_PAGE_LINE = re.compile(r"^\s*PAGE\s+0?(?P<page>\d{1,3})\s+(?P<station>[A-Z][A-Z ]*?)\s+(?P<serial>\d{3,6})\b", re.M)
_PAGE_NUMBER = re.compile(r"^\W{0,3}-\s*(?:[2-9]|\d{2})\s*-", re.M)
_BANNER_SIGN = re.compile(
    r"^\W*(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE)\s+[A-Z][A-Z ]*?\s+\d{2,6}\s*$",
    re.M,
)
_SCAN_SIGNS = re.compile(
    r"^-{5,}\s*Page\s+\d+\s*$|^\s*1[34]-0{3,5}\b|^#*\s*(?:INCOMING|OUTGOING)\s+TELEGRAM\b"
    r"|^#+\s.*Department\s+of\s+State|^\W*REPRODUCTION\s+FROM\s+THIS|^\W*CABLE\s+SECRETARIAT\b"
    r"|^.{0,12}\b[NH]W\s+\d+\s+Doc\s?[Il1]d:\s*\d+\s+Page\s+\d+\W{0,3}$",
    re.M | re.I,
)


def looks_like(text: str) -> bool:
    """True when ``text`` carries the marks of a scanned release (page marks, stamps, telegram forms,
    a reference sheet's title beside a ``CLASSIFICATION:`` label)."""
    if _SCAN_SIGNS.search(text):
        return True
    if _OTHER_FORM.search(text[:_HEAD]) and not _STATE_SIGN.search(text):
        return True  # another agency's cable form: read here to be rejected as such
    return _SHEET_CLASSIFICATION.search(text) is not None and _SHEET_TITLE.search(text) is not None


@dataclass(slots=True)
class _Page:
    number: str  # as the page mark prints it, else the page's ordinal in the input
    text: str


@dataclass(slots=True)
class _Telegram:
    pages: list[_Page] = field(default_factory=list)

    def continued_by(self, page: _Page) -> bool:
        """Whether ``page`` goes on this telegram: its page line, if both print one, names the same."""
        first, later = _PAGE_LINE.search(self.pages[0].text), _PAGE_LINE.search(page.text)
        if first is None or later is None:
            return True
        return first["station"] == later["station"] and int(first["serial"]) == int(later["serial"])

    def document(self, name: str, whole: bool, raw: bytes) -> Document:
        text = "\n\n".join(page.text.strip("\n") for page in self.pages)
        numbers = [page.number for page in self.pages]
        location = None if whole else f"page {numbers[0]}" if len(numbers) == 1 else f"pages {numbers[0]}-{numbers[-1]}"
        warnings = (f"continuation pages joined: {', '.join(numbers[1:])}",) if len(numbers) > 1 else ()
        return Document(
            name=name,
            location=location,
            format=FORMAT,
            raw=raw if whole else text.encode("utf-8"),
            text=text,
            warnings=warnings,
        )


def read(name: str, raw: bytes) -> Iterator[Document | Rejection | Skipped]:
    """The telegrams and reference stubs of a scanned input, in page order."""
    try:
        text = normalize_newlines(decode_text(raw))
    except InputError as error:
        yield Rejection(name, None, FORMAT, raw, error.message)
        return
    pages = split_pages(text)
    items = list(_read_pages(name, pages, raw))
    if not any(isinstance(item, Document) for item in items):
        reasons = "; ".join(dict.fromkeys(item.reason for item in items if isinstance(item, Skipped)))
        yield Rejection(name, None, FORMAT, raw, reasons or "no State telegram in the scanned text")
        return
    yield from items


def read_one(name: str, raw: bytes) -> Document:
    """A scanned input that holds one telegram, as its ``Document``; ``InputError`` otherwise."""
    items = list(read(name, raw))
    if len(items) == 1 and isinstance(items[0], Document):
        return items[0]
    if len(items) == 1 and isinstance(items[0], Rejection):
        raise InputError(items[0].message)
    raise InputError(f"the scan holds {len(items)} documents: read it with read_stream")


def join_inputs(first: tuple[str, bytes], later: tuple[str, bytes]) -> Document | None:
    """The telegram that ends the input ``first`` (its name and bytes) with the pages of ``later`` after
    it, when ``later`` holds only continuation pages of that telegram (``PAGE 02 MADRID 01429 …`` after
    ``PAGE 01 MADRID 01429 …``); else None. The pages are read as one input's would be: the joined
    document's text is both texts in page order, its name both names."""
    try:
        first_pages, later_pages = (split_pages(normalize_newlines(decode_text(raw))) for _, raw in (first, later))
    except InputError:
        return None
    if any(page_kind(page.text) != "continuation" for page in later_pages):
        return None
    name = f"{first[0]} + {later[0]}"
    alone, joined = (
        [item for item in _read_pages(name, pages, b"") if isinstance(item, Document)]
        for pages in (first_pages, [*first_pages, *later_pages])
    )
    if not alone or len(joined) != len(alone) or later_pages[-1].text.strip("\n") not in joined[-1].text:
        return None
    return joined[-1]


def _read_pages(name: str, pages: list[_Page], raw: bytes) -> Iterator[Document | Skipped]:
    whole = len(pages) == 1
    open_telegram: _Telegram | None = None
    for page in pages:
        kind = page_kind(page.text)
        if kind == "other" and whole and not _OTHER_AGENCY.search(page.text):
            kind = "telegram"  # a page with no sign at all: the parser decides
        if kind == "continuation" and open_telegram is not None and open_telegram.continued_by(page):
            open_telegram.pages.append(page)
            continue
        if open_telegram is not None:
            yield open_telegram.document(name, False, raw)
            open_telegram = None
        if kind in ("telegram", "continuation"):
            open_telegram = _Telegram([page])
        elif kind == "sheet":
            yield from sheet_documents(name, page, whole)
        elif page.text.strip():
            where = None if whole else f"page {page.number}"
            yield Skipped(name, where, FORMAT, page.text.encode("utf-8"), _other_reason(page.text))
    if open_telegram is not None:
        yield open_telegram.document(name, whole and len(open_telegram.pages) == 1, raw)


def _other_reason(text: str) -> str:
    agency = _OTHER_AGENCY.search(text)
    if agency:
        return f"not a State Department telegram: another agency's cable form ({' '.join(agency[0].split())})"
    return "not a State Department telegram: no telegram form, routing lines or reference-sheet fields"


def page_kind(text: str) -> str:
    """``telegram``, ``continuation``, ``sheet`` or ``other``: what one page of a scan is."""
    state = _STATE_SIGN.search(text) is not None
    if _OTHER_AGENCY.search(text) and not state:
        return "other"
    if _SHEET_CLASSIFICATION.search(text) and _SHEET_FIELD.search(text):
        return "sheet"
    pages = {match["page"] for match in _PAGE_LINE.finditer(text)}
    if pages and "1" not in pages:
        return "continuation"
    if _TELEGRAM_SIGN.search(text) or _BANNER_SIGN.search(text) or (state and _WEAK_TELEGRAM_SIGN.search(text)):
        return "telegram"
    return "continuation" if _PAGE_NUMBER.search(text[:400]) else "other"


def split_pages(text: str) -> list[_Page]:
    """The pages of a scan's text, furniture removed; one page when it has no page marks."""
    pages: list[_Page] = []
    marks = list(_PAGE_MARK.finditer(text)) or list(_PAGE_START.finditer(text))
    starts = [match.start() for match in marks]
    starts += [match.end() for match in _PAGE_FOOTER.finditer(text)]
    bounds = sorted({0, *starts, len(text)})
    for start, end in itertools.pairwise(bounds):
        chunk = text[start:end]
        mark = _PAGE_START.search(chunk)
        number = mark["number"] if mark and mark["number"] else str(len(pages) + 1)
        cleaned = clean_page(chunk)
        if _WORD.search(cleaned):  # a speck before a stamp ("{") is no page
            pages.append(_Page(number, cleaned))
    return pages or [_Page("1", clean_page(text))]


def clean_page(text: str) -> str:
    """A page's text without page furniture: marks, stamps, notices, heading marks, conversion markup."""
    text = DAMAGED_PILCROW.sub(r"\1¶", clean_scan(_HEADING_MARK.sub("", text)))
    kept: list[str] = []
    in_stamp = False
    for line in text.split("\n"):
        if _DECLASSIFICATION.search(line):
            in_stamp = True
        if in_stamp and len(line.strip()) <= _STAMP_LINE_LENGTH:
            continue
        in_stamp = False
        if _PAGE_START.match(line) or _PAGE_FOOTER.match(line) or _REPRODUCTION.search(line):
            continue
        if _RELEASE_BANNER.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)


# --- reference sheets ---------------------------------------------------------------------------

# A stub opens at a sheet title, or at a field its open stub already has (a second DATE: line).
_STUB_TITLE = re.compile(
    _SPECK + r"(?:(?:DEP\S{0,2}|DEPARTMENT)\s+[OC]F\s+STATE\s+(?!FILE\b)\S+|STATE\s+(?:DEPT\s+DOCUMENT|CABLES?)\b)",
    re.I,
)
_STUB_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("from", re.compile(_SPECK + r"(?:FROM|PROM|FM)\b\s*[:;]?\s*\S", re.I)),
    ("date", re.compile(_SPECK + r"[DBPC]AT[EZ]\s*[:;]", re.I)),
    ("classification", _SHEET_CLASSIFICATION),
    ("subject", re.compile(_SPECK + r"S\S?[BPFE]J\S?CT\s*[:;!]", re.I)),
    ("file", re.compile(_SPECK + r"(?:DEP\S{0,2}|DEPARTMENT)\s+[OC]F\s+\w+(?:\s+\w+)?\s+FILE\b", re.I)),
    # A station and its telegram number on a line of their own ("PORT AU PRISTZ 546"), a bare level.
    ("from", re.compile(r"^\W*[A-Z][A-Z?-]+(?:\s[A-Z][A-Z?-]+){0,3}\s+\d[\d:]*\W*$")),
    (
        "classification",
        re.compile(r"^\W*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|OFFICIAL USE ONLY)\W*$"),
    ),
)


def stub_field(line: str) -> str | None:
    """The sheet field a line opens (``from``, ``date``, ``classification``, ``subject``), if any."""
    for name, pattern in _STUB_FIELDS:
        if pattern.search(line):
            return name
    return None


def sheet_documents(name: str, page: _Page, whole: bool) -> Iterator[Document]:
    """One ``scan-sheet`` document per stub of a reference sheet."""
    stubs = split_stubs(page.text)
    for index, stub in enumerate(stubs, start=1):
        where = f"page {page.number}" if not whole else None
        if len(stubs) > 1:
            where = f"{where}, entry {index}" if where else f"entry {index}"
        yield Document(name=name, location=where, format=SHEET_FORMAT, raw=stub.encode("utf-8"), text=stub)


def split_stubs(text: str) -> list[str]:
    """The stubs of a reference sheet: runs of lines from a title or first field to the next stub.

    A stub closes at its file-number line or at the first line after its subject that is no
    field and no upper-case continuation of the subject; a title of another department (``DEPT
    OF AIR FORCE INCOMING STAFF MESSAGE``) opens a stub that is left out.
    """
    stubs: list[_Stub] = []
    for line in text.split("\n"):
        title = _STUB_TITLE.search(line) is not None
        fields = set(_fields_on(line))
        current = stubs[-1] if stubs else None
        # From precedes the date on every sheet: a station after a date is the next stub's.
        if title or _OTHER_DEPARTMENT.search(line) or current is None or current.starts_anew(fields):
            if not (title or fields or _OTHER_DEPARTMENT.search(line)):
                continue
            current = _Stub(state=not _OTHER_DEPARTMENT.search(line))
            stubs.append(current)
        current.take(line, fields)
    return ["\n".join(stub.lines).strip("\n") for stub in stubs if stub.state and stub.complete()]


_OTHER_DEPARTMENT = re.compile(_SPECK + r"DEP\S{0,8}\s+[OC]F\s+(?:AIR\s+FORCE|THE\s+ARMY|ARMY|NAVY|DEFENSE)\b", re.I)
_NUMBER_LINE = re.compile(r"^\W*[NW][UO]?[MNY][BPF]{0,2}[EF]?R\s+\d", re.I)
_UPPER_TEXT = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")
_DATE_VALUE = re.compile(r"\d{1,2}\s+[A-Z]{3,}\S*\s+\S*\d", re.I)
_LEVEL_VALUE = re.compile(r"(?:CONF|SECR|CLAS|OFFIC|LIMIT|FIDEN|ECRET)", re.I)


@dataclass(slots=True)
class _Stub:
    state: bool = True
    lines: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    after_subject: int | None = None  # lines since the subject line, while it may go on
    closed: bool = False

    def starts_anew(self, fields: set[str]) -> bool:
        return bool(fields & self.seen) or ("from" in fields and "date" in self.seen)

    def take(self, line: str, fields: set[str]) -> None:
        if fields:
            self.closed = self.closed and not (fields - {"file"})
            self.lines.append(line)
            self.seen |= fields
            self.after_subject = 0 if "subject" in fields else None
            self.closed = self.closed or "file" in fields
        elif not self.closed and line.strip():
            self._take_text(line)
        elif self.closed and _NUMBER_LINE.match(line):  # "WUMPER 566, OCTOPER L" below the file line
            self.lines.append(line)

    def _take_text(self, line: str) -> None:
        if not self.seen:  # the title's own line(s)
            self.lines.append(line)
        elif self.after_subject is not None and self.after_subject < 2 and _UPPER_TEXT.match(line):
            self.lines.append(line)
            self.after_subject += 1
        else:
            self.closed = True

    def complete(self) -> bool:
        """A stub gives a date or a classification, not only their labels."""
        for line in self.lines:
            name = stub_field(line)
            if name == "date" and _DATE_VALUE.search(line):
                return True
            if name == "classification" and _LEVEL_VALUE.search(line):
                return True
        return False


def _fields_on(line: str) -> list[str]:
    """The fields one line opens: a line can carry two (``DATE: 1 DECEMBER 1977. FM UNINT HAVANA``)."""
    if _STUB_TITLE.search(line) or _OTHER_DEPARTMENT.search(line):
        return []
    found = [stub_field(line)]
    inline = re.search(r"\s(?:FM|FROM)\s+[A-Z]", line)
    if found[0] == "date" and inline:
        found.append("from")
    return [name for name in found if name]
