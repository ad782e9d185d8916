"""The ``archive`` command: a thin click layer over the Python API in the archive package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from archive import __version__, parser_build

if TYPE_CHECKING:
    from rich.console import Console

    from archive.db.embedded import EmbeddedServer
    from archive.load import LoadSummary

F = TypeVar("F", bound=Callable[..., Any])


def database_url_option(func: F) -> F:
    """--database-url, defaulting to $ARCHIVE_DATABASE_URL, else the embedded server."""
    return click.option(
        "--database-url",
        envvar="ARCHIVE_DATABASE_URL",
        metavar="URL",
        help="PostgreSQL URL [env: ARCHIVE_DATABASE_URL; default: the embedded server].",
    )(func)


input_format_option = click.option(
    "--input-format",
    metavar="FORMAT",
    help="Read every input as this format instead of detecting it.",
)

input_timeout_option = click.option(
    "--input-timeout",
    type=click.FloatRange(min=0),
    envvar="ARCHIVE_INPUT_TIMEOUT",
    metavar="SECONDS",
    help="CPU seconds reading, then parsing, one input may take before it is rejected; 0 for no limit"
    "  [env: ARCHIVE_INPUT_TIMEOUT; default: 5].",
)


def output_format_option(*extra: str, default: str = "table") -> Callable[[F], F]:
    """--format table|csv|json (plus ``extra`` choices for commands that print more shapes)."""

    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "csv", "json", *extra]),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def library_error_message(error: Exception) -> str | None:
    """The one-line message for an exception the library raises on bad input, else None.

    Imports happen only here, when something has failed, so ``--help`` stays fast.
    """
    import psycopg
    import sqlalchemy.exc
    from alembic.util import CommandError

    from archive.db.embedded import EmbeddedServerError
    from archive.db.migrate import SchemaNotCurrent
    from archive.db.session import DatabaseUrlError
    from archive.load import LoadAborted
    from archive.query import QueryError, first_line
    from archive.sources import UnknownFormatError

    known = (QueryError, UnknownFormatError, LoadAborted, EmbeddedServerError, DatabaseUrlError, SchemaNotCurrent)
    if isinstance(error, known):
        return str(error)
    if isinstance(error, OSError) and error.filename:  # a file the command was told to read or write
        return f"{error.filename}: {(error.strerror or str(error)).lower()}"
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.orig is not None:
        error = error.orig  # drop SQLAlchemy's "(psycopg.OperationalError)" prefix and link
    if isinstance(error, psycopg.Error):
        return f"database error: {first_line(error)}{database_error_hint(error)}"
    if isinstance(error, CommandError):
        return f"migration error: {first_line(error)} (is the database's schema from a newer cable-archive?)"
    return None


CHECK_CREDENTIALS = "check the user and password of --database-url or ARCHIVE_DATABASE_URL"
CHECK_DATABASE_NAME = "check the database name of --database-url or ARCHIVE_DATABASE_URL"
SCHEMA_MAY_BE_OLD = "the schema may be older than this archive: run `archive db upgrade`"
CHECK_HOST = "check the host of --database-url or ARCHIVE_DATABASE_URL"
ONLY_THE_OWNER = "connect as the archive's owner instead: `archive db url` prints its URL"
# What to do about a database error, by SQLSTATE code or class.
DATABASE_HINTS = {
    "28": CHECK_CREDENTIALS,  # invalid authorization
    "3D": CHECK_DATABASE_NAME,
    "42P01": SCHEMA_MAY_BE_OLD,  # undefined table
    "42703": SCHEMA_MAY_BE_OLD,  # undefined column
    "3F000": SCHEMA_MAY_BE_OLD,  # undefined schema
    "42501": ONLY_THE_OWNER,  # insufficient privilege
    "25006": ONLY_THE_OWNER,  # read-only transaction: the reader role's sessions are
}
# Errors while connecting carry no SQLSTATE: they are told apart by libpq's message.
CONNECTION_HINTS = {
    "password": CHECK_CREDENTIALS,
    "pg_hba.conf": CHECK_CREDENTIALS,
    'role "': CHECK_CREDENTIALS,
    'database "': CHECK_DATABASE_NAME,
    "Connection refused": "is the server running? `archive db start` starts the embedded one",
    "timeout expired": "is the server running and reachable? check the host and port of the URL",
    "resolve host": CHECK_HOST,  # psycopg's words
    "could not translate host name": CHECK_HOST,  # libpq's
}


def database_error_hint(error: Exception) -> str:
    """`` (what to do)`` for a psycopg error the user can act on, else ""."""
    code = getattr(error, "sqlstate", None) or ""
    hint = DATABASE_HINTS.get(code) or DATABASE_HINTS.get(code[:2])
    if hint is None and not code:
        message = str(error)
        hint = next((text for clue, text in CONNECTION_HINTS.items() if clue in message), None)
    return f" ({hint})" if hint else ""


class ArchiveGroup(click.Group):
    """The command group that turns the library's named exceptions into a one-line error (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except Exception as error:
            message = library_error_message(error)
            if message is None:
                raise
            raise click.ClickException(message) from error


