//! `ROLLUP`, `CUBE` and `GROUPING SETS` as PostgreSQL reads them, where DataFusion reads them
//! otherwise or not at all:
//! - an integer constant inside them is an output column's ordinal (`ROLLUP (1, 2)`), as in
//!   a plain `GROUP BY 1`; DataFusion would group by the constant itself;
//! - a parenthesised element of `ROLLUP` or `CUBE` (`ROLLUP ((region, city), type)`) groups
//!   its columns as one: DataFusion refuses it, so the list is written out as the
//!   `GROUPING SETS` it stands for, in PostgreSQL's order (`ROLLUP` from the longest prefix,
//!   `CUBE` over every subset).

use datafusion::sql::sqlparser::ast::{Expr, GroupByExpr, Select, SelectItem, Value};

use crate::error::{SqlError, sqlstate};

/// Rewrites the grouping sets of `select`'s GROUP BY; an ordinal past the select list is
/// refused as PostgreSQL refuses it (42P10), one after a wildcard as 0A000.
pub(super) fn grouping_sets_as_postgres_reads_them(select: &mut Select) -> Result<(), SqlError> {
    let GroupByExpr::Expressions(exprs, _) = &mut select.group_by else {
        return Ok(());
    };
    if !exprs
        .iter()
        .any(|e| matches!(e, Expr::Rollup(_) | Expr::Cube(_) | Expr::GroupingSets(_)))
    {
        return Ok(());
    }
    let outputs = output_expressions(&select.projection);
    for expr in exprs.iter_mut() {
        match expr {
            Expr::Rollup(sets) | Expr::Cube(sets) | Expr::GroupingSets(sets) => {
                for element in sets.iter_mut().flatten() {
                    let Some(position) = ordinal(element) else {
                        continue;
                    };
                    let index = position.checked_sub(1);
                    match index.and_then(|index| outputs.get(index)) {
                        Some(Some(output)) => *element = output.clone(),
                        _ if index.is_some() && outputs.last().is_some_and(Option::is_none) => {
                            return Err(SqlError::new(
                                sqlstate::FEATURE_NOT_SUPPORTED,
                                format!(
                                    "GROUP BY position {position} follows a wildcard in the \
                                     select list; name the column instead"
                                ),
                            ));
                        }
                        _ => {
                            return Err(SqlError::new(
                                sqlstate::INVALID_COLUMN_REFERENCE,
                                format!("GROUP BY position {position} is not in select list"),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        let written_out = match expr {
            Expr::Rollup(sets) if sets.iter().any(|set| set.len() > 1) => {
                Some((0..=sets.len()).rev().map(|n| sets[..n].concat()).collect())
            }
            Expr::Cube(sets) if sets.iter().any(|set| set.len() > 1) => Some(subsets(sets)),
            _ => None,
        };
        if let Some(sets) = written_out {
            *expr = Expr::GroupingSets(sets);
        }
    }
    Ok(())
}

/// The select list's expressions by position, up to a wildcard (`None`, last), whose columns
/// are not known here.
fn output_expressions(projection: &[SelectItem]) -> Vec<Option<Expr>> {
    let mut outputs = Vec::new();
    for item in projection {
        match item {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                outputs.push(Some(expr.clone()))
            }
            _ => {
                outputs.push(None);
                break;
            }
        }
    }
    outputs
}

/// The integer a grouping element is, when it is an integer constant.
fn ordinal(element: &Expr) -> Option<usize> {
    match element {
        Expr::Value(value) => match &value.value {
            Value::Number(text, _) => text.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Every subset of `sets`' elements as one grouping set each, in the order PostgreSQL lists a
/// CUBE's: by the bits of a counter from all elements down to none, the first element highest.
fn subsets(sets: &[Vec<Expr>]) -> Vec<Vec<Expr>> {
    let n = sets.len();
    (0..1u64 << n)
        .rev()
        .map(|mask| {
            (0..n)
                .filter(|i| mask & (1 << (n - 1 - i)) != 0)
                .flat_map(|i| sets[i].iter().cloned())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::parse_query;
    use datafusion::sql::sqlparser::ast::SetExpr;

    fn rewritten(sql: &str) -> String {
        let mut query = parse_query(sql).expect("parses");
        let SetExpr::Select(select) = query.body.as_mut() else {
            panic!("not a select")
        };
        match grouping_sets_as_postgres_reads_them(select) {
            Ok(()) => query.to_string(),
            Err(error) => format!("{}: {}", error.code, error.message),
        }
    }

    #[test]
    fn ordinals_name_output_columns() {
        assert_eq!(
            rewritten("SELECT a, b + 1 AS c, count(*) FROM t GROUP BY ROLLUP (1, 2)"),
            "SELECT a, b + 1 AS c, count(*) FROM t GROUP BY ROLLUP (a, b + 1)"
        );
        assert_eq!(
            rewritten("SELECT a, count(*) FROM t GROUP BY CUBE (1, 5)"),
            "42P10: GROUP BY position 5 is not in select list"
        );
        assert_eq!(
            rewritten("SELECT *, count(*) FROM t GROUP BY ROLLUP (2)"),
            "0A000: GROUP BY position 2 follows a wildcard in the select list; name the column \
             instead"
        );
    }

    #[test]
    fn composite_elements_become_grouping_sets() {
        assert_eq!(
            rewritten("SELECT 1 FROM t GROUP BY ROLLUP ((a, b), c)"),
            "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b, c), (a, b), ())"
        );
        assert_eq!(
            rewritten("SELECT 1 FROM t GROUP BY CUBE ((a, b), c)"),
            "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b, c), (a, b), (c), ())"
        );
    }
}
