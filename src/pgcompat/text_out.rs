//! PostgreSQL's output functions for scalar values, byte by byte: integers, floats, dates
//! and times, intervals, and JSON string escaping, each producing exactly what PostgreSQL's
//! own output function produces. The wire encoder writes columns with them, and the JSON
//! functions write values inside documents with them.
//!
//! Everything appends to a caller-owned `Vec<u8>` and works from stack buffers, so writing
//! a value never allocates.

use std::fmt::Write as _;

use super::time_zone::{Zone, write_offset};

/// Microseconds per day/hour/minute/second, as in PostgreSQL's `datatype/timestamp.h`.
pub(crate) const USECS_PER_DAY: i64 = 86_400_000_000;
const USECS_PER_HOUR: u64 = 3_600_000_000;
const USECS_PER_MINUTE: u64 = 60_000_000;
const USECS_PER_SEC: u64 = 1_000_000;

/// Days from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's epoch).
pub(crate) const PG_EPOCH_DAYS: i64 = 10_957;
/// The same distance in microseconds.
pub(crate) const PG_EPOCH_USECS: i64 = PG_EPOCH_DAYS * USECS_PER_DAY;

// ---------------------------------------------------------------------------------------------
// Integers

/// Decimal digits of `v`, written right-aligned into a stack buffer.
#[inline]
pub(crate) fn put_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

#[inline]
pub(crate) fn put_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    put_u64(out, v.unsigned_abs());
}

/// `v` zero-padded to at least `width` digits, like C's `%0*d` (used for date/time fields).
pub(crate) fn put_padded(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in (buf.len() - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&buf[i..]);
}

// ---------------------------------------------------------------------------------------------
// Floats

/// A fixed-capacity `fmt::Write` sink, so Rust's shortest round-trip float formatting can be
/// used without a heap allocation.
struct StackBuf {
    buf: [u8; 48],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Shortest round-trip text of a float, in the layout of PostgreSQL ≥ 12's `float8out` /
/// `float4out` (Ryu): fixed notation when the decimal exponent is in `-4..fixed_limit`,
/// otherwise `d.ddde±XX`. `fixed_limit` is `DBL_DIG` (15) for float8 and `FLT_DIG` (6) for
/// float4. Rust's `{:e}` yields the same shortest digits; only the layout differs.
fn put_float(out: &mut Vec<u8>, abs: impl std::fmt::LowerExp, negative: bool, fixed_limit: i32) {
    let mut sci = StackBuf {
        buf: [0; 48],
        len: 0,
    };
    if write!(sci, "{abs:e}").is_err() {
        // Unreachable for finite floats (at most ~25 bytes); keep a correct if unstyled answer.
        if negative {
            out.push(b'-');
        }
        out.extend_from_slice(format!("{abs:e}").as_bytes());
        return;
    }
    let sci = &sci.buf[..sci.len];
    let e_pos = sci.iter().position(|&b| b == b'e').unwrap_or(sci.len());
    let mut digits = [b'0'; 24];
    let mut n = 0;
    for &b in &sci[..e_pos] {
        if b.is_ascii_digit() && n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    let digits = &digits[..n.max(1)];
    let mut exp: i32 = 0;
    let mut exp_neg = false;
    for &b in sci.get(e_pos + 1..).unwrap_or(&[]) {
        match b {
            b'-' => exp_neg = true,
            b'0'..=b'9' => exp = exp * 10 + i32::from(b - b'0'),
            _ => {}
        }
    }
    if exp_neg {
        exp = -exp;
    }

    if negative {
        out.push(b'-');
    }
    if (-4..fixed_limit).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.extend_from_slice(digits);
                out.resize(out.len() + int_len - digits.len(), b'0');
            } else {
                out.extend_from_slice(&digits[..int_len]);
                out.push(b'.');
                out.extend_from_slice(&digits[int_len..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + (-exp - 1) as usize, b'0');
            out.extend_from_slice(digits);
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        put_padded(out, u64::from(exp.unsigned_abs()), 2);
    }
}

/// Text of the non-finite floats, as PostgreSQL spells them.
fn special_float(nan: bool, negative: bool) -> &'static [u8] {
    if nan {
        b"NaN"
    } else if negative {
        b"-Infinity"
    } else {
        b"Infinity"
    }
}

/// `float8out`.
pub(crate) fn put_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        put_float(out, v.abs(), v.is_sign_negative(), 15);
    } else {
        out.extend_from_slice(special_float(v.is_nan(), v.is_sign_negative()));
    }
}

/// `float4out`.
pub(crate) fn put_f32(out: &mut Vec<u8>, v: f32) {
    if v.is_finite() {
        put_float(out, v.abs(), v.is_sign_negative(), 6);
    } else {
        out.extend_from_slice(special_float(v.is_nan(), v.is_sign_negative()));
    }
}

