-- Declassification schedule: cables whose DECL date has passed, longest overdue first.
-- param as_of: date, default today. The day to compare DECL dates with (YYYY-MM-DD).
SELECT reference_id,
       classification,
       declassify_on,
       CAST(:as_of AS date) - declassify_on AS days_overdue,
       origin,
       subject
FROM reporting.cables
WHERE declassify_on < CAST(:as_of AS date)
ORDER BY declassify_on, reference_id
