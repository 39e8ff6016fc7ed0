//! Documents made from SQL values: `to_json(x)` / `to_jsonb(x)`, `json_build_object(k, v,
//! …)` / `jsonb_build_object`, `json_build_array(v, …)` / `jsonb_build_array`,
//! `row_to_json(row)`, `array_to_json(array [, pretty])`, and `json_object(text[])` /
//! `jsonb_object` (alternating keys and values, or keys and values in two arrays).
//!
//! The json forms are written as PostgreSQL writes them: `{"k" : v, "k2" : v2}` and
//! `[v, v2]` for the builders, no spaces for `to_json`, `row_to_json` and `array_to_json`.

use std::sync::Arc;

use datafusion::arrow::array::StringBuilder;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};

use super::predicates::text_lists;
use super::render::JsonColumn;
use super::value::{Json, utf8};
use super::{DOC_SECTION, JsonType, all_scalar, columnar, input::returned, sql, texts};
use crate::error::{SqlError, sqlstate};
use crate::pgcompat::text_out::put_json_str;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Build {
    ToJson,
    Object,
    Array,
    RowToJson,
    ArrayToJson,
    FromTextArray,
}

#[derive(Debug)]
pub struct JsonBuild {
    name: &'static str,
    build: Build,
    output: JsonType,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonBuild);

impl JsonBuild {
    pub fn all() -> Vec<JsonBuild> {
        use JsonType::{Json as J, Jsonb as B};
        let variadic = || {
            Signature::one_of(
                vec![TypeSignature::Nullary, TypeSignature::VariadicAny],
                Volatility::Stable,
            )
        };
        let one = || Signature::any(1, Volatility::Stable);
        let one_or_two = || {
            Signature::one_of(
                vec![TypeSignature::Any(1), TypeSignature::Any(2)],
                Volatility::Stable,
            )
        };
        [
            ("to_json", Build::ToJson, J, one(), "A value as json.", "to_json(x)"),
            ("to_jsonb", Build::ToJson, B, one(), "A value as jsonb.", "to_jsonb(x)"),
            ("json_build_object", Build::Object, J, variadic(), "A json object of alternating keys and values.", "json_build_object(k1, v1, ...)"),
            ("jsonb_build_object", Build::Object, B, variadic(), "A jsonb object of alternating keys and values.", "jsonb_build_object(k1, v1, ...)"),
            ("json_build_array", Build::Array, J, variadic(), "A json array of the arguments.", "json_build_array(v1, ...)"),
            ("jsonb_build_array", Build::Array, B, variadic(), "A jsonb array of the arguments.", "jsonb_build_array(v1, ...)"),
            ("row_to_json", Build::RowToJson, J, one_or_two(), "A row as a json object.", "row_to_json(row [, pretty])"),
            ("array_to_json", Build::ArrayToJson, J, one_or_two(), "An array as a json array, one element per line when pretty.", "array_to_json(array [, pretty])"),
            ("json_object", Build::FromTextArray, J, one_or_two(), "A json object from a text array of alternating keys and values, or from arrays of keys and of values.", "json_object(text[] [, text[]])"),
            ("jsonb_object", Build::FromTextArray, B, one_or_two(), "A jsonb object from a text array of alternating keys and values, or from arrays of keys and of values.", "jsonb_object(text[] [, text[]])"),
        ]
        .into_iter()
        .map(|(name, build, output, signature, what, syntax)| JsonBuild {
            name,
            build,
            output,
            signature,
            documentation: Documentation::builder(DOC_SECTION, what, syntax).build(),
        })
        .collect()
    }
}

fn refused(message: impl Into<String>) -> datafusion::error::DataFusionError {
    sql(SqlError::new(sqlstate::INVALID_PARAMETER_VALUE, message))
}

