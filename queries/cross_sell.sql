-- Cross-sell: for each active customer (lifecycle stage new, growing or mature), up to three
-- categories they have not bought yet, recommended by the association rules mined from the
-- baskets (category sets of completed orders) of the 12 months up to as_of(): rules with
-- support >= 1%, confidence >= 20% and lift >= 1.2. A rule applies when the customer has
-- bought every category of its antecedent; each category is recommended by its best rule,
-- and the recommendations are ranked by confidence, then lift.
--
-- This is the recommendation pattern for any rules table: match antecedents by joining
-- their items with what the customer holds and counting, drop consequents already held,
-- rank per customer. Only equi-joins and aggregates, so it runs in bounded memory at any
-- number of customers.
WITH rules AS (
    SELECT row_number() OVER (ORDER BY confidence DESC, lift DESC) AS rule_id,
           antecedent, consequent[1] AS category, confidence, lift
    FROM association_rules(
        'SELECT o.order_id, i.category
         FROM orders AS o JOIN order_items AS i ON i.order_id = o.order_id
         WHERE o.status = ''completed'' AND CAST(o.order_ts AS DATE) <= as_of()
           AND CAST(o.order_ts AS DATE) > as_of() - INTERVAL ''12 months''',
        0.01, 0.2, 1.2)
), antecedent_items AS (
    SELECT rule_id, cardinality(antecedent) AS needed, unnest(antecedent) AS category
    FROM rules
), bought AS (
    SELECT DISTINCT o.customer_id, i.category
    FROM orders AS o JOIN order_items AS i ON i.order_id = o.order_id
    WHERE o.status = 'completed' AND CAST(o.order_ts AS DATE) <= as_of()
), active AS (
    SELECT customer_id FROM segments.lifecycle WHERE stage IN ('new', 'growing', 'mature')
), applying AS (
    SELECT b.customer_id, a.rule_id
    FROM bought AS b
    JOIN active AS c ON c.customer_id = b.customer_id
    JOIN antecedent_items AS a ON a.category = b.category
    GROUP BY b.customer_id, a.rule_id, a.needed
    HAVING count(*) = a.needed
), candidates AS (
    SELECT p.customer_id, r.category, r.antecedent, r.confidence, r.lift,
           row_number() OVER (PARTITION BY p.customer_id, r.category
                              ORDER BY r.confidence DESC, r.lift DESC, r.rule_id) AS best
    FROM applying AS p
    JOIN rules AS r ON r.rule_id = p.rule_id
    WHERE NOT EXISTS (SELECT 1 FROM bought AS b
                      WHERE b.customer_id = p.customer_id AND b.category = r.category)
), ranked AS (
    SELECT customer_id, category, antecedent, confidence, lift,
           row_number() OVER (PARTITION BY customer_id
                              ORDER BY confidence DESC, lift DESC, category) AS rank
    FROM candidates
    WHERE best = 1
)
SELECT customer_id, rank, category AS recommended_category, antecedent AS because_bought,
       confidence, lift
FROM ranked
WHERE rank <= 3
