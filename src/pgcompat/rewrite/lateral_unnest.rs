//! `FROM s, unnest(s.types) AS x` (also with LATERAL): the rows of `s`, each repeated for
//! the elements of its own array. DataFusion cannot plan an UNNEST in FROM that reads an
//! earlier FROM item's columns (the outer reference reaches the physical planner), but it
//! unnests in a select list, row by row, which is the same rows:
//! `FROM (SELECT s.*, unnest(s.types) AS x FROM s) AS s`. The earlier item keeps its name, so
//! `s.region` still reads it, and the element is the column `x`.
//!
//! Rewritten when the select's FROM is exactly those two items, the unnest has one array that
//! reads a column and no WITH ORDINALITY, and its alias names at most one column.

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, Ident, Select, TableFactor, TableWithJoins,
};

use super::ast::{derived, folded, holds_subquery_expression, parse_query, qualifier};

/// The array of an `unnest(a) AS x` in FROM, and the element column's name.
fn unnest_of(factor: &TableFactor) -> Option<(&Expr, Ident)> {
    let (array, alias) = match factor {
        TableFactor::UNNEST {
            alias,
            array_exprs,
            with_offset: false,
            with_ordinality: false,
            ..
        } => match array_exprs.as_slice() {
            [array] => (array, alias),
            _ => return None,
        },
        TableFactor::Function {
            name,
            args,
            with_ordinality: false,
            alias,
            ..
        } if name.0.len() == 1 && name.0[0].as_ident().map(folded).as_deref() == Some("unnest") => {
            match args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] => (array, alias),
                _ => return None,
            }
        }
        _ => return None,
    };
    let alias = alias.as_ref()?;
    let column = match alias.columns.as_slice() {
        [] => alias.name.clone(),
        [column] => column.name.clone(),
        _ => return None,
    };
    Some((array, column))
}

/// Whether `expr` reads a column.
fn reads_a_column(expr: &Expr) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
        if matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

/// Rewrites `FROM s, unnest(<reads s>) AS x` as the select-list unnest it is.
pub(super) fn unnest_of_earlier_item(select: &mut Select) {
    let [first, second] = select.from.as_slice() else {
        return;
    };
    if !first.joins.is_empty() || !second.joins.is_empty() {
        return;
    }
    let Some((array, column)) = unnest_of(&second.relation) else {
        return;
    };
    let Some(name) = qualifier(&first.relation) else {
        return;
    };
    if !reads_a_column(array) || holds_subquery_expression(array) {
        return;
    }
    let Some(query) = parse_query(&format!(
        "SELECT {name}.*, unnest({array}) AS {column} FROM {}",
        first.relation
    )) else {
        return;
    };
    select.from = vec![TableWithJoins {
        relation: derived(query, name, false),
        joins: vec![],
    }];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::testing::rewritten_select;

    fn rewritten(sql: &str) -> String {
        rewritten_select(sql, unnest_of_earlier_item)
    }

    #[test]
    fn an_unnest_of_an_earlier_item_is_unnested_in_its_select_list() {
        assert_eq!(
            rewritten("SELECT region, x FROM (SELECT 1) s, unnest(types) AS x ORDER BY 1"),
            "SELECT region, x FROM (SELECT s.*, unnest(types) AS x FROM (SELECT 1) s) AS s \
             ORDER BY 1"
        );
        assert_eq!(
            rewritten(
                "SELECT c.id, y FROM customers c, LATERAL unnest(ARRAY[c.a, c.b]) AS x(y) \
                 WHERE c.id <= 2"
            ),
            "SELECT c.id, y FROM (SELECT c.*, unnest(ARRAY[c.a, c.b]) AS y FROM customers c) \
             AS c WHERE c.id <= 2"
        );
    }

    #[test]
    fn other_shapes_are_left_alone() {
        for sql in [
            "SELECT x FROM s, unnest(ARRAY[1, 2]) AS x",
            "SELECT x FROM s, unnest(s.a, s.b) AS x",
            "SELECT x FROM s JOIN t ON true, unnest(s.a) AS x",
            "SELECT x FROM s, unnest(s.a) WITH ORDINALITY AS x",
        ] {
            assert_eq!(rewritten(sql), parse_query(sql).unwrap().to_string());
        }
    }
}
