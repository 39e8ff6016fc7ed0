//! `EXISTS (subquery)` in a select list (alone or inside CASE, coalesce …), which DataFusion
//! plans only in WHERE: the subquery's rows counted instead, as
//! `(SELECT count(*) FROM … WHERE …) > 0` (`= 0` for NOT EXISTS), a scalar subquery
//! DataFusion decorrelates. Only a plain SELECT without aggregates or window functions is
//! counted so: its rows are then those of its FROM and WHERE, whatever it selects. Any other
//! EXISTS is left to DataFusion.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments,
    Query, Select, SelectItem, SetExpr, Value, visit_expressions_mut,
};

use super::Rewriter;
use super::ast::{call, plain_select};

impl Rewriter<'_> {
    /// Rewrites the EXISTS of `select`'s select list.
    pub(super) fn exists_in_select_list(&self, select: &mut Select) {
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item {
                let _ = visit_expressions_mut(expr, |e| {
                    if let Expr::Exists { subquery, negated } = e
                        && let Some(counted) = self.counted(subquery)
                    {
                        let op = match negated {
                            true => BinaryOperator::Eq,
                            false => BinaryOperator::Gt,
                        };
                        *e = Expr::Nested(Box::new(Expr::BinaryOp {
                            left: Box::new(Expr::Subquery(Box::new(counted))),
                            op,
                            right: Box::new(Expr::value(Value::Number("0".into(), false))),
                        }));
                    }
                    ControlFlow::<()>::Continue(())
                });
            }
        }
    }

    /// `subquery` selecting `count(*)` instead, when its rows do not depend on what it selects.
    fn counted(&self, subquery: &Query) -> Option<Query> {
        let select = plain_select(subquery)?;
        let selects_plain_values = select.projection.iter().all(|item| match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                !self.is_aggregate(e) && !has_window(e)
            }
            _ => true,
        });
        if !selects_plain_values || select.qualify.is_some() || !select.named_window.is_empty() {
            return None;
        }
        let mut counted = subquery.clone();
        if let SetExpr::Select(select) = counted.body.as_mut() {
            let mut count = call("count", vec![]);
            if let Expr::Function(function) = &mut count {
                function.args = FunctionArguments::List(FunctionArgumentList {
                    duplicate_treatment: None,
                    args: vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)],
                    clauses: vec![],
                });
            }
            select.projection = vec![SelectItem::UnnamedExpr(count)];
        }
        Some(counted)
    }
}

fn has_window(expr: &Expr) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
        if matches!(e, Expr::Function(f) if f.over.is_some()) {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}
