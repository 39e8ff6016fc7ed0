//! `interval_mul(x, factor)` and `interval_div(x, divisor)`: an interval times or divided by a
//! number, as PostgreSQL's `interval * float8` and `interval / float8` compute it. Months,
//! days and time are scaled apart; the fraction of a month spills into days (30 to a month)
//! and the fraction of a day into time, rounded to the microsecond. DataFusion has no
//! `interval * number`; the planner ([`crate::pgcompat::planner`]) calls these for it.
//!
//! A duration (custlake's `timestamp - timestamp`) is first read as PostgreSQL's result of
//! that subtraction: whole days and the time left over.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{AsArray, IntervalMonthDayNanoArray};
use datafusion::arrow::compute::{cast, try_binary};
use datafusion::arrow::datatypes::{DataType, Float64Type, IntervalMonthDayNano, IntervalUnit};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::justify::intervals;
use super::{DOC_SECTION, all_scalar, columnar};

const DAYS_PER_MONTH: f64 = 30.0;

static MUL_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "An interval times a number, as PostgreSQL's `interval * float8`: months, days and \
         time scaled apart, fractions of a month spilling into days and of a day into time.",
        "interval_mul(x, factor)",
    )
    .with_argument("x", "An interval.")
    .with_argument("factor", "A number.")
    .with_sql_example(
        "```sql\n> SELECT interval_mul(interval '1 month', 1.5);\n+-------------------+\n| interval_mul      |\n+-------------------+\n| 1 mon 15 days     |\n+-------------------+\n```",
    )
    .build()
});

static DIV_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "An interval divided by a number, as PostgreSQL's `interval / float8`.",
        "interval_div(x, divisor)",
    )
    .with_argument("x", "An interval.")
    .with_argument("divisor", "A number other than zero.")
    .with_sql_example(
        "```sql\n> SELECT interval_div(interval '1 hour', 1.5);\n+--------------+\n| interval_div |\n+--------------+\n| 00:40:00     |\n+--------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IntervalMul {
    signature: Signature,
}

