-- Caveat usage: how many cables carry each handling caveat (NOFORN, SIPDIS, ...), and when.
-- chart: bars x=caveat y=cables
-- Sums the summaries rebuilt at the end of each load (caveat_totals, and cable_totals for the
-- share): a cable carries a caveat once, and is counted in one clearance group.
SELECT cv.name AS caveat,
       cv.description,
       sum(t.cables)::bigint AS cables,
       round(100.0 * sum(t.cables) / (SELECT sum(cables) FROM public.cable_totals), 1) AS percent_of_cables,
       extract(year FROM min(t.first_created) AT TIME ZONE 'UTC')::integer AS first_year,
       extract(year FROM max(t.last_created) AT TIME ZONE 'UTC')::integer AS last_year
FROM public.caveat_totals t
JOIN public.caveats cv ON cv.id = t.caveat_id
GROUP BY cv.id, cv.name, cv.description
ORDER BY cables DESC, caveat
