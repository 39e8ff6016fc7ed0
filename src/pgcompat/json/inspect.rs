//! What a document holds: `json_typeof` / `jsonb_typeof`, `json_array_length` /
//! `jsonb_array_length`, `jsonb_pretty`, and the arrays behind the set-returning functions,
//! which the rewrite makes the UNNEST of these (as it does `string_to_table`):
//! `*_object_keys` (`*_object_keys_array`), `*_array_elements[_text]`
//! (`*_array_elements[_text]_array`) and `*_each[_text]` (`*_each_keys` beside
//! `*_each_values` or `*_each_text_values`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, Int32Builder, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::value::{self, Json, utf8};
use super::{DOC_SECTION, JsonType, all_scalar, columnar, sql, texts};
use crate::error::{SqlError, sqlstate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Look {
    TypeOf,
    ArrayLength,
    Pretty,
    ObjectKeys,
    /// The elements, as documents or (`true`) as text.
    Elements(bool),
    EachKeys,
    /// The members' values, as documents or (`true`) as text.
    EachValues(bool),
}

#[derive(Debug)]
pub struct JsonInspect {
    name: String,
    look: Look,
    input: JsonType,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonInspect);

impl JsonInspect {
    pub fn all() -> Vec<JsonInspect> {
        let mut all = Vec::new();
        for input in [JsonType::Json, JsonType::Jsonb] {
            let t = input.name();
            let looks: Vec<(String, Look, String)> = vec![
                (
                    format!("{t}_typeof"),
                    Look::TypeOf,
                    format!(
                        "The kind of a {t} value: object, array, string, number, boolean or null."
                    ),
                ),
                (
                    format!("{t}_array_length"),
                    Look::ArrayLength,
                    format!("The number of elements of a {t} array."),
                ),
                (
                    format!("{t}_object_keys_array"),
                    Look::ObjectKeys,
                    format!(
                        "The keys of a {t} object, as an array ({t}_object_keys returns them as rows)."
                    ),
                ),
                (
                    format!("{t}_array_elements_array"),
                    Look::Elements(false),
                    format!(
                        "The elements of a {t} array, as an array ({t}_array_elements returns them as rows)."
                    ),
                ),
                (
                    format!("{t}_array_elements_text_array"),
                    Look::Elements(true),
                    format!(
                        "The elements of a {t} array as text, as an array ({t}_array_elements_text returns them as rows)."
                    ),
                ),
                (
                    format!("{t}_each_keys"),
                    Look::EachKeys,
                    format!("The keys of a {t} object in the order {t}_each returns them."),
                ),
                (
                    format!("{t}_each_values"),
                    Look::EachValues(false),
                    format!("The values of a {t} object in the order {t}_each returns them."),
                ),
                (
                    format!("{t}_each_text_values"),
                    Look::EachValues(true),
                    format!(
                        "The values of a {t} object as text, in the order {t}_each_text returns them."
                    ),
                ),
            ];
            for (name, look, what) in looks {
                all.push(JsonInspect {
                    documentation: Documentation::builder(DOC_SECTION, what, format!("{name}(j)"))
                        .build(),
                    name,
                    look,
                    input,
                    signature: Signature::any(1, Volatility::Immutable),
                });
            }
        }
        all.push(JsonInspect {
            name: "jsonb_pretty".to_string(),
            look: Look::Pretty,
            input: JsonType::Jsonb,
            signature: Signature::any(1, Volatility::Immutable),
            documentation: Documentation::builder(
                DOC_SECTION,
                "A jsonb value as indented text.",
                "jsonb_pretty(j)",
            )
            .build(),
        });
        all
    }

    /// The element field of the arrays this function returns: text, even for documents, as
    /// DataFusion's constant folding drops a list element's metadata.
    fn item(&self) -> Field {
        Field::new("item", DataType::Utf8, true)
    }
}

fn refused(message: String) -> datafusion::error::DataFusionError {
    sql(SqlError::new(sqlstate::INVALID_PARAMETER_VALUE, message))
}

/// "a scalar", "an array" or "an object", as PostgreSQL's messages name a value's kind.
fn kind(value: &Json) -> &'static str {
    match value {
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
        _ => "a scalar",
    }
}

