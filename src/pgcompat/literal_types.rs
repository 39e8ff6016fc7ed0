//! PostgreSQL gives a quoted literal no type until its context does: `attisdropped = 'f'`
//! compares booleans, `polroles = '{0}'` compares arrays. DataFusion types `'f'` as text and
//! refuses to compare it with a boolean or a list, so this analyzer rule, run before
//! DataFusion's type coercion, turns such a literal into a value of the other side's type.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::BinaryExpr;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, Operator};
use datafusion::optimizer::AnalyzerRule;

#[derive(Debug, Default)]
pub struct UnknownLiterals;

impl AnalyzerRule for UnknownLiterals {
    fn name(&self) -> &str {
        "pg_unknown_literals"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        super::cast_rules::rewrite_expressions(plan, |e, schema| match e {
            Expr::BinaryExpr(BinaryExpr { left, op, right }) if is_comparison(*op) => {
                let (left, right, changed) =
                    retype(left.as_ref().clone(), right.as_ref().clone(), schema);
                changed.then(|| {
                    Expr::BinaryExpr(BinaryExpr {
                        left: Box::new(left),
                        op: *op,
                        right: Box::new(right),
                    })
                })
            }
            _ => None,
        })
    }
}

/// `=`, `<>`, `<`, `<=`, `>`, `>=` and IS [NOT] DISTINCT FROM.
pub(super) fn is_comparison(op: Operator) -> bool {
    matches!(
        op,
        Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
            | Operator::IsDistinctFrom
            | Operator::IsNotDistinctFrom
    )
}

fn text_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Literal(ScalarValue::Utf8(Some(s)) | ScalarValue::Utf8View(Some(s)), _) => Some(s),
        _ => None,
    }
}

/// Retypes whichever side is a text literal to the other side's type, where that type is one
/// DataFusion cannot compare with text.
fn retype(left: Expr, right: Expr, schema: &DFSchema) -> (Expr, Expr, bool) {
    if let Some(text) = text_literal(&right)
        && let Ok(data_type) = left.get_type(schema)
        && let Some(value) = literal_of_type(text, &data_type)
    {
        return (left, Expr::Literal(value, None), true);
    }
    if let Some(text) = text_literal(&left)
        && let Ok(data_type) = right.get_type(schema)
        && let Some(value) = literal_of_type(text, &data_type)
    {
        return (Expr::Literal(value, None), right, true);
    }
    (left, right, false)
}

/// `text` read as a PostgreSQL literal of `data_type`, for booleans and arrays (`{a,b}`).
fn literal_of_type(text: &str, data_type: &DataType) -> Option<ScalarValue> {
    match data_type {
        DataType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "y" | "on" | "1" => Some(ScalarValue::Boolean(Some(true))),
            "f" | "false" | "no" | "n" | "off" | "0" => Some(ScalarValue::Boolean(Some(false))),
            _ => None,
        },
        DataType::List(field) => {
            let elements: Vec<ScalarValue> = parse_array_literal(text)?
                .into_iter()
                .map(|element| match element {
                    None => ScalarValue::try_from(field.data_type()),
                    Some(element) => ScalarValue::Utf8(Some(element)).cast_to(field.data_type()),
                })
                .collect::<Result<_>>()
                .ok()?;
            Some(ScalarValue::List(ScalarValue::new_list(
                &elements,
                field.data_type(),
                field.is_nullable(),
            )))
        }
        _ => None,
    }
}

/// The elements of a one-dimensional PostgreSQL array literal (`{a,"b c",NULL}`), `None`
/// for NULL; `None` overall if `text` is not one.
pub fn parse_array_literal(text: &str) -> Option<Vec<Option<String>>> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut elements = Vec::new();
    if inner.trim().is_empty() {
        return Some(elements);
    }
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut element = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' => element.push(chars.next()?),
                    '"' => break,
                    c => element.push(c),
                }
            }
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '{' || c == '"' {
                    return None;
                }
                element.push(c);
                chars.next();
            }
            element = element.trim().to_string();
        }
        elements.push(if !quoted && element.eq_ignore_ascii_case("null") {
            None
        } else {
            Some(element)
        });
        match chars.next() {
            Some(',') => continue,
            None => return Some(elements),
            Some(_) => return None,
        }
    }
}

/// The members of a multidimensional array literal, `{{1,2},{3,4}}` as `{1,2}` and `{3,4}`
/// (split at the commas between its top-level braces, quoted text kept whole); `None` when
/// the literal's members are not themselves braced.
pub fn split_nested_array_literal(text: &str) -> Option<Vec<&str>> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    if !inner.trim_start().starts_with('{') {
        return None;
    }
    let (mut members, mut depth, mut quoted, mut escaped, mut start) =
        (Vec::new(), 0, false, false, 0);
    for (at, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '{' if !quoted => depth += 1,
            '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                members.push(inner[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    members.push(inner[start..].trim());
    members
        .iter()
        .all(|m| m.starts_with('{') && m.ends_with('}'))
        .then_some(members)
}

/// The rule, for the session state builder.
pub fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(UnknownLiterals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_take_the_other_sides_type() {
        assert_eq!(
            literal_of_type("f", &DataType::Boolean),
            Some(ScalarValue::Boolean(Some(false)))
        );
        assert_eq!(literal_of_type("maybe", &DataType::Boolean), None);
        let list = DataType::new_list(DataType::UInt32, true);
        let value = literal_of_type("{0, 16384}", &list).unwrap();
        assert_eq!(value.data_type(), list);
        assert_eq!(value.to_string(), "[0, 16384]");
        assert_eq!(literal_of_type("{x}", &list), None);
        assert_eq!(literal_of_type("0", &DataType::Int64), None);
        assert_eq!(
            parse_array_literal(r#"{a, "b,c" ,NULL,"NULL","q\"x"}"#).unwrap(),
            [
                Some("a".to_string()),
                Some("b,c".to_string()),
                None,
                Some("NULL".to_string()),
                Some("q\"x".to_string())
            ]
        );
        assert_eq!(parse_array_literal("{}").unwrap(), []);
        assert_eq!(parse_array_literal("{a"), None);
        assert_eq!(parse_array_literal("{{1},{2}}"), None);
    }
}
