//! The subqueries of a select list that DataFusion does not plan there, found anywhere in an
//! item (`CASE WHEN … THEN (SELECT …) END`) but not inside another subquery (they belong to
//! that subquery's SELECT): ARRAY subqueries, `x IN (…)` ([`super::in_subquery`]),
//! correlated scalar subqueries that do not aggregate ([`super::scalar_join`]) and those that
//! aggregate over more than equalities ([`super::domain_join`]). The joins they become are
//! added to the select's last FROM item.

use datafusion::sql::sqlparser::ast::{Expr, Select, SelectItem};

use super::Rewriter;
use super::array_subquery::{array_of_subquery, take_array_subquery};
use super::ast::{empty_query, reads_outer_columns, rewrite_outside_subqueries};
use super::in_subquery::in_subquery_as_array;

impl Rewriter<'_> {
    pub(super) fn select_list_subqueries(&mut self, select: &mut Select) {
        let mut joins = Vec::new();
        let from = select.from.clone();
        for item in select.projection.iter_mut() {
            let (SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) = item
            else {
                continue;
            };
            // Subqueries anywhere in the item (`CASE WHEN … THEN (SELECT …) END`) that
            // DataFusion does not plan in a select list — correlated scalar ones become joins,
            // `x IN (…)` a test on an array — but not those inside another subquery: they
            // belong to that subquery's SELECT.
            rewrite_outside_subqueries(expr, |expr| {
                if let Some(query) = take_array_subquery(expr) {
                    *expr = array_of_subquery(query);
                }
                if let Expr::InSubquery {
                    expr: x,
                    subquery,
                    negated,
                } = expr
                    && !reads_outer_columns(subquery)
                    && let Some(answer) = in_subquery_as_array((**x).clone(), subquery, *negated)
                {
                    *expr = answer;
                    return;
                }
                let Expr::Subquery(query) = expr else {
                    return;
                };
                // Without a FROM clause there is nothing to join to.
                if from.is_empty() {
                    return;
                }
                if self.lateral_candidate(query).is_some() {
                    let query = std::mem::replace(query, Box::new(empty_query()));
                    let (join, value) = self.join_subquery(query);
                    joins.push(join);
                    *expr = value;
                } else if let Some((join, value)) = self.domain_join(query, &from) {
                    joins.push(join);
                    *expr = value;
                }
            });
        }
        if let Some(last) = select.from.last_mut() {
            last.joins.extend(joins);
        }
    }
}
