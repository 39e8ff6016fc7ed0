-- ctes: WITH clauses, chained CTEs, CTEs referenced twice, MATERIALIZED hints, recursive CTEs (series, graphs, referral trees)

-- simple CTE
WITH big AS (SELECT * FROM orders WHERE amount > 5000)
SELECT channel, count(*) AS n FROM big GROUP BY channel ORDER BY channel;

-- chained CTEs
WITH cust_rev AS (
  SELECT customer_id, sum(amount) AS rev FROM orders WHERE status = 'completed' GROUP BY customer_id
), ranked AS (
  SELECT customer_id, rev, rank() OVER (ORDER BY rev DESC) AS rk FROM cust_rev
)
SELECT customer_id, rev, rk FROM ranked WHERE rk <= 5 ORDER BY rk, customer_id;

-- CTE referenced twice
WITH m AS (SELECT date_trunc('month', order_ts)::date AS m, sum(amount) AS rev FROM orders GROUP BY 1)
SELECT a.m, a.rev, b.rev AS prev_rev FROM m a LEFT JOIN m b ON b.m = (a.m - interval '1 month')::date WHERE a.m >= '2024-01-01' ORDER BY a.m;

-- MATERIALIZED hint
WITH s AS MATERIALIZED (SELECT region, count(*) AS n FROM customers GROUP BY region)
SELECT * FROM s ORDER BY region;

-- NOT MATERIALIZED hint
WITH s AS NOT MATERIALIZED (SELECT customer_id, amount FROM orders)
SELECT count(*) AS n, sum(amount) AS t FROM s WHERE customer_id < 100;

-- CTE with column list
WITH t(a, b) AS (VALUES (1, 'x'), (2, 'y'))
SELECT a, b FROM t ORDER BY a;

-- recursive counter
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
SELECT sum(i) AS s, count(*) AS c FROM n;

-- recursive fibonacci
WITH RECURSIVE fib(n, a, b) AS (
  SELECT 1, 0::numeric, 1::numeric
  UNION ALL
  SELECT n + 1, b, a + b FROM fib WHERE n < 30
)
SELECT n, a FROM fib ORDER BY n;

-- recursive date series
WITH RECURSIVE d(day) AS (
  SELECT date '2024-02-25'
  UNION ALL
  SELECT day + 1 FROM d WHERE day < date '2024-03-03'
)
SELECT day, to_char(day, 'Dy') AS dow FROM d ORDER BY day;

-- recursive referral chain: depth of each referee from root referrers
WITH RECURSIVE tree AS (
  SELECT customer_id, referred_by, 0 AS depth, customer_id AS root
  FROM customers WHERE referred_by IS NULL
  UNION ALL
  SELECT c.customer_id, c.referred_by, t.depth + 1, t.root
  FROM customers c JOIN tree t ON c.referred_by = t.customer_id
)
SELECT depth, count(*) AS n FROM tree GROUP BY depth ORDER BY depth;

-- recursive: largest referral trees
WITH RECURSIVE tree AS (
  SELECT customer_id, customer_id AS root FROM customers WHERE referred_by IS NULL
  UNION ALL
  SELECT c.customer_id, t.root FROM customers c JOIN tree t ON c.referred_by = t.customer_id
)
SELECT root, count(*) - 1 AS descendants FROM tree GROUP BY root HAVING count(*) > 1 ORDER BY descendants DESC, root LIMIT 10;

-- recursive path string
WITH RECURSIVE chain AS (
  SELECT customer_id, referred_by, customer_id::text AS path FROM customers WHERE referred_by IS NULL
  UNION ALL
  SELECT c.customer_id, c.referred_by, t.path || '>' || c.customer_id FROM customers c JOIN chain t ON c.referred_by = t.customer_id
)
SELECT path FROM chain WHERE path LIKE '%>%>%' ORDER BY length(path) DESC, path LIMIT 10;

-- recursive UNION (distinct) terminating on cycle
WITH RECURSIVE r(x) AS (SELECT 1 UNION SELECT (x % 5) + 1 FROM r)
SELECT x FROM r ORDER BY x;

-- recursive with array path and cycle guard
WITH RECURSIVE g(src, dst) AS (VALUES (1, 2), (2, 3), (3, 1), (3, 4)),
walk(node, path) AS (
  SELECT 1, ARRAY[1]
  UNION ALL
  SELECT g.dst, w.path || g.dst FROM walk w JOIN g ON g.src = w.node WHERE NOT g.dst = ANY (w.path)
)
SELECT node, path FROM walk ORDER BY cardinality(path), node;

-- recursive powers of two
WITH RECURSIVE p(k, v) AS (SELECT 0, 1::bigint UNION ALL SELECT k + 1, v * 2 FROM p WHERE k < 40)
SELECT k, v FROM p WHERE k % 10 = 0 ORDER BY k;

