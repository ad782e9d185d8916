"""Ranked search, tighter and exact: stored bound facts, rounds down to a score, filters read from the cable row.

Migration 0012 bounds ``ts_rank(v, q, 1) = F / log2(1 + n)`` with ``F`` at most 1.0 when a
query word is in the subject of a term-scored query (``reporting.search_bound``), 0.4 when it is
only in the body. The 1.0 is loose: ts_rank's ``calc_rank_or`` gives a query word whose
positions are ``p_0 < p_1 < …`` (at most 256 of them), weighing ``w_j``, with the heaviest
first at ``j = m``::

    F = (w_m + Σ_j w_j / (j + 1)² - w_m / (m + 1)²) / 1.64493406685

The subject's positions (weight A, 1.0) precede the body's (B, 0.4). When the word is in the
subject once, ``m = 0`` and ``F = (1 + Σ_{j≥1} w_j / (j + 1)²) / 1.64493406685``, every later
position in the body: ``F < (1 + 0.4 (π²/6 - 1)) / 1.64493406685 = 0.76476…``. (The sum stops at
256 positions, which leaves 0.4 Σ_{j>256} 1 / j² / 1.6449 ≈ 0.00095 to spare, far above the
rounding of its float arithmetic, 256 additions of about 6e-8 each; a query of several words
takes the mean of its words' ``F``, at most the largest.) So a cable whose subject holds no
word twice ranks at most ``0.7648 / log2(1 + length(v))`` for such a query, and only a cable
whose subject repeats a word keeps the bound 1.0. ``tests/load/test_corpus.py`` checks both
weights on the corpus, and every shape against the full ranking.

* ``cables.subject_repeats``: whether a lexeme occurs twice in the subject's vector (a comma in
  its text, which separates positions; a lexeme that itself holds a comma only makes it true
  where it need not be, which loosens the bound, never breaks it), and ``cables.search_lexemes``,
  ``length(search_vector)``: stored generated columns, so every writer stores them (about 8 µs
  of server CPU per cable for the first), and a round compares lengths without reading each
  vector from TOAST once more. ``ix_cables_search_lexemes`` is rebuilt on the column (no longer
  reading every vector when built), ``ix_cables_repeating_subject_lexemes`` holds the 2% of
  cables whose subject repeats a word.
* ``reporting.ranked_cables`` ranks, per round, every cable whose bound reaches a score
  ``floor`` under its class's weight (``reporting.lexeme_limit``) that the previous rounds did
  not, and keeps the best ``max_results`` of those and the previous ones. When the last kept
  score reaches ``floor``, every cable left out ranks below it: the answer. Otherwise ``floor``
  goes down to that score, or a tenth (a fifth while fewer than ``max_results`` match), and every
  round adds what the lower floor admits. When any length may reach the floor (the words stand
  apart in the top cables; a query of excluded words scores 0), after a dozen rounds, or when
  bounding would not pay, a last round ranks all the rest: no cable is ranked twice. Whether to
  bound at all is chosen from the planner's estimate of the cables holding any query word (a
  superset of the matches; for an AND it multiplied the words' frequencies as if independent and
  ranked ``human rights abuses`` in full), so ``reporting.without_phrases``, used for nothing
  else, is dropped. Same signature, same results.
* ``reporting.search_filters`` reads a tag from ``cables.tag_codes`` (migration 0009, kept equal
  to ``cable_tags``) rather than joining ``cable_tags``: half the cables carry PREL, and the
  planner hashed all their tag rows (about 130,000 at 251,287) to filter a few hundred cables.

docs/performance.md gives the times at 251,287 cables before and after.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOUNDED_SEARCH: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0012_bounded_search.py")))
SIMILAR_SUBJECTS: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0013_similar_subjects.py")))
quoted = BOUNDED_SEARCH["quoted"]
WITHOUT_PHRASES_SIGNATURE = "reporting.without_phrases(tsquery)"

# As archive.db.models spells them (tests/db/test_schema_owner.py keeps the two equal).
SUBJECT_REPEATS = "strpos(to_tsvector('english'::regconfig, coalesce(subject, ''))::text, ',') > 0"
SEARCH_LEXEMES = "length(search_vector)"
REPEATING_INDEX = "ix_cables_repeating_subject_lexemes"

SEARCH_FILTERS = """
CREATE OR REPLACE FUNCTION reporting.search_filters(
    created_from timestamptz, created_before timestamptz, origin_ids bigint[], tags text[],
    level_rank_at_most smallint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT concat_ws(' AND ', '',
    CASE WHEN created_from IS NOT NULL THEN 'c.created >= $2' END,
    CASE WHEN created_before IS NOT NULL THEN 'c.created < $3' END,
    CASE WHEN origin_ids IS NOT NULL THEN 'c.origin_id = ANY ($4)' END,
    (SELECT string_agg(format('c.tag_codes && %L::text[]',
                              ARRAY(SELECT t.code FROM public.tags t WHERE upper(t.code) = tags[i])), ' AND ')
     FROM generate_subscripts(tags, 1) i),
    CASE WHEN level_rank_at_most IS NOT NULL THEN
        format('c.classification_level_id = ANY (%L::smallint[])',
               ARRAY(SELECT l.id FROM public.classification_levels l WHERE l.rank <= level_rank_at_most)) END)
$$
"""

RANKED_CABLES = """
CREATE OR REPLACE FUNCTION reporting.ranked_cables(
    query text, max_results integer DEFAULT 20,
    created_from timestamptz DEFAULT NULL, created_before timestamptz DEFAULT NULL,
    origin_ids bigint[] DEFAULT NULL, tags text[] DEFAULT NULL, level_rank_at_most smallint DEFAULT NULL,
    rank_all_below integer DEFAULT 2000)
RETURNS TABLE (cable_id bigint, rank real)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER PARALLEL SAFE  -- volatile: it asks EXPLAIN
-- The planner prices a condition on the vector like any operator, as if the vector were at hand, though
-- each reads it from TOAST: it filtered 20,000 vectors of a range of lengths for a round of nuclear weapons
-- rather than intersect the range with the full-text index (68,000 buffers against 6,000).
SET cpu_operator_cost = 0.05
AS $$
DECLARE
    q tsquery := websearch_to_tsquery('english', query);
    bound record := reporting.search_bound(q);
    filters text := reporting.search_filters(created_from, created_before, origin_ids, tags, level_rank_at_most);
    best_first constant text := 'rank DESC, created DESC NULLS LAST, reference_id';
    -- The most a query word weighs in ts_rank's score before the length (migrations 0012, 0017):
    whole constant double precision := 1.0;  -- pair-scored, or in a subject that repeats a word
    once constant double precision := 0.7648;  -- term-scored and once in the subject
    body constant double precision := 0.4;  -- term-scored and in no subject
    ranking text;
    -- The cables a round adds: those whose bound reaches its floor and did not reach the last one's.
    added text := ' AND c.search_lexemes > $16 AND c.search_lexemes <= $11';
    -- The first round ranks the cables that may score what one of 64 lexemes may under the weakest bound.
    floor double precision := whole / log(2, 65);
    limit_whole bigint;
    limit_once bigint;
    limit_body bigint;
    ranked_whole bigint := -1;  -- the limits of the cables ranked so far: none
    ranked_once bigint := -1;
    ranked_body bigint := -1;
    any_length constant bigint := 2147483647;  -- the most lexemes a cable may have (search_lexemes is an integer)
    everything boolean;
    round integer := 0;
    any_word tsquery;
    plan json;
    matching double precision := 0;
    ids bigint[];
    ranks real[];
BEGIN
    ranking := 'SELECT id, rank, created, reference_id FROM ('
        || '(SELECT c.id, ts_rank(c.search_vector, $1, 1) AS rank, c.created, c.reference_id '
        || 'FROM public.cables c WHERE c.search_vector @@ $1' || filters || ' %s ORDER BY ' || best_first
        || ' LIMIT $10) UNION SELECT c.id, kept.rank, c.created, c.reference_id '
        || 'FROM unnest($12::bigint[], $13::real[]) kept (id, rank) JOIN public.cables c ON c.id = kept.id'
        || ') best ORDER BY ' || best_first || ' LIMIT $10';
    IF bound.subject_terms IS NOT NULL THEN
        added := ' AND ((c.search_lexemes > $14 AND c.search_lexemes <= $9) OR (to_tsvector(''english''::regconfig, '
            || 'coalesce(c.subject, '''')) @@ $7 AND ((c.search_lexemes > $15 AND c.search_lexemes <= $8) '
            || 'OR (c.subject_repeats AND c.search_lexemes > $16 AND c.search_lexemes <= $11))))';
    END IF;
    IF bound.bounded AND max_results > 0 THEN
        -- The planner's estimate of the cables holding any query word, a superset of the matches, chooses
        -- how to rank (no scan). It multiplies the words' frequencies for an AND as if they were
        -- independent: 2,000 for human rights abuses, which 13,747 of 251,287 cables hold.
        any_word := array_to_string(ARRAY(SELECT '''' || m[1] || '''' FROM regexp_matches(q::text, $re$LEXEME$re$, 'g') m),
                                    ' | ')::tsquery;
        EXECUTE 'EXPLAIN (FORMAT JSON) SELECT FROM public.cables c WHERE c.search_vector @@ $7' || filters
            INTO plan
            USING q, created_from, created_before, origin_ids, tags, level_rank_at_most, any_word;
        matching := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
    END IF;
    -- Ranking everything: the last round, or the only one when bounding would not pay (or cannot).
    everything := NOT coalesce(matching >= rank_all_below, false);
    LOOP
        limit_whole := CASE WHEN NOT everything THEN reporting.lexeme_limit(whole, floor) END;
        everything := limit_whole IS NULL;  -- also when any length may reach floor
        limit_whole := CASE WHEN everything THEN any_length ELSE limit_whole END;
        limit_once := CASE WHEN everything THEN any_length ELSE reporting.lexeme_limit(once, floor) END;
        limit_body := CASE WHEN everything THEN any_length ELSE reporting.lexeme_limit(body, floor) END;
        EXECUTE format('SELECT array_agg(id ORDER BY %s), array_agg(rank ORDER BY %s) FROM (%s) top',
                       best_first, best_first, format(ranking, added))
            INTO ids, ranks
            USING q, created_from, created_before, origin_ids, tags, level_rank_at_most, bound.subject_terms,
                  limit_once, limit_body, max_results, limit_whole, coalesce(ids, '{}'), coalesce(ranks, '{}'),
                  ranked_body, ranked_once, ranked_whole;
        EXIT WHEN everything;
        ranked_whole := limit_whole;
        ranked_once := limit_once;
        ranked_body := limit_body;
        round := round + 1;
        IF coalesce(cardinality(ids), 0) < max_results THEN
            floor := floor * 0.8;  -- the lengths grow as 2 ^ (weight / floor): about thrice as long at first
        ELSIF ranks[max_results] >= floor THEN
            -- Every cable left out ranks below floor, so below the last one kept.
            RAISE DEBUG 'ranked_cables: confined to % lexemes', limit_whole;
            EXIT;
        ELSE
            -- The last kept score is at most the answer's: ranking down to it ends the search, but a narrow
            -- round's last score can be far below the answer's, so the floor goes a tenth lower at most
            -- (to nothing when any length may reach that score: a query of excluded words scores 0).
            floor := CASE WHEN reporting.lexeme_limit(whole, ranks[max_results]) IS NULL THEN 0
                          ELSE greatest(ranks[max_results], floor * 0.9) END;
        END IF;
        -- After a dozen rounds (the words stand apart: the bound leaves out little), the rest at once.
        everything := round >= 12;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(ids, ranks);
END
$$
"""
RANKED_CABLES = RANKED_CABLES.replace("$re$LEXEME$re$", f"$re${BOUNDED_SEARCH['LEXEME']}$re$")
RANKED_CABLES_SIGNATURE = (
    "reporting.ranked_cables(text,integer,timestamp with time zone,timestamp with time zone,bigint[],text[],"
    "smallint,integer)"
)
SEARCH_FILTERS_SIGNATURE = (
    "reporting.search_filters(timestamp with time zone,timestamp with time zone,bigint[],text[],smallint)"
)


def upgrade() -> None:
    op.execute(f"ALTER TABLE cables ADD COLUMN subject_repeats boolean GENERATED ALWAYS AS ({SUBJECT_REPEATS}) STORED")
    op.execute(f"ALTER TABLE cables ADD COLUMN search_lexemes integer GENERATED ALWAYS AS ({SEARCH_LEXEMES}) STORED")
    for column in ("subject_repeats", "search_lexemes"):
        op.execute(f"ALTER TABLE cables ALTER COLUMN {column} SET NOT NULL")
    op.execute("DROP INDEX ix_cables_search_lexemes")
    op.execute("CREATE INDEX ix_cables_search_lexemes ON cables (search_lexemes)")
    op.execute(f"CREATE INDEX {REPEATING_INDEX} ON cables (search_lexemes) WHERE subject_repeats")
    op.execute(SEARCH_FILTERS)
    op.execute(RANKED_CABLES)
    op.execute(f"DROP FUNCTION {WITHOUT_PHRASES_SIGNATURE}")  # ranked_cables' estimate was its only use


def downgrade() -> None:
    before = BOUNDED_SEARCH["FUNCTIONS"]
    op.execute(before[WITHOUT_PHRASES_SIGNATURE][0])
    op.execute(
        f"COMMENT ON FUNCTION {WITHOUT_PHRASES_SIGNATURE} IS {quoted(SIMILAR_SUBJECTS['WITHOUT_PHRASES_COMMENT'])}"
    )
    for signature in (SEARCH_FILTERS_SIGNATURE, RANKED_CABLES_SIGNATURE):
        op.execute(before[signature][0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.execute(f"DROP INDEX {REPEATING_INDEX}")
    op.execute("DROP INDEX ix_cables_search_lexemes")
    op.execute(f"CREATE INDEX ix_cables_search_lexemes ON cables ({SEARCH_LEXEMES})")
    op.execute("ALTER TABLE cables DROP COLUMN search_lexemes, DROP COLUMN subject_repeats")
