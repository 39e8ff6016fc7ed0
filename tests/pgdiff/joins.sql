-- joins: inner/left/right/full/cross/self/natural/using joins, semi/anti joins, LATERAL, non-equi joins

-- inner join customers and orders
SELECT c.region, count(*) AS n FROM customers c JOIN orders o ON o.customer_id = c.customer_id GROUP BY c.region ORDER BY c.region;

-- join with USING
SELECT customer_id, name, order_id FROM customers JOIN orders USING (customer_id) WHERE customer_id = 3 ORDER BY order_id;

-- three-way join orders/items/products
SELECT p.category, count(DISTINCT o.order_id) AS orders, sum(i.quantity) AS units
FROM orders o JOIN order_items i ON i.order_id = o.order_id JOIN products p ON p.product_id = i.product_id
WHERE o.status = 'completed'
GROUP BY p.category ORDER BY p.category;

-- left join with aggregate keeps customers without orders
SELECT c.customer_type, count(DISTINCT c.customer_id) AS customers, count(o.order_id) AS orders
FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id
GROUP BY c.customer_type ORDER BY c.customer_type;

-- right join
SELECT count(*) AS n, count(c.customer_id) AS matched FROM customers c RIGHT JOIN referrals r ON r.referee_id = c.customer_id;

-- full outer join on two aggregates
SELECT coalesce(a.m, b.m) AS m, a.orders, b.signups
FROM (SELECT date_trunc('month', order_ts)::date AS m, count(*) AS orders FROM orders WHERE order_ts < '2019-12-01' GROUP BY 1) a
FULL JOIN (SELECT date_trunc('month', signup_date)::date AS m, count(*) AS signups FROM customers WHERE signup_date < '2020-02-01' GROUP BY 1) b ON a.m = b.m
ORDER BY 1;

-- full join with NULL keys on both sides
SELECT a.x, b.y FROM (VALUES (1), (2), (NULL)) a(x) FULL JOIN (VALUES (2), (3), (NULL)) b(y) ON a.x = b.y;

-- cross join
SELECT r.region, t.customer_type FROM (SELECT DISTINCT region FROM customers) r CROSS JOIN (SELECT DISTINCT customer_type FROM customers) t ORDER BY 1, 2;

-- natural join
SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS a(id, x) NATURAL JOIN (VALUES (2, 'B'), (3, 'C'), (4, 'D')) AS b(id, y) ORDER BY id;

-- natural join on real tables via derived tables
SELECT * FROM (SELECT customer_id, region FROM customers WHERE customer_id <= 5) a NATURAL JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) b ORDER BY customer_id;

-- self join: referrer and referee names
SELECT r.customer_id AS referrer, r.name AS referrer_name, e.customer_id AS referee, e.name AS referee_name
FROM customers e JOIN customers r ON r.customer_id = e.referred_by
ORDER BY e.customer_id
LIMIT 10;

-- semi join via EXISTS
SELECT count(*) AS n FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.channel = 'store');

-- anti join via LEFT JOIN IS NULL
SELECT c.customer_id FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.order_ts >= '2024-01-01' WHERE o.order_id IS NULL ORDER BY c.customer_id LIMIT 10;

-- non-equi join: orders within 30 days of signup
SELECT count(*) AS early_orders FROM customers c JOIN orders o ON o.customer_id = c.customer_id AND o.order_ts < c.signup_date + 30;

-- join with range condition on generated series
SELECT b.lo, count(o.order_id) AS n
FROM generate_series(0, 900, 100) AS b(lo)
LEFT JOIN orders o ON o.amount >= b.lo AND o.amount < b.lo + 100
GROUP BY b.lo ORDER BY b.lo;

-- LATERAL top-2 orders per customer
SELECT c.customer_id, t.order_id, t.amount
FROM customers c
CROSS JOIN LATERAL (SELECT order_id, amount FROM orders o WHERE o.customer_id = c.customer_id ORDER BY amount DESC, order_id LIMIT 2) t
WHERE c.customer_id <= 5
ORDER BY c.customer_id, t.amount DESC, t.order_id;

