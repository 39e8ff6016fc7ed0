//! PostgreSQL's text functions DataFusion lacks or writes differently: `quote_ident`,
//! `quote_literal`, `quote_nullable`, `parse_ident`, `format`, `json_build_object`, and `like_pattern_escaped_by` (a LIKE pattern
//! with another escape character, escaped with `\`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListBuilder, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::args::texts;
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "parse_ident",
            B::ParseIdent,
            &[1, 2],
            DataType::new_list(DataType::Utf8, true),
            "The parts of a qualified identifier, unquoted and case-folded.",
            "parse_ident(qualified_identifier [, strict])",
        ),
        (
            "format",
            B::Format,
            &[1, 2, 3, 4, 5, 6, 7, 8],
            DataType::Utf8,
            "Text from a format string: %s inserts a value as text, %I as an identifier, %L as a literal, %% a percent sign.",
            "format(formatstr [, value ...])",
        ),
        (
            "like_pattern_escaped_by",
            B::LikePattern,
            &[2],
            DataType::Utf8,
            "A LIKE pattern that escapes with the given character, rewritten to escape with a backslash.",
            "like_pattern_escaped_by(pattern, escape)",
        ),
        (
            "json_build_object",
            B::JsonBuildObject,
            &[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20],
            DataType::Utf8,
            "A JSON object of key/value pairs, as JSON text (numbers and booleans unquoted, NULL as null).",
            "json_build_object(key, value [, ...])",
        ),
        (
            "quote_ident",
            B::QuoteIdent,
            &[1],
            DataType::Utf8,
            "An identifier quoted if it needs to be.",
            "quote_ident(text)",
        ),
        (
            "quote_literal",
            B::QuoteLiteral,
            &[1],
            DataType::Utf8,
            "A value as a quoted SQL literal (quotes doubled, backslashes as an E'' string); NULL for NULL.",
            "quote_literal(value)",
        ),
        (
            "quote_nullable",
            B::QuoteNullable,
            &[1],
            DataType::Utf8,
            "A value as a quoted SQL literal, or the text NULL for NULL.",
            "quote_nullable(value)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let a = call.args;
    let array: ArrayRef = match f.behaviour {
        B::ParseIdent => {
            let names = texts(&a[0], rows)?;
            let mut builder = ListBuilder::new(StringBuilder::new())
                .with_field(Arc::new(Field::new_list_field(DataType::Utf8, true)));
            for name in names.iter() {
                match name {
                    Some(name) => {
                        for part in split_identifier(name) {
                            builder.values().append_value(part);
                        }
                        builder.append(true);
                    }
                    None => builder.append(false),
                }
            }
            Arc::new(builder.finish())
        }
        B::Format => {
            let formats = texts(&a[0], rows)?;
            let values = a[1..]
                .iter()
                .map(|arg| texts(arg, rows))
                .collect::<Result<Vec<_>>>()?;
            let mut out = Vec::with_capacity(rows);
            for (row, format) in formats.iter().enumerate() {
                let Some(format) = format else {
                    out.push(None);
                    continue;
                };
                let row_values: Vec<Option<&str>> = values
                    .iter()
                    .map(|v| v.is_valid(row).then(|| v.value(row)))
                    .collect();
                out.push(Some(format_text(format, &row_values)?));
            }
            Arc::new(StringArray::from(out))
        }
        B::LikePattern => {
            let patterns = texts(&a[0], rows)?;
            let escapes = texts(&a[1], rows)?;
            Arc::new(
                patterns
                    .iter()
                    .zip(escapes.iter())
                    .map(|(pattern, escape)| {
                        let pattern = pattern?;
                        Some(match escape.and_then(|e| e.chars().next()) {
                            Some(escape) => {
                                super::super::rewrite::with_backslash_escape(pattern, escape)
                            }
                            None => pattern.to_string(),
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        B::JsonBuildObject => {
            let keys = a
                .iter()
                .step_by(2)
                .map(|arg| texts(arg, rows))
                .collect::<Result<Vec<_>>>()?;
            let values = a
                .iter()
                .skip(1)
                .step_by(2)
                .map(|arg| Ok((texts(arg, rows)?, json_bare(&arg.data_type()))))
                .collect::<Result<Vec<_>>>()?;
            let mut out = Vec::with_capacity(rows);
            for row in 0..rows {
                let mut object = String::from("{");
                for (i, (key, (value, bare))) in keys.iter().zip(&values).enumerate() {
                    if !key.is_valid(row) {
                        return exec_err!(
                            "json_build_object: argument {} cannot be null",
                            2 * i + 1
                        );
                    }
                    if i > 0 {
                        object.push_str(", ");
                    }
                    object.push_str(&json_string(key.value(row)));
                    object.push_str(" : ");
                    if !value.is_valid(row) {
                        object.push_str("null");
                    } else if *bare {
                        object.push_str(value.value(row));
                    } else {
                        object.push_str(&json_string(value.value(row)));
                    }
                }
                object.push('}');
                out.push(Some(object));
            }
            Arc::new(StringArray::from(out))
        }
        B::QuoteIdent => {
            let idents = texts(&a[0], rows)?;
            Arc::new(
                idents
                    .iter()
                    .map(|i| i.map(quote_ident))
                    .collect::<StringArray>(),
            )
        }
        B::QuoteLiteral | B::QuoteNullable => {
            let values = texts(&a[0], rows)?;
            let null = matches!(f.behaviour, B::QuoteNullable).then_some("NULL".to_string());
            Arc::new(
                values
                    .iter()
                    .map(|v| v.map(quote_literal).or_else(|| null.clone()))
                    .collect::<StringArray>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

pub(super) fn quote_ident(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

/// The parts of `a."B".c`: quoted parts as written, unquoted ones in lower case.
pub(super) fn split_identifier(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = name.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c if quoted => current.push(c),
            c => current.extend(c.to_lowercase()),
        }
    }
    parts.push(current);
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// PostgreSQL's `format()`: `%s` (NULL as empty), `%I` (quoted identifier), `%L` (quoted
/// literal, NULL unquoted), `%%`.
pub(super) fn format_text(format: &str, values: &[Option<&str>]) -> Result<String> {
    let mut out = String::with_capacity(format.len());
    let mut next = 0;
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let spec = chars.next();
        if spec == Some('%') {
            out.push('%');
            continue;
        }
        let Some(value) = values.get(next) else {
            return exec_err!("too few arguments for format()");
        };
        next += 1;
        match (spec, value) {
            (Some('s'), v) => out.push_str(v.unwrap_or("")),
            (Some('I'), Some(v)) => out.push_str(&quote_ident(v)),
            (Some('I'), None) => {
                return exec_err!("null values cannot be formatted as an SQL identifier");
            }
            (Some('L'), Some(v)) => out.push_str(&quote_literal(v)),
            (Some('L'), None) => out.push_str("NULL"),
            (other, _) => {
                return exec_err!(
                    "unrecognized format() type specifier \"{}\"",
                    other.map(String::from).unwrap_or_default()
                );
            }
        }
    }
    Ok(out)
}

/// Whether values of `data_type` are written into JSON as they are (numbers, booleans).
pub(super) fn json_bare(data_type: &DataType) -> bool {
    data_type.is_numeric() || *data_type == DataType::Boolean
}

/// A JSON string literal.
pub(super) fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string as a SQL literal, as PostgreSQL's `quote_literal` writes it: quotes doubled, and
/// a value with a backslash written as an escape string (`E'C:\\x'`) with the backslashes
/// doubled.
fn quote_literal(value: &str) -> String {
    let quoted = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}
