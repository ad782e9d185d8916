"""The body of a telegram → classification, E.O./DECL, TAGS, SUBJECT, REF, Classified By,
paragraphs and signers.

A body opens with a banner (``C O N F I D E N T I A L SECTION 01 OF 05 KABUL 003934``), caveat
lines (``SIPDIS``, ``NOFORN``), passing instructions, then the preamble fields (``E.O.``,
``TAGS``, ``SUBJECT``, ``REF``, ``Classified By``) and the numbered paragraphs, closed by the
signer's name. Before the banner some releases put a date line, a partial-extract notice or a
metadata record of their own (``ID:``/``ORIGIN:``/``DATE:``/``MISC:``, ``id:``/``refid:``,
``<<123456>>``); that record is kept, not parsed as text.

Notes for the header half (``archive.parse.header``): ``parse_body`` needs only the body text
and the year of the date-time group (for short REF citations such as ``STATE 12345``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from archive.cable import Paragraph, Reference, Tag
from archive.parse.cleaning import CORRECTED_COPY, TRANSMISSION_START, Lines, clean_lines
from archive.parse.markings import PORTION_MARK, Banner, caveat_name, caveats_of, highest, parse_banner
from archive.parse.paragraphs import NUMBERED, parse_paragraphs
from archive.parse.preamble import (
    CLASSIFIED_BY,
    EO_LINE,
    SUBJECT_LINE,
    ClassifiedBy,
    ExecutiveOrder,
    clean_subject,
    parse_classified_by,
    parse_executive_order,
)
from archive.parse.references import parse_references
from archive.parse.tags import looks_like_tags, parse_tags

# How far into the body a banner may sit (after a metadata record and its routing header).
_BANNER_WINDOW_LINES = 120

_TAGS_LINE = re.compile(r"^\s*TAGS?\b\s*[:.;-]?\s*", re.IGNORECASE)
_REF_LINE = re.compile(r"^\s*(?:REFS?|REFTELS?|REFERENCES?|REF\s?TEL)\b\s*[:.;-]?\s*", re.IGNORECASE)
_CAVEAT_WORDS = re.compile(r"^[A-Za-z ]+$")
_LINE_CONTINUATION = re.compile(r"\s?\\$")
_DASH_LINE = re.compile(r"^[-=_*\s]+$")
_SENSITIVE = re.compile(
    r"^(?:(?:DEA\s+)?SENSITIVE(?:\s+BUT\s+UNCLASSIFIED)?|SBU|FOR\s+OFFICIAL\s+USE\s+ONLY)$", re.IGNORECASE
)
# SENSITIVE run onto the end of an office line: "USDOC ALSO PASS PTO/OLIA ... AID/W FOR LAC/AA SENSITIVE".
_TRAILING_SENSITIVE = re.compile(r"\s(?:SENSITIVE(?:\s+BUT\s+UNCLASSIFIED)?|SBU)$")
# Lines before the banner: a record number, a date, a routing line; a record's "header:" label.
_PROLOGUE_LINE = re.compile(r"^<<\d+>>$|^\d{5,6}$|^[\d/.: -]+$|^VZCZC|^[A-Z]{2} RUE|^DE RUE|^ZN[RY] ")
_HEADER_LABEL = re.compile(r"^header:\s*$")
# Quick looks before costly patterns (tests/parse/test_quick_looks.py checks they miss nothing):
# a routing header or record line opens with VZCZC, <<, id: or ID:, or a number followed by a comma
# or alone on its line (not a paragraph's "1."); the corrected-copy notice's letters; a paragraph 1
# run onto another line.
# The record opening is looked for in the whole text, after each line break (its spaces not
# crossing into the next line): one scan costs less than a match per line.
_RECORD_OPENING = re.compile(r"\n[^\S\n]*+(?:VZCZC|<<|id:|ID:|\d++(?:,|[^\S\n]*+(?![^\n])))")
_CORRECTED = re.compile(r"C\s?O\s?R\s?R\s?E\s?C\s?T\s?E\s?D")
_ONE_DOT = re.compile(r"1\s?\.")
# ... and what splitting such a line needs: a paragraph 1 after a space, then a mark or a word
# (" 1. (C)", " 1. Post"), or an E.O. label followed by a tab; "1.4 (b)" of a reasons line has none.
_RUN_ON_ONE = re.compile(r"\s1\s?\.(?:\s*\(|\s?[A-Z])|EO\s", re.IGNORECASE)
# Keywords glued onto one line by a bad conversion ("... BAKU 000687 SIPDIS E.O. 12958: ...").
# A run of spaces is tried once, from its first character ("(?<!\s)"): tried from each of its
# characters, a long run costs time growing with the cube of its length.
_GLUED_KEYWORD = re.compile(
    r"(?<!\s)\s*(?<![A-Za-z])(?=(?:TAGS|SUBJECT|SUBJ|REFS?|REFTEL)\s?:)"
    r"|(?<!\s)\s*(?=E\.O\.\s*\d{5}|Classified\s+By:)"
    r"|(?<!\s)\s+(?=EO\s+\d{5}\b)"
    r"|(?<!\s)\s*(?<=[\d\s])(?=SIPDIS)|(?<=SIPDIS)\s*+(?=[A-Z])"
    # "AS UK PRIMEREF: A. LONDON 1939": a REF label glued to the subject's last word.
    r"|(?-i:(?<=[A-Z])(?=REFS?:\s*\(?[A-Z][.)]\s))"
    r"|\s+(?=1\s?\.\s*\((?:U|C|S|TS|SBU|LOU)\b)"  # paragraph 1 run onto the Classified By line
    r"|(?-i:(?<=\d)\s+(?=1\s?\.\s?[A-Z][a-z]))"  # ... or onto a REF line: "REF: SECSTATE 165115 1. Post grants"
    # an unnumbered marked paragraph run onto the reasons: "... 1.4 (b) and (d). (SBU) MFA Bilateral ..."
    r"|(?-i:(?<=\)\.)\s+(?=\((?:TS|SBU|LOU|U|C|S)(?:/+[A-Z]+)*\)\s))",
    re.IGNORECASE,
)
# A REF line running on into the text: "REF: STATE 6970 As requested in reftel, contacts ...".
_REF_INTO_TEXT = re.compile(r"(?<=\d)\s+(?=[A-Z][a-z]+\s+\S+\s+[a-z]+\s)")
# "DERIVED FROM: DSCG 05-1 B, D": the source of a derived classification, printed where
# Classified By would be.
# A portion mark opening a sentence (three words on), not a reason letter: "(SBU) MFA Bilateral Relations".
_MARKED_SENTENCE = re.compile(r"^\((?:TS|SBU|LOU|U|C|S)(?:/+[A-Z]+)*\)\s+(?!AND\b|OR\b)[A-Z][A-Za-z]*\s+\S+\s+\S+")
# "(U) THIS CABLE IS SENSITIVE BUT UNCLASSIFIED AND NOT FOR INTERNET DISTRIBUTION.": a handling
# notice under the REF line, kept with the passing instructions, not a REF item or a paragraph
# (the level follows the banner and caveat lines, as the publisher's does).
_HANDLING_NOTICE = re.compile(
    r"^(?:\([A-Z/]+\)\s*)?(?:THIS\s+(?:CABLE|MESSAGE)\s+IS\s+)?SENSITIVE\s+BUT\s+UNCLASSIFIED\b.*\b(?:INTERNET|HANDLE)",
    re.IGNORECASE,
)
_DERIVED_FROM = re.compile(r"^\s*DERIVED\s+FROM\b", re.IGNORECASE)
# Function words that cannot end a subject: a blank line after one does not end the SUBJECT.
_DANGLING = frozenset(
    [
        "AND",
        "OR",
        "OF",
        "THE",
        "TO",
        "IN",
        "FOR",
        "ON",
        "WITH",
        "A",
        "AN",
        "AT",
        "BY",
        "FROM",
        "AS",
        "ITS",
        "INTO",
        "OVER",
        "UNDER",
        "ABOUT",
        "AGAINST",
        "BETWEEN",
        "VS",
        "BUT",
        "NOT",
        "IS",
        "ARE",
        "WAS",
    ]
)
_PARTIAL = "partial extract of the original cable"
_HEADING = re.compile(r"-{3,}|^\W*(?:SUMMARY|COMMENT|BACKGROUND|INTRODUCTION)\b", re.IGNORECASE)
_RECORD_KEYS = re.compile(r"^\s*(?P<key>[A-Za-z]+):\s?(?P<value>.*)$")
_RECORD_END = re.compile(r"^-+\s*header ends\s*-+$")
_ROW_NUMBER = re.compile(r"^\s*\d{3,6}\s*$")
_ISO_DATE_LINE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_WEEKDAY_DATE = re.compile(r"^\s*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{1,2} \w+ \d{4}, \d{2}:\d{2}\s*$")


@dataclass(frozen=True, slots=True)
class Body:
    """What the body of a telegram says."""

    level: str | None  # None when no banner was found (the caller decides what to fall back on)
    caveats: tuple[str, ...] = ()
    executive_order: str | None = None
    declassify_on: date | None = None
    declassify_text: str | None = None
    tags: tuple[Tag, ...] = ()
    subject: str | None = None
    subject_marking: str | None = None
    references: tuple[Reference, ...] = ()
    classified_by: str | None = None
    classified_by_title: str | None = None
    reasons: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    signers: tuple[str, ...] = ()
    partial: bool = False
    record: dict[str, str] = field(default_factory=dict)  # metadata record printed in the body
    passing: tuple[str, ...] = ()  # passing instructions: "STATE FOR INR/B"
    corrected_copy_notice: str | None = None  # "C O R R E C T E D COPY (ADDED TAGS)"
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Preamble:
    """The preamble fields as blocks of lines (a field may be printed more than once)."""

    caveats: list[str] = field(default_factory=list)
    sensitive: bool = False
    blocks: dict[str, list[list[str]]] = field(
        default_factory=lambda: {kind: [] for kind in ("eo", "tags", "subject", "ref", "classified")}
    )
    passing: list[str] = field(default_factory=list)

    @property
    def core_seen(self) -> bool:
        return any(self.blocks[kind] for kind in ("tags", "subject", "classified", "ref"))

    def text(self, kind: str) -> list[str]:
        """Each block of one field as one line of text."""
        return [" ".join(part for part in block if part) for block in self.blocks[kind]]


def parse_body(text: str, year: int | None = None) -> Body:
    """Every field the body of a telegram gives; ``year`` completes short REF citations."""
    warnings: list[str] = []
    opening = _open(text, warnings)
    banner = opening.banner
    preamble, rest = _read_preamble(clean_lines(opening.after, opening.station, opening.serial))
    text_part = parse_paragraphs(rest)
    warnings.extend(text_part.warnings)
    if banner is None:
        warnings.append("no classification banner found")

    executive = parse_executive_order("\n".join(dict.fromkeys(preamble.text("eo")))) if preamble.blocks["eo"] else None
    if executive:
        warnings.extend(executive.warnings)
    tags: tuple[Tag, ...] = ()
    if preamble.blocks["tags"]:
        tags, tag_warnings = parse_tags(_first_distinct(preamble.text("tags")))
        warnings.extend(tag_warnings)
    subject, subject_marking = _choose_subject(preamble.text("subject"), warnings)
    refs = preamble.text("ref")
    classified = _classified_by(preamble, executive)
    level = _level(banner, preamble, text_part.paragraphs, warnings)
    return Body(
        level=level,
        caveats=tuple(dict.fromkeys([*(banner.caveats if banner else ()), *preamble.caveats])),
        executive_order=", ".join(executive.orders) if executive and executive.orders else None,
        declassify_on=executive.declassify_on if executive else None,
        declassify_text=executive.declassify_text if executive else None,
        tags=tags,
        subject=subject,
        subject_marking=subject_marking,
        references=parse_references(" ".join(dict.fromkeys(refs)), year) if refs else (),
        classified_by=classified.name if classified else None,
        classified_by_title=classified.title if classified else None,
        reasons=classified.reasons if classified else (),
        paragraphs=text_part.paragraphs,
        signers=text_part.signers,
        partial=_PARTIAL in text[:2000],
        record=opening.record,
        passing=tuple(preamble.passing),
        corrected_copy_notice=_corrected_copy_notice(text, opening.after),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class _Opening:
    """The banner of a body, what comes before it and the lines after it."""

    banner: Banner | None
    station: str | None  # the banner's, or the next line's when the banner has none
    serial: str | None
    record: dict[str, str]  # a publisher's record printed before the banner
    after: list[str]  # the lines after the banner (with any text glued to the banner first)


def _open(text: str, warnings: list[str]) -> _Opening:
    """Find the banner of a body (the later, full copy when the body holds two)."""
    lines = text.split("\n")  # a Document's text has its line ends normalised
    # Some pages end every line with a backslash (a continuation mark of their converter). The
    # one-character look first: a two-character pattern ending in a line end is scanned slowly.
    if "\\" in text and ("\\\n" in text or text.endswith("\\")):
        lines = [_LINE_CONTINUATION.sub("", line) for line in lines]
        text = "\n".join(lines)  # the lines as read on
    banner_index, banner = _find_banner(lines)
    if banner is not None:
        later = _later_copy(text, lines, banner_index)
        if later is not None:
            # A truncated first copy followed by a record and the full cable: read the full one.
            warnings.append("the body holds a second copy of the cable; the later, full copy was read")
            banner_index, banner = later
    record = _record(lines[:banner_index]) if banner_index else {}
    if banner is None:
        return _Opening(None, None, None, record, lines[banner_index:])
    after = lines[banner_index + 1 :]
    station, serial = banner.station, banner.serial
    if banner.station is None and after:
        # The banner's station and serial printed on the next line: "SECTION 01 OF 02 BAKU 000687",
        # or wrapped inside the station name: "... SECTION 01 OF 04 THE" / "HAGUE 002047".
        follow = parse_banner(f"UNCLASSIFIED {banner.rest} {after[0].strip()}")
        if follow and follow.station:
            station, serial = follow.station, follow.serial
            after = [follow.rest, *after[1:]] if follow.rest else after[1:]
            banner = dataclasses.replace(banner, rest="")
    if banner.rest:
        after = [banner.rest, *after]
    return _Opening(banner, station, serial, record, after)


def _level(
    banner: Banner | None, preamble: _Preamble, paragraphs: tuple[Paragraph, ...], warnings: list[str]
) -> str | None:
    """The banner's level (SBU when a SENSITIVE line goes with UNCLAS), else the highest portion mark."""
    level = banner.level if banner else None
    if level == "UNCLASSIFIED" and (preamble.sensitive or _says_sensitive(banner)):
        level = "SENSITIVE BUT UNCLASSIFIED"
    if level is None and paragraphs:
        marked = [p.level for p in paragraphs if p.level]
        if marked:
            warnings.append("classification taken from the highest portion mark")
            level = highest(marked)
    return level


