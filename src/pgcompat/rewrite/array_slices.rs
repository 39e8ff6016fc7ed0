//! Array slices `a[l:u]` with PostgreSQL's bounds. PostgreSQL clamps a slice to the array's
//! subscripts (1 to its length): `a[:2]` is `a[1:2]`, `a[4:]` runs to the end, `a[-1:2]` is
//! `a[1:2]`, and `a[1:0]` is empty. DataFusion wants both bounds and counts a negative one
//! from the end (`a[-1:2]` would start at the last element), so an open bound is filled in and
//! a bound that may be below 1 is raised to 1 (lower) or 0 (upper) first — but a NULL bound
//! stays NULL, which makes the slice NULL as in PostgreSQL. A constant subscript below 1
//! (`a[0]`, `a[-1]`) is NULL, as PostgreSQL's element there.

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, Expr, Subscript, UnaryOperator, Value,
};

use super::ast::case;

/// Past any array's length: an open upper bound (DataFusion clamps it to the length).
const OPEN_UPPER: &str = "2147483647";

/// Rewrites the bounds of every slice in an access chain; claims only chains with a slice.
pub(super) fn slice_bounds(expr: &mut Expr) -> bool {
    let Expr::CompoundFieldAccess { access_chain, .. } = expr else {
        return false;
    };
    let mut claimed = false;
    for access in access_chain.iter_mut() {
        // `a[0]` and `a[-1]` are NULL (DataFusion takes -1 for the last element).
        if let AccessExpr::Subscript(Subscript::Index { index }) = access
            && literal_integer(index).is_some_and(|n| n < 1)
        {
            *index = Expr::value(Value::Null);
            claimed = true;
        }
        if let AccessExpr::Subscript(Subscript::Slice {
            lower_bound,
            upper_bound,
            stride: None,
        }) = access
        {
            let lower = lower_bound.take();
            let upper = upper_bound.take();
            *lower_bound = Some(at_least(lower, 1, "1"));
            *upper_bound = Some(at_least(upper, 0, OPEN_UPPER));
            claimed = true;
        }
    }
    claimed
}

/// `bound`, or `open` when there is none, raised to `floor` when below it.
fn at_least(bound: Option<Expr>, floor: i64, open: &str) -> Expr {
    let number = |text: &str| Expr::value(Value::Number(text.into(), false));
    let Some(bound) = bound else {
        return number(open);
    };
    if let Some(n) = literal_integer(&bound) {
        return if n >= floor {
            bound
        } else {
            number(&floor.to_string())
        };
    }
    let floor = number(&floor.to_string());
    let below = Expr::BinaryOp {
        left: Box::new(bound.clone()),
        op: BinaryOperator::Lt,
        right: Box::new(floor.clone()),
    };
    Expr::Nested(Box::new(case(vec![(below, floor)], Some(bound))))
}

/// `3`, `-1`: an integer literal, with its sign.
fn literal_integer(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(text, _) => text.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => literal_integer(expr)?.checked_neg(),
        Expr::Nested(inner) => literal_integer(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pgcompat::rewrite::ast::testing::expression;

    fn rewritten(expr: &str) -> String {
        let mut e = expression(expr);
        assert!(slice_bounds(&mut e), "claims {expr}");
        e.to_string()
    }

    #[test]
    fn open_bounds_are_filled_in() {
        assert_eq!(rewritten("a[:2]"), "a[1:2]");
        assert_eq!(rewritten("a[4:]"), "a[4:2147483647]");
        assert_eq!(rewritten("a[2:4]"), "a[2:4]");
    }

    #[test]
    fn bounds_that_may_be_below_the_array_are_raised() {
        assert_eq!(rewritten("a[0:1]"), "a[1:1]");
        assert_eq!(rewritten("a[-3:-1]"), "a[1:0]");
        assert_eq!(rewritten("a[-1]"), "a[NULL]");
        assert_eq!(rewritten("a[0][1:2]"), "a[NULL][1:2]");
        assert_eq!(
            rewritten("a[i:j]"),
            "a[(CASE WHEN i < 1 THEN 1 ELSE i END):(CASE WHEN j < 0 THEN 0 ELSE j END)]"
        );
    }
}
