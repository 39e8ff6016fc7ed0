//! `date_trunc(field, x)`: DataFusion's for timestamps, and for an interval PostgreSQL's —
//! the interval's fields below `field` set to zero (`date_trunc('hour', interval '2 days
//! 3 hours 40 minutes')` is `2 days 03:00:00`), years counted as 12 months, `week` refused
//! as PostgreSQL refuses it. A duration (custlake's `timestamp - timestamp`) is first read as
//! PostgreSQL's result of that subtraction: whole days and the time left over.

use std::sync::Arc;

use datafusion::arrow::array::IntervalMonthDayNanoArray;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, IntervalMonthDayNano, IntervalUnit};
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err};
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility,
};

use super::columnar;
use super::justify::intervals;
use crate::error::{SqlError, sqlstate};

const HOUR: i64 = 3_600_000_000_000;
const MINUTE: i64 = 60_000_000_000;
const SECOND: i64 = 1_000_000_000;

/// DataFusion's `date_trunc`, which answers for everything but intervals.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct DateTrunc {
    timestamps: Arc<ScalarUDF>,
    signature: Signature,
}

impl DateTrunc {
    pub fn new() -> Self {
        Self {
            timestamps: datafusion::functions::datetime::date_trunc(),
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

fn is_interval(t: &DataType) -> bool {
    matches!(t, DataType::Interval(_) | DataType::Duration(_))
}

fn refused(code: &'static str, message: String) -> DataFusionError {
    DataFusionError::External(Box::new(SqlError::new(code, message)))
}

/// The interval `v` truncated to `field`, as PostgreSQL's `interval_trunc`.
fn truncated(v: IntervalMonthDayNano, field: &str) -> Result<IntervalMonthDayNano> {
    let (years, months) = (v.months / 12, v.months % 12);
    let nanos = v.nanoseconds;
    let whole = |unit: i64| nanos / unit * unit;
    let in_years = |per: i32| IntervalMonthDayNano::new(years / per * per * 12, 0, 0);
    Ok(match field.to_ascii_lowercase().as_str() {
        "millennium" | "millennia" => in_years(1000),
        "century" | "centuries" => in_years(100),
        "decade" | "decades" => in_years(10),
        "year" | "years" => in_years(1),
        "quarter" => IntervalMonthDayNano::new(years * 12 + months / 3 * 3, 0, 0),
        "month" | "months" => IntervalMonthDayNano::new(v.months, 0, 0),
        "day" | "days" => IntervalMonthDayNano::new(v.months, v.days, 0),
        "hour" | "hours" => IntervalMonthDayNano::new(v.months, v.days, whole(HOUR)),
        "minute" | "minutes" => IntervalMonthDayNano::new(v.months, v.days, whole(MINUTE)),
        "second" | "seconds" => IntervalMonthDayNano::new(v.months, v.days, whole(SECOND)),
        "milliseconds" | "millisecond" => {
            IntervalMonthDayNano::new(v.months, v.days, whole(1_000_000))
        }
        "microseconds" | "microsecond" => IntervalMonthDayNano::new(v.months, v.days, whole(1_000)),
        "week" | "weeks" => {
            return Err(refused(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "interval units \"week\" not supported because months usually have fractional \
                 weeks"
                    .to_string(),
            ));
        }
        other => {
            return Err(refused(
                sqlstate::INVALID_PARAMETER_VALUE,
                format!("interval units \"{other}\" not recognized"),
            ));
        }
    })
}

impl ScalarUDFImpl for DateTrunc {
    fn name(&self) -> &str {
        self.timestamps.name()
    }

    fn aliases(&self) -> &[String] {
        self.timestamps.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [_, x] if is_interval(x) => Ok(vec![DataType::Utf8, x.clone()]),
            _ => {
                let fields: Vec<FieldRef> = arg_types
                    .iter()
                    .map(|t| Arc::new(Field::new("", t.clone(), true)))
                    .collect();
                Ok(fields_with_udf(&fields, self.timestamps.as_ref())?
                    .iter()
                    .map(|f| f.data_type().clone())
                    .collect())
            }
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        exec_err!("return_field_from_args is used instead")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        match args.arg_fields {
            [_, x] if is_interval(x.data_type()) => Ok(Arc::new(Field::new(
                self.name(),
                DataType::Interval(IntervalUnit::MonthDayNano),
                true,
            ))),
            _ => self.timestamps.return_field_from_args(args),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [field, x] = args.args.as_slice() else {
            return self.timestamps.invoke_with_args(args);
        };
        if !is_interval(&x.data_type()) {
            return self.timestamps.invoke_with_args(args);
        }
        let ColumnarValue::Scalar(
            ScalarValue::Utf8(Some(field)) | ScalarValue::Utf8View(Some(field)),
        ) = field
        else {
            return exec_err!("date_trunc's field must be a constant text");
        };
        let scalar = matches!(x, ColumnarValue::Scalar(_));
        let values = intervals(&x.to_array(args.number_rows)?)?;
        let mut out = Vec::with_capacity(values.len());
        for value in values.iter() {
            out.push(value.map(|v| truncated(v, field)).transpose()?);
        }
        let array: IntervalMonthDayNanoArray = out.into_iter().collect();
        columnar(Arc::new(array), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.timestamps.documentation()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_an_interval_as_postgres() {
        let v = IntervalMonthDayNano::new(14, 2, 3 * HOUR + 40 * MINUTE + 5 * SECOND);
        assert_eq!(
            truncated(v, "hour").unwrap(),
            IntervalMonthDayNano::new(14, 2, 3 * HOUR)
        );
        assert_eq!(
            truncated(v, "year").unwrap(),
            IntervalMonthDayNano::new(12, 0, 0)
        );
        assert_eq!(
            truncated(v, "quarter").unwrap(),
            IntervalMonthDayNano::new(12, 0, 0)
        );
        assert_eq!(
            truncated(v, "second").unwrap(),
            IntervalMonthDayNano::new(14, 2, 3 * HOUR + 40 * MINUTE + 5 * SECOND)
        );
        assert!(truncated(v, "week").is_err());
    }
}