def _classified_by(preamble: _Preamble, executive: ExecutiveOrder | None) -> ClassifiedBy | None:
    """The Classified By line, or the classifier an E.O. 12065 DECL text names."""
    blocks = preamble.blocks["classified"]
    classified = parse_classified_by(_join_wrapped(blocks[0])) if blocks else None
    if executive and classified is None and executive.declassify_text:
        classified = _classifier_in_decl(executive.declassify_text)
    return classified


def _corrected_copy_notice(text: str, lines: list[str]) -> str | None:
    if _CORRECTED.search(text) is None:  # a quick look first: the notice is rare
        return None
    return next((line.strip() for line in lines if CORRECTED_COPY.match(line)), None)


# --- banner and what comes before it ----------------------------------------------------------


def _find_banner(lines: list[str]) -> tuple[int, Banner | None]:
    """Index and value of the banner line; (index of the first text line, None) without one."""
    in_record_header = False
    first_text = None
    for index, line in enumerate(lines[:_BANNER_WINDOW_LINES]):
        stripped = line.strip()
        if not stripped:
            continue
        if _RECORD_END.match(stripped):
            in_record_header = False
            continue
        if _HEADER_LABEL.match(stripped):
            in_record_header = True
            continue
        if in_record_header:
            continue
        # A tab-separated record may end with the banner: "...\tS E C R E T SECTION 01 OF 02 BERN 000881",
        # and a cables.csv row's header field with the body field: '...NSC WASHDC","C O N F I D E N T I A L'.
        banner = parse_banner(line.rsplit("\t", 1)[-1].rsplit('","', 1)[-1])
        if banner is not None and (banner.station or banner.section or not banner.rest):
            return index, banner
        if first_text is None and not _is_prologue(stripped):
            first_text = index
    return (first_text or 0), None


