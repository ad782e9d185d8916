"""The trigram fallback on both cores: ``reporting.similar_subjects`` plans with word similarity at its price.

A misspelt word's fallback reads every subject the trigram index passes and scores it with
``word_similarity``: for ``goverment`` at 251,287 cables the index passes 9,693 subjects (every
one holding ``government`` shares 8 of the query's 10 trigrams), 94 of them qualify, and the
recheck is about 98 ms of one core (about 10 µs a subject, every heap page a shared-buffer hit).
The planner prices that call like any operator (``cpu_operator_cost``, 0.0025), a few hundred
times too cheap, so a parallel bitmap heap scan never paid for its set-up, even with the
parallel costs at 0. When no filter is given, the trigram condition is the query's one
operator of weight, and the function prices an operator at 1 (about what a ``word_similarity``
call costs against reading a page, ``seq_page_cost`` 1): the planner then splits the recheck
between the leader and a worker. With a filter it keeps the planner's price, which an index of
the filter's column needs (priced at 1 per compared entry, a date range's index looked dearer
than rechecking every candidate: 210 against 56 ms). Same query, same rows: only the plan
changes, and the price is set back before the function returns. docs/performance.md gives the
times before and after.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 12:10:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIMILAR_SUBJECTS: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0013_similar_subjects.py")))
BEFORE = SIMILAR_SUBJECTS["SIMILAR_SUBJECTS"].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
# (what 0013 wrote, what this revision writes instead), in order
CHANGES = (
    (
        "    similarities real[];\nBEGIN\n",
        "    similarities real[];\n"
        "    filters text := reporting.search_filters(created_from, created_before, origin_ids, tags,"
        " level_rank_at_most);\n"
        "    operator_cost text := current_setting('cpu_operator_cost');\n"
        "BEGIN\n"
        "    IF filters = '' THEN  -- word_similarity, about 10 µs a call, is the one operator to price\n"
        "        SET LOCAL cpu_operator_cost = 1;\n"
        "    END IF;\n",
    ),
    (
        "|| reporting.search_filters(created_from, created_before, origin_ids, tags, level_rank_at_most)",
        "|| filters",
    ),
    (
        "    EXECUTE format('SET LOCAL pg_trgm.word_similarity_threshold = %s', pg_trgm_floor);\n",
        "    EXECUTE format('SET LOCAL pg_trgm.word_similarity_threshold = %s', pg_trgm_floor);\n"
        "    EXECUTE format('SET LOCAL cpu_operator_cost = %s', operator_cost);\n",
    ),
)


def priced(function: str) -> str:
    for old, new in CHANGES:
        assert function.count(old) == 1, f"reporting.similar_subjects is not as 0013 made it: {old!r}"
        function = function.replace(old, new)
    return function


def upgrade() -> None:
    op.execute(priced(BEFORE))


def downgrade() -> None:
    op.execute(BEFORE)
