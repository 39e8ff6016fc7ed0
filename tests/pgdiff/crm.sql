-- crm: cohorts, retention, repeat purchase, RFM with ntile, churn, CLV, referral leaderboards, NPS, campaign response (as of 2024-07-01)

-- monthly signup cohorts: size and buyers
SELECT date_trunc('month', c.signup_date)::date AS cohort, count(DISTINCT c.customer_id) AS size, count(DISTINCT o.customer_id) AS buyers
FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id
WHERE c.signup_date < '2020-01-01'
GROUP BY 1 ORDER BY 1;

-- first-order cohort retention matrix (months since first order), 2023 cohorts
WITH first AS (
  SELECT customer_id, date_trunc('month', min(order_ts)) AS cohort FROM orders GROUP BY customer_id
), activity AS (
  SELECT DISTINCT o.customer_id, f.cohort,
         (extract(year FROM o.order_ts) - extract(year FROM f.cohort)) * 12 + extract(month FROM o.order_ts) - extract(month FROM f.cohort) AS month_n
  FROM orders o JOIN first f USING (customer_id)
)
SELECT cohort::date AS cohort, month_n, count(*) AS active
FROM activity
WHERE cohort >= '2023-01-01' AND cohort < '2023-04-01' AND month_n <= 6
GROUP BY cohort, month_n
ORDER BY cohort, month_n;

-- retention rate: share of cohort active in month 1..3
WITH first AS (
  SELECT customer_id, date_trunc('month', min(order_ts)) AS cohort FROM orders GROUP BY customer_id
), act AS (
  SELECT DISTINCT o.customer_id, f.cohort, date_trunc('month', o.order_ts) AS m FROM orders o JOIN first f USING (customer_id)
)
SELECT extract(year FROM cohort) AS cohort_year,
       count(DISTINCT customer_id) AS cohort_size,
       round(100.0 * count(DISTINCT customer_id) FILTER (WHERE m = cohort + interval '1 month') / count(DISTINCT customer_id), 2) AS m1_pct,
       round(100.0 * count(DISTINCT customer_id) FILTER (WHERE m = cohort + interval '3 months') / count(DISTINCT customer_id), 2) AS m3_pct
FROM act GROUP BY 1 ORDER BY 1;

-- repeat purchase rate overall
SELECT count(*) AS buyers, count(*) FILTER (WHERE n >= 2) AS repeaters, round(100.0 * count(*) FILTER (WHERE n >= 2) / count(*), 2) AS repeat_rate
FROM (SELECT customer_id, count(*) AS n FROM orders WHERE status = 'completed' GROUP BY customer_id) s;

-- repeat purchase rate by acquisition channel
SELECT c.acquisition_channel, count(*) AS buyers, round(avg((s.n >= 2)::int), 4) AS repeat_rate, round(avg(s.n), 2) AS avg_orders
FROM (SELECT customer_id, count(*) AS n FROM orders WHERE status = 'completed' GROUP BY customer_id) s JOIN customers c USING (customer_id)
GROUP BY c.acquisition_channel ORDER BY c.acquisition_channel;

-- time to second order
WITH ranked AS (
  SELECT customer_id, order_ts, row_number() OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS rn FROM orders
)
SELECT width_bucket(extract(epoch FROM b.order_ts - a.order_ts) / 86400, 0, 360, 6) AS bucket_60d, count(*) AS n
FROM ranked a JOIN ranked b ON b.customer_id = a.customer_id AND a.rn = 1 AND b.rn = 2
GROUP BY 1 ORDER BY 1;