def _later_copy(text: str, lines: list[str], banner_index: int) -> tuple[int, Banner] | None:
    """The banner of a later full copy printed after a record or routing header, if any (``text``
    holds ``lines``)."""
    found = None
    resume = banner_index + 1
    for index in _record_openings(text, lines, banner_index + 1):
        if index < resume:
            continue  # inside the later copy just found
        if TRANSMISSION_START.match(lines[index]) or _field_record_start(lines, index):
            offset, banner = _find_banner(lines[index:])
            if banner is not None and offset:
                found = (index + offset, banner)
                resume = index + offset + 1
    return found


def _record_openings(text: str, lines: list[str], first: int) -> Iterator[int]:
    """The indices of the lines of ``text`` (``lines``), from ``first`` (not 0) on, that may open a
    record or routing header (``_RECORD_OPENING``), in one scan of the text."""
    start = sum(map(len, lines[:first])) + first  # where line ``first`` starts, after its line break
    index = first
    for opening in _RECORD_OPENING.finditer(text, start - 1):
        index += text.count("\n", start, opening.start() + 1)
        start = opening.start() + 1
        yield index


def _field_record_start(lines: list[str], index: int) -> bool:
    """A publisher's record printed one field a line: a row number, then its date ("13722" / "2004-02-04")."""
    if not _ROW_NUMBER.match(lines[index]):
        return False
    following = next((line for line in lines[index + 1 : index + 3] if line.strip()), "")
    return _ISO_DATE_LINE.match(following) is not None


