//! `ARRAY(SELECT e(x) FROM unnest(a) x [WHERE p(x)])` is `array_transform(array_filter(a,
//! x -> p(x)), x -> e(x))`, and any other `ARRAY(subquery)` is the subquery aggregated with
//! `array_agg` (its `ORDER BY` moved into the aggregate). An ARRAY subquery with no rows is
//! NULL here, where PostgreSQL gives an empty array.

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, GroupByExpr,
    OrderByExpr, OrderByKind, Query, SelectItem, SetExpr, TableFactor, Value,
};

use super::ast::{call, folded, lambda};

/// `ARRAY(subquery)` → an expression DataFusion plans. Claims every ARRAY subquery.
pub(super) fn rewrite(expr: &mut Expr) -> bool {
    match take_array_subquery(expr) {
        Some(query) => {
            *expr = array_of_subquery(query);
            true
        }
        None => false,
    }
}

/// The subquery of `ARRAY(subquery)`, taken out (leaving a call without arguments).
pub(super) fn take_array_subquery(expr: &mut Expr) -> Option<Query> {
    let Expr::Function(function) = expr else {
        return None;
    };
    let is_array = function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| folded(i) == "array");
    if !is_array || !matches!(function.args, FunctionArguments::Subquery(_)) {
        return None;
    }
    match std::mem::replace(&mut function.args, FunctionArguments::None) {
        FunctionArguments::Subquery(query) => Some(*query),
        _ => None,
    }
}

/// `ARRAY(subquery)` as an expression DataFusion plans (see the module documentation).
pub(super) fn array_of_subquery(mut query: Query) -> Expr {
    let plain = query.with.is_none() && query.limit_clause.is_none() && query.fetch.is_none();
    if let SetExpr::Select(select) = query.body.as_mut()
        && plain
        && select.distinct.is_none()
        && select.having.is_none()
        && matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty())
        && let [item] = select.projection.as_slice()
        && let SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. } = item
    {
        // Over `unnest(array) x`, without ORDER BY: the array's own order, element by element.
        if query.order_by.is_none()
            && let [from] = select.from.as_slice()
            && from.joins.is_empty()
            && let TableFactor::Table {
                name,
                args: Some(args),
                alias: Some(alias),
                ..
            } = &from.relation
            && alias.columns.is_empty()
            && name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| folded(i) == "unnest")
            && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] = args.args.as_slice()
        {
            let element = &alias.name;
            let mut array = array.clone();
            if let Some(predicate) = &select.selection {
                array = call(
                    "array_filter",
                    vec![array, lambda(element, predicate.clone())],
                );
            }
            return match value {
                Expr::Identifier(ident) if folded(ident) == folded(element) => array,
                value => call(
                    "array_transform",
                    vec![array, lambda(element, value.clone())],
                ),
            };
        }
        // Otherwise the rows aggregated, in the subquery's order.
        let value = value.clone();
        let order: Vec<OrderByExpr> = match query.order_by.take().map(|o| o.kind) {
            Some(OrderByKind::Expressions(exprs)) => exprs
                .into_iter()
                .map(|mut o| {
                    if matches!(&o.expr, Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n == "1"))
                    {
                        o.expr = value.clone();
                    }
                    o
                })
                .collect(),
            _ => vec![],
        };
        let mut aggregate = call("array_agg", vec![value]);
        if let Expr::Function(f) = &mut aggregate
            && let FunctionArguments::List(list) = &mut f.args
            && !order.is_empty()
        {
            list.clauses.push(FunctionArgumentClause::OrderBy(order));
        }
        select.projection = vec![SelectItem::UnnamedExpr(aggregate)];
        return Expr::Subquery(Box::new(query));
    }
    numbered_rows_aggregated(query)
}

/// `ARRAY(SELECT v … ORDER BY o LIMIT n)` (or with OFFSET, WITH): the subquery's rows are
/// numbered in its order beside their value, then aggregated in that order outside it, so
/// its LIMIT keeps the rows PostgreSQL keeps. Left as it is (a scalar subquery, refused with
/// more than one row) when it does not select one value.
fn numbered_rows_aggregated(mut query: Query) -> Expr {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return Expr::Subquery(Box::new(query));
    };
    let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
        select.projection.as_slice()
    else {
        return Expr::Subquery(Box::new(query));
    };
    let value = value.clone();
    let order = match &query.order_by {
        Some(order_by) => match &order_by.kind {
            OrderByKind::Expressions(exprs) => exprs
                .iter()
                .map(|o| {
                    let mut o = o.clone();
                    if let Expr::Value(v) = &o.expr
                        && matches!(&v.value, Value::Number(n, _) if n == "1")
                    {
                        o.expr = value.clone();
                    }
                    o.to_string()
                })
                .collect::<Vec<_>>()
                .join(", "),
            OrderByKind::All(_) => return Expr::Subquery(Box::new(query)),
        },
        None => String::new(),
    };
    let order = if order.is_empty() {
        String::new()
    } else {
        format!("ORDER BY {order}")
    };
    let Some(numbered) = super::ast::parse_query(&format!(
        "SELECT {value} AS __value, row_number() OVER ({order}) AS __ord"
    )) else {
        return Expr::Subquery(Box::new(query));
    };
    if let SetExpr::Select(numbered) = *numbered.body {
        select.projection = numbered.projection;
    }
    match super::ast::parse_query(&format!(
        "SELECT array_agg(__array.__value ORDER BY __array.__ord) FROM ({query}) AS __array"
    )) {
        Some(aggregated) => Expr::Subquery(Box::new(aggregated)),
        None => Expr::Subquery(Box::new(query)),
    }
}
