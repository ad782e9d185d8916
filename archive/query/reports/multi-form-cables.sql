-- Cables published in more than one form (telegram text, FRUS TEI, FRUS text, scan), each with its forms.
-- param limit: integer, default 100. How many cables to list.
-- The first form listed is the one the cable's fields come from; disagreements are in the cable's warnings.
-- A second edition is never a second telegram: the editions of other forms (a partial index of the
-- few there are) name every cable to look at, so the editions of the others are not read.
SELECT e.reference_id,
       string_agg(e.form, ' ' ORDER BY e.authority) AS forms,
       count(*) AS editions,
       min(e.created) FILTER (WHERE e.gives_cable_fields) AS created,
       min(e.subject) FILTER (WHERE e.gives_cable_fields) AS subject,
       string_agg(DISTINCT e.classification, ' / ') AS classifications
FROM reporting.cable_editions e
WHERE e.cable_id IN (SELECT cable_id FROM public.cable_editions WHERE form <> 'telegram')
GROUP BY e.cable_id, e.reference_id
HAVING count(*) > 1
ORDER BY count(*) DESC, min(e.created), e.reference_id
LIMIT CAST(:limit AS integer)