impl ScalarUDFImpl for JsonInspect {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.look {
            Look::TypeOf | Look::Pretty => DataType::Utf8,
            Look::ArrayLength => DataType::Int32,
            _ => DataType::List(Arc::new(self.item())),
        })
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(
            &self.name,
            self.return_type(&[])?,
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let documents = texts(&args.args[0], rows)?;
        let read = |row: usize| self.input.read(documents.value(row));
        let values: Arc<dyn Array> = match self.look {
            Look::TypeOf | Look::Pretty => {
                let mut out = StringBuilder::new();
                for row in 0..rows {
                    if documents.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    let value = read(row)?;
                    match self.look {
                        Look::TypeOf => out.append_value(value.type_name()),
                        _ => {
                            let mut text = Vec::new();
                            pretty(&value.into_jsonb().map_err(sql)?, 0, &mut text);
                            out.append_value(utf8(text));
                        }
                    }
                }
                Arc::new(out.finish())
            }
            Look::ArrayLength => {
                let mut out = Int32Builder::new();
                for row in 0..rows {
                    if documents.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    match read(row)? {
                        Json::Array(elements) => out.append_value(elements.len() as i32),
                        Json::Object(_) => {
                            return Err(refused("cannot get array length of a non-array".into()));
                        }
                        _ => return Err(refused("cannot get array length of a scalar".into())),
                    }
                }
                Arc::new(out.finish())
            }
            _ => {
                let mut out =
                    ListBuilder::new(StringBuilder::new()).with_field(Arc::new(self.item()));
                for row in 0..rows {
                    if documents.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    for item in self.items(documents.value(row))? {
                        out.values().append_option(item);
                    }
                    out.append(true);
                }
                Arc::new(out.finish())
            }
        };
        columnar(values, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

impl JsonInspect {
    /// One document's keys, elements or values, each as this function returns it.
    fn items(&self, document: &str) -> Result<Vec<Option<String>>> {
        let value = self.input.read(document)?;
        let input = self.input.name();
        let wanted_array = matches!(self.look, Look::Elements(_));
        match (&value, wanted_array) {
            (Json::Array(_), true) | (Json::Object(_), false) => {}
            (_, true) => {
                return Err(refused(format!(
                    "cannot extract elements from {}",
                    kind(&value)
                )));
            }
            (_, false) if self.look == Look::ObjectKeys => {
                return Err(refused(format!(
                    "cannot call {input}_object_keys on {}",
                    kind(&value)
                )));
            }
            (_, false) => return Err(refused(format!("cannot call {input}_each on a non-object"))),
        }
        let as_text = matches!(self.look, Look::Elements(true) | Look::EachValues(true));
        // json keeps each element's own text; jsonb writes its normal form.
        let texts: Vec<String> = match self.input {
            JsonType::Json => value::children(document)
                .map_err(sql)?
                .unwrap_or_default()
                .into_iter()
                .map(|(_, span)| document[span].to_string())
                .collect(),
            JsonType::Jsonb => match &value {
                Json::Array(elements) => elements.iter().map(Json::to_jsonb_text).collect(),
                Json::Object(members) => members.iter().map(|(_, v)| v.to_jsonb_text()).collect(),
                _ => Vec::new(),
            },
        };
        let keys: Vec<String> = match (&value, self.input) {
            (Json::Object(_), JsonType::Json) => value::children(document)
                .map_err(sql)?
                .unwrap_or_default()
                .into_iter()
                .map(|(key, _)| key.unwrap_or_default())
                .collect(),
            (Json::Object(members), JsonType::Jsonb) => {
                members.iter().map(|(k, _)| k.clone()).collect()
            }
            _ => Vec::new(),
        };
        Ok(match self.look {
            Look::ObjectKeys | Look::EachKeys => keys.into_iter().map(Some).collect(),
            _ if as_text => texts
                .iter()
                .map(|t| Ok(value::parse(t).map_err(sql)?.as_text_of(t)))
                .collect::<Result<_>>()?,
            _ => texts.into_iter().map(Some).collect(),
        })
    }
}

/// jsonb_pretty's layout: one member or element per line, four spaces per level, closing
/// brackets on their own line.
fn pretty(value: &Json, depth: usize, out: &mut Vec<u8>) {
    let indent = |out: &mut Vec<u8>, depth: usize| out.extend(std::iter::repeat_n(b' ', depth * 4));
    match value {
        Json::Array(elements) => {
            out.extend_from_slice(b"[\n");
            for (i, element) in elements.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                indent(out, depth + 1);
                pretty(element, depth + 1, out);
            }
            // An empty one too has its closing bracket on a line of its own.
            if !elements.is_empty() {
                out.push(b'\n');
            }
            indent(out, depth);
            out.push(b']');
        }
        Json::Object(members) => {
            out.extend_from_slice(b"{\n");
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                indent(out, depth + 1);
                crate::pgcompat::text_out::put_json_str(out, key.as_bytes());
                out.extend_from_slice(b": ");
                pretty(value, depth + 1, out);
            }
            if !members.is_empty() {
                out.push(b'\n');
            }
            indent(out, depth);
            out.push(b'}');
        }
        other => other.write_jsonb(out),
    }
}
