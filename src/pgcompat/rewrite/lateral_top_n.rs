//! The first n rows per outer row: `CROSS JOIN LATERAL (SELECT … FROM orders o WHERE
//! o.customer_id = c.customer_id ORDER BY amount DESC LIMIT 2) t` (and `LEFT JOIN LATERAL
//! (…) t ON true`), which DataFusion cannot plan (the correlated column reaches the physical
//! planner). When the subquery is correlated only by equalities, its rows for an outer row
//! are those whose keys equal the outer row's, so the same rows are each partition's first n
//! by `row_number()`, joined on the keys:
//!
//! ```sql
//! JOIN (SELECT order_id, amount, key1 FROM (SELECT order_id, amount, o.customer_id AS key1,
//!       row_number() OVER (PARTITION BY o.customer_id ORDER BY amount DESC) AS rn
//!       FROM orders o) AS ranked WHERE rn <= 2) t ON t.key1 = c.customer_id
//! ```
//!
//! A LEFT JOIN keeps outer rows without any. Rewritten only for a subquery that is one plain
//! SELECT (no DISTINCT, GROUP BY, HAVING or wildcard) with ORDER BY and a constant LIMIT
//! (no OFFSET), whose WHERE compares outer columns only in `inner = outer` conjuncts.

use std::collections::HashSet;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, LimitClause,
    OrderByKind, Query, Select, SelectItem, SetExpr, TableFactor, Value, Visit,
};

use super::ast::{and_all, conjuncts, folded, parse_query};
use super::column_names::postgres_column_name;

/// Rewrites the top-n LATERAL joins of `select`; `is_aggregate` tells a select-list item
/// that aggregates (the subquery then has one row, not a row per row).
pub(super) fn lateral_top_n_as_ranked_join(
    select: &mut Select,
    is_aggregate: impl Fn(&Expr) -> bool,
) {
    let mut outer: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < select.from.len() {
        // `FROM a, LATERAL (…) t` is `FROM a CROSS JOIN LATERAL (…) t`.
        if i > 0 && select.from[i].joins.is_empty() {
            let comma = Join {
                relation: select.from[i].relation.clone(),
                global: false,
                join_operator: JoinOperator::CrossJoin(JoinConstraint::None),
            };
            if let Some(rewritten) = ranked_join(&comma, &outer, &is_aggregate) {
                outer.extend(qualifier(&rewritten.relation));
                select.from.remove(i);
                select.from[i - 1].joins.push(rewritten);
                continue;
            }
        }
        let from = &mut select.from[i];
        outer.extend(qualifier(&from.relation));
        for join in &mut from.joins {
            if let Some(rewritten) = ranked_join(join, &outer, &is_aggregate) {
                *join = rewritten;
            }
            outer.extend(qualifier(&join.relation));
        }
        i += 1;
    }
}

fn qualifier(factor: &TableFactor) -> Option<String> {
    super::ast::qualifier(factor).map(|name| folded(&name))
}

