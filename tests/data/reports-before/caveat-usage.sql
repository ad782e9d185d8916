-- Caveat usage: how many cables carry each handling caveat (NOFORN, SIPDIS, ...), and when.
-- chart: bars x=caveat y=cables
SELECT cv.caveat,
       cv.description,
       count(DISTINCT cv.cable_id) AS cables,
       round(100.0 * count(DISTINCT cv.cable_id) / (SELECT count(*) FROM reporting.cables), 1) AS percent_of_cables,
       min(cv.year) AS first_year,
       max(cv.year) AS last_year
FROM reporting.cable_caveats cv
GROUP BY cv.caveat, cv.description
ORDER BY cables DESC, cv.caveat
