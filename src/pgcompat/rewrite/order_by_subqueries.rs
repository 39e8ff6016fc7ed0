//! A subquery in ORDER BY (Grafana's table picker sorts by `CASE WHEN s IN (SELECT …)`) is
//! computed as a hidden column of a derived table, which the query then sorts by.

use std::collections::HashSet;

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, Ident, ObjectName, OrderBy, OrderByKind, Query, SelectItem, SetExpr,
    Value,
};

use super::ast::{derived, folded, holds_subquery_expression, parse_query};

/// `SELECT a FROM t ORDER BY CASE WHEN x IN (SELECT …) THEN 0 END, 1`: DataFusion plans
/// subqueries in select lists but not in ORDER BY, so such a query orders a derived table
/// whose select list also computes the ORDER BY expressions, and leaves them out of its
/// result: `SELECT * EXCLUDE (__order_1) FROM (SELECT a, CASE … END AS __order_1 FROM t)
/// ORDER BY __order_1, 1`. Positions and output names in ORDER BY stay as they are.
pub(super) fn order_by_subqueries_as_columns(query: &mut Query) {
    let Some(OrderBy {
        kind: OrderByKind::Expressions(items),
        ..
    }) = &query.order_by
    else {
        return;
    };
    if !items
        .iter()
        .any(|item| holds_subquery_expression(&item.expr))
    {
        return;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return;
    };
    if select.distinct.is_some() {
        return;
    }
    let output_names: HashSet<String> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            SelectItem::UnnamedExpr(Expr::Identifier(ident)) => Some(folded(ident)),
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last().map(folded),
            _ => None,
        })
        .collect();
    let Some(mut template) = parse_query("SELECT * FROM (SELECT 1) AS __custlake_ordered") else {
        return;
    };
    let mut inner = Query {
        with: None,
        body: query.body.clone(),
        order_by: None,
        limit_clause: None,
        fetch: None,
        locks: vec![],
        for_clause: None,
        settings: None,
        format_clause: None,
        pipe_operators: vec![],
    };
    let SetExpr::Select(inner_select) = inner.body.as_mut() else {
        return;
    };
    let mut hidden = Vec::new();
    let mut order = items.clone();
    for item in order.iter_mut() {
        let keep = match &item.expr {
            Expr::Value(v) => matches!(v.value, Value::Number(..)),
            Expr::Identifier(ident) => output_names.contains(&folded(ident)),
            _ => false,
        };
        if keep {
            continue;
        }
        let name = Ident::new(format!("__order_{}", hidden.len() + 1));
        let expr = std::mem::replace(&mut item.expr, Expr::Identifier(name.clone()));
        inner_select.projection.push(SelectItem::ExprWithAlias {
            expr,
            alias: name.clone(),
        });
        hidden.push(name);
    }
    let SetExpr::Select(outer) = template.body.as_mut() else {
        return;
    };
    if let Some(SelectItem::Wildcard(options)) = outer.projection.first_mut() {
        options.opt_exclude = Some(ExcludeSelectItem::Multiple(
            hidden
                .into_iter()
                .map(|name| ObjectName::from(vec![name]))
                .collect(),
        ));
    }
    if let Some(first) = outer.from.first_mut() {
        first.relation = derived(inner, Ident::new("__custlake_ordered"), false);
    }
    query.body = template.body;
    if let Some(OrderBy {
        kind: OrderByKind::Expressions(items),
        ..
    }) = &mut query.order_by
    {
        *items = order;
    }
}