def resolve_url(database_url: str | None) -> str:
    """The URL to use, starting the embedded server when none is configured."""
    from archive.db.session import database_url as configured

    return configured(database_url)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive", message=f"%(prog)s %(version)s, parser {parser_build()}")
def cli() -> None:
    """Cable Archive: load diplomatic cables into PostgreSQL, then search and report.

    With no database configured, an embedded PostgreSQL server is started in ./.archive
    and listens on 127.0.0.1. Set ARCHIVE_DATABASE_URL (or --database-url) to use another.

    \b
    Example:
        archive load examples/
        archive search "nuclear fuel" --limit 5
    """


# -- db ---------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Manage the embedded PostgreSQL server and the schema.

    \b
    Example:
        archive db start
        archive db url
    """


def _embedded_server() -> EmbeddedServer:
    from archive.db.embedded import EmbeddedServer

    return EmbeddedServer()


@db.command("start")
def db_start() -> None:
    """Start the embedded server (initialising it on first use); it keeps running.

    \b
    Example:
        archive db start
    """
    status = _embedded_server().start()
    click.echo(f"running on 127.0.0.1:{status.port} (data in {status.data_dir})")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded server.

    \b
    Example:
        archive db stop
    """
    stopped = _embedded_server().stop()
    click.echo("stopped" if stopped else "not running")


@db.command("status")
@output_format_option()
def db_status(output_format: str) -> None:
    """Show whether the embedded server runs, its port, data folder and pid.

    \b
    Example:
        archive db status --format json
    """
    from archive.output import print_rows

    status = _embedded_server().status()
    row = {"running": status.running, "pid": status.pid, "port": status.port, "data_dir": str(status.data_dir)}
    print_rows([row], output_format)


@db.command("url")
@database_url_option
def db_url(database_url: str | None) -> None:
    """Print the database URL in use (starting the embedded server if needed), for psql or a BI tool.

    \b
    Example:
        psql "$(archive db url)"
    """
    from archive.db.session import libpq_url

    click.echo(libpq_url(resolve_url(database_url)))


@db.command("upgrade")
@database_url_option
def db_upgrade(database_url: str | None) -> None:
    """Bring the schema to the newest migration; load does this by itself, other commands only check it.

    \b
    Example:
        archive db upgrade --database-url postgresql://me@db.example.org/archive
    """
    from archive.db import migrate

    migrate.upgrade(resolve_url(database_url))
    click.echo("schema is at the newest migration")


@db.command("refresh")
@database_url_option
def db_refresh(database_url: str | None) -> None:
    """Rebuild the summaries the reporting aggregates sum (load does this by itself).

    \b
    Example:
        archive db refresh
    """
    from archive.db.reporting import refresh

    with _query_session(database_url) as session:
        names = refresh(session)
    click.echo(f"refreshed {len(names)} aggregates: {', '.join(names)}")


@db.command("reader-url")
@click.option("--rotate", is_flag=True, help="Set a new password (tools using the old one stop working).")
@database_url_option
def db_reader_url(rotate: bool, database_url: str | None) -> None:
    """Print a URL for the read-only role BI tools, show, search, report and sql can use (created on first use).

    The role reads the reporting schema (its search_path) and the archive's content tables,
    every write fails, and a statement timeout cancels runaway queries. Its generated password
    is kept in a 0600 file beside the embedded server's password, and kept as it is on later
    calls unless --rotate is given.

    \b
    Example:
        archive db reader-url
        psql "$(archive db reader-url)" -c "SELECT count(*) FROM cables"
        archive search "nuclear fuel" --database-url "$(archive db reader-url)"
        archive db reader-url --rotate   # a new password: update the tools that use the old one
    """
    from archive.db.roles import reader_url

    click.echo(reader_url(_current_url(database_url), rotate=rotate))


