-- Cables per year for the most used tags (or one tag).
-- chart: timeline x=year y=cables series=tag
-- param limit: integer, default 8. How many of the most used tags to follow.
-- param tag: text, optional. Follow only this tag (PREL, KV, ...).
-- From the aggregate refreshed after each load (a cable has one year, so its counts add up).
WITH chosen AS (
    SELECT tag
    FROM reporting.tags_by_year
    WHERE CAST(:tag AS text) IS NULL OR tag = upper(CAST(:tag AS text))
    GROUP BY tag
    ORDER BY sum(cables) DESC, tag
    LIMIT CAST(:limit AS integer)
)
SELECT t.tag, t.year, CAST(sum(t.cables) AS bigint) AS cables
FROM reporting.tags_by_year t
JOIN chosen USING (tag)
GROUP BY t.tag, t.year
ORDER BY t.tag, t.year
