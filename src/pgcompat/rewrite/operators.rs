//! Operators PostgreSQL writes differently: `a OPERATOR(pg_catalog.~) b` is `a ~ b`,
//! `x COLLATE "C"` is `x` (there is one collation here), and `x LIKE 'pg/_%' ESCAPE '/'`
//! escapes with `\`, the only escape DataFusion knows: a literal pattern (or a concatenation of
//! literals) is rewritten here, any other pattern when the query runs
//! (`like_pattern_escaped_by`). `x SIMILAR TO p ESCAPE e` is, as in PostgreSQL,
//! `x ~ similar_to_escape(p, e)`: DataFusion would match `p` as an unanchored regular
//! expression. `ts AT TIME ZONE z` is PostgreSQL's `timezone(z, ts)`. The prefix operators `|/`, `||/`,
//! `@` and `~`, and `(s1, e1) OVERLAPS (s2, e2)`, are the functions they stand for.

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, DataType as SqlType, Expr, UnaryOperator, Value,
};

use super::ast::{call, literal_text};

/// `x LIKE p ESCAPE e` with `e` other than `\`. Claims every LIKE and ILIKE.
pub(super) fn like_escape(expr: &mut Expr) -> bool {
    let (Expr::Like {
        pattern,
        escape_char,
        ..
    }
    | Expr::ILike {
        pattern,
        escape_char,
        ..
    }) = expr
    else {
        return false;
    };
    if let Some(escape) = escape_char.as_ref().and_then(|e| match &e.value {
        Value::SingleQuotedString(c) => c.chars().next(),
        _ => None,
    }) && escape != '\\'
    {
        **pattern = match literal_text(pattern) {
            Some(literal) => Expr::value(Value::SingleQuotedString(with_backslash_escape(
                &literal, escape,
            ))),
            // A pattern known only when the query runs (a parameter) is
            // rewritten then.
            None => call(
                "like_pattern_escaped_by",
                vec![
                    std::mem::replace(pattern.as_mut(), Expr::value(Value::Null)),
                    Expr::value(Value::SingleQuotedString(escape.to_string())),
                ],
            ),
        };
        *escape_char = None;
    }
    true
}

/// `x [NOT] SIMILAR TO p [ESCAPE e]` → `x ~ similar_to_escape(p [, e])` (`!~` when negated).
/// Claims every SIMILAR TO.
pub(super) fn similar_to(expr: &mut Expr) -> bool {
    let Expr::SimilarTo {
        negated,
        expr: subject,
        pattern,
        escape_char,
        ..
    } = expr
    else {
        return false;
    };
    let mut args = vec![std::mem::replace(
        pattern.as_mut(),
        Expr::value(Value::Null),
    )];
    if let Some(escape) = escape_char.take() {
        args.push(Expr::value(escape.value));
    }
    let op = match negated {
        true => BinaryOperator::PGRegexNotMatch,
        false => BinaryOperator::PGRegexMatch,
    };
    let subject = std::mem::replace(subject.as_mut(), Expr::value(Value::Null));
    *expr = Expr::BinaryOp {
        left: Box::new(subject),
        op,
        right: Box::new(call("similar_to_escape", args)),
    };
    true
}

/// `-2 ^ 2` is `(-2) ^ 2` in PostgreSQL, whose unary minus binds tighter than `^`; the
/// parser reads `-(2 ^ 2)` (a written `-(2 ^ 2)` keeps its parentheses, a `Nested`). Claims
/// a unary minus of a power.
pub(super) fn minus_of_power(expr: &mut Expr) -> bool {
    let Expr::UnaryOp {
        op: UnaryOperator::Minus,
        expr: operand,
    } = expr
    else {
        return false;
    };
    if !matches!(
        operand.as_ref(),
        Expr::BinaryOp {
            op: BinaryOperator::PGExp,
            ..
        }
    ) {
        return false;
    }
    let mut power = std::mem::replace(operand.as_mut(), Expr::value(Value::Null));
    // `^` is left-associative: the minus belongs to the leftmost base.
    let mut base = &mut power;
    while let Expr::BinaryOp {
        op: BinaryOperator::PGExp,
        left,
        ..
    } = base
    {
        base = left.as_mut();
    }
    let inner = std::mem::replace(base, Expr::value(Value::Null));
    *base = Expr::UnaryOp {
        op: UnaryOperator::Minus,
        expr: Box::new(inner),
    };
    *expr = power;
    true
}