-- RFM scoring with ntile
WITH base AS (
  SELECT customer_id, date '2024-07-01' - max(order_ts)::date AS recency_days, count(*) AS frequency, sum(amount) AS monetary
  FROM orders WHERE status = 'completed' GROUP BY customer_id
), scored AS (
  SELECT customer_id, recency_days, frequency, monetary,
         ntile(5) OVER (ORDER BY recency_days DESC, customer_id) AS r,
         ntile(5) OVER (ORDER BY frequency, customer_id) AS f,
         ntile(5) OVER (ORDER BY monetary, customer_id) AS m
  FROM base
)
SELECT customer_id, recency_days, frequency, monetary, r, f, m, r::text || f::text || m::text AS rfm
FROM scored ORDER BY customer_id LIMIT 20;

-- RFM segment distribution
WITH base AS (
  SELECT customer_id, date '2024-07-01' - max(order_ts)::date AS rec, count(*) AS freq, sum(amount) AS mon
  FROM orders WHERE status = 'completed' GROUP BY customer_id
), s AS (
  SELECT *, ntile(5) OVER (ORDER BY rec DESC, customer_id) AS r, ntile(5) OVER (ORDER BY freq, customer_id) AS f, ntile(5) OVER (ORDER BY mon, customer_id) AS m FROM base
)
SELECT CASE WHEN r >= 4 AND f >= 4 THEN 'champions'
            WHEN r >= 3 AND f >= 3 THEN 'loyal'
            WHEN r >= 4 AND f <= 2 THEN 'new'
            WHEN r <= 2 AND f >= 3 THEN 'at_risk'
            WHEN r <= 2 AND f <= 2 THEN 'hibernating'
            ELSE 'others' END AS segment,
       count(*) AS customers, sum(mon) AS revenue, round(avg(rec), 1) AS avg_recency
FROM s GROUP BY 1 ORDER BY 1;

-- RFM average score per region
WITH base AS (
  SELECT customer_id, max(order_ts) AS last_ts, count(*) AS freq, sum(amount) AS mon FROM orders GROUP BY customer_id
), s AS (
  SELECT customer_id, ntile(4) OVER (ORDER BY last_ts, customer_id) + ntile(4) OVER (ORDER BY freq, customer_id) + ntile(4) OVER (ORDER BY mon, customer_id) AS score FROM base
)
SELECT c.region, round(avg(s.score), 3) AS avg_score, count(*) AS n FROM s JOIN customers c USING (customer_id) GROUP BY c.region ORDER BY c.region;

-- churn: customers with no order in the last 180 days among those who ordered before
SELECT c.customer_type,
       count(*) AS buyers,
       count(*) FILTER (WHERE s.last_ts < timestamp '2024-07-01' - interval '180 days') AS churned,
       round(100.0 * count(*) FILTER (WHERE s.last_ts < timestamp '2024-07-01' - interval '180 days') / count(*), 2) AS churn_pct
FROM (SELECT customer_id, max(order_ts) AS last_ts FROM orders GROUP BY customer_id) s JOIN customers c USING (customer_id)
GROUP BY c.customer_type ORDER BY c.customer_type;

-- churn watchlist: overdue relative to own median gap
WITH gaps AS (
  SELECT customer_id, order_ts, order_ts - lag(order_ts) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS gap FROM orders
), stats AS (
  SELECT customer_id, max(order_ts) AS last_ts, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM gap)) AS med_gap_s, count(gap) AS n_gaps
  FROM gaps GROUP BY customer_id
)
SELECT customer_id, last_ts::date AS last_order, round((med_gap_s / 86400)::numeric, 1) AS median_gap_days,
       round(((extract(epoch FROM timestamp '2024-07-01' - last_ts) / med_gap_s))::numeric, 2) AS overdue_ratio
FROM stats
WHERE n_gaps >= 5 AND extract(epoch FROM timestamp '2024-07-01' - last_ts) > 3 * med_gap_s
ORDER BY overdue_ratio DESC, customer_id
LIMIT 15;

-- monthly active customers and churned-from-previous-month
WITH m AS (SELECT DISTINCT customer_id, date_trunc('month', order_ts) AS mon FROM orders WHERE order_ts >= '2023-12-01')
SELECT cur.mon::date AS month, count(*) AS active,
       count(*) FILTER (WHERE prev.customer_id IS NULL) AS new_or_returning
