-- Portion-marking audit: cables whose banner is above every marked paragraph (over-classified banners).
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       (array_agg(p.level ORDER BY p.level_rank DESC, p.position) FILTER (WHERE p.level IS NOT NULL))[1]
           AS highest_marking,
       count(p.level) AS marked_paragraphs,
       count(*) AS paragraphs,
       c.subject
FROM reporting.paragraphs p
JOIN reporting.cables c USING (cable_id)
GROUP BY c.cable_id, c.reference_id, c.classification, c.level, c.level_rank, c.subject
HAVING count(p.level) > 0 AND max(p.level_rank) < c.level_rank
ORDER BY c.reference_id
