-- Portion-marking audit: cables whose banner is above every marked paragraph (over-classified banners).
-- Paragraphs are counted per cable first, then joined to the few cables that qualify (grouping
-- every paragraph row by the cable's columns took five times as long).
WITH marked AS (
    SELECT cable_id,
           max(level_rank) AS top_rank,
           count(level) AS marked_paragraphs,
           count(*) AS paragraphs
    FROM reporting.paragraphs
    GROUP BY cable_id
)
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       (SELECT p.level
        FROM reporting.paragraphs p
        WHERE p.cable_id = m.cable_id AND p.level_rank = m.top_rank
        LIMIT 1) AS highest_marking,
       m.marked_paragraphs,
       m.paragraphs,
       c.subject
FROM marked m
JOIN reporting.cables c USING (cable_id)
WHERE m.marked_paragraphs > 0 AND m.top_rank < c.level_rank
ORDER BY c.reference_id
