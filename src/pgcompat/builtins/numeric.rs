//! `numeric(x)`: `x` as an unconstrained numeric, which PostgreSQL writes with the scale the
//! value has — `7::numeric` is `7`, `amount::numeric` keeps amount's two decimals — where
//! DataFusion's `CAST(x AS NUMERIC)` gives every value ten. The cast rewrite
//! ([`crate::pgcompat::rewrite`]) calls it for `x::numeric` when `x` is not a literal (a
//! literal becomes a numeric literal of its own scale).
//!
//! Integers keep scale 0 and decimals their scale. A float or a text has no fixed scale in
//! Arrow's types (PostgreSQL gives each value its own), so they keep DataFusion's ten
//! decimals; `round(x, n)` gives them a scale of their own.

use std::sync::LazyLock;

use datafusion::arrow::datatypes::{DECIMAL128_MAX_PRECISION, DataType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::DOC_SECTION;

const NAME: &str = "numeric";

/// The decimals a float or a text cast to numeric gets.
const INEXACT_SCALE: i8 = 10;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Casts to an unconstrained numeric: an integer keeps scale 0 and a numeric its scale; \
         a float or a text gets 10 decimals. x::numeric calls it.",
        "numeric(x)",
    )
    .with_argument("x", "A number or a text.")
    .with_sql_example(
        "```sql\n> SELECT numeric(7), numeric(2.50);\n+---------+-----------+\n| numeric | numeric_2 |\n+---------+-----------+\n| 7       | 2.50      |\n+---------+-----------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Numeric {
    signature: Signature,
}

impl Numeric {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

/// The decimal type an unconstrained numeric of `from` is.
fn numeric_type(from: &DataType) -> Result<DataType> {
    let integer_digits = |d: u8| Ok(DataType::Decimal128(d, 0));
    match from {
        DataType::Int8 | DataType::UInt8 => integer_digits(3),
        DataType::Int16 | DataType::UInt16 => integer_digits(5),
        DataType::Int32 | DataType::UInt32 => integer_digits(10),
        DataType::Int64 => integer_digits(19),
        DataType::UInt64 => integer_digits(20),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
            Ok(DataType::Decimal128(*p, *s))
        }
        // NULL has no digits: whatever it meets decides (`coalesce(NULL::numeric, 1)` is 1).
        DataType::Null => integer_digits(1),
        DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::Utf8View
        | DataType::LargeUtf8
        | DataType::Boolean => Ok(DataType::Decimal128(
            DECIMAL128_MAX_PRECISION,
            INEXACT_SCALE,
        )),
        other => exec_err!("cannot cast type {other} to numeric"),
    }
}

impl ScalarUDFImpl for Numeric {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [from] => numeric_type(from),
            _ => exec_err!("{NAME} takes one argument"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let to = args.return_type().clone();
        args.args[0].cast_to(&to, None)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
