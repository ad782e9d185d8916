"""Measured fidelity: what the parser reads from the telegram text alone, against the publisher's metadata.

For every input that carries publisher metadata (cablegate pages, the ``cables.csv`` dump,
web-page text), the telegram text is parsed *without* that metadata and six fields are
compared: reference id, date, classification, origin, subject and tags.

The publisher's own noise is handled here, in the comparison, never by bending the parser:

- before the Aug-2011 release the site's *minutes* are the hour in 12-hour form: only the
  date and the hour of those pages are compared;
- the ``<h3>`` subject may be cut short (a prefix of the parsed subject counts) or run on
  past the subject into ``REF: …``, ``Classified By: …``, a page counter
  (``LONDON 00002143 001.2 OF 002``), ``SENSITIVE BUT UNCLASSIFIED`` …, and may keep a
  portion-mark remnant (``S) ``) or a ``SUBJECT:`` label;
- the TAGS links cover only the first TAGS line (the parsed tags must include every
  published one), split ``ZANU-PF`` into ``ZANU`` and ``PF``, and run codes together
  (``KWMNCS`` for ``KWMN CS``);
- malformed published ids (``7575LIBREVILLE1895``) agree with their canonical form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from archive.cable import Cable, Document, InputError, PublisherMetadata, Rejection
from archive.parse.ids import parse_reference_id

FIELDS: tuple[str, ...] = ("reference_id", "date", "classification", "origin", "subject", "tags")

# The first release whose metadata times are exact (the Aug-2011 torrent).
EXACT_TIMES_SINCE = datetime(2011, 8, 1, tzinfo=UTC)

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})
# The <h3> drops a subject's first character when it is a quote, bracket or parenthesis, which
# leaves "S) " of a portion mark "(S) ": both sides lose leading punctuation and portion marks.
_LEADING_PUNCTUATION = re.compile(r"^[^\w]+")
_PORTION_MARK = re.compile(r"^[A-Z]{1,4}(?:\s*[/-]+\s*[A-Z]{1,4}|\s+[A-Z]{2,3})*\)\s*", re.I)
# What the site's <h3> runs on into after the subject (compared without spaces, lower case).
_RUN_ON = re.compile(
    r"^(?:ref(?:s|tel|erence)?[:.(]|reftel|ref[a-z]?\.|classifiedby|sensitivebutunclassified|sensitive|sipdis|noforn"
    r"|e\.?o\.?\d|tags|\(?[a-z]{1,4}\)|[a-z]+\d{6,8}\d{3}(?:\.\d)?of\d{3}|page\d+)"
)
_SPACE = re.compile(r"\s+")
_SUBJECT_LABEL = re.compile(r"^SUBJ(?:ECT)?\s*:\s*", re.I)  # the <h3> sometimes repeats it


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field of one cable: parsed and published values as shown, and whether they agree."""

    field: str
    parsed: str
    published: str
    agrees: bool


@dataclass(frozen=True, slots=True)
class Disagreement:
    source: str  # file (and record) label
    field: str
    parsed: str
    published: str


