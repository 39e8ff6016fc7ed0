//! `INTERSECT ALL` and `EXCEPT ALL` as PostgreSQL counts them. DataFusion plans them as a
//! semi (anti) join, which keeps every copy of a left row that has one match (none): `{1,1,1}
//! INTERSECT ALL {1,1}` gives three 1s where PostgreSQL gives two (`min(m, n)` copies;
//! EXCEPT ALL gives `max(m - n, 0)`).
//!
//! Numbering the copies of each row on both sides makes every row distinct, and the distinct
//! set operation of numbered rows keeps exactly those counts:
//!
//! ```sql
//! SELECT c1 AS a, c2 AS b FROM (
//!   SELECT c1, c2, row_number() OVER (PARTITION BY c1, c2) AS n FROM (L) AS l (c1, c2)
//!   INTERSECT
//!   SELECT c1, c2, row_number() OVER (PARTITION BY c1, c2) AS n FROM (R) AS r (c1, c2)
//! ) AS s
//! ```
//!
//! PARTITION BY puts NULLs in one partition, as set operations compare NULLs as equal. The
//! number of columns and their names come from the left operand's select list, so an operand
//! whose leftmost select has a wildcard is not rewritten (and [`super::unsupported`] refuses
//! it, since DataFusion would answer differently).

use datafusion::sql::sqlparser::ast::{Query, SelectItem, SetExpr, SetOperator, SetQuantifier};

use super::ast::{folded, parse_query};
use super::column_names::postgres_column_name;

/// The output names of a set operation's rows: those of its leftmost select, as PostgreSQL
/// names them. `None` when it lists a wildcard (its columns are not known before planning).
pub(in crate::pgcompat) fn output_names(body: &SetExpr) -> Option<Vec<String>> {
    match body {
        SetExpr::Select(select) => select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
                SelectItem::UnnamedExpr(expr) => {
                    Some(postgres_column_name(expr).unwrap_or_else(|| "?column?".into()))
                }
                _ => None,
            })
            .collect(),
        SetExpr::Query(query) => output_names(&query.body),
        SetExpr::SetOperation { left, .. } => output_names(left),
        SetExpr::Values(values) => {
            let width = values.rows.first()?.len();
            Some((1..=width).map(|i| format!("column{i}")).collect())
        }
        _ => None,
    }
}

/// Whether `body` is an INTERSECT ALL or EXCEPT ALL.
pub(in crate::pgcompat) fn is_counting_set_operation(body: &SetExpr) -> bool {
    matches!(
        body,
        SetExpr::SetOperation {
            op: SetOperator::Intersect | SetOperator::Except,
            set_quantifier: SetQuantifier::All,
            ..
        }
    )
}

/// Rewrites every INTERSECT ALL and EXCEPT ALL in the set operations of `query`'s body
/// (not in its subqueries, which the walk reaches as queries of their own).
pub(super) fn counted_set_operations(query: &mut Query) {
    counted(&mut query.body);
}

fn counted(body: &mut SetExpr) {
    if let SetExpr::SetOperation { left, right, .. } = body {
        counted(left);
        counted(right);
    }
    if !is_counting_set_operation(body) {
        return;
    }
    let SetExpr::SetOperation {
        left, op, right, ..
    } = &*body
    else {
        return;
    };
    let Some(names) = output_names(left) else {
        return;
    };
    let columns: Vec<String> = (1..=names.len())
        .map(|i| format!("__custlake_c{i}"))
        .collect();
    let listed = columns.join(", ");
    let numbered = |operand: &SetExpr, alias: &str| {
        format!(
            "SELECT {listed}, row_number() OVER (PARTITION BY {listed}) AS __custlake_copy \
             FROM ({operand}) AS {alias} ({listed})"
        )
    };
    let outputs: Vec<String> = columns
        .iter()
        .zip(&names)
        .map(|(column, name)| format!("{column} AS \"{}\"", name.replace('"', "\"\"")))
        .collect();
    let op = match op {
        SetOperator::Intersect => "INTERSECT",
        _ => "EXCEPT",
    };
    let sql = format!(
        "SELECT {} FROM ({} {op} {}) AS __custlake_counted",
        outputs.join(", "),
        numbered(left, "__custlake_left"),
        numbered(right, "__custlake_right"),
    );
    if let Some(rewritten) = parse_query(&sql) {
        *body = SetExpr::Query(Box::new(rewritten));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut query = parse_query(sql).expect("parses");
        counted_set_operations(&mut query);
        query.to_string()
    }

    #[test]
    fn numbers_the_copies_of_both_operands() {
        let sql = rewritten("SELECT x, y + 1 FROM a INTERSECT ALL SELECT p, q FROM b ORDER BY 1");
        assert_eq!(
            sql,
            "(SELECT __custlake_c1 AS \"x\", __custlake_c2 AS \"?column?\" FROM (SELECT \
             __custlake_c1, __custlake_c2, row_number() OVER (PARTITION BY __custlake_c1, \
             __custlake_c2) AS __custlake_copy FROM (SELECT x, y + 1 FROM a) AS \
             __custlake_left (__custlake_c1, __custlake_c2) INTERSECT SELECT __custlake_c1, \
             __custlake_c2, row_number() OVER (PARTITION BY __custlake_c1, __custlake_c2) AS \
             __custlake_copy FROM (SELECT p, q FROM b) AS __custlake_right (__custlake_c1, \
             __custlake_c2)) AS __custlake_counted) ORDER BY 1"
        );
    }

    #[test]
    fn leaves_distinct_set_operations_and_wildcards_alone() {
        for sql in [
            "SELECT x FROM a INTERSECT SELECT y FROM b",
            "SELECT x FROM a EXCEPT SELECT y FROM b",
            "SELECT * FROM a EXCEPT ALL SELECT y FROM b",
            "SELECT x FROM a UNION ALL SELECT y FROM b",
        ] {
            assert_eq!(rewritten(sql), sql);
        }
    }

    #[test]
    fn names_come_from_the_leftmost_select() {
        let sql =
            rewritten("SELECT 1 AS one, count(*) FROM a UNION SELECT 2, 3 EXCEPT ALL SELECT 4, 5");
        assert!(
            sql.starts_with("(SELECT __custlake_c1 AS \"one\", __custlake_c2 AS \"count\" FROM ("),
            "{sql}"
        );
        assert!(
            sql.contains(
                "FROM (SELECT 1 AS one, count(*) FROM a UNION SELECT 2, 3) AS __custlake_left"
            ),
            "{sql}"
        );
    }
}
