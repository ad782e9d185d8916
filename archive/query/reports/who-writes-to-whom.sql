-- Who writes to whom: cables per origin and addressee, as action (TO) and for information (INFO).
-- chart: bars x=origin,addressee y=to_cables,info_cables
-- param limit: integer, default 20. How many origin-addressee pairs to list.
-- param origin: text, optional. Only origins matching this (forgiving: berlin).
-- param addressee: text, optional. Only addressees matching this (forgiving: secstate, USNATO).
-- Each cable's addressees are reduced to one row per name first (a name may be TO and INFO, or
-- have two routings), so the counts need no DISTINCT and both cores can share the grouping.
WITH addressed AS (
    SELECT r.cable_id,
           a.name AS addressee,
           bool_or(r.role = 'TO') AS is_to,
           bool_or(r.role = 'INFO') AS is_info
    FROM public.recipients r
    JOIN public.addressees a ON a.id = r.addressee_id
    WHERE CAST(:addressee AS text) IS NULL
       OR a.name ILIKE '%' || CAST(:addressee AS text) || '%'
       OR a.name %> CAST(:addressee AS text)
    GROUP BY r.cable_id, a.name
)
SELECT coalesce(o.name, '(unknown)') AS origin,
       addressed.addressee,
       count(*) AS cables,
       count(*) FILTER (WHERE addressed.is_to) AS to_cables,
       count(*) FILTER (WHERE addressed.is_info) AS info_cables
FROM addressed
JOIN public.cables c ON c.id = addressed.cable_id
LEFT JOIN public.origins o ON o.id = c.origin_id
WHERE CAST(:origin AS text) IS NULL
   OR o.name ILIKE '%' || CAST(:origin AS text) || '%'
   OR o.name %> CAST(:origin AS text)
GROUP BY 1, 2
ORDER BY cables DESC, origin, addressee
LIMIT CAST(:limit AS integer)
