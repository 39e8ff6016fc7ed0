-- arrays: constructors, indexing, slicing, unnest (WITH ORDINALITY, multi-arg), array functions and operators, generate_series

-- constructor and indexing
SELECT ARRAY[10, 20, 30] AS a, (ARRAY[10, 20, 30])[2] AS second, (ARRAY[10, 20, 30])[5] AS out_of_range;

-- slicing
SELECT (ARRAY[1, 2, 3, 4, 5])[2:4] AS mid, (ARRAY[1, 2, 3, 4, 5])[:2] AS head, (ARRAY[1, 2, 3, 4, 5])[4:] AS tail;

-- array_length / cardinality / array_ndims / array_dims
SELECT array_length(ARRAY[1, 2, 3], 1) AS len, cardinality(ARRAY[[1, 2], [3, 4]]) AS card, array_ndims(ARRAY[[1, 2], [3, 4]]) AS nd, array_dims(ARRAY[[1, 2], [3, 4]]) AS dims;

-- array_remove / array_replace
SELECT array_remove(ARRAY[1, 2, 1], 1) AS rem, array_replace(ARRAY[1, 2, 1], 1, 9) AS rep, array_remove(ARRAY['a', NULL, 'b'], NULL) AS rem_null;

-- array_append / array_prepend / array_cat / ||
SELECT array_append(ARRAY[1, 2], 3) AS ap, array_prepend(0, ARRAY[1, 2]) AS pp, array_cat(ARRAY[1], ARRAY[2, 3]) AS cat, ARRAY[1, 2] || 3 AS op1, ARRAY[1] || ARRAY[2] AS op2;

-- array_position / array_positions
SELECT array_position(ARRAY['a', 'b', 'c', 'b'], 'b') AS pos, array_positions(ARRAY['a', 'b', 'c', 'b'], 'b') AS poss, array_position(ARRAY[1, 2], 5) AS missing;

-- array_to_string / string_to_array
SELECT array_to_string(ARRAY[1, NULL, 3], ',') AS s1, array_to_string(ARRAY[1, NULL, 3], ',', '*') AS s2, string_to_array('a,b,,c', ',') AS arr, string_to_array('a b c', ' ', 'b') AS arr_null;

-- containment and overlap
SELECT ARRAY[1, 2, 3] @> ARRAY[2, 3] AS contains, ARRAY[1, 2] <@ ARRAY[1, 2, 3] AS contained, ARRAY[1, 2] && ARRAY[2, 5] AS overlaps;

-- unnest basic
SELECT unnest(ARRAY[3, 1, 2]) AS x;

-- unnest AS t(x) in FROM
SELECT x FROM unnest(ARRAY['b', 'a', 'c']) AS t(x) ORDER BY x;

-- unnest WITH ORDINALITY
SELECT x, n FROM unnest(ARRAY['b', 'a', 'c']) WITH ORDINALITY AS t(x, n) ORDER BY n;

-- multi-argument unnest zips arrays
SELECT * FROM unnest(ARRAY[1, 2, 3], ARRAY['a', 'b']) AS t(n, s) ORDER BY n;

-- generate_series in select list
SELECT generate_series(1, 3) AS g;

-- generate_series with step and negative step
SELECT * FROM generate_series(10, 1, -3) AS g(x) ORDER BY x DESC;

-- generate_series numeric step
SELECT x FROM generate_series(0.5, 2.0, 0.5) AS g(x) ORDER BY x;

-- generate_series timestamps with ordinality
SELECT n, ts FROM generate_series(timestamp '2024-01-31', timestamp '2024-05-31', interval '1 month') WITH ORDINALITY AS g(ts, n) ORDER BY n;

-- array_agg then index
SELECT customer_id, (array_agg(order_id ORDER BY order_ts, order_id))[1] AS first_order, (array_agg(channel ORDER BY order_ts DESC, order_id DESC))[1] AS last_channel
FROM orders WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id;

-- basket contents as arrays, tally of basket sizes
SELECT cardinality(cats) AS basket_size, count(*) AS n
FROM (SELECT order_id, array_agg(category ORDER BY line_no) AS cats FROM order_items GROUP BY order_id) s
GROUP BY 1 ORDER BY 1;

-- orders containing both categories via array containment
SELECT count(*) AS n FROM (SELECT order_id, array_agg(category) AS cats FROM order_items GROUP BY order_id) s WHERE cats @> ARRAY['audio', 'phones'];

-- ANY over array column derived per row
SELECT count(*) AS n FROM customers WHERE preferred_channel = ANY (ARRAY['email', 'sms']);

-- array comparison operators
SELECT ARRAY[1, 2, 3] = ARRAY[1, 2, 3] AS eq, ARRAY[1, 2] < ARRAY[1, 3] AS lt, ARRAY[1, 2, 3] > ARRAY[1, 2] AS longer_gt;

-- array_upper / array_lower
SELECT array_upper(ARRAY[5, 6, 7], 1) AS up, array_lower(ARRAY[5, 6, 7], 1) AS lo, array_upper('{}'::int[], 1) AS empty_up;

-- text array output quoting
SELECT ARRAY['a b', 'c,d', 'e"f', '', NULL] AS quoted, ARRAY['plain'] AS plain;

-- 2-d array output
SELECT ARRAY[[1, 2], [3, 4]] AS m, (ARRAY[[1, 2], [3, 4]])[2][1] AS el;

-- array_fill
SELECT array_fill(7, ARRAY[3]) AS f, array_fill('x'::text, ARRAY[2, 2]) AS f2;

-- unnest of aggregated array round trip
SELECT region, x FROM (SELECT region, array_agg(DISTINCT customer_type ORDER BY customer_type) AS types FROM customers GROUP BY region) s, unnest(types) AS x ORDER BY region, x;

-- string_to_table
SELECT string_to_table('red|green|blue', '|') AS c;

-- array of numeric keeps scale
SELECT ARRAY[1.50, 2.0, 3]::numeric[] AS a, array_agg(amount ORDER BY order_id) AS amts FROM orders WHERE order_id <= 3;

-- empty array literals
SELECT '{}'::int[] AS e, cardinality('{}'::int[]) AS c, array_length('{}'::int[], 1) AS l, ARRAY[]::text[] AS e2;

-- unnest with join to products
SELECT p.product_id, p.name FROM unnest(ARRAY[3, 1, 2]) WITH ORDINALITY AS t(pid, ord) JOIN products p ON p.product_id = t.pid ORDER BY t.ord;

-- array_agg of arrays-of-rows sizes by customer
SELECT customer_id, array_length(array_agg(order_id), 1) AS n FROM orders WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id;

-- generate_subscripts
SELECT generate_subscripts(ARRAY['a', 'b', 'c'], 1) AS i;

-- trim_array and array_reverse-like via slicing
SELECT trim_array(ARRAY[1, 2, 3, 4], 2) AS t;

-- set-returning function in select with other columns
SELECT customer_id, generate_series(1, 2) AS k FROM customers WHERE customer_id <= 3 ORDER BY customer_id, k;

-- unnest of NULL array gives no rows
SELECT count(*) AS n FROM unnest(NULL::int[]) AS t(x);

-- array_agg distinct channels per customer, frequency of combos
SELECT array_agg(DISTINCT channel ORDER BY channel) AS chans, count(*) OVER () AS dummy FROM orders WHERE customer_id = 1;
