//! `FETCH FIRST n ROWS ONLY` (and `FETCH NEXT`, the SQL standard's LIMIT) as the LIMIT it is;
//! DataFusion parses FETCH but plans none. `WITH TIES` and `PERCENT` are left to DataFusion,
//! which refuses them (0A000).

use datafusion::sql::sqlparser::ast::{Expr, LimitClause, Query, Value};

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
            rewritten("SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES"),
            "SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES"
        );
    }
}
