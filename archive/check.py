"""Measured fidelity: what the parser reads from the telegram text alone, against the publisher's metadata.

For every input that carries publisher metadata (cablegate pages, the ``cables.csv`` dump,
web-page text), the telegram text is parsed *without* that metadata and six fields are
compared: reference id, date, classification, origin, subject and tags.

Inputs whose publisher prints none of these fields — a FRUS document, whose editor's apparatus
*is* the edition's metadata and gives every field; telegram text; a scan — are parsed as they
are (FRUS with its apparatus) and measured by *coverage*: the share of them each field is given
for (a full reference id, not a provisional one; a classification read, not assumed), and for
a TO addressee and a signer, which no publisher's metadata gives to agree with. Per source
format, ``archive check`` reports one or the other (``measure``), and how many inputs were
skipped as not cables (FRUS memoranda, editorial notes).

Each field is scored three ways: *agreement* over the inputs whose text gives the field,
*coverage* (how many of the compared inputs the text gives it for) and *overall* (agreed
over every compared input). The text does not always give a field: partial extracts
("This record is a partial extract of the original cable") often carry no date-time group
and no date at all, so neither their date nor the year of their reference id is in the
text; a few have no banner or FM line naming their station.

The publisher's own noise is handled here, in the comparison, never by bending the parser:

- before the Aug-2011 release the site's *minutes* are the hour in 12-hour form: only the
  date and the hour of those pages are compared;
- the ``<h3>`` subject may be cut short (a prefix of the parsed subject counts; so does one
  ending in ``...``) or run on past the subject into ``REF: …``, ``Classified By: …``, a
  page counter (``LONDON 00002143 001.2 OF 002``), ``SENSITIVE BUT UNCLASSIFIED`` …, and
  may keep a portion-mark remnant (``S) ``) or a ``SUBJECT:`` label;
- the ``<h3>`` sometimes shows no subject at all although the telegram prints a labelled
  ``SUBJECT:`` line: the subject is then not compared (a parsed subject that no labelled
  line prints still counts as a disagreement, so a parser inventing subjects is caught);
- the TAGS links cover only the first TAGS line (the parsed tags must include every
  published one), split ``ZANU-PF`` into ``ZANU`` and ``PF``, and run codes together
  (``KWMNCS`` for ``KWMN CS``);
- malformed published ids (``7575LIBREVILLE1895``) agree with their canonical form;
- some pages hold the body of another cable (its banner names another station and serial
  than the published id): these *publisher mix-ups* are listed apart and compared only on
  what the routing header gives (reference id, date, origin from the FM line);
- the published classification sometimes drops the NOFORN printed under the banner, or
  adds a NOFORN that only the portion marks carry: both are allowed for and listed; a
  NOFORN the text does not carry at all stays a disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from archive.cable import Cable, Document, InputError, PublisherMetadata, Rejection, Skipped
from archive.parse import NO_CLASSIFICATION
from archive.parse.frus import FORMATS as FRUS_FORMATS
from archive.parse.frus import NO_SOURCE_CLASSIFICATION
from archive.parse.ids import find_station_serial, normalize_station, parse_reference_id

FIELDS: tuple[str, ...] = ("reference_id", "date", "classification", "origin", "subject", "tags")
# Fields no publisher's metadata gives, measured by coverage alone: a TO addressee and a signer.
COVERED_ONLY: tuple[str, ...] = ("to", "signer")
COVERAGE_FIELDS = FIELDS + COVERED_ONLY

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
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")  # the site's own mark of a subject it cut short
_SPACE = re.compile(r"\s+")
_SUBJECT_LABEL = re.compile(r"^SUBJ(?:ECT)?\s*:\s*", re.I)  # the <h3> sometimes repeats it
_SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\s*:(?P<subject>.*)$", re.I | re.M)
# NOFORN printed as a caveat line under the banner or glued to it ("SECRET//NOFORN").
_NOFORN_CAVEAT = re.compile(r"^\s*NOFORN\s*$|//\s*NOFORN\b", re.M)
_NOFORN = "//NOFORN"

MIXUP = "publisher mix-up: the page holds the body of another cable"
# What a format's figures measure: agreement with the publisher's metadata, or coverage (no metadata to agree with).
AGREEMENT, COVERAGE = "agreement", "coverage"
# Fields a form never prints, measured by neither: FRUS editions print no TAGS line.
NOT_PRINTED = dict.fromkeys(FRUS_FORMATS, frozenset({"tags"}))
_ASSUMED_CLASSIFICATION = (NO_CLASSIFICATION, NO_SOURCE_CLASSIFICATION)


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field of one cable: parsed and published values as shown, and whether they agree.

    ``given`` is False when the text yields no value for the field (it then counts against
    coverage, not agreement); ``excluded`` says why the field is not compared at all, and
    ``allowance`` names publisher noise beyond the routine that an agreement allowed for.
    """

    field: str
    parsed: str
    published: str
    agrees: bool
    given: bool = True
    excluded: str | None = None
    allowance: str | None = None


