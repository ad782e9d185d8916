"""The text of a cable as numbered, marked paragraphs; SUMMARY and COMMENT sections; signers.

Paragraphs open with a number (``1.``, ``¶5.``, ``1.(C)``) and usually a portion mark. Numbers
damaged by scanning (``11.``, ``13.`` for 1 and 3: a ``¶`` read as ``1``) are recovered from the
sequence; a portion mark displaced before its number (``(SBU) At a meeting, ... ¶5. (SG) de ...``)
is put back. Dashed headings between paragraphs are not paragraph text; a SUMMARY or COMMENT
heading (or a paragraph opening with ``Summary:``/``Comment:``) marks the paragraphs it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.cable import Paragraph
from archive.parse.cleaning import Line
from archive.parse.markings import PORTION_MARK, Marking, marking_of

_PILCROW = "[¶\ufffd]"
# Telegram lines wrap at about 70 characters; a longer line may hold several paragraphs.
_WRAPPED_WIDTH = 90
# A numbered paragraph at the start of a line (the body half also uses it to end the preamble): "1. (C) ...", "¶5.", "1.(C)", "- 11. Summary".
NUMBERED = re.compile(
    rf"^\s*(?:[-*]\s+)?(?P<printed>{_PILCROW}?\s?(?P<num>\d{{1,3}})\s?\.)(?!\d)(?=\s|\(|$|[A-Z\"'])\s*"
)
# Inside a line (text converted from scans runs paragraphs together): after a sentence end, a
# number followed by a portion mark, or a number printed with the paragraph sign.
_INLINENUMBERED = re.compile(rf"(?<=[.!?\"'”)\]:]\s)\s*(?P<printed>{_PILCROW}?(?P<num>\d{{1,3}})\.)\s+(?=\()")
_INLINE_PILCROW = re.compile(rf"(?P<printed>{_PILCROW}\s?(?P<num>\d{{1,3}})\.)\s*")
_SENTENCE_END = re.compile(r"[.!?\"'”)]\s+(?=\()")
_DASHES = re.compile(r"^\s*-{3,}[\s-]*$")
_INLINE_HEADING = re.compile(r"^\s*(?P<title>[^\s-].{0,80}?)\s+-{5,}[\s-]*$")
_SUMMARY_START = re.compile(r"^\W*(?:BEGIN\s+)?SUMMARY\b|^\W*(?:INTRODUCTION\s+AND\s+)?SUMMARY\b", re.I)
_SUMMARY_END = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.IGNORECASE)
_COMMENT_START = re.compile(r"^\W*(?:BEGIN\s+)?COMMENTS?\b", re.IGNORECASE)
_COMMENT_END = re.compile(r"\bEND\s+(?:OF\s+)?COMMENTS?\b", re.IGNORECASE)
_HEADING_SECTION = re.compile(r"^\W*(?P<section>SUMMARY|COMMENTS?)\b", re.IGNORECASE)
# The signer's name closing the cable: "CLINTON", "VAN VOORST", "TIMKEN JR", "Wolff".
_SIGNER_LINE = re.compile(r"^\s*(?P<names>[A-Z][A-Za-z'’-]+(?:[ /,]+[A-Z][A-Za-z'’-]+){0,2})\s*\.?\s*$")
_SIGNER_AFTER_TEXT = re.compile(
    r"(?:[.!?\"”)]|\bEND\s+(?:OF\s+)?(?:COMMENTS?|SUMMARY|TEXT)\.?)\s+(?P<names>[A-Z][A-Z'’-]+|[A-Z][a-z]+(?:[A-Z][a-z]+)?)\s*\.?\s*$"
)
_NAME_PREFIXES = frozenset({"VAN", "VON", "DE", "DI", "DA", "DEL", "LA", "LE", "MC", "MAC", "ST", "AL", "EL"})
_NAME_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
_NOT_SIGNERS = frozenset(
    {"END", "COMMENT", "SUMMARY", "TEXT", "SIPDIS", "NOFORN", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET",
     "NNNN", "BT", "NOTE", "THANKS", "REGARDS", "ACTION", "REQUEST", "DECL", "TAGS", "OADR", "NA"}
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


def parse_paragraphs(lines: list[Line]) -> Text:
    """Paragraphs and signers of the text lines that follow the preamble."""
    warnings: list[str] = []
    drafts = _split(lines, warnings)
    heading = None
    for draft in drafts:
        # A heading printed at the end of one draft opens the next one.
        draft.heading = heading
        heading = _pop_heading(draft.lines)
    drafts = _merge_headings(drafts)
    signers = _pop_signers(drafts)
    paragraphs = _finish(drafts)
    return Text(paragraphs, signers, tuple(warnings))


def _split(lines: list[Line], warnings: list[str]) -> list[_Draft]:
    """Cut the lines into paragraph drafts, recovering numbers and displaced marks."""
    drafts: list[_Draft] = []
    current = _Draft(None, None, None)
    last_number = 0
    previous_blank = True
    for line in lines:
        text = line.text
        if not text.strip():
            current.lines.append("")
            previous_blank = True
            continue
        start = NUMBERED.match(text)
        if start:
            number = _accept(start, text, last_number, previous_blank)
            if number is not None:
                drafts.append(current)
                marking, rest = _take_marking(text[start.end() :])
                current = _Draft(number, start["printed"].strip(), marking)
                last_number = number
                text = rest
        elif previous_blank and not line.joined:
            mark = PORTION_MARK.match(text.lstrip())
            if mark and mark.start() == 0:
                drafts.append(current)
                marking, rest = _take_marking(text.lstrip())
                current = _Draft(None, None, marking)
                text = rest
        # Paragraphs run together on one line (scans, merged lines); ordinary lines are short.
        while len(text) > _WRAPPED_WIDTH or "¶" in text or "\ufffd" in text:
            found = _find_inline(text, last_number)
            if found is None:
                break
            cut, following, number, printed, displaced = found
            current.lines.append(text[:cut])
            drafts.append(current)
            marking, rest = _take_marking(following)
            if displaced is not None:
                marking = displaced
            current = _Draft(number, printed, marking)
            last_number = number
            text = rest
        current.lines.append(text)
        previous_blank = False
    drafts.append(current)
    return [draft for draft in drafts if draft.number is not None or draft.marking or _text(draft.lines)]


def _accept(start: re.Match[str], text: str, last_number: int, previous_blank: bool) -> int | None:
    """The recovered number when a numbered line opens a new paragraph, else None."""
    printed = int(start["num"])
    expected = last_number + 1
    has_mark = bool(PORTION_MARK.match(text, start.end()))
    if printed == expected:
        return printed
    if _ocr_number(start["num"], expected):
        return expected
    if printed > last_number and (has_mark or (previous_blank and printed <= last_number + 3)):
        return printed
    if has_mark and previous_blank and printed > 0:
        return printed
    return None


def _ocr_number(digits: str, expected: int) -> bool:
    """``11`` for 1, ``13`` for 3: a paragraph sign scanned as a ``1`` in front of the number."""
    return digits == f"1{expected}"


def _find_inline(text: str, last_number: int) -> tuple[int, str, int, str, Marking | None] | None:
    """A paragraph start inside ``text``: (cut, text of the new paragraph, number, printed, displaced mark)."""
    expected = last_number + 1
    for pattern in (_INLINENUMBERED, _INLINE_PILCROW):
        for match in pattern.finditer(text):
            digits = match["num"]
            if int(digits) != expected and not _ocr_number(digits, expected):
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
    match = PORTION_MARK.match(stripped)
    if not match:
        return None, text
    return marking_of(match), stripped[match.end() :].lstrip()


def _pop_heading(lines: list[str]) -> str | None:
    """Remove a dashed heading closing ``lines`` (it belongs to the next paragraph); return it."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if not end:
        return None
    last = lines[end - 1]
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
    if start and lines[start - 1].strip():
        return None  # a line of dashes under ordinary text, not a heading block
    title = lines[title_index].strip()
    del lines[start:]
    return title


