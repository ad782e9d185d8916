"""Telegram text whose line breaks were lost, cut back into lines.

Re-exports of the release (MongoDB exports, text dumps) print a whole cable on one line: line
breaks became single spaces, paragraph breaks ``¶`` marks or runs of spaces, so that the routing
header, the banner, the caveats and the E.O., TAGS, SUBJECT and REF fields follow one another
(``… BAGHDAD 003036  SIPDIS  NOFORN  E.O. 12958: DECL: 07/20/2015 TAGS: PREL, IZ SUBJECT: …``).
``unflatten`` cuts such a text into lines again: a blank line where a paragraph mark or a run of
spaces stood, and a line break before each routing-header line and after the banner, so that
the typed lines of the header and body are found as in the original. A text that kept its line
breaks is returned unchanged.
"""

from __future__ import annotations

import re

from archive.parse.ids import BANNER_LEVEL, GLUED_AFTER_SERIAL

# A text is flattened when its opening has no line break although it is long enough to have
# several (telegram lines hold at most about 80 characters).
_OPENING = 1500
_LONGEST_LINE = 400
_FIRST_CHARACTER = re.compile(r"\S")
# A paragraph mark, or a run of two or more spaces: where a paragraph (or a line) ended.
_BREAK = re.compile(r"\s*¶\s*| {2,}")
_SPACES = re.compile(r"\s{2,}")
# A run of spaces inside a line: after a field label ("SUBJECT:  INCREASE IN …", "DECL:  5/15"),
# after a paragraph number ("1.  (C)") or a reason ("Reasons 1.4  (b) and (d)"), and inside a page
# counter ("MONTERREY 00000232  001.2 OF 002").
_IN_LINE_BEFORE = re.compile(r"(?::|(?<![\w.])\d{1,3}\.|\b1\.\d)$")
_IN_LINE_AFTER = re.compile(r"\d{3}(?:\.\d+)? OF \d{3}\b", re.IGNORECASE)
# Between the parts of a banner: a space, or a paragraph break where the original broke the line
# ("S E C R E T  DUSHANBE 001812", "STOCKHOLM  000787").
_GAP = r" {1,4}"
_SERIAL = rf"(?:0\d{{5}}(?=\d)|\d{{6}}(?={GLUED_AFTER_SERIAL})|\d{{3,7}}(?![\dA-Z]))"
_STATION_SERIAL = rf"(?P<station>[A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*){{0,3}}){_GAP}{_SERIAL}"
# The banner: a level (spaced out or in any case), maybe a section counter, the station and serial;
# the station may be glued to EFTO or the counter ("EFTOLONDON", "SECTION 01 OF 03LONDON"), and a
# publisher's date to the banner ("Cable dated:2009-09-14T13:52:00C O N F I D E N T I A L …").
_BANNER = re.compile(
    rf"(?:Cable dated:\S*?)?(?<![A-Za-z])(?:{BANNER_LEVEL})(?://?[A-Z]+)?(?: ?E ?F ?T ?O)?(?:{_GAP}SECTION \d+ OF \d+)?"
    rf"(?:{_GAP}|(?<=\d)|(?<=O))(?:\d{{2}} )?{_STATION_SERIAL}",
    re.IGNORECASE,
)
# Where a line of a routing header starts, when the header is printed on one line.
_HEADER_LINE = re.compile(
    r"(?<!\b[ZOPR]) (?="
    r"(?:[ZOPR]{2}|[ZOPR] [ZOPR]) R[A-Z]{3,7}\b"  # PP RUEHAST RUEHDBU
    r"|DE [A-Z][A-Z0-9]{2,7} ?#"  # DE RUEHC #3069/01 1430033
    r"|ZN[YR] [A-Z]{5}\b"  # ZNY CCCCC ZZH
    r"|(?:[ZOPR]{1,2} ){0,2}\d{6} ?Z (?i:[A-Z]{3})[A-Za-z]*\.? \d{2,4}\b"  # O 230019Z MAY 09, 201247Z Jan 04
    r"|(?i:(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY), \d{1,2} [A-Za-z]+ \d{4}, \d{1,2}:\d{2}\b"  # Tuesday, 03 July 2001, 12:03
    r"|(?:FM|TO|INFO|XMT) [A-Z]"
    r"|BT\b"
    r"|(?<!\bTO )(?<!\bINFO )(?<!\bXMT )R[A-Z0-9]{3,7}/[A-Z]"  # RUEHBW/AMEMBASSY BELGRADE IMMEDIATE 0000
    r")"
)


# Where a line of the preamble (between banner and first paragraph) starts: a caveat, a field label
# ("TAGS PGOV", "Tags: prel", "SUBJ:"), also glued to the word before ("… PREL, TUSUBJECT: …",
# "JELLISONE.O. 12958"); a caveat is a line of its own ("NOFORN DEPT FOR …", "SIPDISDEPT FOR …").
_FIELD_LINE = re.compile(
    r"(?<!\s)\s*(?:(?=E\.\s?O\.\s*\d{5})|(?<![A-Za-z])(?="
    r"EO\s+\d{5}\b"
    r"|(?:TAGS?|Tags?)(?:\s*:|\s+(?!NOFORN\b|SIPDIS\b)[A-Z]{2})"
    r"|(?:SUBJ(?:ECT)?|Subj(?:ect)?)\s*[:.]|SUBJECT\s"
    r"|(?:REFS?|REFTELS?|Refs?)\s*:"
    r"|(?i:CLASSIFIED\s+BY)\b"
    r"|SIPDIS\b"
    r")|(?<=[A-Z])(?=SUBJECT\s?:)|(?<=SIPDIS)(?=[A-Z]{2})|(?<=\bSIPDIS)(?=\s)|(?<=\bNOFORN)(?=\s))"
    # NOFORN after a level word is part of that line ("SECRET NOFORN", "SECRET//NOFORN"), as printed
    r"|(?<!\s)(?<!SECRET)(?<!CONFIDENTIAL)(?<!/)\s*(?<![A-Za-z])(?=NOFORN\b)"
)
# The first paragraph ends the preamble, also when only a space is left of its line break
# ("SUBJECT: EU JHA INFORMAL MINISTERIAL 1. Summary. EU Justice …"), but not a paragraph cited
# ("… CORRECTED COPY, SEE PARAGRAPH 1.  Classified By: …").
_FIRST_PARAGRAPH = re.compile(
    r"(?:\n\s*+|(?<=[^\s\d])(?<!PARAGRAPH)(?<!PARA) )(?:¶\s?)?1\s?\.\s(?=\s*[(A-Z])(?!\s*(?:(?i:CLASSIFIED\s+BY)\s*:|E\.O\.))"
)
_PREAMBLE_MOST = 3000


