-- Top 10 referrers of the last month: referrals made in the month up to as_of(), how many of
-- them converted (the referred customer bought) by as_of(), and the rewards earned by those
-- conversions; ranked by conversions, then referrals, then customer_id.
SELECT CAST(rank() OVER (ORDER BY conversions DESC, referrals DESC) AS BIGINT) AS rank,
       customer_id, name, region, referrals, conversions, rewards
FROM (
    SELECT r.referrer_id AS customer_id, c.name, c.region,
           count(*) AS referrals,
           count(*) FILTER (WHERE CAST(r.converted_at AS DATE) <= as_of()) AS conversions,
           coalesce(sum(r.reward) FILTER (WHERE CAST(r.converted_at AS DATE) <= as_of()), 0) AS rewards
    FROM referrals AS r
    JOIN customers AS c ON c.customer_id = r.referrer_id
    WHERE CAST(r.referred_at AS DATE) <= as_of()
      AND CAST(r.referred_at AS DATE) > as_of() - INTERVAL '1 month'
    GROUP BY r.referrer_id, c.name, c.region
)
ORDER BY conversions DESC, referrals DESC, customer_id
LIMIT 10
