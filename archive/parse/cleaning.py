"""Lines of a telegram body without the printing noise: page breaks, section banners, footers.

Telegrams were printed in pages and sent in sections; the page-break lines
(``LA PAZ 00000906 002 OF 003``, ``PARIS 00002069 001.2 OF 002``,
``PAGE 02 STATE 015113 182333Z``), the banner repeated at each section, stray classification
footers and routing headers of later sections interrupt the text, sometimes in mid-sentence or
mid-line. ``clean_lines`` drops them, keeping every other line (and its text) as printed.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from archive.parse.markings import Banner, parse_banner

_STATION = r"[A-Z][A-Z'.-]*(?:\s[A-Z][A-Z'.-]*){0,3}"
# "LA PAZ 00000906 002 OF 003", "PARIS 00002069 001.2 OF 002", "USOSCE 00000086 002 OF 002".
_COUNTER = r"\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}"
_PAGE_COUNTER = rf"{_STATION}\s+{_COUNTER}"
PAGE_BREAK_LINE = re.compile(rf"^\s*{_PAGE_COUNTER}\s*$")
_INLINE_PAGE_BREAK = re.compile(rf"(?<!\s)\s*(?<![A-Za-z]){_PAGE_COUNTER}(?!\w)\s*")
# Old style: "PAGE 02 STATE 015113 182333Z", "PAGE 02 HARARE 06677 01 OF 03 291400Z <text>",
# "PAGE 02 RUEHFRA0170 S E C R E T". The text after the time group belongs to the cable.
_OLD_PAGE = re.compile(r"^\s*PAGE\s+\d{2,3}\s+[A-Z](?:(?P<head>.*?\b\d{6}Z\b)(?P<rest>.*))?")
# A classification word alone on a line: a page header or footer.
_LONE_CLASSIFICATION = re.compile(
    r"^\s*(?:(?:C\s?)?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|(?:S\s?)?E\s?C\s?R\s?E\s?T|"
    r"U\s?N\s?C\s?L\s?A\s?S\s?S\s?I\s?F\s?I\s?E\s?D|UNCLAS|LIMITED OFFICIAL USE)\s*$"
)
# A routing header or a publisher's record of a later copy: "VZCZC...", a cables.csv row
# ('225926,9/18/2009 15:03,09THEHAGUE567,...'), "id: 81813", "<<240168>>".
TRANSMISSION_START = re.compile(r"^\s*VZCZC|^\d+,\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2},|^(?:id|ID): \d+\s*$|^<<\d+>>\s*$")
# "C O R R E C T E D COPY (ADDED TAGS)": a re-issue notice, printed under the banner and again
# under each page counter; the body half keeps the first one (``corrected_copy_notice``).
CORRECTED_COPY = re.compile(r"^\s*C\s?O\s?R\s?R\s?E\s?C\s?T\s?E\s?D\s+C\s?O\s?P\s?Y\b.*$")
# A printed telegram's next section opens with its own header: " CONFIDENTIAL PTQ7827", then
# "PAGE 01 ROME 01196 02 OF 02 082031Z ACTION EUR-00", office lists and the FM/TO lines; the
# section's banner ends it, and the preamble fields printed again under it are no text.
_PRINTED_SECTION_START = re.compile(
    r"^\s*(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)\s+[A-Z]{3}\d{3,5}\s*$"
)
_REPEATED_FIELD = re.compile(r"^\s*(?:E\.\s?O\.|TAGS\b|SUBJECT\s*:)|\bE\.O\.\s*\d{5}|\bTAGS\s*:", re.IGNORECASE)
_NUMBERED_LINE = re.compile(r"^\s*\d{1,3}\.\s")
_REPEATED_FIELD_WINDOW = 8
# A page footer's classification word left at the end of a line: "... XXXXXXXXXXXX SAID, IS  CONFIDENTIAL".
_TRAILING_CLASSIFICATION = re.compile(r"(?<!\s)\s{2,}(?:CONFIDENTIAL|SECRET|UNCLASSIFIED)\s*+$")
# Markers some releases put after the text.
_TRAILING_END_MARKER = re.compile(r"(?<!\s)\s+NNNN\s+End Cable Text\s*+$", re.IGNORECASE)
_END_MARKERS = re.compile(
    r"^\s*(?:NNNN|BT|=+\s*CABLE ENDS\s*=+|End Cable Text|[<>]+)\s*$",
    re.IGNORECASE,
)
# One match each instead of one per pattern: most lines these are tried on are none of them.
_SECTION_HEADER_START = re.compile(f"{TRANSMISSION_START.pattern}|{_PRINTED_SECTION_START.pattern}")
_NOISE_LINE = re.compile(
    f"(?P<corrected_copy>{CORRECTED_COPY.pattern})|{PAGE_BREAK_LINE.pattern}|{_LONE_CLASSIFICATION.pattern}"
    f"|(?i:{_END_MARKERS.pattern})"
)


# Page-break lines, lone classification words and end markers are short; longer noise lines open
# with one of these characters (VZCZC, id:, <<123>>, ====CABLE ENDS====, a cables.csv row, CORRECTED
# COPY, PAGE 02).
_SHORT_LINE = 45
_NOISE_STARTS = frozenset("VIi<>=CP")
# The first letters of a banner (``_may_be_banner``).
_BANNER_STARTS = ("CONF", "CCONF", "SECR", "SSECR", "UNCL", "UUNCL", "TOPS", "LIMI", "SENS")
_BANNER_FIRST = frozenset('",' + "".join(start[0] + start[0].lower() for start in _BANNER_STARTS))
# How the lines open that ``_Cleaner.take`` may keep otherwise than as printed (and some more):
# noise lines and section headers open with a capital not followed by a small letter (a short line
# with any capital, a longer one with one of ``_NOISE_STARTS``), "<", ">", "=", a cables.csv row's
# number, "id:" or an end marker in any case; old-style page headers with "PAGE"; banners as
# ``_may_be_banner`` lets through (a non-ASCII letter among the first may upper-case to ASCII ones).
# A line opening with any other small letter is none of them: most lines fail at the first look.
_NOISE_OPENING = rf"[VICP](?![a-z])|[A-Z](?![a-z]).{{0,{_SHORT_LINE - 1}}}+$|[<>=]|\d+,|id:|(?i:NNNN|BT|END)"
_BANNER_OPENING = (
    "|".join(" *".join(f"[{letter}{letter.lower()}]" for letter in start) for start in _BANNER_STARTS)
    + r"|[\",]|[CcSsUuTtLl](?=[\x00-\x7f]{0,14}+[^\x00-\x7f])"
)
_LOOK_AGAIN = re.compile(rf"\s*+(?![adfghjkmopqrvwxyz])(?:{_NOISE_OPENING}|{_BANNER_OPENING})")


@dataclass(slots=True)
class Lines:
    """Kept lines: their texts, and the indices of those ``joined`` to the text before them (a page
    break was removed right before). Plain strings and a set, not an object a line: most lines are
    plain text, and a cable has a hundred and more."""

    texts: list[str] = field(default_factory=list)
    joined: set[int] = field(default_factory=set)

    def after(self, start: int) -> Lines:
        """The lines from ``start`` on."""
        return Lines(self.texts[start:], {index - start for index in self.joined if index >= start})

    def extend(self, other: Lines) -> None:
        """``other``'s lines after these, joined where they were."""
        self.joined.update(index + len(self.texts) for index in other.joined)
        self.texts += other.texts

    def append(self, text: str, *, joined: bool = False) -> None:
        if joined:
            self.joined.add(len(self.texts))
        self.texts.append(text)


