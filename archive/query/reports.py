"""SQL reports: plain ``.sql`` files whose header comments say what they are, their parameters and chart.

A report file looks like this::

    -- Top origins and their classification mix.
    -- chart: bars x=origin y=secret,confidential,unclassified
    -- param limit: integer, default 20. How many origins to list.
    -- param origin: text, optional. Only origins matching this.
    SELECT ... LIMIT CAST(:limit AS integer)

The first comment line is the one-line description. ``-- param NAME: TYPE[, default VALUE |
, optional]. Help.`` declares a parameter (types: text, integer, date, boolean; a date
default may be ``today``); a parameter with neither a default nor ``optional`` is required.
Parameters appear in the SQL as ``:name`` and are always bound by the server, never pasted
into the text; write ``CAST(:name AS type)`` where PostgreSQL cannot infer the type.
``-- chart: timeline|bars x=COLUMN[,COLUMN] y=COLUMN[,COLUMN...] [series=COLUMN]`` says how
``--chart`` draws the rows. Built-in reports ship in ``archive/query/reports/``; a folder of
your own (``--reports-dir``) adds reports and overrides built-ins of the same name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from archive.query import QueryError
from archive.query.readonly import DEFAULT_TIMEOUT_SECONDS, QueryResult, run_readonly

BUILT_IN = "built-in"
PARAMETER_TYPES = ("text", "integer", "date", "boolean")
CHART_KINDS = ("timeline", "bars")

_PARAM = re.compile(
    r"^--\s*param\s+(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>\w+)"
    r"(?:\s*,\s*(?:(?P<optional>optional)|default\s+(?P<default>[^.\s]+(?:\.[^.\s]+)*)))?\s*\.?\s*(?P<help>.*)$",
    re.IGNORECASE,
)
_CHART = re.compile(r"^--\s*chart\s*:\s*(?P<kind>\w+)(?P<settings>(?:\s+\w+=\S+)*)\s*$", re.IGNORECASE)
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ReportError(QueryError):
    """A report that does not exist, is malformed, or was given parameters it cannot take."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None  # as written in the file; None with required=False means NULL
    required: bool
    help: str

    def convert(self, value: str | None) -> Any:
        """``value`` (as typed on a command line) as the Python value to bind."""
        if value is None:
            return None
        text = value.strip()
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "date":
                return date.today() if text.lower() == "today" else date.fromisoformat(text)
            if self.type == "boolean":
                if text.lower() in _TRUE | _FALSE:
                    return text.lower() in _TRUE
                raise ValueError(text)
        except ValueError:
            article = "an" if self.type[0] in "aeiou" else "a"
            raise ReportError(f"parameter {self.name} must be {article} {self.type}, not {value!r}") from None
        return value

    @property
    def signature(self) -> str:
        if self.required:
            return f"{self.name}={self.type.upper()}"
        return f"[{self.name}={self.default if self.default is not None else ''}]"


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # timeline or bars
    x: tuple[str, ...]  # the label columns, joined with " → " when more than one
    y: tuple[str, ...]  # the value columns: one line or bar segment each
    series: str | None = None  # a column whose values become separate lines (long-format rows)


@dataclass(frozen=True)
class Report:
    name: str
    description: str
    sql: str
    parameters: tuple[Parameter, ...]
    chart: ChartSpec | None
    origin: str  # BUILT_IN, or the folder the file came from

    def bind(self, given: Mapping[str, str]) -> dict[str, Any]:
        """The values to bind: ``given`` converted, defaults for the rest; unknown or missing names fail."""
        known = {parameter.name: parameter for parameter in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            takes = ", ".join(known) or "no parameters"
            raise ReportError(f"report {self.name} has no parameter {unknown[0]!r} (it takes {takes})")
        values: dict[str, Any] = {}
        for name, parameter in known.items():
            if name in given:
                values[name] = parameter.convert(given[name])
            elif parameter.required:
                raise ReportError(f"report {self.name} needs --param {name}=… ({parameter.help or parameter.type})")
            else:
                values[name] = parameter.convert(parameter.default)
        return values

    def run(
        self, params: Mapping[str, str] | None = None, url: str | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> QueryResult:
        """Run the report read-only on the configured database (or ``url``)."""
        return run_readonly(self.sql, self.bind(params or {}), url=url, timeout=timeout)


def parse_report(name: str, sql: str, origin: str) -> Report:
    """A report from the text of its ``.sql`` file."""
    description = ""
    parameters: list[Parameter] = []
    chart: ChartSpec | None = None
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            if stripped:
                break  # the header ends with the first line of SQL
            continue
        if param := _PARAM.match(stripped):
            kind = param["type"].lower()
            if kind not in PARAMETER_TYPES:
                raise ReportError(f"report {name}: parameter {param['name']} has unknown type {kind!r}")
            required = not param["optional"] and param["default"] is None
            parameters.append(Parameter(param["name"], kind, param["default"], required, param["help"].strip()))
        elif chart_line := _CHART.match(stripped):
            chart = _chart_spec(name, chart_line["kind"].lower(), chart_line["settings"])
        elif not description and (comment := stripped.lstrip("-").strip()):
            description = comment
    return Report(name, description, sql, tuple(parameters), chart, origin)


def _chart_spec(report: str, kind: str, settings: str) -> ChartSpec:
    if kind not in CHART_KINDS:
        raise ReportError(f"report {report}: unknown chart kind {kind!r} (use {' or '.join(CHART_KINDS)})")
    values = dict(item.split("=", 1) for item in settings.split())
    if "x" not in values or "y" not in values:
        raise ReportError(f"report {report}: a chart needs x= and y= columns")
    return ChartSpec(kind, tuple(values["x"].split(",")), tuple(values["y"].split(",")), values.get("series"))


def available_reports(reports_dir: Path | str | None = None) -> dict[str, Report]:
    """The built-in reports, plus (overriding by name) the ``*.sql`` files of ``reports_dir``; sorted by name."""
    reports: dict[str, Report] = {}
    for resource in files("archive.query").joinpath("reports").iterdir():
        if resource.name.endswith(".sql"):
            name = resource.name.removesuffix(".sql")
            reports[name] = parse_report(name, resource.read_text(encoding="utf-8"), BUILT_IN)
    if reports_dir is not None:
        folder = Path(reports_dir)
        if not folder.is_dir():
            raise ReportError(f"reports folder {folder} does not exist")
        for path in folder.glob("*.sql"):
            reports[path.stem] = parse_report(path.stem, path.read_text(encoding="utf-8"), str(folder))
    return dict(sorted(reports.items()))


def get_report(name: str, reports_dir: Path | str | None = None) -> Report:
    reports = available_reports(reports_dir)
    if name not in reports:
        raise ReportError(f"no report named {name!r}; `archive report` lists them: {', '.join(reports)}")
    return reports[name]


def run_report(
    name: str,
    params: Mapping[str, str] | None = None,
    url: str | None = None,
    reports_dir: Path | str | None = None,
) -> QueryResult:
    """Run the report ``name`` with ``params`` (strings, as on the command line) and return its rows."""
    return get_report(name, reports_dir).run(params, url=url)