-- recursive monthly calendar then join to orders
WITH RECURSIVE months(m) AS (
  SELECT timestamp '2023-01-01'
  UNION ALL
  SELECT m + interval '1 month' FROM months WHERE m < timestamp '2023-12-01'
)
SELECT m::date AS month, count(o.order_id) AS n
FROM months LEFT JOIN orders o ON o.order_ts >= m AND o.order_ts < m + interval '1 month'
GROUP BY m ORDER BY m;

-- CTE used in a subquery filter
WITH vip AS (SELECT customer_id FROM orders GROUP BY customer_id HAVING sum(amount) > 50000)
SELECT region, count(*) AS n FROM customers WHERE customer_id IN (SELECT customer_id FROM vip) GROUP BY region ORDER BY region;

-- nested WITH inside a subquery
SELECT * FROM (
  WITH x AS (SELECT channel, count(*) AS n FROM orders GROUP BY channel)
  SELECT channel, n FROM x
) s ORDER BY channel;

-- CTE with UNION ALL of two aggregates
WITH a AS (SELECT 'orders' AS what, count(*) AS n FROM orders),
     b AS (SELECT 'items', count(*) FROM order_items)
SELECT * FROM a UNION ALL SELECT * FROM b ORDER BY what;

-- recursive string building
WITH RECURSIVE s(i, str) AS (SELECT 1, 'a'::text UNION ALL SELECT i + 1, str || chr(97 + i) FROM s WHERE i < 8)
SELECT i, str FROM s ORDER BY i;

-- recursive sum of digits
WITH RECURSIVE d(n, total) AS (SELECT 987654321::bigint, 0::bigint UNION ALL SELECT n / 10, total + n % 10 FROM d WHERE n > 0)
SELECT total FROM d WHERE n = 0;

-- recursive: referee chain upward from a specific customer
WITH RECURSIVE up AS (
  SELECT customer_id, referred_by, 0 AS lvl FROM customers WHERE customer_id = (SELECT max(customer_id) FROM customers WHERE referred_by IS NOT NULL)
  UNION ALL
  SELECT c.customer_id, c.referred_by, u.lvl + 1 FROM customers c JOIN up u ON c.customer_id = u.referred_by
)
SELECT customer_id, lvl FROM up ORDER BY lvl;

-- CTE that computes first order cohort, reused in final
WITH first_order AS (SELECT customer_id, min(order_ts) AS fo FROM orders GROUP BY customer_id)
SELECT extract(year FROM fo) AS cohort_year, count(*) AS customers FROM first_order GROUP BY 1 ORDER BY 1;

-- CTE shadowing a table name
WITH orders AS (SELECT 1 AS order_id, 10.00::numeric AS amount)
SELECT * FROM orders;

-- recursive with SEARCH DEPTH FIRST
WITH RECURSIVE t(id, parent) AS (VALUES (1, NULL::int), (2, 1), (3, 1), (4, 2), (5, 3)),
r AS (SELECT id, parent FROM t WHERE parent IS NULL UNION ALL SELECT t.id, t.parent FROM t JOIN r ON t.parent = r.id)
SEARCH DEPTH FIRST BY id SET ord
SELECT id FROM r ORDER BY ord;

-- recursive with CYCLE clause
WITH RECURSIVE g(src, dst) AS (VALUES (1, 2), (2, 3), (3, 1)),
r(node) AS (SELECT 1 UNION ALL SELECT g.dst FROM r JOIN g ON g.src = r.node)
CYCLE node SET is_cycle USING path
SELECT node, is_cycle FROM r ORDER BY path;

-- CTE with window and aggregate in final select
WITH gaps AS (
  SELECT customer_id, order_ts - lag(order_ts) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS gap FROM orders
)
SELECT count(*) FILTER (WHERE gap > interval '180 days') AS long_gaps, count(gap) AS gaps FROM gaps;

-- multiple CTEs joined
WITH o AS (SELECT customer_id, count(*) AS n_orders FROM orders GROUP BY customer_id),
     i AS (SELECT customer_id, count(*) AS n_touch FROM interactions GROUP BY customer_id)
SELECT count(*) AS both_active, sum(o.n_orders) AS orders, sum(i.n_touch) AS touches FROM o JOIN i USING (customer_id);

-- recursive generating a small multiplication table
WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a WHERE x < 4)
SELECT a.x, b.x AS y, a.x * b.x AS p FROM a, a b ORDER BY 1, 2;

-- recursive over interval steps
WITH RECURSIVE t(ts) AS (SELECT timestamp '2024-03-30 22:00' UNION ALL SELECT ts + interval '90 minutes' FROM t WHERE ts < timestamp '2024-03-31 04:00')
SELECT ts FROM t ORDER BY ts;

-- recursive collatz length for 27
WITH RECURSIVE c(n, steps) AS (SELECT 27::bigint, 0 UNION ALL SELECT CASE WHEN n % 2 = 0 THEN n / 2 ELSE 3 * n + 1 END, steps + 1 FROM c WHERE n <> 1)
SELECT max(steps) AS steps, max(n) AS peak FROM c;
