-- Most-cited cables: how many cables in the archive cite each one, and whether it is in the archive.
-- param limit: integer, default 20. How many cited cables to list.
-- As reporting.citations counted when queried, before migration 0011 (its definition inlined).
SELECT r.cited_canonical_id AS cited,
       bool_or(r.is_resolved) AS in_archive,
       max(r.cited_subject) AS subject,
       count(DISTINCT r.cable_id) AS cited_by
FROM reporting.cable_references r
WHERE r.cited_canonical_id IS NOT NULL
GROUP BY r.cited_canonical_id
ORDER BY cited_by DESC, cited
LIMIT CAST(:limit AS integer)