@dataclass(frozen=True, slots=True)
class FieldScore:
    field: str
    compared: int
    agreed: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.agreed / self.compared, 2) if self.compared else None


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Agreement per field over every input with publisher metadata, and the disagreements."""

    compared: int  # inputs with publisher metadata, compared
    without_metadata: int  # inputs carrying no publisher metadata (not compared)
    failures: tuple[tuple[str, str], ...]  # (label, message) of inputs that could not be read
    unparsed: tuple[tuple[str, str], ...]  # (label, message) of compared inputs the parser refused
    scores: tuple[FieldScore, ...]
    disagreements: tuple[Disagreement, ...]

    def score(self, field: str) -> FieldScore:
        return next(score for score in self.scores if score.field == field)

    def score_rows(self) -> list[dict[str, Any]]:
        """One row per field: field, compared, agreed, percent."""
        return [
            {"field": s.field, "compared": s.compared, "agreed": s.agreed, "percent": s.percent} for s in self.scores
        ]

    def disagreement_rows(self) -> list[dict[str, Any]]:
        """One row per disagreement: source, field, parsed, published."""
        return [
            {"source": d.source, "field": d.field, "parsed": d.parsed, "published": d.published}
            for d in self.disagreements
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "compared": self.compared,
            "without_metadata": self.without_metadata,
            "scores": self.score_rows(),
            "disagreements": self.disagreement_rows(),
            "unparsed": [{"source": label, "message": message} for label, message in self.unparsed],
            "failures": [{"source": label, "message": message} for label, message in self.failures],
        }


def check_documents(
    items: Iterable[Document | Rejection],
    parse: Callable[[Document], Cable] | None = None,
    on_input: Callable[[], None] | None = None,
) -> CheckReport:
    """Parse every document with publisher metadata from its text alone and compare the fields.

    ``parse`` defaults to :func:`archive.parse.parse`; ``on_input`` is called for every input
    read (for a progress display).
    """
    if parse is None:
        from archive.parse import parse as parse_document

        parse = parse_document
    agreed = dict.fromkeys(FIELDS, 0)
    compared_per_field = dict.fromkeys(FIELDS, 0)
    disagreements: list[Disagreement] = []
    failures: list[tuple[str, str]] = []
    unparsed: list[tuple[str, str]] = []
    compared = without_metadata = 0
    for item in items:
        if on_input is not None:
            on_input()
        if isinstance(item, Rejection):
            failures.append((item.label, item.message))
            continue
        if item.metadata is None:
            without_metadata += 1
            continue
        compared += 1
        try:
            cable = parse(replace(item, metadata=None))  # the telegram text alone
        except InputError as error:
            # A cable the parser cannot read from its text counts against every field.
            unparsed.append((item.label, error.message))
            comparisons = unparsed_comparisons(item.metadata, error.message)
        else:
            comparisons = compare(cable, item.metadata)
        for comparison in comparisons:
            compared_per_field[comparison.field] += 1
            if comparison.agrees:
                agreed[comparison.field] += 1
            else:
                disagreements.append(
                    Disagreement(item.label, comparison.field, comparison.parsed, comparison.published)
                )
    scores = tuple(FieldScore(name, compared_per_field[name], agreed[name]) for name in FIELDS)
    return CheckReport(compared, without_metadata, tuple(failures), tuple(unparsed), scores, tuple(disagreements))


def check_paths(paths: Iterable[str], input_format: str | None = None) -> CheckReport:
    """``check_documents`` over every input under ``paths`` (files, folders, ``-``)."""
    from archive.sources import read_paths

    return check_documents(read_paths(paths, input_format))


def compare(cable: Cable, published: PublisherMetadata) -> tuple[Comparison, ...]:
    """The comparable fields of ``cable`` against ``published`` (fields it does not give are skipped)."""
    comparisons = [
        _compare_reference_id(cable, published),
        _compare_date(cable, published),
        _compare_classification(cable, published),
        _compare_origin(cable, published),
        _compare_subject(cable, published),
        _compare_tags(cable, published),
    ]
    return tuple(comparison for comparison in comparisons if comparison is not None)


def unparsed_comparisons(published: PublisherMetadata, message: str) -> tuple[Comparison, ...]:
    """Every field ``published`` gives, as a disagreement: the parser read nothing from the text."""
    shown = f"(not parsed: {message})"
    values = {
        "reference_id": published.reference_id,
        "date": published.created.strftime("%Y-%m-%d %H:%M") if published.created else None,
        "classification": published.classification,
        "origin": published.origin,
        "subject": published.subject,
        "tags": " ".join(published.tags) or None,
    }
    return tuple(Comparison(field, shown, value, False) for field, value in values.items() if value is not None)


def _compare_reference_id(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if not published.reference_id:
        return None
    parsed = cable.canonical_id or ""
    reference_id = published.reference_id.strip().upper()
    parts = parse_reference_id(reference_id)
    agrees = parsed.upper() in {reference_id, parts.canonical.upper() if parts else reference_id}
    return Comparison("reference_id", parsed, published.reference_id, agrees)


def _compare_date(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if published.created is None:
        return None
    exact = published.released is None or published.released >= EXACT_TIMES_SINCE
    shown = "%Y-%m-%d %H:%M" if exact else "%Y-%m-%d %H:xx"
    expected = published.created.strftime(shown)
    if cable.created is None:
        return Comparison("date", "", expected, False)
    parsed = cable.created.astimezone(UTC).strftime(shown)
    return Comparison("date", parsed, expected, parsed == expected)


def _compare_classification(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if not published.classification:
        return None
    parsed = cable.classification
    return Comparison(
        "classification", parsed, published.classification, parsed == published.classification.strip().upper()
    )


def _compare_origin(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if not published.origin:
        return None
    parsed = cable.origin or ""
    return Comparison("origin", parsed, published.origin, _words(parsed) == _words(published.origin))


def _compare_subject(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if published.subject is None:
        return None
    parsed = cable.subject or ""
    return Comparison("subject", parsed, published.subject, subjects_agree(parsed, published.subject))


def subjects_agree(parsed: str, published: str) -> bool:
    """True when the site's subject is the parsed one, cut short or run on into known noise."""
    ours, theirs = _squash_subject(parsed), _squash_subject(published)
    if ours == theirs:
        return True
    if not theirs or not ours:
        return False
    if ours.startswith(theirs):
        return True  # the <h3> cut short
    return theirs.startswith(ours) and _RUN_ON.match(theirs[len(ours) :]) is not None


