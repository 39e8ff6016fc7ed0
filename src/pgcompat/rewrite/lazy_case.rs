//! A boolean CASE stays lazy: `CASE WHEN d = 0 THEN false ELSE x / d > 10 END` never
//! divides by zero in PostgreSQL, which evaluates only the branch a row takes. DataFusion's
//! simplifier rewrites a boolean CASE of few branches into `AND`/`OR`, whose sides are
//! computed for every row — and the division fails on the rows the CASE guarded.
//!
//! When a branch of a boolean CASE divides (`/`, `%`), each result is cast to an integer and
//! the CASE back to boolean: the same truth values and NULLs, but a CASE that is no longer
//! boolean, which the simplifier leaves as it is and which evaluates each branch only for its
//! rows.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType as SqlType, Expr, UnaryOperator, Value,
};

/// Rewrites a boolean CASE with a dividing branch; claims only those.
pub(super) fn lazy_boolean_case(expr: &mut Expr) -> bool {
    let Expr::Case {
        operand: None,
        conditions,
        else_result,
        ..
    } = expr
    else {
        return false;
    };
    let results = || {
        conditions
            .iter()
            .map(|branch| &branch.result)
            .chain(else_result.as_deref())
    };
    if !results().all(is_boolean) || !results().any(divides) {
        return false;
    }
    for branch in conditions.iter_mut() {
        branch.result = cast(
            std::mem::replace(&mut branch.result, null()),
            SqlType::Int(None),
        );
    }
    if let Some(result) = else_result {
        **result = cast(
            std::mem::replace(result.as_mut(), null()),
            SqlType::Int(None),
        );
    }
    let case = std::mem::replace(expr, null());
    *expr = cast(case, SqlType::Boolean);
    true
}

fn null() -> Expr {
    Expr::value(Value::Null)
}

fn cast(expr: Expr, data_type: SqlType) -> Expr {
    Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(expr),
        data_type,
        array: false,
        format: None,
    }
}

/// Whether `expr` is a truth value by its form: a comparison, a connective, a test, a
/// boolean literal.
fn is_boolean(expr: &Expr) -> bool {
    use BinaryOperator as B;
    match expr {
        Expr::Value(v) => matches!(v.value, Value::Boolean(_)),
        Expr::BinaryOp { op, .. } => matches!(
            op,
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or
        ),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => true,
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::IsTrue(_)
        | Expr::IsFalse(_)
        | Expr::IsNotTrue(_)
        | Expr::IsNotFalse(_)
        | Expr::Between { .. }
        | Expr::InList { .. }
        | Expr::Like { .. }
        | Expr::ILike { .. } => true,
        Expr::Nested(inner) => is_boolean(inner),
        _ => false,
    }
}

/// Whether `expr` divides somewhere (outside subqueries, which are evaluated apart).
fn divides(expr: &Expr) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
        if matches!(
            e,
            Expr::BinaryOp {
                op: BinaryOperator::Divide | BinaryOperator::Modulo,
                ..
            }
        ) {
            found = true;
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::testing::expression;

    fn rewritten(sql: &str) -> (bool, String) {
        let mut e = expression(sql);
        let claimed = lazy_boolean_case(&mut e);
        (claimed, e.to_string())
    }

    #[test]
    fn a_boolean_case_that_divides_is_kept_lazy() {
        assert_eq!(
            rewritten("CASE WHEN d = 0 THEN false ELSE x / d > 10 END"),
            (
                true,
                "CAST(CASE WHEN d = 0 THEN CAST(false AS INT) ELSE CAST(x / d > 10 AS INT) END \
                 AS BOOLEAN)"
                    .to_string()
            )
        );
    }

    #[test]
    fn other_cases_are_left_alone() {
        for sql in [
            "CASE WHEN d = 0 THEN false ELSE x > 10 END",
            "CASE WHEN d = 0 THEN 0 ELSE x / d END",
            "CASE d WHEN 0 THEN false ELSE x / d > 1 END",
        ] {
            assert_eq!(rewritten(sql), (false, sql.to_string()));
        }
    }
}
