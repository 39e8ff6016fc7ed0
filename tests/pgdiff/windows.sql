-- windows: ranking, offsets, running totals, frames (ROWS/RANGE/GROUPS), ntile, named windows, FILTER in windows

-- row_number per customer
SELECT customer_id, order_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS rn
FROM orders WHERE customer_id <= 3
ORDER BY customer_id, rn;

-- rank vs dense_rank with ties
SELECT product_id, category, price, rank() OVER (PARTITION BY category ORDER BY price DESC) AS rk, dense_rank() OVER (PARTITION BY category ORDER BY price DESC) AS drk
FROM products WHERE category IN ('audio', 'pet')
ORDER BY category, rk, product_id;

-- percent_rank and cume_dist
SELECT x, percent_rank() OVER (ORDER BY x) AS pr, cume_dist() OVER (ORDER BY x) AS cd
FROM (VALUES (1), (2), (2), (3), (5)) t(x)
ORDER BY x, pr;

-- ntile quartiles of customer revenue
SELECT q, count(*) AS n, min(rev) AS lo, max(rev) AS hi
FROM (SELECT customer_id, sum(amount) AS rev, ntile(4) OVER (ORDER BY sum(amount), customer_id) AS q FROM orders GROUP BY customer_id) s
GROUP BY q ORDER BY q;

-- lag / lead
SELECT order_id, amount, lag(amount) OVER w AS prev_amt, lead(amount) OVER w AS next_amt, lag(amount, 2, 0::numeric) OVER w AS prev2
FROM orders WHERE customer_id = 7
WINDOW w AS (ORDER BY order_ts, order_id)
ORDER BY order_id;

-- first_value / last_value with full frame / nth_value
SELECT customer_id, order_id,
       first_value(amount) OVER w AS first_amt,
       last_value(amount) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_amt,
       nth_value(amount, 2) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_amt
FROM orders WHERE customer_id IN (2, 3)
WINDOW w AS (PARTITION BY customer_id ORDER BY order_ts, order_id)
ORDER BY customer_id, order_id;

-- default frame last_value (RANGE UNBOUNDED PRECEDING .. CURRENT ROW)
SELECT x, last_value(x) OVER (ORDER BY x) AS lv, sum(x) OVER (ORDER BY x) AS running
FROM (VALUES (1), (2), (2), (3)) t(x)
ORDER BY x, lv;

-- running total of monthly revenue
SELECT m, rev, sum(rev) OVER (ORDER BY m) AS cum_rev
FROM (SELECT date_trunc('month', order_ts) AS m, sum(amount) AS rev FROM orders WHERE order_ts < '2020-07-01' GROUP BY 1) s
ORDER BY m;

-- moving average over 3 rows
SELECT m, n, round(avg(n) OVER (ORDER BY m ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS ma3
FROM (SELECT date_trunc('month', order_ts) AS m, count(*) AS n FROM orders GROUP BY 1) s
ORDER BY m
LIMIT 15;

-- RANGE with offset on numeric
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s
FROM (VALUES (1), (2), (4), (5), (6), (9)) t(x)
ORDER BY x;

-- RANGE with interval offset on timestamps
SELECT order_id, order_ts, count(*) OVER (ORDER BY order_ts RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS orders_last_7d
FROM orders WHERE customer_id = 11
ORDER BY order_id;

-- GROUPS frame
SELECT x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s
FROM (VALUES (1), (1), (2), (3), (3), (4)) t(x)
ORDER BY x, s;

-- frame EXCLUDE CURRENT ROW
SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS others
FROM (VALUES (1), (2), (3), (4)) t(x)
ORDER BY x;

-- window over aggregate: share of region
SELECT region, city, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY region), 2) AS pct
FROM customers GROUP BY region, city
ORDER BY region, city;

-- top 3 customers per region by revenue
SELECT region, customer_id, rev, rk FROM (
  SELECT c.region, c.customer_id, sum(o.amount) AS rev,
         row_number() OVER (PARTITION BY c.region ORDER BY sum(o.amount) DESC, c.customer_id) AS rk
  FROM customers c JOIN orders o USING (customer_id)
  GROUP BY c.region, c.customer_id
) s WHERE rk <= 3
ORDER BY region, rk;

-- count(*) over partition without order
SELECT customer_id, order_id, count(*) OVER (PARTITION BY customer_id) AS cust_orders
FROM orders WHERE customer_id <= 2
ORDER BY order_id;

-- window with FILTER
SELECT order_id, count(*) FILTER (WHERE status = 'completed') OVER (ORDER BY order_ts, order_id) AS completed_so_far
FROM orders WHERE customer_id = 5
ORDER BY order_id;

-- days between consecutive orders
SELECT customer_id, order_id, order_ts::date - lag(order_ts::date) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS days_gap
FROM orders WHERE customer_id IN (4, 8)
ORDER BY customer_id, order_id;

-- median gap between orders per customer (first 10 customers)
SELECT customer_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap_days
FROM (SELECT customer_id, order_ts::date - lag(order_ts::date) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS gap FROM orders) s
WHERE gap IS NOT NULL AND customer_id <= 10
GROUP BY customer_id ORDER BY customer_id;

-- row_number to dedupe: latest interaction per customer
SELECT customer_id, interaction_id, channel, kind FROM (
  SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY ts DESC, interaction_id DESC) AS rn FROM interactions
) s WHERE rn = 1 AND customer_id <= 10
ORDER BY customer_id;

