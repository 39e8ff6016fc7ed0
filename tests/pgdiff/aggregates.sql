-- aggregates: count/sum/avg/min/max, FILTER, DISTINCT aggregates, ordered-set aggregates, HAVING, bool/bit aggregates

-- basic totals
SELECT count(*) AS n, sum(amount) AS revenue, min(amount) AS mn, max(amount) AS mx FROM orders;

-- per status
SELECT status, count(*) AS n, sum(amount) AS revenue FROM orders GROUP BY status ORDER BY status;

-- count distinct customers per channel
SELECT channel, count(DISTINCT customer_id) AS customers, count(*) AS orders FROM orders GROUP BY channel ORDER BY channel;

-- FILTER clause
SELECT count(*) FILTER (WHERE status = 'completed') AS completed,
       count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
       sum(amount) FILTER (WHERE status = 'refunded') AS refunded_amt
FROM orders;

-- FILTER per group
SELECT region,
       count(*) FILTER (WHERE customer_type = 'B2B') AS b2b,
       count(*) FILTER (WHERE customer_type = 'B2C') AS b2c
FROM customers
GROUP BY region
ORDER BY region;

-- HAVING
SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id HAVING count(*) >= 40 ORDER BY n DESC, customer_id;

-- HAVING with aggregate not in select list
SELECT city FROM customers GROUP BY city HAVING avg(extract(year FROM birth_date)) > 1982 ORDER BY city;

-- avg scale on numeric
SELECT category, avg(unit_price) AS avg_price FROM order_items GROUP BY category ORDER BY category;

-- avg of integer
SELECT category, avg(quantity) AS avg_qty FROM order_items GROUP BY category ORDER BY category;

-- sum of integer returns bigint, sum of bigint returns numeric
SELECT sum(quantity) AS q, sum(product_id) AS p, sum(line_no::smallint) AS l FROM order_items;

-- percentile_cont
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS median_cont, percentile_cont(0.9) WITHIN GROUP (ORDER BY amount) AS p90_cont FROM orders;

-- percentile_disc
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY amount) AS median_disc, percentile_disc(0.9) WITHIN GROUP (ORDER BY amount) AS p90 FROM orders;

-- percentile_disc per group
SELECT channel, percentile_disc(0.25) WITHIN GROUP (ORDER BY amount) AS q1, percentile_disc(0.75) WITHIN GROUP (ORDER BY amount) AS q3
FROM orders GROUP BY channel ORDER BY channel;

-- percentile_cont on integers
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY quantity) AS med_qty, percentile_cont(0.25) WITHIN GROUP (ORDER BY x) AS q FROM order_items, (VALUES (1), (2), (3), (4)) t(x) WHERE order_id = 1;

-- percentile arrays
SELECT percentile_disc(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY amount) AS ps FROM orders;

-- mode()
SELECT mode() WITHIN GROUP (ORDER BY city) AS top_city, mode() WITHIN GROUP (ORDER BY acquisition_channel) AS top_acq FROM customers;

-- mode per region
SELECT region, mode() WITHIN GROUP (ORDER BY preferred_channel) AS pref FROM customers GROUP BY region ORDER BY region;

-- bool_and / bool_or
SELECT customer_type, bool_and(marketing_opt_in) AS all_opt, bool_or(marketing_opt_in) AS any_opt, bool_and(referred_by IS NULL) AS none_referred
FROM customers GROUP BY customer_type ORDER BY customer_type;

-- every()
SELECT customer_type, every(marketing_opt_in) AS all_opt, every(referred_by IS NULL) AS none_referred
FROM customers GROUP BY customer_type ORDER BY customer_type;

-- every() per customer on orders
SELECT count(*) AS always_completed
FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING every(status = 'completed')) s;

-- string_agg with ORDER BY
SELECT order_id, string_agg(category, '+' ORDER BY line_no) AS cats FROM order_items WHERE order_id <= 5 GROUP BY order_id ORDER BY order_id;

-- array_agg with ORDER BY
SELECT order_id, array_agg(product_id ORDER BY line_no) AS prods FROM order_items WHERE order_id <= 5 GROUP BY order_id ORDER BY order_id;

-- array_agg DISTINCT
SELECT region, array_agg(DISTINCT customer_type ORDER BY customer_type) AS types FROM customers GROUP BY region ORDER BY region;

-- count distinct over expression
SELECT count(DISTINCT date_trunc('month', order_ts)) AS months, count(DISTINCT (customer_id, channel)) AS cust_channels FROM orders;

-- sum distinct
SELECT sum(DISTINCT quantity) AS sd, count(DISTINCT quantity) AS cd, avg(DISTINCT quantity) AS ad FROM order_items;

-- variance and stddev (numeric)
SELECT channel, round(stddev(amount), 4) AS sd, round(variance(amount), 2) AS var FROM orders GROUP BY channel ORDER BY channel;

-- stddev of smallint
SELECT round(stddev_pop(nps_score), 6) AS sp, round(var_samp(nps_score), 6) AS vs FROM interactions;

-- corr / regr on small exact set
SELECT corr(x, y) AS c, regr_slope(y, x) AS slope, regr_intercept(y, x) AS icpt, covar_pop(x, y) AS cp, regr_count(y, x) AS n
FROM (VALUES (1.0, 2.0), (2.0, 4.0), (3.0, 6.5), (4.0, 8.0)) t(x, y);

-- bit_and / bit_or
SELECT bit_and(x) AS ba, bit_or(x) AS bo, bit_xor(x) AS bx FROM (VALUES (12), (10), (14)) t(x);

-- aggregate over join with group by two columns
SELECT c.region, o.channel, count(*) AS n, sum(o.amount) AS rev
FROM orders o JOIN customers c ON c.customer_id = o.customer_id
GROUP BY c.region, o.channel
ORDER BY c.region, o.channel;

-- count(*) with no rows in group by returns no rows
SELECT status, count(*) FROM orders WHERE amount < 0 GROUP BY status;

-- aggregate without group by on empty input returns one row
SELECT count(*) AS n, max(order_ts) AS last FROM orders WHERE amount < 0;

-- max/min of timestamp and date
SELECT min(order_ts) AS first_ts, max(order_ts) AS last_ts, min(signup_date) AS first_signup FROM orders, (SELECT min(signup_date) AS signup_date FROM customers) s;

-- group by expression and alias
SELECT extract(year FROM signup_date) AS y, customer_type, count(*) AS n FROM customers GROUP BY y, customer_type ORDER BY y, customer_type;

-- group by ordinal
SELECT gender, customer_type, count(*) FROM customers GROUP BY 1, 2 ORDER BY 1, 2;

-- aggregate with DISTINCT ON-like top per group via max
SELECT customer_id, max(amount) AS biggest, min(order_ts) AS first_order FROM orders WHERE customer_id <= 10 GROUP BY customer_id ORDER BY customer_id;

-- count on booleans
SELECT count(*) FILTER (WHERE responded) AS responded, count(*) FILTER (WHERE converted) AS converted, sum(cost) AS cost, sum(responded::int) AS resp_int FROM interactions;

-- json_agg/jsonb aggregate count check
SELECT kind, count(*) AS n, round(avg(cost), 4) AS avg_cost FROM interactions GROUP BY kind ORDER BY kind;

-- avg of numeric(10,2) cost per channel
SELECT channel, avg(cost) AS avg_cost FROM interactions GROUP BY channel ORDER BY channel;