FROM m cur LEFT JOIN m prev ON prev.customer_id = cur.customer_id AND prev.mon = cur.mon - interval '1 month'
GROUP BY cur.mon ORDER BY cur.mon;

-- customer lifetime value by signup year
SELECT extract(year FROM c.signup_date) AS signup_year, count(DISTINCT c.customer_id) AS customers,
       round(coalesce(sum(o.amount - o.discount), 0) / count(DISTINCT c.customer_id), 2) AS net_clv
FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.status = 'completed'
GROUP BY 1 ORDER BY 1;

-- average order value and purchase frequency per customer type
SELECT c.customer_type, round(avg(o.amount), 2) AS aov, round(count(*)::numeric / count(DISTINCT o.customer_id), 2) AS orders_per_buyer
FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'completed'
GROUP BY c.customer_type ORDER BY c.customer_type;

-- referral leaderboard
SELECT r.referrer_id, c.name, count(*) AS referrals, count(r.converted_at) AS converted, sum(r.reward) AS rewards,
       rank() OVER (ORDER BY count(r.converted_at) DESC, sum(r.reward) DESC) AS rk
FROM referrals r JOIN customers c ON c.customer_id = r.referrer_id
GROUP BY r.referrer_id, c.name
ORDER BY rk, r.referrer_id
LIMIT 15;

-- referral conversion time distribution
SELECT CASE WHEN converted_at IS NULL THEN 'never' WHEN converted_at - referred_at < interval '1 day' THEN '<1d' WHEN converted_at - referred_at < interval '7 days' THEN '1-7d' ELSE '7d+' END AS bucket, count(*) AS n
FROM referrals GROUP BY 1 ORDER BY 1;

-- referred vs non-referred customer value
SELECT (c.referred_by IS NOT NULL) AS referred, count(DISTINCT c.customer_id) AS customers, round(sum(o.amount) / count(DISTINCT c.customer_id), 2) AS rev_per_customer
FROM customers c JOIN orders o USING (customer_id)
GROUP BY 1 ORDER BY 1;

-- referee revenue generated per referrer (top 10)
SELECT r.referrer_id, count(DISTINCT r.referee_id) AS referees, coalesce(sum(o.amount), 0) AS referee_revenue
FROM referrals r LEFT JOIN orders o ON o.customer_id = r.referee_id AND o.status = 'completed'
GROUP BY r.referrer_id
ORDER BY referee_revenue DESC, r.referrer_id
LIMIT 10;

-- NPS overall
SELECT count(*) AS responses,
       round(100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6)) / count(*), 2) AS nps
FROM interactions WHERE nps_score IS NOT NULL;

-- NPS by region and customer type
SELECT c.region, c.customer_type, count(*) AS responses,
       round(100.0 * avg(CASE WHEN i.nps_score >= 9 THEN 1 WHEN i.nps_score <= 6 THEN -1 ELSE 0 END), 1) AS nps
FROM interactions i JOIN customers c USING (customer_id)
WHERE i.nps_score IS NOT NULL
GROUP BY c.region, c.customer_type ORDER BY c.region, c.customer_type;

-- NPS trend by year
SELECT extract(year FROM ts) AS y, count(*) AS responses,
       count(*) FILTER (WHERE nps_score >= 9) AS promoters, count(*) FILTER (WHERE nps_score BETWEEN 7 AND 8) AS passives, count(*) FILTER (WHERE nps_score <= 6) AS detractors
FROM interactions WHERE nps_score IS NOT NULL GROUP BY 1 ORDER BY 1;

-- latest NPS per customer, distribution
WITH latest AS (
  SELECT DISTINCT ON (customer_id) customer_id, nps_score FROM interactions WHERE nps_score IS NOT NULL ORDER BY customer_id, ts DESC, interaction_id DESC
)
SELECT nps_score, count(*) AS n FROM latest GROUP BY nps_score ORDER BY nps_score;

