//! `to_number(text, template)`: text read as a number by PostgreSQL's number template
//! ([`super::number_template`]): `to_number('12,454.8-', '99G999D9S')` is -12454.8.
//!
//! PostgreSQL's result is a numeric whose scale is the fraction digits read, so it may differ
//! from row to row (`to_number('12', '99.9')` is `12`, `to_number('12.5', '99.9')` is `12.5`);
//! a column has one scale. The template must be a constant. With a constant text too the
//! result's scale is its own; otherwise it is the template's fraction digits, and a row
//! whose result has fewer is refused (0A000) rather than shown with trailing zeros
//! PostgreSQL would not write. A template with `V` needs a constant text.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Builder};
use datafusion::arrow::datatypes::{DECIMAL128_MAX_PRECISION, DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::number_template::{NumberTemplate, TemplateError};
use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};

const NAME: &str = "to_number";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Reads text as a numeric by a PostgreSQL number template (9, 0, ., ,, D, G, S, MI, PL, \
         SG, PR, L, TH, V, FM). The template must be a constant.",
        "to_number(text, template)",
    )
    .with_argument("text", "The text to read.")
    .with_argument("template", "The PostgreSQL number template.")
    .with_sql_example(
        "```sql\n> SELECT to_number('12,454.8-', '99G999D9S');\n+-----------+\n| to_number |\n+-----------+\n| -12454.8  |\n+-----------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToNumber {
    signature: Signature,
}

impl ToNumber {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// A template's error as the client sees it: 42601 for the template itself.
fn template_error(message: String) -> datafusion::error::DataFusionError {
    SqlError::new(sqlstate::SYNTAX_ERROR, message).into()
}

fn value_error(error: TemplateError) -> datafusion::error::DataFusionError {
    SqlError::new(error.code, error.message).into()
}

fn text_of(value: Option<&ScalarValue>) -> Option<Option<&str>> {
    match value? {
        ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => {
            Some(v.as_deref())
        }
        ScalarValue::Null => Some(None),
        _ => None,
    }
}

/// The scale of numeric_out's text.
fn scale_of(text: &str) -> usize {
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len())
}

impl ScalarUDFImpl for ToNumber {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [text, template] if [text, template].iter().all(|t| is_text(t)) => {
                Ok(vec![DataType::Utf8, DataType::Utf8])
            }
            _ => exec_err!("{NAME} takes a text and a template"),
        }
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        exec_err!("{NAME}'s type follows from its template")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let refuse = |what: &str| -> Result<FieldRef> {
            Err(SqlError::new(sqlstate::FEATURE_NOT_SUPPORTED, what.to_string()).into())
        };
        let Some(template) = text_of(args.scalar_arguments.get(1).copied().flatten()) else {
            return refuse("to_number is supported with a constant template");
        };
        let scale = match template {
            None => 0,
            Some(template) => {
                let parsed = NumberTemplate::parse(template).map_err(template_error)?;
                match text_of(args.scalar_arguments.first().copied().flatten()) {
                    Some(Some(text)) => scale_of(&parsed.parse_number(text).map_err(value_error)?),
                    Some(None) => 0,
                    None => match parsed.fraction_digits() {
                        Some(digits) => digits,
                        None => {
                            return refuse(
                                "to_number with \"V\" is supported only for a constant text",
                            );
                        }
                    },
                }
            }
        };
        let Ok(scale) = i8::try_from(scale) else {
            return refuse("to_number is supported up to 38 digits");
        };
        if scale as u8 > DECIMAL128_MAX_PRECISION {
            return refuse("to_number is supported up to 38 digits");
        }
        Ok(Arc::new(Field::new(
            NAME,
            DataType::Decimal128(DECIMAL128_MAX_PRECISION, scale),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Decimal128(precision, scale) = *args.return_field.data_type() else {
            return exec_err!("{NAME} returns a numeric");
        };
        let scalar = all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (texts, templates) = (arrays[0].as_string::<i32>(), arrays[1].as_string::<i32>());
        let mut out = Decimal128Builder::with_capacity(texts.len());
        let mut parsed: Option<(String, NumberTemplate)> = None;
        for row in 0..texts.len() {
            if texts.is_null(row) || templates.is_null(row) {
                out.append_null();
                continue;
            }
            let template = made_for(&mut parsed, templates.value(row), |t| {
                NumberTemplate::parse(t).map_err(template_error)
            })?;
            let number = template
                .parse_number(texts.value(row))
                .map_err(value_error)?;
            out.append_value(scaled(&number, scale)?);
        }
        let array: ArrayRef = Arc::new(out.finish().with_precision_and_scale(precision, scale)?);
        columnar(array, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null
    )
}

/// numeric_out's text as an i128 of `scale` fraction digits; a result of another scale, or
/// past 38 digits, is refused.
fn scaled(number: &str, scale: i8) -> Result<i128> {
    let refuse = |why: String| -> Result<i128> {
        Err(SqlError::new(sqlstate::FEATURE_NOT_SUPPORTED, why).into())
    };
    if scale_of(number) != scale as usize {
        return refuse(format!(
            "to_number reads {number}, with other fraction digits than the template's {scale}: \
             a numeric column of custlake has one scale, PostgreSQL's keeps each value's"
        ));
    }
    let digits: String = number.chars().filter(|c| *c != '.').collect();
    match digits.parse::<i128>() {
        Ok(value) if digits.trim_start_matches('-').len() <= 38 => Ok(value),
        _ => refuse(format!(
            "to_number's result {number} has more than 38 digits"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::scaled;

    #[test]
    fn results_keep_their_scale_or_are_refused() {
        assert_eq!(scaled("-12454.8", 1).unwrap(), -124548);
        assert_eq!(scaled("12", 0).unwrap(), 12);
        assert!(scaled("12", 1).is_err());
        assert!(scaled("1".repeat(39).as_str(), 0).is_err());
    }
}
