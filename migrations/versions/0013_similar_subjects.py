"""The trigram fallback of ranked search in one place too: ``reporting.similar_subjects``.

When a query's words match nothing (a misspelt word), ``archive search`` and
``reporting.search`` return the cables whose subjects are spelt most like it (pg_trgm word
similarity, ``%>`` on the trigram index of ``cables.subject``). ``archive search`` asked for
similarity 0.8, then 0.7, then pg_trgm's threshold (0.6 unless set), stopping at the first
that gives ``max_results`` subjects; ``reporting.search`` asked for the last one at once.
Both now call this function, which steps as ``archive search`` did. Exact: ``%>`` admits
exactly the subjects at the threshold or above, so when a threshold gives ``max_results``
of them, every subject left out is less similar than every one kept (the trigram index
prunes more the higher it is); ``tests/load/test_corpus.py`` compares it with the
one-threshold search (``steps`` empty) on the corpus.

It takes the filters of ``reporting.ranked_cables`` (``reporting.search_filters``) and reads
no whole text: a role cleared to less than everything may call it (it sees the subjects of
the cables it may see). The threshold is set with ``SET LOCAL`` (readers may not call
``set_config``) and set back to what it was before returning.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 07:45:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOUNDED_SEARCH: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0012_bounded_search.py")))
quoted = BOUNDED_SEARCH["quoted"]

SIMILAR_SUBJECTS = """
CREATE FUNCTION reporting.similar_subjects(
    query text, max_results integer DEFAULT 20,
    created_from timestamptz DEFAULT NULL, created_before timestamptz DEFAULT NULL,
    origin_ids bigint[] DEFAULT NULL, tags text[] DEFAULT NULL, level_rank_at_most smallint DEFAULT NULL,
    steps real[] DEFAULT '{0.8,0.7}')
RETURNS TABLE (cable_id bigint, similarity real)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$  -- volatile: it sets the threshold
DECLARE
    configured text := current_setting('pg_trgm.word_similarity_threshold', true);
    pg_trgm_floor real := coalesce(nullif(configured, '')::real, 0.6);  -- its default until pg_trgm is loaded
    threshold real;
    ids bigint[];
    similarities real[];
BEGIN
    FOREACH threshold IN ARRAY ARRAY(SELECT s FROM unnest(steps) s WHERE s > pg_trgm_floor ORDER BY s DESC)
                               || pg_trgm_floor LOOP
        EXECUTE format('SET LOCAL pg_trgm.word_similarity_threshold = %s', threshold);
        EXECUTE 'SELECT array_agg(id ORDER BY similarity DESC, created DESC NULLS LAST, reference_id), '
                '       array_agg(similarity ORDER BY similarity DESC, created DESC NULLS LAST, reference_id) '
                'FROM (SELECT c.id, public.word_similarity($8, coalesce(c.subject, '''')) AS similarity, '
                '             c.created, c.reference_id '
                '      FROM public.cables c WHERE c.subject OPERATOR(public.%>) $8'
                || reporting.search_filters(created_from, created_before, origin_ids, tags, level_rank_at_most)
                || '      ORDER BY 2 DESC, 3 DESC NULLS LAST, 4 LIMIT $7) top'
            INTO ids, similarities
            USING NULL::tsquery, created_from, created_before, origin_ids, tags, level_rank_at_most,
                  max_results, query;
        EXIT WHEN coalesce(cardinality(ids), 0) >= max_results;
    END LOOP;
    EXECUTE format('SET LOCAL pg_trgm.word_similarity_threshold = %s', pg_trgm_floor);
    RETURN QUERY SELECT * FROM unnest(ids, similarities);
END
$$
"""
SIMILAR_SUBJECTS_SIGNATURE = (
    "reporting.similar_subjects(text,integer,timestamp with time zone,timestamp with time zone,bigint[],text[],"
    "smallint,real[])"
)
SIMILAR_SUBJECTS_COMMENT = (
    "Ranked search's fallback when the words match nothing: (cable_id, similarity) of the max_results cables whose "
    "subjects are spelt most like the query (pg_trgm word similarity), best first, ties newest first then by "
    "reference id, under the filters of reporting.ranked_cables. Tries the similarity thresholds of steps, then "
    "pg_trgm's own, and stops at the first that gives max_results. Example: "
    "SELECT * FROM reporting.similar_subjects('goverment', 20)."
)

SEARCH = BOUNDED_SEARCH["SEARCH"].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
BOUNDED_TEXT_HITS = SEARCH.replace(BOUNDED_SEARCH["TEXT_HITS_BEFORE"], BOUNDED_SEARCH["TEXT_HITS"])
SIMILAR_BEFORE = """
    SELECT c.id, public.word_similarity(query, coalesce(c.subject, '')) AS rank, 'similar subject' AS match
    FROM public.cables c
    WHERE c.subject OPERATOR(public.%>) query AND NOT EXISTS (SELECT FROM text_hits)
    ORDER BY 2 DESC, c.created DESC NULLS LAST, c.reference_id
    LIMIT max_results
"""
SIMILAR = """
    SELECT s.cable_id AS id, s.similarity AS rank, 'similar subject' AS match
    FROM reporting.similar_subjects(query, max_results) WITH ORDINALITY s (cable_id, similarity, position)
    WHERE NOT EXISTS (SELECT FROM text_hits)
    ORDER BY s.position
"""
WITHOUT_PHRASES_COMMENT = (
    "The tsquery with every phrase operator (<->, <2>) replaced by &: it matches at least what the query "
    "matches, and the index alone answers it. ranked_cables asks the planner how many cables it matches "
    "before choosing how to rank."
)


def upgrade() -> None:
    assert SIMILAR_BEFORE in BOUNDED_TEXT_HITS, "reporting.search is not as 0007 and 0012 made it"
    op.execute(SIMILAR_SUBJECTS)
    op.execute(f"COMMENT ON FUNCTION {SIMILAR_SUBJECTS_SIGNATURE} IS {quoted(SIMILAR_SUBJECTS_COMMENT)}")
    op.execute(BOUNDED_TEXT_HITS.replace(SIMILAR_BEFORE, SIMILAR))
    op.execute(f"COMMENT ON FUNCTION reporting.without_phrases(tsquery) IS {quoted(WITHOUT_PHRASES_COMMENT)}")


def downgrade() -> None:
    without_phrases_comment = BOUNDED_SEARCH["FUNCTIONS"]["reporting.without_phrases(tsquery)"][1]
    op.execute(f"COMMENT ON FUNCTION reporting.without_phrases(tsquery) IS {quoted(without_phrases_comment)}")
    op.execute(BOUNDED_TEXT_HITS)
    op.execute(f"DROP FUNCTION {SIMILAR_SUBJECTS_SIGNATURE}")