-- campaign response and conversion rates by channel
SELECT channel, count(*) AS sent, round(avg(responded::int), 4) AS response_rate, round(avg(converted::int), 4) AS conversion_rate, sum(cost) AS cost,
       round(sum(cost) / nullif(count(*) FILTER (WHERE converted), 0), 2) AS cost_per_conversion
FROM interactions WHERE kind = 'campaign'
GROUP BY channel ORDER BY channel;

-- complaints by channel and whether the customer churned
WITH last AS (SELECT customer_id, max(order_ts) AS last_ts FROM orders GROUP BY customer_id)
SELECT i.channel, count(DISTINCT i.customer_id) AS complainers,
       count(DISTINCT i.customer_id) FILTER (WHERE l.last_ts < i.ts) AS no_order_after_complaint
FROM interactions i JOIN last l USING (customer_id)
WHERE i.complaint
GROUP BY i.channel ORDER BY i.channel;

-- campaign attribution: orders within 7 days after a converted campaign touch
SELECT channel, count(*) AS attributed_orders, sum(amount) AS attributed_revenue
FROM (SELECT DISTINCT i.channel, o.order_id, o.amount
      FROM interactions i JOIN orders o ON o.customer_id = i.customer_id AND o.order_ts > i.ts AND o.order_ts <= i.ts + interval '7 days'
      WHERE i.kind = 'campaign' AND i.converted) s
GROUP BY channel ORDER BY channel;

-- marketing opt-in effect on order frequency
SELECT c.marketing_opt_in, count(DISTINCT c.customer_id) AS customers, round(count(o.order_id)::numeric / count(DISTINCT c.customer_id), 3) AS orders_per_customer
FROM customers c LEFT JOIN orders o USING (customer_id)
GROUP BY 1 ORDER BY 1;

-- cross-sell: top category pairs within the same order
SELECT a.category AS cat_a, b.category AS cat_b, count(DISTINCT a.order_id) AS orders
FROM order_items a JOIN order_items b ON b.order_id = a.order_id AND a.category < b.category
GROUP BY 1, 2 ORDER BY orders DESC, cat_a, cat_b LIMIT 10;

-- category affinity: share of buyers of X who also bought Y
WITH buyers AS (SELECT DISTINCT o.customer_id, i.category FROM orders o JOIN order_items i USING (order_id))
SELECT a.category AS bought, b.category AS also_bought, count(*) AS n,
       round(count(*)::numeric / (SELECT count(*) FROM buyers x WHERE x.category = a.category), 4) AS share
FROM buyers a JOIN buyers b ON b.customer_id = a.customer_id AND b.category <> a.category
WHERE a.category = 'phones'
GROUP BY a.category, b.category ORDER BY n DESC, also_bought LIMIT 5;

-- lifecycle stage as of 2024-07-01
WITH s AS (
  SELECT c.customer_id, c.signup_date, min(o.order_ts) AS first_ts, max(o.order_ts) AS last_ts, count(o.order_id) AS n
  FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.signup_date
)
SELECT CASE WHEN n = 0 THEN 'prospect'
            WHEN last_ts >= timestamp '2024-07-01' - interval '90 days' AND first_ts >= timestamp '2024-07-01' - interval '90 days' THEN 'new'
            WHEN last_ts >= timestamp '2024-07-01' - interval '90 days' THEN 'active'
            WHEN last_ts >= timestamp '2024-07-01' - interval '365 days' THEN 'lapsing'
            ELSE 'lost' END AS stage,
       count(*) AS customers
FROM s GROUP BY 1 ORDER BY 1;

