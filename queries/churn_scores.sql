-- The churn risk of every customer with a purchase up to as_of(): the operators' scorecard
-- (churn_risk, its band churn_level and the reasons that fired) and the BG/NBD probability of
-- still being a customer, with the 12-month spend, the expected 12-month CLV, and a stage and
-- action by P(alive). segments.churn_watchlist is the part of it to act on.
--
-- The BG/NBD and Gamma-Gamma models are fitted here, on every customer's purchase days up to
-- as_of() (calibration_summary, in days). Signals of the scorecard, as of as_of():
-- - own interval: the median days between a customer's purchase days (NULL with fewer than
--   two; the mean of the middle two for an even count); cohort interval: the median of those
--   medians over customers of the same type;
-- - last interaction: the last activity of the customer's own, an inbound contact or a
--   response (as in segments.lifecycle);
-- - spend in the last 90 days and in the 90 days before;
-- - unanswered contacts: the latest outbound contacts without a response, counted back to the
--   last one answered (of two at the same instant, the answered one counts as the later);
-- - complaints in the last 90 days.
-- Stage and action, by P(alive): dormant (0.5 or more) -> time-limited coupon; half lost (0.2
-- to 0.5) -> call; lost (under 0.2) -> win-back offer.
WITH purchase_days AS (
    SELECT customer_id, CAST(order_ts AS DATE) AS day, sum(amount) AS amount
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
    GROUP BY customer_id, CAST(order_ts AS DATE)
), gaps AS (
    SELECT customer_id,
           CAST(day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS DOUBLE) AS gap
    FROM purchase_days
), purchases AS (
    SELECT d.customer_id, max(d.day) AS last_purchase,
           sum(d.amount) FILTER (WHERE d.day > as_of() - INTERVAL '90 days') AS spend_90d,
           sum(d.amount) FILTER (WHERE d.day > as_of() - INTERVAL '180 days'
                                   AND d.day <= as_of() - INTERVAL '90 days') AS spend_prior_90d,
           sum(d.amount) FILTER (WHERE d.day > as_of() - INTERVAL '365 days') AS spend_12m,
           calibration_summary(d.day, d.amount, as_of()) AS summary
    FROM purchase_days AS d
    GROUP BY d.customer_id
), histories AS (
    -- The summary's fields as columns, once, for the model functions below.
    SELECT customer_id, last_purchase, spend_90d, spend_prior_90d, spend_12m,
           summary.x AS x, summary.t_x AS t_x, summary.age AS age, summary.zbar AS zbar
    FROM purchases
), intervals AS (
    SELECT customer_id, median(gap) AS own_interval_days
    FROM gaps WHERE gap IS NOT NULL GROUP BY customer_id
), cohort_intervals AS (
    SELECT c.customer_type, median(i.own_interval_days) AS cohort_interval_days
    FROM intervals AS i JOIN customers AS c ON c.customer_id = i.customer_id
    GROUP BY c.customer_type
), outbound AS (
    SELECT customer_id, responded,
           row_number() OVER (PARTITION BY customer_id ORDER BY ts DESC, responded DESC) AS latest
    FROM interactions
    WHERE direction = 'outbound' AND CAST(ts AS DATE) <= as_of()
), contacts AS (
    SELECT customer_id,
           coalesce(min(latest) FILTER (WHERE responded) - 1, count(*)) AS unanswered_contacts
    FROM outbound GROUP BY customer_id
), activity AS (
    SELECT customer_id,
           max(CAST(ts AS DATE)) FILTER (WHERE direction = 'inbound' OR responded) AS last_interaction,
           count(*) FILTER (WHERE complaint AND CAST(ts AS DATE) > as_of() - INTERVAL '90 days')
               AS complaints_90d
    FROM interactions
    WHERE CAST(ts AS DATE) <= as_of()
    GROUP BY customer_id
), models AS (
    SELECT bgnbd_fit(x, t_x, age) AS bgnbd, gamma_gamma_fit(x, zbar) AS gamma_gamma
    FROM histories
), scored AS (
    SELECT c.customer_id, c.customer_type, c.region, p.last_purchase, p.spend_12m,
           churn_risk(p.last_purchase, i.own_interval_days, k.cohort_interval_days,
                      a.last_interaction, coalesce(p.spend_90d, 0), coalesce(p.spend_prior_90d, 0),
                      coalesce(o.unanswered_contacts, 0), coalesce(a.complaints_90d, 0),
                      c.customer_type, as_of()) AS churn_risk,
           churn_reasons(p.last_purchase, i.own_interval_days, k.cohort_interval_days,
                         a.last_interaction, coalesce(p.spend_90d, 0),
                         coalesce(p.spend_prior_90d, 0), coalesce(o.unanswered_contacts, 0),
                         coalesce(a.complaints_90d, 0), c.customer_type, as_of()) AS reasons,
           bgnbd_p_alive(p.x, p.t_x, p.age, m.bgnbd) AS p_alive,
           clv(p.x, p.t_x, p.age, p.zbar, m.bgnbd, m.gamma_gamma, 12, 0.01, 'days') AS clv_12m
    FROM histories AS p
    JOIN customers AS c ON c.customer_id = p.customer_id
    CROSS JOIN models AS m
    LEFT JOIN intervals AS i ON i.customer_id = p.customer_id
    LEFT JOIN cohort_intervals AS k ON k.customer_type = c.customer_type
    LEFT JOIN contacts AS o ON o.customer_id = p.customer_id
    LEFT JOIN activity AS a ON a.customer_id = p.customer_id
)
SELECT customer_id, customer_type, region, last_purchase, spend_12m,
       churn_risk, churn_level(churn_risk) AS churn_level, reasons, p_alive, clv_12m,
       CASE WHEN p_alive >= 0.5 THEN 'dormant' WHEN p_alive >= 0.2 THEN 'half_lost' ELSE 'lost' END
           AS stage,
       CASE WHEN p_alive >= 0.5 THEN 'time-limited coupon'
            WHEN p_alive >= 0.2 THEN 'call'
            ELSE 'win-back offer' END AS action
FROM scored
