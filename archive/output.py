"""Printing rows as a table, CSV, JSON or JSON lines: one place for every command that prints rows."""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, default=json_default, ensure_ascii=False, indent=indent)


def cell(value: Any) -> str:
    """A value as the text of one table or CSV cell: lists space-separated, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(cell(item) for item in value if item is not None)
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {cell(item)}" for key, item in value.items())
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def make_console(stream: IO[str] | None = None) -> Console:
    """A rich console on ``stream`` (stdout): 160 columns wide when not a terminal, no automatic colouring."""
    out = stream or sys.stdout
    return Console(file=out, width=None if out.isatty() else 160, highlight=False)


def print_rows(
    rows: Iterable[Mapping[str, Any]],
    output_format: str = "table",
    columns: Sequence[str] | None = None,
    title: str | None = None,
    stream: IO[str] | None = None,
) -> None:
    """Print ``rows`` (dicts with the same keys) in ``output_format``: table, csv, json, jsonl or markdown.

    Given ``columns``, every format but the table prints each row as it comes, so a long
    iterator of rows is never held in memory.
    """
    out = stream or sys.stdout
    if columns is None:
        rows = list(rows)
        columns = list(rows[0].keys() if rows else [])
    if output_format == "json":
        out.write("[")
        separator = "\n"
        for row in rows:
            out.write(separator + textwrap.indent(to_json({c: row.get(c) for c in columns}), "  "))
            separator = ",\n"
        out.write("]\n" if separator == "\n" else "\n]\n")
    elif output_format == "jsonl":
        for row in rows:
            out.write(to_json({c: row.get(c) for c in columns}, indent=None) + "\n")
    elif output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(row.get(c)) for c in columns] for row in rows)
    elif output_format == "markdown":
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for row in rows:
            cells = (cell(row.get(c)).replace("|", "\\|").replace("\n", " ") for c in columns)
            out.write("| " + " | ".join(cells) + " |\n")
    elif output_format == "table":
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            # Text(), not str: cable text like "[/b]" must not be read as rich markup.
            table.add_row(*(Text(cell(row.get(c))) for c in columns))
        make_console(out).print(table)
    else:
        raise ValueError(f"unknown output format {output_format!r}")