def _is_prologue(line: str) -> bool:
    """Lines some releases print before the banner: dates, notices, record fields, headers."""
    return bool(_WEEKDAY_DATE.match(line) or _PARTIAL in line or _RECORD_KEYS.match(line) or _PROLOGUE_LINE.match(line))


def _record(lines: list[str]) -> dict[str, str]:
    """A metadata record printed before the banner, as lower-case key → value."""
    record: dict[str, str] = {}
    for line in lines:
        match = _RECORD_KEYS.match(line)
        if match and match["key"].lower() in {
            "id", "origin", "date", "source", "classification", "misc", "destination", "refid", "header",
        }:  # fmt: skip
            record.setdefault(match["key"].lower(), match["value"].strip())
    return record


def _says_sensitive(banner: Banner | None) -> bool:
    return banner is not None and "SENSITIVE" in banner.rest.upper()


# --- the preamble -----------------------------------------------------------------------------


def _read_preamble(lines: Lines) -> tuple[_Preamble, Lines]:
    """Read the preamble fields; return them and the lines of the text that follows."""
    preamble = _Preamble()
    lines = _unglue(lines)
    block: list[str] | None = None
    kind = ""
    for index, text in enumerate(lines.texts):
        stripped = text.strip()
        if not stripped:
            if block is not None and not _crosses_blank(kind, block, lines, index):
                block, kind = None, ""
            continue
        opened = _opens_field(stripped, kind)
        if _DERIVED_FROM.match(stripped) or _HANDLING_NOTICE.match(stripped):
            preamble.passing.append(stripped)
            block, kind = None, ""
        elif opened:
            block, kind = _open_block(preamble, opened, text), opened
        elif block is not None and _continues(kind, block, stripped):
            block.append(stripped)
        elif (
            NUMBERED.match(text)
            or PORTION_MARK.match(stripped)
            or (preamble.core_seen and not _field_follows(lines.texts, index))
        ):
            return preamble, lines.after(index)
        elif kind == "tags" and block is not None and _odd_tags_line(stripped):
            block.append(stripped)  # misspelled codes wrapped onto a second TAGS line
        elif (parts := _caveat_parts(stripped)) is not None:
            for part in parts:
                if _SENSITIVE.match(part):
                    preamble.sensitive = True
                else:
                    preamble.caveats.extend(caveats_of(part))
            block, kind = None, ""
        else:
            _take_passing(preamble, stripped)
            block, kind = None, ""
    return preamble, Lines()


