//! Operators PostgreSQL writes differently: `a OPERATOR(pg_catalog.~) b` is `a ~ b`,
//! `x COLLATE "C"` is `x` (there is one collation here), and `x LIKE 'pg/_%' ESCAPE '/'`
//! escapes with `\`, the only escape DataFusion knows: a literal pattern (or a concatenation of
//! literals) is rewritten here, any other pattern when the query runs
//! (`like_pattern_escaped_by`).

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Value};

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
