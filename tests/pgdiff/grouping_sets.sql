-- grouping_sets: ROLLUP, CUBE, GROUPING SETS, GROUPING(), ordinal references, subtotal labelling

-- rollup over region, customer_type
SELECT region, customer_type, count(*) AS n
FROM customers
GROUP BY ROLLUP (region, customer_type)
ORDER BY region NULLS LAST, customer_type NULLS LAST;

-- rollup by ordinals
SELECT region, gender, count(*) AS n
FROM customers
GROUP BY ROLLUP (1, 2)
ORDER BY 1 NULLS LAST, 2 NULLS LAST;

-- cube
SELECT channel, status, count(*) AS n, sum(amount) AS rev
FROM orders
GROUP BY CUBE (channel, status)
ORDER BY channel NULLS LAST, status NULLS LAST;

-- grouping sets explicit
SELECT region, customer_type, gender, count(*) AS n
FROM customers
GROUP BY GROUPING SETS ((region), (customer_type), (gender), ())
ORDER BY region NULLS LAST, customer_type NULLS LAST, gender NULLS LAST;

-- GROUPING() function to label subtotals
SELECT CASE WHEN grouping(region) = 1 THEN 'ALL' ELSE region END AS region,
       CASE WHEN grouping(customer_type) = 1 THEN 'ALL' ELSE customer_type END AS ctype,
       grouping(region, customer_type) AS g,
       count(*) AS n
FROM customers
GROUP BY ROLLUP (region, customer_type)
ORDER BY g, region, ctype;

-- grouping sets with NULL-valued column (industry) distinguishes real NULL from subtotal
SELECT industry, grouping(industry) AS g, count(*) AS n
FROM customers
GROUP BY GROUPING SETS ((industry), ())
ORDER BY g, industry NULLS FIRST;

-- rollup on year, quarter
SELECT extract(year FROM order_ts) AS y, extract(quarter FROM order_ts) AS q, sum(amount) AS rev
FROM orders
GROUP BY ROLLUP (1, 2)
ORDER BY 1 NULLS LAST, 2 NULLS LAST;

-- rollup with HAVING
SELECT channel, status, count(*) AS n
FROM orders
GROUP BY ROLLUP (channel, status)
HAVING count(*) > 1000
ORDER BY channel NULLS LAST, status NULLS LAST;

-- cube with three columns count only
SELECT count(*) AS groups FROM (
  SELECT region, customer_type, gender FROM customers GROUP BY CUBE (region, customer_type, gender)
) s;

-- grouping sets mixed with plain group by column
SELECT customer_type, region, gender, count(*) AS n
FROM customers
GROUP BY customer_type, GROUPING SETS ((region), (gender))
ORDER BY customer_type, region NULLS LAST, gender NULLS LAST;

-- rollup on date_trunc month for 2024 with grand total
SELECT date_trunc('month', order_ts) AS m, count(*) AS n, sum(amount) AS rev
FROM orders
WHERE order_ts >= '2024-01-01'
GROUP BY ROLLUP (date_trunc('month', order_ts))
ORDER BY m NULLS LAST;

-- composite rollup element
SELECT region, city, customer_type, count(*) AS n
FROM customers
WHERE region = 'North'
GROUP BY ROLLUP ((region, city), customer_type)
ORDER BY region NULLS LAST, city NULLS LAST, customer_type NULLS LAST;

-- grouping id bitmask with three args
SELECT grouping(channel, status, currency) AS gid, count(*) AS n
FROM orders
GROUP BY CUBE (channel, status, currency)
ORDER BY gid, n;

-- cube on interactions channel and kind with FILTER
SELECT channel, kind, count(*) FILTER (WHERE responded) AS resp, count(*) AS n
FROM interactions
GROUP BY CUBE (channel, kind)
ORDER BY channel NULLS LAST, kind NULLS LAST;

-- rollup of product categories with avg
SELECT category, round(avg(price), 2) AS avg_price, count(*) AS n
FROM products
GROUP BY ROLLUP (category)
ORDER BY category NULLS LAST;

