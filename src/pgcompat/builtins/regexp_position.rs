//! PostgreSQL 15's `regexp_substr` and `regexp_instr`: the N-th match of a regular expression
//! from a start position, as its text or its position, whole or one parenthesized group.
//! DataFusion has no `regexp_substr`, and its `regexp_instr` lacks PostgreSQL's `endoption`
//! (so its longer calls read PostgreSQL's arguments as others); both are PostgreSQL's here.
//! Positions count characters from 1; no match, a missing group or a NULL argument is NULL
//! (`regexp_instr` answers 0 where nothing matches).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Builder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use regex::Regex;

use super::regexp_split_to_array::compiled;
use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Answer {
    /// `regexp_substr(string, pattern [, start [, N [, flags [, subexpr]]]])`.
    Text,
    /// `regexp_instr(string, pattern [, start [, N [, endoption [, flags [, subexpr]]]]])`.
    Position,
}

static SUBSTR_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The text of the N-th match of a regular expression from a start position, or of its \
         subexpr-th parenthesized group; NULL when there is none.",
        "regexp_substr(string, pattern [, start [, N [, flags [, subexpr]]]])",
    )
    .with_argument("start", "The character to search from (1).")
    .with_argument("N", "Which match (1).")
    .with_argument("flags", "PostgreSQL's regular-expression flags (`i`, `c`, `n`, `s`).")
    .with_argument("subexpr", "The group to return; 0 (the default) is the whole match.")
    .with_sql_example(
        "```sql\n> SELECT regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2);\n+--------+\n| substr |\n+--------+\n| FGH    |\n+--------+\n```",
    )
    .build()
});

static INSTR_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The position of the N-th match of a regular expression from a start position (or of \
         its subexpr-th group): its first character, or with endoption 1 the one after it; 0 \
         when there is none.",
        "regexp_instr(string, pattern [, start [, N [, endoption [, flags [, subexpr]]]]])",
    )
    .with_argument("start", "The character to search from (1).")
    .with_argument("N", "Which match (1).")
    .with_argument("endoption", "0 for the match's first character, 1 for the one after it.")
    .with_argument("flags", "PostgreSQL's regular-expression flags (`i`, `c`, `n`, `s`).")
    .with_argument("subexpr", "The group whose position to return; 0 is the whole match.")
    .with_sql_example(
        "```sql\n> SELECT regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i');\n+-------+\n| instr |\n+-------+\n| 3     |\n+-------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RegexpPosition {
    answer: Answer,
    signature: Signature,
}

impl RegexpPosition {
    /// `regexp_substr` and `regexp_instr`.
    pub fn all() -> [Self; 2] {
        [Answer::Text, Answer::Position].map(|answer| Self {
            answer,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    }

    /// The types of the arguments after (string, pattern), in order.
    fn optional_types(&self) -> &'static [DataType] {
        match self.answer {
            Answer::Text => &[
                DataType::Int64,
                DataType::Int64,
                DataType::Utf8,
                DataType::Int64,
            ],
            Answer::Position => &[
                DataType::Int64,
                DataType::Int64,
                DataType::Int64,
                DataType::Utf8,
                DataType::Int64,
            ],
        }
    }
}

/// One row's arguments, with the defaults for those not given.
struct Call<'a> {
    text: &'a str,
    start: i64,
    occurrence: i64,
    after_end: bool,
    subexpr: i64,
}

