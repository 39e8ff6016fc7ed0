-- set_ops: UNION/UNION ALL/INTERSECT/EXCEPT (ALL), DISTINCT, DISTINCT ON, VALUES, TABLE, LIMIT/OFFSET, FETCH FIRST (WITH TIES)

-- UNION removes duplicates
SELECT region FROM customers WHERE customer_type = 'B2B' UNION SELECT region FROM customers WHERE customer_type = 'B2C' ORDER BY 1;

-- UNION ALL keeps duplicates
SELECT count(*) AS n FROM (SELECT channel FROM orders UNION ALL SELECT channel FROM interactions) s;

-- INTERSECT
SELECT customer_id FROM orders WHERE channel = 'store' INTERSECT SELECT customer_id FROM orders WHERE channel = 'app' ORDER BY 1 LIMIT 10;

-- EXCEPT
SELECT customer_id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1;

-- INTERSECT ALL / EXCEPT ALL
SELECT x FROM (VALUES (1), (1), (1), (2), (3)) a(x) INTERSECT ALL SELECT y FROM (VALUES (1), (1), (2), (4)) b(y) ORDER BY 1;

-- EXCEPT ALL
SELECT x FROM (VALUES (1), (1), (1), (2), (3)) a(x) EXCEPT ALL SELECT y FROM (VALUES (1), (2), (4)) b(y) ORDER BY 1;

-- set op precedence: INTERSECT binds tighter than UNION
SELECT 1 AS x UNION SELECT 2 INTERSECT SELECT 3 ORDER BY 1;

-- parenthesised set ops
(SELECT 1 AS x UNION SELECT 2) INTERSECT SELECT 2;

-- UNION type resolution int + numeric
SELECT 1 AS v UNION ALL SELECT 2.5 UNION ALL SELECT NULL ORDER BY 1;

-- UNION column names come from first branch
SELECT 'a' AS first_name, 1 AS n UNION ALL SELECT 'b', 2 ORDER BY n;

-- DISTINCT on multiple columns
SELECT DISTINCT region, customer_type FROM customers ORDER BY region, customer_type;

-- DISTINCT ON first order per customer
SELECT DISTINCT ON (customer_id) customer_id, order_id, order_ts FROM orders WHERE customer_id <= 10 ORDER BY customer_id, order_ts, order_id;

-- DISTINCT ON biggest order per channel
SELECT DISTINCT ON (channel) channel, order_id, amount FROM orders ORDER BY channel, amount DESC, order_id;

-- VALUES as a query
VALUES (1, 'one'), (2, 'two'), (3, 'three');

-- VALUES with ORDER BY and LIMIT
VALUES (3, 'c'), (1, 'a'), (2, 'b') ORDER BY 1 LIMIT 2;

-- TABLE command
TABLE products ORDER BY product_id LIMIT 3;

-- LIMIT / OFFSET
SELECT order_id, amount FROM orders ORDER BY amount DESC, order_id LIMIT 5 OFFSET 10;

-- OFFSET without LIMIT
SELECT product_id FROM products ORDER BY product_id OFFSET 418;

-- FETCH FIRST n ROWS ONLY
SELECT customer_id, name FROM customers ORDER BY customer_id FETCH FIRST 3 ROWS ONLY;

-- OFFSET ... FETCH NEXT
SELECT customer_id FROM customers ORDER BY customer_id OFFSET 5 ROWS FETCH NEXT 3 ROWS ONLY;

-- FETCH FIRST WITH TIES
SELECT * FROM (SELECT quantity, count(*) AS n FROM order_items GROUP BY quantity ORDER BY count(*) DESC FETCH FIRST 1 ROWS WITH TIES) s;

-- FETCH FIRST WITH TIES on product price (ties kept)
SELECT product_id, price FROM (SELECT product_id, price FROM products ORDER BY price DESC FETCH FIRST 5 ROWS WITH TIES) s;

-- LIMIT ALL and LIMIT NULL
SELECT count(*) AS n FROM (SELECT * FROM products ORDER BY product_id LIMIT ALL) s;

-- LIMIT 0
SELECT order_id FROM orders ORDER BY order_id LIMIT 0;

-- UNION of aggregates with label column
SELECT 'orders' AS src, count(*) AS n FROM orders
UNION ALL SELECT 'customers', count(*) FROM customers
UNION ALL SELECT 'products', count(*) FROM products
ORDER BY src;

-- EXCEPT with multiple columns
SELECT region, city FROM customers EXCEPT SELECT region, city FROM customers WHERE customer_type = 'B2B' AND company_size = 'medium' ORDER BY 1, 2;

-- UNION ALL then aggregate
SELECT kind, count(*) AS n FROM (SELECT 'order' AS kind, customer_id FROM orders UNION ALL SELECT 'touch', customer_id FROM interactions) s WHERE customer_id <= 50 GROUP BY kind ORDER BY kind;

-- UNION with ORDER BY on expression of output column
SELECT name FROM products WHERE category = 'audio' UNION SELECT name FROM products WHERE category = 'pet' ORDER BY name LIMIT 8;

-- set operations on NULLs
SELECT NULL::text AS x INTERSECT SELECT NULL::text;

-- DISTINCT with ORDER BY on selected expression
SELECT DISTINCT extract(year FROM order_ts) AS y FROM orders ORDER BY y;

-- count(DISTINCT) vs DISTINCT subquery
SELECT (SELECT count(DISTINCT city) FROM customers) AS a, (SELECT count(*) FROM (SELECT DISTINCT city FROM customers) s) AS b;

-- VALUES join
SELECT v.code, v.label, count(o.order_id) AS n FROM (VALUES ('app', 'App'), ('store', 'Store'), ('fax', 'Fax')) v(code, label) LEFT JOIN orders o ON o.channel = v.code GROUP BY v.code, v.label ORDER BY v.code;

-- UNION mixing date and timestamp
SELECT date '2024-01-01' AS d UNION ALL SELECT timestamp '2024-01-02 03:04:05' ORDER BY 1;

-- EXCEPT producing empty result
SELECT channel FROM orders EXCEPT SELECT channel FROM orders;

-- OFFSET beyond end
SELECT customer_id FROM customers ORDER BY customer_id LIMIT 5 OFFSET 5000;

-- DISTINCT ON with NULLs in key
SELECT DISTINCT ON (industry) industry, customer_id FROM customers ORDER BY industry, customer_id;

-- INTERSECT of referrers and referees
SELECT count(*) AS both_roles FROM (SELECT referrer_id FROM referrals INTERSECT SELECT referee_id FROM referrals) s;
