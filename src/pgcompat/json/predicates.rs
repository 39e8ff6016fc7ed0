//! jsonb's tests: `a @> b` (`jsonb_contains`), `a <@ b` (`jsonb_contained`), `j ? key`
//! (`jsonb_exists`: a key, or a string element of an array), `j ?| keys` and `j ?& keys`
//! (`jsonb_exists_any`, `jsonb_exists_all`), and `=`/`<>` of jsonb values (`jsonb_eq`,
//! `jsonb_ne`: numbers by value, so `1.0` equals `1.00`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, JsonType, all_scalar, columnar, is_null, texts};
use crate::pgcompat::literal_types::parse_array_literal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Predicate {
    Contains,
    Contained,
    Exists,
    ExistsAny,
    ExistsAll,
    Equal,
    NotEqual,
}

impl Predicate {
    pub fn name(self) -> &'static str {
        match self {
            Predicate::Contains => "jsonb_contains",
            Predicate::Contained => "jsonb_contained",
            Predicate::Exists => "jsonb_exists",
            Predicate::ExistsAny => "jsonb_exists_any",
            Predicate::ExistsAll => "jsonb_exists_all",
            Predicate::Equal => "jsonb_eq",
            Predicate::NotEqual => "jsonb_ne",
        }
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Predicate::Contains => (
                "Whether the first jsonb value contains the second (the @> operator).",
                "jsonb_contains(a, b)",
            ),
            Predicate::Contained => (
                "Whether the first jsonb value is contained in the second (the <@ operator).",
                "jsonb_contained(a, b)",
            ),
            Predicate::Exists => (
                "Whether the text is a top-level key or string element (the ? operator).",
                "jsonb_exists(j, key)",
            ),
            Predicate::ExistsAny => (
                "Whether any of the texts is a top-level key or string element (the ?| operator).",
                "jsonb_exists_any(j, keys)",
            ),
            Predicate::ExistsAll => (
                "Whether all of the texts are top-level keys or string elements (the ?& operator).",
                "jsonb_exists_all(j, keys)",
            ),
            Predicate::Equal => (
                "Whether two jsonb values are equal (the = operator).",
                "jsonb_eq(a, b)",
            ),
            Predicate::NotEqual => (
                "Whether two jsonb values differ (the <> operator).",
                "jsonb_ne(a, b)",
            ),
        }
    }
}

#[derive(Debug)]
pub struct JsonbPredicate {
    name: &'static str,
    predicate: Predicate,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonbPredicate);

impl JsonbPredicate {
    pub fn all() -> Vec<JsonbPredicate> {
        use Predicate as P;
        [
            P::Contains,
            P::Contained,
            P::Exists,
            P::ExistsAny,
            P::ExistsAll,
            P::Equal,
            P::NotEqual,
        ]
        .into_iter()
        .map(|predicate| {
            let (what, syntax) = predicate.describe();
            JsonbPredicate {
                name: predicate.name(),
                predicate,
                signature: Signature::any(2, Volatility::Immutable),
                documentation: Documentation::builder(DOC_SECTION, what, syntax).build(),
            }
        })
        .collect()
    }
}

/// A text[] argument's elements per row (`None` where NULL): a list, or text in
/// PostgreSQL's array syntax.
pub(super) fn text_lists(arg: &ColumnarValue, rows: usize) -> Result<Vec<Option<Vec<String>>>> {
    let array = arg.to_array(rows)?;
    let list = |values: ArrayRef| -> Result<Vec<String>> {
        let values = cast(&values, &DataType::Utf8)?;
        Ok(values
            .as_string::<i32>()
            .iter()
            .flatten()
            .map(str::to_string)
            .collect())
    };
    match array.data_type() {
        DataType::List(_) | DataType::LargeList(_) => (0..rows)
            .map(|row| {
                if is_null(array.as_ref(), row) {
                    return Ok(None);
                }
                list(match array.data_type() {
                    DataType::LargeList(_) => array.as_list::<i64>().value(row),
                    _ => array.as_list::<i32>().value(row),
                })
                .map(Some)
            })
            .collect(),
        _ => texts(arg, rows)?
            .iter()
            .map(|text| match text {
                None => Ok(None),
                Some(text) => match parse_array_literal(text) {
                    Some(elements) => Ok(Some(elements.into_iter().flatten().collect())),
                    None => exec_err!("malformed array literal: \"{text}\""),
                },
            })
            .collect(),
    }
}

impl ScalarUDFImpl for JsonbPredicate {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let [document, other] = take_function_args(self.name, args.args)?;
        let documents = texts(&document, rows)?;
        let mut out = BooleanBuilder::with_capacity(rows);
        use Predicate as P;
        match self.predicate {
            P::Contains | P::Contained | P::Equal | P::NotEqual => {
                let others = texts(&other, rows)?;
                for row in 0..rows {
                    if documents.is_null(row) || others.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    let a = JsonType::Jsonb.read(documents.value(row))?;
                    let b = JsonType::Jsonb.read(others.value(row))?;
                    out.append_value(match self.predicate {
                        P::Contains => a.contains(&b),
                        P::Contained => b.contains(&a),
                        P::Equal => a.equals(&b),
                        _ => !a.equals(&b),
                    });
                }
            }
            P::Exists => {
                let keys = texts(&other, rows)?;
                for row in 0..rows {
                    if documents.is_null(row) || keys.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    let j = JsonType::Jsonb.read(documents.value(row))?;
                    out.append_value(j.has_key(keys.value(row)));
                }
            }
            P::ExistsAny | P::ExistsAll => {
                let keys = text_lists(&other, rows)?;
                for (row, keys) in keys.iter().enumerate() {
                    let Some(keys) = keys.as_ref().filter(|_| !documents.is_null(row)) else {
                        out.append_null();
                        continue;
                    };
                    let j = JsonType::Jsonb.read(documents.value(row))?;
                    out.append_value(match self.predicate {
                        P::ExistsAny => keys.iter().any(|k| j.has_key(k)),
                        _ => keys.iter().all(|k| j.has_key(k)),
                    });
                }
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}
