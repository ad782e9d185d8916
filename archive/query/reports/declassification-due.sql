-- Declassification schedule: cables whose DECL date has passed, longest overdue first.
-- param as_of: date, default today. The day to compare DECL dates with (YYYY-MM-DD).
-- The caveats are gathered once for every cable (one pass over cable_caveats), not looked up
-- for each of the (at 251,287 cables, nearly all) overdue ones.
WITH caveats AS (
    SELECT cc.cable_id, array_agg(cv.name ORDER BY cv.name) AS names
    FROM public.cable_caveats cc
    JOIN public.caveats cv ON cv.id = cc.caveat_id
    GROUP BY cc.cable_id
)
SELECT c.reference_id,
       reporting.classification_label(l.name, coalesce(caveats.names, '{}')) AS classification,
       c.declassify_on,
       CAST(:as_of AS date) - c.declassify_on AS days_overdue,
       o.name AS origin,
       c.subject
FROM public.cables c
JOIN public.classification_levels l ON l.id = c.classification_level_id
LEFT JOIN public.origins o ON o.id = c.origin_id
LEFT JOIN caveats ON caveats.cable_id = c.id
WHERE c.declassify_on < CAST(:as_of AS date)
ORDER BY c.declassify_on, c.reference_id
