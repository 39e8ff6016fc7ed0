//! `make_interval(years, months, weeks, days, hours, mins, secs)` and
//! `make_timestamp(year, month, day, hour, min, sec)` and `make_time(hour, min, sec)`, as
//! PostgreSQL builds them (DataFusion's `make_time` takes whole seconds only): the
//! seconds a double rounded to the microsecond, a field out of range refused (22008). The
//! rewrite gives `make_interval` all seven arguments, by position, however it was called
//! (`make_interval(days => 10)`). DataFusion has neither.

use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use datafusion::arrow::array::{
    Array, AsArray, IntervalMonthDayNanoBuilder, Time64MicrosecondBuilder,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, Int64Type, IntervalMonthDayNano, IntervalUnit, TimeUnit,
};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};
use crate::error::{SqlError, sqlstate};

static INTERVAL_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Creates an interval from years, months, weeks, days, hours, minutes and seconds \
         fields, each of which can default to zero.",
        "make_interval([years [, months [, weeks [, days [, hours [, mins [, secs]]]]]]])",
    )
    .with_sql_example(
        "```sql\n> SELECT make_interval(days => 10, hours => 3);\n+------------------+\n| make_interval    |\n+------------------+\n| 10 days 03:00:00 |\n+------------------+\n```",
    )
    .build()
});

static TIMESTAMP_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Creates a timestamp from year, month, day, hour, minute and seconds fields.",
        "make_timestamp(year, month, day, hour, min, sec)",
    )
    .with_sql_example(
        "```sql\n> SELECT make_timestamp(2013, 7, 15, 8, 15, 23.5);\n+-----------------------+\n| make_timestamp        |\n+-----------------------+\n| 2013-07-15 08:15:23.5 |\n+-----------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MakeInterval {
    signature: Signature,
}

impl MakeInterval {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MakeTime {
    signature: Signature,
}

impl MakeTime {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(3, Volatility::Immutable),
        }
    }
}

static TIME_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Creates a time from hour, minute and seconds fields.",
        "make_time(hour, min, sec)",
    )
    .with_sql_example(
        "```sql\n> SELECT make_time(8, 15, 23.5);\n+------------+\n| make_time  |\n+------------+\n| 08:15:23.5 |\n+------------+\n```",
    )
    .build()
});

/// Microseconds since midnight of `hour:min:sec`, PostgreSQL's range (up to 24:00:00).
fn time_of_day(hour: i64, min: i64, second: f64) -> Result<i64> {
    if !(0..=24).contains(&hour) || !(0..=59).contains(&min) || !(0.0..=60.0).contains(&second) {
        return Err(out_of_range("time field value"));
    }
    let micros =
        (hour * 3_600 + min * 60) * 1_000_000 + (second * 1_000_000.0).round_ties_even() as i64;
    if micros > 86_400_000_000 {
        return Err(out_of_range("time field value"));
    }
    Ok(micros)
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MakeTimestamp {
    signature: Signature,
}

impl MakeTimestamp {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(6, Volatility::Immutable),
        }
    }
}

fn out_of_range(what: &str) -> DataFusionError {
    DataFusionError::External(Box::new(SqlError::new(
        sqlstate::DATETIME_FIELD_OVERFLOW,
        format!("{what} out of range"),
    )))
}

/// Calls `each` for every row with its N integer fields and, last, its seconds as a double;
/// `None` where any of them is NULL.
fn for_each_row<const N: usize>(
    args: &ScalarFunctionArgs,
    name: &str,
    mut each: impl FnMut(Option<([i64; N], f64)>) -> Result<()>,
) -> Result<()> {
    let Some((seconds, integers)) = args.args.split_last() else {
        return exec_err!("{name} takes its fields as arguments");
    };
    if integers.len() != N {
        return exec_err!("{name} takes {} arguments", N + 1);
    }
    let integers = integers
        .iter()
        .map(|a| Ok(cast(&a.to_array(args.number_rows)?, &DataType::Int64)?))
        .collect::<Result<Vec<_>>>()?;
    let integers: Vec<_> = integers
        .iter()
        .map(|a| a.as_primitive::<Int64Type>())
        .collect();
    let seconds = cast(&seconds.to_array(args.number_rows)?, &DataType::Float64)?;
    let seconds = seconds.as_primitive::<Float64Type>();
    for row in 0..seconds.len() {
        if seconds.is_null(row) || integers.iter().any(|a| a.is_null(row)) {
            each(None)?;
        } else {
            each(Some((
                std::array::from_fn(|i| integers[i].value(row)),
                seconds.value(row),
            )))?;
        }
    }
    Ok(())
}

