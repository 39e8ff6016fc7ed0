//! `FETCH FIRST n ROWS ONLY` (and `FETCH NEXT`, the SQL standard's LIMIT) as the LIMIT it is;
//! DataFusion parses FETCH but plans none. `FETCH FIRST n ROWS WITH TIES` of a plain select
//! is the rows whose `rank()` by the ORDER BY is at most n (plus the OFFSET): the first n
//! and every row tied with the last of them, exactly. `PERCENT`, and WITH TIES of a DISTINCT
//! select or a set operation, are left to DataFusion, which refuses them (0A000).

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, Ident, LimitClause, ObjectName, OrderByExpr, OrderByKind, Query,
    SelectItem, SetExpr, Value,
};

use super::ast::parse_query;

/// The names of the columns the WITH TIES rewrite adds, dropped again by its outer select.
const RANK: &str = "__custlake_rank";

fn key_name(i: usize) -> String {
    format!("__custlake_key{i}")
}

/// `SELECT … ORDER BY k FETCH FIRST n ROWS WITH TIES [OFFSET m]` →
/// `SELECT * EXCLUDE (rank, keys) FROM (SELECT …, k AS key, rank() OVER (ORDER BY k) AS rank
/// …) WHERE rank <= m + n ORDER BY key [OFFSET m]`. An ORDER BY item that names an output
/// column (by alias or ordinal) is that column's expression.
pub(super) fn with_ties_as_rank(query: &mut Query) {
    let Some(fetch) = &query.fetch else {
        return;
    };
    if !fetch.with_ties || fetch.percent {
        return;
    }
    let Some(OrderByKind::Expressions(keys)) = query.order_by.as_ref().map(|o| &o.kind) else {
        return;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return;
    };
    if select.distinct.is_some() || keys.is_empty() {
        return;
    }
    let offset = match &query.limit_clause {
        None => None,
        Some(LimitClause::LimitOffset {
            limit: None,
            offset,
            limit_by,
        }) if limit_by.is_empty() => offset.as_ref().map(|o| o.value.clone()),
        _ => return,
    };
    let count = fetch
        .quantity
        .clone()
        .unwrap_or_else(|| Expr::value(Value::Number("1".into(), false)));
    let mut resolved = Vec::with_capacity(keys.len());
    for key in keys {
        let expr = match &key.expr {
            Expr::Value(v) if matches!(v.value, Value::Number(..)) => {
                let Value::Number(n, _) = &v.value else {
                    return;
                };
                match n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| select.projection.get(n.checked_sub(1)?))
                {
                    Some(
                        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. },
                    ) => e.clone(),
                    _ => return,
                }
            }
            Expr::Identifier(name) => select
                .projection
                .iter()
                .find_map(|item| match item {
                    SelectItem::ExprWithAlias { expr, alias }
                        if alias.value.eq_ignore_ascii_case(&name.value) =>
                    {
                        Some(expr.clone())
                    }
                    _ => None,
                })
                .unwrap_or_else(|| key.expr.clone()),
            other => other.clone(),
        };
        resolved.push(OrderByExpr {
            expr,
            options: key.options,
            with_fill: None,
        });
    }
    let window = resolved
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let Some(rank) = parse_query(&format!("SELECT rank() OVER (ORDER BY {window}) AS {RANK}"))
        .and_then(|q| match *q.body {
            SetExpr::Select(s) => s.projection.into_iter().next(),
            _ => None,
        })
    else {
        return;
    };
    let mut inner = select.as_ref().clone();
    for (i, key) in resolved.iter().enumerate() {
        inner.projection.push(SelectItem::ExprWithAlias {
            expr: key.expr.clone(),
            alias: Ident::new(key_name(i)),
        });
    }
    inner.projection.push(rank);
    let outer_order = resolved
        .iter()
        .enumerate()
        .map(|(i, key)| {
            format!("{} {}", key_name(i), key.options)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ");
    let (bound, offset_clause) = match &offset {
        Some(m) => (format!("({m}) + ({count})"), format!(" OFFSET {m}")),
        None => (format!("{count}"), String::new()),
    };
    let Some(mut outer) = parse_query(&format!(
        "SELECT * FROM ({inner}) AS __custlake_ties WHERE {RANK} <= {bound} ORDER BY {outer_order}{offset_clause}"
    )) else {
        return;
    };
    if let SetExpr::Select(select) = outer.body.as_mut()
        && let Some(SelectItem::Wildcard(options)) = select.projection.first_mut()
    {
        let mut hidden: Vec<ObjectName> = (0..resolved.len())
            .map(|i| ObjectName::from(vec![Ident::new(key_name(i))]))
            .collect();
        hidden.push(ObjectName::from(vec![Ident::new(RANK)]));
        options.opt_exclude = Some(ExcludeSelectItem::Multiple(hidden));
    }
    outer.with = query.with.take();
    *query = outer;
}

/// Replaces `query`'s `FETCH FIRST n ROWS ONLY` with `LIMIT n`, keeping its OFFSET.
pub(super) fn fetch_first_as_limit(query: &mut Query) {
    let Some(fetch) = &query.fetch else {
        return;
    };
    if fetch.with_ties || fetch.percent {
        return;
    }
    // Without a count, FETCH FIRST ROW ONLY is one row.
    let count = fetch
        .quantity
        .clone()
        .unwrap_or_else(|| Expr::value(Value::Number("1".into(), false)));
    match &mut query.limit_clause {
        None => {
            query.limit_clause = Some(LimitClause::LimitOffset {
                limit: Some(count),
                offset: None,
                limit_by: vec![],
            })
        }
        Some(LimitClause::LimitOffset {
            limit: limit @ None,
            ..
        }) => *limit = Some(count),
        // LIMIT and FETCH together are a syntax error in PostgreSQL; left to DataFusion.
        Some(_) => return,
    }
    query.fetch = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::parse_query;

    fn rewritten(sql: &str) -> String {
        let mut query = parse_query(sql).expect("parses");
        fetch_first_as_limit(&mut query);
        query.to_string()
    }

    #[test]
    fn fetch_first_is_a_limit() {
        assert_eq!(
            rewritten("SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS ONLY"),
            "SELECT a FROM t ORDER BY a LIMIT 3"
        );
        assert_eq!(
            rewritten("SELECT a FROM t ORDER BY a OFFSET 2 ROWS FETCH NEXT ROW ONLY"),
            "SELECT a FROM t ORDER BY a LIMIT 1 OFFSET 2 ROWS"
        );
        assert_eq!(
            rewritten("SELECT a FROM t ORDER BY a FETCH FIRST 3 PERCENT ROWS WITH TIES"),
            "SELECT a FROM t ORDER BY a FETCH FIRST 3 PERCENT ROWS WITH TIES"
        );
    }

    #[test]
    fn with_ties_is_a_rank() {
        let mut query = parse_query(
            "SELECT q, count(*) AS n FROM t GROUP BY q ORDER BY n DESC FETCH FIRST 2 ROWS WITH TIES",
        )
        .expect("parses");
        with_ties_as_rank(&mut query);
        assert_eq!(
            query.to_string(),
            "SELECT * EXCLUDE (__custlake_key0, __custlake_rank) FROM (SELECT q, count(*) AS n, \
             count(*) AS __custlake_key0, rank() OVER (ORDER BY count(*) DESC) AS __custlake_rank \
             FROM t GROUP BY q) AS __custlake_ties WHERE __custlake_rank <= 2 ORDER BY \
             __custlake_key0 DESC"
        );
    }
}
