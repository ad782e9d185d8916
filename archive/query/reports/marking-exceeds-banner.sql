-- Portion-marking audit: cables with paragraphs marked above the cable's banner.
WITH above AS (
    SELECT p.cable_id,
           (array_agg(l.name ORDER BY l.rank DESC, p.position))[1] AS highest_marking,
           string_agg(coalesce(p.number::text, '#' || p.position) || ' (' || p.marking || ')', ', '
                      ORDER BY p.position) AS paragraphs_above_banner
    FROM public.paragraphs p
    JOIN public.classification_levels l ON l.id = p.classification_level_id
    JOIN public.cables c ON c.id = p.cable_id
    JOIN public.classification_levels banner ON banner.id = c.classification_level_id
    WHERE l.rank > banner.rank
    GROUP BY p.cable_id
)
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       above.highest_marking,
       above.paragraphs_above_banner,
       c.subject
FROM above
JOIN reporting.cables c USING (cable_id)
ORDER BY c.reference_id