-- LEFT JOIN LATERAL keeps customers with no orders
SELECT c.customer_id, t.last_ts
FROM customers c
LEFT JOIN LATERAL (SELECT max(order_ts) AS last_ts FROM orders o WHERE o.customer_id = c.customer_id) t ON true
ORDER BY c.customer_id
LIMIT 10;

-- LATERAL with latest interaction
SELECT c.customer_id, li.kind, li.ts
FROM customers c
LEFT JOIN LATERAL (SELECT kind, ts FROM interactions i WHERE i.customer_id = c.customer_id ORDER BY ts DESC, interaction_id DESC LIMIT 1) li ON true
WHERE c.customer_id BETWEEN 100 AND 110
ORDER BY c.customer_id;

-- join on expression
SELECT count(*) AS n FROM orders o JOIN customers c ON c.customer_id = o.customer_id AND extract(year FROM o.order_ts) = extract(year FROM c.signup_date);

-- join with OR condition
SELECT count(*) AS n FROM referrals r JOIN customers c ON c.customer_id = r.referrer_id OR c.customer_id = r.referee_id;

-- join to filtered aggregate
SELECT c.customer_id, c.name, s.n FROM customers c JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id HAVING count(*) > 45) s USING (customer_id) ORDER BY s.n DESC, c.customer_id;

-- join items to products with price comparison
SELECT count(*) FILTER (WHERE i.unit_price < p.price) AS below_list, count(*) FILTER (WHERE i.unit_price = p.price) AS at_list, count(*) FILTER (WHERE i.unit_price > p.price) AS above_list
FROM order_items i JOIN products p USING (product_id);

-- category mismatch between items and products
SELECT count(*) AS n FROM order_items i JOIN products p ON p.product_id = i.product_id WHERE i.category <> p.category;

-- join four tables: referral converts with orders
SELECT r.referrer_id, count(DISTINCT r.referee_id) AS referees, count(o.order_id) AS referee_orders
FROM referrals r LEFT JOIN orders o ON o.customer_id = r.referee_id
GROUP BY r.referrer_id
ORDER BY referee_orders DESC, r.referrer_id
LIMIT 10;

-- join USING with full join merges key
SELECT id, a.v AS av, b.v AS bv FROM (VALUES (1, 'x'), (2, 'y')) a(id, v) FULL JOIN (VALUES (2, 'z'), (3, 'w')) b(id, v) USING (id) ORDER BY id;

-- cross join with VALUES for pivot-like unrolling
SELECT o.order_id, k.metric, CASE k.metric WHEN 'amount' THEN o.amount ELSE o.discount END AS val
FROM orders o CROSS JOIN (VALUES ('amount'), ('discount')) k(metric)
WHERE o.order_id <= 3
ORDER BY o.order_id, k.metric;

-- join with IN subquery of products
SELECT count(*) AS n FROM order_items WHERE product_id IN (SELECT product_id FROM products WHERE price > 500);

-- join on date equality across tables
SELECT count(*) AS same_day FROM customers c JOIN orders o ON o.customer_id = c.customer_id AND o.order_ts::date = c.signup_date;

-- interactions joined to orders within 3 days after a campaign
SELECT count(DISTINCT i.interaction_id) AS campaigns_followed_by_order
FROM interactions i JOIN orders o ON o.customer_id = i.customer_id AND o.order_ts BETWEEN i.ts AND i.ts + interval '3 days'
WHERE i.kind = 'campaign';

-- select star from join with USING column order
SELECT * FROM (VALUES (1, 10)) a(k, x) JOIN (VALUES (1, 20)) b(k, y) USING (k);

-- join with duplicated column names selected
SELECT a.customer_id, b.customer_id FROM customers a JOIN customers b ON b.customer_id = a.customer_id + 1 WHERE a.customer_id <= 3 ORDER BY 1;

-- inner join with WHERE on both sides and DISTINCT
SELECT DISTINCT c.city FROM customers c JOIN orders o USING (customer_id) WHERE c.region = 'East' AND o.channel = 'app' ORDER BY c.city;

-- LATERAL unnest of per-row array
SELECT c.customer_id, x FROM customers c, LATERAL unnest(ARRAY[c.region, c.city]) AS x WHERE c.customer_id <= 2 ORDER BY 1, 2;
