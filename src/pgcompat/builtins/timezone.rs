//! `timezone(zone, ts)`, which `ts AT TIME ZONE zone` is: a timestamp without time zone read
//! as the wall-clock time in `zone` gives the instant (a timestamptz), and an instant gives
//! the wall-clock time in `zone` (a timestamp without time zone) — so
//! `(ts AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin'` is the Berlin time of a UTC
//! timestamp. DataFusion's `AT TIME ZONE` only relabels the zone.
//!
//! Zones are IANA names (`Asia/Shanghai`) or `UTC`. A numeric offset is refused: PostgreSQL
//! reads `'+08'` in POSIX style, as eight hours *west* of Greenwich, which is rarely what its
//! writer meant. A wall-clock time that a zone skips (the hour clocks are put forward) is
//! read with the offset before the change, one that occurs twice with the later instant.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone};
use datafusion::arrow::array::timezone::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};

const NAME: &str = "timezone";

/// The zone a timestamptz is labelled with here (the session's, UTC).
const SESSION_ZONE: &str = "+00:00";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "ts AT TIME ZONE zone: a timestamp without time zone, read as wall-clock time in the \
         zone, becomes a timestamptz; a timestamptz becomes the wall-clock time in the zone. \
         The zone is an IANA name or UTC.",
        "timezone(zone, ts)",
    )
    .with_argument("zone", "An IANA time zone name, e.g. 'Asia/Shanghai', or 'UTC'.")
    .with_argument("ts", "A timestamp or a timestamptz.")
    .with_sql_example(
        "```sql\n> SELECT timezone('Asia/Shanghai', TIMESTAMPTZ '2024-06-30 16:00:00+00');\n+---------------------+\n| timezone            |\n+---------------------+\n| 2024-07-01T00:00:00 |\n+---------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Timezone {
    signature: Signature,
}

impl Timezone {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

fn zone(name: &str) -> Result<Tz> {
    crate::pgcompat::time_zone::resolve(name)
        .map(|zone| zone.tz)
        .map_err(|error| {
            datafusion::error::DataFusionError::External(Box::new(SqlError::new(
                sqlstate::INVALID_PARAMETER_VALUE,
                format!("time zone \"{name}\" {}", error.reason()),
            )))
        })
}

/// The instant of wall-clock time `local` in `tz`, in microseconds.
fn instant_of(local: &NaiveDateTime, tz: &Tz) -> Option<i64> {
    let instant = match tz.from_local_datetime(local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(_, later) => later,
        // Skipped: the offset of an hour before.
        LocalResult::None => {
            let before = *local - chrono::Duration::hours(3);
            let offset = tz.from_local_datetime(&before).earliest()?.offset().fix();
            return Some((*local - offset).and_utc().timestamp_micros());
        }
    };
    Some(instant.timestamp_micros())
}

impl ScalarUDFImpl for Timezone {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null,
                ts,
            ] => {
                let ts = match ts {
                    DataType::Timestamp(_, zone) => {
                        DataType::Timestamp(TimeUnit::Microsecond, zone.clone())
                    }
                    DataType::Utf8 | DataType::Utf8View | DataType::Null => {
                        DataType::Timestamp(TimeUnit::Microsecond, None)
                    }
                    other => return exec_err!("AT TIME ZONE takes a timestamp, not {other}"),
                };
                Ok(vec![DataType::Utf8, ts])
            }
            _ => exec_err!("AT TIME ZONE takes a zone name (text) and a timestamp"),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types.get(1) {
            Some(DataType::Timestamp(_, None)) => Ok(DataType::Timestamp(
                TimeUnit::Microsecond,
                Some(SESSION_ZONE.into()),
            )),
            Some(DataType::Timestamp(_, Some(_))) => {
                Ok(DataType::Timestamp(TimeUnit::Microsecond, None))
            }
            other => exec_err!("AT TIME ZONE takes a timestamp, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let zones = arrays[0].as_string::<i32>();
        let to_local = matches!(arrays[1].data_type(), DataType::Timestamp(_, Some(_)));
        let values = cast(
            &arrays[1],
            &DataType::Timestamp(TimeUnit::Microsecond, None),
        )?;
        let values = values.as_primitive::<TimestampMicrosecondType>();
        let mut cached: Option<(String, Tz)> = None;
        let mut out = Vec::with_capacity(values.len());
        for row in 0..values.len() {
            if values.is_null(row) || zones.is_null(row) {
                out.push(None);
                continue;
            }
            let name = zones.value(row);
            let tz = made_for(&mut cached, name, zone)?;
            let Some(at) = DateTime::from_timestamp_micros(values.value(row)) else {
                return exec_err!("timestamp out of range");
            };
            let converted = if to_local {
                let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
                (at.naive_utc() + offset).and_utc().timestamp_micros()
            } else {
                match instant_of(&at.naive_utc(), tz) {
                    Some(micros) => micros,
                    None => return exec_err!("timestamp out of range"),
                }
            };
            out.push(Some(converted));
        }
        let array = TimestampMicrosecondArray::from(out);
        let array: ArrayRef = Arc::new(if to_local {
            array
        } else {
            array.with_timezone(SESSION_ZONE)
        });
        columnar(array, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
