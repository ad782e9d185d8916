"""Generated documentation: the CLI reference (docs/cli.md) from each command's --help, and the
README's table of published forms from ``archive check`` on the shared data, by cog.

Regenerate with ``cog -r docs/cli.md README.md``; the tests fail when either is out of date
(the README's table only where ../shared is present).
"""

from __future__ import annotations

import io
from pathlib import Path

import click
from click.testing import CliRunner

# What the README's table of forms measures, under the shared data folder (../shared): the
# Cablegate corpus, the FRUS samples and the scanned telegram pages (their hand-read gold left out).
FORM_SAMPLES = (
    "corpus",
    "corpus-forms/frus-tei",
    "corpus-forms/frus-text",
    "corpus-forms/ocr-telegrams/state-telegrams/*.md",
)


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


def forms_table(shared: Path) -> str:
    """Markdown: ``archive check`` per source format over ``FORM_SAMPLES`` under ``shared``."""
    from archive.check import COVERAGE_FIELDS, check_paths
    from archive.output import print_rows

    paths = [str(path) for pattern in FORM_SAMPLES for path in sorted(shared.glob(pattern))]
    rows = [
        {
            "form": row["format"],
            "inputs": row["inputs"],
            "cables": row["measured"],
            "skipped": row["skipped"],
            "rejected": row["rejected"],
            "measure": row["measure"],
            **{field: row[field] for field in COVERAGE_FIELDS},
        }
        for row in check_paths(paths).format_rows()
        if row["measure"] is not None  # inputs that are no cable at all (notes beside the data)
    ]
    out = io.StringIO()
    print_rows(rows, "markdown", stream=out)
    return out.getvalue()
