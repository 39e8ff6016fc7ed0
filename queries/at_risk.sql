-- At-risk customers to win back: lifecycle stage at_risk (3 months without purchase or
-- activity; 6 for B2B), with their contact details and what they have bought so far.
SELECT l.customer_id, c.name, c.email, c.phone, c.preferred_channel, l.customer_type, l.region,
       l.last_purchase_ts, l.last_contact_ts, r.frequency, r.monetary, r.segment AS rfm_segment
FROM segments.lifecycle AS l
JOIN customers AS c ON c.customer_id = l.customer_id
LEFT JOIN segments.rfm AS r ON r.customer_id = l.customer_id
WHERE l.stage = 'at_risk'
