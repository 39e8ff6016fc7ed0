//! `x [NOT] IN (subquery)` in a select list (DataFusion plans IN subqueries only in WHERE)
//! tests an array of the subquery's values, keeping IN's three-valued answer.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Ident, Query, Value};

use super::ast::{call, case, lambda, parse_query};

/// `x [NOT] IN (subquery)` in a select list, where DataFusion plans IN only in WHERE: the
/// subquery's values gathered into an array by an uncorrelated scalar subquery, and IN's
/// three-valued answer read from it — false for no values, true for a match, NULL where `x` is
/// NULL or a value is NULL, false otherwise.
pub(super) fn in_subquery_as_array(x: Expr, subquery: &Query, negated: bool) -> Option<Expr> {
    let values = || {
        parse_query(&format!(
            "SELECT array_agg(__in.__value) FROM ({subquery}) AS __in (__value)"
        ))
        .map(|q| Expr::Subquery(Box::new(q)))
    };
    let element = Ident::new("__element");
    let boolean = |b: bool| Expr::value(Value::Boolean(b));
    let answer = case(
        vec![
            (Expr::IsNull(Box::new(values()?)), boolean(false)),
            (call("array_has", vec![values()?, x.clone()]), boolean(true)),
            (
                Expr::BinaryOp {
                    left: Box::new(Expr::IsNull(Box::new(Expr::Nested(Box::new(x))))),
                    op: BinaryOperator::Or,
                    right: Box::new(call(
                        "array_has",
                        vec![
                            call(
                                "array_transform",
                                vec![
                                    values()?,
                                    lambda(
                                        &element,
                                        Expr::IsNull(Box::new(Expr::Identifier(element.clone()))),
                                    ),
                                ],
                            ),
                            boolean(true),
                        ],
                    )),
                },
                Expr::value(Value::Null),
            ),
        ],
        Some(boolean(false)),
    );
    Some(if negated {
        Expr::UnaryOp {
            op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
            expr: Box::new(Expr::Nested(Box::new(answer))),
        }
    } else {
        answer
    })
}
