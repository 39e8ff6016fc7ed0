-- dates: date/timestamp arithmetic, date_trunc, extract, to_char/to_date, intervals, age, time zones

-- orders per year
SELECT extract(year FROM order_ts) AS yr, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- date_trunc month on a timestamp column, first 12 months
SELECT date_trunc('month', order_ts) AS m, count(*) AS n, sum(amount) AS revenue
FROM orders
GROUP BY 1
ORDER BY 1
LIMIT 12;

-- date_trunc week (ISO weeks start Monday)
SELECT date_trunc('week', order_ts) AS wk, count(*) AS n
FROM orders
WHERE order_ts >= '2024-01-01' AND order_ts < '2024-03-01'
GROUP BY 1
ORDER BY 1;

-- date_trunc quarter and day
SELECT date_trunc('quarter', order_ts)::date AS q, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- extract returns numeric in PG14+: fractional seconds
SELECT order_id, extract(second FROM order_ts) AS sec, extract(epoch FROM order_ts) AS ep
FROM orders
ORDER BY order_id
LIMIT 5;

-- extract dow / isodow / doy / week
SELECT order_id, extract(dow FROM order_ts) AS dow, extract(isodow FROM order_ts) AS isodow,
       extract(doy FROM order_ts) AS doy, extract(week FROM order_ts) AS wk
FROM orders
ORDER BY order_id
LIMIT 10;

-- date_part returns double precision
SELECT date_part('month', order_ts) AS m, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- to_char year-month grouping
SELECT to_char(order_ts, 'YYYY-MM') AS ym, count(*) AS n
FROM orders
WHERE order_ts >= '2023-01-01'
GROUP BY 1
ORDER BY 1;

-- to_char with quarter literal
SELECT to_char(order_ts, 'YYYY-"Q"Q') AS yq, count(*) AS n
FROM orders
GROUP BY 1
ORDER BY 1;

-- to_char day and month names
SELECT to_char(order_ts, 'Day') AS dname, to_char(order_ts, 'Mon') AS mname, count(*) AS n
FROM orders
GROUP BY 1, 2
ORDER BY 1, 2;

-- to_char with time pieces
SELECT order_id, to_char(order_ts, 'YYYY-MM-DD HH24:MI:SS') AS full_ts, to_char(order_ts, 'HH12 AM') AS h12
FROM orders
ORDER BY order_id
LIMIT 5;

-- timestamp subtraction gives an interval
SELECT order_id, order_ts - lag(order_ts) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS gap
FROM orders
WHERE customer_id = 1
ORDER BY order_id;

-- date subtraction gives an integer
SELECT customer_id, signup_date - birth_date AS days_old_at_signup
FROM customers
ORDER BY customer_id
LIMIT 10;

-- date plus integer and date plus interval
SELECT customer_id, signup_date + 30 AS plus30, signup_date + interval '1 month' AS plus1m
FROM customers
ORDER BY customer_id
LIMIT 5;

-- interval multiplication
SELECT interval '1 day' * 3 AS three_days, interval '1 hour' * 1.5 AS ninety_min, 2 * interval '2 weeks' AS four_weeks;

-- age() between two dates
SELECT customer_id, age(signup_date, birth_date) AS age_at_signup
FROM customers
ORDER BY customer_id
LIMIT 10;

-- age in whole years via extract
SELECT extract(year FROM age(date '2024-06-30', birth_date)) AS age_years, count(*) AS n
FROM customers
GROUP BY 1
ORDER BY 1
LIMIT 10;

-- justify_days / justify_hours / justify_interval
SELECT justify_days(interval '65 days') AS jd, justify_hours(interval '50 hours') AS jh, justify_interval(interval '1 mon -1 hour') AS ji;

-- timestamp literal and text output
SELECT '2024-06-30 12:00'::timestamp AS ts, '2024-06-30 12:00'::timestamp::text AS ts_text;

-- timestamp literal with fractional seconds
SELECT timestamp '2024-02-29 23:59:59.5' AS frac, '2024-06-30 12:00:00'::timestamp AS full_secs;

