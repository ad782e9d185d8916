"""Reporting for readers: ranked search, per-cable warnings and freshness.

What a BI user connected as a reader role lacked (issue #12):

* ``reporting.search(query, max_results)``: the ranked full-text search of ``archive search``
  as a set-returning SQL function. Same syntax (``websearch_to_tsquery``, english), same
  ranking (``ts_rank`` normalised by the vector's length, ties newest first then by reference
  id), same snippet (``ts_headline`` with the ``«»`` highlight), and the same fallback to
  similar subjects (pg_trgm) when the text matches nothing; ``tests/query/test_reporting_readers.py``
  holds it to ``archive.query.search``, the owner of that behaviour.
* ``reporting.cable_warnings``: one row per parse or load warning kept on a cable
  (``cables.warnings``).
* ``reporting.freshness``: when the newest input was stored, when the end-of-load work
  (references, aggregates) last finished, and how much the archive holds.

The new views are ``security_invoker`` and the function ``SECURITY INVOKER``: they read the
base tables with the privileges, and under the row-level security, of the role querying them.
Reader roles may now read ``load_state`` (for ``freshness``); like every table granted to
them it has row-level security enabled and forced, with one policy: its two markers are
everyone's to see.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The reporting layer as 0002 built it: its View type and its quoting.
REPORTING_LAYER: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("0002_reporting_layer.py")))
View = REPORTING_LAYER["View"]
quoted = REPORTING_LAYER["quoted"]

SEARCH = """
CREATE FUNCTION reporting.search(query text, max_results integer DEFAULT 20)
RETURNS TABLE (cable_id bigint, reference_id text, created_date date, subject text, rank real,
               snippet text, match text)
LANGUAGE sql STABLE SECURITY INVOKER PARALLEL SAFE AS $$
WITH text_hits AS (
    SELECT c.id, ts_rank(c.search_vector, websearch_to_tsquery('english', query), 1) AS rank, 'text' AS match
    FROM public.cables c
    WHERE c.search_vector @@ websearch_to_tsquery('english', query)
    ORDER BY 2 DESC, c.created DESC NULLS LAST, c.reference_id
    LIMIT max_results
), similar_subjects AS (
    SELECT c.id, public.word_similarity(query, coalesce(c.subject, '')) AS rank, 'similar subject' AS match
    FROM public.cables c
    WHERE c.subject OPERATOR(public.%>) query AND NOT EXISTS (SELECT FROM text_hits)
    ORDER BY 2 DESC, c.created DESC NULLS LAST, c.reference_id
    LIMIT max_results
)
SELECT c.id,
       c.reference_id,
       (c.created AT TIME ZONE 'UTC')::date,
       c.subject,
       hit.rank,
       btrim(regexp_replace(
           ts_headline('english', c.body, websearch_to_tsquery('english', query),
                       'StartSel="«", StopSel="»", MaxWords=30, MinWords=12, ShortWord=3, '
                       'MaxFragments=2, FragmentDelimiter=" … "'),
           '\\s+', ' ', 'g')),
       hit.match
FROM (SELECT * FROM text_hits UNION ALL SELECT * FROM similar_subjects) hit
JOIN public.cables c ON c.id = hit.id
ORDER BY hit.rank DESC, c.created DESC NULLS LAST, c.reference_id
$$
"""
SEARCH_SIGNATURE = "reporting.search(text, integer)"
SEARCH_COMMENT = (
    'Ranked full-text search, as `archive search` does it: web-search syntax (words, "phrases", or, '
    "-excluded), a word in the subject ranks above one in the body; when the text matches nothing, cables "
    "with a similarly spelt subject. The max_results best (default 20), best first, with a snippet of the "
    "body where the query words are marked «so». Example: SELECT * FROM reporting.search('deterrent presence')."
)

NEW_VIEWS = (
    View(
        "cable_warnings",
        "One row per warning the parser or the loader kept on a cable: a field it had to guess, repair or "
        "take from the publisher, a disagreement with the publisher's metadata.",
        """
        SELECT c.id AS cable_id,
               c.reference_id,
               w.position::integer,
               w.warning,
               (c.created AT TIME ZONE 'UTC')::date AS created_date
        FROM public.cables c
        CROSS JOIN LATERAL unnest(c.warnings) WITH ORDINALITY AS w (warning, position)
        """,
        {
            "cable_id": "Internal key of the cable; joins reporting.cables.",
            "reference_id": "Published reference id of the cable.",
            "position": "Order of the warning on the cable, from 1.",
            "warning": "The warning: no classification banner found, irregular paragraph numbering: 1 after 4, ...",
            "created_date": "The day the cable was sent, UTC.",
        },
    ),
    View(
        "freshness",
        "One row: when the archive was last loaded and its aggregates last brought up to date, and how much "
        "it holds (as far as the querying role may see).",
        """
        SELECT (SELECT max(s.loaded_at) FROM public.sources s) AS last_loaded_at,
               (SELECT ls.done_at FROM public.load_state ls WHERE ls.name = 'references_and_reporting')
                   AS aggregates_refreshed_at,
               (SELECT count(*) FROM public.cables) AS cables,
               (SELECT count(*) FROM public.cable_versions) AS cable_versions,
               (SELECT count(*) FROM public.sources) AS sources,
               (SELECT count(*) FROM public.cables c WHERE c.warnings <> '{}') AS cables_with_warnings,
               (SELECT min(c.created) FROM public.cables c) AS first_created,
               (SELECT max(c.created) FROM public.cables c) AS last_created,
               (SELECT v.version_num FROM public.alembic_version v) AS schema_revision
        """,
        {
            "last_loaded_at": "When the newest input in the archive was stored.",
            "aggregates_refreshed_at": "When a load last finished resolving references and refreshing the "
            "aggregates; empty while a load has stored cables they do not count yet.",
            "cables": "Number of cables.",
            "cable_versions": "Number of distinct cable texts (re-issues make more than one per cable).",
            "sources": "Number of inputs stored (files, or records of a bulk file).",
            "cables_with_warnings": "Number of cables with at least one warning (reporting.cable_warnings).",
            "first_created": "When the oldest cable was sent.",
            "last_created": "When the newest cable was sent.",
            "schema_revision": "The schema's migration revision.",
        },
    ),
)


def create_view(view: Any) -> None:
    """Create ``view``, reading with the querying role's rights, and comment on it and on every column."""
    columns = ", ".join(view.columns)
    op.execute(f"CREATE VIEW reporting.{view.name} ({columns}) WITH (security_invoker = true) AS {view.query}")
    op.execute(f"COMMENT ON VIEW reporting.{view.name} IS {quoted(view.comment)}")
    for column, comment in view.columns.items():
        op.execute(f"COMMENT ON COLUMN reporting.{view.name}.{column} IS {quoted(comment)}")


def upgrade() -> None:
    op.execute("ALTER TABLE public.load_state ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE public.load_state FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY everyone ON public.load_state USING (true) WITH CHECK (true)")
    op.execute(SEARCH)
    op.execute(f"COMMENT ON FUNCTION {SEARCH_SIGNATURE} IS {quoted(SEARCH_COMMENT)}")
    for view in NEW_VIEWS:
        create_view(view)


def downgrade() -> None:
    for view in reversed(NEW_VIEWS):
        op.execute(f"DROP VIEW reporting.{view.name}")
    op.execute(f"DROP FUNCTION {SEARCH_SIGNATURE}")
    op.execute("DROP POLICY everyone ON public.load_state")
    op.execute("ALTER TABLE public.load_state NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE public.load_state DISABLE ROW LEVEL SECURITY")
