//! `round_half_even(x)`: a float rounded to the nearest integer, ties to even — what
//! PostgreSQL's `rint` does when it casts a float to an integer (`2.5::float8::int` is 2,
//! `3.5::float8::int` is 4). The cast rule ([`crate::pgcompat::cast_rules`]) calls it before
//! Arrow's cast, which would truncate.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, columnar};

const NAME: &str = "round_half_even";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Rounds a float to the nearest integer, ties to the even one (as PostgreSQL rounds a \
         float it casts to an integer). Returns double precision.",
        "round_half_even(x)",
    )
    .with_argument("x", "A real or double precision value.")
    .with_sql_example(
        "```sql\n> SELECT round_half_even(2.5::float8), round_half_even(3.5::float8);\n+-----------------+-------------------+\n| round_half_even | round_half_even_2 |\n+-----------------+-------------------+\n| 2               | 4                 |\n+-----------------+-------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RoundHalfEven {
    signature: Signature,
}

impl RoundHalfEven {
    pub fn new() -> Self {
        Self {
            signature: Signature::uniform(
                1,
                vec![DataType::Float16, DataType::Float32, DataType::Float64],
                Volatility::Immutable,
            ),
        }
    }
}

impl ScalarUDFImpl for RoundHalfEven {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(args.number_rows)?;
        let values = cast(&values, &DataType::Float64)?;
        let rounded: ArrayRef = Arc::new(
            values
                .as_primitive::<Float64Type>()
                .unary::<_, Float64Type>(f64::round_ties_even),
        );
        columnar(rounded, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
