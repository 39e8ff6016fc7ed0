-- segments.lifecycle in DuckDB SQL, summarised by stage.
WITH purchases AS (
    SELECT customer_id, min(CAST(order_ts AS DATE)) AS first_day, max(CAST(order_ts AS DATE)) AS last_day
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '{as_of}'
    GROUP BY customer_id
), contacts AS (
    SELECT customer_id, max(CAST(ts AS DATE)) AS last_contact
    FROM interactions
    WHERE (direction = 'inbound' OR responded) AND CAST(ts AS DATE) <= DATE '{as_of}'
    GROUP BY customer_id
)
SELECT CASE
         WHEN p.first_day IS NULL THEN 'prospect'
         WHEN greatest(p.last_day, coalesce(k.last_contact, p.last_day))
              < CASE WHEN c.customer_type = 'B2B' THEN DATE '{as_of}' - INTERVAL 6 MONTH
                     ELSE DATE '{as_of}' - INTERVAL 3 MONTH END THEN 'at_risk'
         WHEN DATE '{as_of}' - p.first_day <= 90 THEN 'new'
         WHEN p.first_day < DATE '{as_of}' - INTERVAL 12 MONTH THEN 'mature'
         ELSE 'growing'
       END AS stage,
       count(*) AS customers
FROM customers AS c
LEFT JOIN purchases AS p ON p.customer_id = c.customer_id
LEFT JOIN contacts AS k ON k.customer_id = c.customer_id
WHERE c.signup_date <= DATE '{as_of}'
GROUP BY 1 ORDER BY 1
