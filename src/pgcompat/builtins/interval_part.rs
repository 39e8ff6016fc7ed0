//! `extract(epoch | second | millisecond | microsecond FROM interval)` as PostgreSQL 14+
//! computes them: numerics of the interval's exact microseconds (`93600.000000`, `1.500000`),
//! where DataFusion's `date_part` answers a double or drops the fraction. The epoch counts a
//! year of months as 365.25 days and a month as 30 days, as PostgreSQL does. The cast rule
//! ([`crate::pgcompat::cast_rules`]) calls this for those fields of an interval.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, IntervalMonthDayNanoType, IntervalUnit};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, columnar};

const NAME: &str = "interval_part";
const MICROS_PER_MINUTE: i128 = 60_000_000;
const SECS_PER_DAY: i128 = 86_400;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "A field of an interval as an exact numeric: epoch (its seconds), second, millisecond \
         or microsecond (of its minute). `extract(f FROM interval)` is this for those fields.",
        "interval_part(field, interval)",
    )
    .with_argument("field", "'epoch', 'second', 'millisecond' or 'microsecond'.")
    .with_argument("interval", "An interval.")
    .with_sql_example(
        "```sql\n> SELECT interval_part('epoch', interval '1 day 2 hours');\n+---------------+\n| interval_part |\n+---------------+\n| 93600.000000  |\n+---------------+\n```",
    )
    .build()
});

/// The fields this computes, each with its numeric scale.
#[derive(Clone, Copy)]
enum Part {
    Epoch,
    Second,
    Millisecond,
    Microsecond,
}

impl Part {
    fn named(field: &str) -> Option<Self> {
        Some(match field.to_ascii_lowercase().as_str() {
            "epoch" => Part::Epoch,
            "second" | "seconds" => Part::Second,
            "millisecond" | "milliseconds" => Part::Millisecond,
            "microsecond" | "microseconds" => Part::Microsecond,
            _ => return None,
        })
    }

    fn scale(self) -> i8 {
        match self {
            Part::Epoch | Part::Second => 6,
            Part::Millisecond => 3,
            Part::Microsecond => 0,
        }
    }

    /// The field of an interval of `months`, `days` and `micros`, as an integer of
    /// `10^-scale` units.
    fn of(self, months: i32, days: i32, micros: i64) -> i128 {
        let in_minute = i128::from(micros) % MICROS_PER_MINUTE;
        match self {
            Part::Epoch => {
                // PostgreSQL's integer form: a year is 4 × 365.25 quarter-days, a month 4 × 30.
                let (months, days) = (i128::from(months), i128::from(days));
                let quarter_days = 1461 * (months / 12) + 120 * (months % 12) + 4 * days;
                quarter_days * (SECS_PER_DAY / 4) * 1_000_000 + i128::from(micros)
            }
            // The microseconds of the minute, read at scale 6 (seconds), 3 (milliseconds) or 0.
            Part::Second | Part::Millisecond | Part::Microsecond => in_minute,
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IntervalPart {
    signature: Signature,
}

impl IntervalPart {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for IntervalPart {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        plan_err!("{NAME}'s type depends on its field")
    }

    fn return_field_from_args(
        &self,
        args: datafusion::logical_expr::ReturnFieldArgs,
    ) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let part = match args.scalar_arguments.first().copied().flatten() {
            Some(ScalarValue::Utf8(Some(f)) | ScalarValue::Utf8View(Some(f))) => Part::named(f),
            _ => None,
        };
        let Some(part) = part else {
            return plan_err!("{NAME} takes 'epoch', 'second', 'millisecond' or 'microsecond'");
        };
        Ok(Arc::new(datafusion::arrow::datatypes::Field::new(
            NAME,
            DataType::Decimal128(38, part.scale()),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [field, interval] = take_function_args(NAME, args.args)?;
        let part = match &field {
            ColumnarValue::Scalar(ScalarValue::Utf8(Some(f)) | ScalarValue::Utf8View(Some(f))) => {
                Part::named(f)
            }
            _ => None,
        };
        let Some(part) = part else {
            return exec_err!("{NAME} takes a constant field");
        };
        let scalar = matches!(interval, ColumnarValue::Scalar(_));
        let values = interval.to_array(args.number_rows)?;
        let values = cast(&values, &DataType::Interval(IntervalUnit::MonthDayNano))?;
        let values = values.as_primitive::<IntervalMonthDayNanoType>();
        let mut out = Decimal128Builder::with_capacity(values.len());
        for row in 0..values.len() {
            if values.is_null(row) {
                out.append_null();
                continue;
            }
            let v = values.value(row);
            let micros = v.nanoseconds / 1_000;
            out.append_value(part.of(v.months, v.days, micros));
        }
        let out: ArrayRef = Arc::new(out.finish().with_precision_and_scale(38, part.scale())?);
        columnar(out, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

#[cfg(test)]
mod tests {
    use super::Part;

    #[test]
    fn postgres_epoch_and_seconds_of_intervals() {
        // '1 day 2 hours': 93600.000000; '-1 year 2 mons 3.25 seconds': -25919996.750000.
        assert_eq!(Part::Epoch.of(0, 1, 7_200_000_000), 93_600_000_000);
        assert_eq!(Part::Epoch.of(-10, 0, 3_250_000), -25_919_996_750_000);
        // A year of months is 365.25 days.
        assert_eq!(Part::Epoch.of(12, 0, 0), 31_557_600_000_000);
        // '1 minute 1.5 seconds': second 1.500000, millisecond 1500.000, microsecond 1500000.
        assert_eq!(Part::Second.of(0, 0, 61_500_000), 1_500_000);
        assert_eq!(Part::Millisecond.of(0, 0, 61_500_000), 1_500_000);
        assert_eq!(Part::Microsecond.of(0, 0, 61_500_000), 1_500_000);
    }
}
