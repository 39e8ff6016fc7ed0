-- segments.value_activity in DuckDB SQL (the same shape: one pass over orders and contacts),
-- summarised by segment.
WITH events AS (
    SELECT customer_id, amount, order_ts AS ts FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '{as_of}'
      AND CAST(order_ts AS DATE) > DATE '{as_of}' - INTERVAL 12 MONTH
    UNION ALL
    SELECT customer_id, NULL, ts FROM interactions
    WHERE (direction = 'inbound' OR responded) AND CAST(ts AS DATE) <= DATE '{as_of}'
      AND CAST(ts AS DATE) > DATE '{as_of}' - INTERVAL 3 MONTH
), per_customer AS (
    SELECT customer_id, sum(amount) AS annual_spend,
           max(ts) AS last_event_ts
    FROM events
    GROUP BY customer_id
), base AS (
    SELECT c.customer_id, c.customer_type, coalesce(p.annual_spend, 0) AS annual_spend,
           coalesce(CAST(p.last_event_ts AS DATE) > DATE '{as_of}' - INTERVAL 3 MONTH, false) AS active
    FROM customers AS c
    LEFT JOIN per_customer AS p ON p.customer_id = c.customer_id
    WHERE c.signup_date <= DATE '{as_of}'
), peers AS (
    SELECT *, avg(CASE WHEN annual_spend > 0 THEN annual_spend END)
                  OVER (PARTITION BY customer_type) AS reference_spend
    FROM base
)
SELECT CASE
         WHEN active AND annual_spend >= 1.5 * reference_spend THEN 'high_value_active'
         WHEN active AND annual_spend >= 0.8 * reference_spend THEN 'potential'
         WHEN NOT active AND annual_spend < 0.5 * reference_spend THEN 'sleeping'
         ELSE 'other'
       END AS segment,
       count(*) AS customers, sum(annual_spend) AS annual_spend
FROM peers
GROUP BY 1 ORDER BY 1