@dataclass(frozen=True, slots=True)
class Disagreement:
    source: str  # file (and record) label
    field: str
    parsed: str
    published: str


@dataclass(frozen=True, slots=True)
class Allowance:
    """A field not compared, or compared allowing for publisher noise, with the reason."""

    source: str
    field: str
    parsed: str
    published: str
    reason: str


@dataclass(frozen=True, slots=True)
class MixUp:
    """A page whose body is another cable's: its banner names another station and serial."""

    source: str
    published_id: str
    banner: str  # station and serial as the body's banner prints them: "PARIS 005539"
    canonical_id: str | None  # what the parser derived from the text (None without a year)


@dataclass(frozen=True, slots=True)
class FieldScore:
    field: str
    compared: int  # inputs whose publisher gives the field (minus those not comparable)
    given: int  # of those, inputs whose text gives it
    agreed: int

    @property
    def agreement(self) -> float | None:
        """Agreed over the inputs whose text gives the field, in percent."""
        return _percent(self.agreed, self.given)

    @property
    def coverage(self) -> float | None:
        """Inputs whose text gives the field over the compared inputs, in percent."""
        return _percent(self.given, self.compared)

    @property
    def overall(self) -> float | None:
        """Agreed over every compared input, in percent."""
        return _percent(self.agreed, self.compared)


def _score_row(score: FieldScore) -> dict[str, Any]:
    return {
        "field": score.field,
        "compared": score.compared,
        "text_gives_it": score.given,
        "agreed": score.agreed,
        "agreement_pct": score.agreement,
        "coverage_pct": score.coverage,
        "overall_pct": score.overall,
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Agreement per field over every input with publisher metadata, and the disagreements."""

    compared: int  # inputs with publisher metadata, compared
    without_metadata: int  # inputs whose publisher gives no compared field (measured by coverage)
    failures: tuple[tuple[str, str], ...]  # (label, message) of inputs that could not be read
    unparsed: tuple[tuple[str, str], ...]  # (label, message) of compared inputs the parser refused
    scores: tuple[FieldScore, ...]
    disagreements: tuple[Disagreement, ...]
    mixups: tuple[MixUp, ...] = ()
    allowances: tuple[Allowance, ...] = ()
    undated_extracts: int = 0  # compared partial extracts whose text gives no year at all
    formats: tuple[FormatScores, ...] = ()  # the same scores, per source format

    def score(self, field: str) -> FieldScore:
        return next(score for score in self.scores if score.field == field)

    def score_rows(self) -> list[dict[str, Any]]:
        """One row per field: compared, how many the text gives it for, agreed, and the three percentages."""
        return [_score_row(score) for score in self.scores]

    def format_rows(self) -> list[dict[str, Any]]:
        """One row per source format: inputs read, rejected, compared, then each field's agreement in percent."""
        return [scores.row() for scores in self.formats]

    def disagreement_rows(self) -> list[dict[str, Any]]:
        """One row per disagreement: source, field, parsed, published."""
        return [
            {"source": d.source, "field": d.field, "parsed": d.parsed, "published": d.published}
            for d in self.disagreements
        ]

    def mixup_rows(self) -> list[dict[str, Any]]:
        return [
            {"source": m.source, "published_id": m.published_id, "banner": m.banner, "canonical_id": m.canonical_id}
            for m in self.mixups
        ]

    def allowance_rows(self) -> list[dict[str, Any]]:
        return [
            {"source": a.source, "field": a.field, "parsed": a.parsed, "published": a.published, "reason": a.reason}
            for a in self.allowances
        ]

    def notes(self) -> list[str]:
        """What the table's columns mean and which inputs are not compared, in plain sentences."""
        notes = [
            "agreement: agreed over the inputs whose text gives the field; coverage: inputs whose text "
            "gives the field over the compared ones; overall: agreed over every compared input.",
        ]
        if self.undated_extracts:
            notes.append(
                f'{self.undated_extracts} of the {self.compared} inputs are partial extracts ("This record is a '
                'partial extract of the original cable") with no date-time group and no date anywhere in their '
                "text: their date and the year of their reference id are not in the text (coverage below 100%); "
                "every other field of theirs is compared."
            )
        if self.mixups:
            notes.append(
                f"{len(self.mixups)} publisher mix-ups (the page holds the body of another cable) are compared on "
                "reference id and date only (and origin when the FM line gives it); they count against reference "
                "id whenever the parser takes the id from the other cable's banner."
            )
        if self.without_metadata:
            notes.append(
                f"{self.without_metadata} inputs carry no publisher metadata to compare (FRUS documents, whose "
                "apparatus is their metadata, telegram text, scans): per format, the share of them each field is "
                "given for (coverage)."
            )
        if self.allowances:
            notes.append(
                f"{len(self.allowances)} fields are not compared or compared allowing for publisher noise beyond "
                "the routine (listed with the reason)."
            )
        return notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "compared": self.compared,
            "without_metadata": self.without_metadata,
            "undated_extracts": self.undated_extracts,
            "scores": self.score_rows(),
            "formats": [scores.to_dict() for scores in self.formats],
            "notes": self.notes(),
            "mixups": self.mixup_rows(),
            "allowances": self.allowance_rows(),
            "disagreements": self.disagreement_rows(),
            "unparsed": [{"source": label, "message": message} for label, message in self.unparsed],
            "failures": [{"source": label, "message": message} for label, message in self.failures],
        }