def _merge_headings(drafts: list[_Draft]) -> list[_Draft]:
    """Drop drafts that held nothing but a heading (their heading already moved on)."""
    return [draft for draft in drafts if draft.number is not None or draft.marking or _text(draft.lines)]


def _pop_signers(drafts: list[_Draft]) -> tuple[str, ...]:
    """Take the signer's name(s) from the end of the last paragraph."""
    if not drafts:
        return ()
    lines = drafts[-1].lines
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return ()
    last = lines[-1]
    whole = _SIGNER_LINE.match(last)
    if whole and (len(lines) > 1 or drafts[-1].number is not None) and _names(whole["names"]):
        lines.pop()
        return _names(whole["names"])
    after = _SIGNER_AFTER_TEXT.search(last)
    if after and _names(after["names"]):
        lines[-1] = last[: after.start("names")].rstrip()
        return _names(after["names"])
    return ()


def _names(text: str) -> tuple[str, ...]:
    """Signer names of a closing line: ``SCHREIBER HUGHES`` is two, ``VAN VOORST`` one."""
    words = [word for word in re.split(r"[\s/,]+", text.strip(" .")) if word]
    if not words or any(word.upper() in _NOT_SIGNERS for word in words):
        return ()
    if len(words) == 1:
        return (words[0],)
    if len(words) == 2 and words[0].upper() == words[1].upper():
        return (words[0],)
    if words[0].upper() in _NAME_PREFIXES or words[-1].upper().strip(".") in _NAME_SUFFIXES:
        return (" ".join(words),)
    if len(words) == 2 and all(word.isupper() for word in words):
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
        for name, start, end in (("SUMMARY", _SUMMARY_START, _SUMMARY_END), ("COMMENT", _COMMENT_START, _COMMENT_END)):
            if not start.match(text):
                continue
            sections[index] = name
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
        if not stripped.strip():
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