-- days from signup to first order, percentiles
SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY d) AS p25, percentile_disc(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_disc(0.9) WITHIN GROUP (ORDER BY d) AS p90
FROM (SELECT c.customer_id, min(o.order_ts)::date - c.signup_date AS d FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.signup_date) s;

-- B2B account health by industry
SELECT c.industry, count(DISTINCT c.customer_id) AS accounts, sum(o.amount) AS revenue,
       round(sum(o.amount) / count(DISTINCT c.customer_id), 2) AS rev_per_account,
       count(*) FILTER (WHERE o.status = 'refunded') AS refunds
FROM customers c JOIN orders o USING (customer_id)
WHERE c.customer_type = 'B2B'
GROUP BY c.industry ORDER BY revenue DESC, c.industry;

-- refund and cancellation rates by channel and year
SELECT extract(year FROM order_ts) AS y, channel,
       round(avg((status = 'refunded')::int), 4) AS refund_rate,
       round(avg((status = 'cancelled')::int), 4) AS cancel_rate
FROM orders GROUP BY 1, 2 ORDER BY 1, 2;

-- customers who bought in 3 consecutive months (gaps-and-islands)
WITH m AS (
  SELECT DISTINCT customer_id, (extract(year FROM order_ts) * 12 + extract(month FROM order_ts))::int AS mi FROM orders
), isl AS (
  SELECT customer_id, mi, mi - row_number() OVER (PARTITION BY customer_id ORDER BY mi) AS grp FROM m
)
SELECT count(DISTINCT customer_id) AS streakers FROM (SELECT customer_id, grp FROM isl GROUP BY customer_id, grp HAVING count(*) >= 3) s;

-- longest monthly purchase streak per customer (top 10)
WITH m AS (
  SELECT DISTINCT customer_id, (extract(year FROM order_ts) * 12 + extract(month FROM order_ts))::int AS mi FROM orders
), isl AS (
  SELECT customer_id, mi - row_number() OVER (PARTITION BY customer_id ORDER BY mi) AS grp FROM m
)
SELECT customer_id, max(len) AS longest_streak FROM (SELECT customer_id, grp, count(*) AS len FROM isl GROUP BY 1, 2) s
GROUP BY customer_id ORDER BY longest_streak DESC, customer_id LIMIT 10;

-- preferred channel vs actual most-used order channel
WITH usage AS (
  SELECT customer_id, channel, count(*) AS n, row_number() OVER (PARTITION BY customer_id ORDER BY count(*) DESC, channel) AS rn FROM orders GROUP BY customer_id, channel
)
SELECT c.preferred_channel, u.channel AS top_order_channel, count(*) AS n
FROM usage u JOIN customers c USING (customer_id) WHERE u.rn = 1
GROUP BY 1, 2 ORDER BY 1, 2;

-- win-back candidates: high value, no order in 2024
SELECT c.customer_id, c.name, sum(o.amount) AS lifetime, max(o.order_ts)::date AS last_order
FROM customers c JOIN orders o USING (customer_id)
GROUP BY c.customer_id, c.name
HAVING max(o.order_ts) < '2024-01-01' AND sum(o.amount) > 10000
ORDER BY lifetime DESC, c.customer_id LIMIT 10;

-- interaction touches before first order
SELECT count(*) AS touches_before_first_order, count(DISTINCT i.customer_id) AS customers
FROM interactions i JOIN (SELECT customer_id, min(order_ts) AS fo FROM orders GROUP BY customer_id) f USING (customer_id)
WHERE i.ts < f.fo;

-- revenue concentration: share of revenue from top 10% customers
WITH r AS (SELECT customer_id, sum(amount) AS rev, ntile(10) OVER (ORDER BY sum(amount) DESC, customer_id) AS decile FROM orders GROUP BY customer_id)
SELECT decile, count(*) AS customers, sum(rev) AS revenue, round(100 * sum(rev) / sum(sum(rev)) OVER (), 2) AS pct
FROM r GROUP BY decile ORDER BY decile;
