//! Calls of PostgreSQL functions whose DataFusion namesakes answer otherwise:
//! `percentile_cont(f) WITHIN GROUP (ORDER BY x)` interpolates in double precision, as
//! PostgreSQL's (which takes only float8 and interval), `array_length(a, d)` of an empty
//! array is NULL, not 0, and `array_remove(a, NULL)` removes the NULLs (DataFusion's returns
//! NULL). `mod(a, b)` is `a % b` and `div(a, b)` the numeric quotient truncated, which
//! DataFusion lacks. `make_interval(days => 10)` gets every parameter, by position.
//! `substring(x FROM 'regex')` matches a regular expression. `array_fill(v, ARRAY[…])` is
//! told how many dimensions its array has.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType as SqlType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, Value,
};

use super::ast::{call, folded, lambda, literal_text};

/// `substring(x FROM pattern)` with a text pattern is PostgreSQL's regular-expression
/// substring: the first match, or the text of its first parenthesized group. With `FOR escape`
/// as well, the pattern is a SIMILAR TO pattern matching the whole text, and the part between
/// its escaped double quotes is returned (the group `similar_to_escape` makes of it). Which
/// form is meant is told by the pattern being a string literal, as PostgreSQL's parser tells
/// it by its type. Claims those substrings.
pub(super) fn regex_substring(expr: &mut Expr) -> bool {
    let Expr::Substring {
        expr: text,
        substring_from: Some(from),
        substring_for,
        ..
    } = expr
    else {
        return false;
    };
    if literal_text(from).is_none()
        || substring_for
            .as_ref()
            .is_some_and(|escape| literal_text(escape).is_none())
    {
        return false;
    }
    let take = |e: &mut Box<Expr>| std::mem::replace(e.as_mut(), Expr::value(Value::Null));
    let text = take(text);
    let pattern = match substring_for {
        Some(escape) => call("similar_to_escape", vec![take(from), take(escape)]),
        None => take(from),
    };
    *expr = call(
        "array_element",
        vec![
            call("regexp_match", vec![text, pattern]),
            Expr::value(Value::Number("1".into(), false)),
        ],
    );
    true
}

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
        "percentile_cont"
            | "array_length"
            | "array_remove"
            | "mod"
            | "div"
            | "make_interval"
            | "array_fill"
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
        "array_fill" => {
            // The number of dimensions, as a third argument the function reads when it is
            // planned: it is the depth of the result's type.
            if let FunctionArguments::List(list) = &mut function.args
                && let [
                    _,
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Array(dims))),
                ] = list.args.as_slice()
            {
                let depth = Expr::value(Value::Number(dims.elem.len().to_string(), false));
                list.args
                    .push(FunctionArg::Unnamed(FunctionArgExpr::Expr(depth)));
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
        "make_interval" => {
            // Every parameter given, by position: DataFusion fills no gaps between named ones.
            let FunctionArguments::List(list) = &mut function.args else {
                return false;
            };
            let mut values: Vec<Option<Expr>> = vec![None; MAKE_INTERVAL_PARAMETERS.len()];
            for (position, arg) in list.args.iter().enumerate() {
                let (index, value) = match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => (Some(position), e),
                    FunctionArg::Named {
                        name,
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    }
                    | FunctionArg::ExprNamed {
                        name: Expr::Identifier(name),
                        arg: FunctionArgExpr::Expr(e),
                        ..
                    } => (
                        MAKE_INTERVAL_PARAMETERS
                            .iter()
                            .position(|p| *p == folded(name)),
                        e,
                    ),
                    _ => return true,
                };
                // An unknown name is left for DataFusion to refuse.
                let Some(slot) = index.and_then(|i| values.get_mut(i)) else {
                    return true;
                };
                *slot = Some(value.clone());
            }
            let zero = |i: usize| match i {
                6 => Expr::value(Value::Number("0.0".to_string(), false)),
                _ => Expr::value(Value::Number("0".to_string(), false)),
            };
            let args = values
                .into_iter()
                .enumerate()
                .map(|(i, v)| v.unwrap_or_else(|| zero(i)))
                .collect();
            *expr = call("make_interval", args);
            true
        }
        _ => false,
    }
}

/// `make_interval`'s parameters in order, as PostgreSQL names them.
const MAKE_INTERVAL_PARAMETERS: [&str; 7] =
    ["years", "months", "weeks", "days", "hours", "mins", "secs"];
