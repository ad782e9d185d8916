"""The parser's quick looks — cheap tests that spare most lines a costly pattern — never turn away
a line or a text the pattern itself would match: on every real cable, and on made-up lines."""

from __future__ import annotations

import random
import re

import pytest

from archive.cable import Document, Rejection
from archive.parse import _PRINTED_RECORD, _RECORD_DATE_HINTS, _holds, _printed_records
from archive.parse.body import (
    _GLUED_KEYWORD,
    _GLUED_LABELS,
    _ROW_NUMBER,
    _corrected_copy_notice,
    _may_be_glued,
    _record_openings,
)
from archive.parse.cleaning import CORRECTED_COPY, TRANSMISSION_START, Lines, _Cleaner, _lines_to_look_at
from archive.parse.paragraphs import (
    _SECTION_START,
    _SENTENCE_DONE,
    _SIGNER_AFTER_NAME,
    _SIGNER_AFTER_TEXT,
    _SIGNER_LINE_TAIL,
    _SIGNER_TAIL,
    NUMBERED,
    _may_be_numbered,
    _sentence_done,
    _signer_search_start,
    _without_signer_line_tail,
)
from archive.parse.preamble import _REASONS, _REASONS_START


def splits(line: str) -> bool:
    """Whether ``_GLUED_KEYWORD`` would cut ``line`` into other lines than itself."""
    return ([part for part in _GLUED_KEYWORD.split(line) if part.strip()] or [line]) != [line]


def unglued_by_design(line: str) -> bool:
    """A marked paragraph after "(d)." is split off only on a line with a field label or a "1"
    (the reasons line: "1.4 (b) and (d). (SBU) MFA ..."), not in running text ("(6). (U) Codel")."""
    return "1" not in line and not any(label in line.upper() for label in _GLUED_LABELS)


def missed_splits(lines: list[str]) -> list[str]:
    return [line for line in lines if splits(line) and not _may_be_glued(line) and not unglued_by_design(line)]


def sentence_end_misses(lines: list[str]) -> list[str]:
    return [line for line in lines if _sentence_done(line) != (_SENTENCE_DONE.search(line) is not None)]


def signer_misses(lines: list[str]) -> list[str]:
    """Lines whose closing signer, or trailing date or dots, the shortened looks see otherwise."""
    missed = []
    for line in lines:
        last = _SIGNER_LINE_TAIL.sub("", line)
        start = _signer_search_start(last)
        for pattern in (_SIGNER_AFTER_TEXT, _SIGNER_AFTER_NAME):
            whole, tail = pattern.search(last, max(0, len(last) - _SIGNER_TAIL)), pattern.search(last, start)
            if (whole and (whole.span(), whole.groupdict())) != (tail and (tail.span(), tail.groupdict())):
                missed.append(line)
        if _without_signer_line_tail(line) != last:
            missed.append(line)
    return missed


def kept_as_printed(text: str, station: str | None, serial: str | None) -> bool:
    """Does ``_Cleaner.take``, between lines of text, keep ``text`` as printed and go on as before?"""
    cleaner = _Cleaner([text], station, serial)
    cleaner.take(0, text)
    return cleaner.kept == Lines([text]) and not (cleaner.in_header or cleaner.break_pending or cleaner.skip_to >= 0)


def passed_over_misses(lines: list[str], stations: tuple[tuple[str | None, str | None], ...]) -> list[str]:
    """Lines ``_lines_to_look_at`` passes over that ``_Cleaner.take`` would not keep as printed."""
    passed_over = [text for text in map(str.rstrip, lines) if not _lines_to_look_at([text])]
    return [text for text in passed_over for station, serial in stations if not kept_as_printed(text, station, serial)]


_STATIONS = ((None, None), ("LA PAZ", "906"), ("RIO DE JANEIRO", "2047"))