def _take_passing(preamble: _Preamble, stripped: str) -> None:
    """A passing instruction ("STATE FOR INR/B"); a SENSITIVE run onto its end by a bad conversion
    ("... AID/W FOR LAC/AA SENSITIVE") still marks an UNCLAS cable sensitive."""
    preamble.passing.append(stripped)
    if _TRAILING_SENSITIVE.search(stripped):
        preamble.sensitive = True


def _field_follows(texts: list[str], index: int) -> bool:
    """Is a preamble field label printed within the next few lines (before any paragraph)?"""
    seen = 0
    for text in texts[index + 1 :]:
        stripped = text.strip()
        if not stripped:
            continue
        if NUMBERED.match(stripped):
            return False
        if _opens_field(stripped, ""):
            return True
        seen += 1
        if seen >= 4:
            return False
    return False


def _odd_tags_line(stripped: str) -> bool:
    """A short upper-case line of code-like words under a TAGS line (``PTERS, SP``)."""
    return len(stripped) <= 60 and bool(re.fullmatch(r"[A-Z0-9(][A-Z0-9 ,;()/-]*", stripped))


def _unglue(lines: Lines) -> Lines:
    """Split lines on which a bad conversion glued several preamble fields."""
    out = Lines()
    texts = out.texts
    for position, text in enumerate(lines.texts):
        if NUMBERED.match(text):
            out.extend(lines.after(position))
            break
        if not _may_be_glued(text):
            out.append(text, joined=position in lines.joined)  # kept as it is: most preamble lines hold one field
        else:
            parts = [part for part in _GLUED_KEYWORD.split(text) if part.strip()] or [text]
            out.append(parts[0], joined=position in lines.joined)
            texts += parts[1:]
        run_on = _REF_INTO_TEXT.search(texts[-1]) if _REF_LINE.match(texts[-1]) else None
        if run_on:  # the blank line put between them ends the REF block
            out.joined.discard(len(texts) - 1)
            texts[-1:] = [texts[-1][: run_on.start()], "", texts[-1][run_on.end() :]]
    return out


