-- Who writes to whom: cables per origin and addressee, as action (TO) and for information (INFO).
-- chart: bars x=origin,addressee y=to_cables,info_cables
-- param limit: integer, default 20. How many origin-addressee pairs to list.
-- param origin: text, optional. Only origins matching this (forgiving: berlin).
-- param addressee: text, optional. Only addressees matching this (forgiving: secstate, USNATO).
-- Sums the summary rebuilt at the end of each load (addressee_totals: each cable's addressees
-- reduced to one row per name, counted per origin, name and clearance), not every recipient row.
SELECT coalesce(o.name, '(unknown)') AS origin,
       t.addressee,
       sum(t.cables)::bigint AS cables,
       sum(t.to_cables)::bigint AS to_cables,
       sum(t.info_cables)::bigint AS info_cables
FROM public.addressee_totals t
LEFT JOIN public.origins o ON o.id = t.origin_id
WHERE (CAST(:addressee AS text) IS NULL
       OR t.addressee ILIKE '%' || CAST(:addressee AS text) || '%'
       OR t.addressee %> CAST(:addressee AS text))
  AND (CAST(:origin AS text) IS NULL
       OR o.name ILIKE '%' || CAST(:origin AS text) || '%'
       OR o.name %> CAST(:origin AS text))
GROUP BY 1, 2
ORDER BY cables DESC, origin, addressee
LIMIT CAST(:limit AS integer)