@dataclass(frozen=True, slots=True)
class FormatScores:
    """The inputs of one source format (html, csv, frus-tei, …) and their field scores.

    A format whose inputs carry publisher metadata is measured by agreement with it; one whose
    inputs carry none (FRUS, telegram text, scans) by coverage: ``covered`` counts, per field, the
    ``uncompared`` inputs parsed that give it (None for a field the form never prints).
    """

    format: str
    inputs: int
    rejected: int  # not readable as a cable by the source (the failures)
    compared: int  # with publisher metadata, compared
    scores: tuple[FieldScore, ...]
    skipped: int = 0  # rightly not cables (FRUS memoranda, editorial notes)
    uncompared: int = 0  # cables without publisher metadata, measured by coverage
    covered: tuple[tuple[str, int | None], ...] = ()

    @property
    def measure(self) -> str | None:
        """AGREEMENT, COVERAGE, or None when no input of the format was read as a cable."""
        return AGREEMENT if self.compared else COVERAGE if self.uncompared else None

    def _counts(self) -> dict[str, Any]:
        measured = self.uncompared if self.measure == COVERAGE else self.compared
        return {
            "format": self.format,
            "inputs": self.inputs,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "measured": measured,
            "measure": self.measure,
        }

    def row(self) -> dict[str, Any]:
        """Counts, then each field's agreement in percent (over the inputs whose text gives it) or coverage;
        TO and signer by coverage alone (None where the format is measured by agreement)."""
        if self.measure == COVERAGE:
            return self._counts() | {
                field: None if count is None else _percent(count, self.uncompared) for field, count in self.covered
            }
        agreement = {score.field: score.agreement for score in self.scores}
        return self._counts() | agreement | dict.fromkeys(COVERED_ONLY)  # nothing to agree with

    def to_dict(self) -> dict[str, Any]:
        """Counts, every field's full score (compared, given, agreed, the three percentages) and coverage counts."""
        return self._counts() | {
            "scores": [_score_row(score) for score in self.scores],
            "coverage": dict(self.covered),
        }


