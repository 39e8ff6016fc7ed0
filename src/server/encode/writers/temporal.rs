//! Writers of the types about time: date, timestamp (with and without zone), time,
//! interval, and durations (written as intervals).

use datafusion::arrow::datatypes::{IntervalDayTime, IntervalMonthDayNano, TimeUnit};

use crate::pgcompat::time_zone::write_offset;
use crate::server::encode::EncodeError;
use crate::server::encode::render::{
    self, PG_EPOCH_DAYS, PG_EPOCH_USECS, Stamp, TimestampStyle, USECS_PER_DAY, put_before_era,
};

use super::*;

/// Native integer of a temporal Arrow type.
pub(in crate::server::encode) trait Native: Copy {
    fn to_i64(self) -> i64;
}

impl Native for i32 {
    #[inline]
    fn to_i64(self) -> i64 {
        i64::from(self)
    }
}

impl Native for i64 {
    #[inline]
    fn to_i64(self) -> i64 {
        self
    }
}

/// Date32 (days) and Date64 (milliseconds) → `date`.
pub(in crate::server::encode) struct DateW<'a, N> {
    pub(in crate::server::encode) prim: Prim<'a, N>,
    /// Source units per day: 1 for Date32, 86 400 000 for Date64.
    pub(in crate::server::encode) per_day: i64,
}

impl<N: Native> DateW<'_, N> {
    #[inline]
    fn days(&self, i: usize) -> i64 {
        // Floor, so a Date64 before 1970 that is not at midnight stays on its own day.
        self.prim.values[i].to_i64().div_euclid(self.per_day)
    }
}

impl<N: Native> Writer for DateW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.prim.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_date(out, self.days(i));
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let days = i32::try_from(self.days(i) - PG_EPOCH_DAYS).map_err(|_| out_of_range("date"))?;
        put_i32(out, days);
        Ok(())
    }
}

/// Microseconds from a value in `unit`, flooring nanoseconds so the seconds and date
/// fields of negative values come out as a calendar would show them.
#[inline]
pub(in crate::server::encode) fn micros_floor(v: i64, unit: TimeUnit) -> Option<i64> {
    match unit {
        TimeUnit::Second => v.checked_mul(1_000_000),
        TimeUnit::Millisecond => v.checked_mul(1_000),
        TimeUnit::Microsecond => Some(v),
        TimeUnit::Nanosecond => Some(v.div_euclid(1_000)),
    }
}

/// Timestamp(unit, tz) → `timestamp` or (with a zone) `timestamptz`, rendered in the type's
/// zone (the server gives results the session's) with its offset.
pub(in crate::server::encode) struct TimestampW<'a> {
    pub(in crate::server::encode) prim: Prim<'a, i64>,
    pub(in crate::server::encode) unit: TimeUnit,
    pub(in crate::server::encode) zone: Stamp,
}

impl TimestampW<'_> {
    #[inline]
    fn micros(&self, i: usize) -> Result<i64, EncodeError> {
        micros_floor(self.prim.values[i], self.unit).ok_or_else(|| out_of_range("timestamp"))
    }
}

impl Writer for TimestampW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.prim.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let micros = self.micros(i)?;
        match self.zone {
            Stamp::Plain => render::put_timestamp(out, micros, TimestampStyle::Plain),
            Stamp::Utc => render::put_timestamp(out, micros, TimestampStyle::Utc),
            Stamp::Zoned(zone) => {
                let offset = zone.offset_at(micros);
                let local = micros
                    .checked_add(i64::from(offset) * 1_000_000)
                    .ok_or_else(|| out_of_range("timestamp"))?;
                render::put_timestamp(out, local, TimestampStyle::Plain);
                let mut written = String::new();
                write_offset(&mut written, offset);
                put_before_era(out, &written);
            }
        }
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let pg = self
            .micros(i)?
            .checked_sub(PG_EPOCH_USECS)
            .ok_or_else(|| out_of_range("timestamp"))?;
        out.extend_from_slice(&pg.to_be_bytes());
        Ok(())
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_timestamp_json(out, self.micros(i)?, self.zone)
            .ok_or_else(|| out_of_range("timestamp"))
    }
}

