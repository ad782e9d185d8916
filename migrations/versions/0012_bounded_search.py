"""One ranked search for ``archive search`` and BI readers: ``reporting.ranked_cables``, bounded and exact.

``archive search`` ranked with a bound on ``ts_rank`` (it ranked only the cables that can
reach the top, and gave exactly the full ranking's top), while ``reporting.search`` (0007)
ranked every match: 481 ms p95 for ``human rights`` at 25,000 cables (issue #12). The
bounded ranking now lives in one place, this plpgsql function, which both call:

``reporting.ranked_cables(query, max_results, created_from, created_before, origin_ids,
tags, level_rank_at_most, rank_all_below)`` gives (cable_id, rank) of the ``max_results``
best cables for a web-search query, best first: ``ts_rank(search_vector, query, 1)``, ties
newest first, then by reference id. The filters are optional and each one given must hold
(``tags``: every one of these codes, upper case). Why the bound is exact:

* ``ts_rank(v, q, 1) = F / log2(1 + n)``, where ``n``, the number of positions in ``v``, is
  at least ``length(v)``, its number of lexemes (indexed by ``ix_cables_search_lexemes``).
* ``F`` is below 1 for every query websearch_to_tsquery makes. When the root is ``&`` or a
  phrase, ts_rank (its ``calc_rank_and``) takes ``1 - (1 - w1)(1 - w2)…`` over pairs of
  nearby query positions, each ``w`` below 1 (weights at most 1.0, a distance factor below
  1); otherwise (its ``calc_rank_or``) the mean over the query's lexemes of a per-lexeme
  sum at most 1.
* For the second kind ("term-scored", ``reporting.search_bound`` says which) ``F`` is even
  at most the weight of the first position of a query lexeme in ``v``: the subject's
  positions (weight A, 1.0) precede the body's (weight B, 0.4). So such a cable ranks at
  most ``1.0 / log2(1 + length(v))`` when a query lexeme is in its subject
  (``ix_cables_subject_vector``), and ``0.4 / log2(1 + length(v))`` otherwise.
  Pair-scored queries have no such split: at most ``1.0 / log2(1 + length(v))``.

So once ``max_results`` cables are ranked, a cable longer than
``reporting.lexeme_limit(weight, last score)`` lexemes cannot beat the last one. The
function ranks exactly the cables of at most 256 (subject) or 32 (body) lexemes, then widens
the limits to what the last score allows (or fourfold while fewer than ``max_results``
match), up to four rounds, and returns as soon as a round's limits already cover what its
last score allows: every cable left out ranks below the last one kept. Otherwise, and when
the planner estimates that fewer than ``rank_all_below`` cables match under the filters
(phrases read as AND; an estimate only chooses the way, never the result), or the query
has prefix or weight marks (which websearch syntax never makes), it ranks every match. ``tests/load/test_corpus.py``
compares it with the full ranking on the real corpus for every query shape and filter.

The filters are part of every round's query, written into it only when given (dynamic SQL,
planned with the actual values), so a selective one is where the planner starts.
``reporting.search`` keeps its signature and results and takes its text hits from here.
Every function is ``SECURITY INVOKER``: a role that may not read ``cables.search_vector``
(cleared to less than everything) gets "permission denied", as from 0007's function.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READERS_LAYER: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0007_reporting_for_readers.py")))
quoted = READERS_LAYER["quoted"]

# A lexeme as a tsquery prints it: quoted ('' and \\ escaped), maybe a prefix or weight mark.
LEXEME = r"'((?:[^'\\]|''|\\.)*)'(:[*A-D]+)?"

SEARCH_BOUND = f"""
CREATE FUNCTION reporting.search_bound(query tsquery, OUT bounded boolean, OUT subject_terms tsquery)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    lexemes text[];
    marked boolean;
    depth integer := 0;
    operators text := '';
    symbol text;