@dataclass(slots=True)
class _Tally:
    """What ``check_documents`` counts and lists while it reads the inputs (all of them, or one format's)."""

    compared_per_field: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    given: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    agreed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    disagreements: list[Disagreement] = field(default_factory=list)
    allowances: list[Allowance] = field(default_factory=list)
    mixups: list[MixUp] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    unparsed: list[tuple[str, str]] = field(default_factory=list)
    covered: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COVERAGE_FIELDS, 0))
    skipped: int = 0
    uncompared: int = 0  # inputs without publisher metadata, parsed as they are for coverage
    inputs: int = 0
    compared: int = 0
    without_metadata: int = 0
    undated_extracts: int = 0
    listing: bool = True  # list allowances and disagreements (a format's tally only counts)

    def count(self, label: str, comparisons: Iterable[Comparison]) -> None:
        """Score the field comparisons of one input."""
        for comparison in comparisons:
            if self.listing and (comparison.excluded or comparison.allowance):
                reason = comparison.excluded or comparison.allowance or ""
                self.allowances.append(
                    Allowance(label, comparison.field, comparison.parsed, comparison.published, reason)
                )
            if comparison.excluded:
                continue
            self.compared_per_field[comparison.field] += 1
            if not comparison.given:
                continue
            self.given[comparison.field] += 1
            if comparison.agrees:
                self.agreed[comparison.field] += 1
            elif self.listing:
                self.disagreements.append(
                    Disagreement(label, comparison.field, comparison.parsed, comparison.published)
                )

    def scores(self) -> tuple[FieldScore, ...]:
        return tuple(
            FieldScore(name, self.compared_per_field[name], self.given[name], self.agreed[name]) for name in FIELDS
        )

    def format_scores(self, name: str) -> FormatScores:
        not_printed = NOT_PRINTED.get(name, frozenset())
        return FormatScores(
            name,
            self.inputs,
            len(self.failures),
            self.compared,
            self.scores(),
            self.skipped,
            self.uncompared,
            tuple((f, None if f in not_printed else self.covered[f]) for f in COVERAGE_FIELDS),
        )

    def report(self, formats: tuple[FormatScores, ...]) -> CheckReport:
        return CheckReport(
            self.compared,
            self.without_metadata,
            tuple(self.failures),
            tuple(self.unparsed),
            self.scores(),
            tuple(self.disagreements),
            tuple(self.mixups),
            tuple(self.allowances),
            self.undated_extracts,
            formats,
        )


def check_documents(
    items: Iterable[Document | Rejection | Skipped],
    parse: Callable[[Document], Cable] | None = None,
    on_input: Callable[[], None] | None = None,
) -> CheckReport:
    """Parse every document with publisher metadata from its text alone and compare the fields.

    ``parse`` defaults to :func:`archive.parse.parse`; ``on_input`` is called for every input
    read (for a progress display). The report gives the scores over every input and per source format.
    """
    if parse is None:
        from archive.parse import parse as parse_document

        parse = parse_document
    tally = _Tally()
    per_format: dict[str, _Tally] = {}
    for item in items:
        if on_input is not None:
            on_input()
        counted = per_format.setdefault(item.format or "unknown", _Tally(listing=False))
        if isinstance(item, Skipped):
            counted.inputs += 1
            counted.skipped += 1  # not a cable (a FRUS memorandum): nothing to compare
            continue
        _count_input(item, parse, (tally, counted))
    return tally.report(tuple(t.format_scores(name) for name, t in sorted(per_format.items())))


def _count_input(
    item: Document | Rejection, parse: Callable[[Document], Cable], tallies: tuple[_Tally, _Tally]
) -> None:
    """Count one input into the tally of all inputs and that of its format."""
    for counted in tallies:
        counted.inputs += 1
    if isinstance(item, Rejection):
        for counted in tallies:
            counted.failures.append((item.label, item.message))
    elif not publishes_fields(item.metadata):
        given = _fields_given(item, parse)
        for counted in tallies:
            counted.without_metadata += 1
            counted.uncompared += 1
            for name in given:
                counted.covered[name] += 1
    else:
        comparisons = _check_one(item, item.metadata, parse, tallies[0])
        for counted in tallies:
            counted.compared += 1
            counted.count(item.label, comparisons)


