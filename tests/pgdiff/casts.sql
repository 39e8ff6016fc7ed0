-- casts: explicit and implicit type conversion, rounding on cast, char/varchar typmods, text output of types

-- numeric to int rounds half away from zero
SELECT 3.99::int AS a, (-3.5)::int AS b, 2.5::int AS c, 3.49::int AS d;

-- float8 to int rounds half to even
SELECT 2.5::float8::int AS a, 3.5::float8::int AS b, (-2.5)::float8::int AS c;

-- numeric typmod rounding
SELECT 1.005::numeric(10,2) AS a, 1.004::numeric(10,2) AS b, 123.456::numeric(5,1) AS c, (-0.005)::numeric(10,2) AS d;

-- varchar(n) cast truncates
SELECT CAST('Frankfurt am Main' AS varchar(5)) AS v, CAST(city AS varchar(3)) AS c3 FROM customers ORDER BY customer_id LIMIT 3;

-- char(n) pads and truncates
SELECT 'ab'::char(3) AS c, 'abcdef'::char(3) AS t, length('ab'::char(3)) AS len, 'ab'::char(3) || '|' AS concat;

-- char(3) of column values
SELECT region::char(3) AS r3, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1;

-- text to numeric types
SELECT '42'::int AS i, '42.50'::numeric AS n, '4.2e1'::float8 AS f, ' 7 '::int AS spaced, '-0'::int AS negz;

-- int to text and concatenation
SELECT customer_id::text || '-' || gender AS k FROM customers ORDER BY customer_id LIMIT 3;

-- boolean casts
SELECT 'true'::boolean AS a, 'f'::boolean AS b, 'yes'::boolean AS c, 'off'::boolean AS d, 1::boolean AS e, true::int AS f, marketing_opt_in::text AS g
FROM customers ORDER BY customer_id LIMIT 2;

-- date and timestamp casts
SELECT '2024-02-29'::date AS d, '2024-02-29'::timestamp AS ts, '2024-02-29 13:45:10.123'::timestamp::date AS tsd, date '2024-03-01'::timestamp AS dts;

-- timestamp to text
SELECT order_ts::text AS t, order_ts::date::text AS d, order_ts::time AS tm FROM orders ORDER BY order_id LIMIT 4;

-- text with microseconds trims trailing zeros
SELECT '2024-01-01 10:00:00.120000'::timestamp::text AS a, '2024-01-01 10:00:00'::timestamp::text AS b;

-- numeric to text keeps scale
SELECT amount::text AS t, (amount * 2)::text AS t2, amount::numeric(14,4)::text AS t4 FROM orders ORDER BY order_id LIMIT 3;

-- float8 text output
SELECT 0.1::float8 AS a, 1.0::float8 AS b, 1e20::float8 AS c, 1e-7::float8 AS d, 123456789.125::float8 AS e, 1::float4 / 3 AS f4;

-- int to float division
SELECT 1::float8 / 3 AS f, 7::numeric / 2 AS n, 7 / 2::float8 AS g;

-- bigint to int
SELECT customer_id::int AS i, customer_id::smallint AS s FROM customers ORDER BY customer_id LIMIT 2;

-- smallint column in arithmetic
SELECT nps_score, nps_score + 1 AS plus1, nps_score * 1.5 AS times, pg_typeof(nps_score + 1) AS t
FROM interactions WHERE nps_score IS NOT NULL ORDER BY interaction_id LIMIT 3;

-- pg_typeof of expressions
SELECT pg_typeof(1) AS a, pg_typeof(1.5) AS b, pg_typeof('x'::text) AS c, pg_typeof(date '2024-01-01' - date '2020-01-01') AS d, pg_typeof(1::bigint + 1) AS e;

-- pg_typeof of column types
SELECT pg_typeof(amount) AS a, pg_typeof(order_ts) AS b, pg_typeof(customer_id) AS c, pg_typeof(status) AS d FROM orders WHERE order_id = 1;

-- pg_typeof of aggregates
SELECT pg_typeof(sum(quantity)) AS s, pg_typeof(avg(quantity)) AS a, pg_typeof(count(*)) AS c, pg_typeof(sum(order_id)) AS so FROM order_items;

-- CAST syntax vs :: syntax
SELECT CAST(amount AS integer) AS ai, CAST(amount AS bigint) AS ab, CAST(amount AS double precision) AS ad FROM orders ORDER BY order_id LIMIT 3;

-- interval casts
SELECT '1 day'::interval AS a, '36 hours'::interval AS b, '1.5 days'::interval AS c, CAST('P1Y2M3DT4H5M6S' AS interval) AS iso;

-- date to text via to_char vs cast
SELECT signup_date::text AS t, to_char(signup_date, 'DD.MM.YYYY') AS de FROM customers ORDER BY customer_id LIMIT 3;

-- numeric precision overflow would error; within limits works
SELECT 999.99::numeric(5,2) AS ok, 0.5::numeric(1,1) AS half;

-- text to array cast
SELECT '{1,2,3}'::int[] AS a, '{a,b}'::text[] AS t, ARRAY[1,2]::text[] AS at;

-- implicit cast in comparison with string literal
SELECT count(*) AS n FROM orders WHERE order_ts > '2024-06-01' AND amount > '500';

-- cast to numeric with rounding per row
SELECT order_id, (amount / 3)::numeric(10,2) AS third FROM orders ORDER BY order_id LIMIT 5;

-- real/float4 output
SELECT 3.14159265358979::real AS r, 1::real / 3 AS third_real, 100000000::real AS big;

-- int4 to numeric division producing trailing digits
SELECT 10::numeric / 3 AS a, 100::numeric / 7 AS b, 1::numeric / 1000000 AS c;

-- casting boolean expression results
SELECT (amount > 100)::int AS big_order, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1;

-- string to timestamp with time zone and back to UTC timestamp
SELECT ('2024-06-30 12:00:00+02'::timestamptz AT TIME ZONE 'UTC') AS utc_ts;

-- jsonb cast round-trip
SELECT '{"a": 1, "b": [1,2]}'::jsonb::text AS j, '{"b":2,"a":1}'::json::text AS raw;

-- int to char
SELECT 65::text::char(1) AS c, 'hello'::varchar(3) AS v, 'x'::varchar AS unbounded;

-- ::date on string with time
SELECT '2024-06-30 23:59:59'::date AS d, '2024-06-30T10:15:00'::timestamp AS iso_t;
