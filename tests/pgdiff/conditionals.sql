-- conditionals: CASE (simple/searched), COALESCE, NULLIF, GREATEST/LEAST, boolean logic, BETWEEN, IN, IS [NOT] predicates

-- searched CASE bucketing
SELECT CASE WHEN amount < 50 THEN 'small' WHEN amount < 500 THEN 'medium' ELSE 'large' END AS size, count(*) AS n
FROM orders GROUP BY 1 ORDER BY 1;

-- simple CASE
SELECT CASE gender WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' ELSE 'other' END AS g, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- CASE without ELSE yields NULL
SELECT CASE WHEN customer_type = 'B2B' THEN industry END AS ind, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1 NULLS FIRST;

-- CASE result type numeric mixing int and numeric
SELECT order_id, CASE WHEN status = 'completed' THEN amount ELSE 0 END AS recognised FROM orders ORDER BY order_id LIMIT 6;

-- CASE inside aggregate (pivot)
SELECT region,
       sum(CASE WHEN customer_type = 'B2B' THEN 1 ELSE 0 END) AS b2b,
       sum(CASE WHEN customer_type = 'B2C' THEN 1 ELSE 0 END) AS b2c
FROM customers GROUP BY region ORDER BY region;

-- CASE pivot of revenue by channel per year
SELECT extract(year FROM order_ts) AS y,
       sum(CASE channel WHEN 'app' THEN amount END) AS app,
       sum(CASE channel WHEN 'online' THEN amount END) AS online,
       sum(CASE channel WHEN 'store' THEN amount END) AS store
FROM orders GROUP BY 1 ORDER BY 1;

-- COALESCE with mixed types
SELECT coalesce(NULL, 2, 3) AS a, coalesce(NULL::numeric, 1) AS b, coalesce(NULL, NULL, 'z') AS c;

-- COALESCE over column
SELECT coalesce(industry, 'consumer') AS seg, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- NULLIF
SELECT nullif(1, 1) AS a, nullif(1, 2) AS b, nullif('x', '') AS c, nullif('', '') IS NULL AS d;

-- NULLIF to avoid divide by zero
SELECT kind, round(count(*) FILTER (WHERE converted)::numeric / nullif(count(*) FILTER (WHERE responded), 0), 4) AS conv_given_resp
FROM interactions GROUP BY kind ORDER BY kind;

-- GREATEST / LEAST on columns
SELECT order_id, greatest(amount, 100) AS at_least_100, least(amount, discount * 10) AS capped FROM orders ORDER BY order_id LIMIT 5;

-- GREATEST / LEAST on text and dates
SELECT greatest('apple', 'Banana', 'cherry') AS g, least('apple', 'Banana', 'cherry') AS l, greatest(date '2024-01-01', date '2023-06-30') AS gd;

-- GREATEST with mixed int/numeric
SELECT greatest(1, 2.5, 2) AS g, least(3, 1.25) AS l;

-- boolean logic in WHERE
SELECT count(*) AS n FROM customers WHERE (region = 'East' OR region = 'West') AND NOT marketing_opt_in;

-- boolean expressions in select list
SELECT customer_id, customer_type = 'B2B' AND company_size = 'large' AS big_b2b, marketing_opt_in OR referred_by IS NOT NULL AS reachable
FROM customers ORDER BY customer_id LIMIT 8;

-- BETWEEN / NOT BETWEEN / BETWEEN SYMMETRIC
SELECT count(*) FILTER (WHERE amount BETWEEN 100 AND 200) AS b, count(*) FILTER (WHERE amount NOT BETWEEN 100 AND 200) AS nb, count(*) FILTER (WHERE amount BETWEEN SYMMETRIC 200 AND 100) AS bs
FROM orders;

-- IN list / NOT IN list
SELECT count(*) FILTER (WHERE city IN ('Berlin', 'Hamburg', 'Munich')) AS big3, count(*) FILTER (WHERE city NOT IN ('Berlin', 'Hamburg', 'Munich')) AS others FROM customers;

-- IS TRUE / IS FALSE predicates on data
SELECT responded IS TRUE AS r, converted IS FALSE AS nc, count(*) AS n FROM interactions GROUP BY 1, 2 ORDER BY 1, 2;

-- nested CASE
SELECT customer_type, CASE WHEN customer_type = 'B2B' THEN CASE company_size WHEN 'large' THEN 'enterprise' WHEN 'medium' THEN 'mid-market' ELSE 'smb' END ELSE 'consumer' END AS tier, count(*) AS n
FROM customers GROUP BY 1, 2 ORDER BY 1, 2;

-- CASE with subquery condition
SELECT customer_id, CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.amount > 5000) THEN 'whale' ELSE 'regular' END AS tag FROM customers c ORDER BY customer_id LIMIT 10;

-- CASE in ORDER BY for custom sort
SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY CASE status WHEN 'completed' THEN 1 WHEN 'refunded' THEN 2 ELSE 3 END;

-- CASE returning booleans and filters
SELECT count(*) AS n FROM orders WHERE CASE WHEN channel = 'store' THEN amount > 100 ELSE amount > 1000 END;

-- COALESCE in join key
SELECT coalesce(c.industry, '(none)') AS ind, count(o.order_id) AS orders FROM customers c JOIN orders o USING (customer_id) GROUP BY 1 ORDER BY 1;

-- XOR-like with <> on booleans
SELECT count(*) AS n FROM interactions WHERE responded <> converted;

-- boolean ordering false < true
SELECT marketing_opt_in, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- CASE with NULL comparisons
SELECT CASE WHEN referred_by IS NULL THEN 'organic' WHEN referred_by < 100 THEN 'early referrer' ELSE 'later referrer' END AS src, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- GREATEST over multiple dates per customer
SELECT c.customer_id, greatest(c.signup_date, max(o.order_ts)::date) AS last_activity FROM customers c LEFT JOIN orders o USING (customer_id) WHERE c.customer_id <= 6 GROUP BY c.customer_id, c.signup_date ORDER BY c.customer_id;

-- LEAST with NULL only arguments
SELECT least(NULL::int, NULL::int) AS l, coalesce(least(NULL::int, 5), 0) AS l2;

-- CASE evaluates lazily: division guarded
SELECT count(*) AS n FROM orders WHERE CASE WHEN discount = 0 THEN false ELSE amount / discount > 10 END;

-- NOT with IN and NULL
SELECT count(*) AS n FROM customers WHERE NOT (industry IN ('retail', 'finance'));

-- NPS buckets with CASE on smallint
SELECT CASE WHEN nps_score >= 9 THEN 'promoter' WHEN nps_score >= 7 THEN 'passive' WHEN nps_score IS NOT NULL THEN 'detractor' END AS bucket, count(*) AS n
FROM interactions GROUP BY 1 ORDER BY 1 NULLS LAST;

-- CASE WHEN over aggregates
SELECT customer_id, CASE WHEN count(*) >= 20 THEN 'loyal' WHEN count(*) >= 5 THEN 'repeat' ELSE 'occasional' END AS seg FROM orders WHERE customer_id <= 10 GROUP BY customer_id ORDER BY customer_id;

-- COALESCE / NULLIF combination on text
SELECT coalesce(nullif(trim(company_size), ''), 'n/a') AS size, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- boolean aggregate via CASE
SELECT region, max(CASE WHEN marketing_opt_in THEN 1 ELSE 0 END) = 1 AS any_opt_in FROM customers GROUP BY region ORDER BY region;

-- IS DISTINCT FROM in CASE
SELECT CASE WHEN preferred_channel IS DISTINCT FROM acquisition_channel THEN 'differs' ELSE 'same' END AS x, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;
