"""The trigram fallback under a selective filter: one pass, at pg_trgm's own threshold.

``reporting.similar_subjects`` tries the thresholds of ``steps`` (0.8, 0.7) before pg_trgm's own
(0.6), and stops at the first that gives ``max_results`` subjects. Whatever the steps, it returns
the best ``max_results`` of the subjects at pg_trgm's threshold (the floor): a step stops only when
it holds ``max_results``, and every subject it leaves out scores below every one it holds, so its
best are the floor's best (ties are broken by date and reference id, the same at every step). The
steps only choose the way: they save work when a high threshold admits fewer candidates and
already fills the list.

Under a filter that admits few cables they cost more than they save. A high threshold rarely
fills the list then, so every step reads the trigram index's candidates again, and the planner,
which estimates the rows that qualify (a handful at 0.8), not the candidates the index hands the
recheck (9,693 subjects holding ``government`` for ``goverment`` at 251,287 cables), computes
``word_similarity`` for all of them before the filter drops nearly all. At the floor it expects
thousands of rows and intersects the trigram index with the filter's own index first. At 251,287
cables, the same hour, ms per call (``goverment``, top 20, steps then the floor alone): an origin
of 10,628 cables 186 → 18, a quarter 194 → 21, classification at most LOU 200 → 33; not
selective (TAGS PREL, 53% of the cables, or at most CONFIDENTIAL, 73%) 85–87 against 103–120.

So when a filter is given and the planner expects it to admit at most half of the cables, the
function goes straight to the floor. The estimate only chooses the way, never the result.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 15:10:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOTH_CORES: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0018_similar_subjects_both_cores.py")))
BEFORE = BOTH_CORES["priced"](BOTH_CORES["BEFORE"])
# (what 0018 wrote, what this revision writes instead), in order
CHANGES = (
    (
        "    operator_cost text := current_setting('cpu_operator_cost');\nBEGIN\n",
        "    operator_cost text := current_setting('cpu_operator_cost');\n"
        "    plan json;\n"
        "BEGIN\n"
        "    IF filters <> '' THEN  -- a filter admitting at most half of the cables: the floor alone\n"
        "        EXECUTE 'EXPLAIN (FORMAT JSON) SELECT FROM public.cables c WHERE true' || filters INTO plan\n"
        "            USING NULL::tsquery, created_from, created_before, origin_ids, tags, level_rank_at_most;\n"
        "        IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision\n"
        "           <= 0.5 * (SELECT reltuples FROM pg_class WHERE oid = 'public.cables'::regclass) THEN\n"
        "            steps := '{}';\n"
        "        END IF;\n"
        "    END IF;\n",
    ),
)


def changed(function: str, changes: Sequence[tuple[str, str]], made_by: str) -> str:
    """``function`` with each (old, new) of ``changes`` made in order; each old text occurs in it once."""
    for old, new in changes:
        assert function.count(old) == 1, f"reporting.similar_subjects is not as {made_by} made it: {old!r}"
        function = function.replace(old, new)
    return function


def filtered_floor(function: str) -> str:
    return changed(function, CHANGES, "0018")


def upgrade() -> None:
    op.execute(filtered_floor(BEFORE))


def downgrade() -> None:
    op.execute(BEFORE)
