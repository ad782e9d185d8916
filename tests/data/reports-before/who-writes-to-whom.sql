-- Who writes to whom: cables per origin and addressee, as action (TO) and for information (INFO).
-- chart: bars x=origin,addressee y=to_cables,info_cables
-- param limit: integer, default 20. How many origin-addressee pairs to list.
-- param origin: text, optional. Only origins matching this (forgiving: berlin).
-- param addressee: text, optional. Only addressees matching this (forgiving: secstate, USNATO).
SELECT coalesce(origin, '(unknown)') AS origin,
       addressee,
       count(DISTINCT cable_id) AS cables,
       count(DISTINCT cable_id) FILTER (WHERE role = 'TO') AS to_cables,
       count(DISTINCT cable_id) FILTER (WHERE role = 'INFO') AS info_cables
FROM reporting.recipients
WHERE (CAST(:origin AS text) IS NULL
       OR origin ILIKE '%' || CAST(:origin AS text) || '%'
       OR origin %> CAST(:origin AS text))
  AND (CAST(:addressee AS text) IS NULL
       OR addressee ILIKE '%' || CAST(:addressee AS text) || '%'
       OR addressee %> CAST(:addressee AS text))
GROUP BY 1, 2
ORDER BY cables DESC, origin, addressee
LIMIT CAST(:limit AS integer)