-- min/max over partition
SELECT order_id, amount, min(amount) OVER p AS mn, max(amount) OVER p AS mx, amount - avg(amount) OVER p AS diff_avg
FROM orders WHERE customer_id = 9
WINDOW p AS (PARTITION BY customer_id)
ORDER BY order_id;

-- rank of categories by revenue per year
SELECT y, category, rev, rank() OVER (PARTITION BY y ORDER BY rev DESC) AS rk
FROM (SELECT extract(year FROM o.order_ts) AS y, i.category, sum(i.quantity * i.unit_price) AS rev
      FROM orders o JOIN order_items i USING (order_id) GROUP BY 1, 2) s
ORDER BY y, rk, category;

-- ntile(10) deciles with counts
SELECT decile, count(*) AS n FROM (SELECT ntile(10) OVER (ORDER BY amount, order_id) AS decile FROM orders) s GROUP BY decile ORDER BY decile;

-- ntile on fewer rows than buckets
SELECT x, ntile(5) OVER (ORDER BY x) AS b FROM (VALUES (10), (20), (30)) t(x) ORDER BY x;

-- lead with default and offset 3
SELECT x, lead(x, 3, -1) OVER (ORDER BY x) AS l3 FROM generate_series(1, 6) AS g(x) ORDER BY x;

-- window function in ORDER BY
SELECT customer_id, name FROM customers WHERE customer_id <= 20 ORDER BY row_number() OVER (ORDER BY name DESC, customer_id), customer_id;

-- cumulative distinct-ish: running count of new customers per month
SELECT m, new_customers, sum(new_customers) OVER (ORDER BY m) AS cum
FROM (SELECT date_trunc('month', signup_date)::date AS m, count(*) AS new_customers FROM customers GROUP BY 1) s
ORDER BY m
LIMIT 12;

-- year over year growth with lag
SELECT y, rev, lag(rev) OVER (ORDER BY y) AS prev, round(100.0 * (rev - lag(rev) OVER (ORDER BY y)) / lag(rev) OVER (ORDER BY y), 2) AS yoy_pct
FROM (SELECT extract(year FROM order_ts) AS y, sum(amount) AS rev FROM orders GROUP BY 1) s
ORDER BY y;

-- sum over rows frame following
SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS fwd FROM generate_series(1, 5) g(x) ORDER BY x;

-- dense_rank of cities by customer count
SELECT city, n, dense_rank() OVER (ORDER BY n DESC) AS dr
FROM (SELECT city, count(*) AS n FROM customers GROUP BY city) s
ORDER BY dr, city;

-- multiple partitions in one query
SELECT customer_id, order_id, channel,
       row_number() OVER (PARTITION BY customer_id ORDER BY order_id) AS rn_cust,
       row_number() OVER (PARTITION BY customer_id, channel ORDER BY order_id) AS rn_chan
FROM orders WHERE customer_id = 12
ORDER BY order_id;

-- avg window on numeric keeps scale
SELECT order_id, avg(amount) OVER (ORDER BY order_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS a3
FROM orders WHERE order_id <= 6
ORDER BY order_id;

-- percent_rank over revenue per customer, top few
SELECT customer_id, rev, round(percent_rank() OVER (ORDER BY rev)::numeric, 6) AS pr
FROM (SELECT customer_id, sum(amount) AS rev FROM orders GROUP BY customer_id) s
ORDER BY rev DESC, customer_id
LIMIT 5;

-- first order channel per customer via first_value, tallied
SELECT first_channel, count(*) AS n FROM (
  SELECT DISTINCT customer_id, first_value(channel) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS first_channel FROM orders
) s GROUP BY first_channel ORDER BY first_channel;
