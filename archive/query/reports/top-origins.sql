-- Top origins by number of cables, with their classification mix.
-- chart: bars x=origin y=top_secret,secret,confidential,limited_official_use,sensitive_but_unclassified,unclassified
-- param limit: integer, default 20. How many origins to list.
-- From the aggregate refreshed after each load.
SELECT origin,
       cables,
       top_secret,
       secret,
       confidential,
       limited_official_use,
       sensitive_but_unclassified,
       unclassified,
       noforn,
       (first_created AT TIME ZONE 'UTC')::date AS first_cable,
       (last_created AT TIME ZONE 'UTC')::date AS last_cable
FROM reporting.origins_summary
ORDER BY cables DESC, origin
LIMIT CAST(:limit AS integer)