@db.command("grant-reader")
@click.argument("name")
@click.option(
    "--clearance",
    "level",
    required=True,
    metavar="LEVEL",
    help="The highest level it reads: secret, confidential, C, …",
)
@click.option(
    "--caveat",
    "caveats",
    multiple=True,
    metavar="CAVEAT",
    help="A caveat it is cleared for, e.g. NOFORN; repeat for several (SIPDIS, REL TO and FOUO restrict no one).",
)
@click.option("--rotate", is_flag=True, help="Set a new password (tools using the old one stop working).")
@database_url_option
def db_grant_reader(name: str, level: str, caveats: tuple[str, ...], rotate: bool, database_url: str | None) -> None:
    """Create (or change) a read-only role NAME cleared to LEVEL and CAVEATs, and print its URL.

    It reads like the reader of `archive db reader-url`, but only the cables whose banner its
    clearance covers and, of those, only the paragraphs whose marking it covers: `show` prints
    "[paragraph withheld: SECRET]" in place of the others, search never finds a word that only
    they hold, and every reporting view and report counts only what it may read. Run it again
    to change the clearance; the password is kept (in a 0600 file) unless --rotate.

    \b
    Example:
        archive db grant-reader analyst --clearance confidential
        archive db grant-reader liaison --clearance secret --caveat NOFORN
        archive show 05ANKARA3199 --database-url "$(archive db grant-reader analyst --clearance confidential)"
    """
    from archive.db.clearance import Clearance
    from archive.db.roles import grant_reader
    from archive.query.filters import level_name

    clearance = Clearance(level_name(level), tuple(caveat.upper() for caveat in caveats))
    click.echo(grant_reader(name, clearance, _current_url(database_url), rotate=rotate))


# -- query ------------------------------------------------------------------------------


def _current_url(database_url: str | None) -> str:
    """The URL to read from, once its schema is known to be at the newest migration (never migrates)."""
    from archive.db import migrate

    url = resolve_url(database_url)
    migrate.require_current(url)
    return url


@contextmanager
def _query_session(database_url: str | None) -> Iterator[Any]:
    """A session on the archive, whose schema must be at the newest migration."""
    from archive.db import migrate
    from archive.db.session import session_scope

    with session_scope(resolve_url(database_url)) as session:
        migrate.require_current_on(session.connection())  # on the session's connection: no second one
        yield session


@cli.command()
@click.argument("reference_id")
@click.option("--versions", is_flag=True, help="List every stored version, each with a diff from the one before.")
@click.option(
    "--source",
    is_flag=True,
    help="Write the exact bytes of the input the current text came from (a page, a record of a dump) instead.",
)
@database_url_option
@output_format_option()
def show(reference_id: str, versions: bool, source: bool, database_url: str | None, output_format: str) -> None:
    """Print one stored cable: fields, recipients, tags, references and marked paragraphs.

    REFERENCE_ID is the published id (or the canonical one), in any letter case. --source
    needs the owner's URL: the read-only role may not read the input bytes.

    \b
    Example:
        archive show 09STATE53069
        archive show 09state53069 --format json
        archive show 07LONDON4045 --versions
        archive show 09STATE53069 --source > 09STATE53069.html
    """
    from archive.query.cables import cable_record, find_cable, load_cable, version_history
    from archive.render import print_cable, print_versions

    if versions and source:
        raise click.UsageError("--versions and --source: choose one")
    with _query_session(database_url) as session:
        if source:
            click.echo(find_cable(session, reference_id).source.exact_bytes, nl=False)  # bytes: written as they are
            return
        cable = load_cable(session, reference_id)
        if versions:
            print_versions(version_history(cable), output_format)
        else:
            print_cable(cable_record(cable), output_format)