def is_flattened(text: str) -> bool:
    """Whether ``text`` lost its line breaks (its opening runs on for more than a telegram line)."""
    start = _FIRST_CHARACTER.search(text)
    if start is None:
        return False
    opening = text[start.start() : start.start() + _OPENING]
    return len(opening) > _LONGEST_LINE and "\n" not in opening


def unflatten(text: str) -> str:
    """``text`` cut into lines where a flattened text shows them; other texts unchanged but for a
    run-together banner line, which is cut like the opening of a flattened text."""
    if not is_flattened(text):
        return _banner_line_cut(text)
    text = text.strip()
    banner = _BANNER.search(text)
    # Without a banner the routing header ends where the first field or paragraph follows it.
    head_end = banner.start() if banner else _routing_header_end(text)
    opening_end = banner.end() if banner else head_end
    # The routing header: one line per header line (a run of spaces there is no paragraph break).
    header = _HEADER_LINE.sub("\n", _SPACES.sub(" ", text[:head_end]))
    body = _BREAK.sub(_paragraph_break, text[opening_end:]).lstrip()
    rest = _preamble_cut(body, banner["station"] if banner else None)
    return f"{header.rstrip()}\n{text[head_end:opening_end]}\n{rest}"


def _preamble_cut(body: str, station: str | None) -> str:
    """``body`` with a line for each field of its preamble (up to the first paragraph)."""
    first = _FIRST_PARAGRAPH.search(body, 0, _PREAMBLE_MOST)
    end = first.start() if first else min(len(body), _PREAMBLE_MOST)
    preamble = _FIELD_LINE.sub("\n", body[:end])
    if station is not None:
        # The page counters of this cable ("ROME 00000001 001.2 OF 003", "DUBAI 00000235 001.2 OF
        # 003" under the banner's RPO DUBAI) are lines of their own.
        *before, last = station.split()
        own = "".join(rf"(?:{re.escape(word)}\s)?" for word in before) + re.escape(last)
        counter = re.compile(rf"\s*\b{own}\s+\d{{8}}\s+\d{{3}}(?:\.\d+)?\s+OF\s+\d{{3}}\b\s*", re.I)
        preamble = counter.sub(lambda found: f"\n{found.group().strip()}\n", preamble)
    return f"{preamble}\n{body[end:]}" if first and body[end] != "\n" else preamble + body[end:]


def _routing_header_end(text: str) -> int:
    """Where the routing header of a flattened text without banner ends: at the paragraph break
    after its last header line, which comes before the first preamble field (0: no header)."""
    field = _FIELD_LINE.search(text, 0, _PREAMBLE_MOST)
    limit = field.start() if field else min(len(text), _PREAMBLE_MOST)
    last = None
    for last in _HEADER_LINE.finditer(text, 0, limit):  # noqa: B007 - the last one is wanted
        pass
    if last is None:
        return 0
    after = _BREAK.search(text, last.end(), limit)
    return after.start() if after else limit


# A banner line that runs on into the preamble inside text that kept its line breaks ("Cable
# dated:2009-09-14T13:52:00C O N F I D E N T I A L SECTION 01 OF 03 MOSCOW 002353SIPDISDEPT FOR
# …E.O. 12958: DECL: 09/14/2019TAGS: EPET ENRG ECON PREL RS"): longer than any telegram line.
_RUN_ON_BANNER = re.compile(rf"^{_BANNER.pattern}(?=[^\n]{{{_LONGEST_LINE // 4},}})", re.I | re.M)


# The fields such a line runs on into, and how far into a line one may be printed as usual.
_RUN_ON_FIELDS = ("TAGS", "Tags", "E.O.")
_LINE_OPENING = 40


def _banner_line_cut(text: str) -> str:
    found = None
    for label in _RUN_ON_FIELDS:  # looking for the field first is far cheaper than for the banner
        at = text.find(label, 0, _PREAMBLE_MOST)
        line_start = text.rfind("\n", 0, at) + 1
        if at >= 0 and at - line_start > _LINE_OPENING:
            found = _RUN_ON_BANNER.match(text, line_start)
            if found:
                break
    if found is None:
        return text
    line_end = text.find("\n", found.end())
    line_end = len(text) if line_end < 0 else line_end
    fields = _FIELD_LINE.sub("\n", text[found.end() : line_end])
    return f"{text[: found.end()]}\n{fields.lstrip()}{text[line_end:]}"


def _paragraph_break(found: re.Match[str]) -> str:
    text, start, end = found.string, found.start(), found.end()
    if "¶" in found.group():
        return "\n\n¶" if text[end : end + 1].isdigit() else "\n\n"
    if _IN_LINE_BEFORE.search(text, max(0, start - 5), start) or _IN_LINE_AFTER.match(text, end):
        return " "
    return "\n\n"
