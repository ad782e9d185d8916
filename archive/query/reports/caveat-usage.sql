-- Caveat usage: how many cables carry each handling caveat (NOFORN, SIPDIS, ...), and when.
-- chart: bars x=caveat y=cables
-- A cable carries a caveat once (the key of cable_caveats), so the counts need no DISTINCT.
SELECT cv.name AS caveat,
       cv.description,
       count(*) AS cables,
       round(100.0 * count(*) / (SELECT count(*) FROM public.cables), 1) AS percent_of_cables,
       extract(year FROM min(c.created) AT TIME ZONE 'UTC')::integer AS first_year,
       extract(year FROM max(c.created) AT TIME ZONE 'UTC')::integer AS last_year
FROM public.cable_caveats cc
JOIN public.caveats cv ON cv.id = cc.caveat_id
JOIN public.cables c ON c.id = cc.cable_id
GROUP BY cv.id, cv.name, cv.description
ORDER BY cables DESC, caveat
