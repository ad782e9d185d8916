-- Most-cited cables: how many cables in the archive cite each one, and whether it is in the archive.
-- chart: bars x=cited y=cited_by
-- param limit: integer, default 20. How many cited cables to list.
SELECT cited_canonical_id AS cited,
       bool_or(is_resolved) AS in_archive,
       max(cited_subject) AS subject,
       count(DISTINCT cable_id) AS cited_by
FROM reporting.cable_references
WHERE cited_canonical_id IS NOT NULL
GROUP BY cited_canonical_id
ORDER BY cited_by DESC, cited
LIMIT CAST(:limit AS integer)
