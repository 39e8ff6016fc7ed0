-- nulls: NULL semantics in comparisons, aggregates, ordering, DISTINCT, joins, IS DISTINCT FROM

-- count(*) vs count(col)
SELECT count(*) AS all_rows, count(industry) AS with_industry, count(referred_by) AS referred, count(DISTINCT industry) AS n_ind FROM customers;

-- nps_score nulls
SELECT count(*) AS n, count(nps_score) AS scored, sum(nps_score) AS s, avg(nps_score) AS a FROM interactions;

-- NULL = NULL is NULL
SELECT NULL = NULL AS eq, NULL IS NULL AS isn, NULL <> 1 AS ne, (NULL = NULL) IS NULL AS eq_is_null;

-- IS DISTINCT FROM
SELECT NULL IS DISTINCT FROM NULL AS d1, 1 IS DISTINCT FROM NULL AS d2, 1 IS NOT DISTINCT FROM 1 AS d3;

-- IS DISTINCT FROM on columns
SELECT count(*) AS n FROM customers WHERE industry IS DISTINCT FROM 'retail';

-- <> drops NULLs
SELECT count(*) AS n FROM customers WHERE industry <> 'retail';

-- NULLs sort last ascending by default
SELECT customer_id, industry FROM customers WHERE customer_id <= 12 ORDER BY industry, customer_id;

-- NULLS FIRST
SELECT customer_id, industry FROM customers WHERE customer_id <= 12 ORDER BY industry NULLS FIRST, customer_id;

-- DESC puts NULLs first
SELECT customer_id, referred_by FROM customers WHERE customer_id <= 15 ORDER BY referred_by DESC, customer_id;

-- DESC NULLS LAST
SELECT customer_id, referred_by FROM customers WHERE customer_id <= 15 ORDER BY referred_by DESC NULLS LAST, customer_id;

-- GROUP BY groups NULLs together
SELECT industry, count(*) AS n FROM customers GROUP BY industry ORDER BY industry NULLS FIRST;

-- DISTINCT treats NULLs as equal
SELECT DISTINCT company_size FROM customers;

-- NOT IN with a NULL in the list yields no rows
SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (1, 2, NULL);

-- NOT IN subquery containing NULLs
SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (SELECT referred_by FROM customers);

-- NOT IN subquery with NULLs filtered
SELECT count(*) AS n FROM customers WHERE customer_id NOT IN (SELECT referred_by FROM customers WHERE referred_by IS NOT NULL);

-- NOT EXISTS is NULL-safe
SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customers r WHERE r.referred_by = c.customer_id);

-- sum over empty set is NULL; count is 0
SELECT sum(amount) AS s, count(*) AS c, max(amount) AS mx, avg(amount) AS av FROM orders WHERE order_id < 0;

-- coalesce sum of empty set
SELECT coalesce(sum(amount), 0) AS s FROM orders WHERE order_id < 0;

-- arithmetic with NULL
SELECT 1 + NULL AS a, NULL * 0 AS b, 'x' || NULL AS c, NULL::int / 0 AS d;

-- boolean three-valued logic
SELECT NULL AND false AS a, NULL AND true AS b, NULL OR true AS c, NULL OR false AS d, NOT NULL::boolean AS e;

-- IS TRUE / IS NOT FALSE / IS UNKNOWN
SELECT x, x IS TRUE AS t, x IS NOT FALSE AS nf, x IS UNKNOWN AS u
FROM (VALUES (true), (false), (NULL::boolean)) AS v(x);

-- LEFT JOIN produces NULLs for missing matches
SELECT c.customer_id, r.referee_id
FROM customers c LEFT JOIN referrals r ON r.referrer_id = c.customer_id
WHERE c.customer_id <= 10
ORDER BY c.customer_id, r.referee_id;

-- counting non-matches of a left join
SELECT count(*) AS never_ordered
FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id
WHERE o.order_id IS NULL;

-- NULL in CASE
SELECT CASE WHEN NULL THEN 'yes' ELSE 'no' END AS a, CASE NULL WHEN NULL THEN 'match' ELSE 'nomatch' END AS b;

-- nullif producing NULLs, avoiding division by zero
SELECT customer_type, sum(discount) / nullif(sum(amount), 0) AS disc_rate_raw, round(sum(discount) / nullif(sum(amount), 0), 6) AS disc_rate
FROM orders o JOIN customers c USING (customer_id)
GROUP BY customer_type
ORDER BY customer_type;

-- count distinct ignores NULL
SELECT count(DISTINCT nps_score) AS distinct_scores, count(DISTINCT converted_at) AS conv FROM interactions, referrals WHERE interaction_id <= 3;

-- converted_at null means not converted
SELECT converted_at IS NULL AS pending, count(*) AS n, sum(reward) AS rewards FROM referrals GROUP BY 1 ORDER BY 1;

-- min/max with NULLs
SELECT min(nps_score) AS mn, max(nps_score) AS mx, min(referred_by) AS mr FROM interactions, (SELECT min(referred_by) AS referred_by FROM customers) s;

-- NULL in IN list (positive match still works)
SELECT count(*) AS n FROM customers WHERE industry IN ('retail', NULL);

-- array with NULL elements
SELECT ARRAY[1, NULL, 3] AS a, array_length(ARRAY[1, NULL, 3], 1) AS len, cardinality(ARRAY[NULL]::int[]) AS card;

-- NULLs in UNION are deduplicated
SELECT NULL::int AS x UNION SELECT NULL::int UNION SELECT 1;

-- string_agg skips NULLs
SELECT string_agg(industry, ',' ORDER BY customer_id) AS s FROM customers WHERE customer_id <= 20;

-- bool aggregates with NULLs
SELECT bool_and(x) AS ba, bool_or(x) AS bo, every(x) AS ev FROM (VALUES (true), (NULL::boolean), (true)) t(x);

-- coalesce chain over columns
SELECT customer_id, coalesce(industry, company_size, customer_type) AS label FROM customers ORDER BY customer_id LIMIT 8;

-- NULL equality in join does not match
SELECT count(*) AS n FROM customers a JOIN customers b ON a.industry = b.industry AND a.customer_id = b.customer_id;

-- GREATEST/LEAST ignore NULLs
SELECT greatest(1, NULL, 3) AS g, least(NULL, 2, 5) AS l, greatest(NULL::int, NULL) AS gn;
