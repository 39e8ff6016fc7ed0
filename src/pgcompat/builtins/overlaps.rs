//! `(start1, end1) OVERLAPS (start2, end2)`, which the rewrite makes `overlaps(start1, end1,
//! start2, end2)`: whether two periods of time overlap, by PostgreSQL's rule (the SQL
//! standard's): each period runs from its earlier to its later end, includes its start and
//! excludes its end, and two periods that start together overlap even when one is empty. An
//! end may be an interval, counted from the start. NULL ends follow PostgreSQL exactly: the
//! answer is NULL unless the known ends decide it.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::kernels::numeric::add;
use datafusion::arrow::datatypes::{DataType, IntervalUnit, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};

const NAME: &str = "overlaps";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Whether two periods of time overlap: `(start1, end1) OVERLAPS (start2, end2)`. An end \
         may be an interval from its start.",
        "(start1, end1) OVERLAPS (start2, end2)",
    )
    .with_argument("start1, start2", "Dates or timestamps.")
    .with_argument("end1, end2", "Dates, timestamps or intervals.")
    .with_sql_example(
        "```sql\n> SELECT (date '2001-02-16', date '2001-12-21') OVERLAPS (date '2001-10-30', date '2002-10-30');\n+------+\n| o    |\n+------+\n| true |\n+------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Overlaps {
    signature: Signature,
}

impl Overlaps {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// Whether a period end of this type is an interval from its start.
fn is_interval(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Interval(_) | DataType::Duration(_))
}

impl ScalarUDFImpl for Overlaps {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 4 {
            return plan_err!("OVERLAPS compares two periods, each (start, end)");
        }
        // Every point in time becomes a microsecond timestamp, with a zone only if one has a
        // zone: comparing a timestamp with a timestamptz would need the session's zone, and
        // DataFusion's cast assumes UTC, so that mix is refused.
        let mut zone: Option<Option<Arc<str>>> = None;
        for (i, data_type) in arg_types.iter().enumerate() {
            let this = match data_type {
                DataType::Timestamp(_, tz) => Some(tz.clone()),
                DataType::Date32 | DataType::Date64 => Some(None),
                DataType::Null | DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => None,
                other if i % 2 == 1 && is_interval(other) => None,
                other => {
                    return plan_err!("OVERLAPS takes dates, timestamps or intervals, not {other}");
                }
            };
            match (&zone, this) {
                (_, None) => {}
                (None, Some(tz)) => zone = Some(tz),
                (Some(seen), Some(tz)) if seen.is_some() != tz.is_some() => {
                    return plan_err!(
                        "OVERLAPS of a timestamp with a timestamp with time zone is not supported; cast one to the other's type"
                    );
                }
                (Some(_), Some(_)) => {}
            }
        }
        let point = DataType::Timestamp(TimeUnit::Microsecond, zone.flatten());
        Ok(arg_types
            .iter()
            .enumerate()
            .map(|(i, data_type)| match data_type {
                other if i % 2 == 1 && is_interval(other) => {
                    DataType::Interval(IntervalUnit::MonthDayNano)
                }
                _ => point.clone(),
            })
            .collect())
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let arrays = args
            .args
            .iter()
            .map(|arg| arg.to_array(rows))
            .collect::<Result<Vec<ArrayRef>>>()?;
        let [start1, end1, start2, end2] = arrays.as_slice() else {
            return plan_err!("OVERLAPS compares two periods, each (start, end)");
        };
        let end1 = period_end(start1, end1)?;
        let end2 = period_end(start2, end2)?;
        let points =
            [start1, &end1, start2, &end2].map(|a| a.as_primitive::<TimestampMicrosecondType>());
        let at = |k: usize, row: usize| points[k].is_valid(row).then(|| points[k].value(row));
        let answers: BooleanArray = (0..rows)
            .map(|row| periods_overlap(at(0, row), at(1, row), at(2, row), at(3, row)))
            .collect();
        columnar(Arc::new(answers), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// A period's end as a point in time: an interval end is counted from the start.
fn period_end(start: &ArrayRef, end: &ArrayRef) -> Result<ArrayRef> {
    if is_interval(end.data_type()) {
        Ok(add(start, end)?)
    } else {
        Ok(Arc::clone(end))
    }
}

/// PostgreSQL's `timestamp_overlaps`, NULLs included.
fn periods_overlap(
    start1: Option<i64>,
    end1: Option<i64>,
    start2: Option<i64>,
    end2: Option<i64>,
) -> Option<bool> {
    // A period with one NULL end is the point at its other end, its far end unknown; with
    // both NULL the answer is unknown. Otherwise the start is the earlier end.
    let ordered = |start: Option<i64>, end: Option<i64>| match (start, end) {
        (None, None) => None,
        (None, Some(end)) => Some((end, None)),
        (Some(start), None) => Some((start, None)),
        (Some(a), Some(b)) => Some((a.min(b), Some(a.max(b)))),
    };
    let (s1, e1) = ordered(start1, end1)?;
    let (s2, e2) = ordered(start2, end2)?;
    use std::cmp::Ordering::*;
    match s1.cmp(&s2) {
        Greater => {
            if s1 < e2? {
                return Some(true);
            }
            // With e1 known, s1 <= e1 and s1 >= e2: the first period starts after the second.
            e1.map(|_| false)
        }
        Less => {
            if s2 < e1? {
                return Some(true);
            }
            e2.map(|_| false)
        }
        // Periods starting together overlap, when both ends are known.
        Equal => (e1.is_some() && e2.is_some()).then_some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::periods_overlap;

    #[test]
    fn postgres_rule_with_nulls() {
        // Touching periods do not overlap; an empty period at the other's start does.
        assert_eq!(
            periods_overlap(Some(0), Some(10), Some(10), Some(20)),
            Some(false)
        );
        assert_eq!(
            periods_overlap(Some(0), Some(10), Some(5), Some(20)),
            Some(true)
        );
        assert_eq!(
            periods_overlap(Some(5), Some(5), Some(5), Some(9)),
            Some(true)
        );
        // A zero-length period inside the other overlaps it.
        assert_eq!(
            periods_overlap(Some(5), Some(5), Some(0), Some(9)),
            Some(true)
        );
        // Ends given in either order.
        assert_eq!(
            periods_overlap(Some(10), Some(0), Some(20), Some(5)),
            Some(true)
        );
        // NULLs: unknown unless the known ends decide.
        assert_eq!(periods_overlap(Some(5), None, Some(0), Some(9)), Some(true));
        assert_eq!(periods_overlap(Some(10), None, Some(0), Some(9)), None);
        assert_eq!(periods_overlap(None, None, Some(0), Some(9)), None);
        assert_eq!(periods_overlap(Some(0), Some(3), Some(5), None), None);
        assert_eq!(
            periods_overlap(Some(0), Some(3), Some(5), Some(9)),
            Some(false)
        );
        assert_eq!(periods_overlap(Some(0), Some(3), Some(0), None), None);
    }
}
