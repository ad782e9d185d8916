-- Portion-marking audit: cables whose banner is above every marked paragraph (over-classified banners).
-- From the audit facts rebuilt at the end of each load (marking_audit: per cable whose highest
-- paragraph marking is not its banner's level, that marking and how many paragraphs are marked), not
-- every paragraph; a cable is listed to a reader who may read all of its paragraphs.
SELECT c.reference_id,
       c.classification,
       c.level AS banner,
       top.name AS highest_marking,
       m.marked_paragraphs,
       m.paragraphs,
       c.subject
FROM public.marking_audit m
JOIN public.classification_levels top ON top.rank = m.top_rank
JOIN reporting.cables c ON c.cable_id = m.cable_id
WHERE m.top_rank < m.banner_rank
ORDER BY c.reference_id
