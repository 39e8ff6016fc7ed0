//! `(a, b) IN (SELECT x, y …)` as a condition of WHERE: DataFusion compares only single
//! values with an IN subquery. As one of WHERE's conjuncts (not under NOT or OR) the row is
//! kept exactly when some row of the subquery equals it column by column, which is
//! `EXISTS (SELECT 1 FROM (subquery) AS s (c1, c2) WHERE s.c1 = a AND s.c2 = b)`: where IN
//! would be NULL (a NULL among the compared values) EXISTS is false, and WHERE drops the row
//! either way. Elsewhere (`NOT IN`, select lists) the row form stays unplannable.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Ident, Query, Select, SetExpr};

use super::ast::{and_all, conjuncts, parse_query};

/// The subquery's name inside the EXISTS.
const ALIAS: &str = "__custlake_in";

/// Rewrites the row-valued IN subqueries among the WHERE conjuncts of `select`.
pub(super) fn row_in_subquery_as_exists(select: &mut Select) {
    let Some(selection) = &select.selection else {
        return;
    };
    let mut parts = Vec::new();
    conjuncts(selection.clone(), &mut parts);
    let mut changed = false;
    for part in &mut parts {
        if let Expr::InSubquery {
            expr,
            subquery,
            negated: false,
        } = part
            && let Expr::Tuple(values) = expr.as_ref()
            && let Some(exists) = exists_of(values, subquery)
        {
            *part = exists;
            changed = true;
        }
    }
    if changed {
        select.selection = and_all(parts);
    }
}

fn exists_of(values: &[Expr], subquery: &Query) -> Option<Expr> {
    let names: Vec<String> = (1..=values.len())
        .map(|i| format!("__custlake_c{i}"))
        .collect();
    let mut query = parse_query(&format!(
        "SELECT 1 FROM ({subquery}) AS {ALIAS} ({})",
        names.join(", ")
    ))?;
    let equalities = names
        .iter()
        .zip(values)
        .map(|(name, value)| Expr::BinaryOp {
            left: Box::new(Expr::CompoundIdentifier(vec![
                Ident::new(ALIAS),
                Ident::new(name),
            ])),
            op: BinaryOperator::Eq,
            right: Box::new(Expr::Nested(Box::new(value.clone()))),
        })
        .collect();
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    select.selection = and_all(equalities);
    Some(Expr::Exists {
        subquery: Box::new(query),
        negated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::testing::rewritten_select;

    fn rewritten(sql: &str) -> String {
        rewritten_select(sql, row_in_subquery_as_exists)
    }

    #[test]
    fn a_row_in_a_subquery_is_an_exists_of_its_equal_rows() {
        assert_eq!(
            rewritten(
                "SELECT count(*) FROM orders WHERE amount > 0 AND (customer_id, channel) IN \
                 (SELECT customer_id, preferred_channel FROM customers)"
            ),
            "SELECT count(*) FROM orders WHERE amount > 0 AND EXISTS (SELECT 1 FROM (SELECT \
             customer_id, preferred_channel FROM customers) AS __custlake_in (__custlake_c1, \
             __custlake_c2) WHERE __custlake_in.__custlake_c1 = (customer_id) AND \
             __custlake_in.__custlake_c2 = (channel))"
        );
    }

    #[test]
    fn not_in_and_single_values_are_left_alone() {
        for sql in [
            "SELECT 1 FROM t WHERE (a, b) NOT IN (SELECT x, y FROM u)",
            "SELECT 1 FROM t WHERE a IN (SELECT x FROM u)",
            "SELECT 1 FROM t WHERE a = 1 OR (a, b) IN (SELECT x, y FROM u)",
        ] {
            assert_eq!(rewritten(sql), parse_query(sql).unwrap().to_string());
        }
    }
}