@cli.command()
@click.argument("query")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), help="Only cables sent on or after this day.")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), help="Only cables sent on or before this day.")
@click.option("--origin", help="Only cables from origins matching this, forgivingly: berlin, 'Embasy Berln'.")
@click.option("--tag", "tags", multiple=True, help="Only cables with this tag; repeat to require several.")
@click.option("--classification", metavar="LEVEL", help="Only cables classified at most LEVEL: SECRET, C, SBU, …")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many cables.")
@database_url_option
@output_format_option()
def search(
    query: str,
    since: Any,
    until: Any,
    origin: str | None,
    tags: tuple[str, ...],
    classification: str | None,
    limit: int,
    database_url: str | None,
    output_format: str,
) -> None:
    """Full-text search, best cables first, with highlighted snippets and matching paragraphs.

    QUERY uses web-search syntax: words, "quoted phrases", or, -excluded. A word in the
    subject counts more than one in the body. Each hit lists the paragraphs that match,
    with their number and portion marking. When no word matches, cables with a similarly
    spelt subject are shown instead.

    \b
    Example:
        archive search "nuclear fuel" --limit 5
        archive search 'kosovo -serbia' --from 2009-01-01 --classification confidential
        archive search "deterrent presence" --origin "secretary of state" --tag NATO --format json
    """
    from archive.query.filters import CableFilter
    from archive.query.search import search as run_search
    from archive.render import print_hits

    where = CableFilter(
        since=since.date() if since else None,
        until=until.date() if until else None,
        origin=origin,
        tags=tags,
        classification=classification,
    )
    with _query_session(database_url) as session:
        print_hits(run_search(session, query, where, limit), output_format)


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A report parameter; repeatable.")
@click.option(
    "--reports-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of your own .sql reports (they add to, and override, the built-in ones).",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the report into this PNG (needs the charts extra).",
)
@database_url_option
@output_format_option("markdown")
def report(
    name: str | None,
    params: tuple[str, ...],
    reports_dir: Path | None,
    chart: Path | None,
    database_url: str | None,
    output_format: str,
) -> None:
    """Run a SQL report, or list the reports when no NAME is given.

    Reports are .sql files; parameters are bound by the server, never pasted into the SQL.
    --chart draws per-year reports as a timeline and rankings as bars.

    \b
    Example:
        archive report
        archive report cables-per-year --chart years.png
        archive report top-origins --param limit=10 --format markdown
        archive report my-report --reports-dir ./reports
    """
    from archive.charts import draw_chart, ensure_chart
    from archive.output import print_rows
    from archive.query.reports import available_reports, get_report
    from archive.render import print_result

    if name is None:
        rows = [
            {
                "report": item.name,
                "description": item.description,
                "parameters": " ".join(parameter.signature for parameter in item.parameters),
                "chart": item.chart.kind if item.chart else "",
                "from": item.origin,
            }
            for item in available_reports(reports_dir).values()
        ]
        print_rows(rows, output_format)
        return
    chosen = get_report(name, reports_dir)
    given: dict[str, str] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep:
            raise click.BadParameter(f"{param!r} is not NAME=VALUE", param_hint="--param")
        given[key.strip()] = value
    if chart is not None:
        ensure_chart(chosen)
    result = chosen.run(given, url=_current_url(database_url))
    print_result(result, output_format)
    if chart is not None:
        click.echo(f"chart written to {draw_chart(chosen, result, chart)}", err=True)


@cli.command("sql")
@click.argument("query")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds allowed.")
@database_url_option
@output_format_option("markdown")
def sql_command(query: str, timeout: float, database_url: str | None, output_format: str) -> None:
    """Run one SQL statement as the read-only role (a READ ONLY transaction with a statement timeout).

    QUERY is the SQL, or - to read it from standard input. Writes fail; so does a second
    statement; so do server files, programs and other sessions (the role has no right to
    them). Rows are streamed: csv, json and markdown print as they arrive. The reporting schema has flat, documented views: reporting.cables,
    reporting.paragraphs, reporting.cable_tags, reporting.recipients, …

    \b
    Example:
        archive sql "SELECT origin, count(*) FROM reporting.cables GROUP BY 1 ORDER BY 2 DESC"
        archive sql - --format csv < my-query.sql
    """
    from archive.query.readonly import stream_readonly
    from archive.render import print_result

    if query == "-":
        with click.open_file("-") as stdin:
            query = stdin.read()
    with stream_readonly(query, url=_current_url(database_url), timeout=timeout) as result:
        print_result(result, output_format)


@cli.command()
@click.argument("reference_id")
@database_url_option
@output_format_option()
def refs(reference_id: str, database_url: str | None, output_format: str) -> None:
    """Show what a cable cites and what cites it, and whether each is in the archive.

    \b
    Example:
        archive refs 10BERLIN128
        archive refs 09BERLIN1167 --format json
    """
    from archive.output import print_rows
    from archive.query.cables import find_cable, references_both_ways

    with _query_session(database_url) as session:
        rows = references_both_ways(session, find_cable(session, reference_id))
    columns = ["direction", "letter", "kind", "text", "reference_id", "status", "created", "subject"]
    print_rows(rows, output_format, columns)