def made_up_lines(words: list[str], endings: tuple[str, ...], *, most_words: int, seed: int) -> list[str]:
    """50,000 lines of up to ``most_words`` of ``words``, each with one of ``endings``."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(0, most_words))) + rng.choice(endings)
        for _ in range(50_000)
    ]


def test_a_signer_is_found_in_the_last_words_as_in_the_whole_line() -> None:
    words = [
        "END", "OF", "PART", "ONE.", "COMMENT.", "VAN", "VOORST", "CLINTON", "Wolff", "said.", "XXXXX", "***",
        "UNQUOTE", "MINIMIZE", "CONSIDERED", "index.", "c", "fm", "a/b", "state.gov", ".", "..", '"', "”",
        "2009-01-02", "0", "1/2/2009", "Smith", "JR", "Jones:", "12", "-", "  ", "\t",
    ]  # fmt: skip
    lines = made_up_lines(words, ("", " ", ".", " ."), most_words=14, seed=6)
    assert sum(_SIGNER_AFTER_TEXT.search(line) is not None for line in lines) > 5_000
    assert signer_misses(lines) == []


def test_a_sentence_end_is_found_in_the_last_words_as_in_the_whole_line() -> None:
    words = [
        "END", "end", "OF", "of", "COMMENT", "COMMENTS", "SUMMARY", "TEXT", "index.c", "cfm", "c", "fm",
        "a/b", "x_y", "state.gov", ".", "word", "-END", ")", "”", "*", "  ", "\t", "\u00a0",
    ]  # fmt: skip
    lines = made_up_lines(words, ("", " ", ".", "\t"), most_words=8, seed=5)
    assert sum(_SENTENCE_DONE.search(line) is not None for line in lines) > 10_000
    assert sentence_end_misses(lines) == []


def test_clean_lines_looks_again_at_every_line_it_may_not_keep_as_printed() -> None:
    words = [
        "C O N F I D E N T I A L", "CONFIDENTIAL", "CCONFIDENTIAL", "Confidential", "S E C R E T", "SECRET",
        "SSECRET", "secret", "UNCLASSIFIED", "UNCLAS", "UUNCLAS", "LIMITED OFFICIAL USE", "TOP SECRET",
        "SENSITIVE", "BUT", "SECTION 02 OF 03", "LA PAZ", "RIO DE JAN", "000906", "00000906 002 OF 003",
        "002047", "PAGE 02 STATE 015113 182333Z", "PAGE", "02", "SAN SALVADOR" + " " * 14 + "00000906 002\tOF\t003", "C O R R E C T E D COPY", "PTQ7827",
        "VZCZCXRO7597", "id: 81813", "ID: 3", "<<240168>>", "<", ">", "====CABLE ENDS====", "NNNN", "nnnn",
        "BT", "Bt", "bt", "End Cable Text", "end cable text", "EnD CaBlE TeXt", "Text", "225926,9/18/2009 15:03,09THEHAGUE567,",
        "12", "1.", "\u0663", "\u0663,9/18/2009 15:03,", "T O P \u017fECRET", "\u00b2", '"', ",", "\u017fecret", "Con\ufb01dential", "SECRE\u00df", "\u00e9t\u00e9",
        "the", "said", "Iran", "It", "Congress", "to", "in", "and", "of", "OF", "P", "I", "V", "C", "S", "U",
        " ", "  ", "\t", "\u00a0",
    ]  # fmt: skip
    lines = made_up_lines(words, ("", " ", ".", " SECRET"), most_words=5, seed=7)
    assert sum(not kept_as_printed(line.rstrip(), "LA PAZ", "906") for line in lines) > 5_000
    assert passed_over_misses(lines, _STATIONS) == []


def numbered_misses(lines: list[str]) -> list[str]:
    """Numbered lines (NUMBERED) that ``_may_be_numbered`` would spare the pattern."""
    return [line for line in lines if NUMBERED.match(line) and not _may_be_numbered(line.strip())]


def test_a_numbered_line_is_looked_for_wherever_one_can_be() -> None:
    words = [
        "1.", "12.", "123.", "1234.", "1 .", "¶5.", "¶ 5.", "\ufffd5.", "\u0663.", "\u0663\u0664.", "\u00b2.", "-", "*", "- 11.",
        "(C)", "Summary", "the", "I.", "A.", "  ", "\t", "\u00a0", "\u2003",
    ]  # fmt: skip
    lines = [line for line in made_up_lines(words, ("", " ", ".", "(U)"), most_words=3, seed=10) if line.strip()]
    assert sum(NUMBERED.match(line) is not None for line in lines) > 5_000
    assert numbered_misses(lines) == []


def reasons_misses(lines: list[str]) -> list[str]:
    """Lines where the reasons are found to start elsewhere than the pattern without its opening look finds."""
    unguarded = re.compile(_REASONS, re.IGNORECASE)
    return [line for line in lines if _span(_REASONS_START.search(line)) != _span(unguarded.search(line))]


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None


def test_the_reasons_are_found_where_the_whole_pattern_finds_them() -> None:
    words = [
        "Ambassador", "Bruce", "Turner", "for", "FOR", "per", "Per", "under", "the", "reason", "Reasons", "RSN",
        "rsns", "E.O.", "eo", "12958", "1.4", "1.5", "(b)", "(D)", "b", "and", ",", ";", ".", ":", "  ", "\t", "\u00a0",
    ]  # fmt: skip
    lines = made_up_lines(words, ("", " ", ".", ","), most_words=8, seed=11)
    assert sum(_REASONS_START.search(line) is not None for line in lines) > 15_000
    assert reasons_misses(lines) == []


def opens_record(line: str) -> bool:
    """Does the record-opening scan pick out ``line``, printed after another line?"""
    return list(_record_openings(f"\n{line}", ["", line], 1)) == [1]


def record_openings_line_by_line(text: str) -> list[int]:
    """The lines of ``text`` after its first that the scan picks out when each is looked at alone."""
    return [index for index, line in enumerate(text.split("\n")) if index and opens_record(line)]


def record_misses(lines: list[str]) -> list[str]:
    """Lines that may open a publisher's record or a later copy's routing header, which the quick look passes over."""
    return [
        line for line in lines if (TRANSMISSION_START.match(line) or _ROW_NUMBER.match(line)) and not opens_record(line)
    ]


def test_a_record_opening_is_looked_for_wherever_one_can_be() -> None:
    words = [
        "VZCZCXRO7597", "vzczc", "<<240168>>", "<<", ">>", "225926,9/18/2009", "15:03,09THEHAGUE567,", "13722",
        "2004-02-04", "id:", "ID:", "Id:", "81813", "1.", "12", "\u0663", "1,", "In", "is", "i", "(C)", "  ", "\t",
    ]  # fmt: skip
    lines = made_up_lines(words, ("", " ", ",", "\t"), most_words=3, seed=9)
    assert sum(bool(TRANSMISSION_START.match(line) or _ROW_NUMBER.match(line)) for line in lines) > 2_000
    assert record_misses(lines) == []


def hint_misses(texts: list[str]) -> list[str]:
    """Texts in which ``_holds`` finds a record date hint otherwise than the hint's own search."""
    return [
        text
        for text in texts
        for opening, hint in _RECORD_DATE_HINTS
        if _holds(hint, opening, text) != (hint.search(text) is not None)
    ]