def publishes_fields(metadata: PublisherMetadata | None) -> bool:
    """True when the publisher's metadata gives any compared field (a FRUS apparatus alone gives none)."""
    if metadata is None:
        return False
    values = (metadata.reference_id, metadata.created, metadata.classification, metadata.origin, metadata.subject)
    return any(value is not None for value in values) or bool(metadata.tags)


def _fields_given(item: Document, parse: Callable[[Document], Cable]) -> list[str]:
    """The fields an input without publisher metadata gives, parsed as it is (a FRUS document with its apparatus).

    A text the parser refuses gives none (the load would reject it too).
    """
    try:
        cable = parse(item)
    except InputError:
        return []
    given = {
        "reference_id": cable.canonical_id is not None,
        "date": cable.created is not None or isinstance(cable.extra.get("record_date"), str),
        "classification": not any(warning in cable.warnings for warning in _ASSUMED_CLASSIFICATION),
        "origin": cable.origin is not None,
        "subject": bool(cable.subject),
        "tags": bool(cable.tags),
        "to": any(recipient.role == "TO" for recipient in cable.recipients),
        "signer": bool(cable.signers),
    }
    return [name for name in COVERAGE_FIELDS if given[name]]


def _check_one(
    item: Document, published: PublisherMetadata, parse: Callable[[Document], Cable], tally: _Tally
) -> tuple[Comparison, ...]:
    """The comparisons of one input with publisher metadata, parsed from its text alone."""
    try:
        cable = parse(replace(item, metadata=None))  # the telegram text alone
    except InputError as error:
        # A cable the parser cannot read from its text counts against every field.
        tally.unparsed.append((item.label, error.message))
        return unparsed_comparisons(published, error.message)
    banner = other_cable_banner(cable, published)
    if banner is not None:
        tally.mixups.append(MixUp(item.label, published.reference_id or "", banner, cable.canonical_id))
    tally.undated_extracts += int(cable.partial and cable.canonical_id is None and cable.created is None)
    return _compare(cable, published, mixed_up=banner is not None)


def check_paths(
    paths: Iterable[str], input_format: str | None = None, on_input: Callable[[], None] | None = None
) -> CheckReport:
    """``check_documents`` over every input under ``paths`` (files, folders, ``-``)."""
    from archive.sources import read_paths

    return check_documents(read_paths(paths, input_format), on_input=on_input)


def compare(cable: Cable, published: PublisherMetadata) -> tuple[Comparison, ...]:
    """The comparable fields of ``cable`` against ``published`` (fields it does not give are skipped)."""
    return _compare(cable, published, mixed_up=other_cable_banner(cable, published) is not None)


def _compare(cable: Cable, published: PublisherMetadata, mixed_up: bool) -> tuple[Comparison, ...]:
    comparisons = [
        _compare_reference_id(cable, published),
        _compare_date(cable, published),
        _compare_classification(cable, published, mixed_up),
        _compare_origin(cable, published, mixed_up),
        _compare_subject(cable, published, mixed_up),
        _compare_tags(cable, published, mixed_up),
    ]
    return tuple(comparison for comparison in comparisons if comparison is not None)


def other_cable_banner(cable: Cable, published: PublisherMetadata) -> str | None:
    """The body's banner station and serial ("PARIS 005539") when they name another cable than
    the published id: the page holds the body of another cable. None when they agree or are unknown.

    A redacted station (``XXXXXXXXXXXX 000004``) is compared on its serial only.
    """
    parts = parse_reference_id(published.reference_id or "")
    found = find_station_serial(cable.body)
    if parts is None or found is None:
        return None
    station, serial = found
    same_station = not station.strip("X ") or normalize_station(station) == normalize_station(parts.station)
    if same_station and int(serial) == int(parts.serial):
        return None
    return f"{station} {serial}"


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
    if cable.canonical_id is None:
        return Comparison("reference_id", "", published.reference_id, False, given=False)
    parsed = cable.canonical_id
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
    if cable.created is not None:
        parsed = cable.created.astimezone(UTC).strftime(shown)
        return Comparison("date", parsed, expected, parsed == expected)
    day = cable.extra.get("record_date")  # a record printed in the body gives the day only
    if isinstance(day, str):
        return Comparison("date", day, expected, expected.startswith(day))
    return Comparison("date", "", expected, False, given=False)


