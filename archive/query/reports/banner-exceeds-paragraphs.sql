-- Portion-marking audit: cables whose banner is above every marked paragraph (over-classified banners).
WITH marked AS (
    SELECT p.cable_id,
           max(l.rank) AS top_rank,
           count(l.rank) AS marked_paragraphs,
           count(*) AS paragraphs
    FROM public.paragraphs p
    LEFT JOIN public.classification_levels l ON l.id = p.classification_level_id
    GROUP BY p.cable_id
)
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       (SELECT l.name FROM public.classification_levels l WHERE l.rank = m.top_rank) AS highest_marking,
       m.marked_paragraphs,
       m.paragraphs,
       c.subject
FROM marked m
JOIN reporting.cables c USING (cable_id)
WHERE m.marked_paragraphs > 0 AND m.top_rank < c.level_rank
ORDER BY c.reference_id
