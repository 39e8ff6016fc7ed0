//! A correlated scalar subquery anywhere in a select list (`CASE WHEN … THEN (SELECT …)
//! END` too) that does not aggregate becomes a LEFT JOIN: its conditions that read the outer
//! row become the join's condition (the subquery's columns they name become columns of the
//! joined subquery), a value that reads the outer row is computed by the outer query (NULL
//! where nothing matched), and conditions that read only the outer row (`AND a.atthasdef`)
//! guard the value (`CASE WHEN a.atthasdef THEN … END`). DataFusion then joins where it could
//! not decorrelate: psql's `\d` (`… AND a.attcollation <> t.typcollation`), SQLAlchemy's
//! get_columns (`seqrelid = CAST(pg_get_serial_sequence(…) …)`). Where PostgreSQL would fail
//! on a second matching row, the join gives one row per match.
//!
//! Outside a select list, such a condition on the outer row alone moves out the same way:
//! `(SELECT … WHERE d.k = a.k AND a.flag)` is `CASE WHEN a.flag THEN (SELECT … WHERE d.k =
//! a.k) END`.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Ident, Join, JoinConstraint, JoinOperator, Query, SelectItem, SetExpr, Value,
};

use super::Rewriter;
use super::ast::{
    and_all, conjuncts, derived, folded, holds_subquery_expression, own_qualifiers,
    reads_outer_columns, when,
};
use super::column_names::postgres_column_name;

impl Rewriter<'_> {
    /// `(SELECT … WHERE inner AND outer_only)` → `CASE WHEN outer_only THEN (SELECT … WHERE
    /// inner) END`, for a plain subquery that does not aggregate.
    pub(super) fn guard_outer_only_conditions(&self, expr: &mut Expr) {
        if let Expr::Subquery(query) = expr
            && self.is_plain_unaggregated_select(query)
            && let Some(condition) = take_outer_only_conditions(query)
        {
            let subquery = std::mem::replace(expr, Expr::value(Value::Null));
            *expr = when(condition, subquery);
        }
    }

    /// For a plain scalar subquery that reads outer columns: the name PostgreSQL gives its
    /// column.
    pub(super) fn lateral_candidate(&self, query: &Query) -> Option<String> {
        if !self.is_plain_unaggregated_select(query) || !reads_outer_columns(query) {
            return None;
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            return None;
        };
        match select.projection.as_slice() {
            [SelectItem::ExprWithAlias { alias, .. }] => Some(folded(alias)),
            [SelectItem::UnnamedExpr(value)] => postgres_column_name(value),
            _ => None,
        }
    }

    /// A correlated scalar subquery as a LEFT JOIN (lateral only where it must stay
    /// correlated) and the expression that reads its value from the join.
    pub(super) fn join_subquery(&mut self, mut subquery: Box<Query>) -> (Join, Expr) {
        self.laterals += 1;
        let relation = Ident::new(format!("__custlake_scalar_{}", self.laterals));
        let column = Ident::new("value");
        let outer_condition = take_outer_only_conditions(&mut subquery);
        // The conditions that tie it to the outer row become the join's condition, and the
        // subquery no longer refers to the outer row where that is possible.
        let uncorrelated = uncorrelate(&mut subquery, &relation, &column);
        if uncorrelated.is_none()
            && let SetExpr::Select(inner) = subquery.body.as_mut()
            && let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
                inner.projection.as_mut_slice()
        {
            let value = std::mem::replace(value, Expr::value(Value::Null));
            inner.projection = vec![SelectItem::ExprWithAlias {
                expr: value,
                alias: column.clone(),
            }];
        }
        let (on, moved_value) = match uncorrelated {
            Some(Uncorrelated { on, value }) => (on, value),
            None => (None, None),
        };
        let lateral = reads_outer_columns(&subquery);
        let join = Join {
            relation: derived(*subquery, relation.clone(), lateral),
            global: false,
            join_operator: JoinOperator::LeftOuter(JoinConstraint::On(
                on.unwrap_or_else(|| Expr::value(Value::Boolean(true))),
            )),
        };
        let value = moved_value.unwrap_or_else(|| Expr::CompoundIdentifier(vec![relation, column]));
        let value = match outer_condition {
            Some(condition) => when(condition, value),
            None => value,
        };
        (join, value)
    }
}

