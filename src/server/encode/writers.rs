//! Value writers: one small struct per Arrow array layout that renders the value at a row
//! index as PostgreSQL text, PostgreSQL binary, or JSON (for values nested in `json`
//! columns), plus the dispatch that downcasts an array once and hands the concrete writer to
//! a generic consumer ([`Visit`]).
//!
//! Going through `Visit` rather than `Box<dyn Writer>` lets the per-row loops, and the
//! per-element loops of arrays, be monomorphised for each writer. Only the children of
//! structs and maps (rendered as JSON) are boxed, since they are heterogeneous.

use std::ops::Range;

use datafusion::arrow::array::{
    AnyDictionaryArray, Array, ArrayAccessor, AsArray, BooleanArray, Float16Array,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::ArrowPrimitiveType;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type,
    DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, IntervalDayTime,
    IntervalDayTimeType, IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit,
    IntervalYearMonthType, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
    i256,
};
use pgwire::api::Type;

use super::EncodeError;
use super::multidim::{Level, MultiDimW, array_send};
use super::render::{
    self, Magnitude, PG_EPOCH_DAYS, PG_EPOCH_USECS, Stamp, TimestampStyle, USECS_PER_DAY,
    put_before_era,
};
use crate::pgcompat::time_zone::{Zone, is_utc, write_offset};
use crate::pgcompat::types::{is_scalar, plain_type, scalar_type};

/// Renders the values of one downcast Arrow array. `text`, `binary` and `json` are only
/// called for rows where `is_null` is false.
pub(super) trait Writer {
    fn is_null(&self, i: usize) -> bool;
    /// PostgreSQL text format (the type's output function), without length prefix.
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError>;
    /// PostgreSQL binary format (the type's send function), without length prefix.
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError>;
    /// The value inside a `json` document, as PostgreSQL's `to_json` renders it. Most
    /// types are a JSON string of their text form.
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        self.text(i, out)?;
        render::json_quote_in_place(out, start);
        Ok(())
    }
}

impl<W: Writer + ?Sized> Writer for Box<W> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        (**self).is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).text(i, out)
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).binary(i, out)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        (**self).json(i, out)
    }
}

/// A consumer of a concrete writer; see the module docs.
pub(super) trait Visit<'a> {
    type Out;
    fn visit<W: Writer + 'a>(self, writer: W) -> Result<Self::Out, EncodeError>;
}

/// An array's validity bitmap.
#[derive(Clone, Copy)]
pub(super) struct Nulls<'a>(Option<&'a NullBuffer>);

impl Nulls<'_> {
    #[inline]
    pub(super) fn is_null(self, i: usize) -> bool {
        self.0.is_some_and(|n| n.is_null(i))
    }
}

#[inline]
pub(super) fn put_i32(out: &mut Vec<u8>, v: i32) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn out_of_range(what: &str) -> EncodeError {
    EncodeError::Value(format!("{what} out of range for PostgreSQL"))
}

// ---------------------------------------------------------------------------------------------
// Scalars

/// A `DataType::Null` column: every row is NULL.
struct NullW;

impl Writer for NullW {
    fn is_null(&self, _: usize) -> bool {
        true
    }
    fn text(&self, _: usize, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
    fn binary(&self, _: usize, _: &mut Vec<u8>) -> Result<(), EncodeError> {
        Ok(())
    }
    fn json(&self, _: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(b"null");
        Ok(())
    }
}

struct BoolW<'a>(&'a BooleanArray);

impl Writer for BoolW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(if self.0.value(i) { b't' } else { b'f' });
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(u8::from(self.0.value(i)));
        Ok(())
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(if self.0.value(i) { b"true" } else { b"false" });
        Ok(())
    }
}

/// An Arrow integer type and the width (2, 4 or 8 bytes) of the Postgres integer it is sent
/// as (see `types::plain_type`).
trait PgInt: Copy {
    const WIDTH: usize;
    fn widen(self) -> i64;
}

macro_rules! pg_int {
    ($($native:ty => $width:literal),*) => {$(
        impl PgInt for $native {
            const WIDTH: usize = $width;
            #[inline]
            fn widen(self) -> i64 {
                i64::from(self)
            }
        }
    )*};
}
pg_int!(i8 => 2, i16 => 2, u8 => 2, i32 => 4, u16 => 4, i64 => 8, u32 => 8);