// ---------------------------------------------------------------------------------------------
// Dates and times

/// Proleptic Gregorian (year, month, day) of a day count from 1970-01-01, for any `i64`
/// input that Arrow can produce (chrono's range is too small for Date32's).
/// Howard Hinnant's `civil_from_days`; year 0 is 1 BC, as in PostgreSQL's `j2date`.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` for ISO `DateStyle`; returns whether the year is BC, because PostgreSQL puts
/// the ` BC` marker after everything else (time and zone included).
fn put_ymd(out: &mut Vec<u8>, days: i64) -> bool {
    let (year, month, day) = civil_from_days(days);
    let bc = year <= 0;
    // Astronomical year 0 is 1 BC.
    let shown = if bc { 1 - year } else { year };
    put_padded(out, shown.unsigned_abs(), 4);
    out.push(b'-');
    put_padded(out, u64::from(month), 2);
    out.push(b'-');
    put_padded(out, u64::from(day), 2);
    bc
}

/// `date_out`: `YYYY-MM-DD`, with ` BC` for years before 1 AD.
pub(crate) fn put_date(out: &mut Vec<u8>, days: i64) {
    if put_ymd(out, days) {
        out.extend_from_slice(b" BC");
    }
}

/// Seconds with an optional fraction of up to six digits, trailing zeros trimmed
/// (`AppendSeconds` with `fillzeros`).
fn put_seconds(out: &mut Vec<u8>, secs: u64, usecs: u64) {
    put_padded(out, secs, 2);
    if usecs != 0 {
        out.push(b'.');
        let mut frac = usecs;
        let mut width = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        put_padded(out, frac, width);
    }
}

/// `HH:MM:SS[.ffffff]` of a non-negative microsecond count (hours may exceed 23).
fn put_hms(out: &mut Vec<u8>, usecs: u64) {
    put_padded(out, usecs / USECS_PER_HOUR, 2);
    out.push(b':');
    put_padded(out, usecs % USECS_PER_HOUR / USECS_PER_MINUTE, 2);
    out.push(b':');
    put_seconds(
        out,
        usecs % USECS_PER_MINUTE / USECS_PER_SEC,
        usecs % USECS_PER_SEC,
    );
}

/// `time_out` of microseconds since midnight (caller validates the range).
pub(crate) fn put_time(out: &mut Vec<u8>, usecs: i64) {
    put_hms(out, usecs.unsigned_abs());
}

/// How a timestamp is laid out.
#[derive(Clone, Copy)]
pub(crate) enum TimestampStyle {
    /// `timestamp_out` with ISO DateStyle: `2024-01-02 03:04:05.5`.
    Plain,
    /// `timestamptz_out` in a UTC session: `2024-01-02 03:04:05.5+00`.
    Utc,
    /// `to_json(timestamp)` (XSD): `2024-01-02T03:04:05.5`.
    JsonPlain,
    /// `to_json(timestamptz)` (XSD): `2024-01-02T03:04:05.5+00:00`.
    JsonUtc,
}

/// A timestamp of microseconds since 1970-01-01 (UTC for the zoned styles).
pub(crate) fn put_timestamp(out: &mut Vec<u8>, usecs: i64, style: TimestampStyle) {
    let days = usecs.div_euclid(USECS_PER_DAY);
    let time = usecs.rem_euclid(USECS_PER_DAY);
    let bc = put_ymd(out, days);
    out.push(match style {
        TimestampStyle::Plain | TimestampStyle::Utc => b' ',
        TimestampStyle::JsonPlain | TimestampStyle::JsonUtc => b'T',
    });
    put_hms(out, time.unsigned_abs());
    match style {
        TimestampStyle::Plain | TimestampStyle::JsonPlain => {}
        TimestampStyle::Utc => out.extend_from_slice(b"+00"),
        TimestampStyle::JsonUtc => out.extend_from_slice(b"+00:00"),
    }
    if bc {
        out.extend_from_slice(b" BC");
    }
}

/// One `N unit[s]` part of a `postgres`-style interval (`AddPostgresIntPart`).
fn interval_part(
    out: &mut Vec<u8>,
    value: i64,
    unit: &[u8],
    is_zero: &mut bool,
    is_before: &mut bool,
) {
    if value == 0 {
        return;
    }
    if !*is_zero {
        out.push(b' ');
    }
    if *is_before && value > 0 {
        out.push(b'+');
    }
    put_i64(out, value);
    out.push(b' ');
    out.extend_from_slice(unit);
    if value != 1 {
        out.push(b's');
    }
    // Each non-zero part decides whether the next one gets an explicit '+'; odd, but it is
    // what PostgreSQL prints.
    *is_before = value < 0;
    *is_zero = false;
}

