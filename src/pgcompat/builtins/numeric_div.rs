//! `numeric_div(a, b)`: numeric division rounded as PostgreSQL rounds it — half away from
//! zero at the last kept digit, which is at least the sixteenth significant one. DataFusion
//! divides decimals to the dividend's scale plus four and truncates, so `round(a / b, 4)`
//! can come out one unit too low (0.3054 for 0.305498…). The result-type rule
//! ([`crate::pgcompat::cast_rules`]) makes every `/` of two numerics (or a numeric and an
//! integer) this call.
//!
//! The scale is one per column (Arrow's decimals have no per-value scale): 16 decimals, or
//! an operand's scale where that is more. PostgreSQL picks a scale for each value (16 significant digits), so the digits
//! are PostgreSQL's but their number may differ.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::kernels::arity::try_binary;
use datafusion::arrow::datatypes::{DECIMAL128_MAX_PRECISION, DataType, Decimal128Type, i256};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};

const NAME: &str = "numeric_div";

/// Decimals of a quotient where there is room for them.
const QUOTIENT_SCALE: i8 = 16;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Divides two numerics, rounding half away from zero at the result's scale: 16 \
         decimals, or an operand's scale where that is more. a / b of numerics calls it.",
        "numeric_div(a, b)",
    )
    .with_argument("a", "The dividend, a numeric or an integer.")
    .with_argument("b", "The divisor, a numeric or an integer.")
    .with_sql_example(
        "```sql\n> SELECT numeric_div(2.0, 3);\n+--------------------+\n| numeric_div        |\n+--------------------+\n| 0.6666666666666667 |\n+--------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NumericDiv {
    signature: Signature,
}

impl NumericDiv {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// An operand as a decimal: integers with scale 0 and the digits of their type.
fn as_decimal(t: &DataType) -> Result<DataType> {
    Ok(match t {
        DataType::Int8 | DataType::UInt8 => DataType::Decimal128(3, 0),
        DataType::Int16 | DataType::UInt16 => DataType::Decimal128(5, 0),
        DataType::Int32 | DataType::UInt32 => DataType::Decimal128(10, 0),
        DataType::Int64 | DataType::UInt64 => DataType::Decimal128(20, 0),
        DataType::Null => DataType::Decimal128(1, 0),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
            DataType::Decimal128(*p, *s)
        }
        other => return exec_err!("{NAME} divides numerics, not {other}"),
    })
}

/// The quotient's scale for operands of these scales: 16 decimals, or more if an operand has
/// more. (The precision DataFusion infers for a product or a sum is a bound, often 38, far
/// above the digits the values have; a quotient too large for the remaining 22 digits is a
/// "numeric field overflow" when it is computed.)
fn quotient_scale(s1: i8, s2: i8) -> i8 {
    QUOTIENT_SCALE
        .max(s1)
        .max(s2)
        .min(DECIMAL128_MAX_PRECISION as i8)
}

impl ScalarUDFImpl for NumericDiv {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arg_types.iter().map(as_decimal).collect()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::Decimal128(_, s1), DataType::Decimal128(_, s2)] => Ok(DataType::Decimal128(
                DECIMAL128_MAX_PRECISION,
                quotient_scale(*s1, *s2),
            )),
            other => exec_err!("{NAME} takes two numerics, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (DataType::Decimal128(_, s1), DataType::Decimal128(_, s2), DataType::Decimal128(_, s)) = (
            args.arg_fields[0].data_type(),
            args.arg_fields[1].data_type(),
            args.return_type(),
        ) else {
            return exec_err!("{NAME} takes two numerics");
        };
        let (s1, s2, scale) = (*s1, *s2, *s);
        let scalar = all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        // q = a·10^(scale − s1 + s2) / b, then rounded: computed in 256 bits.
        let shift = i32::from(scale) - i32::from(s1) + i32::from(s2);
        let ten = i256::from_i128(10);
        let out_of_range = || ArrowError::ComputeError("numeric field overflow".to_string());
        let quotients: Decimal128Array = try_binary::<_, _, _, Decimal128Type>(
            arrays[0].as_primitive::<Decimal128Type>(),
            arrays[1].as_primitive::<Decimal128Type>(),
            |a, b| {
                if b == 0 {
                    return Err(ArrowError::DivideByZero);
                }
                let (mut a, mut b) = (i256::from_i128(a), i256::from_i128(b));
                if shift >= 0 {
                    a = a
                        .checked_mul(ten.checked_pow(shift as u32).ok_or_else(out_of_range)?)
                        .ok_or_else(out_of_range)?;
                } else {
                    b = b
                        .checked_mul(ten.checked_pow((-shift) as u32).ok_or_else(out_of_range)?)
                        .ok_or_else(out_of_range)?;
                }
                let quotient = a.wrapping_div(b);
                let remainder = a.wrapping_rem(b);
                // Half away from zero: |2·remainder| ≥ |b| moves one unit away from zero.
                let twice = remainder.wrapping_abs().wrapping_mul(i256::from_i128(2));
                let rounded = if twice >= b.wrapping_abs() {
                    if a.is_negative() != b.is_negative() {
                        quotient.wrapping_sub(i256::ONE)
                    } else {
                        quotient.wrapping_add(i256::ONE)
                    }
                } else {
                    quotient
                };
                rounded.to_i128().ok_or_else(out_of_range)
            },
        )?
        .with_precision_and_scale(DECIMAL128_MAX_PRECISION, scale)?;
        let quotients: ArrayRef = Arc::new(quotients);
        columnar(quotients, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

#[cfg(test)]
mod tests {
    use super::quotient_scale;

    #[test]
    fn quotients_keep_sixteen_decimals_or_their_operands() {
        assert_eq!(quotient_scale(2, 2), 16);
        assert_eq!(quotient_scale(0, 0), 16);
        assert_eq!(quotient_scale(20, 3), 20);
    }
}
