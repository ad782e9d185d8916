-- References to cables that are not in the archive, most cited first, with who cites them.
-- chart: bars x=cited y=cited_by
-- param limit: integer, default 50. How many cited cables to list.
SELECT coalesce(cited_canonical_id, cited_text) AS cited,
       count(DISTINCT cable_id) AS cited_by,
       string_agg(DISTINCT reference_id, ' ') AS citing
FROM reporting.cable_references
WHERE kind = 'cable' AND NOT is_resolved
GROUP BY 1
ORDER BY cited_by DESC, cited
LIMIT CAST(:limit AS integer)
