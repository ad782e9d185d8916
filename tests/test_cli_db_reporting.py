"""archive db refresh and archive db reader-url."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from archive.cli import cli


def test_db_refresh(loaded_database: str) -> None:
    result = CliRunner().invoke(cli, ["db", "refresh", "--database-url", loaded_database])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "refreshed 5 aggregates: cables_by_year, citations, correspondence, origins_summary, tags_by_year\n"
    )


def test_db_reader_url_connects_read_only(loaded_database: str, reader_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["db", "reader-url", "--database-url", loaded_database], env={"ARCHIVE_HOME": str(reader_home)}
    )
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(f"postgresql://{make_url(loaded_database).database}_reader:")
    with psycopg.connect(url, autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM reporting.paragraphs").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM reporting.load_errors")
