//! `generate_series(0.5, 2.0, 0.5)` in FROM: PostgreSQL's series of numerics, which
//! DataFusion's generate_series (integers and times only) refuses. With constant bounds and
//! step the number of steps is computed here, exactly, and the series is
//! `start + k * step` for `k` from 0 to it — an integer series, so nothing is gathered.
//!
//! PostgreSQL adds the step again and again, so each value's scale is the larger of start's
//! and step's; a column has one scale, so only a start of at least the step's scale is
//! rewritten (`generate_series(1, 2, 0.5)` writes `1`, then `1.5`: left to DataFusion, which
//! refuses it).

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, Ident, TableAlias, TableFactor, UnaryOperator, Value,
};

use super::ast::{derived, parse_query};

/// A number literal: its sign and its digits.
fn literal_decimal(expr: &Expr) -> Option<(bool, String)> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(text, _) => Some((false, text.clone())),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => {
            let (negative, text) = literal_decimal(expr)?;
            Some((!negative, text))
        }
        Expr::Nested(inner) => literal_decimal(inner),
        _ => None,
    }
}

/// `text` (digits, at most one point) as an integer scaled by 10^`scale`.
fn scaled(negative: bool, text: &str, scale: usize) -> Option<i128> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > scale
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
        || whole.len() + scale > 30
    {
        return None;
    }
    let digits = format!("{whole}{fraction}{}", "0".repeat(scale - fraction.len()));
    let value: i128 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

fn scale_of(text: &str) -> usize {
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

/// The series as a subquery in FROM, when every argument is a number literal, one of them
/// has a fraction, and the start's scale is at least the step's.
pub(super) fn numeric_series(
    args: &[FunctionArg],
    alias: &Option<TableAlias>,
    column: &Ident,
) -> Option<TableFactor> {
    let literals: Vec<(bool, String)> = args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => literal_decimal(e),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (start, stop, step) = match literals.as_slice() {
        [start, stop] => (start, stop, &(false, "1".to_string())),
        [start, stop, step] => (start, stop, step),
        _ => return None,
    };
    let scales = [start, stop, step].map(|(_, text)| scale_of(text));
    if scales.iter().all(|s| *s == 0) || scales[0] < scales[2] {
        return None;
    }
    let scale = *scales.iter().max()?;
    let [a, b, s] = [start, stop, step].map(|(negative, text)| scaled(*negative, text, scale));
    let (a, b, s) = (a?, b?, s?);
    if s == 0 {
        return None;
    }
    // The last k with start + k·step not past stop: ⌊(stop − start) / step⌋ (below 0: none).
    let span = b - a;
    let steps = span / s - i128::from(span % s != 0 && (span < 0) != (s < 0));
    let sign = |(negative, text): &(bool, String)| match negative {
        true => format!("(-{text})"),
        false => text.clone(),
    };
    let name = column.to_string();
    let subquery = parse_query(&format!(
        "SELECT {} + __custlake_k * {} AS {name} FROM generate_series(0, {steps}) AS \
         __custlake_k (__custlake_k)",
        sign(start),
        sign(step),
    ))?;
    let relation = alias
        .as_ref()
        .map_or_else(|| column.clone(), |a| a.name.clone());
    Some(derived(subquery, relation, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(sql_args: &str) -> Option<String> {
        let query = parse_query(&format!(
            "SELECT * FROM generate_series({sql_args}) AS g(x)"
        ))?;
        let datafusion::sql::sqlparser::ast::SetExpr::Select(select) = *query.body else {
            return None;
        };
        let TableFactor::Table { args, alias, .. } = &select.from[0].relation else {
            return None;
        };
        numeric_series(&args.as_ref()?.args, alias, &Ident::new("x")).map(|f| f.to_string())
    }

    #[test]
    fn steps_are_counted_exactly() {
        assert_eq!(
            series("0.5, 2.0, 0.5").as_deref(),
            Some(
                "(SELECT 0.5 + __custlake_k * 0.5 AS x FROM generate_series(0, 3) AS \
                 __custlake_k (__custlake_k)) AS g"
            )
        );
        let steps = |args: &str| {
            let text = series(args)?;
            let at = text.find("generate_series(0, ")? + "generate_series(0, ".len();
            text[at..].split(')').next().map(str::to_string)
        };
        assert_eq!(steps("2.0, 0.5, -0.5").as_deref(), Some("3"));
        assert_eq!(steps("0.0, 1.0, 0.3").as_deref(), Some("3"));
        assert_eq!(steps("0.0, -1.0, -0.3").as_deref(), Some("3"));
        assert_eq!(steps("1.5, 1.0").as_deref(), Some("-1"));
        assert_eq!(steps("1.5, 3").as_deref(), Some("1"));
    }

    #[test]
    fn integers_and_mixed_scales_are_left_alone() {
        assert_eq!(series("1, 3"), None);
        assert_eq!(series("1, 2, 0.5"), None);
        assert_eq!(series("0.5, 2.0, 0"), None);
    }
}