def _may_be_glued(text: str) -> bool:
    """Cheap test before ``_GLUED_KEYWORD``: does the line hold any keyword it splits on?

    A label opening the line splits nothing off; other split points are a label later in the
    line, text after SIPDIS, a paragraph 1 run on (" 1. (C)", " 1. Post") and a marked paragraph
    after "(d)."; most preamble lines and lines of prose have none of them, nor has SIPDIS alone.
    """
    upper = text.upper()
    if upper == "SIPDIS":
        return False
    if "SIPDIS" in upper or _GLUED_LABEL.search(upper, 1):
        return True
    if ")." in text and ("1" in text or _GLUED_LABEL.search(upper)):
        return True
    return "1" in text and _ONE_DOT.search(text) is not None and _RUN_ON_ONE.search(text) is not None


_GLUED_LABELS = ("TAGS", "SUBJ", "REF", "E.O", "EO ", "CLASSIFIED")
# One search for any of them instead of a find per label (the line is upper-cased first).
_GLUED_LABEL = re.compile("|".join(map(re.escape, _GLUED_LABELS)))


_LABELS: dict[str, re.Pattern[str]] = {
    "eo": EO_LINE,
    "tags": _TAGS_LINE,
    "subject": SUBJECT_LINE,
    "ref": _REF_LINE,
    "classified": CLASSIFIED_BY,
}