def _compare_classification(cable: Cable, published: PublisherMetadata, mixed_up: bool) -> Comparison | None:
    if not published.classification:
        return None
    parsed, theirs = cable.classification, published.classification.strip().upper()
    if mixed_up:
        return Comparison("classification", parsed, published.classification, False, excluded=MIXUP)
    if NO_CLASSIFICATION in cable.warnings:
        return Comparison("classification", "", published.classification, False, given=False)
    if parsed == theirs:
        return Comparison("classification", parsed, published.classification, True)
    allowance = _noforn_allowance(cable, parsed, theirs)
    return Comparison("classification", parsed, published.classification, allowance is not None, allowance=allowance)


def _noforn_allowance(cable: Cable, parsed: str, theirs: str) -> str | None:
    """Why a classification that differs from the published one only in NOFORN still agrees with the text."""
    if parsed.removesuffix(_NOFORN) != theirs.removesuffix(_NOFORN):
        return None
    if theirs.endswith(_NOFORN) and any("NOFORN" in paragraph.caveats for paragraph in cable.paragraphs):
        return "the publisher adds the NOFORN of the portion marks; the banner has none"
    if parsed.endswith(_NOFORN) and _NOFORN_CAVEAT.search(cable.body):
        return "the publisher drops the NOFORN printed under the banner"
    return None


def _compare_origin(cable: Cable, published: PublisherMetadata, mixed_up: bool) -> Comparison | None:
    if not published.origin:
        return None
    if mixed_up and cable.station is None:
        # No FM line: the origin comes from the other cable's banner.
        return Comparison("origin", cable.origin or "", published.origin, False, excluded=MIXUP)
    if cable.origin is None:
        return Comparison("origin", "", published.origin, False, given=False)
    return Comparison("origin", cable.origin, published.origin, _words(cable.origin) == _words(published.origin))


def _compare_subject(cable: Cable, published: PublisherMetadata, mixed_up: bool) -> Comparison | None:
    if published.subject is None:
        return None
    parsed = cable.subject or ""
    if mixed_up:
        return Comparison("subject", parsed, published.subject, False, excluded=MIXUP)
    if not _squash_subject(published.subject) and parsed and _printed_subject_line(cable.body, parsed):
        reason = "the site shows no subject; the telegram prints a labelled SUBJECT line"
        return Comparison("subject", parsed, published.subject, False, excluded=reason)
    return Comparison("subject", parsed, published.subject, subjects_agree(parsed, published.subject))


def _printed_subject_line(body: str, subject: str) -> bool:
    """True when a ``SUBJECT:`` / ``SUBJ:`` line of ``body`` prints the (start of the) parsed subject."""
    ours = _squash_subject(subject)
    for match in _SUBJECT_LINE.finditer(body):
        printed = _squash_subject(match["subject"])
        if printed and ours.startswith(printed):
            return True
    return False


def subjects_agree(parsed: str, published: str) -> bool:
    """True when the site's subject is the parsed one, cut short or run on into known noise."""
    cut_short = _ELLIPSIS.search(published) is not None
    ours, theirs = _squash_subject(parsed), _squash_subject(_ELLIPSIS.sub("", published))
    if ours == theirs:
        return True
    if not theirs or not ours:
        return False
    if ours.startswith(theirs) or (cut_short and ours.startswith(theirs.rstrip("."))):
        return True  # the <h3> cut short
    return theirs.startswith(ours) and _RUN_ON.match(theirs[len(ours) :]) is not None


def _compare_tags(cable: Cable, published: PublisherMetadata, mixed_up: bool) -> Comparison | None:
    if not published.tags:
        return None
    shown, shown_published = " ".join(tag.code for tag in cable.tags), " ".join(published.tags)
    if mixed_up:
        return Comparison("tags", shown, shown_published, False, excluded=MIXUP)
    parsed = {_tag_key(tag.code) for tag in cable.tags}
    theirs = _merge_split_tags([_tag_key(code) for code in published.tags], parsed)
    agrees = bool(theirs) and all(code in parsed or _glued(code, parsed) for code in theirs)
    return Comparison("tags", shown, shown_published, agrees)


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
