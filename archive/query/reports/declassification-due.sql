-- Declassification schedule: cables whose DECL date has passed, longest overdue first.
-- param as_of: date, default today. The day to compare DECL dates with (YYYY-MM-DD).
-- param limit: integer, default 100. How many overdue cables to list; overdue_cables counts them all.
-- Nearly every cable is overdue today (251,287 rows at full scale): the first `limit` of them, read
-- in DECL order from the index on declassify_on, and their number, counted from that index.
SELECT c.reference_id,
       c.classification,
       c.declassify_on,
       CAST(:as_of AS date) - c.declassify_on AS days_overdue,
       o.name AS origin,
       c.subject,
       (SELECT count(*) FROM public.cables d WHERE d.declassify_on < CAST(:as_of AS date)) AS overdue_cables
FROM public.cables c
LEFT JOIN public.origins o ON o.id = c.origin_id
WHERE c.declassify_on < CAST(:as_of AS date)
ORDER BY c.declassify_on, c.reference_id
LIMIT CAST(:limit AS integer)