# The five labels in one pattern, the first that matches named: one call instead of one per label.
_ANY_LABEL = re.compile("|".join(f"(?P<{kind}>{label.pattern})" for kind, label in _LABELS.items()), re.IGNORECASE)


def _opens_field(stripped: str, kind: str) -> str:
    """The field a preamble line opens with its label, or ""."""
    label = _ANY_LABEL.match(stripped)
    if label is None:
        return ""
    if label.lastgroup == "tags" and kind == "subject" and not stripped.upper().startswith("TAGS"):
        return ""  # "TAG" opening a subject's second line
    return label.lastgroup or ""


def _open_block(preamble: _Preamble, kind: str, text: str) -> list[str]:
    """Start a new block of ``kind`` with the text after its label."""
    value = text.strip() if kind == "eo" else _LABELS[kind].sub("", text, count=1).strip()
    block = [value]
    preamble.blocks[kind].append(block)
    return block


def _continues(kind: str, block: list[str], stripped: str) -> bool:
    """Does ``stripped`` go on with the open block of ``kind``?"""
    if _caveat_line(stripped) or NUMBERED.match(stripped) or _DASH_LINE.match(stripped):
        return False
    if kind == "tags":
        return looks_like_tags(stripped)
    if kind == "ref" and _marked_paragraph(stripped):
        return False  # an unnumbered paragraph right under the REF line
    if kind == "classified" and _MARKED_SENTENCE.match(stripped):
        return False  # "(SBU) MFA Bilateral Relations Director ...", not "(C) and (D)."
    if kind == "subject":
        # An upper-case subject does not go on into a sentence of ordinary text.
        shouting = not re.search(r"[a-z]", " ".join(block))
        return not (shouting and len(re.findall(r"[a-z]", stripped)) >= 3)
    if kind == "eo":
        return stripped.upper().startswith(("DECL", "AS AMENDED"))
    return kind in ("ref", "classified")


def _marked_paragraph(stripped: str) -> bool:
    """A paragraph opening with a portion mark, not a REF item lettered C, S or U ("(C) 2005 STATE
    117165"): a sentence in ordinary case, or longer than a citation."""
    return _MARKED_SENTENCE.match(stripped) is not None and (
        re.search(r"[a-z]{3}", stripped) is not None or len(stripped.split()) > 12
    )


def _crosses_blank(kind: str, block: list[str], lines: Lines, index: int) -> bool:
    """Does a field go on after the blank line at ``index``?"""
    texts = lines.texts
    position = next((i for i in range(index + 1, len(texts)) if texts[i].strip()), None)
    if position is None:
        return False
    nxt = texts[position].strip()
    if _opens_field(nxt, "") or NUMBERED.match(nxt):
        return False
    if position in lines.joined and kind in ("subject", "tags", "ref", "classified"):
        return True  # the blank came with a page break inside the field
    if kind == "ref":  # the next lettered item, not a paragraph opening with a portion mark "(U) "
        return bool(re.match(r"^\(?[A-Za-z][.)]\s", nxt)) and not _marked_paragraph(nxt)
    if kind == "subject":
        words = " ".join(block).split()
        if words and words[-1].upper() in _DANGLING and nxt.isupper():
            return True
        after = next((text.strip() for text in texts[position + 1 :] if text.strip()), "")
        return _wrapped_subject_line(block, nxt, after)
    if kind == "classified":
        return bool(re.match(r"^(?:for\s+)?(?:reasons?\b|1\.[45]\b)", nxt, re.IGNORECASE))
    return False


