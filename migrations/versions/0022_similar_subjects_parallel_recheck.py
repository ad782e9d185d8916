"""The trigram fallback's recheck on both cores whatever the planner's estimate, and under a broad filter too.

Migration 0018 priced an operator at 1 inside ``reporting.similar_subjects`` (when no filter is
given) so that the planner would split the recheck's ``word_similarity`` calls between the leader
and a worker. Whether it does still depends on its estimate of the rows that qualify, which
pg_trgm takes from the column's statistics sample: on a fresh 251,287-cable archive it expected 25
(94 qualify, out of 9,693 candidates the recheck scores), judged the heap too small for a parallel
scan, and ran the recheck on one core (82 ms for ``goverment``). A parallel plan's set-up and
tuple costs and the smallest table worth a parallel scan are now 0 as well, so the recheck is
split whatever the sample held.

The same pricing now applies under a filter that admits more than half of the cables (the steps
are kept for it, migration 0021): there the filter has no index worth reading first, and the
recheck was on one core. A filter that admits fewer goes to pg_trgm's threshold at once and keeps
the planner's own prices, which intersect the trigram index with the filter's index.

Every setting is set back before the function returns. At 251,287 cables, the same archive
downgraded to 0021 and upgraded again, quiet (15:36 UTC), ms per call (five calls after one,
``goverment``, top 20), before → after: no filter 84–92 → 60–70, TAGS PREL 84 → 61–74, at most
CONFIDENTIAL 83–84 → 62–65; an origin of 10,628 cables 16 → 15. Same rows: only the plans change.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 15:45:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED_FLOOR: dict[str, Any] = runpy.run_path(
    str(Path(__file__).with_name("0021_similar_subjects_filtered_floor.py"))
)
BEFORE = FILTERED_FLOOR["filtered_floor"](FILTERED_FLOOR["BEFORE"])
# (what 0021 wrote, what this revision writes instead), in order
CHANGES = (
    (
        "    operator_cost text := current_setting('cpu_operator_cost');\n",
        "    planning constant text[] :=\n"
        "        '{cpu_operator_cost, parallel_setup_cost, parallel_tuple_cost, min_parallel_table_scan_size}';\n"
        "    planned_with constant text[] := ARRAY(SELECT current_setting(name) FROM unnest(planning) name);\n"
        "    setting integer;\n",
    ),
    (
        "    IF filters = '' THEN  -- word_similarity, about 10 µs a call, is the one operator to price\n"
        "        SET LOCAL cpu_operator_cost = 1;\n"
        "    END IF;\n",
        "    IF filters = '' OR cardinality(steps) > 0 THEN  -- the recheck's word_similarity, about 10 µs a call,\n"
        "        SET LOCAL cpu_operator_cost = 1;               -- is the one operator to price, split on every core\n"
        "        SET LOCAL parallel_setup_cost = 0;\n"
        "        SET LOCAL parallel_tuple_cost = 0;\n"
        "        SET LOCAL min_parallel_table_scan_size = 0;\n"
        "    END IF;\n",
    ),
    (
        "    EXECUTE format('SET LOCAL cpu_operator_cost = %s', operator_cost);\n",
        "    FOR setting IN 1 .. cardinality(planning) LOOP\n"
        "        EXECUTE format('SET LOCAL %I = %L', planning[setting], planned_with[setting]);\n"
        "    END LOOP;\n",
    ),
)


def parallel_recheck(function: str) -> str:
    return FILTERED_FLOOR["changed"](function, CHANGES, "0021")  # type: ignore[no-any-return]


def upgrade() -> None:
    op.execute(parallel_recheck(BEFORE))


def downgrade() -> None:
    op.execute(BEFORE)
