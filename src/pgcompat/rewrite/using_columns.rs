//! The merged column of `JOIN … USING (c)`, named without a qualifier, as PostgreSQL reads
//! it: one column that is the left side's `c` for an inner or left join, the right side's for
//! a right join, and `COALESCE(left.c, right.c)` for a full join. DataFusion merges it only in
//! the select list, and there always as the left side's: `WHERE c = 3` is refused as
//! ambiguous, and a full join shows NULL where only the right side has the row.
//!
//! Rewritten for a select whose FROM is one join of two named items (tables, or subqueries
//! and VALUES with an alias) with USING, wherever the select stands (also as a branch of a
//! UNION): each unqualified `c` of its select list, WHERE, GROUP BY and HAVING, and of the
//! ORDER BY of a query whose body it is, becomes the merged column (a select-list item keeps
//! the name `c`). Subqueries are left alone. `SELECT *` over a right or full join with
//! USING, such a select with a subquery expression (it could read the merged column as an
//! outer one), and such joins in other shapes, stay refused by [`super::unsupported`].

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, OrderByKind, Query, Select, SelectItem,
    SetExpr,
};

use super::ast::{call, folded, qualifier, rewrite_outside_subqueries};

/// The merged columns of a select's join: each USING column's name and what it reads.
pub(in crate::pgcompat) fn merged_columns(select: &Select) -> Option<Vec<(String, Expr)>> {
    let [from] = select.from.as_slice() else {
        return None;
    };
    let [join] = from.joins.as_slice() else {
        return None;
    };
    let (constraint, side) = match &join.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) => (c, Side::Left),
        JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (c, Side::Left),
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (c, Side::Right),
        JoinOperator::FullOuter(c) => (c, Side::Both),
        _ => return None,
    };
    let JoinConstraint::Using(columns) = constraint else {
        return None;
    };
    let left = qualifier(&from.relation)?;
    let right = qualifier(&join.relation)?;
    columns
        .iter()
        .map(|column| {
            let [part] = column.0.as_slice() else {
                return None;
            };
            let name = part.as_ident()?.clone();
            let of = |table: &Ident| Expr::CompoundIdentifier(vec![table.clone(), name.clone()]);
            let merged = match side {
                Side::Left => of(&left),
                Side::Right => of(&right),
                Side::Both => call("coalesce", vec![of(&left), of(&right)]),
            };
            Some((folded(&name), merged))
        })
        .collect()
}

enum Side {
    Left,
    Right,
    Both,
}

/// Rewrites the unqualified USING columns of such a select (wherever it stands: a query's
/// body, a branch of a set operation, a subquery).
pub(super) fn merge_using_columns(select: &mut Select) {
    let Some(merged) = merged_columns(select) else {
        return;
    };
    for item in &mut select.projection {
        match item {
            SelectItem::UnnamedExpr(Expr::Identifier(ident))
                if merged.iter().any(|(name, _)| *name == folded(ident)) =>
            {
                // Keeps its name: `coalesce(a.c, b.c)` alone would be named `coalesce`.
                let alias = ident.clone();
                let mut expr = Expr::Identifier(ident.clone());
                read_merged(&mut expr, &merged);
                *item = SelectItem::ExprWithAlias { expr, alias };
            }
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                read_merged(expr, &merged);
            }
            _ => {}
        }
    }
    if let Some(selection) = &mut select.selection {
        read_merged(selection, &merged);
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
        for expr in exprs {
            read_merged(expr, &merged);
        }
    }
    if let Some(having) = &mut select.having {
        read_merged(having, &merged);
    }
}

/// The ORDER BY of a query whose body is such a select (before the select is rewritten):
/// a name that is an output column is that column (PostgreSQL looks there first), any other
/// merged name the merged column.
pub(super) fn merge_using_columns_in_order_by(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return;
    };
    let Some(merged) = merged_columns(select) else {
        return;
    };
    let outputs: Vec<String> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            // A merged column listed by name keeps that name as its output's.
            SelectItem::UnnamedExpr(Expr::Identifier(ident)) => Some(folded(ident)),
            _ => None,
        })
        .collect();
    let unnamed: Vec<(String, Expr)> = merged
        .into_iter()
        .filter(|(name, _)| !outputs.contains(name))
        .collect();
    if let Some(order_by) = &mut query.order_by
        && let OrderByKind::Expressions(items) = &mut order_by.kind
    {
        for item in items {
            read_merged(&mut item.expr, &unnamed);
        }
    }
}

