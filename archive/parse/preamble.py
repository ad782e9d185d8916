"""The fields between banner and text: E.O./DECL, Classified By, SUBJECT.

``E.O. 12958: DECL: 05/22/2019``, ``EO 12958 DECL: 11/29/10``, ``E.O. 12958: N/A``,
``E.O. 12065: GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P``; ``Classified By: EUR/RPM Office Director
Bruce Turner for reasons 1.4 (b) & (d)``; ``SUBJECT: (C) ...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from archive.parse.ids import full_year
from archive.parse.markings import PORTION_MARK

# --- executive order and declassification ----------------------------------------------------

EO_LINE = re.compile(r"^\s*E\s?\.?\s?[O0]\s?\.?\s*:?\s*(?=\d{5}|:)", re.IGNORECASE)
_ORDER = re.compile(r"\b(1[12]\d{3}|13\d{3})\b")
_DECL = re.compile(r"\bDECL(?:ASSIFY)?(?:\s+ON)?\s*[:.]?\s*(?P<text>.*?)(?=\s*E\.\s?O\.|$)", re.IGNORECASE)
_AFTER_ORDER = re.compile(r"^\s*E\s?\.?\s?[O0]\s?\.?\s*:?\s*\d{5}\s*[:;,.]?\s*(?P<text>.*)$", re.IGNORECASE)
_DATE = re.compile(r"(?<!\d)(?P<a>\d{1,4})\s?[/.-]\s?(?P<b>\d{1,2})\s?[/.-]\s?(?P<c>\d{2,4})(?!\d)")


@dataclass(frozen=True, slots=True)
class ExecutiveOrder:
    orders: tuple[str, ...]
    declassify_text: str | None
    declassify_on: date | None
    warnings: tuple[str, ...] = ()


def parse_executive_order(text: str) -> ExecutiveOrder:
    """The E.O. line(s): the order numbers, the DECL text as printed and its date."""
    # Runs of spaces squeezed: split and join, two C calls, not a pattern looked up and run.
    flat = " ".join(text.split())
    orders = tuple(dict.fromkeys(_ORDER.findall(flat)))
    decl = _DECL.search(flat)
    if decl:
        declassify_text = decl["text"]
    else:
        after = _AFTER_ORDER.match(flat)
        declassify_text = after["text"] if after else None
    declassify_text = (declassify_text or "").strip(" .;,") or None
    warnings: list[str] = []
    declassify_on = None
    if declassify_text:
        found = _DATE.search(declassify_text)
        if found:
            declassify_on = _date(found["a"], found["b"], found["c"])
            if declassify_on is None:
                warnings.append(f"unreadable declassification date {found.group(0)!r}")
    if not orders:
        warnings.append(f"E.O. line without an order number: {flat!r}")
    return ExecutiveOrder(orders, declassify_text, declassify_on, tuple(warnings))


def _date(a: str, b: str, c: str) -> date | None:
    """A date printed M/D/Y (the US way), Y/M/D, or D/M/Y when the first reading is impossible."""
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) if len(c) == 4 else full_year(int(c))
        month, day = int(a), int(b)
        if month > 12 and day <= 12:
            month, day = day, month
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- classified by ---------------------------------------------------------------------------

CLASSIFIED_BY = re.compile(
    r"^\s*(?:\([A-Z/]{1,6}\)\s*)?\(?\s*CLASSIFIED\s+BY\s*[:;.,]?\s*(?:CLASSIFIED\s+BY\s*:?\s*)?", re.IGNORECASE
)
# Where the classifier's name and title end and the reasons begin.
_REASONS = (
    r"\s*(?:[,;.]\s*|\s)(?:for\s+|under\s+|per\s+)?(?:the\s+)?(?:reasons?|rsns?|e\.?o\.?\s*\d{5})\b"
    r"|\s*[,;.]?\s*\b(?:for|per)\s+1\.[45]\b|\s*[,;.]?\s*\b1\.[45]\s*\(?[a-h]\b"
)
# Searched at every position: the characters a start can be (a space, a stop, "for", "per", "1.4")
# are looked at first, so that most positions cost one test, not three branches (half the time).
_REASONS_OPENING = r"(?=[\s,;.fp1])"
_REASONS_START = re.compile(f"{_REASONS_OPENING}(?:{_REASONS})", re.IGNORECASE)
_REASON_SECTION = re.compile(r"\b(1\.[45])\s*(?P<letters>(?:[\s(),&/]*(?:and|or)?[\s(),&/]*[a-h](?![a-z]))+)", re.I)
# Words of an office or title, not of a personal name.
_TITLE_TEXT = """
    AMBASSADOR AMB CHARGE D'AFFAIRES DAFFAIRES A.I. AI DCM DEPUTY CHIEF OF MISSION ACTING POLITICAL
    ECONOMIC POLITICAL/ECONOMIC POL ECON POLOFF ECONOFF COUNSELOR COUNSELLOR COUNSEL MINISTER
    MINISTER-COUNSELOR DIRECTOR OFFICE SECTION CONSUL GENERAL PRINCIPAL OFFICER OFFICER ASSISTANT
    SECRETARY UNDER SPECIAL ENVOY REPRESENTATIVE PERMANENT ALTERNATE COORDINATOR ADVISER ADVISOR
    SENIOR CHIEF HEAD OF FOR THE AND EXECUTIVE ATTACHE DEFENSE MILITARY AFFAIRS PUBLIC MANAGEMENT
    RSO REGIONAL SECURITY LEGAL ECONOMIC/POLITICAL POLITICAL-ECONOMIC POL-ECON POLMIL POL-MIL
    POLITICO-MILITARY COUNSELOR, DEPUTY, DAS A/DCM CDA CHARGE' PO CG DPO MINCOUNS ECONCOUNS POLCOUNS
    ACTG INTERIM STAFF DESK
