//! `interval_span(x)`: an interval (or a duration) as the microseconds PostgreSQL compares it
//! by — a month as 30 days, a day as 24 hours. PostgreSQL finds `interval '36 hours'` greater
//! than `interval '1 day'` and `interval '1 month'` equal to `interval '30 days'`; Arrow
//! compares an interval's months, then days, then nanoseconds. The cast rule
//! ([`crate::pgcompat::cast_rules`]) compares intervals by their spans.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, AsArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationMicrosecondType, Int64Type, IntervalDayTimeType, IntervalMonthDayNanoType,
    IntervalUnit, IntervalYearMonthType, TimeUnit,
};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, columnar};

const NAME: &str = "interval_span";
const DAY: i128 = 86_400_000_000;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The microseconds an interval spans, counting a month as 30 days and a day as 24 \
         hours: the value PostgreSQL compares intervals by.",
        "interval_span(x)",
    )
    .with_argument("x", "An interval.")
    .with_sql_example(
        "```sql\n> SELECT interval_span(interval '1 day 2 hours');\n+---------------+\n| interval_span |\n+---------------+\n| 93600000000   |\n+---------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IntervalSpan {
    signature: Signature,
}

impl IntervalSpan {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

/// Micros of one value, `None` where it does not fit 64 bits.
fn span(months: i64, days: i64, nanos: i128) -> Option<i64> {
    let total = (i128::from(months) * 30 + i128::from(days)) * DAY + nanos.div_euclid(1_000);
    i64::try_from(total).ok()
}

impl ScalarUDFImpl for IntervalSpan {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::Interval(_) | DataType::Duration(_) | DataType::Null] => Ok(DataType::Int64),
            other => exec_err!("{NAME} takes an interval, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let values = args.args[0].to_array(args.number_rows)?;
        let out_of_range = || ArrowError::ComputeError("interval out of range".to_string());
        let spans: Int64Array = match values.data_type() {
            DataType::Interval(IntervalUnit::MonthDayNano) => values
                .as_primitive::<IntervalMonthDayNanoType>()
                .try_unary::<_, Int64Type, _>(|v| {
                    span(v.months.into(), v.days.into(), v.nanoseconds.into())
                        .ok_or_else(out_of_range)
                })?,
            DataType::Interval(IntervalUnit::DayTime) => values
                .as_primitive::<IntervalDayTimeType>()
                .try_unary::<_, Int64Type, _>(|v| {
                    span(0, v.days.into(), i128::from(v.milliseconds) * 1_000_000)
                        .ok_or_else(out_of_range)
                })?,
            DataType::Interval(IntervalUnit::YearMonth) => values
                .as_primitive::<IntervalYearMonthType>()
                .try_unary::<_, Int64Type, _>(|v| span(v.into(), 0, 0).ok_or_else(out_of_range))?,
            // In microseconds (Arrow's cast fails where they would overflow).
            DataType::Duration(_) => cast(&values, &DataType::Duration(TimeUnit::Microsecond))?
                .as_primitive::<DurationMicrosecondType>()
                .unary::<_, Int64Type>(|v| v),
            DataType::Null => Int64Array::new_null(values.len()),
            other => return exec_err!("{NAME} takes an interval, not {other}"),
        };
        let spans: ArrayRef = Arc::new(spans);
        columnar(spans, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
