-- Champions: customers in the RFM segment 'Champions' (bought most recently, often and for
-- the most), with their contact details.
SELECT r.customer_id, c.name, c.email, c.region, c.customer_type,
       r.recency_days, r.frequency, r.monetary, r.rfm_code
FROM segments.rfm AS r
JOIN customers AS c ON c.customer_id = r.customer_id
WHERE r.segment = 'Champions'
