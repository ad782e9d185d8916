"""The README's command reference is generated from --help (cog) and must be current."""

from __future__ import annotations

import re
from pathlib import Path

from cogapp import Cog

from archive.docs import command_names

README = Path(__file__).resolve().parents[1] / "README.md"


def test_cli_reference_in_readme_is_current() -> None:
    cog = Cog()
    cog.options.bReplace = False
    status = cog.main(["cog", "--check", str(README)])
    assert status == 0, "README.md is out of date: run `cog -r README.md`"


def test_every_command_is_documented_with_an_example() -> None:
    readme = README.read_text()
    for name in command_names():
        section = re.search(rf"^### archive {re.escape(name)}\n\n```\n(.*?)```", readme, re.S | re.M)
        assert section, f"archive {name} is not in the README"
        assert "Example:" in section.group(1), f"archive {name} --help has no example"


def test_readme_names_exactly_two_setup_commands() -> None:
    readme = README.read_text()
    assert readme.count("<!-- main-command -->") == 1
    assert readme.count("<!-- test-command -->") == 1
