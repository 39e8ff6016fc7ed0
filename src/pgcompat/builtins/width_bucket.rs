//! `width_bucket(x, low, high, count)`: the bucket of `x` among `count` equal-width buckets
//! from `low` to `high` (0 below, count + 1 at or above `high`; reversed bounds count down),
//! and `width_bucket(x, thresholds)`: how many of the sorted thresholds are at or below `x`.
//! Numerics are bucketed exactly, as PostgreSQL does, floats in double precision.
//! DataFusion has neither.

use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, AsArray, Int32Builder, PrimitiveArray, make_comparator,
};
use datafusion::arrow::compute::{SortOptions, cast};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int32Type};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};
use crate::error::{SqlError, sqlstate};

const NAME: &str = "width_bucket";
/// The scale numerics are bucketed at: exact for every literal and column of the lake.
const SCALE: i8 = 12;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The number of the bucket x falls in, of count equal-width buckets from low to high \
         (0 below low, count + 1 at or above high); or, given an array of sorted thresholds, \
         how many of them are at or below x.",
        "width_bucket(x, low, high, count) | width_bucket(x, thresholds)",
    )
    .with_argument("x", "A number (or, with thresholds, any value of their type).")
    .with_argument("low", "Where the first bucket begins.")
    .with_argument("high", "Where the last bucket ends.")
    .with_argument("count", "How many buckets, greater than zero.")
    .with_sql_example(
        "```sql\n> SELECT width_bucket(5.35, 0.024, 10.06, 5);\n+--------------+\n| width_bucket |\n+--------------+\n| 3            |\n+--------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct WidthBucket {
    signature: Signature,
}