fn numeric_arguments(name: &str, arg_types: &[DataType], count: usize) -> Result<()> {
    if arg_types.len() == count && arg_types.iter().all(|t| t.is_numeric() || t.is_null()) {
        Ok(())
    } else {
        exec_err!("{name} takes {count} numbers, not {arg_types:?}")
    }
}

impl ScalarUDFImpl for MakeInterval {
    fn name(&self) -> &str {
        "make_interval"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        numeric_arguments(self.name(), arg_types, 7)?;
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let mut out = IntervalMonthDayNanoBuilder::with_capacity(args.number_rows);
        for_each_row::<6>(&args, self.name(), |row| {
            let Some((fields, seconds)) = row else {
                out.append_null();
                return Ok(());
            };
            let [years, months, weeks, days, hours, mins] = fields.map(i128::from);
            let micros = (seconds * 1_000_000.0).round_ties_even();
            let months =
                i32::try_from(years * 12 + months).map_err(|_| out_of_range("interval"))?;
            let days = i32::try_from(weeks * 7 + days).map_err(|_| out_of_range("interval"))?;
            if !micros.is_finite() || micros.abs() > 9.2e15 {
                return Err(out_of_range("interval"));
            }
            let micros = (hours * 3_600 + mins * 60) * 1_000_000 + micros as i128;
            let nanos = i64::try_from(micros * 1_000).map_err(|_| out_of_range("interval"))?;
            out.append_value(IntervalMonthDayNano::new(months, days, nanos));
            Ok(())
        })?;
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&INTERVAL_DOCUMENTATION)
    }
}

impl ScalarUDFImpl for MakeTimestamp {
    fn name(&self) -> &str {
        "make_timestamp"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        numeric_arguments(self.name(), arg_types, 6)?;
        Ok(DataType::Timestamp(TimeUnit::Microsecond, None))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let mut out = TimestampMicrosecondBuilder::with_capacity(args.number_rows);
        for_each_row::<5>(&args, self.name(), |row| {
            let Some(([year, month, day, hour, min], second)) = row else {
                out.append_null();
                return Ok(());
            };
            let field = |v: i64| u32::try_from(v).ok();
            // PostgreSQL takes 60 seconds (the next minute) but no more.
            let date = i32::try_from(year)
                .ok()
                .filter(|y| *y > 0)
                .zip(field(month).zip(field(day)))
                .and_then(|(y, (m, d))| NaiveDate::from_ymd_opt(y, m, d))
                .ok_or_else(|| out_of_range("date field value"))?;
            if hour == 24 {
                return Err(out_of_range("time field value"));
            }
            let time = time_of_day(hour, min, second)?;
            let midnight = date
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc().timestamp_micros())
                .ok_or_else(|| out_of_range("timestamp"))?;
            out.append_value(midnight + time);
            Ok(())
        })?;
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&TIMESTAMP_DOCUMENTATION)
    }
}

impl ScalarUDFImpl for MakeTime {
    fn name(&self) -> &str {
        "make_time"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        numeric_arguments(self.name(), arg_types, 3)?;
        Ok(DataType::Time64(TimeUnit::Microsecond))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let mut out = Time64MicrosecondBuilder::with_capacity(args.number_rows);
        for_each_row::<2>(&args, self.name(), |row| {
            match row {
                Some(([hour, min], second)) => out.append_value(time_of_day(hour, min, second)?),
                None => out.append_null(),
            }
            Ok(())
        })?;
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&TIME_DOCUMENTATION)
    }
}
