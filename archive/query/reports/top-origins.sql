-- Top origins by number of cables, with their classification mix.
-- chart: bars x=origin y=top_secret,secret,confidential,limited_official_use,sensitive_but_unclassified,unclassified
-- param limit: integer, default 20. How many origins to list.
SELECT coalesce(origin, '(unknown)') AS origin,
       count(*) AS cables,
       count(*) FILTER (WHERE level = 'TOP SECRET') AS top_secret,
       count(*) FILTER (WHERE level = 'SECRET') AS secret,
       count(*) FILTER (WHERE level = 'CONFIDENTIAL') AS confidential,
       count(*) FILTER (WHERE level = 'LIMITED OFFICIAL USE') AS limited_official_use,
       count(*) FILTER (WHERE level = 'SENSITIVE BUT UNCLASSIFIED') AS sensitive_but_unclassified,
       count(*) FILTER (WHERE level = 'UNCLASSIFIED') AS unclassified,
       count(*) FILTER (WHERE is_noforn) AS noforn,
       min(created_date) AS first_cable,
       max(created_date) AS last_cable
FROM reporting.cables
GROUP BY 1
ORDER BY cables DESC, origin
LIMIT CAST(:limit AS integer)
