-- Cables per year by classification level, with how many are NOFORN.
-- chart: timeline x=year y=top_secret,secret,confidential,limited_official_use,sensitive_but_unclassified,unclassified
-- param origin: text, optional. Only cables from origins matching this (forgiving: berlin, Embasy Berln).
-- Sums the summary rebuilt at the end of each load (cable_totals: cables per year, month, origin,
-- classification and clearance), not every cable.
SELECT t.year,
       sum(t.cables)::bigint AS cables,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'TOP SECRET'), 0)::bigint AS top_secret,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'SECRET'), 0)::bigint AS secret,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'CONFIDENTIAL'), 0)::bigint AS confidential,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'LIMITED OFFICIAL USE'), 0)::bigint AS limited_official_use,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'SENSITIVE BUT UNCLASSIFIED'), 0)::bigint
           AS sensitive_but_unclassified,
       coalesce(sum(t.cables) FILTER (WHERE l.name = 'UNCLASSIFIED'), 0)::bigint AS unclassified,
       coalesce(sum(t.cables) FILTER (WHERE 'NOFORN' = ANY (t.clearance_caveats)), 0)::bigint AS noforn
FROM public.cable_totals t
JOIN public.classification_levels l ON l.rank = t.clearance_rank
LEFT JOIN public.origins o ON o.id = t.origin_id
WHERE CAST(:origin AS text) IS NULL
   OR o.name ILIKE '%' || CAST(:origin AS text) || '%'
   OR o.name %> CAST(:origin AS text)
GROUP BY t.year
ORDER BY t.year
