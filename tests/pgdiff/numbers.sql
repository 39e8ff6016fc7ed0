-- numbers: numeric/integer arithmetic, rounding, division, math functions, scale of results

-- integer division and modulo operator
SELECT 7 / 2 AS idiv, -7 / 2 AS neg_idiv, 7 % 3 AS m, -7 % 3 AS neg_m;

-- mod() function
SELECT mod(17, 5) AS mod_fn, mod(-17, 5) AS mod_neg, mod(17.5, 5) AS mod_num;

-- numeric division scale
SELECT 1 / 3::numeric AS third, 2::numeric / 3 AS two_thirds, 10::numeric / 4 AS ten_quarters, 1.0 / 8 AS eighth;

-- div function
SELECT div(9, 4) AS d1, div(-9, 4) AS d2, div(9.5, 2) AS d3;

-- round numeric to n places
SELECT round(2.5) AS r1, round(-2.5) AS r2, round(3.14159, 2) AS r3, round(1234.5678, -2) AS r4, round(0.125, 2) AS r5;

-- round of double precision (banker's vs half away)
SELECT round(2.5::float8) AS f1, round(3.5::float8) AS f2, round(-0.5::float8) AS f3;

-- trunc / ceil / ceiling / floor
SELECT trunc(3.789, 1) AS t1, trunc(-3.789) AS t2, ceil(4.1) AS c1, ceil(-4.1) AS c2, floor(-4.1) AS f1;

-- ceiling() alias
SELECT ceiling(-4.1) AS c1, ceiling(4.000) AS c2, ceiling(amount) AS c3 FROM orders WHERE order_id = 1;

-- abs
SELECT abs(-17) AS a1, abs(-2.50) AS a2, abs(-3.5::float8) AS a3;

-- sign
SELECT sign(-8.4) AS s1, sign(0) AS s2, sign(3::float8) AS s3, sign(amount - 100) AS s4 FROM orders WHERE order_id = 3;

-- power / sqrt / cbrt / exp / ln / log
SELECT power(2, 10) AS p, sqrt(2::numeric) AS sq, cbrt(27::float8) AS cb, exp(1::numeric) AS e, ln(10::numeric) AS ln10, log(1000) AS lg, log(2, 64) AS lg2;

-- numeric sum keeps scale
SELECT sum(amount) AS total, sum(discount) AS disc, sum(amount - discount) AS net FROM orders;

-- avg(numeric) scale
SELECT avg(amount) AS avg_amount, avg(discount) AS avg_disc FROM orders;

-- avg of integer column gives numeric
SELECT avg(quantity) AS avg_qty, sum(quantity) AS total_qty FROM order_items;

-- avg per channel rounded
SELECT channel, round(avg(amount), 2) AS avg_amt, count(*) AS n
FROM orders
GROUP BY channel
ORDER BY channel;

-- multiplication of numeric(12,2) columns
SELECT order_id, line_no, quantity * unit_price AS line_total, unit_price * 1.19 AS gross
FROM order_items
ORDER BY order_id, line_no
LIMIT 8;

-- percent share with numeric
SELECT status, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct
FROM orders
GROUP BY status
ORDER BY status;

-- width_bucket on amount
SELECT width_bucket(amount, 0, 1000, 5) AS bucket, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- width_bucket with array thresholds
SELECT width_bucket(amount, ARRAY[50, 100, 250, 500, 1000]::numeric[]) AS b, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- numeric literal forms
SELECT 1.50 AS keeps_zero, '0.000'::numeric AS zeros, -0.0 AS negzero, '  12.5 '::numeric AS spaced;

-- numeric from scientific notation text
SELECT '1e3'::numeric AS sci, '1.5E-2'::numeric AS sci_neg, 1e3 AS sci_literal;

-- numeric precision of large values
SELECT 12345678901234567890::numeric * 10 AS big, 2::numeric ^ 64 AS pow64, 9223372036854775807::bigint AS maxbig;

-- integer overflow into bigint
SELECT 2147483647::bigint + 1 AS b, (2147483647::int)::bigint * 2 AS b2;

-- float8 arithmetic
SELECT 0.1::float8 + 0.2::float8 AS f, 1e300::float8 * 10 AS big, 3::float8 / 2 AS half;

-- float8 special values
SELECT 'NaN'::float8 AS nan, 'Infinity'::float8 AS inf, '-Infinity'::float8 AS ninf;

-- numeric NaN
SELECT 'NaN'::numeric AS nnan, 'NaN'::numeric > 1e100 AS nan_gt;

-- gcd / lcm / factorial
SELECT gcd(48, 18) AS g, lcm(4, 6) AS l, factorial(10) AS f;

-- trigonometry rounded
SELECT round(sin(pi() / 6)::numeric, 6) AS s, round(cos(0)::numeric, 6) AS c, round(degrees(pi())::numeric, 4) AS deg, round(radians(180)::numeric, 6) AS rad;

-- scale / min_scale / trim_scale
SELECT scale(12.3400) AS s, min_scale(12.3400) AS ms, trim_scale(12.3400) AS ts;

-- bitwise operators
SELECT 12 & 10 AS band, 12 | 10 AS bor, 12 # 10 AS bxor, ~12 AS bnot, 1 << 4 AS shl, 256 >> 2 AS shr;

-- amount bands by floor division
SELECT floor(amount / 100) * 100 AS band, count(*) AS n
FROM orders
WHERE amount < 1000
GROUP BY 1
ORDER BY 1;

-- max/min numeric and argmax via ORDER BY
SELECT order_id, amount
FROM orders
ORDER BY amount DESC, order_id
LIMIT 5;

-- numeric comparison with integer
SELECT count(*) AS n FROM orders WHERE amount = 57 OR amount = 29.0;

-- stddev / variance on numeric columns
SELECT round(variance(amount), 4) AS var, round(stddev(amount), 4) AS sd, round(var_pop(amount), 4) AS vp, round(stddev_samp(quantity), 6) AS sdq
FROM orders JOIN order_items USING (order_id)
WHERE orders.customer_id <= 50;

-- variance of small exact set
SELECT variance(x) AS v, var_samp(x) AS vs, stddev_pop(x) AS sp FROM (VALUES (1), (2), (3), (4)) t(x);

-- numeric to float and back
SELECT amount::float8 AS f, amount::float8::numeric AS back FROM orders ORDER BY order_id LIMIT 3;

-- unary minus and operator precedence
SELECT -2 ^ 2 AS a, (-2) ^ 2 AS b, 2 + 3 * 4 AS c, (2 + 3) * 4 AS d, 2 ^ 3 ^ 2 AS e;

-- integer sum over bigint ids
SELECT sum(order_id) AS s, sum(customer_id) AS c FROM orders;

-- revenue per product category with numeric rounding
SELECT category, sum(quantity * unit_price) AS rev, round(avg(unit_price), 3) AS avg_price
FROM order_items
GROUP BY category
ORDER BY category;

-- variance and stddev of numerics (PostgreSQL computes them in numeric)
SELECT variance(x) AS v, stddev(x) AS sd, var_pop(x) AS vp FROM (VALUES (1.0), (2.0), (4.0)) t(x);