def test_a_record_date_hint_is_found_where_its_search_finds_it() -> None:
    words = [
        "/", "-", "--", "3/10/2005", "16:26", "5:59", "/2004", "2004", "2004-02-04", "-02", "02", "1", " ", "\n", "x", "\u0663",
    ]  # fmt: skip
    # Up to 40 words: more places of a hint's opening than ``_holds`` tries before the hint's own search.
    texts = made_up_lines(words, ("", "/", "-"), most_words=40, seed=12)
    for opening, hint in _RECORD_DATE_HINTS:
        assert sum(hint.search(text) is not None for text in texts) > 5_000
        assert sum(text.count(opening) > 8 and hint.search(text) is not None for text in texts) > 1_000
    assert hint_misses(texts) == []


# The section openings ``_SECTION_START`` stands in for, one pattern a section.
_OPENS_SECTION = {
    "SUMMARY": re.compile(r"^\W*(?:BEGIN\s+)?SUMMARY\b|^\W*(?:INTRODUCTION\s+AND\s+)?SUMMARY\b", re.IGNORECASE),
    "COMMENT": re.compile(r"^\W*(?:BEGIN\s+)?COMMENTS?\b", re.IGNORECASE),
}


def section_misses(texts: list[str]) -> list[str]:
    """Paragraph texts whose section ``_SECTION_START`` names otherwise than each section's own pattern."""
    misses = []
    for text in texts:
        start = _SECTION_START.match(text)
        if (start and start.lastgroup) != next(
            (name for name, opens in _OPENS_SECTION.items() if opens.match(text)), None
        ):
            misses.append(text)
    return misses


