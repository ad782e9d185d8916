-- Cables per year for the most used tags (or one tag).
-- chart: timeline x=year y=cables series=tag
-- param limit: integer, default 8. How many of the most used tags to follow.
-- param tag: text, optional. Follow only this tag (PREL, KV, ...).
WITH chosen AS (
    SELECT tag
    FROM reporting.cable_tags
    WHERE CAST(:tag AS text) IS NULL OR tag = upper(CAST(:tag AS text))
    GROUP BY tag
    ORDER BY count(DISTINCT cable_id) DESC, tag
    LIMIT CAST(:limit AS integer)
)
SELECT t.tag, t.year, count(DISTINCT t.cable_id) AS cables
FROM reporting.cable_tags t
JOIN chosen USING (tag)
GROUP BY t.tag, t.year
ORDER BY t.tag, t.year