def _compare_tags(cable: Cable, published: PublisherMetadata) -> Comparison | None:
    if not published.tags:
        return None
    parsed = {_tag_key(tag.code) for tag in cable.tags}
    theirs = _merge_split_tags([_tag_key(code) for code in published.tags], parsed)
    agrees = bool(theirs) and all(code in parsed or _glued(code, parsed) for code in theirs)
    return Comparison("tags", " ".join(tag.code for tag in cable.tags), " ".join(published.tags), agrees)


def _merge_split_tags(codes: list[str], parsed: set[str]) -> list[str]:
    """Join codes the site split (``ZANU`` ``PF``, ``HUMAN`` ``RIGHTS``) when the parsed tags hold the whole."""
    merged: list[str] = []
    index = 0
    while index < len(codes):
        if index + 1 < len(codes):
            whole = next(
                (joined for joined in (f"{codes[index]}{sep}{codes[index + 1]}" for sep in "- ") if joined in parsed),
                None,
            )
            if whole:
                merged.append(whole)
                index += 2
                continue
        merged.append(codes[index])
        index += 1
    return merged


def _glued(code: str, parsed: set[str], depth: int = 3) -> bool:
    """True when ``code`` is parsed codes run together by the site (``KWMNCS`` = ``KWMN`` + ``CS``)."""
    if depth == 0:
        return False
    return any(
        code.startswith(part) and (code[len(part) :] in parsed or _glued(code[len(part) :], parsed, depth - 1))
        for part in parsed
        if len(part) < len(code)
    )


def _tag_key(code: str) -> str:
    return _SPACE.sub(" ", code.strip(" ,;.")).upper()


def _words(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _squash_subject(subject: str) -> str:
    """A subject for comparison: quotes unified, portion mark dropped, no spaces, lower case."""
    text = subject.translate(_QUOTES).strip().rstrip("\\").strip()
    text = _PORTION_MARK.sub("", _LEADING_PUNCTUATION.sub("", _SUBJECT_LABEL.sub("", text)))
    return _SPACE.sub("", text).casefold()
