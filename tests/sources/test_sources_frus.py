"""FRUS readers (TEI XML and the text edition) and the FRUS parser, on real documents.

``tests/data/frus`` holds documents copied byte for byte from ``../shared/corpus-forms``
(``frus-tei/``: document divs and volume roots; ``frus-text/``: two cuts of the text edition of
frus1961-63v05 at document headings, documents 8–12 and 193–195). The tests over all the
shared samples are skipped when ``../shared`` is absent.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Cable, Document, Rejection, Skipped
from archive.parse import parse
from archive.parse.frus import Opening, is_telegram_title, lift_redactions, parse_opening, strip_note_marks
from archive.parse.frus_posts import addressee_posts, repeated_posts, sender_post
from archive.sources import detect_format, read_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "frus"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-forms"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent")


def items(*paths: Path) -> list[Document | Rejection | Skipped]:
    return list(read_paths([str(path) for path in paths]))


def cables(*paths: Path) -> dict[str, Cable]:
    """The cables of every telegram under ``paths``, by reference id."""
    return {cable.reference_id or "": cable for cable in map(parse, _documents(items(*paths)))}


def _documents(found: list[Document | Rejection | Skipped]) -> list[Document]:
    return [item for item in found if isinstance(item, Document)]


def recipients(cable: Cable, role: str) -> list[str]:
    return [r.name for r in cable.recipients if r.role == role]


def test_tei_fragments_bind_the_namespaces_of_the_root_beside_them() -> None:
    found = items(DATA / "tei")
    telegrams = _documents(found)
    skipped = [item for item in found if isinstance(item, Skipped)]
    assert not [item for item in found if isinstance(item, Rejection)]
    assert [Path(d.name).name for d in telegrams] == [
        "frus1955-57v25-d113.xml",
        "frus1955-57v25-d114.xml",
        "frus1955-57v25-d130.xml",
        "frus1955-57v25-d143.xml",
        "frus1981-88v03-d175.xml",
    ]
    assert {Path(s.name).name: s.reason for s in skipped if "root" not in s.name} == {
        "frus1955-57v25-d119.xml": "not a telegram: Memorandum of a Conversation",
        "frus1955-57v25-d149.xml": "not a telegram: Editorial Note",
        "frus1981-88v03-d6.xml": "not a telegram: Memorandum",
        "frus1981-88v03-d7.xml": "not a telegram: Editorial Note",
    }
    assert all(d.format == "frus-tei" and d.raw == Path(d.name).read_bytes() for d in telegrams)
    assert telegrams[0].metadata is not None and telegrams[0].metadata.apparatus == {
        "volume": "frus1955-57v25",
        "document": "113",
        "when": "1956-10-25T19:29:00-04:00",
    }


def test_tei_telegram_from_the_department_1956() -> None:
    cable = parse(_documents(items(DATA / "tei" / "frus1955-57v25-d113.xml"))[0])
    assert cable.reference_id == cable.canonical_id == "56STATE2981"
    assert cable.created == datetime(1956, 10, 25, tzinfo=UTC)  # local time, no zone printed: the local date
    assert any("local time 19:29" in warning for warning in cable.warnings)
    assert (cable.level, cable.precedence, cable.caveats) == ("CONFIDENTIAL", "PRIORITY", ())
    assert (cable.origin, cable.station, cable.signers) == ("Secretary of State", "SECSTATE WASHDC", ("Dulles",))
    # TO from the heading and "Sent also to …"; INFO from "repeated to USUN".
    assert recipients(cable, "TO") == [
        "AMEMBASSY LONDON",
        "AMEMBASSY CANBERRA",
        "AMEMBASSY NEW DELHI",
        "AMEMBASSY PRETORIA",
        "AMEMBASSY WELLINGTON",
        "AMEMBASSY OTTAWA",
        "AMEMBASSY BELGRADE",
        "AMEMBASSY PARIS",
    ]
    assert recipients(cable, "INFO") == ["USMISSION USUN NEW YORK"]
    apparatus = cable.metadata.apparatus if cable.metadata else None
    assert apparatus is not None
    assert apparatus["central_files"] == ["764.00/10-2556"]
    assert apparatus["drafted_by"] == "Walmsley" and apparatus["approved_by"] == "Dulles"
    assert [note["n"] for note in apparatus["footnotes"]] == ["2", "3"]
    # Footnotes are lifted out of the paragraphs; the page break between paragraphs leaves no trace.
    texts = [p.text for p in cable.paragraphs]
    assert texts[1].startswith("Proposed letter would be addressed to President of Security Council and in general")
    assert texts[3].startswith("For Belgrade only: Left to your discretion whether and how to approach Yugoslav")
    assert "(See Deptel 313.) It is recognized Yugoslav Government" in texts[3]
    assert not any("Cornut-Gentille" in text or "Telegram 313 to Belgrade" in text for text in texts)
    assert texts[0].startswith("You are requested to consult immediately")  # the number is not paragraph text


def test_tei_legation_niact_and_circular() -> None:
    found = cables(DATA / "tei")
    budapest = found["56BUDAPEST171"]
    assert (budapest.origin, budapest.station) == ("Legation Budapest", "AMLEGATION BUDAPEST")
    assert (budapest.level, budapest.precedence) == ("CONFIDENTIAL", "NIACT IMMEDIATE")
    assert recipients(budapest, "TO") == ["SECSTATE WASHDC"] and budapest.signers == ("Barnes",)
    warsaw = found["56WARSAW537"]
    assert (warsaw.level, warsaw.precedence, warsaw.caveats) == ("CONFIDENTIAL", "NIACT IMMEDIATE", ("LIMDIS",))
    assert warsaw.origin == "Embassy Warsaw" and warsaw.created == datetime(1956, 10, 26, tzinfo=UTC)
    circular = found["56STATE332"]
    assert recipients(circular, "TO") == ["ALL DIPLOMATIC MISSIONS"]
    assert (circular.level, circular.signers) == ("SECRET", ("Dulles",))


def test_tei_1982_telegram_gmt_subject_portion_mark_and_split_words() -> None:
    cable = cables(DATA / "tei")["82STATE143520"]
    assert cable.created == datetime(1982, 5, 25, 23, 27, tzinfo=UTC)  # 2327Z: UTC
    assert not any("local" in warning for warning in cable.warnings)
    assert cable.subject == "Soviet Charge’s May 25 Call on Deputy Secretary Stoessel"
    assert (cable.level, cable.precedence, cable.caveats) == ("SECRET", "IMMEDIATE", ("NODIS",))
    assert recipients(cable, "TO") == ["AMEMBASSY MOSCOW"] and cable.signers == ("Haig",)
    first = cable.paragraphs[0]
    assert (first.number, first.marking, first.level, first.text) == (1, "S—Entire text", "SECRET", "")
    text = "\n".join(p.text for p in cable.paragraphs)
    # Page breaks inside words ("under<pb/>stood", "con<pb/>cerning") leave the word whole.
    assert "It must be understood" in text and "concerning" in text
    assert "See Document 168." not in text and "See the attachment to Document 171" not in text
    assert cable.metadata is not None and cable.metadata.apparatus is not None
    assert cable.metadata.apparatus["footnotes"][0] == {"n": "2", "text": "See Document 168."}


def test_a_fragment_alone_gets_the_standard_namespaces(tmp_path: Path) -> None:
    alone = tmp_path / "d114.xml"
    shutil.copy(DATA / "tei" / "frus1955-57v25-d114.xml", alone)
    assert detect_format(alone.read_bytes()) == "frus-tei"
    (cable,) = cables(alone).values()
    assert cable.reference_id == "56WARSAW537"
    assert cable.metadata is not None and cable.metadata.apparatus is not None
    assert cable.metadata.apparatus["document"] == "114" and "volume" not in cable.metadata.apparatus


def test_text_edition_documents_8_to_12() -> None:
    path = DATA / "text" / "frus1961-63v05-d8-d12.txt"
    assert detect_format(path.read_bytes()[:65536]) == "frus-text"
    found = items(path)
    assert [(type(item).__name__, item.location) for item in found] == [
        ("Skipped", "document 8"),
        ("Document", "document 9"),
        ("Document", "document 10"),
        ("Document", "document 11"),
        ("Document", "document 12"),
    ]
    assert isinstance(found[0], Skipped) and found[0].reason == "not a telegram: Current Intelligence Weekly Review"
    assert b"".join(item.raw for item in found) == path.read_bytes()
    parsed = cables(path)
    assert sorted(parsed) == ["61MOSCOW1706", "61MOSCOW1707", "61STATE1180", "61STATE1181"]
    d9 = parsed["61MOSCOW1706"]
    assert d9.created == datetime(1961, 1, 21, tzinfo=UTC)
    assert (d9.level, d9.precedence, d9.origin, d9.signers) == (
        "CONFIDENTIAL",
        "PRIORITY",
        "Embassy Moscow",
        ("Thompson",),
    )
    assert recipients(d9, "TO") == ["SECSTATE WASHDC"]
    assert d9.paragraphs[0].text.startswith("Eyes only Secretary. Following is aide-memoire")
    assert d9.paragraphs[-1].text == "End text."
    assert d9.metadata is not None and d9.metadata.apparatus is not None
    assert d9.metadata.apparatus["central_files"] == ["761.5411/1-2161"]
    assert d9.metadata.apparatus["volume"] == "frus1961-63v05"
    d11 = parsed["61STATE1180"]
    assert (d11.level, d11.precedence, d11.signers) == ("SECRET", "NIACT IMMEDIATE", ("Rusk",))
    assert recipients(d11, "TO") == ["AMEMBASSY MOSCOW"]
    # The footnote marks glued to words are lifted ("Aide-Memoire1 for", "Jan 25.2 Arrangements").
    assert d11.paragraphs[0].text.startswith(
        "Eyes only for Ambassador. Immediately following telegram contains text of Aide-Memoire for delivery"
    )
    assert "scheduled for 6 pm Jan 25. Arrangements" in d11.paragraphs[0].text
    assert d11.metadata is not None and d11.metadata.apparatus is not None
    assert d11.metadata.apparatus["footnotes"][0] == {"n": "1", "text": "Document 12."}
    assert d11.metadata.apparatus["drafted_by"] == "Kohler on January 23"


def test_text_edition_unsigned_telegram_and_editorial_note() -> None:
    found = items(DATA / "text" / "frus1961-63v05-d193-d195.txt")
    assert [(type(item).__name__, item.location) for item in found] == [
        ("Document", "document 193"),
        ("Skipped", "document 194"),
        ("Document", "document 195"),
    ]
    d193, d195 = (parse(item) for item in _documents(found))
    assert d193.reference_id == "62STATE2571" and d193.signers == ()  # "Source text not signed."
    assert (d193.level, d193.precedence) == ("CONFIDENTIAL", "NIACT IMMEDIATE")
    assert d195.reference_id == "62MOSCOW2935" and d195.signers == ("Thompson",)
    assert (d195.level, d195.precedence, d195.caveats) == ("SECRET", "PRIORITY", ("LIMDIS",))


def test_glued_footnote_marks_are_lifted_in_order_only_after_words() -> None:
    lines = ["Embtel 1958.1 Following are highlights", "on 14 January1 probably", "January 141 was", "Athens2 and U-2."]
    assert strip_note_marks(lines, ["1", "2"]) == [
        "Embtel 1958. Following are highlights",
        "on 14 January1 probably",  # mark 1 is used up
        "January 141 was",
        "Athens and U-2.",
    ]


@needs_shared
def test_every_shared_tei_sample() -> None:
    found = items(SHARED / "frus-tei")
    telegrams = _documents(found)
    skipped = [item for item in found if isinstance(item, Skipped)]
    rejected = [item for item in found if isinstance(item, Rejection)]
    assert len(telegrams) == 25
    assert len(skipped) == 9 + 4  # nine other documents, four volume roots
    assert [Path(r.name).name for r in rejected] == ["SOURCES.md"]
    parsed = [parse(document) for document in telegrams]
    assert all(cable.canonical_id and cable.created and cable.origin and cable.signers for cable in parsed)
    assert all(
        cable.metadata and cable.metadata.apparatus and cable.metadata.apparatus.get("source_note") for cable in parsed
    )
    for cable in parsed:
        notes = (
            [note["text"] for note in cable.metadata.apparatus.get("footnotes", [])]
            if cable.metadata and cable.metadata.apparatus
            else []
        )
        for paragraph in cable.paragraphs:
            assert not any(note in paragraph.text for note in notes if len(note) > 20), cable.reference_id


@needs_shared
def test_the_shared_text_edition_half_volume() -> None:
    found = items(SHARED / "frus-text")
    telegrams = _documents(found)
    assert len(telegrams) == 36
    assert len([item for item in found if isinstance(item, Skipped)]) == 195 - 36
    parsed = [parse(document) for document in telegrams]
    assert len({cable.canonical_id for cable in parsed}) == 36
    assert sum(bool(cable.signers) for cable in parsed) == 35  # document 193 is not signed
    assert all(cable.level in ("CONFIDENTIAL", "SECRET", "TOP SECRET") for cable in parsed)
    belgrade = next(cable for cable in parsed if cable.reference_id == "61BELGRADE66")
    assert recipients(belgrade, "TO") == [
        "SECSTATE WASHDC"
    ]  # "at Paris" is the Secretary; "sent also to the Department"
    london = next(cable for cable in parsed if cable.reference_id == "62MOSCOW2848")
    assert recipients(london, "INFO") == ["AMEMBASSY LONDON", "AMEMBASSY PARIS", "AMEMBASSY BONN", "AMEMBASSY ATHENS"]


def test_the_telegram_number_series_and_subject_opening_the_text() -> None:
    assert parse_opening("1706. Eyes only Secretary.") == Opening(None, "1706", None, "Eyes only Secretary.")
    assert parse_opening("Secto 3. Following for the President.").series == "Secto"
    assert parse_opening("Niact 2203. Eyes only.") == Opening(
        None, "2203", None, "Eyes only."
    )  # a precedence, no series
    assert parse_opening("010865. Subject: US Reply to Soviet statement.") == Opening(
        None, "010865", "US Reply to Soviet statement", ""
    )
    assert parse_opening("October 3. Meeting").number is None


def test_post_names_of_headings_and_source_notes() -> None:
    def station(phrase: str, year: int = 1961) -> str | None:
        post = sender_post(phrase, year)
        return post.station if post else None

    assert station("the Embassy in the Soviet Union") == "MOSCOW"
    assert station("the Department of State") == "STATE"
    assert station("the Mission at the United Nations") == "USUN NEW YORK"
    assert station("the Consulate General at Munich") == "MUNICH"
    assert (
        station("the Embassy in Pakistan", 1961) == "KARACHI"
        and station("the Embassy in Pakistan", 1975) == "ISLAMABAD"
    )
    assert station("the Ambassador to Vietnam (Bunker)", 1968) == "SAIGON"
    commander = sender_post("the Commander in Chief, Pacific (Sharp)", 1965)
    assert commander is not None and commander.at("Honolulu").origin == "Commander in Chief, Pacific (Sharp)"
    assert [p.address for p in addressee_posts("the Embassies in France and the United Kingdom", 1961)] == [
        "AMEMBASSY PARIS",
        "AMEMBASSY LONDON",
    ]
    assert [p.address for p in repeated_posts("London, Paris, and Bonn, and to Athens for Secretary Rusk", 1962)] == [
        "AMEMBASSY LONDON",
        "AMEMBASSY PARIS",
        "AMEMBASSY BONN",
        "AMEMBASSY ATHENS",
    ]


def test_which_titles_are_telegrams() -> None:
    assert is_telegram_title("Circular Telegram From the Department of State to All Diplomatic Missions")
    assert is_telegram_title("Backchannel Message From the Ambassador to Vietnam (Bunker) to the President")
    assert not is_telegram_title("Memorandum of a Telephone Conversation Between the President and the Secretary")
    assert not is_telegram_title("Intelligence Information Cable")  # a CIA report
    assert not is_telegram_title("Airgram From the Embassy in the Soviet Union to the Department of State")


def test_redaction_markers_leave_the_paragraphs_and_are_kept_with_their_place(tmp_path: Path) -> None:
    # The one shared document with inline redactions is a memorandum; read as if it were a telegram.
    shutil.copy(DATA / "tei" / "frus1981-88v03-root.xml", tmp_path)
    memorandum = (DATA / "tei" / "frus1981-88v03-d6.xml").read_bytes()
    (tmp_path / "frus1981-88v03-d6.xml").write_bytes(memorandum.replace(b"6. Memorandum From", b"6. Telegram From"))
    (cable,) = cables(tmp_path).values()
    assert not any("declassified" in p.text for p in cable.paragraphs)  # the editor's markers, not the telegram's
    [(position, text)] = [(i, p.text) for i, p in enumerate(cable.paragraphs, start=1) if "Bessmertnykh" in p.text]
    assert "Relations with U.S.: Aleksandr Bessmertnykh," in text and "told a source that Moscow" in text
    assert cable.metadata is not None and cable.metadata.apparatus is not None
    [redactions] = cable.metadata.apparatus["redactions"]
    assert (redactions["paragraph"], redactions["count"]) == (position, 2)
    assert [marker["printed"] for marker in redactions["markers"]] == [
        "[1 line not declassified]",
        "[less than 1 line not declassified]",
    ]
    # Each marker's place: where it stood in the paragraph's text.
    assert text[redactions["markers"][0]["at"] :].startswith("Aleksandr Bessmertnykh,")
    assert text[redactions["markers"][1]["at"] :].startswith("source that Moscow")
    assert "[1 line not declassified]" in cable.body  # the edition's text as printed keeps them
    assert cable.level == "SECRET" and cable.signers == ()


def test_a_marker_at_either_end_or_alone_leaves_no_trace_in_the_text() -> None:
    assert lift_redactions("[name not declassified] said so [less than 1 line not declassified]") == (
        "said so",
        [{"at": 0, "printed": "[name not declassified]"}, {"at": 7, "printed": "[less than 1 line not declassified]"}],
    )
    assert lift_redactions("[1 paragraph (5 lines) not declassified]")[0] == ""  # the paragraph goes whole


def test_a_telegram_without_a_printed_number_gets_a_provisional_id(tmp_path: Path) -> None:
    # d114 as printed, but for the number opening its text ("537. For Under Secretary Hoover.").
    shutil.copy(DATA / "tei" / "frus1955-57v25-root.xml", tmp_path)
    printed = (DATA / "tei" / "frus1955-57v25-d114.xml").read_bytes()
    assert b"<p>537. For Under Secretary" in printed
    (tmp_path / "frus1955-57v25-d114.xml").write_bytes(printed.replace(b"<p>537. ", b"<p>"))
    (cable,) = cables(tmp_path).values()
    assert cable.reference_id is not None and cable.reference_id.startswith("PROVISIONAL-WARSAW-H")
    assert cable.canonical_id is None
    assert (
        f"no telegram number printed: the cable is kept under the provisional id {cable.reference_id}" in cable.warnings
    )
    assert cable.metadata is not None and cable.metadata.apparatus is not None
    assert cable.metadata.apparatus["document_id"] == "frus1955-57v25d114"
    assert (cable.origin, cable.level, cable.created) == (
        "Embassy Warsaw",
        "CONFIDENTIAL",
        datetime(1956, 10, 26, tzinfo=UTC),
    )
