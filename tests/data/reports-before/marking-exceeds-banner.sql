-- Portion-marking audit: cables with paragraphs marked above the cable's banner.
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       (array_agg(p.level ORDER BY p.level_rank DESC, p.position))[1] AS highest_marking,
       string_agg(coalesce(p.number::text, '#' || p.position) || ' (' || p.marking || ')', ', ' ORDER BY p.position)
           AS paragraphs_above_banner,
       c.subject
FROM reporting.paragraphs p
JOIN reporting.cables c USING (cable_id)
WHERE p.exceeds_banner
GROUP BY c.cable_id, c.reference_id, c.classification, c.level, c.subject
ORDER BY c.reference_id