-- grouping sets with empty set only
SELECT count(*) AS n, sum(amount) AS rev FROM orders GROUP BY GROUPING SETS (());

-- share of subtotal using window over rollup output
SELECT region, customer_type, n, round(100.0 * n / max(n) OVER (PARTITION BY region), 1) AS pct_of_region
FROM (
  SELECT region, customer_type, count(*) AS n FROM customers GROUP BY ROLLUP (region, customer_type)
) s
WHERE region IS NOT NULL
ORDER BY region, customer_type NULLS LAST;

-- cube over B2B firmographics
SELECT industry, company_size, count(*) AS n
FROM customers
WHERE customer_type = 'B2B'
GROUP BY CUBE (industry, company_size)
ORDER BY industry NULLS LAST, company_size NULLS LAST;

-- rollup with string_agg in each group
SELECT region, count(*) AS n, string_agg(DISTINCT city, ',' ORDER BY city) AS cities
FROM customers
GROUP BY ROLLUP (region)
ORDER BY region NULLS LAST;

-- grouping sets by year and by channel
SELECT extract(year FROM order_ts) AS y, channel, count(*) AS n
FROM orders
GROUP BY GROUPING SETS (1, 2)
ORDER BY y NULLS LAST, channel NULLS LAST;

-- rollup with expression and count distinct
SELECT acquisition_channel, customer_type, count(DISTINCT region) AS regions, count(*) AS n
FROM customers
GROUP BY ROLLUP (acquisition_channel, customer_type)
ORDER BY acquisition_channel NULLS LAST, customer_type NULLS LAST;

-- duplicated grouping sets produce duplicate rows
SELECT status, count(*) AS n
FROM orders
GROUP BY GROUPING SETS ((status), (status))
ORDER BY status, n;

-- rollup on order items category and quantity bucket
SELECT category, CASE WHEN quantity >= 3 THEN '3+' ELSE quantity::text END AS qty, sum(quantity * unit_price) AS rev
FROM order_items
WHERE category IN ('audio', 'toys')
GROUP BY ROLLUP (category, 2)
ORDER BY category NULLS LAST, qty NULLS LAST;

-- cube with grouping() in order by
SELECT gender, marketing_opt_in, count(*) AS n
FROM customers
GROUP BY CUBE (gender, marketing_opt_in)
ORDER BY grouping(gender, marketing_opt_in), gender, marketing_opt_in;

-- rollup over interactions by year and kind with cost
SELECT extract(year FROM ts) AS y, kind, sum(cost) AS cost
FROM interactions
GROUP BY ROLLUP (1, 2)
ORDER BY y NULLS LAST, kind NULLS LAST;

-- rollup nested inside CTE and filtered to totals
WITH r AS (
  SELECT channel, status, sum(amount) AS rev FROM orders GROUP BY ROLLUP (channel, status)
)
SELECT channel, rev FROM r WHERE status IS NULL ORDER BY channel NULLS LAST;

-- GROUPING SETS with ordinal and expression
SELECT region, extract(year FROM signup_date) AS sy, count(*) AS n
FROM customers
GROUP BY GROUPING SETS ((1, 2), (1))
ORDER BY region, sy NULLS LAST;

-- rollup on referrals by reward and conversion
SELECT reward, converted_at IS NOT NULL AS converted, count(*) AS n
FROM referrals
GROUP BY ROLLUP (reward, 2)
ORDER BY reward NULLS LAST, converted NULLS LAST;

-- cube on customers by opt-in and type with avg age
SELECT marketing_opt_in, customer_type, round(avg(extract(year FROM age(date '2024-06-30', birth_date))), 2) AS avg_age
FROM customers
GROUP BY CUBE (1, 2)
ORDER BY 1 NULLS LAST, 2 NULLS LAST;

-- rollup count only
SELECT count(*) AS rows_out FROM (SELECT 1 FROM orders GROUP BY ROLLUP (channel, status, currency)) s;