def test_a_section_opening_is_named_as_each_section_pattern_names_it() -> None:
    words = [
        "SUMMARY", "Summary:", "summary.", "SUMMARYX", "COMMENT", "Comments:", "comment", "COMMENTARY", "BEGIN",
        "Begin", "INTRODUCTION", "AND", "and", "End", "(C)", "--", "1.", "The", "ſummary", "  ", "\t",
    ]  # fmt: skip
    texts = made_up_lines(words, ("", ":", " ", "."), most_words=4, seed=13)
    assert all(
        sum((start := _SECTION_START.match(text)) is not None and start.lastgroup == name for text in texts) > 2_000
        for name in _OPENS_SECTION
    )
    assert section_misses(texts) == []


def test_glued_fields_are_looked_for_wherever_they_can_be_split() -> None:
    pieces = [
        "TAGS:", "TAGS", "SUBJ:", "SUBJECT:", "REF:", "REFS:", "REFTEL:", "E.O. 12958", "EO 12958",
        "Classified By:", "SIPDIS", "1.", "1 .", "(d).", "(SBU)", "(U)", "A.", "foo", "BAR", "  ", "1.4",
        "PRIMEREF:", "(C)", ").", "Post", "12345", "\t",
    ]  # fmt: skip
    rng = random.Random(4)
    lines = [
        "".join(rng.choice(pieces) + rng.choice(("", " ")) for _ in range(rng.randint(1, 7))) for _ in range(50_000)
    ]
    assert sum(map(splits, lines)) > 10_000 and missed_splits(lines) == []


@pytest.mark.corpus
def test_the_quick_looks_miss_nothing_in_the_corpus(corpus: tuple[Document | Rejection, ...]) -> None:
    texts = [item.text for item in corpus if isinstance(item, Document)]
    lines = [line for text in texts for line in text.splitlines()]
    assert missed_splits(lines) == []
    assert sentence_end_misses(lines) == []
    assert signer_misses(lines) == []
    assert passed_over_misses(lines, _STATIONS) == []
    assert record_misses(lines) == []
    assert numbered_misses([line for line in lines if line.strip()]) == []
    assert reasons_misses(lines) == []
    assert any(TRANSMISSION_START.match(line) or _ROW_NUMBER.match(line) for line in lines)

    assert hint_misses(texts) == []
    assert section_misses([line for text in texts for line in text.split("\n\n")] + lines) == []
    for text in texts:
        assert [m.span() for m in _printed_records(text)] == [m.span() for m in _PRINTED_RECORD.finditer(text)]
        text_lines = text.split("\n")
        assert list(_record_openings(text, text_lines, 1)) == record_openings_line_by_line(text)
        expected = next((line.strip() for line in text_lines if CORRECTED_COPY.match(line)), None)
        assert _corrected_copy_notice(text, text_lines) == expected
    assert any(_PRINTED_RECORD.search(text) for text in texts)
    assert any(record_openings_line_by_line(text) for text in texts)
    assert any(CORRECTED_COPY.search(line) for line in lines)
