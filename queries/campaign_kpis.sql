-- Campaign KPIs of the 12 months up to as_of(), by RFM segment (as of as_of(); 'Prospects'
-- for customers without a completed order) and channel: outbound campaign contacts, response
-- and conversion rates (fractions), cost per contact and per conversion (money, 6 decimals;
-- NULL without conversions).
SELECT coalesce(r.segment, 'Prospects') AS segment, i.channel,
       count(*) AS contacts,
       count(*) FILTER (WHERE i.responded) AS responses,
       count(*) FILTER (WHERE i.converted) AS conversions,
       sum(i.cost) AS cost,
       CAST(count(*) FILTER (WHERE i.responded) AS DOUBLE) / count(*) AS response_rate,
       CAST(count(*) FILTER (WHERE i.converted) AS DOUBLE) / count(*) AS conversion_rate,
       sum(i.cost) / count(*) AS cost_per_contact,
       sum(i.cost) / nullif(count(*) FILTER (WHERE i.converted), 0) AS cost_per_conversion
FROM interactions AS i
LEFT JOIN segments.rfm AS r ON r.customer_id = i.customer_id
WHERE i.kind = 'campaign' AND i.direction = 'outbound'
  AND CAST(i.ts AS DATE) <= as_of() AND CAST(i.ts AS DATE) > as_of() - INTERVAL '12 months'
GROUP BY 1, 2
