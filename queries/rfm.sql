-- RFM per customer as of as_of(): recency (days since the last completed order), frequency
-- (completed orders), monetary (their net spend; refunded and cancelled orders do not count),
-- quintile scores 1-5 (NTILE, ties in customer_id order) and the RFM segment.
SELECT customer_id, last_order_date, recency_days, frequency, monetary,
       r_score, f_score, m_score, rfm_code, segment
FROM rfm('orders')
