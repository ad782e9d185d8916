"""archive db refresh (archive db reader-url: tests/db/test_roles.py)."""

from __future__ import annotations

from click.testing import CliRunner

from archive.cli import cli


def test_db_refresh(loaded_database: str) -> None:
    result = CliRunner().invoke(cli, ["db", "refresh", "--database-url", loaded_database])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "refreshed 7 aggregates: addressee_totals, correspondence_totals, marking_audit, "  # the costliest first
        "tag_totals, citation_totals, caveat_totals, cable_totals\n"
    )
