-- Membership tier of every customer signed up by as_of(), re-evaluated on the 12 months up to
-- it: completed spend and orders, and unexpired points (1 per currency unit, valid 12 months),
-- on the default ladder (silver 1000 and 2 orders or 2000 points, gold 5000 and 6 or 10000,
-- diamond 20000 and 12 or 40000).
WITH last_year AS (
    SELECT customer_id, sum(amount) AS spend_12m, count(*) AS orders_12m,
           points_balance(order_ts, amount, as_of()) AS points
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
      AND CAST(order_ts AS DATE) > as_of() - INTERVAL '12 months'
    GROUP BY customer_id
)
SELECT c.customer_id, c.customer_type,
       coalesce(y.spend_12m, 0) AS spend_12m,
       coalesce(y.orders_12m, 0) AS orders_12m,
       coalesce(y.points, 0) AS points,
       member_tier(coalesce(y.spend_12m, 0), coalesce(y.orders_12m, 0), coalesce(y.points, 0)) AS tier
FROM customers AS c
LEFT JOIN last_year AS y ON y.customer_id = c.customer_id
WHERE c.signup_date <= as_of()