/// Whether `node` names a column qualified by one of `outer`.
fn reads<V: Visit>(node: &V, outer: &HashSet<String>) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(node, |e| {
        if let Expr::CompoundIdentifier(parts) = e
            && parts.len() >= 2
            && outer.contains(&folded(&parts[parts.len() - 2]))
        {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

/// Whether `node` calls a window function: over the ranked rows its window would be every
/// key's rows, not one outer row's.
fn has_window<V: Visit>(node: &V) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(node, |e| {
        if matches!(e, Expr::Function(f) if f.over.is_some()) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

fn ranked_join(
    join: &Join,
    outer: &HashSet<String>,
    is_aggregate: &impl Fn(&Expr) -> bool,
) -> Option<Join> {
    let left = match &join.join_operator {
        JoinOperator::CrossJoin(JoinConstraint::None) => false,
        JoinOperator::Join(JoinConstraint::On(on))
        | JoinOperator::Inner(JoinConstraint::On(on))
            if is_true(on) =>
        {
            false
        }
        JoinOperator::Left(JoinConstraint::On(on))
        | JoinOperator::LeftOuter(JoinConstraint::On(on))
            if is_true(on) =>
        {
            true
        }
        _ => return None,
    };
    let TableFactor::Derived {
        lateral: true,
        subquery,
        alias: Some(alias),
        ..
    } = &join.relation
    else {
        return None;
    };
    let (select, order_by, limit) = top_n(subquery)?;
    // Its own qualifiers must not be taken for outer ones.
    let own: HashSet<String> = super::ast::from_items(select)
        .filter_map(qualifier)
        .collect();
    if own.iter().any(|q| outer.contains(q))
        || reads(&select.from, outer)
        || has_window(&select.projection)
        || has_window(&order_by_exprs(subquery))
    {
        return None;
    }
    let mut keys = Vec::new();
    let mut rest = Vec::new();
    let mut parts = Vec::new();
    if let Some(selection) = &select.selection {
        conjuncts(selection.clone(), &mut parts);
    }
    for part in parts {
        match &part {
            Expr::BinaryOp {
                left: a,
                op: BinaryOperator::Eq,
                right: b,
            } => match (reads(a, outer), reads(b, outer)) {
                (false, false) => rest.push(part),
                (false, true) if is_column(b) => keys.push(((**a).clone(), (**b).clone())),
                (true, false) if is_column(a) => keys.push(((**b).clone(), (**a).clone())),
                _ => return None,
            },
            _ if reads(&part, outer) => return None,
            _ => rest.push(part),
        }
    }
    if keys.is_empty() || reads(&Expr::Tuple(order_by_exprs(subquery)), outer) {
        return None;
    }
    let mut items = Vec::new();
    let mut names = Vec::new();
    for item in &select.projection {
        let (expr, name) = match item {
            SelectItem::UnnamedExpr(e) => (e, postgres_column_name(e)?),
            SelectItem::ExprWithAlias { expr, alias } => (expr, folded(alias)),
            _ => return None,
        };
        if reads(expr, outer) || is_aggregate(expr) {
            return None;
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        items.push(format!("{expr} AS {quoted}"));
        names.push(quoted);
    }
    let key_names: Vec<String> = (1..=keys.len())
        .map(|i| format!("__custlake_key{i}"))
        .collect();
    let partition: Vec<String> = keys.iter().map(|(inner, _)| inner.to_string()).collect();
    let from: Vec<String> = select.from.iter().map(|f| f.to_string()).collect();
    let filter = and_all(rest).map_or(String::new(), |e| format!(" WHERE {e}"));
    let sql = format!(
        "SELECT {names}, {key_list} FROM (SELECT {items}, {inner_keys}, row_number() OVER \
         (PARTITION BY {partition} ORDER BY {order_by}) AS __custlake_rank FROM {from}{filter}) \
         AS __custlake_ranked WHERE __custlake_rank <= {limit}",
        names = names.join(", "),
        key_list = key_names.join(", "),
        items = items.join(", "),
        inner_keys = keys
            .iter()
            .zip(&key_names)
            .map(|((inner, _), name)| format!("{inner} AS {name}"))
            .collect::<Vec<_>>()
            .join(", "),
        partition = partition.join(", "),
        from = from.join(", "),
    );
    let ranked = parse_query(&sql)?;
    let on = and_all(
        keys.iter()
            .zip(&key_names)
            .map(|((_, outer_side), name)| Expr::BinaryOp {
                left: Box::new(Expr::CompoundIdentifier(vec![
                    alias.name.clone(),
                    Ident::new(name),
                ])),
                op: BinaryOperator::Eq,
                right: Box::new(outer_side.clone()),
            })
            .collect(),
    )?;
    let constraint = JoinConstraint::On(on);
    Some(Join {
        relation: TableFactor::Derived {
            lateral: false,
            subquery: Box::new(ranked),
            alias: Some(alias.clone()),
            sample: None,
        },
        global: join.global,
        join_operator: match left {
            true => JoinOperator::LeftOuter(constraint),
            false => JoinOperator::Inner(constraint),
        },
    })
}

fn is_true(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::Boolean(true)))
}

fn is_column(expr: &Expr) -> bool {
    matches!(expr, Expr::CompoundIdentifier(_))
}

/// The subquery's select, ORDER BY text and LIMIT, when it is a plain top-n select.
fn top_n(query: &Query) -> Option<(&Select, String, u64)> {
    if query.with.is_some() || query.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
    if select.distinct.is_some() || select.having.is_some() || grouped {
        return None;
    }
    let limit = match &query.limit_clause {
        Some(LimitClause::LimitOffset {
            limit: Some(Expr::Value(v)),
            offset: None,
            limit_by,
        }) if limit_by.is_empty() => match &v.value {
            Value::Number(n, _) => n.parse::<u64>().ok()?,
            _ => return None,
        },
        _ => return None,
    };
    let order_by = order_by_exprs(query);
    // An ordinal or an output name in ORDER BY would mean something else inside OVER.
    if order_by.is_empty()
        || order_by.iter().any(|e| {
            matches!(e, Expr::Value(_))
                || matches!(e, Expr::Identifier(i) if select.projection.iter().any(|item| matches!(item, SelectItem::ExprWithAlias { alias, .. } if folded(alias) == folded(i))))
        })
    {
        return None;
    }
    let OrderByKind::Expressions(items) = &query.order_by.as_ref()?.kind else {
        return None;
    };
    let text: Vec<String> = items.iter().map(|item| item.to_string()).collect();
    Some((select, text.join(", "), limit))
}

fn order_by_exprs(query: &Query) -> Vec<Expr> {
    match query.order_by.as_ref().map(|o| &o.kind) {
        Some(OrderByKind::Expressions(items)) => items.iter().map(|i| i.expr.clone()).collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::testing::rewritten_select;

    fn rewritten(sql: &str) -> String {
        rewritten_select(sql, |select| {
            lateral_top_n_as_ranked_join(select, |e| e.to_string().starts_with("max("))
        })
    }

    #[test]
    fn the_first_rows_per_outer_row_are_a_ranked_join() {
        assert_eq!(
            rewritten(
                "SELECT c.id, t.order_id FROM customers c CROSS JOIN LATERAL (SELECT order_id, \
                 amount AS a FROM orders o WHERE o.customer_id = c.id AND o.amount > 0 ORDER BY \
                 amount DESC LIMIT 2) t"
            ),
            "SELECT c.id, t.order_id FROM customers c INNER JOIN (SELECT \"order_id\", \"a\", \
             __custlake_key1 FROM (SELECT order_id AS \"order_id\", amount AS \"a\", \
             o.customer_id AS __custlake_key1, row_number() OVER (PARTITION BY o.customer_id \
             ORDER BY amount DESC) AS __custlake_rank FROM orders o WHERE o.amount > 0) AS \
             __custlake_ranked WHERE __custlake_rank <= 2) t ON t.__custlake_key1 = c.id"
        );
        assert!(
            rewritten(
                "SELECT 1 FROM c LEFT JOIN LATERAL (SELECT k FROM i WHERE i.c = c.id ORDER BY \
                 ts LIMIT 1) li ON true"
            )
            .contains("LEFT OUTER JOIN (SELECT \"k\", __custlake_key1 FROM")
        );
    }

    #[test]
    fn other_lateral_subqueries_are_left_alone() {
        for sql in [
            // Correlated by more than an equality.
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT k FROM i WHERE i.c > c.id ORDER BY k \
             LIMIT 1) t",
            // No LIMIT, an OFFSET, an ordinal, an aggregate.
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT k FROM i WHERE i.c = c.id) t",
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT k FROM i WHERE i.c = c.id ORDER BY k \
             LIMIT 1 OFFSET 1) t",
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT k FROM i WHERE i.c = c.id ORDER BY 1 \
             LIMIT 1) t",
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT max(k) FROM i WHERE i.c = c.id GROUP BY \
             i.c ORDER BY 1 LIMIT 1) t",
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT max(k) FROM i WHERE i.c = c.id ORDER BY \
             max(k) LIMIT 1) t",
            // A window over the subquery's rows, a correlated join inside it.
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT sum(k) OVER () FROM i WHERE i.c = c.id \
             ORDER BY k LIMIT 1) t",
            "SELECT 1 FROM c CROSS JOIN LATERAL (SELECT k FROM i JOIN j ON j.x = c.x WHERE i.c \
             = c.id ORDER BY k LIMIT 1) t",
        ] {
            assert_eq!(rewritten(sql), parse_query(sql).unwrap().to_string());
        }
    }
}
