"""archive db refresh and archive db reader-url."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql
from sqlalchemy.engine import make_url

from archive.cli import cli
from archive.db.session import libpq_url
from archive.query.reporting import reader_password_file, reader_role_name


def test_db_refresh(loaded_database: str) -> None:
    result = CliRunner().invoke(cli, ["db", "refresh", "--database-url", loaded_database])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "refreshed 5 aggregates: cables_by_year, citations, correspondence, origins_summary, tags_by_year\n"
    )


@pytest.fixture
def archive_home(loaded_database: str, tmp_path: Path) -> Iterator[Path]:
    """ARCHIVE_HOME for the command; the reader role and its password file are removed afterwards."""
    yield tmp_path
    password_file = reader_password_file(loaded_database, tmp_path)
    password_file.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # as root the file sits in a folder of its own under /var/tmp
        password_file.parent.rmdir()
    role = sql.Identifier(reader_role_name(make_url(loaded_database).database or ""))
    with psycopg.connect(libpq_url(loaded_database), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP OWNED BY {}").format(role))
        connection.execute(sql.SQL("DROP ROLE {}").format(role))


def test_db_reader_url_connects_read_only(loaded_database: str, archive_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["db", "reader-url", "--database-url", loaded_database], env={"ARCHIVE_HOME": str(archive_home)}
    )
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(f"postgresql://{reader_role_name(make_url(loaded_database).database or '')}:")
    with psycopg.connect(url, autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM reporting.paragraphs").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM reporting.load_errors")