/// A primitive array's values and validity, the shape most writers need.
struct Prim<'a, N> {
    values: &'a [N],
    nulls: Nulls<'a>,
}

impl<N> Prim<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.nulls.is_null(i)
    }
}

struct IntW<'a, N>(Prim<'a, N>);

impl<N: PgInt> Writer for IntW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_i64(out, self.0.values[i].widen());
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // The widths are chosen so every source value fits: the casts never truncate.
        let v = self.0.values[i].widen();
        match N::WIDTH {
            2 => out.extend_from_slice(&(v as i16).to_be_bytes()),
            4 => out.extend_from_slice(&(v as i32).to_be_bytes()),
            _ => out.extend_from_slice(&v.to_be_bytes()),
        }
        Ok(())
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.text(i, out)
    }
}

/// UInt64, sent as `numeric` because values may exceed `int8`.
struct U64W<'a>(Prim<'a, u64>);

impl Writer for U64W<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_u64(out, self.0.values[i]);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let m = Magnitude::from_u128(u128::from(self.0.values[i]));
        render::put_numeric_binary(out, false, m.digits(), 0)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.text(i, out)
    }
}

/// `float4` / `float8` values.
trait PgFloat: Copy {
    fn put_text(self, out: &mut Vec<u8>);
    fn put_binary(self, out: &mut Vec<u8>);
    fn is_finite(self) -> bool;
}

impl PgFloat for f32 {
    fn put_text(self, out: &mut Vec<u8>) {
        render::put_f32(out, self);
    }
    fn put_binary(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_be_bytes());
    }
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
}

impl PgFloat for f64 {
    fn put_text(self, out: &mut Vec<u8>) {
        render::put_f64(out, self);
    }
    fn put_binary(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_be_bytes());
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
}

/// JSON for a float: a number when finite; `"NaN"` / `"Infinity"` strings otherwise, as
/// `to_json` does (JSON has no literals for them).
fn float_json(v: impl PgFloat, out: &mut Vec<u8>) {
    if v.is_finite() {
        v.put_text(out);
    } else {
        out.push(b'"');
        v.put_text(out);
        out.push(b'"');
    }
}

struct FloatW<'a, N>(Prim<'a, N>);

impl<N: PgFloat> Writer for FloatW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.0.values[i].put_text(out);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.0.values[i].put_binary(out);
        Ok(())
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        float_json(self.0.values[i], out);
        Ok(())
    }
}

/// Float16 goes out as `float4` (exactly representable there).
struct F16W<'a>(&'a Float16Array);

impl Writer for F16W<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.0.value(i).to_f32().put_text(out);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.0.value(i).to_f32().put_binary(out);
        Ok(())
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        float_json(self.0.value(i).to_f32(), out);
        Ok(())
    }
}

/// An Arrow decimal's unscaled integer.
trait PgDecimal: Copy {
    /// Sign and decimal digits of the absolute value.
    fn magnitude(self) -> (bool, Magnitude);
}

macro_rules! pg_decimal {
    ($($native:ty),*) => {$(
        impl PgDecimal for $native {
            #[inline]
            fn magnitude(self) -> (bool, Magnitude) {
                (self < 0, Magnitude::from_u128(u128::from(self.unsigned_abs())))
            }
        }
    )*};
}
pg_decimal!(i32, i64, i128);

impl PgDecimal for i256 {
    fn magnitude(self) -> (bool, Magnitude) {
        let negative = self.is_negative();
        // Two's complement negation gives the magnitude's bits even for i256::MIN.
        let (low, high) = if negative { self.wrapping_neg() } else { self }.to_parts();
        let high = high as u128;
        let limbs = [
            low as u64,
            (low >> 64) as u64,
            high as u64,
            (high >> 64) as u64,
        ];
        (negative, Magnitude::from_limbs(limbs))
    }
}

struct DecimalW<'a, N> {
    prim: Prim<'a, N>,
    scale: i32,
}

