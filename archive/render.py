"""Printing query results for people (rich tables, highlighted snippets, coloured diffs) and programs (CSV, JSON)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from archive.output import cell, make_console, print_rows, to_json
from archive.query.readonly import QueryResult, StreamedResult
from archive.query.search import HIGHLIGHT, MATCH_TEXT, SearchHit

HIGHLIGHT_STYLE = "bold yellow"
DIFF_STYLES = {"+": "green", "-": "red", "@": "cyan"}


def highlighted(snippet: str, markers: tuple[str, str] = HIGHLIGHT) -> Text:
    """``snippet`` with the words between ``markers`` styled, and the markers themselves removed."""
    start, stop = markers
    text = Text()
    rest = snippet
    while (opening := rest.find(start)) >= 0 and (closing := rest.find(stop, opening + len(start))) >= 0:
        text.append(rest[:opening])
        text.append(rest[opening + len(start) : closing], style=HIGHLIGHT_STYLE)
        rest = rest[closing + len(stop) :]
    text.append(rest)
    return text


def print_result(result: QueryResult | StreamedResult, output_format: str, stream: IO[str] | None = None) -> None:
    print_rows(result.rows, output_format, result.columns, stream=stream)


def print_hits(hits: Sequence[SearchHit], output_format: str, stream: IO[str] | None = None) -> None:
    """Search results: a table with highlighted subject, snippet and paragraph hits, or flat rows."""
    if output_format != "table":
        rows = [hit.to_dict() for hit in hits]
        if output_format == "csv":  # one line per cable: its paragraph hits joined
            for row, hit in zip(rows, hits, strict=True):
                row["paragraphs"] = " | ".join(f"{p.label}: {p.snippet}" for p in hit.paragraphs)
        print_rows(rows, output_format, stream=stream)
        return
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("cable", no_wrap=True)
    table.add_column("subject, snippet and matching paragraphs", overflow="fold")
    for number, hit in enumerate(hits, 1):
        row = hit.to_dict()
        cable = Text(f"{row['reference_id']}\n", style="bold")
        cable.append(f"{row['created']:%Y-%m-%d}\n" if row["created"] else "date unknown\n")
        cable.append(f"{row['classification']}\n{row['origin'] or ''}")
        parts: list[Text] = [Text.assemble(highlighted(hit.subject or "(no subject)"), style="bold")]
        if hit.match != MATCH_TEXT:
            parts.append(Text(f"(no word matched; the subject is spelt similarly, score {hit.score:.2f})", style="dim"))
        else:
            parts.append(highlighted(hit.snippet))
        for paragraph in hit.paragraphs:
            parts.append(Text.assemble((f"{paragraph.label} ", "cyan"), highlighted(paragraph.snippet)))
        table.add_row(str(number), cable, Group(*parts))
    console = make_console(stream)
    if hits:
        console.print(table)
    else:
        console.print("no cable matches")


def print_cable(record: dict[str, Any], output_format: str, stream: IO[str] | None = None) -> None:
    """One cable's record: sections for people, field/value rows for CSV, the whole record as JSON."""
    if output_format == "json":
        (stream or sys.stdout).write(to_json(record) + "\n")
        return
    if output_format == "csv":
        print_rows(_field_rows(record), "csv", ["field", "value"], stream=stream)
        return
    console = make_console(stream)
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column(overflow="fold")
    for key, value in record.items():
        listed = ("caveats", "reasons", "signers", "tags", "warnings")
        shown = cell(value) if not isinstance(value, list) or key in listed else ""
        if key == "warnings":
            shown = "\n".join(value)
        if shown:  # empty fields are left out here; CSV and JSON keep every one
            fields.add_row(key, Text(shown))
    console.print(fields)
    _print_editions(console, record["editions"])
    tables = ("recipients", "references")
    for title, rows in ((title, record[title]) for title in tables):
        if rows:
            table = Table(title=title, title_justify="left")
            for column in rows[0]:
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(*(Text(cell(value)) for value in row.values()))
            console.print(table)
    for paragraph in record["paragraphs"]:
        label = f"¶{paragraph['number']}" if paragraph["number"] is not None else "¶"
        marking = f" ({paragraph['marking']})" if paragraph["marking"] else ""
        console.print(Text.assemble((label + marking, "bold cyan"), " ", paragraph["text"]))


def _print_editions(console: Console, editions: list[dict[str, Any]]) -> None:
    """One line per edition, ``*`` marking the one the cable's fields come from; a lone edition on one line
    with no heading and none of its fields (they are the cable's, above)."""
    if len(editions) == 1:
        edition = editions[0]
        console.print(
            Text.assemble(("edition  ", "bold"), f"{edition['form']}  " + " · ".join(_edition_parts(edition)[:2]))
        )
        return
    if editions:
        console.print(Text("editions (* gives the cable's fields)", style="bold"))
    for edition in editions:
        mark = "*" if edition["fields"] == "cable's" else " "
        console.print(Text(f"{mark} {edition['form']:<9}  " + " · ".join(_edition_parts(edition))))


def _edition_parts(edition: dict[str, Any]) -> list[str]:
    """The edition's input (and FRUS document), versions, then the fields it gives."""
    source = edition["source"] + (f" ({edition['document']})" if edition["document"] else "")
    versions = f"{edition['versions']} version{'s' if edition['versions'] != 1 else ''}"
    given = [cell(edition[key]) for key in ("created", "classification", "precedence", "signers") if edition[key]]
    paragraphs = [] if edition["paragraphs"] is None else [f"{edition['paragraphs']} ¶"]
    return [source, versions, *given, *paragraphs]


def _field_rows(record: dict[str, Any]) -> list[dict[str, str]]:
    """A record as (field, value) rows: one row per scalar, one per recipient, reference and paragraph."""
    rows: list[dict[str, str]] = []
    for key, value in record.items():
        if key == "paragraphs":
            for paragraph in value:
                marking = f"({paragraph['marking']}) " if paragraph["marking"] else ""
                rows.append({"field": f"paragraph {paragraph['number']}", "value": marking + paragraph["text"]})
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            rows.extend({"field": key.removesuffix("s"), "value": cell(list(item.values()))} for item in value)
        else:
            rows.append({"field": key, "value": cell(value)})
    return rows


def print_versions(rows: list[dict[str, Any]], output_format: str, stream: IO[str] | None = None) -> None:
    """A cable's versions, each with its diff from the one before (coloured in the table format)."""
    if output_format != "table":
        print_rows(rows, output_format, stream=stream)
        return
    console = make_console(stream)
    columns = [column for column in (rows[0] if rows else {}) if column != "changes"]
    print_rows(rows, "table", columns, stream=stream)
    for row in rows:
        if not row["changes"]:
            continue
        for line in row["changes"].splitlines():
            console.print(Text(line, style=DIFF_STYLES.get(line[:1], "")), soft_wrap=True)  # diffs never wrap