impl IntervalMul {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IntervalDiv {
    signature: Signature,
}

impl IntervalDiv {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

/// Rounds to the microsecond, as PostgreSQL's `TSROUND` does with a count of days or seconds.
fn round_to_micros(value: f64) -> f64 {
    (value * 1_000_000.0).round_ties_even() / 1_000_000.0
}

fn out_of_range() -> ArrowError {
    ArrowError::ComputeError("interval out of range".to_string())
}

fn to_i32(value: f64) -> Result<i32, ArrowError> {
    // Truncated toward zero, as C's cast of a double to an int.
    if value.is_finite() && value > f64::from(i32::MIN) - 1.0 && value < f64::from(i32::MAX) + 1.0 {
        Ok(value as i32)
    } else {
        Err(out_of_range())
    }
}

/// The interval made of `months` and `days` scaled by `scale` (the fractions of each
/// cascading down), and the time `scaled_time` (microseconds) already scaled.
fn cascade(
    months: f64,
    days: f64,
    scaled_time: impl FnOnce(f64) -> f64,
) -> Result<IntervalMonthDayNano, ArrowError> {
    let whole_months = to_i32(months)?;
    let mut whole_days = to_i32(days)?;
    let month_remainder_days = round_to_micros((months - f64::from(whole_months)) * DAYS_PER_MONTH);
    let mut sec_remainder = round_to_micros(
        (days - f64::from(whole_days) + month_remainder_days - month_remainder_days.trunc())
            * 86_400.0,
    );
    if sec_remainder.abs() >= 86_400.0 {
        let carried = (sec_remainder / 86_400.0).trunc();
        whole_days = whole_days
            .checked_add(to_i32(carried)?)
            .ok_or_else(out_of_range)?;
        sec_remainder -= carried * 86_400.0;
    }
    whole_days = whole_days
        .checked_add(to_i32(month_remainder_days.trunc())?)
        .ok_or_else(out_of_range)?;
    let micros = scaled_time(sec_remainder * 1_000_000.0).round_ties_even();
    if !micros.is_finite() || micros.abs() >= 9.2e18 / 1_000.0 {
        return Err(out_of_range());
    }
    Ok(IntervalMonthDayNano::new(
        whole_months,
        whole_days,
        micros as i64 * 1_000,
    ))
}

/// `interval op number` for both functions: the arguments checked and read, `apply` per row.
fn scale_intervals(
    name: &str,
    args: ScalarFunctionArgs,
    apply: impl Fn(IntervalMonthDayNano, f64) -> Result<IntervalMonthDayNano, ArrowError>,
) -> Result<ColumnarValue> {
    let scalar = all_scalar(&args.args);
    let [x, factor] = take_function_args(name, args.args)?;
    let (x, factor) = (
        x.to_array(args.number_rows)?,
        factor.to_array(args.number_rows)?,
    );
    let factor = cast(&factor, &DataType::Float64)?;
    let result: IntervalMonthDayNanoArray =
        try_binary(&intervals(&x)?, factor.as_primitive::<Float64Type>(), apply)?;
    columnar(Arc::new(result), scalar)
}

fn interval_return_type(name: &str, arg_types: &[DataType]) -> Result<DataType> {
    match arg_types {
        [
            DataType::Interval(_) | DataType::Duration(_) | DataType::Null,
            factor,
        ] if factor.is_numeric() || factor.is_null() => {
            Ok(DataType::Interval(IntervalUnit::MonthDayNano))
        }
        other => exec_err!("{name} takes an interval and a number, not {other:?}"),
    }
}

impl ScalarUDFImpl for IntervalMul {
    fn name(&self) -> &str {
        "interval_mul"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        interval_return_type(self.name(), arg_types)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        scale_intervals(self.name(), args, |span, factor| {
            cascade(
                f64::from(span.months) * factor,
                f64::from(span.days) * factor,
                |sec_remainder| (span.nanoseconds / 1_000) as f64 * factor + sec_remainder,
            )
        })
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&MUL_DOCUMENTATION)
    }
}

impl ScalarUDFImpl for IntervalDiv {
    fn name(&self) -> &str {
        "interval_div"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        interval_return_type(self.name(), arg_types)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        scale_intervals(self.name(), args, |span, divisor| {
            if divisor == 0.0 {
                return Err(ArrowError::DivideByZero);
            }
            cascade(
                f64::from(span.months) / divisor,
                f64::from(span.days) / divisor,
                |sec_remainder| (span.nanoseconds / 1_000) as f64 / divisor + sec_remainder,
            )
        })
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DIV_DOCUMENTATION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mul(months: i32, days: i32, micros: i64, factor: f64) -> (i32, i32, i64) {
        let r = cascade(
            f64::from(months) * factor,
            f64::from(days) * factor,
            |rem| micros as f64 * factor + rem,
        )
        .unwrap();
        (r.months, r.days, r.nanoseconds / 1_000)
    }

    #[test]
    fn fractions_cascade_down() {
        // '1 mon' * 1.5 = '1 mon 15 days'; '1 day' * 1.5 = '1 day 12:00:00'.
        assert_eq!(mul(1, 0, 0, 1.5), (1, 15, 0));
        assert_eq!(mul(0, 1, 0, 1.5), (0, 1, 43_200_000_000));
        // '1 hour' * 1.5 = '01:30:00'; '1 mon' * 0.1 = '3 days'.
        assert_eq!(mul(0, 0, 3_600_000_000, 1.5), (0, 0, 5_400_000_000));
        assert_eq!(mul(1, 0, 0, 0.1), (0, 3, 0));
        // '1 mon 1 day' * -0.5 = '-15 days -12:00:00'.
        assert_eq!(mul(1, 1, 0, -0.5), (0, -15, -43_200_000_000));
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert!(
            cascade(1e12, 0.0, |r| r).is_err(),
            "a month count past i32 is refused"
        );
    }
}
