//! `isfinite(x)`: whether a date, timestamp or interval is finite. custlake holds no
//! infinite values (`'infinity'::date` is refused where it is written), so every value that
//! is not NULL is finite. DataFusion has no `isfinite`.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, columnar};

const NAME: &str = "isfinite";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Whether a date, timestamp or interval is finite (not +/-infinity).",
        "isfinite(x)",
    )
    .with_argument("x", "A date, timestamp or interval.")
    .with_sql_example(
        "```sql\n> SELECT isfinite(date '2001-02-16');\n+----------+\n| isfinite |\n+----------+\n| true     |\n+----------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IsFinite {
    signature: Signature,
}

impl IsFinite {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for IsFinite {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [
                DataType::Date32
                | DataType::Date64
                | DataType::Timestamp(..)
                | DataType::Interval(_)
                | DataType::Duration(_)
                | DataType::Null,
            ] => Ok(DataType::Boolean),
            other => exec_err!("{NAME} takes a date, timestamp or interval, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [x] = take_function_args(NAME, args.args)?;
        let scalar = matches!(x, ColumnarValue::Scalar(_));
        let values = x.to_array(args.number_rows)?;
        let finite = BooleanArray::new(
            datafusion::arrow::buffer::BooleanBuffer::new_set(values.len()),
            values.logical_nulls(),
        );
        columnar(Arc::new(finite), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