/// `interval_out` with `IntervalStyle = postgres`: `1 year 2 mons 3 days 04:05:06.5`,
/// `-00:00:01`, `00:00:00`.
pub(crate) fn put_interval(out: &mut Vec<u8>, months: i32, days: i32, usecs: i64) {
    let mut is_zero = true;
    let mut is_before = false;
    // C's truncating division, so each part carries the sign of its source field.
    interval_part(
        out,
        i64::from(months / 12),
        b"year",
        &mut is_zero,
        &mut is_before,
    );
    interval_part(
        out,
        i64::from(months % 12),
        b"mon",
        &mut is_zero,
        &mut is_before,
    );
    interval_part(out, i64::from(days), b"day", &mut is_zero, &mut is_before);
    if is_zero || usecs != 0 {
        if !is_zero {
            out.push(b' ');
        }
        if usecs < 0 {
            out.push(b'-');
        } else if is_before {
            out.push(b'+');
        }
        put_hms(out, usecs.unsigned_abs());
    }
}

/// The zone a timestamp is written in.
#[derive(Clone, Copy)]
pub(crate) enum Stamp {
    /// A `timestamp`, without zone.
    Plain,
    /// A `timestamptz` in UTC.
    Utc,
    /// A `timestamptz` in another zone.
    Zoned(Zone),
}

/// Appends a timestamp's offset, before its era where it has one (`… 19:03:57-04:56:02 BC`).
pub(crate) fn put_before_era(out: &mut Vec<u8>, offset: &str) {
    if out.ends_with(b" BC") {
        out.truncate(out.len() - 3);
        out.extend_from_slice(offset.as_bytes());
        out.extend_from_slice(b" BC");
    } else {
        out.extend_from_slice(offset.as_bytes());
    }
}

/// `to_json` of a timestamp of microseconds since 1970-01-01 UTC, a quoted XSD text
/// (`"2024-01-02T03:04:05.5+08:00"`); `None` when the local time is out of range.
pub(crate) fn put_timestamp_json(out: &mut Vec<u8>, micros: i64, stamp: Stamp) -> Option<()> {
    out.push(b'"');
    match stamp {
        Stamp::Plain => put_timestamp(out, micros, TimestampStyle::JsonPlain),
        Stamp::Utc => put_timestamp(out, micros, TimestampStyle::JsonUtc),
        Stamp::Zoned(zone) => {
            let offset = zone.offset_at(micros);
            let local = micros.checked_add(i64::from(offset) * 1_000_000)?;
            put_timestamp(out, local, TimestampStyle::JsonPlain);
            // XSD offsets always have minutes: `+08:00`.
            let mut written = String::new();
            write_offset(&mut written, offset);
            if written.len() == 3 {
                written.push_str(":00");
            }
            put_before_era(out, &written);
        }
    }
    out.push(b'"');
    Some(())
}

// ---------------------------------------------------------------------------------------------
// JSON strings

/// The JSON escape for `b`, if it needs one (`escape_json`): quote, backslash, the named
/// control characters, and `\u00XX` for the other control characters.
#[inline]
fn json_escape(b: u8) -> Option<([u8; 6], usize)> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = |c: u8| Some(([b'\\', c, 0, 0, 0, 0], 2));
    match b {
        b'"' => short(b'"'),
        b'\\' => short(b'\\'),
        0x08 => short(b'b'),
        0x0c => short(b'f'),
        b'\n' => short(b'n'),
        b'\r' => short(b'r'),
        b'\t' => short(b't'),
        0..=0x1f => Some((
            [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
            6,
        )),
        _ => None,
    }
}

/// `s` as a JSON string literal.
pub(crate) fn put_json_str(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut plain_from = 0;
    for (i, &b) in s.iter().enumerate() {
        if let Some((esc, n)) = json_escape(b) {
            out.extend_from_slice(&s[plain_from..i]);
            out.extend_from_slice(&esc[..n]);
            plain_from = i + 1;
        }
    }
    out.extend_from_slice(&s[plain_from..]);
    out.push(b'"');
}

/// Turn the text in `out[start..]` into a JSON string literal in place (for values whose
/// JSON form is their text form, quoted).
pub(crate) fn json_quote_in_place(out: &mut Vec<u8>, start: usize) {
    let extra: usize = out[start..]
        .iter()
        .map(|&b| json_escape(b).map_or(0, |(_, n)| n - 1))
        .sum();
    let old_len = out.len();
    out.resize(old_len + extra + 2, 0);
    let mut w = out.len() - 1;
    out[w] = b'"';
    for r in (start..old_len).rev() {
        let b = out[r];
        match json_escape(b) {
            Some((esc, n)) => {
                w -= n;
                out[w..w + n].copy_from_slice(&esc[..n]);
            }
            None => {
                w -= 1;
                out[w] = b;
            }
        }
    }
    out[start] = b'"';
}
