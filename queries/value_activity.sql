-- Value x activity: each customer's spend in the 12 months up to as_of() against the average
-- 12-month spend of the buyers of the same customer type (B2C/B2B), and whether they bought
-- or were active (an inbound contact or a response) in the last 3 months: high_value_active,
-- potential, sleeping or other.
WITH events AS (
    -- Orders and the customer's own contacts in one pass: one scan of orders serves both the
    -- 12-month spend and the 3-month activity.
    SELECT customer_id, amount, order_ts AS ts FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
      AND CAST(order_ts AS DATE) > as_of() - INTERVAL '12 months'
    UNION ALL
    SELECT customer_id, NULL, ts FROM interactions
    WHERE (direction = 'inbound' OR responded) AND CAST(ts AS DATE) <= as_of()
      AND CAST(ts AS DATE) > as_of() - INTERVAL '3 months'
), per_customer AS (
    SELECT customer_id, sum(amount) AS annual_spend,
           max(ts) AS last_event_ts
    FROM events
    GROUP BY customer_id
), base AS (
    SELECT c.customer_id, c.customer_type, coalesce(p.annual_spend, 0) AS annual_spend,
           coalesce(CAST(p.last_event_ts AS DATE) > as_of() - INTERVAL '3 months', false)
               AS active_last_3_months
    FROM customers AS c
    LEFT JOIN per_customer AS p ON p.customer_id = c.customer_id
    WHERE c.signup_date <= as_of()
), peers AS (
    SELECT *, avg(CASE WHEN annual_spend > 0 THEN annual_spend END)
                  OVER (PARTITION BY customer_type) AS reference_spend
    FROM base
)
SELECT customer_id, customer_type, annual_spend, reference_spend, active_last_3_months,
       value_activity_segment(annual_spend, reference_spend, active_last_3_months) AS segment
FROM peers
