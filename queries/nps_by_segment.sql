-- NPS by RFM segment (as of as_of(); 'Prospects' without a completed order): survey answers of
-- the 12 months up to as_of(), their count, promoters (9-10), detractors (0-6) and the NPS.
SELECT coalesce(r.segment, 'Prospects') AS segment,
       count(i.nps_score) AS answers,
       count(*) FILTER (WHERE i.nps_score >= 9) AS promoters,
       count(*) FILTER (WHERE i.nps_score <= 6) AS detractors,
       nps(i.nps_score) AS nps
FROM interactions AS i
LEFT JOIN segments.rfm AS r ON r.customer_id = i.customer_id
WHERE i.nps_score IS NOT NULL
  AND CAST(i.ts AS DATE) <= as_of() AND CAST(i.ts AS DATE) > as_of() - INTERVAL '12 months'
GROUP BY 1