"""
_TITLE_WORDS = frozenset(_TITLE_TEXT.split())
_NAME_WORD = re.compile(r"^(?:[A-Z][A-Za-z'’-]*\.?|[A-Z]\.|(?:de|da|del|van|von|der|la|le|di|al|bin)|Mc[A-Z][a-z]+)$")


@dataclass(frozen=True, slots=True)
class ClassifiedBy:
    name: str | None
    title: str | None
    reasons: tuple[str, ...]
    text: str  # as printed, without the "Classified By:" label


def parse_classified_by(text: str) -> ClassifiedBy:
    """Name, title and reasons from the text after ``Classified By:``."""
    flat = " ".join(text.split())
    start = _REASONS_START.search(flat)
    who = flat[: start.start()] if start else flat
    reasons_text = flat[start.start() :] if start else ""
    reasons: list[str] = []
    for section in _REASON_SECTION.finditer(reasons_text):
        reasons.extend(
            f"{section[1]}({letter.lower()})"
            for letter in re.findall(r"(?<![a-z])[a-h](?![a-z])", section["letters"], re.I)
        )
    name, title = split_name_title(who.strip(" ,;:."))
    return ClassifiedBy(name, title, tuple(dict.fromkeys(reasons)), flat)


def split_name_title(who: str) -> tuple[str | None, str | None]:
    """``EUR/RPM Office Director Bruce Turner`` → (``Bruce Turner``, ``EUR/RPM Office Director``).

    ``SUZANNE MCCORMICK, DIRECTOR, INR/OPS`` → (``SUZANNE MCCORMICK``, ``DIRECTOR, INR/OPS``).
    """
    if not who:
        return None, None
    head, _, tail = who.partition(",")
    if tail and _is_name(head.split()) and not _is_name(tail.split()):
        return head.strip(), tail.strip(" ,") or None
    words = who.split()
    cut = len(words)
    while cut > 0 and _name_word(words[cut - 1]) and len(words) - cut < 4:
        cut -= 1
    name_words = words[cut:]
    # A single trailing word is a name only after a title ("Ambassador Wolff").
    if not name_words or (len(name_words) == 1 and cut == 0):
        return None, who
    title = " ".join(words[:cut]).strip(" ,;:") or None
    return " ".join(name_words).strip(" ,"), title


def _name_word(word: str) -> bool:
    return bool(_NAME_WORD.match(word)) and word.upper().strip(",") not in _TITLE_WORDS and "/" not in word


def _is_name(words: list[str]) -> bool:
    return 2 <= len(words) <= 4 and all(_name_word(word) for word in words)


# --- subject ---------------------------------------------------------------------------------

SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\s*[:.;]\s*|^\s*SUBJECT\s+(?=\S)", re.IGNORECASE)
# Keywords that end a SUBJECT printed on the same line as what follows it.
_RUN_ON = re.compile(r"(?<!\s)\s{2,}(?=(?:REFS?|REFTELS?)\s*:|Classified\s+By\b|CLASSIFIED\s+BY\b|E\.O\.\s*\d)")


def clean_subject(text: str) -> tuple[str | None, str | None]:
    """The subject text (spaces normalised, run-on fields cut) and its portion mark, if any."""
    text = _RUN_ON.split(text, maxsplit=1)[0]
    subject = " ".join(text.split())
    mark = None
    match = PORTION_MARK.match(subject.upper())  # "(s)" in the lower-case partial extracts too
    if match:
        mark = match["mark"]
        subject = subject[match.end() :].strip()
    return (subject or None), mark
