"""archive.check: parsed fields against publisher metadata, with the publisher's own noise allowed for.

The values below are real: the parsed side as the telegram prints it, the published side as the
cablegate page shows it (cable ids named in each test).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Cable, Document, PublisherMetadata, Rejection, Tag
from archive.check import FIELDS, MIXUP, check_documents, compare, subjects_agree
from archive.parse import NO_YEAR, parse
from archive.sources import read_paths

DEC_2010 = datetime(2010, 11, 29, 21, 9, tzinfo=UTC)
AUG_2011 = datetime(2011, 8, 30, 1, 44, tzinfo=UTC)


def cable(canonical_id: str, **fields: object) -> Cable:
    values: dict[str, object] = {"reference_id": canonical_id, "canonical_id": canonical_id, "created": None}
    values["level"] = "CONFIDENTIAL"
    values.update(fields)
    return Cable(**values)  # type: ignore[arg-type]


def field_result(parsed: Cable, published: PublisherMetadata, name: str) -> bool:
    (comparison,) = [c for c in compare(parsed, published) if c.field == name]
    return comparison.agrees


@pytest.mark.parametrize(
    ("cable_id", "parsed", "published"),
    [
        # cut short: the <h3> holds the first SUBJECT line only
        (
            "09ASHGABAT86",
            "BOUYGUES APPEARS TO HAVE A SHELF LIFE IN TURKMENISTAN, BUT WORK CONTINUES",
            "BOUYGUES APPEARS TO HAVE A SHELF LIFE IN",
        ),
        # run on into Classified By / REF / a page counter / SENSITIVE BUT UNCLASSIFIED
        (
            "09BRASILIA1383",
            "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS",
            "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS Classified By: Charge d'Affaires Cherie Jackson, "
            "Reasons 1.4 (b) and (d). REFTELS: A) 2008 BRASILIA 672",
        ),
        (
            "10BRASILIA49",
            "BRAZIL'S PRESIDENTIAL ELECTIONS: DILMA ROUSSEFF COMES UP FAST BEHIND JOSE SERRA",
            "BRAZIL'S PRESIDENTIAL ELECTIONS: DILMA ROUSSEFF COMES UP FAST BEHIND JOSE SERRA REF: RIO DE JANEIRO 32",
        ),
        (
            "06BRASILIA1667",
            "CAN A ROAD SAVE THE AMAZON? THE BR-163 - Corrected Version",
            "CAN A ROAD SAVE THE AMAZON? THE BR-163 - Corrected Version BRASILIA 00001667 001.2 OF 003",
        ),
        (
            "06SAOPAULO965",
            "AMBASSADOR'S AUGUST 23-24 VISIT TO SAO PAULO",
            "AMBASSADOR'S AUGUST 23-24 VISIT TO SAO PAULO SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY",
        ),
        # the first character dropped when it is a parenthesis or a quote
        ("09STATE28302", "(S) SHIPMENT OF UAVS FROM IRAN TO VENEZUELA", "S) SHIPMENT OF UAVS FROM IRAN TO VENEZUELA"),
        ("09STATE28302", "SHIPMENT OF UAVS FROM IRAN TO VENEZUELA", "S) SHIPMENT OF UAVS FROM IRAN TO VENEZUELA"),
        (
            "08ISLAMABAD483",
            "“THE BEST THING THAT COULD HAPPEN IN PAKISTAN”",
            "THE BEST THING THAT COULD HAPPEN IN PAKISTAN”",
        ),
        # a SUBJECT: label and a trailing backslash of the old dump
        (
            "09KABUL1239",
            "AFGHANISTAN: A SNAPSHOT OF THE NORTHEAST",
            "SUBJECT: AFGHANISTAN: A SNAPSHOT OF THE NORTHEAST",
        ),
        (
            "07BERN881",
            'FM CALMY-REY "TAKES NOTE" OF USG CONCERNS REGARDING IRAN/IAEA AND IRAN/EGL',
            'FM CALMY-REY "TAKES NOTE" OF USG CONCERNS \\',
        ),
        # cut short by the site with an ellipsis
        ("04THEHAGUE1903", "SURVEILLANCE OF U.S. EMBASSY THE HAGUE 07/27/2004", "SURVEILLANCE OF U.S..."),
        ("09MADRID604", "SPAIN: S/GC DAN FRIED VISIT", "SPAIN: S/GC DAN FRIED ..."),
        # no subject on either side
        ("08TRIPOLI220", "", ""),
    ],
)
def test_subject_noise_is_allowed_for(cable_id: str, parsed: str, published: str) -> None:
    assert subjects_agree(parsed, published), cable_id


@pytest.mark.parametrize(
    ("cable_id", "parsed", "published"),
    [
        # a parser that stopped early is caught: the rest is not publisher noise
        ("09BRASILIA1383", "BRAZIL: BLACKOUT", "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS"),
        ("09BRASILIA1383", "BRAZIL: BLACKOUT -CAUSES", "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS Classified By: X"),
        ("10BRASILIA49", "BRAZIL'S PRESIDENTIAL ELECTIONS", "DILMA ROUSSEFF COMES UP FAST"),
        # the site printed no subject although the parser found one (compare() decides whether the
        # telegram prints it on a labelled SUBJECT line: see the 04THEHAGUE281 test)
        ("7575LIBREVILLE1895", "KOREA AT 30TH UNGA: GABON", ""),
        ("08TRIPOLI220", "CLASSIFIED BY: Chris Stevens, CDA", ""),
        # an ellipsis marks a cut, not a licence: the words before it must match
        ("04THEHAGUE1903", "SURVEILLANCE OF THE U.S. EMBASSY", "SURVEILLANCE OF U.S..."),
    ],
)
def test_subject_disagreements_are_caught(cable_id: str, parsed: str, published: str) -> None:
    assert not subjects_agree(parsed, published), cable_id


def test_tags_covering_the_first_line_only_03COLOMBO2200() -> None:
    published = PublisherMetadata(tags=("PGOV", "PREL", "PINS"))
    full = cable("03COLOMBO2200", tags=tuple(Tag(code, "subject") for code in ("PGOV", "PREL", "PINS", "CE", "LTTE")))
    assert field_result(full, published, "tags")
    missing = replace(full, tags=(Tag("PGOV", "subject"), Tag("PREL", "subject")))
    assert not field_result(missing, published, "tags")


def test_tags_split_at_a_hyphen_00HARARE5461() -> None:
    published = PublisherMetadata(tags=("PGOV", "PINS", "ZI", "MDC", "ZANU", "PF"))
    parsed = cable("00HARARE5461", tags=tuple(Tag(c, "subject") for c in ("PGOV", "PINS", "ZI", "MDC", "ZANU-PF")))
    assert field_result(parsed, published, "tags")


def test_tags_run_together_by_the_site_09SANJOSE692() -> None:
    published = PublisherMetadata(tags=("PREF", "PREL", "PHUM", "PREF", "ELAB", "EAID", "SMIG", "KWMNCS"))
    codes = ("PREF", "PREL", "PHUM", "ELAB", "EAID", "SMIG", "KWMN", "CS")
    assert field_result(cable("09SANJOSE692", tags=tuple(Tag(c, "subject") for c in codes)), published, "tags")


def test_date_before_aug_2011_compares_day_and_hour_09BEIJING1247() -> None:
    # The page says 10:10 (the hour again) for the date-time group 081039Z MAY 09.
    published = PublisherMetadata(created=datetime(2009, 5, 8, 10, 10, tzinfo=UTC), released=DEC_2010)
    assert field_result(cable("09BEIJING1247", created=datetime(2009, 5, 8, 10, 39, tzinfo=UTC)), published, "date")
    wrong_hour = cable("09BEIJING1247", created=datetime(2009, 5, 8, 11, 39, tzinfo=UTC))
    assert not field_result(wrong_hour, published, "date")
    assert not field_result(cable("09BEIJING1247"), published, "date")  # no date-time group found


def test_date_from_aug_2011_compares_minutes_66BUENOSAIRES2481() -> None:
    published = PublisherMetadata(created=datetime(1966, 12, 28, 18, 48, tzinfo=UTC), released=AUG_2011)
    exact = cable("66BUENOSAIRES2481", created=datetime(1966, 12, 28, 18, 48, tzinfo=UTC))
    assert field_result(exact, published, "date")
    assert not field_result(replace(exact, created=datetime(1966, 12, 28, 18, 40, tzinfo=UTC)), published, "date")


def test_malformed_published_id_agrees_with_its_canonical_form_7575LIBREVILLE1895() -> None:
    published = PublisherMetadata(reference_id="7575LIBREVILLE1895")
    assert field_result(cable("75LIBREVILLE1895"), published, "reference_id")
    assert not field_result(cable("75LIBREVILLE1896"), published, "reference_id")


def test_classification_and_origin_09STATE53069() -> None:
    published = PublisherMetadata(classification="CONFIDENTIAL//NOFORN", origin="Secretary of State")
    parsed = cable("09STATE53069", caveats=("NOFORN", "SIPDIS"), origin="SECRETARY OF STATE")
    assert field_result(parsed, published, "classification")
    assert field_result(parsed, published, "origin")
    assert not field_result(replace(parsed, caveats=("SIPDIS",)), published, "classification")
    assert not field_result(replace(parsed, origin="Embassy Berlin"), published, "origin")


def test_fields_the_publisher_does_not_give_are_not_compared() -> None:
    # A cables.csv record carries no subject and no tags.
    published = PublisherMetadata(reference_id="09BEIJING1247", classification="CONFIDENTIAL")
    assert [c.field for c in compare(cable("09BEIJING1247"), published)] == ["reference_id", "classification"]


def test_check_the_seeds_parses_text_alone(examples_dir: Path) -> None:
    seen: list[PublisherMetadata | None] = []

    def parse_and_record(document: Document) -> Cable:
        seen.append(document.metadata)
        return parse(document)

    report = check_documents(read_paths([str(examples_dir / "000_cfe706be70c9082a.txt")]), parse=parse_and_record)
    assert seen == [None]  # the parser never sees the publisher's metadata
    assert report.compared == 1 and report.without_metadata == 0
    # Seed 000 (09STATE53069) must come out exactly right: every field agrees.
    assert [(s.field, s.compared, s.agreed) for s in report.scores] == [(name, 1, 1) for name in FIELDS]
    assert report.disagreements == ()


def test_unreadable_inputs_and_unparsed_cables_are_counted(examples_dir: Path) -> None:
    page = examples_dir / "cables/chillicoder-cablegate/cable/2009/05/09BEIJING1247.html"
    (document,) = read_paths([str(page)])
    assert isinstance(document, Document)
    emptied = replace(document, text="")  # text the parser refuses
    rejection = Rejection("notes.txt", None, None, b"hello", "unrelated text")
    scan = next(iter(read_paths([str(examples_dir / "002_756b422504c41c6c.txt")])))
    report = check_documents([emptied, rejection, scan])
    assert report.failures == (("notes.txt", "unrelated text"),)
    assert report.without_metadata == 1  # the scan has no metadata
    assert report.compared == 1
    assert [label for label, _ in report.unparsed] == [document.label]
    # Every field the page gives counts as a disagreement.
    assert {(s.field, s.compared, s.given, s.agreed) for s in report.scores} == {(name, 1, 1, 0) for name in FIELDS}
    assert {d.field for d in report.disagreements} == set(FIELDS)
    assert all(d.parsed.startswith("(not parsed: ") for d in report.disagreements)


def corpus_page(corpus_dir: Path, mirror: str, reference_id: str) -> Document:
    (path,) = (corpus_dir / mirror).rglob(f"{reference_id}.html")
    (document,) = read_paths([str(path)])
    assert isinstance(document, Document)
    return document


def test_an_undated_extract_is_compared_on_every_field_its_text_gives_03COLOMBO2200(examples_dir: Path) -> None:
    # A partial extract with no date-time group and no date: the year of its id is not in the text.
    page = examples_dir / "cables/avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html"
    (document,) = read_paths([str(page)])
    assert isinstance(document, Document)
    alone = parse(replace(document, metadata=None))
    assert (alone.reference_id, alone.canonical_id, alone.created) == ("PROVISIONAL-COLOMBO-2200", None, None)
    assert NO_YEAR in alone.warnings
    assert alone.subject and alone.tags and alone.origin == "Embassy Colombo"
    report = check_documents([document])
    assert report.unparsed == () and report.undated_extracts == 1
    scores = {s.field: (s.compared, s.given, s.agreed) for s in report.scores}
    assert scores["reference_id"] == scores["date"] == (1, 0, 0)  # not given: coverage, not agreement
    assert scores["subject"] == scores["tags"] == scores["classification"] == scores["origin"] == (1, 1, 1)
    assert report.score("date").agreement is None and report.score("date").coverage == 0.0
    assert report.disagreements == ()
    assert any("partial extracts" in note for note in report.notes())


def test_publisher_mix_ups_are_listed_and_kept_out_of_body_fields_09HAVANA132_05SOFIA1280(
    corpus_dir: Path,
) -> None:
    havana = corpus_page(corpus_dir, "chillicoder-cablegate", "09HAVANA132")  # body: MOSCOW 000512
    sofia = corpus_page(corpus_dir, "gabrielduque-wikileaks-mirror-jp", "05SOFIA1280")  # body: PARIS 005539, undated
    report = check_documents([havana, sofia])
    assert [(m.published_id, m.banner, m.canonical_id) for m in report.mixups] == [
        ("09HAVANA132", "MOSCOW 000512", "09MOSCOW512"),
        ("05SOFIA1280", "PARIS 005539", None),
    ]
    # The reference id taken from the other cable's banner stays a disagreement.
    assert [(d.source, d.field) for d in report.disagreements] == [(havana.label, "reference_id")]
    excluded = {(a.source, a.field) for a in report.allowances if a.reason == MIXUP}
    assert {field for source, field in excluded if source == havana.label} == {"classification", "subject", "tags"}
    # Sofia's page has no routing header: its origin too comes from the Paris banner.
    assert {field for source, field in excluded if source == sofia.label} == {
        "classification",
        "origin",
        "subject",
        "tags",
    }
    assert report.score("date").agreed == 1  # Havana's header is its own


@pytest.mark.parametrize(
    ("mirror", "reference_id", "agrees", "reason"),
    [
        # banner SECRET, paragraphs 6-7 marked (S/NF): the publisher counts the portion marks
        ("gabrielduque-wikileaks-mirror-jp", "08ASUNCION358", True, "adds the NOFORN of the portion marks"),
        # NOFORN printed under the banner, dropped by the publisher
        ("chillicoder-cablegate", "09MEXICO3061", True, "drops the NOFORN printed under the banner"),
        # the publisher says CONFIDENTIAL//NOFORN, the text carries no NOFORN anywhere
        ("chillicoder-cablegate", "05LONDON4981", False, None),
    ],
)
def test_noforn_the_publisher_added_or_dropped(
    corpus_dir: Path, mirror: str, reference_id: str, agrees: bool, reason: str | None
) -> None:
    page = corpus_page(corpus_dir, mirror, reference_id)
    (comparison,) = [
        c for c in compare(parse(replace(page, metadata=None)), page.metadata) if c.field == "classification"
    ]
    assert comparison.agrees is agrees
    if reason:
        assert reason in (comparison.allowance or "")
    else:
        assert comparison.allowance is None


def test_an_empty_published_subject_is_not_compared_when_the_telegram_labels_one_04THEHAGUE281(
    corpus_dir: Path,
) -> None:
    page = corpus_page(corpus_dir, "avilaroman-Wikileaks-Mirror", "04THEHAGUE281")
    assert page.metadata is not None and page.metadata.subject == ""
    parsed = parse(replace(page, metadata=None))
    (subject,) = [c for c in compare(parsed, page.metadata) if c.field == "subject"]
    assert subject.parsed == "DUTCH FM BOT'S VISIT TO THE U.S."
    assert subject.excluded and "labelled SUBJECT line" in subject.excluded
    # The same empty <h3> against a subject no SUBJECT line prints is a disagreement.
    invented = replace(parsed, subject="CLASSIFIED BY: Chris Stevens, CDA")
    (subject,) = [c for c in compare(invented, page.metadata) if c.field == "subject"]
    assert subject.excluded is None and not subject.agrees
    # And the day of the record printed in its body is compared with the published day.
    (date,) = [c for c in compare(parsed, page.metadata) if c.field == "date"]
    assert (date.parsed, date.agrees) == ("2004-02-04", True)
