-- segments.rfm in DuckDB SQL: completed orders up to the as-of date, NTILE(5) with ties by
-- customer_id, and the default segment map over R and FM = (f + m + 1) // 2.
WITH per_customer AS (
    SELECT customer_id, max(CAST(order_ts AS DATE)) AS last_order_date, count(*) AS frequency,
           sum(amount) AS monetary
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '{as_of}'
    GROUP BY customer_id
), scored AS (
    SELECT *, DATE '{as_of}' - last_order_date AS recency_days,
           NTILE(5) OVER (ORDER BY DATE '{as_of}' - last_order_date DESC, customer_id) AS r,
           NTILE(5) OVER (ORDER BY frequency, customer_id) AS f,
           NTILE(5) OVER (ORDER BY monetary, customer_id) AS m
    FROM per_customer
), segmented AS (
    SELECT *, (f + m + 1) // 2 AS fm FROM scored
)
SELECT CASE
         WHEN r = 5 AND fm >= 4 THEN 'Champions'
         WHEN r IN (3, 4) AND fm >= 4 THEN 'Loyal Customers'
         WHEN r >= 4 AND fm IN (2, 3) THEN 'Potential Loyalists'
         WHEN r = 5 AND fm = 1 THEN 'New Customers'
         WHEN r = 4 AND fm = 1 THEN 'Promising'
         WHEN r = 3 AND fm = 3 THEN 'Need Attention'
         WHEN r = 3 THEN 'About To Sleep'
         WHEN r <= 2 AND fm IN (3, 4) THEN 'At Risk'
         WHEN r <= 2 AND fm = 5 THEN 'Can''t Lose Them'
         WHEN r = 2 THEN 'Hibernating'
         ELSE 'Lost'
       END AS segment,
       count(*) AS customers, sum(monetary) AS monetary, sum(recency_days) AS recency_days
FROM segmented
GROUP BY 1 ORDER BY 1