impl<N: PgDecimal> Writer for DecimalW<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.prim.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (negative, m) = self.prim.values[i].magnitude();
        render::put_numeric_text(out, negative, m.digits(), self.scale);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (negative, m) = self.prim.values[i].magnitude();
        render::put_numeric_binary(out, negative, m.digits(), self.scale)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.text(i, out)
    }
}

/// Utf8, LargeUtf8, Utf8View → `text` (same bytes in both formats).
struct StrW<A>(A);

impl<'a, A: ArrayAccessor<Item = &'a str>> Writer for StrW<A> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(self.0.value(i).as_bytes());
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.text(i, out)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_json_str(out, self.0.value(i).as_bytes());
        Ok(())
    }
}

/// Binary, LargeBinary, BinaryView, FixedSizeBinary → `bytea`.
struct BytesW<A>(A);

impl<'a, A: ArrayAccessor<Item = &'a [u8]>> Writer for BytesW<A> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.0.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        render::put_bytea_hex(out, self.0.value(i));
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(self.0.value(i));
        Ok(())
    }
}

/// Native integer of a temporal Arrow type.
trait Native: Copy {
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
struct DateW<'a, N> {
    prim: Prim<'a, N>,
    /// Source units per day: 1 for Date32, 86 400 000 for Date64.
    per_day: i64,
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
fn micros_floor(v: i64, unit: TimeUnit) -> Option<i64> {
    match unit {
        TimeUnit::Second => v.checked_mul(1_000_000),
        TimeUnit::Millisecond => v.checked_mul(1_000),
        TimeUnit::Microsecond => Some(v),
        TimeUnit::Nanosecond => Some(v.div_euclid(1_000)),
    }
}

/// Timestamp(unit, tz) → `timestamp` or (with a zone) `timestamptz`, rendered in the type's
/// zone (the server gives results the session's) with its offset.
struct TimestampW<'a> {
    prim: Prim<'a, i64>,
    unit: TimeUnit,
    zone: Stamp,
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
struct TimeW<'a, N> {
    prim: Prim<'a, N>,
    unit: TimeUnit,
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
fn interval_binary(out: &mut Vec<u8>, months: i32, days: i32, micros: i64) {
    out.extend_from_slice(&micros.to_be_bytes());
    put_i32(out, days);
    put_i32(out, months);
}

/// Arrow interval values as PostgreSQL's (months, days, microseconds).
trait PgInterval: Copy {
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

struct IntervalW<'a, N>(Prim<'a, N>);

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
struct DurationW<'a> {
    prim: Prim<'a, i64>,
    unit: TimeUnit,
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

// ---------------------------------------------------------------------------------------------
// Nested

/// Where each list's elements are in the child array.
#[derive(Clone, Copy)]
pub(super) enum Offsets<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
    Fixed(usize),
}

impl Offsets<'_> {
    #[inline]
    pub(super) fn range(self, i: usize) -> Result<Range<usize>, EncodeError> {
        fn pair<O: Copy + TryInto<usize>>(o: &[O], i: usize) -> Option<Range<usize>> {
            let start = (*o.get(i)?).try_into().ok()?;
            let end = (*o.get(i + 1)?).try_into().ok()?;
            (start <= end).then_some(start..end)
        }
        match self {
            Offsets::Small(o) => pair(o, i),
            Offsets::Large(o) => pair(o, i),
            Offsets::Fixed(n) => Some(i * n..(i + 1) * n),
        }
        .ok_or_else(|| EncodeError::Value("corrupt list offsets".into()))
    }
}

/// List, LargeList, FixedSizeList. With scalar elements this is a PostgreSQL array
/// (`array_out` / `array_send`); otherwise (`pg_array == false`) the column is `json` and
/// every format renders a JSON array.
struct ListW<'a, W> {
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
    elems: W,
    elem_oid: u32,
    pg_array: bool,
}

