-- Value x activity: each customer's spend in the 12 months up to as_of() against the average
-- 12-month spend of the buyers of the same customer type (B2C/B2B), and whether they bought
-- or were active in the last 3 months: high_value_active, potential, sleeping or other.
WITH spend AS (
    SELECT customer_id, sum(amount) AS annual_spend
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
      AND CAST(order_ts AS DATE) > as_of() - INTERVAL '12 months'
    GROUP BY customer_id
), active AS (
    SELECT customer_id FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
      AND CAST(order_ts AS DATE) > as_of() - INTERVAL '3 months'
    UNION
    SELECT customer_id FROM interactions
    WHERE (direction = 'inbound' OR responded) AND CAST(ts AS DATE) <= as_of()
      AND CAST(ts AS DATE) > as_of() - INTERVAL '3 months'
), base AS (
    SELECT c.customer_id, c.customer_type, coalesce(s.annual_spend, 0) AS annual_spend,
           a.customer_id IS NOT NULL AS active_last_3_months
    FROM customers AS c
    LEFT JOIN spend AS s ON s.customer_id = c.customer_id
    LEFT JOIN active AS a ON a.customer_id = c.customer_id
    WHERE c.signup_date <= as_of()
), peers AS (
    SELECT *, avg(CASE WHEN annual_spend > 0 THEN annual_spend END)
                  OVER (PARTITION BY customer_type) AS reference_spend
    FROM base
)
SELECT customer_id, customer_type, annual_spend, reference_spend, active_last_3_months,
       value_activity_segment(annual_spend, reference_spend, active_last_3_months) AS segment
FROM peers