# -- parse ------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_format_option
@input_timeout_option
@output_format_option("jsonl", default="jsonl")
def parse(paths: tuple[str, ...], input_format: str | None, input_timeout: float | None, output_format: str) -> None:
    """Parse cables and print them, without touching the database.

    PATHS are files, folders (read recursively) or - for standard input. Inputs that are
    not cables, or that take longer than --input-timeout to read or parse, are reported on
    stderr, one line each, and make the exit code 1; entries of a folder that are left out
    get a "skipped:" line each.

    \b
    Example:
        archive parse examples/000_cfe706be70c9082a.txt --format json
        archive parse examples/ --format table
    """
    from archive.budget import InputTimeout, default_input_timeout, failure_message, time_budget
    from archive.cable import Document, InputError, Skipped
    from archive.output import print_rows, to_json
    from archive.parse import parse as parse_document
    from archive.sources import read_paths

    def skipped(path: str, reason: str) -> None:
        click.echo(f"skipped: {path}: {reason}", err=True)

    records: list[dict[str, Any]] = []
    failures = 0
    seconds = default_input_timeout() if input_timeout is None else input_timeout
    for item in read_paths(paths, input_format, input_timeout=seconds, on_skip=skipped):
        if isinstance(item, Skipped):
            skipped(item.label, item.reason)
            continue
        if not isinstance(item, Document):
            click.echo(f"error: {item.label}: {item.message}", err=True)
            failures += 1
            continue
        try:
            with time_budget(seconds):
                cable = parse_document(item)
        except InputError as error:
            where = f" line {error.line}" if error.line else ""
            click.echo(f"error: {item.label}{where}: {error.message}", err=True)
            failures += 1
            continue
        except (Exception, InputTimeout) as error:
            click.echo(f"error: {item.label}: {failure_message('parser', error)}", err=True)
            failures += 1
            continue
        record = {"source": item.label, **cable.to_dict()}
        if output_format == "jsonl":
            click.echo(to_json(record, indent=None))
        else:
            records.append(record)
    if output_format == "json":
        click.echo(to_json(records))
    elif output_format != "jsonl":
        columns = ["reference_id", "created", "classification", "origin", "subject"]
        print_rows(records, output_format, columns)
    if failures:
        raise click.exceptions.Exit(1)


# -- load and synth -------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_format_option
@click.option("--workers", type=click.IntRange(1, 256), help="Parsing processes  [default: one per core].")
@input_timeout_option
@database_url_option
@output_format_option()
def load(
    paths: tuple[str, ...],
    input_format: str | None,
    workers: int | None,
    input_timeout: float | None,
    database_url: str | None,
    output_format: str,
) -> None:
    """Load cables into the database: files, folders (read recursively) or - for standard input.

    Brings the schema to the newest migration first. Inputs whose bytes are already stored
    are skipped as unchanged; a cable whose text changed is kept as a new version. Inputs
    that are not cables, that cannot be read or that take longer than --input-timeout are
    reported on stderr, one line each, kept with their bytes in the load_errors table, and
    make the exit code 1. Entries of a folder that are left out (hidden, a link back to a
    folder already read, a pipe) get a "skipped:" line each and are counted in the summary.
    Shows a progress bar on a terminal and a one-line summary otherwise; the json/csv/table
    summary adds the seconds of each stage.

    \b
    Example:
        archive load examples/
        archive load cables.csv --workers 2 --format json
    """
    from rich.console import Console

    from archive.load import input_size, load_paths
    from archive.output import print_rows

    url = resolve_url(database_url)
    console = Console(stderr=True)

    def report(problem: object) -> None:
        console.print(f"error: {problem}", markup=False, highlight=False, soft_wrap=True)

    def skipped(path: str, reason: str) -> None:
        console.print(f"skipped: {path}: {reason}", markup=False, highlight=False, soft_wrap=True)

    options: dict[str, Any] = {
        "input_format": input_format,
        "workers": workers,
        "input_timeout": input_timeout,
        "on_problem": report,
        "on_skip": skipped,
    }
    if console.is_terminal:
        summary = _load_with_progress(console, paths, url, options, input_size(paths))
    else:
        summary = load_paths(paths, url, **options)
    if output_format == "table" and not console.is_terminal:
        click.echo(summary.line())
    else:
        print_rows([summary.as_row()], output_format)
    if summary.rejected:
        raise click.exceptions.Exit(1)