impl ScalarUDFImpl for RegexpPosition {
    fn name(&self) -> &str {
        match self.answer {
            Answer::Text => "regexp_substr",
            Answer::Position => "regexp_instr",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let optional = self.optional_types();
        if !(2..=2 + optional.len()).contains(&arg_types.len()) {
            return plan_err!(
                "{} takes from 2 to {} arguments, not {}",
                self.name(),
                2 + optional.len(),
                arg_types.len()
            );
        }
        Ok([DataType::Utf8, DataType::Utf8]
            .iter()
            .chain(optional)
            .take(arg_types.len())
            .cloned()
            .collect())
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.answer {
            Answer::Text => DataType::Utf8,
            Answer::Position => DataType::Int64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let arrays = args
            .args
            .iter()
            .map(|a| a.to_array(rows))
            .collect::<Result<Vec<ArrayRef>>>()?;
        // Which argument is which: the flags sit one later in regexp_instr.
        let (flags_at, subexpr_at) = match self.answer {
            Answer::Text => (4, 5),
            Answer::Position => (5, 6),
        };
        let text_at = |i: usize| -> Result<Option<ArrayRef>> {
            arrays
                .get(i)
                .map(|a| Ok(cast(a, &DataType::Utf8)?))
                .transpose()
        };
        let (texts, patterns, flags) = (text_at(0)?, text_at(1)?, text_at(flags_at)?);
        let (Some(texts), Some(patterns)) = (texts, patterns) else {
            return exec_err!("{} takes a string and a pattern", self.name());
        };
        let (texts, patterns) = (texts.as_string::<i32>(), patterns.as_string::<i32>());
        let flags = flags.as_ref().map(|f| f.as_string::<i32>());
        let number = |i: usize| arrays.get(i).map(|a| a.as_primitive::<Int64Type>());
        let (starts, occurrences, subexprs) = (number(2), number(3), number(subexpr_at));
        let end_options = match self.answer {
            Answer::Text => None,
            Answer::Position => number(4),
        };
        let mut regex: Option<(String, Regex)> = None;
        let mut substrings = StringBuilder::new();
        let mut positions = Int64Builder::new();
        for row in 0..rows {
            let null = |a: Option<&dyn Array>| a.is_some_and(|a| a.is_null(row));
            let numbers = [starts, occurrences, end_options, subexprs];
            if texts.is_null(row)
                || patterns.is_null(row)
                || flags.is_some_and(|f| f.is_null(row))
                || numbers.iter().any(|n| null(n.map(|n| n as &dyn Array)))
            {
                substrings.append_null();
                positions.append_null();
                continue;
            }
            let value = |n: Option<&datafusion::arrow::array::Int64Array>, default| {
                n.map_or(default, |n| n.value(row))
            };
            let call = Call {
                text: texts.value(row),
                start: value(starts, 1),
                occurrence: value(occurrences, 1),
                after_end: match value(end_options, 0) {
                    0 => false,
                    1 => true,
                    other => return invalid(format!("invalid endoption: {other}")),
                },
                subexpr: value(subexprs, 0),
            };
            if call.start < 1 {
                return invalid(format!("invalid start: {}", call.start));
            }
            if call.occurrence < 1 {
                return invalid(format!("invalid N: {}", call.occurrence));
            }
            if call.subexpr < 0 {
                return invalid(format!("invalid subexpr: {}", call.subexpr));
            }
            let flag = flags.map_or("", |f| f.value(row));
            if flag.contains('g') {
                return invalid(format!(
                    "{}() does not support the \"global\" option",
                    self.name()
                ));
            }
            let key = format!("{flag}\0{}", patterns.value(row));
            let regex = made_for(&mut regex, &key, |_| compiled(patterns.value(row), flag))?;
            match (self.answer, found(regex, &call)) {
                (Answer::Text, Some((start, end))) => {
                    substrings.append_value(&call.text[start..end])
                }
                (Answer::Text, None) => substrings.append_null(),
                (Answer::Position, Some((start, end))) => {
                    let at = if call.after_end { end } else { start };
                    positions.append_value(call.text[..at].chars().count() as i64 + 1)
                }
                (Answer::Position, None) => positions.append_value(0),
            }
        }
        let answers: ArrayRef = match self.answer {
            Answer::Text => Arc::new(substrings.finish()),
            Answer::Position => Arc::new(positions.finish()),
        };
        columnar(answers, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(match self.answer {
            Answer::Text => &SUBSTR_DOCUMENTATION,
            Answer::Position => &INSTR_DOCUMENTATION,
        })
    }
}

fn invalid<T>(message: String) -> Result<T> {
    Err(SqlError::new(sqlstate::INVALID_PARAMETER_VALUE, message).into())
}

/// The byte range of the call's match (or group): the `occurrence`-th match at or after the
/// `start`-th character, matches not overlapping.
fn found(regex: &Regex, call: &Call<'_>) -> Option<(usize, usize)> {
    let from = match call
        .text
        .char_indices()
        .nth(usize::try_from(call.start - 1).ok()?)
    {
        Some((at, _)) => at,
        None => return None,
    };
    let nth = usize::try_from(call.occurrence - 1).ok()?;
    let captures = regex.captures_iter(&call.text[from..]).nth(nth)?;
    let group = captures.get(usize::try_from(call.subexpr).ok()?)?;
    Some((from + group.start(), from + group.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(
        text: &str,
        pattern: &str,
        start: i64,
        occurrence: i64,
        subexpr: i64,
    ) -> Option<String> {
        let regex = compiled(pattern, "i").unwrap();
        let call = Call {
            text,
            start,
            occurrence,
            after_end: false,
            subexpr,
        };
        found(&regex, &call).map(|(s, e)| text[s..e].to_string())
    }

    #[test]
    fn nth_match_and_group_from_a_start() {
        assert_eq!(
            find("ABCDEFGHI", "(c..)(...)", 1, 1, 2),
            Some("FGH".to_string())
        );
        assert_eq!(
            find("ABCDEFGHI", "(c..)(...)", 1, 1, 0),
            Some("CDEFGH".to_string())
        );
        assert_eq!(find("abcabc", "b", 1, 2, 0), Some("b".to_string()));
        assert_eq!(find("abcabc", "b", 3, 2, 0), None);
        assert_eq!(find("abc", "b", 9, 1, 0), None);
        assert_eq!(find("abc", "(b)", 1, 1, 2), None);
    }
}
