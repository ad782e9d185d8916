"""The CLI reference (docs/cli.md), generated from each command's --help by cog.

Regenerate with ``cog -r docs/cli.md``; the tests fail when it is out of date.
"""

from __future__ import annotations

import click
from click.testing import CliRunner


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    names: list[tuple[str, ...]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        names.append((*prefix, name))
        if isinstance(command, click.Group):
            names.extend(_commands(command, (*prefix, name)))
    return names


def command_names() -> list[str]:
    """Every command and sub-command, as typed after ``archive``: ["db", "db start", …]."""
    from archive.cli import cli

    return [" ".join(path) for path in _commands(cli)]


def cli_reference() -> str:
    """Markdown: one section per command with its --help text."""
    from archive.cli import cli

    runner = CliRunner()
    parts = []
    for path in _commands(cli):
        result = runner.invoke(cli, [*path, "--help"], terminal_width=88)
        if result.exit_code != 0:
            raise RuntimeError(f"archive {' '.join(path)} --help failed: {result.output}")
        help_text = result.output.replace("Usage: cli ", "Usage: archive ")
        parts.append(f"\n### archive {' '.join(path)}\n\n```\n{help_text.rstrip()}\n```\n")
    return "".join(parts)
