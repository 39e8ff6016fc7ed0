//! `age(a, b)` and `age(a)`: the interval from `b` to `a` in years, months and days, as
//! PostgreSQL counts it — field by field, a negative field borrowing from the next larger
//! one (a month borrowed as the days of the earlier value's month). `age(a)` is the age of
//! `a` at today's midnight. Dates are read as their midnights; a timestamptz in the session's
//! zone.

use std::sync::{Arc, LazyLock};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use datafusion::arrow::array::{
    ArrayRef, AsArray, IntervalMonthDayNanoArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::{cast, try_binary};
use datafusion::arrow::datatypes::{
    DataType, IntervalMonthDayNano, IntervalUnit, TimeUnit, TimestampMicrosecondType,
};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};
use crate::pgcompat::time_zone::Zone;

const NAME: &str = "age";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Subtracts arguments, producing a symbolic result that uses years and months, rather \
         than just days; with one argument, subtracts it from today's midnight.",
        "age(a [, b])",
    )
    .with_argument("a", "A timestamp or date.")
    .with_argument("b", "A timestamp or date, subtracted from a.")
    .with_sql_example(
        "```sql\n> SELECT age(timestamp '2001-04-10', timestamp '1957-06-13');\n+-------------------------+\n| age                     |\n+-------------------------+\n| 43 years 9 mons 27 days |\n+-------------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Age {
    signature: Signature,
}

impl Age {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Stable),
        }
    }
}

fn is_datetime(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) | DataType::Null
    )
}

/// The values of `x` as wall-clock microseconds: a timestamptz's in its type's zone (the
/// session's, see `session_zone`), as PostgreSQL takes its fields in the session's zone.
fn wall_clock(x: &ArrayRef) -> Result<ArrayRef> {
    // Arrow's cast keeps a timestamptz's instant: its UTC wall-clock time.
    let utc = cast(x, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
    let DataType::Timestamp(_, Some(zone)) = x.data_type() else {
        return Ok(utc);
    };
    let zone = Zone::parse(zone).unwrap_or(Zone::Fixed(0));
    let local: TimestampMicrosecondArray = utc
        .as_primitive::<TimestampMicrosecondType>()
        .try_unary(|micros| {
            micros
                .checked_add(i64::from(zone.offset_at(micros)) * 1_000_000)
                .ok_or_else(|| ArrowError::ComputeError("timestamp out of range".to_string()))
        })?;
    Ok(Arc::new(local))
}

fn days_in_month(year: i32, month: u32) -> i64 {
    let next = match month {
        12 => NaiveDate::from_ymd_opt(year + 1, 1, 1),
        _ => NaiveDate::from_ymd_opt(year, month + 1, 1),
    };
    match (next, NaiveDate::from_ymd_opt(year, month, 1)) {
        (Some(next), Some(first)) => (next - first).num_days(),
        _ => 30,
    }
}

fn fields(micros: i64) -> Result<NaiveDateTime, ArrowError> {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc())
        .ok_or_else(|| ArrowError::ComputeError("timestamp out of range".to_string()))
}

/// PostgreSQL's `age(a, b)` of two timestamps in microseconds.
fn age(a: i64, b: i64) -> Result<IntervalMonthDayNano, ArrowError> {
    let (t1, t2) = (fields(a)?, fields(b)?);
    let sign = if a < b { -1 } else { 1 };
    let diff = |x: u32, y: u32| i64::from(x) - i64::from(y);
    let mut micros =
        sign * (i64::from(t1.nanosecond() / 1_000) - i64::from(t2.nanosecond() / 1_000));
    let mut sec = sign * diff(t1.second(), t2.second());
    let mut min = sign * diff(t1.minute(), t2.minute());
    let mut hour = sign * diff(t1.hour(), t2.hour());
    let mut day = sign * diff(t1.day(), t2.day());
    let mut month = sign * diff(t1.month(), t2.month());
    let mut year = sign * (i64::from(t1.year()) - i64::from(t2.year()));
    while micros < 0 {
        micros += 1_000_000;
        sec -= 1;
    }
    while sec < 0 {
        sec += 60;
        min -= 1;
    }
    while min < 0 {
        min += 60;
        hour -= 1;
    }
    while hour < 0 {
        hour += 24;
        day -= 1;
    }
    // A borrowed month is as long as the earlier value's month.
    let earlier = if a < b { t1 } else { t2 };
    while day < 0 {
        day += days_in_month(earlier.year(), earlier.month());
        month -= 1;
    }
    while month < 0 {
        month += 12;
        year -= 1;
    }
    let out_of_range = || ArrowError::ComputeError("interval out of range".to_string());
    let months = i32::try_from(sign * (year * 12 + month)).map_err(|_| out_of_range())?;
    let days = i32::try_from(sign * day).map_err(|_| out_of_range())?;
    let time = sign * ((((hour * 60) + min) * 60 + sec) * 1_000_000 + micros);
    Ok(IntervalMonthDayNano::new(months, days, time * 1_000))
}

impl ScalarUDFImpl for Age {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [a] | [a, _] if arg_types.iter().all(is_datetime) && is_datetime(a) => {
                Ok(DataType::Interval(IntervalUnit::MonthDayNano))
            }
            other => exec_err!("{NAME} takes one or two timestamps or dates, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let (a, b) = match args.args.as_slice() {
            [a, b] => (a.to_array(rows)?, b.to_array(rows)?),
            [b] => {
                // Today's midnight in the session's zone, as PostgreSQL's `age(x)` takes it.
                let now = chrono::Utc::now();
                let zone = args.config_options.execution.time_zone.as_deref();
                let offset = zone
                    .and_then(Zone::parse)
                    .map_or(0, |zone| zone.offset_at(now.timestamp_micros()));
                let today = (now.naive_utc() + chrono::TimeDelta::seconds(offset.into())).date();
                let midnight = today
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc().timestamp_micros());
                let today = ScalarValue::TimestampMicrosecond(midnight, None);
                (today.to_array_of_size(rows)?, b.to_array(rows)?)
            }
            other => return exec_err!("{NAME} takes one or two arguments, not {}", other.len()),
        };
        let (a, b) = (wall_clock(&a)?, wall_clock(&b)?);
        let ages: IntervalMonthDayNanoArray = try_binary(
            a.as_primitive::<TimestampMicrosecondType>(),
            b.as_primitive::<TimestampMicrosecondType>(),
            age,
        )?;
        columnar(Arc::new(ages), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp_micros()
    }

    fn age_of(a: &str, b: &str) -> (i32, i32, i64) {
        let v = age(micros(a), micros(b)).unwrap();
        (v.months, v.days, v.nanoseconds / 1_000_000_000)
    }

    #[test]
    fn counts_years_months_and_days() {
        // PostgreSQL's documented example: 43 years 9 mons 27 days.
        assert_eq!(
            age_of("2001-04-10 00:00:00", "1957-06-13 00:00:00"),
            (43 * 12 + 9, 27, 0)
        );
        // A borrowed month is January's 31 days, the earlier value's month.
        assert_eq!(
            age_of("2023-03-01 00:00:00", "2023-01-31 00:00:00"),
            (1, 1, 0)
        );
        // Negative: every field negated.
        assert_eq!(
            age_of("1957-06-13 00:00:00", "2001-04-10 00:00:00"),
            (-(43 * 12 + 9), -27, 0)
        );
        assert_eq!(
            age_of("2024-01-01 01:00:00", "2023-12-31 23:30:00"),
            (0, 0, 5_400)
        );
    }
}