def _wrapped_subject_line(block: list[str], nxt: str, after: str) -> bool:
    """A subject's second line printed after a blank line (texts with a blank line after every
    line, 07LONDON4045): a line in the subject's case, wedged between the SUBJECT line and the
    next field label or numbered paragraph."""
    if not (_opens_field(after, "") or NUMBERED.match(after)) or len(block[-1]) < 30:
        return False
    if _caveat_line(nxt) or _DASH_LINE.match(nxt) or nxt.endswith((".", ":")) or parse_banner(nxt) is not None:
        return False
    if _HEADING.search(nxt) or " ".join(block).startswith(nxt):
        return False  # a section heading ("------- SUMMARY -------"), or the subject printed again
    if not re.search(r"[a-z]", " ".join(block)):  # an upper-case subject goes on in upper case
        return len(nxt) <= 160 and not re.search(r"[a-z]{2}", nxt)
    return len(nxt) <= 80 and nxt[:1].isupper()


# Between the parts of a caveat line: commas, semicolons, a dash between spaces.
_CAVEAT_LINE_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+-+\s+")


def _caveat_parts(stripped: str) -> list[str] | None:
    """The comma-separated parts of a caveat line (``SIPDIS, SENSITIVE``), or None for other lines.

    An explanation may follow the caveats: ``NOFORN, NOT FOR INTERNET DISTRIBUTION``.
    """
    parts = [part.strip() for part in _CAVEAT_LINE_SEPARATORS.split(stripped) if part.strip()]
    known = 0
    for part in parts:
        words = part.split()
        if _SENSITIVE.match(part) or (words and len(words) <= 4 and all(caveat_name(word) for word in words)):
            known += 1
        else:
            break
    return parts[:known] if known else None


def _caveat_line(stripped: str) -> bool:
    return _CAVEAT_WORDS.match(stripped.replace(",", " ").replace(";", " ").replace("-", " ")) is not None and (
        _caveat_parts(stripped) is not None
    )


# --- choosing among repeated fields ------------------------------------------------------------


def _first_distinct(blocks: list[str]) -> str:
    """A field printed twice (a repeated preamble) is read once."""
    return " ".join(dict.fromkeys(blocks))


def _choose_subject(blocks: list[str], warnings: list[str]) -> tuple[str | None, str | None]:
    """One subject from the SUBJECT blocks: the longest when the others are its prefixes."""
    candidates = [(text, mark) for text, mark in map(clean_subject, blocks) if text]
    if not candidates:
        return None, None
    best = candidates[0]
    for text, mark in candidates[1:]:
        if text.startswith(best[0]) and len(text) > len(best[0]):
            best = (text, mark)
        elif not best[0].startswith(text):
            warnings.append(f"several different SUBJECT lines; kept the first: {best[0]!r}")
            break
    return best


def _join_wrapped(block: list[str]) -> str:
    """A Classified By block with words cut by a hard wrap put back together."""
    text = ""
    for part in block:
        if not part:
            continue
        if text and ((re.search(r"\s[a-z]$", text) and re.match(r"^[a-z]", part)) or part.startswith(")")):
            text += part  # "1.4 (b) a" + "nd (d)", "(d" + ")."
        else:
            text = f"{text} {part}" if text else part
    return text


def _classifier_in_decl(text: str) -> ClassifiedBy | None:
    """E.O. 12065 names the classifier in the DECL text: ``GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P``."""
    match = re.search(r"\((?P<name>[A-Z][A-Z' -]+,\s*[A-Z][A-Z. ]*)\)\s*(?P<office>[A-Z][A-Z/-]*)?", text)
    if not match:
        return None
    return ClassifiedBy(match["name"].strip(), match["office"], (), text)
