"""Ranked search prices an operator at 0.01, not 0.05: a round's range of lengths is intersected again.

Migration 0017 set ``cpu_operator_cost = 0.05`` inside ``reporting.ranked_cables`` (20 times the
default), so that the planner would stop filtering a round's cables vector by vector. That price
also falls on every comparison of a btree scan, and the index of ``cables.search_lexemes`` then
looked dearer than reading every cable the full-text index passed: for ``human rights abuses`` at
251,287 cables, rounds 2 and 3 read the heap pages of all 13,747 matching cables to keep 126 and
1,229 of them by length (about 40 ms each), where intersecting the two indexes takes 8 ms. At 0.01
the planner intersects them. ``benchmarks/load.py --queries-on`` on one fresh 251,287-cable archive,
back to back (13:46 UTC), p95 at 0.05 then 0.01: three words 119.4 → 90.9 ms, two words 85.4 → 72.3,
common word 41.2 → 31.2, with origin 64.1 → 53.7, with a tag 29.9 → 24.1, with dates 34.7 → 31.0,
the phrase 51.1 → 64.4 (p50 48.7 → 50.0), every other shape within 2 ms. Same function, same
results: only the plans change.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 13:50:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIGHTER_RANK_BOUND: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0017_tighter_rank_bound.py")))
SIGNATURE = TIGHTER_RANK_BOUND["RANKED_CABLES_SIGNATURE"]


def upgrade() -> None:
    op.execute(f"ALTER FUNCTION {SIGNATURE} SET cpu_operator_cost = 0.01")


def downgrade() -> None:
    op.execute(f"ALTER FUNCTION {SIGNATURE} SET cpu_operator_cost = 0.05")