def strip_inline_page_breaks(text: str, station: str | None = None) -> str:
    """``text`` with page counters printed inside a line replaced by one space.

    With the cable's station known, the counter's station starts with one of its words ("DUBAI" for
    RPO DUBAI, "RIO DE JAN") or is a single word, so that the words before it stay ("SUBJECT: HMG ACKNOWLEDGES
    UK ECONOMY ENTERING RECESSION LONDON 00002683 001.2 OF 002" keeps its subject whole).
    """
    if " OF " not in text:
        return text
    return (_inline_page_break(station) if station else _INLINE_PAGE_BREAK).sub(" ", text)


@functools.lru_cache(maxsize=64)
def _inline_page_break(station: str) -> re.Pattern[str]:
    # The counter's station starts with a word of the cable's ("RIO DE JAN" for RIO DE JANEIRO).
    own = "|".join(re.escape(word) for word in station.split())
    counter = rf"(?:(?:{own})(?=\s)(?:\s[A-Z][A-Z'.-]*){{0,3}}?|[A-Z][A-Z'.-]*)\s+{_COUNTER}"
    return re.compile(rf"(?<!\s)\s*(?<![A-Za-z]){counter}(?!\w)\s*")


def clean_lines(lines: list[str], station: str | None, serial: str | None) -> Lines:
    """The lines after the banner without page breaks, repeated banners, footers and headers.

    Blank lines around a removed page break are dropped too, and the line after it is ``joined``:
    the break interrupted the text, not a paragraph boundary.
    """
    texts = list(map(str.rstrip, lines))
    cleaner = _Cleaner(lines, station, serial)
    done = 0
    for index in sorted(_lines_to_look_at(texts)):
        cleaner.take_plain(texts, done, index)
        cleaner.take(index, texts[index])
        done = index + 1
    cleaner.take_plain(texts, done, len(texts))
    return cleaner.kept


def _lines_to_look_at(texts: list[str]) -> set[int]:
    """The indices of the (right-stripped) lines that ``_Cleaner.take`` may keep otherwise than as
    printed, and some more; every other line is blank or plain text."""
    looks = set(itertools.compress(range(len(texts)), map(_LOOK_AGAIN.match, texts)))
    joined = "\n".join(texts)
    if " OF " in joined or "Text" in joined:  # a page counter inside a line, an end marker after the text
        looks.update(index for index, text in enumerate(texts) if " OF " in text or text.endswith("Text"))
    return looks


