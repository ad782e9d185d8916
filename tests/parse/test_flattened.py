"""Telegram text whose line breaks were lost (MongoDB exports, text dumps) parses to the fields of
the original: on the real re-exported bodies of corpus-forms/json-exports, on a case-mangled
partial extract, and on a flattened copy of every corpus telegram."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from archive.cable import Cable, Document, InputError, Rejection
from archive.parse import parse
from archive.parse.flattened import is_flattened, unflatten
from archive.sources import read_paths

JSON_EXPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-forms" / "json-exports"


def flatten(text: str) -> str:
    """Line breaks removed (a space each), paragraph breaks kept as a double space."""
    paragraphs = re.sub(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*", "  ", text)
    return re.sub(r"[ \t]*\n[ \t]*", " ", paragraphs).strip()


def fields(cable: Cable) -> dict[str, object]:
    return {
        "id": cable.canonical_id,
        "date": cable.created,
        "classification": (cable.level, cable.caveats),
        "subject": cable.subject,
        "tags": tuple(tag.code for tag in cable.tags),
    }


def export_body(relative: str, line: int) -> str:
    path = JSON_EXPORTS / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8").split("\n")[line - 1])["body"]


def test_a_text_with_its_line_breaks_is_left_as_it_is(examples_dir: Path) -> None:
    text = (examples_dir / "000_cfe706be70c9082a.txt").read_text(encoding="utf-8")
    assert not is_flattened(text) and unflatten(text) is text


def test_mongodb_export_87NEWDELHI19406_tags_end_at_the_subject_label() -> None:
    # "E.O. 12356: N/A TAGS: PTER, PGOV, IN SUBJECT:  INCREASE IN SIKH ... SIGHT  REF: NEW DELHI 17853  1.  SUMMARY"
    body = export_body("delhi.json", 1)
    cable = parse(Document("delhi.json", "line 1", "text", body.encode(), body))
    assert [tag.code for tag in cable.tags] == ["PTER", "PGOV", "IN"]
    assert cable.subject == "INCREASE IN SIKH TERRORISM LIKELY: NO MODERATION IN SIGHT"
    assert cable.level == "UNCLASSIFIED" and cable.executive_order == "12356"
    assert [paragraph.number for paragraph in cable.paragraphs][:2] == [1, 2]


def test_mongodb_export_05BAGHDAD3064_subject_ends_at_the_paragraph_break() -> None:
    # "... TAGS: OPRC, KMDR, KPAO, IZ, Media Reaction SUBJECT: MEDIA REACTION: ...; BAGHDAD   1. SUMMARY: The"
    body = export_body("Wikileaks_Processing/Embassy_Baghdad03-06.jsonl", 209)
    cable = parse(Document("Embassy_Baghdad03-06.jsonl", "line 209", "text", body.encode(), body))
    assert cable.subject == "MEDIA REACTION: IRAQ CONSTITUTION TERROR; BAGHDAD"
    assert [tag.code for tag in cable.tags] == ["OPRC", "KMDR", "KPAO", "IZ", "MEDIA", "REACTION"]
    assert (cable.station, cable.level) == (None, "UNCLASSIFIED")


@pytest.mark.corpus
def test_04ANKARA348_case_mangled_and_flattened(corpus: tuple[Document | Rejection, ...]) -> None:
    # "201247Z Jan 04 C o n f i d e n t i a l section 01 of 04 ankara 000348 Sipdis E.o. 12958: ... Tags: prel"
    document = next(item for item in corpus if isinstance(item, Document) and item.name.endswith("04ANKARA348.html"))
    original = parse(replace(document, metadata=None))
    flattened = parse(replace(document, metadata=None, text=flatten(document.text)))
    assert fields(flattened) == fields(original)
    assert original.canonical_id == "04ANKARA348" and [tag.code for tag in original.tags] == [
        "PREL",
        "PGOV",
        "PINS",
        "TU",
    ]


# Agreement of the flattened copies with the originals over the whole corpus (2,228 telegrams),
# measured on wt-parser at 05:00 UTC 2026-11-30 (issue #9 remainder; before it: id 98.70, date
# 98.74, classification 98.97, subject 98.43, TAGS 99.46): ids 99.73% and dates 99.78% (left: a
# date-time group inside a printed record, a dateline-less library export), classification with
# caveats 99.87% (09DOHA733 prints NOFORN in a corrected-copy note), TAGS 99.82%, subjects
# 98.79% (a run of spaces inside a subject line cannot be told from a paragraph break once the
# line breaks are gone). A change that makes any field worse fails.
_LEAST_AGREEMENT = {"id": 0.997, "date": 0.997, "classification": 0.998, "subject": 0.9875, "tags": 0.998}


@pytest.mark.corpus
def test_a_flattened_copy_of_every_corpus_telegram_gives_the_same_fields(
    corpus: tuple[Document | Rejection, ...], parsed_corpus: Mapping[str, Cable | InputError]
) -> None:
    agreed = dict.fromkeys(_LEAST_AGREEMENT, 0)
    differing: dict[str, list[str]] = {name: [] for name in _LEAST_AGREEMENT}
    rejected: list[str] = []
    compared = 0
    for document in corpus:
        original = parsed_corpus.get(document.label) if isinstance(document, Document) else None
        if not isinstance(original, Cable) or not isinstance(document, Document):
            continue
        compared += 1
        try:
            flattened = parse(replace(document, metadata=None, text=flatten(document.text)))
        except InputError:
            rejected.append(document.label)
            continue
        theirs = fields(flattened)
        for name, value in fields(original).items():
            if theirs[name] == value:
                agreed[name] += 1
            else:
                differing[name].append(document.label)
    assert len(rejected) <= 2, rejected
    for name, least in _LEAST_AGREEMENT.items():
        assert agreed[name] / compared >= least, (name, agreed[name], compared, differing[name][:20])


def test_mongodb_export_baghdad_free_text_tags_keep_their_apostrophes() -> None:
    # "TAGS: KWMN, PHUM, PGOV, IZ, Women's Rights, National Assembly SUBJECT: MORE RESTRICTIONS ON …"
    body = export_body("Wikileaks_Processing/Embassy_Baghdad03-06.jsonl", 84)
    cable = parse(Document("Embassy_Baghdad03-06.jsonl", "line 84", "text", body.encode(), body))
    assert [tag.code for tag in cable.tags] == [
        "KWMN",
        "PHUM",
        "PGOV",
        "IZ",
        "WOMEN'S",
        "RIGHTS",
        "NATIONAL",
        "ASSEMBLY",
    ]
    assert cable.subject == "MORE RESTRICTIONS ON WOMEN'S MINISTRY"


def test_mongodb_export_a_paragraph_cited_in_the_subject_does_not_end_the_preamble() -> None:
    # "… -- CORRECTED COPY -- SEE PARAGRAPH 1.  E.O. 12958: … TAGS: AF, MASS, … SUBJECT: THE RIGA
    # SUMMIT AND PAKISTAN -- CORRECTED COPY, SEE PARAGRAPH 1.  Classified By: …  1.  (C) AmEmbassy Kabul …"
    path = JSON_EXPORTS / "Wikileaks_Processing/Embassy_Islamabad06-08.badescapes.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    record = next(item for item in read_paths([str(path)]) if item.location.startswith("record 244 "))
    assert isinstance(record, Document)
    cable = parse(record)
    assert cable.subject == "THE RIGA SUMMIT AND PAKISTAN -- CORRECTED COPY, SEE PARAGRAPH 1."
    assert [tag.code for tag in cable.tags] == ["AF", "MASS", "MOPS", "PK", "PNAT", "PREL"]
    assert [paragraph.number for paragraph in cable.paragraphs][:2] == [1, 2]