-- timestamp to text cast on real data
SELECT order_id, order_ts::text AS t, order_ts::date AS d
FROM orders
ORDER BY order_id
LIMIT 5;

-- AT TIME ZONE chain: interpret as UTC, render in Berlin local time
SELECT order_id, (order_ts AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS berlin
FROM orders
ORDER BY order_id
LIMIT 5;

-- AT TIME ZONE on a winter and a summer constant
SELECT (timestamp '2024-01-15 12:00' AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS winter,
       (timestamp '2024-07-15 12:00' AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin' AS summer;

-- to_date with PG pattern
SELECT to_date('05 Dec 2000', 'DD Mon YYYY') AS d1, to_date('2024-06-30', 'YYYY-MM-DD') AS d2, to_date('20240115', 'YYYYMMDD') AS d3;

-- to_timestamp with PG pattern
SELECT to_timestamp('2024-06-30 14:05:09', 'YYYY-MM-DD HH24:MI:SS')::timestamp AS ts1,
       to_timestamp('30/06/2024', 'DD/MM/YYYY')::timestamp AS ts2;

-- generate_series over dates, monthly calendar
SELECT d::date AS month_start
FROM generate_series(date '2024-01-01', date '2024-06-01', interval '1 month') AS g(d)
ORDER BY 1;

-- calendar spine left-joined to orders (days with zero orders kept)
SELECT d::date AS day, count(o.order_id) AS n
FROM generate_series(timestamp '2024-06-01', timestamp '2024-06-14', interval '1 day') AS g(d)
LEFT JOIN orders o ON o.order_ts >= g.d AND o.order_ts < g.d + interval '1 day'
GROUP BY 1
ORDER BY 1;

-- make_date / make_timestamp / make_interval
SELECT make_date(2024, 2, 29) AS d, make_timestamp(2024, 6, 30, 23, 59, 58.5) AS ts, make_interval(days => 10, hours => 3) AS iv;

-- date comparison with BETWEEN on timestamps
SELECT count(*) AS n
FROM orders
WHERE order_ts BETWEEN '2023-12-01' AND '2023-12-31 23:59:59.999999';

-- last order date per customer, days since
SELECT customer_id, max(order_ts)::date AS last_order, date '2024-06-30' - max(order_ts)::date AS days_since
FROM orders
GROUP BY customer_id
ORDER BY customer_id
LIMIT 10;

-- interval extraction
SELECT extract(epoch FROM interval '1 day 2 hours') AS secs, extract(day FROM interval '40 days') AS d, extract(hour FROM interval '26 hours') AS h;

-- avg interval between referral and conversion (rounded to seconds)
SELECT date_trunc('second', avg(converted_at - referred_at)) AS avg_gap, max(converted_at - referred_at) AS max_gap
FROM referrals;

-- signups per month with to_char month name
SELECT extract(month FROM signup_date) AS m, to_char(signup_date, 'FMMonth') AS mname, count(*) AS n
FROM customers
GROUP BY 1, 2
ORDER BY 1;

-- overlaps operator
SELECT (date '2024-01-01', date '2024-02-01') OVERLAPS (date '2024-01-15', date '2024-03-01') AS o1,
       (date '2024-01-01', date '2024-02-01') OVERLAPS (date '2024-02-01', date '2024-03-01') AS o2;

-- date_bin
SELECT date_bin('15 minutes', order_ts, timestamp '2000-01-01') AS bucket, count(*) AS n
FROM orders
WHERE order_ts >= '2024-06-30'
GROUP BY 1
ORDER BY 1;

-- isfinite and infinity
SELECT isfinite(date '2024-01-01') AS f1, isfinite('infinity'::timestamp) AS f2, 'infinity'::date > date '9999-12-31' AS inf_gt;

-- interval output formats
SELECT interval '1 year 2 months 3 days 04:05:06.789' AS iv, interval '-1 day +2 hours' AS mixed, interval '90 minutes' AS m90;
