"""The README: its two set-up commands for .ci/run, a length read in two minutes, links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cogapp import Cog

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"
SHARED = REPO_ROOT.parent / "shared"  # the table of forms measures the shared data
# The first screen (about 30 lines) and at most about 150 of what a user needs; the reference,
# guides and measurements live in docs/.
MOST_LINES = 180


def test_readme_names_exactly_two_setup_commands() -> None:
    readme = README.read_text()
    assert readme.count("<!-- main-command -->") == 1
    assert readme.count("<!-- test-command -->") == 1


def test_readme_is_short() -> None:
    assert len(README.read_text().splitlines()) <= MOST_LINES


def test_every_document_in_docs_is_linked_from_the_readme_and_every_link_leads_to_a_file() -> None:
    links = set(re.findall(r"\]\(([^)#]+\.md)\)", README.read_text()))
    assert [link for link in sorted(links) if not (REPO_ROOT / link).is_file()] == []
    unlinked = {f"docs/{path.name}" for path in (REPO_ROOT / "docs").glob("*.md")} - links
    assert not unlinked, f"add a line for each to the README's Documentation list: {sorted(unlinked)}"


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent")
def test_the_table_of_forms_is_what_archive_check_measures() -> None:
    cog = Cog()
    cog.options.bReplace = False
    status = cog.main(["cog", "--check", str(README)])
    assert status == 0, "README.md's table of forms is out of date: run `.venv/bin/cog -r README.md`"
