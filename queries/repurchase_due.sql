-- Customers to remind to buy again within the next 7 days (as_of() and the 6 days after):
-- the reminder falls a lead time (3 days B2C, 14 B2B) before the next purchase is due, which is
-- the last purchase plus the customer's median interval. Only customers who opted in to
-- marketing, and only with at least two purchase days.
WITH due AS (
    SELECT customer_id, max(CAST(order_ts AS DATE)) AS last_purchase_date,
           count(DISTINCT CAST(order_ts AS DATE)) AS purchase_days,
           next_purchase_due(order_ts) AS next_purchase_due
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= as_of()
    GROUP BY customer_id
), reminders AS (
    SELECT d.*, c.name, c.email, c.phone, c.preferred_channel, c.customer_type,
           repurchase_reminder_date(d.next_purchase_due, c.customer_type) AS remind_on
    FROM due AS d
    JOIN customers AS c ON c.customer_id = d.customer_id
    WHERE c.marketing_opt_in
)
SELECT customer_id, name, email, phone, preferred_channel, customer_type,
       last_purchase_date, purchase_days, next_purchase_due, remind_on
FROM reminders
WHERE remind_on >= as_of() AND remind_on < as_of() + INTERVAL '7 days'
