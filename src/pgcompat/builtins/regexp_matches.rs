//! `regexp_matches_array(text, pattern [, flags])`: every match `regexp_matches` returns, as
//! one array of arrays — the capture groups of each match (the whole match where the
//! pattern has none), a group that took no part NULL; only the first match without flag `g`.
//! PostgreSQL's `regexp_matches` is set-returning, one row per match and none without one:
//! the rewrite's [`set_returning`](crate::pgcompat::rewrite) pass calls it `unnest` of this.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::regexp_split_to_array::for_each_row;
use super::{DOC_SECTION, all_scalar, columnar};

const NAME: &str = "regexp_matches_array";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The matches of a regular expression, each as the array of its capture groups (the \
         whole match without groups); only the first unless flags has g. regexp_matches \
         returns them as rows.",
        "regexp_matches_array(text, pattern [, flags])",
    )
    .with_argument("text", "The text to search.")
    .with_argument("pattern", "A regular expression.")
    .with_argument("flags", "`g` for every match, `i` to ignore case.")
    .with_sql_example(
        "```sql\n> SELECT regexp_matches_array('foobarbequebaz', 'ba.', 'g');\n+---------------------+\n| regexp_matches_array |\n+---------------------+\n| [[bar], [baz]]      |\n+---------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RegexpMatchesArray {
    signature: Signature,
}

impl RegexpMatchesArray {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

fn text_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

impl ScalarUDFImpl for RegexpMatchesArray {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let text = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null
            )
        };
        match arg_types {
            [_, _] | [_, _, _] if arg_types.iter().all(text) => Ok(DataType::List(Arc::new(
                Field::new_list_field(text_list(), true),
            ))),
            other => exec_err!("regexp_matches takes (text, pattern [, flags]), not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let mut out = ListBuilder::new(ListBuilder::new(StringBuilder::new()));
        for_each_row(&args, |row| {
            let Some((regex, text, global)) = row else {
                out.append_null();
                return Ok(());
            };
            let wanted = if global { usize::MAX } else { 1 };
            for captures in regex.captures_iter(text).take(wanted) {
                let groups = out.values();
                if captures.len() == 1 {
                    groups
                        .values()
                        .append_option(captures.get(0).map(|m| m.as_str()));
                } else {
                    for group in captures.iter().skip(1) {
                        groups.values().append_option(group.map(|m| m.as_str()));
                    }
                }
                groups.append(true);
            }
            out.append(true);
            Ok(())
        })?;
        let lists: ArrayRef = Arc::new(out.finish());
        columnar(lists, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
