//! PostgreSQL's `json` and `jsonb`: the types, their operators and functions.
//!
//! Both types are Arrow strings marked by field metadata (an Arrow extension type: the
//! canonical `arrow.json` for `json`, `custlake.jsonb` for `jsonb`), so a client is told
//! `json` or `jsonb` and the operator planner knows `jsonb || jsonb` from text concatenation.
//! A cast to text drops the mark, as DataFusion strips extension metadata on casts. What
//! each type keeps of the text is in [`value`].
//!
//! The functions, grouped as PostgreSQL's documentation groups them (each module lists its
//! own):
//! - [`input`]: `json(x)` and `jsonb(x)`, which `::json` and `::jsonb` become;
//! - [`access`]: `->`, `->>`, `#>`, `#>>` and the `*_extract_path` functions;
//! - [`predicates`]: `@>`, `<@`, `?`, `?|`, `?&` and jsonb equality;
//! - [`modify`]: `||`, `-`, `#-`, `jsonb_set`, `jsonb_insert`, `*_strip_nulls`;
//! - [`build`]: `to_json`, `*_build_object`, `*_build_array`, `row_to_json`,
//!   `array_to_json`, `json_object` (the values' JSON form is [`render`]'s);
//! - [`inspect`]: `*_typeof`, `*_array_length`, `jsonb_pretty`, and the arrays behind the
//!   set-returning `*_object_keys`, `*_array_elements` and `*_each`;
//! - [`aggregates`]: `json_agg`, `jsonb_agg`, `json_object_agg`, `jsonb_object_agg`;
//! - [`ordering`]: the refusal of ORDER BY, `min`/`max` and (for json) grouping of JSON values.
//!
//! datafusion-functions-json was considered and not taken: its `->` returns a union of
//! scalar kinds rather than `json`, its functions have neither PostgreSQL's names nor its
//! answers (containment, key order, number scale), and a text that is not JSON gives NULL
//! where PostgreSQL gives an error.

mod access;
mod aggregates;
mod build;
mod input;
mod inspect;
mod modify;
mod ordering;
mod predicates;
pub(crate) mod render;
pub(crate) mod value;

pub use ordering::JsonOrdering;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{DataFusionError, Result};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::{ColumnarValue, DocSection, ScalarUDF};

use crate::error::SqlError;
use value::Json;

// A call's result is a scalar where every argument was one, as the other builtins do it.
pub(super) use super::builtins::{all_scalar, columnar};

const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "JSON Functions",
    description: Some("PostgreSQL's json and jsonb functions, as PostgreSQL computes them."),
};

/// The metadata key Arrow names extension types by.
const EXTENSION_KEY: &str = "ARROW:extension:name";

/// Which of PostgreSQL's two JSON types a string column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    Json,
    Jsonb,
}

impl JsonType {
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Json => "json",
            JsonType::Jsonb => "jsonb",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            JsonType::Json => "arrow.json",
            JsonType::Jsonb => "custlake.jsonb",
        }
    }

    /// The JSON type a field is marked with, if any.
    pub fn of(field: &Field) -> Option<JsonType> {
        if !matches!(
            field.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ) {
            return None;
        }
        match field.metadata().get(EXTENSION_KEY).map(String::as_str) {
            Some("arrow.json") => Some(JsonType::Json),
            Some("custlake.jsonb") => Some(JsonType::Jsonb),
            _ => None,
        }
    }

    /// A nullable string field of this type.
    pub fn field(self, name: &str) -> Field {
        Field::new(name, DataType::Utf8, true).with_metadata(HashMap::from([(
            EXTENSION_KEY.to_string(),
            self.extension().to_string(),
        )]))
    }

    /// Reads a value of this type, or a text to be read as one.
    fn read(self, text: &str) -> Result<Json> {
        let value = value::parse(text).map_err(sql)?;
        match self {
            JsonType::Json => Ok(value),
            JsonType::Jsonb => value.into_jsonb().map_err(sql),
        }
    }

    /// The text of a value made by a function of this result type: jsonb's normal form, or
    /// for `json` the compact form PostgreSQL's json functions write.
    fn write(self, value: &Json) -> String {
        match self {
            JsonType::Jsonb => value.to_jsonb_text(),
            JsonType::Json => {
                let mut out = Vec::new();
                value.write_with(&mut out, value::Separators::COMPACT);
                value::utf8(out)
            }
        }
    }
}

/// A refusal with a SQLSTATE, as DataFusion carries it.
pub(crate) fn sql(error: SqlError) -> DataFusionError {
    DataFusionError::from(error)
}

/// An argument's values as text, whatever string type it came as.
fn texts(arg: &ColumnarValue, rows: usize) -> Result<StringArray> {
    let array = arg.to_array(rows)?;
    let array: ArrayRef = match array.data_type() {
        DataType::Utf8 => array,
        _ => cast(&array, &DataType::Utf8)?,
    };
    Ok(array.as_string::<i32>().clone())
}

/// Whether the array's value at `i` is NULL.
fn is_null(array: &dyn Array, i: usize) -> bool {
    array.logical_nulls().is_some_and(|n| n.is_null(i))
}

/// Registers the JSON functions and aggregates.
pub fn register(state: &mut SessionState) -> Result<()> {
    let scalars: Vec<ScalarUDF> = input::JsonIn::all()
        .into_iter()
        .map(ScalarUDF::new_from_impl)
        .chain(
            access::JsonGet::all()
                .into_iter()
                .map(ScalarUDF::new_from_impl),
        )
        .chain(
            predicates::JsonbPredicate::all()
                .into_iter()
                .map(ScalarUDF::new_from_impl),
        )
        .chain(
            modify::JsonbModify::all()
                .into_iter()
                .map(ScalarUDF::new_from_impl),
        )
        .chain(
            build::JsonBuild::all()
                .into_iter()
                .map(ScalarUDF::new_from_impl),
        )
        .chain(
            inspect::JsonInspect::all()
                .into_iter()
                .map(ScalarUDF::new_from_impl),
        )
        .collect();
    for function in scalars {
        state.register_udf(Arc::new(function))?;
    }
    for aggregate in aggregates::JsonAgg::all() {
        state.register_udaf(Arc::new(
            datafusion::logical_expr::AggregateUDF::new_from_impl(aggregate),
        ))?;
    }
    Ok(())
}
