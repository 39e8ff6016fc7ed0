//! `regexp_split_to_array(text, pattern [, flags])`: the text split at each match of the
//! pattern, as PostgreSQL splits it: a match of no characters at the start or end of the
//! text, or right after the previous match, splits nothing (so an empty pattern splits
//! between characters); flag `i` ignores case. `regexp_split_to_table` is `unnest` of it
//! (the rewrite's [`set_returning`](crate::pgcompat::rewrite) pass). DataFusion has neither.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use regex::{Regex, RegexBuilder};

use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};

const NAME: &str = "regexp_split_to_array";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Splits the text at each match of the regular expression; an empty pattern splits it \
         into characters.",
        "regexp_split_to_array(text, pattern [, flags])",
    )
    .with_argument("text", "The text to split.")
    .with_argument("pattern", "A regular expression.")
    .with_argument("flags", "`i` to ignore case.")
    .with_sql_example(
        "```sql\n> SELECT regexp_split_to_array('hello world', '\\s+');\n+---------------+\n| regexp_split_to_array |\n+---------------+\n| [hello, world] |\n+---------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RegexpSplitToArray {
    signature: Signature,
}

impl RegexpSplitToArray {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null
    )
}

/// `pattern` compiled with PostgreSQL's flags (`i`, `c`, `n`, `m`, `s`); others are refused (22023).
pub(super) fn compiled(pattern: &str, flags: &str) -> Result<Regex> {
    let mut builder = RegexBuilder::new(pattern);
    for flag in flags.chars() {
        match flag {
            'i' => builder.case_insensitive(true),
            'c' => builder.case_insensitive(false),
            'n' | 'm' => builder.multi_line(true),
            's' => builder.dot_matches_new_line(true),
            other => {
                return Err(DataFusionError::External(Box::new(SqlError::new(
                    sqlstate::INVALID_PARAMETER_VALUE,
                    format!("invalid regular expression option: \"{other}\""),
                ))));
            }
        };
    }
    builder.build().map_err(|error| {
        DataFusionError::External(Box::new(SqlError::new(
            sqlstate::INVALID_REGULAR_EXPRESSION,
            format!("invalid regular expression: {error}"),
        )))
    })
}

/// Calls `each` for every row of a `(text, pattern [, flags])` call: `None` where an argument
/// is NULL, else the pattern compiled with the flags (once per distinct pattern), the text,
/// and whether flag `g` (every match) was given.
pub(super) fn for_each_row(
    args: &ScalarFunctionArgs,
    mut each: impl FnMut(Option<(&Regex, &str, bool)>) -> Result<()>,
) -> Result<()> {
    let arrays = args
        .args
        .iter()
        .map(|a| Ok(cast(&a.to_array(args.number_rows)?, &DataType::Utf8)?))
        .collect::<Result<Vec<ArrayRef>>>()?;
    let texts = arrays[0].as_string::<i32>();
    let patterns = arrays[1].as_string::<i32>();
    let flags = arrays.get(2).map(|f| f.as_string::<i32>());
    let mut regex: Option<(String, Regex)> = None;
    for row in 0..texts.len() {
        let flag = flags.map(|f| (f.is_null(row), f.value(row)));
        if texts.is_null(row) || patterns.is_null(row) || flag.is_some_and(|(null, _)| null) {
            each(None)?;
            continue;
        }
        let flag = flag.map_or("", |(_, f)| f);
        let global = flag.contains('g');
        let others: String = flag.chars().filter(|c| *c != 'g').collect();
        // The cache's key: the flags, then the pattern (a NUL cannot be in either).
        let key = format!("{others}\0{}", patterns.value(row));
        let regex = made_for(&mut regex, &key, |_| compiled(patterns.value(row), &others))?;
        each(Some((regex, texts.value(row), global)))?;
    }
    Ok(())
}

/// The pieces of `text` between the matches of `regex` that split it.
fn pieces<'t>(regex: &Regex, text: &'t str) -> Vec<&'t str> {
    let mut pieces = Vec::new();
    let (mut start, mut previous_end) = (0, None);
    for found in regex.find_iter(text) {
        let empty = found.start() == found.end();
        if empty
            && (found.start() == 0
                || found.start() == text.len()
                || Some(found.start()) == previous_end)
        {
            continue;
        }
        pieces.push(&text[start..found.start()]);
        start = found.end();
        previous_end = Some(found.end());
    }
    pieces.push(&text[start..]);
    pieces
}

impl ScalarUDFImpl for RegexpSplitToArray {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [_, _] | [_, _, _] if arg_types.iter().all(is_text) => Ok(DataType::List(Arc::new(
                Field::new_list_field(DataType::Utf8, true),
            ))),
            other => exec_err!("{NAME} takes (text, pattern [, flags]), not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let mut out = ListBuilder::new(StringBuilder::new());
        for_each_row(&args, |row| {
            match row {
                None => out.append_null(),
                Some((_, _, true)) => {
                    return Err(DataFusionError::External(Box::new(SqlError::new(
                        sqlstate::INVALID_PARAMETER_VALUE,
                        format!("{NAME}() does not support the \"global\" option"),
                    ))));
                }
                Some((regex, text, false)) => {
                    for piece in pieces(regex, text) {
                        out.values().append_value(piece);
                    }
                    out.append(true);
                }
            }
            Ok(())
        })?;
        let lists: ArrayRef = Arc::new(out.finish());
        columnar(lists, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, pattern: &str) -> Vec<String> {
        pieces(&compiled(pattern, "").unwrap(), text)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn splits_as_postgres_does() {
        assert_eq!(split("the quick  brown", r"\s+"), ["the", "quick", "brown"]);
        assert_eq!(split("abc", ""), ["a", "b", "c"]);
        assert_eq!(split("abc", "x*"), ["a", "b", "c"]);
        assert_eq!(split(",a,", ","), ["", "a", ""]);
        assert_eq!(split("", ","), [""]);
    }
}