BEGIN
    SELECT array_agg(m[1]), bool_or(m[2] IS NOT NULL) INTO lexemes, marked
    FROM regexp_matches(query::text, $re${LEXEME}$re$, 'g') m;
    bounded := lexemes IS NOT NULL AND NOT marked;
    IF NOT bounded THEN
        RETURN;
    END IF;
    -- The operators outside every parenthesis: the root is | (term-scored) or & / <-> (pair-scored).
    FOREACH symbol IN ARRAY regexp_split_to_array(regexp_replace(query::text, $re${LEXEME}$re$, 'x', 'g'), '') LOOP
        depth := depth + CASE symbol WHEN '(' THEN 1 WHEN ')' THEN -1 ELSE 0 END;
        IF depth = 0 AND symbol IN ('&', '|', '<') THEN
            operators := operators || symbol;
        END IF;
    END LOOP;
    IF strpos(operators, '|') > 0 OR NOT operators ~ '[&<]' THEN
        subject_terms := array_to_string(ARRAY(SELECT '''' || l || '''' FROM unnest(lexemes) l), ' | ')::tsquery;
    END IF;
END
$$
"""

WITHOUT_PHRASES = f"""
CREATE FUNCTION reporting.without_phrases(query tsquery) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    pieces text[] := regexp_split_to_array(query::text, $re${LEXEME}$re$);
    lexemes text[] := ARRAY(SELECT m[1] FROM regexp_matches(query::text, $re$({LEXEME})$re$, 'g') m);
    printed text := '';
BEGIN
    FOR i IN 1 .. cardinality(pieces) LOOP
        printed := printed || regexp_replace(pieces[i], '<(?:-|\\d+)>', '&', 'g') || coalesce(lexemes[i], '');
    END LOOP;
    RETURN printed::tsquery;
END
$$
"""

LEXEME_LIMIT = """
CREATE FUNCTION reporting.lexeme_limit(weight double precision, score double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN score > 0 AND weight / (score * (1 - 1e-6)) <= 30
            THEN ceil(2 ^ (weight / (score * (1 - 1e-6))))::bigint END
$$
"""

# Each given filter as a condition on cables c, after the text match. Tags and levels are looked up
# first and written in as ids, whose frequencies the planner knows (it misjudges upper(code) = 'PREL').
SEARCH_FILTERS = """
CREATE FUNCTION reporting.search_filters(
    created_from timestamptz, created_before timestamptz, origin_ids bigint[], tags text[],
    level_rank_at_most smallint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT concat_ws(' AND ', '',
    CASE WHEN created_from IS NOT NULL THEN 'c.created >= $2' END,
    CASE WHEN created_before IS NOT NULL THEN 'c.created < $3' END,
    CASE WHEN origin_ids IS NOT NULL THEN 'c.origin_id = ANY ($4)' END,
    (SELECT string_agg(format('EXISTS (SELECT FROM public.cable_tags ct WHERE ct.cable_id = c.id '
                              'AND ct.tag_id = ANY (%L::bigint[]))',
                              ARRAY(SELECT t.id FROM public.tags t WHERE upper(t.code) = tags[i])), ' AND ')
     FROM generate_subscripts(tags, 1) i),
    CASE WHEN level_rank_at_most IS NOT NULL THEN
        format('c.classification_level_id = ANY (%L::smallint[])',
               ARRAY(SELECT l.id FROM public.classification_levels l WHERE l.rank <= level_rank_at_most)) END)
$$
"""

RANKED_CABLES = """
CREATE FUNCTION reporting.ranked_cables(
    query text, max_results integer DEFAULT 20,
    created_from timestamptz DEFAULT NULL, created_before timestamptz DEFAULT NULL,
    origin_ids bigint[] DEFAULT NULL, tags text[] DEFAULT NULL, level_rank_at_most smallint DEFAULT NULL,
    rank_all_below integer DEFAULT 2000)
RETURNS TABLE (cable_id bigint, rank real)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER PARALLEL SAFE AS $$  -- volatile: it asks EXPLAIN
DECLARE
    q tsquery := websearch_to_tsquery('english', query);
    bound record := reporting.search_bound(q);
    filters text := reporting.search_filters(created_from, created_before, origin_ids, tags, level_rank_at_most);
    best_first constant text := 'rank DESC, created DESC NULLS LAST, reference_id';
    ranking text;
    confined text := ' AND length(c.search_vector) <= $8';
    limit_a bigint := 256;  -- the most lexemes of a cable ranked in a round when it may score 1.0 / log2(1 + n)
    limit_b bigint := 32;  -- the same when it may score 0.4 / log2(1 + n) (term-scored, no query word in its subject)
    needed_a bigint;
    needed_b bigint;
    plan json;
    matching double precision := 0;
    ids bigint[];
    ranks real[];
BEGIN
    ranking := 'SELECT c.id, ts_rank(c.search_vector, $1, 1) AS rank, c.created, c.reference_id '
        || 'FROM public.cables c WHERE c.search_vector @@ $1' || filters || ' %s ORDER BY ' || best_first
        || ' LIMIT $10';
    IF bound.subject_terms IS NOT NULL THEN
        confined := ' AND (length(c.search_vector) <= $9 OR (length(c.search_vector) <= $8 AND '
            || 'to_tsvector(''english''::regconfig, coalesce(c.subject, '''')) @@ $7))';
    END IF;
    IF bound.bounded AND max_results > 0 THEN
        -- The planner's estimate of the matches (phrases read as AND) chooses how to rank: no scan.
        EXECUTE 'EXPLAIN (FORMAT JSON) SELECT FROM public.cables c WHERE c.search_vector @@ $7' || filters
            INTO plan
            USING q, created_from, created_before, origin_ids, tags, level_rank_at_most,
                  reporting.without_phrases(q), NULL::bigint, NULL::bigint, max_results;
        matching := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
    END IF;
    FOR round IN 1 .. 4 LOOP
        EXIT WHEN NOT coalesce(matching >= rank_all_below, false);
        EXECUTE format('SELECT array_agg(id ORDER BY %s), array_agg(rank ORDER BY %s) FROM (%s) top',
                       best_first, best_first, format(ranking, confined))
            INTO ids, ranks
            USING q, created_from, created_before, origin_ids, tags, level_rank_at_most,
                  bound.subject_terms, limit_a, limit_b, max_results;
        IF coalesce(cardinality(ids), 0) < max_results THEN
            -- Too few short cables hold the words of a pair-scored query (a phrase's positions are
            -- checked in each): wider rounds would re-read them before ranking everything anyway.
            EXIT WHEN bound.subject_terms IS NULL;
            limit_a := limit_a * 4;
            limit_b := limit_b * 4;
            CONTINUE;
        END IF;
        needed_a := reporting.lexeme_limit(1.0, ranks[max_results]);
        needed_b := CASE WHEN bound.subject_terms IS NOT NULL THEN reporting.lexeme_limit(0.4, ranks[max_results]) END;
        EXIT WHEN needed_a IS NULL OR (bound.subject_terms IS NOT NULL AND needed_b IS NULL);
        IF needed_a <= limit_a AND (bound.subject_terms IS NULL OR needed_b <= limit_b) THEN
            -- Every cable left out ranks below the last one kept.
            RAISE DEBUG 'ranked_cables: confined to % and % lexemes', limit_a, limit_b;
            RETURN QUERY SELECT * FROM unnest(ids, ranks);
            RETURN;
        END IF;
        limit_a := greatest(limit_a, needed_a);
        limit_b := greatest(limit_b, needed_b);
    END LOOP;
    RETURN QUERY EXECUTE format('SELECT id, rank FROM (%s) top ORDER BY %s', format(ranking, ''), best_first)
        USING q, created_from, created_before, origin_ids, tags, level_rank_at_most,
              NULL::tsquery, NULL::bigint, NULL::bigint, max_results;
END
$$
"""

SEARCH = READERS_LAYER["SEARCH"]
TEXT_HITS_BEFORE = """
    SELECT c.id, ts_rank(c.search_vector, websearch_to_tsquery('english', query), 1) AS rank, 'text' AS match
    FROM public.cables c
    WHERE c.search_vector @@ websearch_to_tsquery('english', query)
    ORDER BY 2 DESC, c.created DESC NULLS LAST, c.reference_id
    LIMIT max_results
"""
TEXT_HITS = """
    SELECT r.cable_id AS id, r.rank, 'text' AS match
    FROM reporting.ranked_cables(query, max_results) WITH ORDINALITY r (cable_id, rank, position)
    ORDER BY r.position
"""
SEARCH_SIGNATURE = READERS_LAYER["SEARCH_SIGNATURE"]

FUNCTIONS = {
    "reporting.search_bound(tsquery)": (
        SEARCH_BOUND,
        "Which rank bound holds for a tsquery in ranked search: bounded is false for an empty query or one with "
        "prefix or weight marks; subject_terms (its lexemes, OR-ed) is set when ts_rank scores it term by term "
        "(root not & or a phrase), so a cable whose subject holds none of them ranks at most 0.4 / log2(1 + n).",
    ),
    "reporting.without_phrases(tsquery)": (
        WITHOUT_PHRASES,
        "The tsquery with every phrase operator (<->, <2>) replaced by &: it matches at least what the query "
        "matches, and the index alone answers it. Used to count matches before choosing how to rank.",
    ),
    "reporting.lexeme_limit(double precision,double precision)": (
        LEXEME_LIMIT,
        "The most lexemes a cable may have and still rank score when its best query word weighs weight: "
        "weight / log2(1 + n) >= score, with a hair of slack for float rounding; empty when any length would do.",
    ),
    "reporting.search_filters(timestamp with time zone,timestamp with time zone,bigint[],text[],smallint)": (
        SEARCH_FILTERS,
        "The SQL conditions on cables c that ranked_cables adds to the text match for each filter given (parameters $2 to $6),"
        " so that every ranking round is planned with only the filters in use.",
    ),
    "reporting.ranked_cables(text,integer,timestamp with time zone,timestamp with time zone,bigint[],text[],"
    "smallint,integer)": (
        RANKED_CABLES,
        "The ranked full-text search of `archive search` and reporting.search: (cable_id, rank) of the "
        "max_results best cables for a web-search query, best first (ts_rank normalised by length, ties newest "
        "first then by reference id), optionally only those created in [created_from, created_before), from "
        "one of origin_ids, with every one of tags (upper case) and a level of rank at most level_rank_at_most. "
        "Exact, but ranks only the cables that can reach the top when rank_all_below or more match (migration "
        "0012 gives the proof). Example: SELECT * FROM reporting.ranked_cables('nuclear weapons', 20).",
    ),
}


def upgrade() -> None:
    for signature, (definition, comment) in FUNCTIONS.items():
        op.execute(definition)
        op.execute(f"COMMENT ON FUNCTION {signature} IS {quoted(comment)}")
    op.execute(SEARCH.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).replace(TEXT_HITS_BEFORE, TEXT_HITS))


def downgrade() -> None:
    op.execute(SEARCH.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
