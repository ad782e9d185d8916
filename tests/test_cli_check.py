"""archive check: agreement per field and the disagreements, as a table, CSV or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.check import COVERAGE_FIELDS, FIELDS
from archive.cli import cli


def test_check_examples_as_json(examples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(examples_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # 29 pages, 6 dump records and the web-page text of seed 000 carry publisher metadata.
    assert report["compared"] == 36
    assert report["without_metadata"] == 9  # the scan seed, five .txt, three PDFs
    assert [row["field"] for row in report["scores"]] == list(FIELDS)
    for row in report["scores"]:
        assert 0 <= row["agreed"] <= row["compared"]
    # Two partial extracts (00HARARE5461, 03COLOMBO2200) have no date in their text.
    assert report["undated_extracts"] == 2
    scores = {row["field"]: row for row in report["scores"]}
    assert scores["date"]["text_gives_it"] == scores["date"]["compared"] - 2
    assert scores["subject"]["text_gives_it"] == scores["subject"]["compared"]
    assert any("partial extracts" in note for note in report["notes"])
    # The site printed no subject for 7575LIBREVILLE1895, whose telegram labels one: not compared.
    allowances = {(Path(row["source"]).name, row["field"]): row["reason"] for row in report["allowances"]}
    assert "labelled SUBJECT line" in allowances[("7575LIBREVILLE1895.html", "subject")]
    assert ("7575LIBREVILLE1895.html", "subject") not in {
        (Path(row["source"]).name, row["field"]) for row in report["disagreements"]
    }
    # The same scores per source format.
    formats = {row["format"]: row for row in report["formats"]}
    counts = {name: (row["inputs"], row["rejected"], row["measured"], row["measure"]) for name, row in formats.items()}
    assert counts == {
        "csv": (6, 0, 6, "agreement"),
        "html": (29, 0, 29, "agreement"),
        "pdf": (3, 0, 3, "coverage"),  # no publisher metadata: the share of them giving each field
        "scan": (1, 0, 1, "coverage"),
        "text": (5, 0, 5, "coverage"),
        "webtext": (1, 0, 1, "agreement"),
    }
    assert formats["text"]["coverage"] == dict.fromkeys(COVERAGE_FIELDS, 5)  # TO and signer too
    html_scores = {row["field"]: row for row in formats["html"]["scores"]}
    csv_scores = {row["field"]: row for row in formats["csv"]["scores"]}
    assert html_scores["date"]["compared"] + csv_scores["date"]["compared"] + 1 == scores["date"]["compared"]


def test_check_reports_each_source_format(tmp_path: Path) -> None:
    exports = Path(__file__).parent / "sources" / "data"
    (tmp_path / "notes.txt").write_text("Bring the tomatoes in before the frost.\n")
    result = CliRunner().invoke(cli, ["check", str(exports), str(tmp_path / "notes.txt"), "--format", "json"])
    assert result.exit_code == 1  # the notes are no cable
    formats = {row["format"]: row for row in json.loads(result.stdout)["formats"]}
    assert {
        name: (row["inputs"], row["rejected"], row["measured"], row["measure"]) for name, row in formats.items()
    } == {
        "json": (7, 0, 7, "agreement"),
        "unknown": (1, 1, 0, None),
    }
    scores = {row["field"]: row for row in formats["json"]["scores"]}
    # The exports' ids are shifted (not compared); their text gives no date; origin and level agree.
    assert (scores["reference_id"]["compared"], scores["date"]["text_gives_it"]) == (0, 0)
    assert (scores["origin"]["agreed"], scores["classification"]["agreed"]) == (7, 7)


def test_check_prints_scores_then_allowances_as_csv(examples_dir: Path) -> None:
    page = examples_dir / "cables/MarkChips-cablegate-search-app/test-set/1975/11/7575LIBREVILLE1895.html"
    result = CliRunner().invoke(cli, ["check", str(page), "--format", "csv"])
    assert result.exit_code == 0, result.output
    scores, formats, allowances = result.stdout.strip().split("\n\n")
    assert formats.splitlines() == [
        "format,inputs,rejected,skipped,measured,measure,reference_id,date,classification,origin,subject,tags,to,signer",
        "html,1,0,0,1,agreement,100.0,100.0,100.0,100.0,,100.0,,",  # no TO or signer to agree with
    ]
    assert scores.splitlines()[0] == "field,compared,text_gives_it,agreed,agreement_pct,coverage_pct,overall_pct"
    assert "subject,0,0,0,,," in scores.splitlines()  # the site shows no subject: not compared
    assert "reference_id,1,1,1,100.0,100.0,100.0" in scores.splitlines()
    assert allowances.splitlines()[0] == "source,field,parsed,published,reason"
    assert allowances.splitlines()[1].startswith(f"{page},subject,KOREA AT 30TH UNGA: GABON,,the site shows no subject")


def test_check_table_ends_with_the_footnotes_and_lists_disagreements(examples_dir: Path, tmp_path: Path) -> None:
    page = examples_dir / "cables/avilaroman-Wikileaks-Mirror/cable/2003/12/03COLOMBO2200.html"
    wrong_origin = tmp_path / "03COLOMBO2200.html"
    wrong_origin.write_bytes(page.read_bytes().replace(b">Embassy Colombo<", b">Embassy Chennai<"))
    result = CliRunner().invoke(cli, ["check", str(wrong_origin), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "* 1 of the 1 inputs are partial extracts" in result.stdout
    assert "Disagreements" in result.stdout and "Embassy Chennai" in result.stdout


def test_check_reports_unreadable_inputs_and_fails(examples_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Bring the tomatoes in before the frost.\n")
    seed = examples_dir / "000_cfe706be70c9082a.txt"
    result = CliRunner().invoke(cli, ["check", str(seed), str(tmp_path / "notes.txt")])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'notes.txt'}: unrelated text" in result.stderr
    assert "Agreement over 1 cables" in result.stdout


def test_check_refuses_an_unknown_input_format(examples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(examples_dir), "--input-format", "docx"])
    assert result.exit_code == 1
    assert "unknown input format 'docx'" in result.stderr


def test_check_markdown_for_the_readme(examples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(examples_dir), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "| field | compared | text_gives_it | agreed | agreement_pct | coverage_pct | overall_pct |"
    assert lines[2].startswith("| reference_id | 36 | 34 | 34 | 100.0 |")
    assert any(line.startswith("* 2 of the 36 inputs are partial extracts") for line in lines)
    assert "Not compared, or publisher noise allowed for:" in lines


def test_check_measures_each_frus_form_by_what_its_apparatus_gives() -> None:
    frus = Path(__file__).parent / "data" / "frus"
    result = CliRunner().invoke(cli, ["check", str(frus), "--format", "csv"])
    assert result.exit_code == 0, result.output
    formats = result.stdout.strip().split("\n\n")[1].splitlines()
    assert formats == [
        "format,inputs,rejected,skipped,measured,measure,reference_id,date,classification,origin,subject,tags,to,signer",
        # 4 telegrams and 2 other documents of frus1955-57v25, 1 telegram (with a Subject) and 2 other
        # documents of frus1981-88v03, the two volume roots; no TAGS in FRUS: not measured. TO and
        # signer: coverage beside the others (one text-edition telegram prints no signer).
        "frus-tei,11,0,6,5,coverage,100.0,100.0,100.0,100.0,20.0,,100.0,100.0",
        "frus-text,8,0,2,6,coverage,100.0,100.0,100.0,100.0,0.0,,100.0,83.33",
    ]