impl WidthBucket {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

fn refused(message: &str) -> DataFusionError {
    DataFusionError::External(Box::new(SqlError::new(
        sqlstate::INVALID_ARGUMENT_FOR_WIDTH_BUCKET,
        message.to_string(),
    )))
}

/// The bucket of `x` by PostgreSQL's rule, for any ordered number type with the arithmetic
/// `bucket(offset, span, count)` = ⌊offset · count / span⌋ + 1.
fn bucket<T: PartialOrd + Copy>(
    x: T,
    low: T,
    high: T,
    count: i32,
    position: impl Fn(T, T, T, i32) -> Result<i32>,
) -> Result<i32> {
    if count <= 0 {
        return Err(refused("count must be greater than zero"));
    }
    match low.partial_cmp(&high) {
        Some(Ordering::Less) if x < low => Ok(0),
        Some(Ordering::Less) if x >= high => count
            .checked_add(1)
            .ok_or_else(|| refused("integer out of range")),
        Some(Ordering::Less) => position(x, low, high, count),
        Some(Ordering::Greater) if x > low => Ok(0),
        Some(Ordering::Greater) if x <= high => count
            .checked_add(1)
            .ok_or_else(|| refused("integer out of range")),
        Some(Ordering::Greater) => position(x, low, high, count),
        Some(Ordering::Equal) => Err(refused("lower bound cannot equal upper bound")),
        None => Err(refused(
            "operand, lower bound, and upper bound cannot be NaN",
        )),
    }
}

fn float_position(x: f64, low: f64, high: f64, count: i32) -> Result<i32> {
    let fraction = (x - low) / (high - low);
    Ok(((fraction * f64::from(count)).floor() as i32 + 1).clamp(1, count))
}

fn exact_position(x: i128, low: i128, high: i128, count: i32) -> Result<i32> {
    // Counted from `low` toward `high`, both differences positive.
    let (x, low, high) = match low < high {
        true => (x, low, high),
        false => (-x, -low, -high),
    };
    let offset = (x - low)
        .checked_mul(i128::from(count))
        .ok_or_else(|| refused("numeric field overflow"))?;
    let position = offset.div_euclid(high - low);
    Ok((position as i32 + 1).clamp(1, count))
}

fn numeric_type(t: &DataType) -> bool {
    t.is_numeric() || t.is_null()
}

impl ScalarUDFImpl for WidthBucket {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [x, low, high, count]
                if [x, low, high].into_iter().all(numeric_type) && count.is_integer()
                    || count.is_null() =>
            {
                Ok(DataType::Int32)
            }
            [
                _,
                DataType::List(_) | DataType::LargeList(_) | DataType::Null,
            ] => Ok(DataType::Int32),
            other => exec_err!(
                "{NAME} takes (number, low, high, count) or (value, thresholds array), not {other:?}"
            ),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let arrays = args
            .args
            .iter()
            .map(|a| a.to_array(args.number_rows))
            .collect::<Result<Vec<_>>>()?;
        let buckets = match arrays.as_slice() {
            [x, low, high, count] => equal_widths(x, low, high, count)?,
            [x, thresholds] => among_thresholds(x, thresholds)?,
            _ => return exec_err!("{NAME} takes two or four arguments"),
        };
        columnar(buckets, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn equal_widths(
    x: &ArrayRef,
    low: &ArrayRef,
    high: &ArrayRef,
    count: &ArrayRef,
) -> Result<ArrayRef> {
    let counts = cast(count, &DataType::Int32)?;
    let counts = counts.as_primitive::<Int32Type>();
    if [x, low, high].iter().any(|a| a.data_type().is_floating()) {
        buckets::<Float64Type>(&DataType::Float64, [x, low, high], counts, float_position)
    } else {
        let exact = DataType::Decimal128(38, SCALE);
        buckets::<Decimal128Type>(&exact, [x, low, high], counts, exact_position)
    }
}

/// The bucket of each row, its operand and bounds read as `T` (of type `as_type`).
fn buckets<T: ArrowPrimitiveType>(
    as_type: &DataType,
    operands: [&ArrayRef; 3],
    counts: &PrimitiveArray<Int32Type>,
    position: impl Fn(T::Native, T::Native, T::Native, i32) -> Result<i32> + Copy,
) -> Result<ArrayRef>
where
    T::Native: PartialOrd,
{
    let [x, low, high] = operands.map(|a| cast(a, as_type));
    let (x, low, high) = (x?, low?, high?);
    let [x, low, high] = [&x, &low, &high].map(|a| a.as_primitive::<T>());
    let mut out = Int32Builder::with_capacity(x.len());
    for row in 0..x.len() {
        if x.is_null(row) || low.is_null(row) || high.is_null(row) || counts.is_null(row) {
            out.append_null();
            continue;
        }
        out.append_value(bucket(
            x.value(row),
            low.value(row),
            high.value(row),
            counts.value(row),
            position,
        )?);
    }
    Ok(Arc::new(out.finish()))
}

/// Per row, how many thresholds are at or below `x` (the thresholds taken as sorted, as
/// PostgreSQL takes them: it searches them by bisection).
fn among_thresholds(x: &ArrayRef, thresholds: &ArrayRef) -> Result<ArrayRef> {
    let thresholds = cast(
        thresholds,
        &DataType::List(Arc::new(
            datafusion::arrow::datatypes::Field::new_list_field(
                match thresholds.data_type() {
                    DataType::List(f) | DataType::LargeList(f) => f.data_type().clone(),
                    _ => x.data_type().clone(),
                },
                true,
            ),
        )),
    )?;
    let lists = thresholds.as_list::<i32>();
    let element_type = lists.values().data_type().clone();
    let x = cast(x, &element_type)?;
    let compare = make_comparator(lists.values().as_ref(), x.as_ref(), SortOptions::default())?;
    let mut out = Int32Builder::with_capacity(x.len());
    for row in 0..x.len() {
        if x.is_null(row) || lists.is_null(row) {
            out.append_null();
            continue;
        }
        let (start, end) = (
            lists.value_offsets()[row] as usize,
            lists.value_offsets()[row + 1] as usize,
        );
        // The first threshold above x, by bisection.
        let (mut left, mut right) = (start, end);
        while left < right {
            let middle = left + (right - left) / 2;
            if compare(middle, row).is_gt() {
                right = middle;
            } else {
                left = middle + 1;
            }
        }
        out.append_value((left - start) as i32);
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_as_postgres_documents() {
        assert_eq!(bucket(5.35, 0.024, 10.06, 5, float_position).unwrap(), 3);
        assert_eq!(bucket(5.35, 10.06, 0.024, 5, float_position).unwrap(), 3);
        assert_eq!(bucket(-1.0, 0.0, 10.0, 5, float_position).unwrap(), 0);
        assert_eq!(bucket(10.0, 0.0, 10.0, 5, float_position).unwrap(), 6);
        // Exactly on a boundary: 2.0 of 0..10 in 5 buckets begins the second.
        assert_eq!(bucket(2_000, 0, 10_000, 5, exact_position).unwrap(), 2);
        assert_eq!(bucket(3_500, 10_000, 0, 2, exact_position).unwrap(), 2);
        assert_eq!(bucket(3_500, 0, 10_000, 2, exact_position).unwrap(), 1);
        assert!(bucket(1, 1, 1, 5, exact_position).is_err());
        assert!(bucket(1, 0, 2, 0, exact_position).is_err());
    }
}
