"""The text of a cable as numbered, marked paragraphs; SUMMARY and COMMENT sections; signers.

Paragraphs open with a number (``1.``, ``¶5.``, ``1.(C)``) and usually a portion mark. Numbers
damaged by scanning (``11.``, ``13.`` for 1 and 3: a ``¶`` read as ``1``) are recovered from the
sequence; a portion mark displaced before its number (``(SBU) At a meeting, ... ¶5. (SG) de ...``)
is put back. Dashed headings between paragraphs are not paragraph text; a SUMMARY or COMMENT
heading (or a paragraph opening with ``Summary:``/``Comment:``) marks the paragraphs it covers.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from archive.cable import Paragraph
from archive.parse.cleaning import Lines
from archive.parse.markings import PORTION_MARK, Marking, marking_of

_PILCROW = "[¶\ufffd]"
# Telegram lines wrap at about 70 characters; a longer line may hold several paragraphs.
_WRAPPED_WIDTH = 90
# A numbered paragraph at the start of a line (the body half also uses it to end the preamble): "1. (C) ...", "¶5.", "1.(C)", "- 11. Summary".
NUMBERED = re.compile(
    rf"^\s*(?:[-*]\s+)?(?P<printed>{_PILCROW}?\s?(?P<num>\d{{1,3}})\s?\.)(?!\d)(?=\s|\(|$|[A-Z\"'])\s*"
)
# What a numbered line's first character after its spaces can be: the characters of NUMBERED's
# openings; any other line is spared the pattern (``_may_be_numbered``).
_NUMBER_OPENINGS = frozenset("-*¶\ufffd")
# Inside a line (text converted from scans runs paragraphs together): after a sentence end, a
# number followed by a portion mark, or a number printed with the paragraph sign.
_INLINENUMBERED = re.compile(rf"(?<=[.!?\"'”)\]:]\s)\s*(?P<printed>{_PILCROW}?(?P<num>\d{{1,3}})\.)\s+(?=\()")
# ... or after a heading, when it is the expected number and a portion mark follows:
# "... END SUMMARY.Meeting with Governor and VP candidate Cobos 2.  (U) On August 16, ...".
# The space comes first and the lookbehinds take it in: tried at every position, four lookbehinds
# before it cost four times as much.
_INLINE_MARKED = re.compile(
    r"\s(?<!\bpara\s)(?<!\bparas\s)(?<!\bparagraph\s)(?<!\bref\s)(?P<printed>(?P<num>\d{1,3})\.)\s+"
    r"(?=\((?:TS|SBU|LOU|U|C|S)\b[A-Z/ -]*\))",
    re.IGNORECASE,
)
_INLINE_PILCROW = re.compile(rf"(?P<printed>{_PILCROW}\s?(?P<num>\d{{1,3}})\.)\s*")
_SENTENCE_END = re.compile(r"[.!?\"'”)]\s+(?=\()")
_CITING_PARA = re.compile(r"\b(?:paras?|paragraphs?)\.?\s*$", re.IGNORECASE)
# Runs that a failed match could split in many ways are matched possessively ("*+", "++"), and
# unanchored patterns try a run of spaces, dots or X's once, from its first character: a line of a
# million dashes then costs one pass, not one per way to split it.
_DASHES = re.compile(r"^\s*+-{3,}+[\s-]*+$")
_INLINE_HEADING = re.compile(r"^\s*+(?P<title>[^\s-].{0,80}?)\s++-{5,}+[\s-]*+$")
# A paragraph opening a SUMMARY or COMMENT section; the group named after the section matches.
# One pattern for both, tried once a paragraph: no text can open both.
_SECTION_START = re.compile(
    r"^\W*(?:(?:BEGIN\s+|INTRODUCTION\s+AND\s+)?(?P<SUMMARY>SUMMARY)\b|(?:BEGIN\s+)?(?P<COMMENT>COMMENTS?)\b)",
    re.IGNORECASE,
)
_SECTION_END = {
    "SUMMARY": re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.IGNORECASE),
    "COMMENT": re.compile(r"\bEND\s+(?:OF\s+)?COMMENTS?\b", re.IGNORECASE),
}
# An undashed heading: a few upper-case words, not a sentence ("GOB REACTIONS:", "SOUTH AMERICA-ARAB SUMMIT").
_CAPS_HEADING = re.compile(r"^(?=.*[A-Z]{2})[A-Z0-9][A-Z0-9 ,'’/&()-]{1,58}:?$")
_HEADING_SECTION = re.compile(r"^\W*(?P<section>SUMMARY|COMMENTS?)\b", re.IGNORECASE)
# The signer's name closing the cable: "CLINTON", "VAN VOORST", "TIMKEN JR", "Wolff", "CDA Griffiths".
_SIGNER_LINE = re.compile(
    r"^\s*(?:(?:CDA|CHARGE|AMBASSADOR|AMB)\.?\s+)?(?P<names>[A-Za-z][A-Za-z'’-]+(?:[ /,]+[A-Za-z][A-Za-z'’-]+){0,2})\s*+\.?\s*+$"
)
# Where the text ends and a signer printed on the same line begins: a sentence end, an END
# COMMENT / END OF PART ONE closing, a redaction, a row of asterisks or a web address.
_BEFORE_SIGNER = (
    r"(?i:[.!?\"”)]\s*+|\bEND\s+(?:OF\s+)?(?:COMMENTS?|SUMMARY|TEXT|PART\s+[A-Z]+)\.?\s+|(?<!X)X{5,}+\s+|(?<!\*)\*{3,}+\s*+"
    r"|(?<!\S)(?:\S*?index\.\s?c\s?fm|(?=\S*?(?:[/_]|\.gov)))\S*+\s+|\bUNQUOTE\s+|\bMINIMIZE\s+CONSIDERED\s+)"
)
_SIGNER_AFTER_TEXT = re.compile(
    _BEFORE_SIGNER + r"(?P<names>(?:(?:VAN|VON|DE|LA|LE|DI|DEL|MC|MAC|ST|AL|EL)\s)?[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+)?"
    r"|[A-Z][a-z]+(?:[A-Z][a-z]+)?)\s*+\.?\s*+$"
)
# An upper-case surname after a name, a number or a redaction in mixed-case text, without a
# full stop between: "... Cabinet Advisor for Iranian Affairs Ahmed Megahed SCOBEY".
_SIGNER_AFTER_NAME = re.compile(r"(?:\b[A-Z][a-z]+|\b\d+|(?<!X)X{4,}+):?\s++(?P<names>[A-Z][A-Z'’-]{3,}+)\s*+$")
# What publishers print after a cable: library-export footers ("2004VATICA03196 - Classification:
# CONFIDENTIAL"), a web page's database query, a newspaper's print footer, the declassification
# stamp of old cables ("Declassified/Released US Department of State EO / Systematic Review 05 JUL 2006").
_PUBLISHER_FOOTER = re.compile(
    r"^\s*+>?\s*+(?:(?:NNNN\s+)?\d{4}[A-Z]+\d+\s+-\s+(?:Classification:\s*)?[A-Z /]+|SELECT \* FROM `cable`.*|.*@ EL P.*|.*\bEL PA[ÍI]S\b.*"
    r"|ID:\s*\d+|@@@OASYS@@@|NNNN?|>|Declassified/Released US Department of State EO\b.*"
    r"|Systematic Review \d{1,2} [A-Z]{3} \d{4})?\s*+$"
)
# Lines that may follow the signer: punctuation only, text cut off with "...", the post's
# "Visit ... Classified Website" banner (wrapped over two lines).
_CLOSING_NOISE = re.compile(
    r"^[\s.…\"'”“/*-]*$|^\s*[Xx]{4,}\s*$|(?<!\.)\.{2,}+\s*+$|Classified\s+Web\s?site"
    r"|^\s*+(?=\S*?(?:\.gov/|intelink))\S*+\s*+$",
    re.IGNORECASE,
)
# How far from the end of the last line a signer printed after the text is looked for: so many
# characters, and no further than the longest closing the patterns know ("END OF PART ONE. VAN
# DER BERG .", eight words): tried at every position, they cost milliseconds on a long line.
_SIGNER_TAIL = 400
_SIGNER_WORDS = 8
# How many noise lines may follow the signer ("AGUIRRE" then six lines of "/" in 07MADRID2044).
_MOST_CLOSING_NOISE = 8
# Trailing bits of a signer line that are not part of the name: a date, the next record's fields.
_SIGNER_LINE_TAIL = re.compile(
    r"(?<!\s)\s+\d{4}-\d{2}-\d{2}\s*+$|(?<!\s)\s+0\s+\d{1,2}/\d{1,2}/\d{4}\b.*$|(?<!\s)\s*(?:(?<!\.)\.{2,}+|[\"”])\s*+$"
)
_REDACTED = re.compile(r"[Xx]{4,}")
# A line after which a closing name may stand alone: a finished sentence, an END COMMENT, a web address.
_SENTENCE_DONE = re.compile(
    r"(?:[.!?:;\"'”)\]*-]|\bEND\s+(?:OF\s+)?(?:COMMENTS?|SUMMARY|TEXT)|(?<!\S)(?=\S*?(?:[/_]|\bc\s?fm))\S*+(?:\s?fm\S*+)?)\s*+$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"[\s/,]+")
_NAME_PREFIXES = frozenset({"VAN", "VON", "DE", "DI", "DA", "DEL", "LA", "LE", "MC", "MAC", "ST", "AL", "EL"})
_NAME_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
_NOT_SIGNERS = frozenset(
    {"END", "COMMENT", "SUMMARY", "TEXT", "SIPDIS", "NOFORN", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
     "NNNN", "BT", "NOTE", "THANKS", "REGARDS", "ACTION", "REQUEST", "DECL", "TAGS", "OADR", "NA",
     "CABLE", "MESSAGE", "PART", "ONE", "TWO", "THREE", "QUOTE", "UNQUOTE", "MINIMIZE", "CONSIDERED",
     "ENDS", "FOLLOWS", "AND", "THE", "OF", "FOR", "TO", "IN", "ON",
     # function words: the last words of a page cut mid-sentence ('PASS THE WORD AROUND TO "LAY OFF" OR HE')
     "OR", "BUT", "IF", "AS", "AT", "BY", "IS", "ARE", "WAS", "BE", "NOT", "IT", "HE", "SHE", "WE", "THEY",
     "HIS", "HER", "ITS", "THAT", "THIS", "WITH", "FROM", "WILL"}
)  # fmt: skip


@dataclass(slots=True)
class _Draft:
    number: int | None
    printed: str | None
    marking: Marking | None
    lines: list[str] = field(default_factory=list)
    heading: str | None = None  # the heading printed before the paragraph


@dataclass(frozen=True, slots=True)
class Text:
    paragraphs: tuple[Paragraph, ...]
    signers: tuple[str, ...]
    warnings: tuple[str, ...]


def parse_paragraphs(lines: Lines) -> Text:
    """Paragraphs and signers of the text lines that follow the preamble."""
    warnings: list[str] = []
    drafts = _split(lines, warnings)
    heading = None
    for index, draft in enumerate(drafts):
        # A heading printed at the end of one draft opens the next one; the last draft ends
        # with the signer, not a heading.
        draft.heading = heading
        heading = _pop_heading(draft.lines) or (_pop_caps_heading(draft.lines) if index + 1 < len(drafts) else None)
    drafts = _without_empty(drafts)
    signers = _pop_signers(drafts)
    paragraphs = _finish(drafts)
    irregular = _numbering_warning([paragraph.number for paragraph in paragraphs if paragraph.number is not None])
    if irregular:
        warnings.append(irregular)
    return Text(paragraphs, signers, tuple(warnings))


def _numbering_warning(numbers: list[int]) -> str | None:
    """A warning when the paragraph numbers do not run 1, 2, 3, …: a late start (partial extracts),
    a gap, a number repeated or a restart (quoted texts); the printed numbers are kept as they are."""
    if not numbers or numbers == list(range(1, len(numbers) + 1)):
        return None
    odd: list[str] = []
    if numbers[0] != 1:
        odd.append(f"starts at {numbers[0]}")
    highest = numbers[0]
    for before, after in itertools.pairwise(numbers):
        resumed = before < highest < after <= highest + 2  # back to the main sequence after a restart
        highest = max(highest, after)
        if after == before:
            odd.append(f"{after} repeated")
        elif after < before:
            odd.append(f"{after} after {before}")
        elif after > before + 1 and not resumed:
            odd.append(f"{before + 1}-{after - 1} missing" if after > before + 2 else f"{before + 1} missing")
    return "irregular paragraph numbering: " + ", ".join(odd[:5]) + (", ..." if len(odd) > 5 else "")


def _split(lines: Lines, warnings: list[str]) -> list[_Draft]:
    """Cut the lines into paragraph drafts, recovering numbers and displaced marks."""
    drafts: list[_Draft] = []
    current = _Draft(None, None, None)
    last_number = highest = 0
    previous_blank = True
    previous_text = ""
    list_number = 0  # the last number of a numbered list inside the current paragraph
    all_marked = True  # every numbered paragraph so far opened with a portion mark
    joined = lines.joined
    for index, text in enumerate(lines.texts):
        stripped = text.strip()
        if not stripped:
            current.lines.append("")
            previous_blank = True
            continue
        start = NUMBERED.match(text) if _may_be_numbered(stripped) else None
        if start:
            # The portion mark after the number (NUMBERED takes the spaces after it), matched once.
            mark = PORTION_MARK.match(text, start.end())
            has_mark = mark is not None
            number = (
                None
                if _cited_paragraph(start, text, previous_text)
                else _accept(start, has_mark, last_number, highest, previous_blank)
            )
            if (
                number is not None
                and list_number
                and all_marked
                and not has_mark
                and int(start["num"]) == list_number + 1
            ):
                # "6.(U) DELEGATION ROSTERS / 1.Michael Stafford ... 6.Brent Bredehoft / 7.Anne Kohnen":
                # in a cable whose paragraphs are all marked, an unmarked number going on with a
                # list inside the paragraph is the list's.
                number = None
            if number is None:
                list_number = int(start["num"])
            else:
                all_marked = all_marked and has_mark
                list_number = 0
                drafts.append(current)
                marking, text = _after_mark(mark, text, text[start.end() :])
                current = _Draft(number, start["printed"].strip(), marking)
                last_number, highest = number, max(highest, number)
        elif previous_blank and index not in joined:
            mark = PORTION_MARK.match(text.lstrip())
            if mark and mark.start() == 0:
                drafts.append(current)
                marking, rest = _take_marking(text.lstrip())
                current = _Draft(None, None, marking)
                text = rest
        # Paragraphs run together on one line (scans, merged lines); ordinary lines are short.
        while len(text) > _WRAPPED_WIDTH or "¶" in text or "\ufffd" in text:
            found = _find_inline(text, last_number, highest)
            if found is None:
                break
            cut, following, number, printed, displaced = found
            current.lines.append(text[:cut])
            drafts.append(current)
            marking, rest = _take_marking(following)
            if displaced is not None:
                marking = displaced
            current = _Draft(number, printed, marking)
            last_number, highest = number, max(highest, number)
            text = rest
        current.lines.append(text)
        previous_blank = False
        previous_text = text
    drafts.append(current)
    return _without_empty(drafts)


def _may_be_numbered(stripped: str) -> bool:
    """Can the line ``stripped`` (of its spaces) match NUMBERED? It opens with a dash, an asterisk, a
    paragraph sign or a digit (``\\d``: any decimal digit)."""
    return stripped[0] in _NUMBER_OPENINGS or stripped[0].isdecimal()


def _accept(start: re.Match[str], has_mark: bool, last_number: int, highest: int, previous_blank: bool) -> int | None:
    """The recovered number when a numbered line opens a new paragraph, else None (``has_mark``: a
    portion mark follows the number; ``highest``: the highest number so far, which a restart such
    as a quoted text's numbering leaves behind)."""
    printed = int(start["num"])
    expected = last_number + 1
    if printed == expected:
        return printed
    if _ocr_number(start["num"], expected, highest):
        return expected
    if printed > last_number and (has_mark or (previous_blank and printed <= last_number + 3)):
        return printed
    if has_mark and previous_blank and printed > 0:
        return printed
    return None


def _cited_paragraph(start: re.Match[str], text: str, previous_text: str) -> bool:
    """A number alone on its line after "see para": a wrapped citation ("Please see para. / 3."), no paragraph."""
    return not text[start.end() :].strip() and bool(_CITING_PARA.search(previous_text))


def _ocr_number(digits: str, expected: int, highest: int) -> bool:
    """``11`` for 1, ``13`` for 3: a paragraph sign scanned as a ``1`` in front of the number; not
    when the number goes on with the main sequence after a restart (``11.``, ``2.``, ``13.``)."""
    return digits == f"1{expected}" and not (highest and int(digits) in (highest + 1, highest + 2))


def _find_inline(text: str, last_number: int, highest: int) -> tuple[int, str, int, str, Marking | None] | None:
    """A paragraph start inside ``text``: (cut, text of the new paragraph, number, printed, displaced mark)."""
    expected = last_number + 1
    if f"{expected}." not in text and f"1{expected}." not in text:
        return None  # neither the expected number nor its scanned form "1<n>." is printed
    for pattern in (_INLINENUMBERED, _INLINE_PILCROW, _INLINE_MARKED):
        for match in pattern.finditer(text):
            digits = match["num"]
            if int(digits) != expected and not _ocr_number(digits, expected, highest):
                continue
            if match.start() == 0:
                continue
            printed = match["printed"].strip()
            displaced = _displaced_mark(text, match.start())
            if displaced is not None:
                mark_start, mark_end, marking = displaced
                # The paragraph starts at its mark; the number printed later in it is dropped.
                following = text[mark_end : match.start()].strip() + " " + text[match.end() :]
                return mark_start, following, expected, printed, marking
            return match.start(), text[match.end() :], expected, printed, None
    return None


def _displaced_mark(text: str, position: int) -> tuple[int, int, Marking] | None:
    """A portion mark opening the sentence in which a paragraph number was printed."""
    sentence_start = 0
    for end in _SENTENCE_END.finditer(text, 0, position):
        sentence_start = end.end()
    mark = PORTION_MARK.match(text, sentence_start)
    if mark is None or sentence_start == 0:
        return None
    following = text[mark.end() : position]
    if re.search(r"[.!?]\s", following):
        return None
    return sentence_start, mark.end(), marking_of(mark)


def _take_marking(text: str) -> tuple[Marking | None, str]:
    """The portion mark opening ``text`` and the text after it."""
    stripped = text.lstrip()
    return _after_mark(PORTION_MARK.match(stripped), stripped, text)


def _after_mark(mark: re.Match[str] | None, marked: str, unmarked: str) -> tuple[Marking | None, str]:
    """The marking of ``mark`` (a match in ``marked``) and the text after it; ``unmarked`` when none."""
    if mark is None:
        return None, unmarked
    return marking_of(mark), marked[mark.end() :].lstrip()


def _pop_heading(lines: list[str]) -> str | None:
    """Remove a dashed heading closing ``lines`` (it belongs to the next paragraph); return it."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if not end:
        return None
    last = lines[end - 1]
    if "---" not in last:
        return None  # both heading shapes end with a run of dashes; a quick look spares most drafts the patterns
    inline = _INLINE_HEADING.match(last)
    if inline and not _DASHES.match(last):
        del lines[end - 1 :]
        return inline["title"].strip()
    if not _DASHES.match(last) or end < 2:
        return None
    title_index = end - 2
    if _DASHES.match(lines[title_index]) or not lines[title_index].strip():
        return None
    start = title_index
    if start and _DASHES.match(lines[start - 1]):
        start -= 1
    title = lines[title_index].strip()
    if start and lines[start - 1].strip() and not (_sentence_done(lines[start - 1]) and len(title) <= 60):
        return None  # a line of dashes under ordinary text, not a heading block
    del lines[start:]
    return title


def _pop_caps_heading(lines: list[str]) -> str | None:
    """Remove an undashed upper-case heading closing ``lines`` ("GOB REACTIONS:", "BOLIVIA"): a
    short line of its own after a blank line and a finished sentence; return it."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end < 3 or lines[end - 2].strip() or not _sentence_done(lines[end - 3]):
        return None
    title = lines[end - 1].strip()
    if not _CAPS_HEADING.match(title) or _REDACTED.search(title) or re.match(r"END\b", title):
        return None
    del lines[end - 1 :]
    return title


def _sentence_done(line: str) -> bool:
    """Does ``line`` end a sentence (``_SENTENCE_DONE``)?

    A match spans the last three words at most, so only they are searched: the pattern is tried at
    every position, and a scan's paragraph run onto one line made that cost milliseconds a line.
    """
    return _SENTENCE_DONE.search(line[_last_words_start(line, 3) :]) is not None


def _last_words_start(line: str, count: int) -> int:
    """Where the whitespace before the last ``count`` words of ``line`` starts (0 for fewer words):
    cut there, word boundaries and lookbehinds read the same as in the whole line."""
    words = line.rsplit(None, count)
    return len(words[0]) if len(words) > count else 0


def _without_empty(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts with a number, a marking or text (one that held only a heading is empty once it moved on)."""
    return [draft for draft in drafts if draft.number is not None or draft.marking or _text(draft.lines)]


def _pop_signers(drafts: list[_Draft]) -> tuple[str, ...]:
    """Take the signer's name(s) from the end of the last paragraph.

    Publisher footers after the cable are dropped; punctuation, cut-off excerpt lines and the
    post's website banner printed after the signer are dropped only when a signer is found.
    """
    if not drafts:
        return ()
    lines = drafts[-1].lines
    while lines and _PUBLISHER_FOOTER.match(lines[-1]):
        lines.pop()
    redacted: tuple[list[str], tuple[str, ...]] | None = None
    for trailing in range(_MOST_CLOSING_NOISE + 1):
        if trailing and (len(lines) <= trailing or not _CLOSING_NOISE.search(lines[-trailing])):
            break
        kept = lines[: len(lines) - trailing]
        while kept and not kept[-1].strip():
            kept.pop()
        signers = _take_signers(kept, drafts[-1].number is not None)
        if signers and _REDACTED.fullmatch(signers[0]):
            # "CLINTON / XXXXXXXXXXXX": a named signer before a redacted line is the signer.
            redacted = redacted or (kept, signers)
        elif signers:
            lines[:] = kept
            return signers
    if redacted:
        lines[:] = redacted[0]
        return redacted[1]
    return ()


def _take_signers(lines: list[str], numbered: bool) -> tuple[str, ...]:
    """The signers printed on the last of ``lines`` (which loses them), or ()."""
    if not lines:
        return ()
    last = _without_signer_line_tail(lines[-1])
    previous = next((line for line in reversed(lines[:-1]) if line.strip()), None)
    whole = _SIGNER_LINE.match(last)
    if whole and (previous is not None or numbered) and _names(whole["names"]):
        names = whole["names"]
        # A name not in capitals stands alone only after a finished sentence ("... evolves. / van
        # Voorst"), not as the last word of a wrapped one ("... diverging / interests.").
        if (
            not names[0].islower()
            or previous is None
            or _sentence_done(previous)
            or previous.strip().casefold() == names.casefold()
        ):
            lines.pop()
            if previous is not None and lines and lines[-1].strip().casefold() == names.casefold():
                names = lines.pop().strip()  # the name printed twice: "Huntsman / huntsman"
            return _names(names)
    start = _signer_search_start(last)
    for pattern in (_SIGNER_AFTER_TEXT, _SIGNER_AFTER_NAME):
        after = pattern.search(last, start)
        if after and _names(after["names"]):
            lines[-1] = last[: after.start("names")].rstrip()
            return _names(after["names"])
    return ()


def _signer_search_start(last: str) -> int:
    """Where a signer printed after the text of ``last`` is looked for: within its last ``_SIGNER_TAIL``
    characters and its last ``_SIGNER_WORDS`` words."""
    return max(len(last) - _SIGNER_TAIL, _last_words_start(last, _SIGNER_WORDS))


def _without_signer_line_tail(line: str) -> str:
    """``line`` without a trailing date, record or dots (``_SIGNER_LINE_TAIL``).

    The pattern is tried at every position of a line that may be a whole paragraph; each of its
    tails needs a "/" in the line, or the line to end with a date, two dots or a quote.
    """
    end = line.rstrip()
    if "/" in line or end.endswith(("..", '"', "”")) or end[-3:-2] == "-":
        return _SIGNER_LINE_TAIL.sub("", line)
    return line


def _names(text: str) -> tuple[str, ...]:
    """Signer names of a closing line: ``SCHREIBER HUGHES`` is two, ``VAN VOORST`` one."""
    words = [word for word in _NAME_SEPARATORS.split(text.strip(" .")) if word]
    if not words or any(word.upper() in _NOT_SIGNERS for word in words):
        return ()
    if len(words) == 1:
        return (words[0],)
    if len(words) == 2 and words[0].upper() == words[1].upper():
        return (words[0],)
    if words[0].upper() in _NAME_PREFIXES or words[-1].upper().strip(".") in _NAME_SUFFIXES:
        return (" ".join(words),)
    if len(words) == 2 and all(word.isupper() and not _REDACTED.fullmatch(word) for word in words):
        return tuple(words)
    return ()


def _finish(drafts: list[_Draft]) -> tuple[Paragraph, ...]:
    """Paragraph values with their text joined and their SUMMARY/COMMENT section."""
    texts = [_text(draft.lines) for draft in drafts]
    sections: list[str | None] = [None] * len(drafts)
    heading_section: str | None = None
    for index, draft in enumerate(drafts):
        if draft.heading is not None:
            match = _HEADING_SECTION.match(draft.heading)
            heading_section = _section_name(match["section"]) if match else None
        if heading_section:
            sections[index] = heading_section
    for index, text in enumerate(texts):
        start = _SECTION_START.match(text)
        if start is None:
            continue
        name = start.lastgroup
        assert name is not None, "every alternative of _SECTION_START is a named group"
        sections[index] = name
        end = _SECTION_END[name]
        if end.search(text):
            continue
        # The section runs on to the paragraph that closes it, if one does soon.
        for later in range(index + 1, min(index + 8, len(texts))):
            if end.search(texts[later]):
                for covered in range(index + 1, later + 1):
                    sections[covered] = name
                break
    return tuple(
        Paragraph(
            number=draft.number,
            number_printed=draft.printed,
            marking=draft.marking.printed if draft.marking else None,
            level=draft.marking.level if draft.marking else None,
            caveats=draft.marking.caveats if draft.marking else (),
            text=text,
            section=section,
        )
        for draft, text, section in zip(drafts, texts, sections, strict=True)
    )


def _section_name(word: str) -> str:
    return "SUMMARY" if word.upper().startswith("SUMMARY") else "COMMENT"


def _text(lines: list[str]) -> str:
    """Paragraph text: lines as printed, blank runs collapsed, a break in mid-sentence rejoined."""
    out: list[str] = []
    blank = False
    for line in lines:
        stripped = line.rstrip()
        if not stripped:  # rstrip leaves a blank line empty
            blank = bool(out)
            continue
        if blank and out and _mid_sentence(out[-1], stripped):
            out[-1] = out[-1] + " " + stripped.lstrip()
        else:
            if blank:
                out.append("")
            out.append(stripped)
        blank = False
    return "\n".join(out).strip()


def _mid_sentence(before: str, after: str) -> bool:
    """Does a blank line split a sentence (a page boundary), not two paragraphs?"""
    return not re.search(r"[.:;!?\"'”)\]]\s*$", before) and after.lstrip()[:1].islower()
