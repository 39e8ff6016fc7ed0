-- Customers to act on before they are lost: from segments.churn_scores, those with a churn
-- risk of high or critical (the operators' scorecard, banded by churn_level) or a BG/NBD
-- probability of still being a customer under 0.5, with their value, expected 12-month CLV,
-- the reasons that fired and the action for their stage (dormant -> time-limited coupon,
-- half lost -> call, lost -> win-back offer).
SELECT customer_id, customer_type, region, last_purchase, spend_12m,
       round(churn_risk, 1) AS churn_risk, churn_level, reasons, round(p_alive, 4) AS p_alive,
       round(clv_12m, 2) AS clv_12m, stage, action
FROM segments.churn_scores
WHERE churn_level IN ('high', 'critical') OR p_alive < 0.5
