-- Most-cited cables: how many cables in the archive cite each one, and whether it is in the archive.
-- chart: bars x=cited y=cited_by
-- param limit: integer, default 20. How many cited cables to list.
-- Sums the summary rebuilt at the end of each load (citation_totals), and names only the cables
-- listed (reporting.citations names every cited cable before it could be sorted).
WITH most AS (
    SELECT cited_canonical_id,
           bool_or(cited_cable_id IS NOT NULL) AS in_archive,
           max(cited_cable_id) AS cited_cable_id,
           sum(cables)::bigint AS cited_by
    FROM public.citation_totals
    GROUP BY cited_canonical_id
    ORDER BY cited_by DESC, cited_canonical_id
    LIMIT CAST(:limit AS integer)
)
SELECT most.cited_canonical_id AS cited,
       most.in_archive,
       c.subject,
       most.cited_by
FROM most
LEFT JOIN public.cables c ON c.id = most.cited_cable_id
ORDER BY most.cited_by DESC, cited
