//! `similar_to_escape(pattern [, escape])`: a SQL-standard `SIMILAR TO` pattern as the
//! POSIX-style regular expression that matches the same strings, as PostgreSQL computes it.
//! PostgreSQL runs `x SIMILAR TO p ESCAPE e` as `x ~ similar_to_escape(p, e)`, and so does
//! custlake (the rewrite [`crate::pgcompat::rewrite`] makes that call): the pattern must
//! match the whole string, `%` is any string, `_` any character, and the regular-expression
//! characters that mean something else in SIMILAR TO (`.`, `^`, `$`, a backslash) are
//! escaped.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, TypeSignature,
    Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};

const NAME: &str = "similar_to_escape";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Converts a SIMILAR TO pattern to the regular expression that `~` matches the same \
         strings with: anchored at both ends, % as .*, _ as ., and the escape character \
         (default backslash; an empty string for none) quoting the character after it.",
        "similar_to_escape(pattern [, escape])",
    )
    .with_argument("pattern", "The SIMILAR TO pattern.")
    .with_argument("escape", "A single character, or the empty string for none.")
    .with_sql_example(
        "```sql\n> SELECT similar_to_escape('a_c%');\n+--------------------+\n| similar_to_escape  |\n+--------------------+\n| ^(?:a.c.*)$        |\n+--------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SimilarToEscape {
    signature: Signature,
}

impl SimilarToEscape {
    pub fn new() -> Self {
        Self {
            signature: Signature::one_of(
                vec![
                    TypeSignature::Exact(vec![DataType::Utf8]),
                    TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8]),
                ],
                Volatility::Immutable,
            ),
        }
    }
}

impl ScalarUDFImpl for SimilarToEscape {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let patterns = arrays[0].as_string::<i32>();
        let escapes = arrays.get(1).map(|escapes| escapes.as_string::<i32>());
        let mut out = Vec::with_capacity(patterns.len());
        for row in 0..patterns.len() {
            let escape = match escapes {
                None => Some(Some('\\')),
                Some(escapes) if escapes.is_null(row) => None,
                Some(escapes) => {
                    let text = escapes.value(row);
                    let mut chars = text.chars();
                    match (chars.next(), chars.next()) {
                        (None, _) => Some(None),
                        (Some(c), None) => Some(Some(c)),
                        _ => {
                            return exec_err!(
                                "invalid escape string: {text:?} (it must be empty or one character)"
                            );
                        }
                    }
                }
            };
            // A NULL pattern or escape: NULL, as PostgreSQL's strict function.
            out.push(match (patterns.is_null(row), escape) {
                (false, Some(escape)) => Some(similar_to_regex(patterns.value(row), escape)?),
                _ => None,
            });
        }
        let array: ArrayRef = Arc::new(StringArray::from(out));
        columnar(array, all_scalar(&args.args))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// The regular expression for one SIMILAR TO pattern, following PostgreSQL's
/// `similar_escape_internal`: outside a bracket expression `%` and `_` become `.*` and `.`,
/// a group `(` does not capture, and `.`, `^`, `$` and a backslash that is not the escape are
/// literal; the escape character makes the next character literal, except that a doubled
/// escaped quote (`\"…\"`) marks the part `substring(… SIMILAR …)` returns, which here only
/// groups.
fn similar_to_regex(pattern: &str, escape: Option<char>) -> Result<String> {
    let mut out = String::from("^(?:");
    let mut in_brackets = false;
    let mut bracket_start = false;
    let mut quotes = 0;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            let Some(next) = chars.next() else {
                return exec_err!(
                    "invalid SIMILAR TO pattern {pattern:?}: it ends with the escape character"
                );
            };
            if next == '"' && !in_brackets {
                quotes += 1;
                match quotes {
                    1 => out.push_str("){1,1}?("),
                    2 => out.push_str("){1,1}(?:"),
                    _ => {
                        return exec_err!(
                            "invalid SIMILAR TO pattern {pattern:?}: more than two escape-double-quote separators"
                        );
                    }
                }
            } else {
                match escaped_regex(next) {
                    "" => {
                        out.push('\\');
                        out.push(next);
                    }
                    boundary => out.push_str(boundary),
                }
            }
            bracket_start = false;
            continue;
        }
        if in_brackets {
            // `]` right after `[` or `[^` is a member, not the end.
            if c == ']' && !bracket_start {
                in_brackets = false;
            } else if c == '\\' {
                out.push('\\');
            }
            bracket_start = c == '^' && bracket_start;
            out.push(c);
            continue;
        }
        match c {
            '[' => {
                in_brackets = true;
                bracket_start = true;
                out.push('[');
            }
            '(' => out.push_str("(?:"),
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '\\' | '.' | '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push_str(")$");
    Ok(out)
}

/// The Rust regex for PostgreSQL's word-boundary escapes (`\m` a word's start, `\M` its end,
/// `\y` either, `\Y` neither), which Rust spells otherwise; empty for any other escape.
fn escaped_regex(c: char) -> &'static str {
    match c {
        'm' => r"\b{start}",
        'M' => r"\b{end}",
        'y' => r"\b",
        'Y' => r"\B",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::similar_to_regex;

    #[test]
    fn patterns_become_anchored_regular_expressions() {
        let regex = |p: &str| similar_to_regex(p, Some('\\')).unwrap();
        assert_eq!(regex("abc"), "^(?:abc)$");
        assert_eq!(regex("a%_c"), "^(?:a.*.c)$");
        assert_eq!(regex("(b|c)%"), "^(?:(?:b|c).*)$");
        assert_eq!(regex("a.b$"), "^(?:a\\.b\\$)$");
        assert_eq!(regex("\\%x"), "^(?:\\%x)$");
        assert_eq!(regex("[%_]x"), "^(?:[%_]x)$");
        assert_eq!(regex("[]a]%"), "^(?:[]a].*)$");
        assert_eq!(similar_to_regex("#%a", Some('#')).unwrap(), "^(?:\\%a)$");
        assert_eq!(similar_to_regex("a\\b", None).unwrap(), "^(?:a\\\\b)$");
        assert!(similar_to_regex("ab\\", Some('\\')).is_err());
        assert_eq!(regex("%\\mabc\\M%"), "^(?:.*\\b{start}abc\\b{end}.*)$");
    }
}