impl<W: Writer> Writer for ListW<'_, W> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.nulls.is_null(i)
    }

    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if !self.pg_array {
            return self.json(i, out);
        }
        out.push(b'{');
        for (n, j) in self.offsets.range(i)?.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            if self.elems.is_null(j) {
                out.extend_from_slice(b"NULL");
            } else {
                let start = out.len();
                self.elems.text(j, out)?;
                render::quote_array_element(out, start);
            }
        }
        out.push(b'}');
        Ok(())
    }

    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if !self.pg_array {
            return self.json(i, out);
        }
        let range = self.offsets.range(i)?;
        array_send(out, &[range.len()], range, &self.elems, self.elem_oid)
    }

    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(b'[');
        for (n, j) in self.offsets.range(i)?.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            if self.elems.is_null(j) {
                out.extend_from_slice(b"null");
            } else {
                self.elems.json(j, out)?;
            }
        }
        out.push(b']');
        Ok(())
    }
}

/// Struct → `json` object keyed by field name (like `row_to_json`).
struct StructW<'a> {
    names: Vec<&'a str>,
    children: Vec<Box<dyn Writer + 'a>>,
    nulls: Nulls<'a>,
}

impl Writer for StructW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.nulls.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.json(i, out)
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // `json_send` is the text itself.
        self.json(i, out)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(b'{');
        for (n, (name, child)) in self.names.iter().zip(&self.children).enumerate() {
            if n > 0 {
                out.push(b',');
            }
            render::put_json_str(out, name.as_bytes());
            out.push(b':');
            if child.is_null(i) {
                out.extend_from_slice(b"null");
            } else {
                child.json(i, out)?;
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// Map → `json` object of key (its text form) → value.
struct MapW<'a> {
    offsets: &'a [i32],
    nulls: Nulls<'a>,
    keys: Box<dyn Writer + 'a>,
    values: Box<dyn Writer + 'a>,
}

impl Writer for MapW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.nulls.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.json(i, out)
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.json(i, out)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(b'{');
        for (n, j) in Offsets::Small(self.offsets).range(i)?.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            if self.keys.is_null(j) {
                return Err(EncodeError::Value("map key is null".into()));
            }
            let start = out.len();
            self.keys.text(j, out)?;
            render::json_quote_in_place(out, start);
            out.push(b':');
            if self.values.is_null(j) {
                out.extend_from_slice(b"null");
            } else {
                self.values.json(j, out)?;
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// Dictionary → its values, looked up through the keys.
struct DictW<'a, W> {
    /// Keys as indexes into `values` (Arrow clamps them into range).
    keys: Vec<usize>,
    key_nulls: Nulls<'a>,
    values: W,
    /// No values at all: then every key must be null.
    empty: bool,
}

impl<W: Writer> Writer for DictW<'_, W> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.empty || self.key_nulls.is_null(i) || self.values.is_null(self.keys[i])
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.values.text(self.keys[i], out)
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.values.binary(self.keys[i], out)
    }
    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.values.json(self.keys[i], out)
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatch

fn mismatch(data_type: &DataType) -> EncodeError {
    EncodeError::Schema(format!("array does not match its data type {data_type}"))
}

/// Values and validity of a primitive array of Arrow type `T`.
fn prim<'a, T: ArrowPrimitiveType>(
    array: &'a dyn Array,
) -> Result<Prim<'a, T::Native>, EncodeError> {
    let a = array
        .as_primitive_opt::<T>()
        .ok_or_else(|| mismatch(array.data_type()))?;
    Ok(Prim {
        values: a.values(),
        nulls: Nulls(a.nulls()),
    })
}