/// Replaces the merged columns' unqualified names in `expr`, outside its subqueries.
fn read_merged(expr: &mut Expr, merged: &[(String, Expr)]) {
    rewrite_outside_subqueries(expr, |expr| {
        if let Expr::Identifier(ident) = expr
            && let Some((_, column)) = merged.iter().find(|(n, _)| *n == folded(ident))
        {
            *expr = column.clone();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::parse_query;

    fn rewritten(sql: &str) -> String {
        let mut query = parse_query(sql).expect("parses");
        merge_using_columns_in_order_by(&mut query);
        fn each_select(body: &mut SetExpr) {
            match body {
                SetExpr::Select(select) => merge_using_columns(select),
                SetExpr::SetOperation { left, right, .. } => {
                    each_select(left);
                    each_select(right);
                }
                SetExpr::Query(query) => each_select(&mut query.body),
                _ => {}
            }
        }
        each_select(&mut query.body);
        query.to_string()
    }

    #[test]
    fn inner_and_left_joins_read_the_left_column() {
        assert_eq!(
            rewritten(
                "SELECT customer_id, name FROM customers JOIN orders o USING (customer_id) \
                 WHERE customer_id = 3 ORDER BY customer_id"
            ),
            "SELECT customers.customer_id AS customer_id, name FROM customers JOIN orders o \
             USING(customer_id) WHERE customers.customer_id = 3 ORDER BY customer_id"
        );
        assert_eq!(
            rewritten("SELECT v AS id FROM a JOIN b USING (id) ORDER BY id"),
            "SELECT v AS id FROM a JOIN b USING(id) ORDER BY id"
        );
        assert_eq!(
            rewritten("SELECT v FROM a JOIN b USING (id) ORDER BY id"),
            "SELECT v FROM a JOIN b USING(id) ORDER BY a.id"
        );
    }

    #[test]
    fn full_joins_coalesce_and_right_joins_read_the_right_column() {
        assert_eq!(
            rewritten("SELECT id, a.v FROM a FULL JOIN b USING (id) GROUP BY id HAVING id > 1"),
            "SELECT coalesce(a.id, b.id) AS id, a.v FROM a FULL JOIN b USING(id) \
             GROUP BY coalesce(a.id, b.id) HAVING coalesce(a.id, b.id) > 1"
        );
        assert_eq!(
            rewritten("SELECT id + 1 AS n FROM a RIGHT JOIN b USING (id)"),
            "SELECT b.id + 1 AS n FROM a RIGHT JOIN b USING(id)"
        );
    }

    #[test]
    fn a_branch_of_a_union_is_merged_too() {
        assert_eq!(
            rewritten("SELECT id FROM a FULL JOIN b USING (id) UNION ALL SELECT 9 ORDER BY 1"),
            "SELECT coalesce(a.id, b.id) AS id FROM a FULL JOIN b USING(id) UNION ALL SELECT 9 \
             ORDER BY 1"
        );
    }

    #[test]
    fn subqueries_and_other_shapes_are_left_alone() {
        for sql in [
            "SELECT id FROM a JOIN b ON a.id = b.id",
            "SELECT id FROM a JOIN b USING (id) JOIN c USING (id)",
            "SELECT id FROM (SELECT 1 AS id) JOIN b USING (id)",
        ] {
            assert_eq!(rewritten(sql), parse_query(sql).unwrap().to_string());
        }
        assert_eq!(
            rewritten("SELECT (SELECT max(id) FROM c) FROM a JOIN b USING (id)"),
            "SELECT (SELECT max(id) FROM c) FROM a JOIN b USING(id)"
        );
    }
}
