//! PostgreSQL's text functions DataFusion lacks or writes differently: `quote_ident`,
//! `quote_literal`, `quote_nullable`, `parse_ident`, `format`, `json_build_object`, and `like_pattern_escaped_by` (a LIKE pattern
//! with another escape character, escaped with `\`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListBuilder, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{DataFusionError, Result, exec_err, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::args::texts;
use super::{Behaviour as B, Call, PgFunction, Spec};
use crate::error::{SqlError, sqlstate};

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

/// PostgreSQL's `format()`: specifiers `%[position$][-][width]type` with types `s` (NULL as
/// empty), `I` (quoted identifier), `L` (quoted literal, NULL unquoted) and `%%`. A width is
/// digits, `*` (the next argument) or `*n$` (argument n); a negative width or `-` pads on
/// the right. A specifier without a position takes the argument after the last one used.
pub(super) fn format_text(format: &str, values: &[Option<&str>]) -> Result<String> {
    let mut out = String::with_capacity(format.len());
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let spec = FormatSpec::read(&mut chars)?;
        let mut left = spec.left_aligned;
        let mut width = 0usize;
        match spec.width {
            Width::None => {}
            Width::Fixed(n) => width = n,
            Width::Argument(position) => {
                let index = position.map_or(next, |p| p - 1);
                let Some(value) = values.get(index) else {
                    return Err(format_error("too few arguments for format()"));
                };
                next = index + 1;
                // A NULL width is no width, as in PostgreSQL.
                let n: i64 = match value {
                    None => 0,
                    Some(text) => text.trim().parse().map_err(|_| {
                        format_error(format!("invalid input syntax for type integer: \"{text}\""))
                    })?,
                };
                left |= n < 0;
                width = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
            }
        }
        if width > MAX_FORMAT_WIDTH {
            return Err(format_error(format!(
                "format() width {width} is larger than {MAX_FORMAT_WIDTH}"
            )));
        }
        let index = spec.position.map_or(next, |p| p - 1);
        let Some(value) = values.get(index) else {
            return Err(format_error("too few arguments for format()"));
        };
        next = index + 1;
        let text = match (spec.conversion, value) {
            ('s', v) => v.unwrap_or("").to_string(),
            ('I', Some(v)) => quote_ident(v),
            ('I', None) => {
                return Err(format_error(
                    "null values cannot be formatted as an SQL identifier",
                ));
            }
            ('L', Some(v)) => quote_literal(v),
            ('L', None) => "NULL".to_string(),
            (other, _) => {
                return Err(format_error(format!(
                    "unrecognized format() type specifier \"{other}\""
                )));
            }
        };
        let pad = width.saturating_sub(text.chars().count());
        if pad > 0 && !left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(&text);
        if pad > 0 && left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    Ok(out)
}

/// The widest padding `format()` writes: the width comes from the client, so it may not
/// size an allocation unbounded.
const MAX_FORMAT_WIDTH: usize = 1 << 20;

/// One `format()` specifier after its `%`.
struct FormatSpec {
    /// The 1-based argument named by `n$`.
    position: Option<usize>,
    left_aligned: bool,
    width: Width,
    conversion: char,
}

enum Width {
    None,
    Fixed(usize),
    /// `*` (the next argument) or `*n$`.
    Argument(Option<usize>),
}

impl FormatSpec {
    fn read(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Self> {
        let unterminated = || Err(format_error("unterminated format() type specifier"));
        let mut spec = FormatSpec {
            position: None,
            left_aligned: false,
            width: Width::None,
            conversion: ' ',
        };
        // Digits first are a position when a `$` follows, else the width.
        if let Some(n) = read_number(chars)? {
            if chars.peek() == Some(&'$') {
                chars.next();
                spec.position = Some(argument_number(n)?);
            } else {
                spec.width = Width::Fixed(n);
            }
        }
        if matches!(spec.width, Width::None) {
            while chars.peek() == Some(&'-') {
                chars.next();
                spec.left_aligned = true;
            }
            if chars.peek() == Some(&'*') {
                chars.next();
                let position = match read_number(chars)? {
                    Some(n) if chars.peek() == Some(&'$') => {
                        chars.next();
                        Some(argument_number(n)?)
                    }
                    Some(_) => return unterminated(),
                    None => None,
                };
                spec.width = Width::Argument(position);
            } else if let Some(n) = read_number(chars)? {
                spec.width = Width::Fixed(n);
            }
        }
        match chars.next() {
            Some(c) => spec.conversion = c,
            None => return unterminated(),
        }
        Ok(spec)
    }
}

fn read_number(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Option<usize>> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        n = Some(
            n.unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(d as usize))
                .ok_or_else(|| format_error("number is out of range"))?,
        );
    }
    Ok(n)
}

fn argument_number(n: usize) -> Result<usize> {
    if n == 0 {
        return Err(format_error(
            "format specifies argument 0, but arguments are numbered from 1",
        ));
    }
    Ok(n)
}

/// format()'s errors are PostgreSQL's invalid_parameter_value (22023).
fn format_error(message: impl Into<String>) -> DataFusionError {
    SqlError::new(sqlstate::INVALID_PARAMETER_VALUE, message).into()
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