/// Writers for the plain (non-nested, non-dictionary) types of `types::plain_type`.
fn dispatch_plain<'a, V: Visit<'a>>(array: &'a dyn Array, v: V) -> Result<V::Out, EncodeError> {
    use DataType as D;
    let data_type = array.data_type();
    let downcast_failed = || mismatch(data_type);
    match data_type {
        D::Null => v.visit(NullW),
        D::Boolean => v.visit(BoolW(array.as_boolean_opt().ok_or_else(downcast_failed)?)),
        D::Int8 => v.visit(IntW(prim::<Int8Type>(array)?)),
        D::Int16 => v.visit(IntW(prim::<Int16Type>(array)?)),
        D::Int32 => v.visit(IntW(prim::<Int32Type>(array)?)),
        D::Int64 => v.visit(IntW(prim::<Int64Type>(array)?)),
        D::UInt8 => v.visit(IntW(prim::<UInt8Type>(array)?)),
        D::UInt16 => v.visit(IntW(prim::<UInt16Type>(array)?)),
        D::UInt32 => v.visit(IntW(prim::<UInt32Type>(array)?)),
        D::UInt64 => v.visit(U64W(prim::<UInt64Type>(array)?)),
        D::Float16 => v.visit(F16W(array.as_primitive_opt().ok_or_else(downcast_failed)?)),
        D::Float32 => v.visit(FloatW(prim::<Float32Type>(array)?)),
        D::Float64 => v.visit(FloatW(prim::<Float64Type>(array)?)),
        D::Decimal32(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal32Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal64(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal64Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal128(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal128Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal256(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal256Type>(array)?,
            scale: (*s).into(),
        }),
        D::Utf8 => v.visit(StrW(
            array.as_string_opt::<i32>().ok_or_else(downcast_failed)?,
        )),
        D::LargeUtf8 => v.visit(StrW(
            array.as_string_opt::<i64>().ok_or_else(downcast_failed)?,
        )),
        D::Utf8View => v.visit(StrW(
            array.as_string_view_opt().ok_or_else(downcast_failed)?,
        )),
        D::Binary => v.visit(BytesW(
            array.as_binary_opt::<i32>().ok_or_else(downcast_failed)?,
        )),
        D::LargeBinary => v.visit(BytesW(
            array.as_binary_opt::<i64>().ok_or_else(downcast_failed)?,
        )),
        D::BinaryView => v.visit(BytesW(
            array.as_binary_view_opt().ok_or_else(downcast_failed)?,
        )),
        D::FixedSizeBinary(_) => v.visit(BytesW(
            array
                .as_fixed_size_binary_opt()
                .ok_or_else(downcast_failed)?,
        )),
        D::Date32 => v.visit(DateW {
            prim: prim::<Date32Type>(array)?,
            per_day: 1,
        }),
        D::Date64 => v.visit(DateW {
            prim: prim::<Date64Type>(array)?,
            per_day: 86_400_000,
        }),
        D::Timestamp(unit, tz) => {
            let prim = match unit {
                TimeUnit::Second => prim::<TimestampSecondType>(array)?,
                TimeUnit::Millisecond => prim::<TimestampMillisecondType>(array)?,
                TimeUnit::Microsecond => prim::<TimestampMicrosecondType>(array)?,
                TimeUnit::Nanosecond => prim::<TimestampNanosecondType>(array)?,
            };
            let zone = match tz.as_deref() {
                None => Stamp::Plain,
                Some(zone) if is_utc(zone) => Stamp::Utc,
                Some(zone) => Zone::parse(zone).map_or(Stamp::Utc, Stamp::Zoned),
            };
            v.visit(TimestampW {
                prim,
                unit: *unit,
                zone,
            })
        }
        D::Time32(unit @ TimeUnit::Second) => v.visit(TimeW {
            prim: prim::<Time32SecondType>(array)?,
            unit: *unit,
        }),
        D::Time32(unit @ TimeUnit::Millisecond) => v.visit(TimeW {
            prim: prim::<Time32MillisecondType>(array)?,
            unit: *unit,
        }),
        D::Time64(unit @ TimeUnit::Microsecond) => v.visit(TimeW {
            prim: prim::<Time64MicrosecondType>(array)?,
            unit: *unit,
        }),
        D::Time64(unit @ TimeUnit::Nanosecond) => v.visit(TimeW {
            prim: prim::<Time64NanosecondType>(array)?,
            unit: *unit,
        }),
        D::Interval(IntervalUnit::MonthDayNano) => {
            v.visit(IntervalW(prim::<IntervalMonthDayNanoType>(array)?))
        }
        D::Interval(IntervalUnit::DayTime) => {
            v.visit(IntervalW(prim::<IntervalDayTimeType>(array)?))
        }
        D::Interval(IntervalUnit::YearMonth) => {
            v.visit(IntervalW(prim::<IntervalYearMonthType>(array)?))
        }
        D::Duration(unit) => {
            let prim = match unit {
                TimeUnit::Second => prim::<DurationSecondType>(array)?,
                TimeUnit::Millisecond => prim::<DurationMillisecondType>(array)?,
                TimeUnit::Microsecond => prim::<DurationMicrosecondType>(array)?,
                TimeUnit::Nanosecond => prim::<DurationNanosecondType>(array)?,
            };
            v.visit(DurationW { prim, unit: *unit })
        }
        other => Err(EncodeError::UnsupportedType(other.to_string())),
    }
}

/// A dictionary's keys as indexes into its values, plus their validity.
fn dictionary_keys(dict: &dyn AnyDictionaryArray) -> (Vec<usize>, Nulls<'_>, bool) {
    let key_nulls = Nulls(dict.keys().nulls());
    if dict.values().is_empty() {
        // `normalized_keys` cannot clamp into an empty range; every key is null here.
        (Vec::new(), key_nulls, true)
    } else {
        (dict.normalized_keys(), key_nulls, false)
    }
}

/// Wraps the values writer of a dictionary into a [`DictW`] for the outer consumer.
struct DictVisit<'a, V> {
    keys: Vec<usize>,
    key_nulls: Nulls<'a>,
    empty: bool,
    outer: V,
}

impl<'a, V: Visit<'a>> Visit<'a> for DictVisit<'a, V> {
    type Out = V::Out;
    fn visit<W: Writer + 'a>(self, values: W) -> Result<V::Out, EncodeError> {
        self.outer.visit(DictW {
            keys: self.keys,
            key_nulls: self.key_nulls,
            values,
            empty: self.empty,
        })
    }
}

