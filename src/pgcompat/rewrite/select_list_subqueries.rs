//! The subqueries of a select list that DataFusion does not plan there, found anywhere in an
//! item (`CASE WHEN … THEN (SELECT …) END`) but not inside another subquery (they belong to
//! that subquery's SELECT): ARRAY subqueries, `x IN (…)` ([`super::in_subquery`]),
//! correlated scalar subqueries that do not aggregate ([`super::scalar_join`]) and those that
//! aggregate over more than equalities ([`super::domain_join`]). The joins they become are
//! added to the select's last FROM item.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Join, Query, Select, SelectItem, TableWithJoins, VisitMut, VisitorMut,
};

use super::Rewriter;
use super::array_subquery::{array_of_subquery, take_array_subquery};
use super::ast::{empty_query, reads_outer_columns};
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
            struct Joiner<'r, 'a> {
                rewriter: &'r mut Rewriter<'a>,
                joins: &'r mut Vec<Join>,
                from: &'r [TableWithJoins],
                depth: usize,
            }
            impl VisitorMut for Joiner<'_, '_> {
                type Break = ();
                fn pre_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
                    self.depth += 1;
                    ControlFlow::Continue(())
                }
                fn post_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
                    self.depth -= 1;
                    ControlFlow::Continue(())
                }
                fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
                    if self.depth != 0 {
                        return ControlFlow::Continue(());
                    }
                    if let Some(query) = take_array_subquery(expr) {
                        *expr = array_of_subquery(query);
                    }
                    if let Expr::InSubquery {
                        expr: x,
                        subquery,
                        negated,
                    } = expr
                        && !reads_outer_columns(subquery)
                        && let Some(answer) =
                            in_subquery_as_array((**x).clone(), subquery, *negated)
                    {
                        *expr = answer;
                        return ControlFlow::Continue(());
                    }
                    let Expr::Subquery(query) = expr else {
                        return ControlFlow::Continue(());
                    };
                    // Without a FROM clause there is nothing to join to.
                    if self.from.is_empty() {
                        return ControlFlow::Continue(());
                    }
                    if self.rewriter.lateral_candidate(query).is_some() {
                        let query = std::mem::replace(query, Box::new(empty_query()));
                        let (join, value) = self.rewriter.join_subquery(query);
                        self.joins.push(join);
                        *expr = value;
                    } else if let Some((join, value)) = self.rewriter.domain_join(query, self.from)
                    {
                        self.joins.push(join);
                        *expr = value;
                    }
                    ControlFlow::Continue(())
                }
            }
            let _ = expr.visit(&mut Joiner {
                rewriter: self,
                joins: &mut joins,
                from: &from,
                depth: 0,
            });
        }
        if let Some(last) = select.from.last_mut() {
            last.joins.extend(joins);
        }
    }
}
