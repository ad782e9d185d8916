"""The ``archive`` command: a thin click layer over the Python API in the archive package."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from archive import __version__

F = TypeVar("F", bound=Callable[..., Any])


def database_url_option(func: F) -> F:
    """--database-url, defaulting to $ARCHIVE_DATABASE_URL, else the embedded server."""
    return click.option(
        "--database-url",
        envvar="ARCHIVE_DATABASE_URL",
        metavar="URL",
        help="PostgreSQL URL [env: ARCHIVE_DATABASE_URL; default: the embedded server].",
    )(func)


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


def errors_as_messages(*exceptions: type[Exception]) -> Callable[[F], F]:
    """Turn the library's named exceptions into a one-line error and exit code 1."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except exceptions as error:
                raise click.ClickException(str(error)) from error

        return wrapper  # type: ignore[return-value]

    return decorate


def resolve_url(database_url: str | None) -> str:
    """The URL to use, starting the embedded server when none is configured."""
    from archive.db.embedded import EmbeddedServerError
    from archive.db.session import database_url as configured

    try:
        return configured(database_url)
    except EmbeddedServerError as error:
        raise click.ClickException(str(error)) from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive")
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


def _embedded_server():  # type: ignore[no-untyped-def]
    from archive.db.embedded import EmbeddedServer

    return EmbeddedServer()


@db.command("start")
def db_start() -> None:
    """Start the embedded server (initialising it on first use); it keeps running.

    \b
    Example:
        archive db start
    """
    from archive.db.embedded import EmbeddedServerError

    try:
        status = _embedded_server().start()
    except EmbeddedServerError as error:
        raise click.ClickException(str(error)) from error
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
    """Bring the schema to the newest migration (load does this by itself).

    \b
    Example:
        archive db upgrade --database-url postgresql://me@db.example.org/archive
    """
    from archive.db import migrate

    migrate.upgrade(resolve_url(database_url))
    click.echo("schema is at the newest migration")


# -- parse ------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--input-format", metavar="FORMAT", help="Read every input as this format instead of detecting it.")
@output_format_option("jsonl", default="jsonl")
def parse(paths: tuple[str, ...], input_format: str | None, output_format: str) -> None:
    """Parse cables and print them, without touching the database.

    PATHS are files, folders (read recursively) or - for standard input. Inputs that are
    not cables are reported on stderr, one line each, and make the exit code 1.

    \b
    Example:
        archive parse examples/000_cfe706be70c9082a.txt --format json
        archive parse examples/ --format table
    """
    from archive.cable import Document, InputError
    from archive.output import print_rows, to_json
    from archive.parse import parse as parse_document
    from archive.sources import read_paths

    records: list[dict[str, Any]] = []
    failures = 0
    for item in read_paths(paths, input_format):
        if not isinstance(item, Document):
            click.echo(f"error: {item.label}: {item.message}", err=True)
            failures += 1
            continue
        try:
            cable = parse_document(item)
        except InputError as error:
            where = f" line {error.line}" if error.line else ""
            click.echo(f"error: {item.label}{where}: {error.message}", err=True)
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