def _load_with_progress(
    console: Console,
    paths: tuple[str, ...],
    url: str,
    options: dict[str, Any],
    total: int | None,
) -> LoadSummary:
    """load_paths under a rich progress bar: bytes done of the input's size, cables/s and ETA."""
    import time

    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from archive.load import load_paths

    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[cables]:,} cables, {task.fields[rate]:,.0f}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    started = time.perf_counter()
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("loading", total=total, cables=0, rate=0.0)

        def advance(inputs: int, size: int) -> None:
            rate = inputs / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=size, cables=inputs, rate=rate)

        def finishing(phase: str) -> None:  # the bar is full; say what the wait is for
            progress.update(task, description=f"finishing: {phase}")

        return load_paths(paths, url, progress=advance, on_phase=finishing, **options)


@cli.command()
@click.argument("count", type=click.IntRange(min=1))
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="The cables.csv to write (a folder with --files)."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same cables.")
@click.option("--files", is_flag=True, help="Write one telegram .txt file per cable into the folder OUT.")
def synth(count: int, out: Path, seed: int, files: bool) -> None:
    """Write COUNT synthetic cables with the statistics of the real release, for benchmarks.

    Sizes, classification mix, stations, TAGS, addressees, REF lines citing other generated
    cables, portion marks, page breaks, section markers and damaged forms follow what was
    learned from real cables. The output loads through the same parser as real cables.

    \b
    Example:
        archive synth 251287 --out /tmp/cablegate/cables.csv --seed 1
        archive synth 100 --out /tmp/cables --files
    """
    from archive import synth as synthetic

    written = synthetic.write_files(out, count, seed) if files else synthetic.write_csv(out, count, seed)
    click.echo(f"wrote {count:,} cables, {written / 1e6:.1f} MB, to {out}")


# -- check ------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@input_format_option
@output_format_option("markdown")
def check(paths: tuple[str, ...], input_format: str | None, output_format: str) -> None:
    """Measure parsing fidelity against the publisher's own metadata.

    For every input that carries publisher metadata (cablegate pages, the cables.csv dump,
    web-page text) the telegram text alone is parsed, and reference id, date,
    classification, origin, subject and tags are compared with what the publisher printed.
    Prints per field the agreement over the inputs whose text gives the field, the coverage
    (how many inputs the text gives it for) and the overall figure; then the same agreement
    per source format (html, csv, json, sql, …) with its inputs, rejections and skipped
    documents — for formats without publisher metadata (frus-tei and frus-text, whose
    editor's apparatus is the edition's metadata; text; scan) the coverage of each field
    instead, read as the load reads them; then the publisher
    mix-ups (pages holding another cable's body), the fields not compared or compared
    allowing for publisher noise, and every disagreement (file, field, parsed, published).
    Known publisher noise (cut-short titles, wrong minutes before Aug 2011, TAGS links
    covering one line) is allowed for. Inputs that are not cables are reported on stderr
    and make the exit code 1.

    \b
    Example:
        archive check ../shared/corpus
        archive check examples/cables --format json
        archive check ../shared/corpus/*/ --format markdown   # the table in docs/fidelity.md
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from archive.check import check_paths
    from archive.output import print_rows, to_json

    with Progress(
        SpinnerColumn(),
        TextColumn("checked {task.completed} inputs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("check", total=None)
        report = check_paths(paths, input_format, on_input=lambda: progress.advance(task))
    for label, message in report.failures:
        click.echo(f"error: {label}: {message}", err=True)
    if report.unparsed:
        click.echo(
            f"{len(report.unparsed)} cables could not be parsed from their text alone: every field counts as a disagreement",
            err=True,
        )
    if output_format == "json":
        click.echo(to_json(report.to_dict()))
    else:
        print_rows(report.score_rows(), output_format, title=f"Agreement over {report.compared} cables")
        if output_format in ("table", "markdown"):
            click.echo()
            for note in report.notes():
                click.echo(f"* {note}")
        for rows, title in (
            (report.format_rows(), "Per source format: agreement with the publisher, or coverage without one (%)"),
            (report.mixup_rows(), "Publisher mix-ups"),
            (report.allowance_rows(), "Not compared, or publisher noise allowed for"),
            (report.disagreement_rows(), "Disagreements"),
        ):
            if rows:
                click.echo()
                if output_format == "markdown":
                    click.echo(f"{title}:\n")  # markdown tables carry no title of their own
                print_rows(rows, output_format, title=title)
    if report.failures:
        raise click.exceptions.Exit(1)