/// Plain types and dictionaries of them: the types that can be PostgreSQL array elements.
fn dispatch_scalar<'a, V: Visit<'a>>(array: &'a dyn Array, v: V) -> Result<V::Out, EncodeError> {
    if let DataType::Dictionary(_, value_type) = array.data_type()
        && plain_type(value_type).is_some()
    {
        let dict = array
            .as_any_dictionary_opt()
            .ok_or_else(|| mismatch(array.data_type()))?;
        let (keys, key_nulls, empty) = dictionary_keys(dict);
        return dispatch_plain(
            dict.values().as_ref(),
            DictVisit {
                keys,
                key_nulls,
                empty,
                outer: v,
            },
        );
    }
    dispatch_plain(array, v)
}

/// Wraps the element writer of a list into a [`ListW`] for the outer consumer.
struct ListVisit<'a, V> {
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
    elem_oid: u32,
    outer: V,
}

impl<'a, V: Visit<'a>> Visit<'a> for ListVisit<'a, V> {
    type Out = V::Out;
    fn visit<W: Writer + 'a>(self, elems: W) -> Result<V::Out, EncodeError> {
        self.outer.visit(ListW {
            offsets: self.offsets,
            nulls: self.nulls,
            elems,
            elem_oid: self.elem_oid,
            pg_array: true,
        })
    }
}

fn list<'a, V: Visit<'a>>(
    values: &'a dyn Array,
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
    v: V,
) -> Result<V::Out, EncodeError> {
    let elem_type = values.data_type();
    if is_scalar(elem_type) {
        let elem_oid =
            scalar_type(elem_type).map_or(Type::TEXT.oid(), |(scalar, _, _)| scalar.oid());
        dispatch_scalar(
            values,
            ListVisit {
                offsets,
                nulls,
                elem_oid,
                outer: v,
            },
        )
    } else if let Some(levels) = nested_levels(values, offsets, nulls) {
        let (levels, scalars) = levels?;
        let elem_oid = scalar_type(scalars.data_type())
            .map_or(Type::TEXT.oid(), |(scalar, _, _)| scalar.oid());
        v.visit(MultiDimW {
            levels,
            elems: boxed(scalars)?,
            elem_oid,
        })
    } else {
        // Elements that are themselves nested otherwise (structs, maps): the whole list is
        // rendered as JSON. Boxing here (rather than recursing through `ListVisit`) also
        // keeps the generic instantiations finite.
        let elems = boxed(values)?;
        v.visit(ListW {
            offsets,
            nulls,
            elems,
            elem_oid: Type::JSON.oid(),
            pg_array: false,
        })
    }
}

