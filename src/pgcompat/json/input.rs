//! `json(x)` and `jsonb(x)`: text read as JSON, which `x::json` and `x::jsonb` become. `json`
//! checks the text and keeps it as written; `jsonb` keeps its normal form. Between the two
//! types: `jsonb::json` is jsonb's text, `json::jsonb` the normal form of json's.

use std::sync::Arc;

use datafusion::arrow::array::{Array, StringBuilder};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::{DOC_SECTION, JsonType, all_scalar, columnar, texts};

#[derive(Debug)]
pub struct JsonIn {
    name: &'static str,
    output: JsonType,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonIn);

impl JsonIn {
    pub fn all() -> Vec<JsonIn> {
        [JsonType::Json, JsonType::Jsonb]
            .into_iter()
            .map(|output| {
                let name = output.name();
                JsonIn {
                    name,
                    output,
                    signature: Signature::any(1, Volatility::Immutable),
                    documentation: Documentation::builder(
                        DOC_SECTION,
                        format!("Text read as {name} (what x::{name} is)."),
                        format!("{name}(text)"),
                    )
                    .with_sql_example(format!("```sql\n> SELECT {name}('{{\"a\": 1}}');\n```"))
                    .build(),
                }
            })
            .collect()
    }
}

impl ScalarUDFImpl for JsonIn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        match args.arg_fields[0].data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                Ok(Arc::new(self.output.field(self.name)))
            }
            other => exec_err!("cannot cast type {other} to {}", self.name),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let from = JsonType::of(&args.arg_fields[0]);
        let scalar = all_scalar(&args.args);
        let [x] = take_function_args(self.name, args.args)?;
        let text = texts(&x, args.number_rows)?;
        let mut out = StringBuilder::with_capacity(text.len(), text.value_data().len());
        for value in text.iter() {
            match value {
                None => out.append_null(),
                // Already of the type: jsonb's text is its normal form, json's is checked.
                Some(v) if from == Some(self.output) => out.append_value(v),
                Some(v) => match self.output {
                    JsonType::Json => {
                        if from.is_none() {
                            JsonType::Json.read(v)?;
                        }
                        out.append_value(v)
                    }
                    JsonType::Jsonb => {
                        out.append_value(JsonType::Jsonb.read(v)?.to_jsonb_text());
                    }
                },
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

/// A field named `name` of the JSON type `json_type`, for functions that return one.
pub(super) fn returned(json_type: JsonType, name: &str) -> FieldRef {
    Arc::new(json_type.field(name))
}
