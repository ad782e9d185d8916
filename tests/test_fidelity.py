"""Measured fidelity on the whole shared corpus: `archive check` must stay above the issue's targets.

Agreement is over the inputs whose telegram text gives the field; coverage guards against a
parser that would "agree" by giving up (an undated partial extract has no date and no year of
its reference id in its text, and only those may lack them). The whole-corpus load (every input
stored or kept aside with a message, the only rejections the known non-cables) is tested in
tests/load/test_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cable import Cable, Document, InputError, Rejection
from archive.check import MIXUP, CheckReport, check_documents

# The targets, in percent of the inputs whose text gives the field.
TARGETS = {
    "reference_id": 99.5,
    "date": 99.5,
    "classification": 99.0,
    "origin": 99.0,
    "subject": 99.0,
    "tags": 99.5,
}
# How many compared inputs the text gives each field for today (2,191 compared): 176 partial
# extracts carry no date and no year; 04MADRID4827 and 05PARIS4749 name no station at all.
COVERED_AT_LEAST = {
    "reference_id": 2015,
    "date": 2015,
    "classification": 2182,
    "origin": 2188,
    "subject": 2180,
    "tags": 1555,
}
# Pages holding the body of another cable (their banner names another station and serial).
MIXUPS = {
    "88BAGHDAD28",
    "07PARIS2725",
    "08LAPAZ751",
    "08LIMA1732",
    "09HAVANA132",
    "09MOSCOW1108",
    "09CHISINAU694",
    "10MEXICO614",
    "05SOFIA1280",
}
# The corpus files that are not cables: its read-me and heuer's expected-subject files.
NOT_CABLES = {
    "SOURCES.md",
    "07BERN881.txt",
    "08BRASILIA93.txt",
    "08REYKJAVIK195.txt",
    "08TRIPOLI220.txt",
    "10STATE284.txt",
}


@pytest.fixture(scope="module")
def report(corpus: tuple[Document | Rejection, ...], parsed_corpus: dict[str, Cable | InputError]) -> CheckReport:
    """``archive check`` on the whole corpus, from the session's one read and one parse of it."""

    def parsed(document: Document) -> Cable:
        cable = parsed_corpus[document.label]
        if isinstance(cable, InputError):
            raise cable
        return cable

    return check_documents(corpus, parse=parsed)


@pytest.mark.corpus
@pytest.mark.parametrize("field", list(TARGETS))
def test_agreement_reaches_the_target(report: CheckReport, field: str) -> None:
    score = report.score(field)
    wrong = [d for d in report.disagreements if d.field == field]
    assert score.agreement is not None and score.agreement >= TARGETS[field], wrong[:20]


@pytest.mark.corpus
@pytest.mark.parametrize("field", list(COVERED_AT_LEAST))
def test_the_text_gives_the_field_as_often_as_now(report: CheckReport, field: str) -> None:
    assert report.score(field).given >= COVERED_AT_LEAST[field]


@pytest.mark.corpus
def test_every_input_is_compared_or_accounted_for(report: CheckReport) -> None:
    assert report.compared == 2191
    assert report.unparsed == ()  # the parser reads every cable's text, undated extracts included
    assert {Path(label).name for label, _ in report.failures} == NOT_CABLES
    # Only undated partial extracts lack the date and the year of their id.
    assert report.undated_extracts == report.score("reference_id").compared - report.score("reference_id").given


@pytest.mark.corpus
def test_publisher_noise_set_aside_is_the_known_noise(report: CheckReport) -> None:
    # A parser regression that misread banners would show up here as new mix-ups, not as a
    # silently smaller comparison.
    assert {mixup.published_id for mixup in report.mixups} == MIXUPS
    others = [a for a in report.allowances if a.reason != MIXUP]
    assert len(others) <= 10, others
