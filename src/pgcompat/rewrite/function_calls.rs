//! Calls of PostgreSQL functions whose DataFusion namesakes answer otherwise:
//! `percentile_cont(f) WITHIN GROUP (ORDER BY x)` interpolates in double precision, as
//! PostgreSQL's (which takes only float8 and interval), `array_length(a, d)` of an empty
//! array is NULL, not 0, and `array_remove(a, NULL)` removes the NULLs (DataFusion's returns
//! NULL). `mod(a, b)` is `a % b` and `div(a, b)` the numeric quotient truncated, which
//! DataFusion lacks.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType as SqlType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, Value,
};

use super::ast::{call, folded, lambda};

/// Rewrites the calls above (dropping a `pg_catalog.` first, as [`super::names`] would).
/// Claims `percentile_cont`, `array_length`, `array_remove`, `mod` and `div` calls.
pub(super) fn postgres_function(expr: &mut Expr) -> bool {
    let Expr::Function(function) = expr else {
        return false;
    };
    let Some(name) = function
        .name
        .0
        .last()
        .and_then(|part| part.as_ident())
        .map(folded)
    else {
        return false;
    };
    if !matches!(
        name.as_str(),
        "percentile_cont" | "array_length" | "array_remove" | "mod" | "div"
    ) {
        return false;
    }
    super::names::unqualify_catalog_function(expr);
    let Expr::Function(function) = expr else {
        return false;
    };
    match name.as_str() {
        "percentile_cont" => {
            for order in &mut function.within_group {
                let value = std::mem::replace(&mut order.expr, Expr::value(Value::Null));
                order.expr = Expr::Cast {
                    kind: CastKind::Cast,
                    expr: Box::new(value),
                    data_type: SqlType::DoublePrecision,
                    array: false,
                    format: None,
                };
            }
            true
        }
        "array_length" => {
            let length = std::mem::replace(expr, Expr::value(Value::Null));
            *expr = call(
                "nullif",
                vec![length, Expr::value(Value::Number("0".to_string(), false))],
            );
            true
        }
        "array_remove" => {
            if let FunctionArguments::List(list) = &function.args
                && let [
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(array)),
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(element))),
                ] = list.args.as_slice()
                && element.value == Value::Null
            {
                let element = Ident::new("__element");
                let kept = Expr::IsNotNull(Box::new(Expr::Identifier(element.clone())));
                *expr = call("array_filter", vec![array.clone(), lambda(&element, kept)]);
            }
            true
        }
        "mod" | "div" => {
            let FunctionArguments::List(list) = &function.args else {
                return false;
            };
            let [
                FunctionArg::Unnamed(FunctionArgExpr::Expr(a)),
                FunctionArg::Unnamed(FunctionArgExpr::Expr(b)),
            ] = list.args.as_slice()
            else {
                return false;
            };
            let nested = |e: &Expr| Box::new(Expr::Nested(Box::new(e.clone())));
            *expr = match name.as_str() {
                "mod" => Expr::BinaryOp {
                    left: nested(a),
                    op: BinaryOperator::Modulo,
                    right: nested(b),
                },
                // The quotient of the two as numerics, truncated toward zero.
                _ => call(
                    "trunc",
                    vec![Expr::BinaryOp {
                        left: Box::new(call("numeric", vec![a.clone()])),
                        op: BinaryOperator::Divide,
                        right: Box::new(call("numeric", vec![b.clone()])),
                    }],
                ),
            };
            true
        }
        _ => false,
    }
}