/// PostgreSQL's prefix operators DataFusion lacks: `|/ x` (square root) and `||/ x` (cube
/// root) of a float8, `@ x` (absolute value), `~ x` (bitwise not, as `x # -1`). Claims those
/// unary operations.
pub(super) fn prefix_operator(expr: &mut Expr) -> bool {
    let Expr::UnaryOp { op, expr: operand } = expr else {
        return false;
    };
    let operand = match op {
        UnaryOperator::PGSquareRoot
        | UnaryOperator::PGCubeRoot
        | UnaryOperator::PGAbs
        | UnaryOperator::BitwiseNot => {
            std::mem::replace(operand.as_mut(), Expr::value(Value::Null))
        }
        _ => return false,
    };
    let as_float8 = |operand| Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(operand),
        data_type: SqlType::DoublePrecision,
        array: false,
        format: None,
    };
    *expr = match op {
        UnaryOperator::PGSquareRoot => call("sqrt", vec![as_float8(operand)]),
        UnaryOperator::PGCubeRoot => call("cbrt", vec![as_float8(operand)]),
        UnaryOperator::PGAbs => call("abs", vec![operand]),
        _ => Expr::BinaryOp {
            left: Box::new(operand),
            op: BinaryOperator::PGBitwiseXor,
            right: Box::new(Expr::value(Value::Number("-1".into(), false))),
        },
    };
    true
}

/// `(s1, e1) OVERLAPS (s2, e2)` → `overlaps(s1, e1, s2, e2)` (DataFusion plans no tuples).
/// Claims an OVERLAPS of two pairs.
pub(super) fn overlaps(expr: &mut Expr) -> bool {
    let Expr::BinaryOp {
        left,
        op: BinaryOperator::Overlaps,
        right,
    } = expr
    else {
        return false;
    };
    let (Expr::Tuple(first), Expr::Tuple(second)) = (left.as_mut(), right.as_mut()) else {
        return false;
    };
    if first.len() != 2 || second.len() != 2 {
        return false;
    }
    let args = first.drain(..).chain(second.drain(..)).collect();
    *expr = call("overlaps", args);
    true
}

/// `ts AT TIME ZONE zone` → `timezone(zone, ts)`, PostgreSQL's function for it (DataFusion's
/// `AT TIME ZONE` relabels the zone without converting). Claims every AT TIME ZONE.
pub(super) fn at_time_zone(expr: &mut Expr) -> bool {
    let Expr::AtTimeZone {
        timestamp,
        time_zone,
    } = expr
    else {
        return false;
    };
    let timestamp = std::mem::replace(timestamp.as_mut(), Expr::value(Value::Null));
    let zone = std::mem::replace(time_zone.as_mut(), Expr::value(Value::Null));
    *expr = call("timezone", vec![zone, timestamp]);
    true
}

/// `x COLLATE c` → `x`. Claims every COLLATE.
pub(super) fn collate(expr: &mut Expr) -> bool {
    let Expr::Collate { expr: inner, .. } = expr else {
        return false;
    };
    let inner = std::mem::replace(inner.as_mut(), Expr::value(Value::Null));
    *expr = inner;
    true
}

/// `a OPERATOR(pg_catalog.op) b` → `a op b`. Claims every binary operation.
pub(super) fn custom_operator(expr: &mut Expr) -> bool {
    let Expr::BinaryOp { op, .. } = expr else {
        return false;
    };
    if let BinaryOperator::PGCustomBinaryOperator(parts) = op
        && let Some(plain) = operator(parts)
    {
        *op = plain;
    }
    true
}

/// A LIKE pattern that escapes with `escape` rewritten to escape with `\`.
pub(crate) fn with_backslash_escape(pattern: &str, escape: char) -> String {
    let mut out = String::with_capacity(pattern.len() + 2);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == escape {
            if let Some(next) = chars.next() {
                out.push('\\');
                out.push(next);
            }
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn operator(parts: &[String]) -> Option<BinaryOperator> {
    let op = match parts {
        [op] => op.as_str(),
        [schema, op] if schema.eq_ignore_ascii_case("pg_catalog") => op.as_str(),
        _ => return None,
    };
    Some(match op {
        "~" => BinaryOperator::PGRegexMatch,
        "~*" => BinaryOperator::PGRegexIMatch,
        "!~" => BinaryOperator::PGRegexNotMatch,
        "!~*" => BinaryOperator::PGRegexNotIMatch,
        "=" => BinaryOperator::Eq,
        "<>" | "!=" => BinaryOperator::NotEq,
        "<" => BinaryOperator::Lt,
        "<=" => BinaryOperator::LtEq,
        ">" => BinaryOperator::Gt,
        ">=" => BinaryOperator::GtEq,
        "+" => BinaryOperator::Plus,
        "-" => BinaryOperator::Minus,
        "*" => BinaryOperator::Multiply,
        "/" => BinaryOperator::Divide,
        "||" => BinaryOperator::StringConcat,
        _ => return None,
    })
}