@dataclass(slots=True)
class _Cleaner:
    """The lines kept so far, and what the line before left pending."""

    lines: list[str]
    station: str | None
    serial: str | None
    kept: Lines = field(default_factory=Lines)
    in_header: bool = False  # inside a later section's routing header, which runs until its banner
    break_pending: bool = False  # a page break was removed: the next text line is joined to the last
    skip_to: int = -1  # the last line of a preamble repeated under a later section's banner

    def take_plain(self, texts: list[str], start: int, end: int) -> None:
        """Keep the lines from ``start`` to ``end``, none of which ``_lines_to_look_at`` picks out."""
        index = start
        # After a page break, in a later section's header and its repeated preamble, ``take`` decides.
        while index < end and (self.in_header or self.break_pending or index <= self.skip_to):
            self.take(index, texts[index])
            index += 1
        self.kept.texts.extend(texts[index:end])  # as ``take`` keeps them

    def take(self, index: int, text: str) -> None:
        """Keep one line, or drop it as printing noise."""
        if index <= self.skip_to:
            return
        if self.in_header:
            if parse_banner(text):
                self.in_header = False
                self.break_pending = True
                self.skip_to = _repeated_preamble_end(self.lines, index)
            return
        if not text:  # a blank line: no noise pattern matches it, and it is no banner
            if not self.break_pending:
                self.kept.append(text)
            return
        # Most lines are long lines of text that none of the noise patterns can match.
        lead = text.lstrip()
        start = lead[:1]
        maybe_noise = len(lead) <= _SHORT_LINE or start in _NOISE_STARTS or start.isdigit()
        if maybe_noise and _SECTION_HEADER_START.match(text):
            self.in_header = True
            return
        if text.endswith("Text") and _TRAILING_END_MARKER.search(text):
            text = _TRAILING_END_MARKER.sub("", text)
        if maybe_noise and self._noise_line(text):
            return
        if start == "P":
            text = self._after_old_page_header(text)
        self._keep_text(text)

    def _keep_text(self, text: str) -> None:
        """Keep a line of text, or the text glued to a repeated banner."""
        banner = parse_banner(text) if _may_be_banner(text) else None
        if banner is not None and _is_repeat(banner, self.station, self.serial):
            self._page_break()
            if banner.rest:
                self.kept.append(banner.rest, joined=True)
                self.break_pending = False
        elif not self.break_pending:
            self.kept.append(strip_inline_page_breaks(text, self.station))
        elif text:
            self._keep(strip_inline_page_breaks(text, self.station))

    def _noise_line(self, text: str) -> bool:
        """A corrected-copy notice, page-break line, lone classification word or end marker."""
        noise = _NOISE_LINE.match(text)
        if noise is None:
            return False
        if noise["corrected_copy"] is None:  # the notice is no break in the text
            self._page_break()
        return True

    def _after_old_page_header(self, text: str) -> str:
        """The text after an old-style page header ("PAGE 02 STATE 015113 182333Z <text>"), else ``text``."""
        old_page = _OLD_PAGE.match(text)
        if not old_page:
            return text
        self._page_break()
        if texts := self.kept.texts:
            texts[-1] = _TRAILING_CLASSIFICATION.sub("", texts[-1])
        return (old_page["rest"] or "").strip()

    def _page_break(self) -> None:
        _drop_trailing_blanks(self.kept)
        self.break_pending = True

    def _keep(self, text: str) -> None:
        if not self.break_pending:
            self.kept.append(text)
        elif text.strip():
            self.kept.append(text, joined=True)
            self.break_pending = False


def _repeated_preamble_end(lines: list[str], banner_index: int) -> int:
    """Index of the last E.O./TAGS/SUBJECT line printed again under a later section's banner
    (``banner_index`` when there is none)."""
    end = banner_index
    for index in range(banner_index + 1, min(banner_index + 1 + _REPEATED_FIELD_WINDOW, len(lines))):
        if _NUMBERED_LINE.match(lines[index]):
            break
        if _REPEATED_FIELD.search(lines[index]):
            end = index
    return end


def _may_be_banner(text: str) -> bool:
    """Cheap test before the banner regex: banners open with a classification word (maybe spaced
    out, its first letter doubled, or after a quote)."""
    stripped = text.lstrip()
    if not stripped or len(stripped) >= 160 or stripped[0] not in _BANNER_FIRST:
        return False
    if stripped[0] in '",':
        return True
    return stripped[:16].replace(" ", "").upper().startswith(_BANNER_STARTS)


def _is_repeat(banner: Banner, station: str | None, serial: str | None) -> bool:
    """A banner repeated at a section start (same cable), not text opening with a level word."""
    if banner.section is not None:
        return True
    if banner.station is None:
        # "SENSITIVE BUT UNCLASSIFIED" under an UNCLAS banner is a marking, not a page footer.
        return not banner.rest and banner.level != "SENSITIVE BUT UNCLASSIFIED"
    return serial is not None and banner.serial is not None and int(banner.serial) == int(serial)


def _drop_trailing_blanks(kept: Lines) -> None:
    texts = kept.texts
    while texts and not texts[-1].strip():
        texts.pop()
        kept.joined.discard(len(texts))
