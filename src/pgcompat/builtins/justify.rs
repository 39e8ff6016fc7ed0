//! `justify_days`, `justify_hours` and `justify_interval`: an interval with 30-day periods
//! as months and 24-hour periods as days, as PostgreSQL adjusts it (the signs of the fields
//! made to agree). A duration (custlake's `timestamp - timestamp`) is first read as
//! PostgreSQL's result of that subtraction: whole days and the time left over.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, AsArray, IntervalMonthDayNanoArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationMicrosecondType, IntervalMonthDayNano, IntervalUnit, TimeUnit,
};
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::columnar;

const DAY: i64 = 86_400_000_000_000;

/// The intervals of `x` as PostgreSQL holds them: a duration as whole days and the time left.
pub(super) fn intervals(x: &ArrayRef) -> Result<IntervalMonthDayNanoArray> {
    Ok(match x.data_type() {
        DataType::Duration(_) => cast(x, &DataType::Duration(TimeUnit::Microsecond))?
            .as_primitive::<DurationMicrosecondType>()
            .unary(|micros| {
                let nanos = micros.saturating_mul(1_000);
                IntervalMonthDayNano::new(0, (nanos / DAY) as i32, nanos % DAY)
            }),
        _ => cast(x, &DataType::Interval(IntervalUnit::MonthDayNano))?
            .as_primitive()
            .clone(),
    })
}

fn justify_days(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let (mut months, mut days) = (v.months + v.days / 30, v.days % 30);
    if months > 0 && days < 0 {
        days += 30;
        months -= 1;
    } else if months < 0 && days > 0 {
        days -= 30;
        months += 1;
    }
    IntervalMonthDayNano::new(months, days, v.nanoseconds)
}

fn justify_hours(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let (mut days, mut nanos) = (v.days + (v.nanoseconds / DAY) as i32, v.nanoseconds % DAY);
    if days > 0 && nanos < 0 {
        nanos += DAY;
        days -= 1;
    } else if days < 0 && nanos > 0 {
        nanos -= DAY;
        days += 1;
    }
    IntervalMonthDayNano::new(v.months, days, nanos)
}

fn justify_interval(v: IntervalMonthDayNano) -> IntervalMonthDayNano {
    let (mut months, mut days, mut nanos) = (v.months, v.days, v.nanoseconds);
    days += (nanos / DAY) as i32;
    nanos %= DAY;
    months += days / 30;
    days %= 30;
    if months > 0 && (days < 0 || (days == 0 && nanos < 0)) {
        days += 30;
        months -= 1;
    } else if months < 0 && (days > 0 || (days == 0 && nanos > 0)) {
        days -= 30;
        months += 1;
    }
    if days > 0 && nanos < 0 {
        nanos += DAY;
        days -= 1;
    } else if days < 0 && nanos > 0 {
        nanos -= DAY;
        days += 1;
    }
    IntervalMonthDayNano::new(months, days, nanos)
}

/// One of the three functions: its name, what it does, and the adjustment per value.
#[derive(Debug)]
pub struct Justify {
    name: &'static str,
    signature: Signature,
    adjust: fn(IntervalMonthDayNano) -> IntervalMonthDayNano,
    documentation: &'static LazyLock<Documentation>,
}

documented!(
    JUSTIFY_DAYS,
    "Adjusts an interval so that 30-day periods are months.",
    "An interval.",
    "```sql\n> SELECT justify_days(interval '35 days');\n+--------------+\n| justify_days |\n+--------------+\n| 1 mon 5 days |\n+--------------+\n```"
);
documented!(
    JUSTIFY_HOURS,
    "Adjusts an interval so that 24-hour periods are days.",
    "An interval.",
    "```sql\n> SELECT justify_hours(interval '27 hours');\n+----------------+\n| justify_hours  |\n+----------------+\n| 1 day 03:00:00 |\n+----------------+\n```"
);
documented!(
    JUSTIFY_INTERVAL,
    "Adjusts an interval with justify_days and justify_hours, with sign adjustments.",
    "An interval.",
    "```sql\n> SELECT justify_interval(interval '1 mon -1 hour');\n+---------------------+\n| justify_interval    |\n+---------------------+\n| 29 days 23:00:00    |\n+---------------------+\n```"
);

known_by_name!(Justify);

impl Justify {
    pub fn days() -> Self {
        Self::new("justify_days", justify_days, &JUSTIFY_DAYS)
    }

    pub fn hours() -> Self {
        Self::new("justify_hours", justify_hours, &JUSTIFY_HOURS)
    }

    pub fn interval() -> Self {
        Self::new("justify_interval", justify_interval, &JUSTIFY_INTERVAL)
    }

    fn new(
        name: &'static str,
        adjust: fn(IntervalMonthDayNano) -> IntervalMonthDayNano,
        documentation: &'static LazyLock<Documentation>,
    ) -> Self {
        Self {
            name,
            signature: Signature::any(1, Volatility::Immutable),
            adjust,
            documentation,
        }
    }
}

impl ScalarUDFImpl for Justify {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::Interval(_) | DataType::Duration(_) | DataType::Null] => {
                Ok(DataType::Interval(IntervalUnit::MonthDayNano))
            }
            other => exec_err!("{} takes an interval, not {other:?}", self.name),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [x] = take_function_args(self.name, args.args)?;
        let scalar = matches!(x, ColumnarValue::Scalar(_));
        let adjusted = intervals(&x.to_array(args.number_rows)?)?.unary::<_, _>(self.adjust);
        let adjusted: IntervalMonthDayNanoArray = adjusted;
        columnar(Arc::new(adjusted), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(self.documentation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(months: i32, days: i32, hours: i64) -> IntervalMonthDayNano {
        IntervalMonthDayNano::new(months, days, hours * 3_600_000_000_000)
    }

    #[test]
    fn adjusts_as_postgres_documents() {
        assert_eq!(justify_days(iv(0, 35, 0)), iv(1, 5, 0));
        assert_eq!(justify_days(iv(0, 65, 0)), iv(2, 5, 0));
        assert_eq!(justify_hours(iv(0, 0, 27)), iv(0, 1, 3));
        assert_eq!(justify_hours(iv(0, 0, 50)), iv(0, 2, 2));
        assert_eq!(justify_interval(iv(1, 0, -1)), iv(0, 29, 23));
        assert_eq!(justify_days(iv(1, -5, 0)), iv(0, 25, 0));
    }
}