/// Time32 / Time64 → `time`.
pub(in crate::server::encode) struct TimeW<'a, N> {
    pub(in crate::server::encode) prim: Prim<'a, N>,
    pub(in crate::server::encode) unit: TimeUnit,
}

impl<N: Native> TimeW<'_, N> {
    fn micros(&self, i: usize) -> Result<i64, EncodeError> {
        match micros_floor(self.prim.values[i].to_i64(), self.unit) {
            // 24:00:00 is a valid PostgreSQL time.
            Some(us) if (0..=USECS_PER_DAY).contains(&us) => Ok(us),
            _ => Err(out_of_range("time of day")),
        }
    }
}

impl<N: Native> Writer for TimeW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.prim.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_time(out, self.micros(i)?);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(&self.micros(i)?.to_be_bytes());
        Ok(())
    }
}

/// `interval_send`: microseconds, days, months.
pub(in crate::server::encode) fn interval_binary(
    out: &mut Vec<u8>,
    months: i32,
    days: i32,
    micros: i64,
) {
    out.extend_from_slice(&micros.to_be_bytes());
    put_i32(out, days);
    put_i32(out, months);
}

/// Arrow interval values as PostgreSQL's (months, days, microseconds).
pub(in crate::server::encode) trait PgInterval: Copy {
    fn parts(self) -> (i32, i32, i64);
}

impl PgInterval for IntervalMonthDayNano {
    #[inline]
    fn parts(self) -> (i32, i32, i64) {
        // Truncate toward zero so a negative interval does not grow in magnitude.
        (self.months, self.days, self.nanoseconds / 1_000)
    }
}

impl PgInterval for IntervalDayTime {
    #[inline]
    fn parts(self) -> (i32, i32, i64) {
        (0, self.days, i64::from(self.milliseconds) * 1_000)
    }
}

/// Interval(YearMonth) is a plain month count.
impl PgInterval for i32 {
    #[inline]
    fn parts(self) -> (i32, i32, i64) {
        (self, 0, 0)
    }
}

pub(in crate::server::encode) struct IntervalW<'a, N>(pub(in crate::server::encode) Prim<'a, N>);

impl<N: PgInterval> Writer for IntervalW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (months, days, micros) = self.0.values[i].parts();
        render::put_interval(out, months, days, micros);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (months, days, micros) = self.0.values[i].parts();
        interval_binary(out, months, days, micros);
        Ok(())
    }
}

/// Duration(unit) → `interval` in days and time, as PostgreSQL gives `timestamp - timestamp`
/// (whose difference it justifies into whole days of 24 hours: `5 days 08:24:14`).
pub(in crate::server::encode) struct DurationW<'a> {
    pub(in crate::server::encode) prim: Prim<'a, i64>,
    pub(in crate::server::encode) unit: TimeUnit,
}

impl DurationW<'_> {
    fn micros(&self, i: usize) -> Result<i64, EncodeError> {
        let v = self.prim.values[i];
        match self.unit {
            // Truncate toward zero, as for intervals.
            TimeUnit::Nanosecond => Some(v / 1_000),
            unit => micros_floor(v, unit),
        }
        .ok_or_else(|| out_of_range("duration"))
    }
}

impl Writer for DurationW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.prim.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (days, micros) = self.days_and_micros(i)?;
        render::put_interval(out, 0, days, micros);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (days, micros) = self.days_and_micros(i)?;
        interval_binary(out, 0, days, micros);
        Ok(())
    }
}

impl DurationW<'_> {
    /// Whole days and the rest, both with the duration's sign (PostgreSQL's justify_hours).
    fn days_and_micros(&self, i: usize) -> Result<(i32, i64), EncodeError> {
        const DAY: i64 = 86_400_000_000;
        let micros = self.micros(i)?;
        let days = i32::try_from(micros / DAY).map_err(|_| out_of_range("duration"))?;
        Ok((days, micros % DAY))
    }
}