impl ScalarUDFImpl for JsonBuild {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(returned(self.output, self.name))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let columns = args
            .args
            .iter()
            .zip(&args.arg_fields)
            .map(|(arg, field)| JsonColumn::new(&arg.to_array(rows)?, field))
            .collect::<Result<Vec<_>>>()?;
        let mut out = StringBuilder::new();
        match self.build {
            Build::ToJson => {
                for row in 0..rows {
                    match columns[0].is_null(row) {
                        true => out.append_null(),
                        false => out.append_value(self.finish(columns[0].text(row)?)?),
                    }
                }
            }
            Build::RowToJson | Build::ArrayToJson => {
                let pretty = match args.args.get(1) {
                    Some(flag) => Some(cast(&flag.to_array(rows)?, &DataType::Boolean)?),
                    None => None,
                };
                for row in 0..rows {
                    if columns[0].is_null(row) {
                        out.append_null();
                        continue;
                    }
                    let text = columns[0].text(row)?;
                    let pretty = pretty.as_ref().is_some_and(|p| {
                        use datafusion::arrow::array::{Array, AsArray};
                        !p.is_null(row) && p.as_boolean().value(row)
                    });
                    out.append_value(match pretty {
                        true => pretty_top_level(&text, self.build)?,
                        false => text,
                    });
                }
            }
            Build::Object => {
                if columns.len() % 2 != 0 {
                    return Err(refused("argument list must have even number of elements"));
                }
                let keys = args
                    .args
                    .iter()
                    .step_by(2)
                    .map(|k| texts(k, rows))
                    .collect::<Result<Vec<_>>>()?;
                for row in 0..rows {
                    let mut members = Vec::with_capacity(keys.len());
                    for (pair, key) in keys.iter().enumerate() {
                        use datafusion::arrow::array::Array;
                        if key.is_null(row) {
                            return Err(refused(format!(
                                "argument {}: key must not be null",
                                pair * 2 + 1
                            )));
                        }
                        members
                            .push((key.value(row).to_string(), columns[pair * 2 + 1].text(row)?));
                    }
                    out.append_value(self.object(members)?);
                }
            }
            Build::Array => {
                for row in 0..rows {
                    let elements = columns
                        .iter()
                        .map(|c| c.text(row))
                        .collect::<Result<Vec<_>>>()?;
                    out.append_value(self.array(elements)?);
                }
            }
            Build::FromTextArray => {
                let lists = args
                    .args
                    .iter()
                    .map(|a| text_lists_with_nulls(a, rows))
                    .collect::<Result<Vec<_>>>()?;
                for row in 0..rows {
                    let pairs = match lists.as_slice() {
                        [flat] => match &flat[row] {
                            None => None,
                            Some(flat) if flat.len() % 2 != 0 => {
                                return Err(sql(SqlError::new(
                                    sqlstate::ARRAY_SUBSCRIPT_ERROR,
                                    "array must have even number of elements",
                                )));
                            }
                            Some(flat) => Some(
                                flat.chunks(2)
                                    .map(|kv| (kv[0].clone(), kv[1].clone()))
                                    .collect::<Vec<_>>(),
                            ),
                        },
                        [keys, values] => match (&keys[row], &values[row]) {
                            (Some(k), Some(v)) if k.len() == v.len() => {
                                Some(k.iter().cloned().zip(v.iter().cloned()).collect())
                            }
                            (Some(_), Some(_)) => {
                                return Err(sql(SqlError::new(
                                    sqlstate::ARRAY_SUBSCRIPT_ERROR,
                                    "mismatched array dimensions",
                                )));
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    let Some(pairs) = pairs else {
                        out.append_null();
                        continue;
                    };
                    let mut members = Vec::with_capacity(pairs.len());
                    for (key, value) in pairs {
                        let Some(key) = key else {
                            return Err(refused("null value not allowed for object key"));
                        };
                        let mut text = Vec::new();
                        match value {
                            Some(v) => put_json_str(&mut text, v.as_bytes()),
                            None => text.extend_from_slice(b"null"),
                        }
                        members.push((key, utf8(text)));
                    }
                    out.append_value(self.object(members)?);
                }
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

/// A text[] argument's elements per row, NULL elements kept.
fn text_lists_with_nulls(
    arg: &ColumnarValue,
    rows: usize,
) -> Result<Vec<Option<Vec<Option<String>>>>> {
    // Lists and literals both come through `text_lists`, which drops NULL elements; a
    // literal is read again here to keep them.
    if let DataType::List(_) | DataType::LargeList(_) = arg.data_type() {
        let lists = text_lists(arg, rows)?;
        return Ok(lists
            .into_iter()
            .map(|l| l.map(|l| l.into_iter().map(Some).collect()))
            .collect());
    }
    texts(arg, rows)?
        .iter()
        .map(|text| match text {
            None => Ok(None),
            Some(text) => crate::pgcompat::literal_types::parse_array_literal(text)
                .map(Some)
                .ok_or_else(|| {
                    sql(SqlError::new(
                        sqlstate::INVALID_TEXT_REPRESENTATION,
                        format!("malformed array literal: \"{text}\""),
                    ))
                }),
        })
        .collect()
}

impl JsonBuild {
    /// The text of one value in this function's result type.
    fn finish(&self, json_text: String) -> Result<String> {
        match self.output {
            JsonType::Json => Ok(json_text),
            JsonType::Jsonb => Ok(JsonType::Jsonb.read(&json_text)?.to_jsonb_text()),
        }
    }

    fn object(&self, members: Vec<(String, String)>) -> Result<String> {
        match self.output {
            JsonType::Json => {
                let mut out = Vec::new();
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b", ");
                    }
                    put_json_str(&mut out, key.as_bytes());
                    out.extend_from_slice(b" : ");
                    out.extend_from_slice(value.as_bytes());
                }
                out.push(b'}');
                Ok(utf8(out))
            }
            JsonType::Jsonb => {
                let members = members
                    .into_iter()
                    .map(|(k, v)| Ok((k, super::value::parse(&v).map_err(sql)?)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Json::Object(members)
                    .into_jsonb()
                    .map_err(sql)?
                    .to_jsonb_text())
            }
        }
    }

    fn array(&self, elements: Vec<String>) -> Result<String> {
        match self.output {
            JsonType::Json => Ok(format!("[{}]", elements.join(", "))),
            JsonType::Jsonb => {
                let elements = elements
                    .iter()
                    .map(|v| super::value::parse(v).map_err(sql))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Json::Array(elements)
                    .into_jsonb()
                    .map_err(sql)?
                    .to_jsonb_text())
            }
        }
    }
}

/// `pretty` output of `array_to_json` and `row_to_json`: a line break after each top-level
/// comma (`[[1,5],\n [99,100]]`; `{"a":1,\n "b":2}`).
fn pretty_top_level(text: &str, build: Build) -> Result<String> {
    let Some(children) = super::value::children(text).map_err(sql)? else {
        return Ok(text.to_string());
    };
    let (open, close) = match build {
        Build::RowToJson => ('{', '}'),
        _ => ('[', ']'),
    };
    let mut out = String::with_capacity(text.len() + children.len() * 2);
    out.push(open);
    for (i, (key, span)) in children.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n ");
        }
        if let Some(key) = key {
            let mut k = Vec::new();
            put_json_str(&mut k, key.as_bytes());
            out.push_str(&utf8(k));
            out.push(':');
        }
        out.push_str(&text[span.clone()]);
    }
    out.push(close);
    Ok(out)
}
