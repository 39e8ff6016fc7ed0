-- Lifecycle stage of every customer signed up by as_of(): prospect (no purchase), new (first
-- purchase at most 90 days ago), growing, mature (more than a year), at_risk (no purchase and
-- no activity of theirs - an inbound contact or a response - for 3 months; 6 for B2B).
WITH purchases AS (
    SELECT customer_id, min(order_ts) AS first_purchase_ts, max(order_ts) AS last_purchase_ts
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
    GROUP BY customer_id
), contacts AS (
    -- Activity of the customer, not of the company: outbound messages nobody answered are not.
    SELECT customer_id, max(ts) AS last_contact_ts
    FROM interactions
    WHERE (direction = 'inbound' OR responded) AND CAST(ts AS DATE) <= as_of()
    GROUP BY customer_id
)
SELECT c.customer_id, c.customer_type, c.region,
       p.first_purchase_ts, p.last_purchase_ts, k.last_contact_ts,
       lifecycle_stage(p.first_purchase_ts, greatest(p.last_purchase_ts, k.last_contact_ts),
                       c.customer_type, as_of()) AS stage
FROM customers AS c
LEFT JOIN purchases AS p ON p.customer_id = c.customer_id
LEFT JOIN contacts AS k ON k.customer_id = c.customer_id
WHERE c.signup_date <= as_of()
