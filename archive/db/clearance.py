"""Clearances: what a reader role may read of the archive, down to the paragraph.

A role is cleared to a level and a set of caveats. It reads a row only when the clearance the
row needs (its ``clearance_rank`` and ``clearance_caveats``: a cable's banner, a paragraph's
marking with its cable's banner, a version's whole text) is at or below its level and every
caveat of the row is among its caveats. The row-level security policies that enforce it, and
the predicate ``reporting.cleared(level_rank, caveats)`` they share, are migration 0008's;
the clearance itself is a row of ``clearances``, which the reader may read (its own row) but
not write, and a role cleared to everything is also named in every policy called
``everything`` (whose ``USING (true)`` lets the planner drop row security for it, and keep the
indexes a row-security qual would bar). Why a reader cannot raise its clearance: docs/security.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from archive.cable import LEVEL_RANK

# Markings that restrict no cleared reader: SIPDIS (distribution on SIPRNet), REL TO (releasable
# to named foreign partners), FOUO (official use, which every reader of the archive is). Every other
# caveat (NOFORN, NODIS, EXDIS, ORCON, one never seen before) is read only by a role cleared to it.
UNRESTRICTING_CAVEATS = ("FOUO", "REL", "SIPDIS")
EVERYTHING_POLICY = "everything"
# Columns a role cleared to less than everything may not read: computed from every paragraph of the
# cable, withheld ones too (the vector, and its lexemes' count). The text itself is the current
# cable_versions row's, visible only to a role cleared to the whole text (migration 0020).
WHOLE_TEXT_COLUMNS = {"cables": frozenset({"search_vector", "search_lexemes"})}


@dataclass(frozen=True)
class Clearance:
    """A level and the caveats cleared beyond the unrestricting ones; ``level=None`` is everything."""

    level: str | None = None
    caveats: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return self.level is None

    def stored(self) -> tuple[int, list[str] | None]:
        """The ``clearances`` row's ``level_rank`` and ``caveats`` (NULL: any caveat)."""
        if self.level is None:
            return max(LEVEL_RANK.values()), None
        return LEVEL_RANK[self.level], sorted({*UNRESTRICTING_CAVEATS, *(c.upper() for c in self.caveats)})


EVERYTHING = Clearance()


def policy_changes(connection: psycopg.Connection[Any], role: str, clearance: Clearance) -> list[tuple[str, set[str]]]:
    """The ``everything`` policies to change for ``role``'s ``clearance``: (table, the roles it should name)."""
    policies = connection.execute(
        "SELECT p.polrelid::regclass::text, ARRAY(SELECT r.rolname FROM pg_roles r WHERE r.oid = ANY (p.polroles)) "
        "FROM pg_policy p WHERE p.polname = %s",
        (EVERYTHING_POLICY,),
    ).fetchall()
    changes = []
    for table, roles in policies:
        wanted = {*roles, role} if clearance.everything else set(roles) - {role}
        if wanted != set(roles) and wanted:
            changes.append((table, wanted))
    return changes


def lock_policy_tables(connection: psycopg.Connection[Any], changes: list[tuple[str, set[str]]]) -> None:
    """Take the locks ``ALTER POLICY`` needs at once, before the set-up grants anything. A grant updates the
    table's catalogue row, which autovacuum, holding the table, then waits for: an ``ALTER POLICY`` after it
    would wait for autovacuum, a deadlock. Asked first, the lock makes autovacuum give way instead."""
    if changes:
        tables = sql.SQL(", ").join(sql.SQL(table) for table, _ in changes)
        connection.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(tables))


def set_clearance(
    connection: psycopg.Connection[Any], role: str, clearance: Clearance, changes: list[tuple[str, set[str]]]
) -> None:
    """Record ``role``'s clearance and name it in the ``everything`` policies exactly when it is cleared to
    everything (``changes``, from :func:`policy_changes`). ``connection`` is the database owner's or a
    superuser's, inside a transaction."""
    rank, caveats = clearance.stored()
    connection.execute(
        "INSERT INTO public.clearances (role_name, level_rank, caveats) VALUES (%s, %s, %s) "
        "ON CONFLICT (role_name) DO UPDATE SET level_rank = EXCLUDED.level_rank, caveats = EXCLUDED.caveats",
        (role, rank, caveats),
    )
    for table, wanted in changes:
        connection.execute(
            sql.SQL("ALTER POLICY {} ON {} TO {}").format(
                sql.Identifier(EVERYTHING_POLICY),
                sql.SQL(table),
                sql.SQL(", ").join(sql.Identifier(name) for name in sorted(wanted)),
            )
        )
