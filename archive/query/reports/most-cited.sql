-- Most-cited cables: how many cables in the archive cite each one, and whether it is in the archive.
-- chart: bars x=cited y=cited_by
-- param limit: integer, default 20. How many cited cables to list.
-- From the aggregate refreshed after each load.
SELECT cited_canonical_id AS cited,
       is_resolved AS in_archive,
       cited_subject AS subject,
       cited_by
FROM reporting.citations
ORDER BY cited_by DESC, cited
LIMIT CAST(:limit AS integer)
