-- Cables per year by classification level, with how many are NOFORN.
-- chart: timeline x=year y=top_secret,secret,confidential,limited_official_use,sensitive_but_unclassified,unclassified
-- param origin: text, optional. Only cables from origins matching this (forgiving: berlin, Embasy Berln).
SELECT year,
       count(*) AS cables,
       count(*) FILTER (WHERE level = 'TOP SECRET') AS top_secret,
       count(*) FILTER (WHERE level = 'SECRET') AS secret,
       count(*) FILTER (WHERE level = 'CONFIDENTIAL') AS confidential,
       count(*) FILTER (WHERE level = 'LIMITED OFFICIAL USE') AS limited_official_use,
       count(*) FILTER (WHERE level = 'SENSITIVE BUT UNCLASSIFIED') AS sensitive_but_unclassified,
       count(*) FILTER (WHERE level = 'UNCLASSIFIED') AS unclassified,
       count(*) FILTER (WHERE is_noforn) AS noforn
FROM reporting.cables
WHERE CAST(:origin AS text) IS NULL
   OR origin ILIKE '%' || CAST(:origin AS text) || '%'
   OR origin %> CAST(:origin AS text)
GROUP BY year
ORDER BY year
