"""Parser fixes found while measuring fidelity on the shared corpus; each test names the real cable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.cable import Cable, Document
from archive.parse import NO_YEAR, parse
from archive.sources import read_file


def parsed(corpus_dir: Path, relative: str) -> Cable:
    document = next(read_file(str(corpus_dir / relative)))
    assert isinstance(document, Document)
    return parse(document)


def parsed_text_alone(corpus_dir: Path, relative: str) -> Cable:
    document = next(read_file(str(corpus_dir / relative)))
    assert isinstance(document, Document)
    return parse(replace(document, metadata=None))


# --- undated partial extracts --------------------------------------------------------------------


def test_an_undated_extract_is_read_with_a_provisional_id_04ROME902(corpus_dir: Path) -> None:
    # "This record is a partial extract ..." / "C O N F I D E N T I A L  ROME 000902": no date-time
    # group and no date anywhere, so the year of the id is unknown; every other field is read.
    cable = parsed_text_alone(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2004/03/04ROME902.html")
    assert (cable.reference_id, cable.canonical_id, cable.created) == ("PROVISIONAL-ROME-902", None, None)
    assert NO_YEAR in cable.warnings
    assert cable.partial and cable.classification == "CONFIDENTIAL" and cable.origin == "Embassy Rome"
    assert cable.subject == "MUBARAK IN ITALY: GREATER MIDDLE EAST INITIATIVE AT CENTER OF DISCUSSIONS"
    assert [tag.code for tag in cable.tags] == ["EG", "IT", "PREL", "XE", "ITALIAN", "POLITICS"]
    assert cable.to_dict()["reference_id"] == "PROVISIONAL-ROME-902"


def test_the_publisher_gives_an_undated_extract_its_id_and_date_04ROME902(corpus_dir: Path) -> None:
    # The site's Created is "2004-03-08 14:02": the hour is right, the minutes before Aug 2011 are not.
    cable = parsed(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2004/03/04ROME902.html")
    assert (cable.reference_id, cable.canonical_id) == ("04ROME902", "04ROME902")
    assert cable.created == datetime(2004, 3, 8, 14, 0, tzinfo=UTC)
    assert "no date-time group in the text: creation time taken from the publisher, to the hour" in cable.warnings
    assert not any("unknown" in warning for warning in cable.warnings)  # the year and id are known now


# --- subjects wrapped over a blank line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "subject"),
    [
        # the spring-2011 page prints a blank line after every line; the Dec-2010 page does not
        (
            "avilaroman-Wikileaks-Mirror/cable/2007/10/07LONDON4045.html",
            "EUR SENIOR ADVISOR PANDITH AND S/P ADVISOR COHEN’S VISIT TO THE UK, OCTOBER 9-14, 2007",
        ),
        (
            "gabrielduque-wikileaks-mirror-jp/cable/2007/10/07LONDON4045.html",
            "EUR SENIOR ADVISOR PANDITH AND S/P ADVISOR COHEN’S VISIT TO THE UK, OCTOBER 9-14, 2007",
        ),
        (
            "avilaroman-Wikileaks-Mirror/cable/2009/04/09THEHAGUE247.html",
            "SCSL’S TAYLOR TRIAL MEETS KEY MILESTONE, BUT SCSL STILL FACES SERIOUS HURDLES",
        ),
        # "SUBJECT: ... DECEMBER 7 VISIT / (blank) / TO LONDON / (blank) / Classified By: ..."
        (
            "chillicoder-cablegate/cable/2007/12/07LONDON4472.html",
            "SCENESETTER FOR SECRETARY PETERS’ DECEMBER 7 VISIT TO LONDON",
        ),
        # a mixed-case subject goes on in mixed case, and its second line is no paragraph
        (
            "chillicoder-cablegate/cable/2009/03/09STATE30049.html",
            "Secretary Clinton’s March 24, 2009 Conversation with Australian Prime Minister Kevin Rudd",
        ),
    ],
)
def test_a_subject_goes_on_across_a_blank_line(corpus_dir: Path, relative: str, subject: str) -> None:
    cable = parsed(corpus_dir, relative)
    assert cable.subject == subject
    assert not any(paragraph.text.startswith(subject.split()[-2]) for paragraph in cable.paragraphs)


def test_a_subject_printed_again_is_not_its_second_line_09CAIRO2381(corpus_dir: Path) -> None:
    # "SUBJECT: AUSTR STRICKLER REASSURES GOE, BUSINESS ON QIZ / (blank) / AUSTR STRICKLER ... QIZ REF: ..."
    cable = parsed(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2009/12/09CAIRO2381.html")
    assert cable.subject == "AUSTR STRICKLER REASSURES GOE, BUSINESS ON QIZ"


def test_a_heading_after_the_subject_stays_out_of_it_09MADRID725(corpus_dir: Path) -> None:
    cable = parsed(corpus_dir, "gabrielduque-wikileaks-mirror-jp/cable/2009/07/09MADRID725.html")
    assert cable.subject == "CONTENTIOUS LABOR REFORM TALKS TROUBLE ZAPATERO"


# --- another cable glued into the body ----------------------------------------------------------


def test_a_2006_cable_glued_into_a_1973_page_is_left_out_73TEHRAN2077(corpus_dir: Path) -> None:
    # The page's text stops after "SUBJECT: AUDIENCE WITH SHAH APRIL 5 ..." and goes on with the
    # cables.csv record "50133  2006-01-19  06THEHAGUE131 ..." and that cable's text.
    cable = parsed(corpus_dir, "MarkChips-cablegate-search-app/test-set/1973/04/73TEHRAN2077.html")
    assert cable.canonical_id == "73TEHRAN2077"
    assert "SIPDIS" not in cable.caveats  # SIPDIS did not exist in 1973: it was the Hague cable's
    assert cable.signers == () and cable.paragraphs == ()
    assert "06THEHAGUE131" not in cable.body
    assert "the text of another cable (06THEHAGUE131) is glued into the body; it is left out of this cable" in (
        cable.warnings
    )


def test_the_record_above_a_glued_cable_is_left_out_too_09CAIRO189(corpus_dir: Path) -> None:
    # "... (phone) SCOBEY / 0 02/03/2009 511 AORC,CDG,... / NUCLEAR ... CONTACTS / 189949 2/2/2009 14:15 09CAIRO184 ..."
    cable = parsed(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2009/02/09CAIRO189.html")
    assert cable.signers == ("SCOBEY",)
    assert cable.paragraphs[-1].text.endswith("Deputy Assistant Minister for Disarmament Affairs, XXXXXXXXXXXX (phone)")
    assert any("(09CAIRO184) is glued into the body" in warning for warning in cable.warnings)


def test_a_record_of_the_same_cable_is_kept_04THEHAGUE281(corpus_dir: Path) -> None:
    # "13722 / 2004-02-04 / 04THEHAGUE281 / ..." opens a later full copy of the same cable.
    cable = parsed(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2004/02/04THEHAGUE281.html")
    assert not any("glued" in warning for warning in cable.warnings)
    assert cable.paragraphs and cable.paragraphs[0].text.startswith("I just spoke with Ben Bot")


# --- upper-case headings without dashes ---------------------------------------------------------


def test_an_upper_case_heading_is_not_the_end_of_the_paragraph_above_05BRASILIA1152(corpus_dir: Path) -> None:
    # "... has no testing planned now or in the future. / (blank) / GOB REACTIONS: / (blank) / 4. (C) ..."
    cable = parsed(corpus_dir, "gabrielduque-wikileaks-mirror-jp/cable/2005/04/05BRASILIA1152.html")
    third = next(paragraph for paragraph in cable.paragraphs if paragraph.number == 3)
    assert third.text.endswith("has no testing planned now or in the future.")
    assert not any("GOB REACTIONS" in paragraph.text for paragraph in cable.paragraphs)


def test_headings_between_paragraphs_05BRASILIA715(corpus_dir: Path) -> None:
    cable = parsed(corpus_dir, "avilaroman-Wikileaks-Mirror/cable/2005/03/05BRASILIA715.html")
    texts = [paragraph.text for paragraph in cable.paragraphs]
    for heading in ("BOLIVIA", "HAITI", "SOUTH AMERICA-ARAB SUMMIT", "FTAA"):
        assert not any(text.endswith(heading) for text in texts), heading


def test_a_comment_heading_opens_the_comment_09WARSAW170(corpus_dir: Path) -> None:
    cable = parsed(corpus_dir, "chillicoder-cablegate/cable/2009/02/09WARSAW170.html")
    assert not cable.paragraphs[-2].text.endswith("COMMENT")
    assert cable.paragraphs[-1].section == "COMMENT"


def test_the_signer_is_no_heading_09CARACAS26(corpus_dir: Path) -> None:
    # The last upper-case line after a blank is the signer: "... hold a certain appeal for Chavez. / (blank) / GENNATIEMPO".
    cable = parsed(corpus_dir, "chillicoder-cablegate/cable/2009/01/09CARACAS26.html")
    assert cable.signers == ("GENNATIEMPO",)
    assert cable.paragraphs[-1].text.endswith("hold a certain appeal for Chavez.")


def test_the_signer_above_six_lines_of_slashes_07MADRID2044(corpus_dir: Path) -> None:
    # "... articles on these new measures. / AGUIRRE / / / / / / /": the mirror's slashes are noise.
    cable = parsed(corpus_dir, "gabrielduque-wikileaks-mirror-jp/cable/2007/10/07MADRID2044.html")
    assert cable.signers == ("AGUIRRE",)
    assert cable.paragraphs[-1].text.endswith("articles on these new measures.")
