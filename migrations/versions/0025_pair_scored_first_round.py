"""Ranked search: a pair-scored query's first round ranks the cables of up to 185 lexemes, not 64.

``reporting.ranked_cables`` (migration 0017) starts every query at the floor a cable of 64 lexemes
may reach under the weakest bound, and lowers it by a fifth while fewer than ``max_results`` cables
are ranked. Two or three words and phrases (pair-scored: ``1 / log2(1 + n)``, no subject split) are
rarely held by 20 cables that short, so their first round mostly found a few and the second ranked
up to 185 lexemes anyway; each round reads the full-text index again (6 to 15 ms for common words
at 251,287 cables). Such a query now starts at that second floor (0.8 of the first). Single words
and ``or`` queries start as before. The floors choose the way, not the result: every cable left
out still ranks below the last one kept (0012, 0017), and ``tests/load/test_corpus.py`` compares
every shape with the full ranking.

The function over 15 calls, three times each, alternating, on a 251,287-cable archive (2026-12-03,
the machine slow), p50 before → after: ``nuclear weapons`` 58.4 → 35.1 ms, ``human rights abuses``
65.1 → 52.0, ``"human rights"`` 75.7 → 42.7, ``"foreign minister"`` 118.8 → 80.8, ``human rights``
62.0 → 37.7, ``president "prime minister"`` 80.0 → 45.3, ``nuclear weapons program`` 124.6 → 107.5,
``"prime minister"`` 49.2 → 50.9 (docs/performance.md). Starting lower still (0.64, up to 664
lexemes) ranked far more than the bound needs: ``nuclear weapons`` 461 ms.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIGHTER_RANK_BOUND: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0017_tighter_rank_bound.py")))
OPERATOR_PRICE: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0019_ranking_operator_price.py")))
BEFORE = TIGHTER_RANK_BOUND["RANKED_CABLES"]
FIRST_FLOOR = "    floor double precision := whole / log(2, 65);\n"
PAIR_SCORED_FIRST_FLOOR = (
    "    -- Words scored by pairs start where its second round would: few cables that short hold them all.\n"
    "    floor double precision := CASE WHEN bound.subject_terms IS NULL THEN 0.8 ELSE 1 END * whole / log(2, 65);\n"
)


def replace_ranked_cables(definition: str) -> None:
    """Write ``definition`` over the function, then price its operators as 0019 did (CREATE OR REPLACE resets it)."""
    op.execute(definition)
    OPERATOR_PRICE["upgrade"]()


def upgrade() -> None:
    assert BEFORE.count(FIRST_FLOOR) == 1, "reporting.ranked_cables is not as 0017 wrote it"
    replace_ranked_cables(BEFORE.replace(FIRST_FLOOR, PAIR_SCORED_FIRST_FLOOR))


def downgrade() -> None:
    replace_ranked_cables(BEFORE)