/// The levels of a list whose members are lists (… of scalars), and the scalars: a
/// PostgreSQL multidimensional array. `None` when the innermost members are not scalars.
#[allow(clippy::type_complexity)]
fn nested_levels<'a>(
    values: &'a dyn Array,
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
) -> Option<Result<(Vec<Level<'a>>, &'a dyn Array), EncodeError>> {
    let mut levels = vec![Level { offsets, nulls }];
    let mut members = values;
    loop {
        let (offsets, inner) = match members.data_type() {
            DataType::List(_) => {
                let a = members.as_list_opt::<i32>()?;
                (Offsets::Small(a.value_offsets()), a.values().as_ref())
            }
            DataType::LargeList(_) => {
                let a = members.as_list_opt::<i64>()?;
                (Offsets::Large(a.value_offsets()), a.values().as_ref())
            }
            DataType::FixedSizeList(_, size) => {
                let a = members.as_fixed_size_list_opt()?;
                let size = match usize::try_from(*size) {
                    Ok(size) => size,
                    Err(_) => return Some(Err(mismatch(members.data_type()))),
                };
                (Offsets::Fixed(size), a.values().as_ref())
            }
            other if is_scalar(other) => return Some(Ok((levels, members))),
            _ => return None,
        };
        levels.push(Level {
            offsets,
            nulls: Nulls(members.nulls()),
        });
        members = inner;
    }
}

/// Downcast `array` once and pass its writer to `v`. Supports every type that
/// `types::column_type` accepts.
pub(super) fn dispatch<'a, V: Visit<'a>>(
    array: &'a dyn Array,
    v: V,
) -> Result<V::Out, EncodeError> {
    let data_type = array.data_type();
    let downcast_failed = || mismatch(data_type);
    match data_type {
        DataType::List(_) => {
            let a = array.as_list_opt::<i32>().ok_or_else(downcast_failed)?;
            list(
                a.values().as_ref(),
                Offsets::Small(a.value_offsets()),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::LargeList(_) => {
            let a = array.as_list_opt::<i64>().ok_or_else(downcast_failed)?;
            list(
                a.values().as_ref(),
                Offsets::Large(a.value_offsets()),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::FixedSizeList(_, size) => {
            let a = array.as_fixed_size_list_opt().ok_or_else(downcast_failed)?;
            let size = usize::try_from(*size).map_err(|_| downcast_failed())?;
            list(
                a.values().as_ref(),
                Offsets::Fixed(size),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::Struct(fields) => {
            let a = array.as_struct_opt().ok_or_else(downcast_failed)?;
            let children = a
                .columns()
                .iter()
                .map(|c| boxed(c.as_ref()))
                .collect::<Result<Vec<_>, _>>()?;
            let names = fields.iter().map(|f| f.name().as_str()).collect();
            v.visit(StructW {
                names,
                children,
                nulls: Nulls(a.nulls()),
            })
        }
        DataType::Map(..) => {
            let a = array.as_map_opt().ok_or_else(downcast_failed)?;
            v.visit(MapW {
                offsets: a.value_offsets(),
                nulls: Nulls(a.nulls()),
                keys: boxed(a.keys().as_ref())?,
                values: boxed(a.values().as_ref())?,
            })
        }
        DataType::Dictionary(_, value_type) if plain_type(value_type).is_none() => {
            let dict = array.as_any_dictionary_opt().ok_or_else(downcast_failed)?;
            let (keys, key_nulls, empty) = dictionary_keys(dict);
            let values = boxed(dict.values().as_ref())?;
            v.visit(DictW {
                keys,
                key_nulls,
                values,
                empty,
            })
        }
        _ => dispatch_scalar(array, v),
    }
}

/// A type-erased writer, for the heterogeneous children of structs and maps.
pub(super) fn boxed<'a>(array: &'a dyn Array) -> Result<Box<dyn Writer + 'a>, EncodeError> {
    struct BoxVisit;
    impl<'a> Visit<'a> for BoxVisit {
        type Out = Box<dyn Writer + 'a>;
        fn visit<W: Writer + 'a>(self, writer: W) -> Result<Self::Out, EncodeError> {
            Ok(Box::new(writer))
        }
    }
    dispatch(array, BoxVisit)
}