/// Removes from a plain subquery's WHERE the conditions that read only the outer row (every
/// column they name is qualified by something the subquery does not introduce, and they hold
/// no subquery), and returns them joined by AND.
pub(super) fn take_outer_only_conditions(query: &mut Query) -> Option<Expr> {
    let own = own_qualifiers(query);
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let selection = select.selection.take()?;
    let mut all = Vec::new();
    conjuncts(selection, &mut all);
    let (outer, inner): (Vec<Expr>, Vec<Expr>) = all.into_iter().partition(|condition| {
        let mut qualified = false;
        let mut only_outer = true;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(condition, |e| {
            match e {
                Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                    qualified = true;
                    if own.contains(&folded(&parts[parts.len() - 2])) {
                        only_outer = false;
                    }
                }
                Expr::Identifier(_)
                | Expr::Subquery(_)
                | Expr::Exists { .. }
                | Expr::InSubquery { .. } => {
                    only_outer = false;
                }
                _ => {}
            }
            if only_outer {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
        qualified && only_outer
    });
    select.selection = and_all(inner);
    and_all(outer)
}

/// What [`uncorrelate`] leaves to the enclosing query.
struct Uncorrelated {
    /// The join's condition: the subquery's conditions on the outer row.
    on: Option<Expr>,
    /// The value, when it reads the outer row and so is computed in the enclosing query
    /// (NULL where no row of the subquery matches); `None` when the subquery selects it.
    value: Option<Expr>,
}

/// Takes the outer row out of a plain scalar subquery, so that it can be joined instead of
/// correlated: its WHERE conditions that read the outer row move to the join's condition, and
/// a selected value that reads the outer row is computed by the enclosing query. Each column
/// of the subquery they name becomes an output column `__inner_N`, named through `relation`.
/// The value the subquery still selects is named `value_column`. `None`, changing nothing,
/// when a condition or the value that would move holds a subquery.
fn uncorrelate(query: &mut Query, relation: &Ident, value_column: &Ident) -> Option<Uncorrelated> {
    let own = own_qualifiers(query);
    let is_outer = |e: &Expr| matches!(e, Expr::CompoundIdentifier(parts) if parts.len() >= 2 && !own.contains(&folded(&parts[parts.len() - 2])));
    let reads_outer = |expr: &Expr| {
        let mut found = false;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
            if is_outer(e) {
                found = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found
    };
    let has_subquery = holds_subquery_expression::<Expr>;
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let value = match select.projection.as_slice() {
        [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] => e.clone(),
        _ => return None,
    };
    let value_moves = reads_outer(&value);
    if value_moves && has_subquery(&value) {
        return None;
    }
    let mut all = Vec::new();
    if let Some(selection) = select.selection.take() {
        conjuncts(selection, &mut all);
    }
    if all.iter().any(|c| reads_outer(c) && has_subquery(c)) {
        select.selection = and_all(all);
        return None;
    }
    let (correlated, local): (Vec<Expr>, Vec<Expr>) = all.into_iter().partition(|c| reads_outer(c));
    select.selection = and_all(local);
    let mut exposed: Vec<(Expr, Ident)> = Vec::new();
    let mut expose = |mut expr: Expr| {
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
            let inner = match e {
                Expr::Identifier(_) => true,
                Expr::CompoundIdentifier(_) => !is_outer(e),
                _ => false,
            };
            if inner {
                let existing = exposed.iter().find(|(x, _)| x == e).map(|(_, n)| n.clone());
                let name = existing.unwrap_or_else(|| {
                    let name = Ident::new(format!("__inner_{}", exposed.len() + 1));
                    exposed.push((e.clone(), name.clone()));
                    name
                });
                *e = Expr::CompoundIdentifier(vec![relation.clone(), name]);
            }
            ControlFlow::<()>::Continue(())
        });
        expr
    };
    let on = and_all(correlated.into_iter().map(&mut expose).collect());
    let moved_value = value_moves.then(|| expose(value.clone()));
    let mut projection = Vec::new();
    let value = match moved_value {
        Some(moved) => {
            let present = Ident::new("__present");
            projection.push(SelectItem::ExprWithAlias {
                expr: Expr::value(Value::Boolean(true)),
                alias: present.clone(),
            });
            Some(when(
                Expr::CompoundIdentifier(vec![relation.clone(), present]),
                moved,
            ))
        }
        None => {
            projection.push(SelectItem::ExprWithAlias {
                expr: value,
                alias: value_column.clone(),
            });
            None
        }
    };
    for (expr, name) in exposed {
        projection.push(SelectItem::ExprWithAlias { expr, alias: name });
    }
    select.projection = projection;
    Some(Uncorrelated { on, value })
}
