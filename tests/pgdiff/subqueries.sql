-- subqueries: scalar, IN/NOT IN, EXISTS, ANY/ALL, row-value IN, correlated subqueries, derived tables

-- scalar subquery in select list
SELECT customer_id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id) AS n FROM customers c ORDER BY customer_id LIMIT 10;

-- scalar subquery in WHERE
SELECT order_id, amount FROM orders WHERE amount > (SELECT avg(amount) * 20 FROM orders) ORDER BY order_id;

-- IN subquery
SELECT count(*) AS n FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE region = 'South');

-- NOT IN subquery (no NULLs)
SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM orders);

-- EXISTS correlated
SELECT count(*) AS n FROM customers c WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.referrer_id = c.customer_id);

-- NOT EXISTS correlated
SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.customer_id AND i.kind = 'survey');

-- = ANY (subquery)
SELECT count(*) AS n FROM orders WHERE customer_id = ANY (SELECT customer_id FROM customers WHERE customer_type = 'B2B');

-- > ALL (subquery)
SELECT order_id, amount FROM orders WHERE amount > ALL (SELECT amount FROM orders WHERE channel = 'store') ORDER BY order_id;

-- < ANY (subquery)
SELECT count(*) AS n FROM products WHERE price < ANY (SELECT price FROM products WHERE category = 'grocery');

-- >= ALL with correlated subquery: each customer's biggest order
SELECT o.customer_id, o.order_id, o.amount FROM orders o
WHERE o.customer_id <= 5 AND o.amount >= ALL (SELECT o2.amount FROM orders o2 WHERE o2.customer_id = o.customer_id)
ORDER BY o.customer_id, o.order_id;

-- <> ALL equivalent to NOT IN
SELECT count(*) AS n FROM customers WHERE region <> ALL (SELECT 'North' UNION ALL SELECT 'South');

-- ALL over empty set is true
SELECT count(*) AS n FROM customers WHERE customer_id > ALL (SELECT customer_id FROM customers WHERE false);

-- ANY over array
SELECT count(*) AS n FROM customers WHERE city = ANY (ARRAY['Berlin', 'Munich', 'Hamburg']);

-- row-value IN subquery
SELECT count(*) AS n FROM orders WHERE (customer_id, channel) IN (SELECT customer_id, preferred_channel FROM customers);

-- row-value IN list
SELECT order_id, line_no FROM order_items WHERE (order_id, line_no) IN ((1, 1), (2, 2), (3, 1), (99999999, 1)) ORDER BY 1, 2;

-- row comparison
SELECT count(*) AS n FROM orders WHERE (customer_id, order_id) > (1990, 0);

-- correlated scalar subquery with aggregate in where
SELECT c.customer_id, c.name FROM customers c
WHERE (SELECT sum(amount) FROM orders o WHERE o.customer_id = c.customer_id) > 60000
ORDER BY c.customer_id;

-- derived table with aggregate then filter
SELECT n_orders, count(*) AS customers FROM (SELECT customer_id, count(*) AS n_orders FROM orders GROUP BY customer_id) s WHERE n_orders <= 5 GROUP BY n_orders ORDER BY n_orders;

-- subquery in FROM with window
SELECT * FROM (SELECT order_id, amount, rank() OVER (ORDER BY amount DESC) AS r FROM orders) s WHERE r <= 3 ORDER BY r, order_id;

-- subquery in CASE
SELECT customer_id, CASE WHEN customer_id IN (SELECT referrer_id FROM referrals) THEN 'referrer' ELSE 'other' END AS role FROM customers WHERE customer_id <= 12 ORDER BY customer_id;

-- scalar subquery returning NULL
SELECT (SELECT max(amount) FROM orders WHERE order_id < 0) AS none, coalesce((SELECT max(amount) FROM orders WHERE order_id < 0), -1) AS fallback;

-- nested IN subqueries
SELECT count(*) AS n FROM order_items WHERE order_id IN (SELECT order_id FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE industry = 'finance'));

-- EXISTS with HAVING-like condition
SELECT count(*) AS n FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id GROUP BY o.customer_id HAVING count(*) >= 20);

-- correlated subquery comparing to customer's own average
SELECT count(*) AS above_own_avg FROM orders o WHERE o.amount > (SELECT avg(amount) FROM orders o2 WHERE o2.customer_id = o.customer_id);

-- IN with subquery returning duplicates
SELECT count(*) AS n FROM customers WHERE customer_id IN (SELECT customer_id FROM orders WHERE channel = 'app');

-- subquery with LIMIT inside IN
SELECT customer_id FROM customers WHERE customer_id IN (SELECT customer_id FROM orders ORDER BY amount DESC, order_id LIMIT 5) ORDER BY customer_id;

-- scalar subquery used in arithmetic
SELECT region, count(*) AS n, round(100.0 * count(*) / (SELECT count(*) FROM customers), 2) AS pct FROM customers GROUP BY region ORDER BY region;

-- ANY with non-equality operator on array
SELECT count(*) AS n FROM orders WHERE amount > ANY (ARRAY[30000, 32000]::numeric[]);

-- ALL with array
SELECT count(*) AS n FROM products WHERE price < ALL (ARRAY[10, 20]::numeric[]);

-- NOT IN with an all-NULL subquery result
SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (SELECT NULL::bigint);

-- IN with empty subquery
SELECT count(*) AS n FROM customers WHERE customer_id IN (SELECT customer_id FROM customers WHERE false);

-- correlated EXISTS with multiple predicates
SELECT count(*) AS n FROM customers c WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.customer_id AND i.complaint AND i.ts > c.signup_date + 365);

-- subquery as a column compared to outer
SELECT c.customer_id, c.signup_date, (SELECT min(o.order_ts)::date FROM orders o WHERE o.customer_id = c.customer_id) - c.signup_date AS days_to_first
FROM customers c WHERE c.customer_id <= 8 ORDER BY c.customer_id;

-- = ANY subquery with NULL result rows
SELECT count(*) AS n FROM customers WHERE customer_id = ANY (SELECT referred_by FROM customers);

-- ARRAY(subquery) constructor
SELECT ARRAY(SELECT order_id FROM orders WHERE customer_id = 1 ORDER BY order_id LIMIT 5) AS first_orders;

-- EXISTS in select list
SELECT customer_id, EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.status = 'refunded') AS has_refund FROM customers c ORDER BY customer_id LIMIT 8;
