"""The command reference in docs/cli.md is generated from --help (cog) and must be current."""

from __future__ import annotations

import re
from pathlib import Path

from cogapp import Cog

from archive.docs import command_names

CLI_REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    cog = Cog()
    cog.options.bReplace = False
    status = cog.main(["cog", "--check", str(CLI_REFERENCE)])
    assert status == 0, "docs/cli.md is out of date: run `.venv/bin/cog -r docs/cli.md`"


def test_every_command_is_documented_with_an_example() -> None:
    reference = CLI_REFERENCE.read_text()
    for name in command_names():
        section = re.search(rf"^### archive {re.escape(name)}\n\n```\n(.*?)```", reference, re.S | re.M)
        assert section, f"archive {name} is not in docs/cli.md"
        assert "Example:" in section.group(1), f"archive {name} --help has no example"
