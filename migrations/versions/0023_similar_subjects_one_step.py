"""The trigram fallback tries one similarity step, 0.7, before pg_trgm's threshold, not two.

``reporting.similar_subjects`` tried word similarity 0.8, then 0.7, before pg_trgm's own
threshold (0.6), stopping at the first that held ``max_results`` subjects. The steps only choose
the way (migration 0021: the result is the best of the subjects at 0.6 whatever they are). A step
pays when it fills the list from fewer candidates than the floor's: the recheck scores every
candidate the trigram index hands it, and ``word_similarity`` is computed again for each subject
that qualifies, so at 0.6, where thousands may qualify, each costs two calls. It costs a whole
pass when it does not fill the list, and 0.8 rarely does for a word misspelt one edit away; where
it does, 0.7 mostly does from as few candidates (``goverment`` at 251,287 cables: 9,693 at both,
94 qualifying; at 0.6, 10,352 and 9,580).

``benchmarks/misspelt.py`` on a 251,287-cable archive (2026-12-02, quiet), the frequent subject
words misspelt four ways, ms per call, total / p95 / max:

| steps | 195 misspellings (seed 1) | 232 misspellings (seed 2) |
|---|---|---|
| 0.8, 0.7 (before) | 8,000 / 87.7 / 223 | 8,675 / 73.2 / 114 |
| 0.7 | 6,558 / 77.4 / 190 | 7,025 / 61.4 / 110 |
| none | 5,872 / 79.2 / 220 | 6,781 / 57.2 / 841 |

None is quickest in total but has the worst tail (a short common word: every subject holding it
qualifies at 0.6); one step at 0.7 cuts the total by a fifth and the tail as well. The same rows
for every misspelling under every set.

The steps stay a parameter, now ``'{0.7}'`` by default, as ``archive search`` passes. The recheck's
pricing for both cores (migration 0022) applied when steps were kept, which stood for "no filter,
or one admitting more than half of the cables"; the function now says so itself, so a caller
passing no steps under a broad filter keeps both cores too.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 03:40:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARALLEL_RECHECK: dict[str, Any] = runpy.run_path(
    str(Path(__file__).with_name("0022_similar_subjects_parallel_recheck.py"))
)
FILTERED_FLOOR: dict[str, Any] = runpy.run_path(
    str(Path(__file__).with_name("0021_similar_subjects_filtered_floor.py"))
)
BEFORE = PARALLEL_RECHECK["parallel_recheck"](PARALLEL_RECHECK["BEFORE"])
# (what 0022 wrote, what this revision writes instead), in order
CHANGES = (
    ("    steps real[] DEFAULT '{0.8,0.7}')\n", "    steps real[] DEFAULT '{0.7}')\n"),
    ("    plan json;\n", "    plan json;\n    selective boolean := false;\n"),
    ("            steps := '{}';\n", "            selective := true;\n            steps := '{}';\n"),
    (
        "    IF filters = '' OR cardinality(steps) > 0 THEN  -- the recheck's word_similarity, about 10 µs a call,\n"
        "        SET LOCAL cpu_operator_cost = 1;               -- is the one operator to price, split on every core\n",
        "    IF NOT selective THEN  -- the recheck's word_similarity, about 10 µs a call, is the one operator\n"
        "        SET LOCAL cpu_operator_cost = 1;  -- to price, split on every core\n",
    ),
)


def one_step(function: str) -> str:
    return FILTERED_FLOOR["changed"](function, CHANGES, "0022")  # type: ignore[no-any-return]


def upgrade() -> None:
    op.execute(one_step(BEFORE))


def downgrade() -> None:
    op.execute(BEFORE)
