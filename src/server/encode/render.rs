//! Byte-level renderers behind the column writers: integers, floats, `numeric`, dates and
//! times, intervals, array-element quoting and JSON escaping, each producing exactly what
//! PostgreSQL's own output/send functions produce.
//!
//! Everything appends to a caller-owned `Vec<u8>` and works from stack buffers, so encoding
//! a value never allocates.

use std::fmt::Write as _;

use super::EncodeError;

/// Microseconds per day/hour/minute/second, as in PostgreSQL's `datatype/timestamp.h`.
pub(super) const USECS_PER_DAY: i64 = 86_400_000_000;
const USECS_PER_HOUR: u64 = 3_600_000_000;
const USECS_PER_MINUTE: u64 = 60_000_000;
const USECS_PER_SEC: u64 = 1_000_000;

/// Days from 1970-01-01 (Arrow's epoch) to 2000-01-01 (PostgreSQL's epoch).
pub(super) const PG_EPOCH_DAYS: i64 = 10_957;
/// The same distance in microseconds.
pub(super) const PG_EPOCH_USECS: i64 = PG_EPOCH_DAYS * USECS_PER_DAY;

// ---------------------------------------------------------------------------------------------
// Length prefixes

/// Reserve an `i32` length prefix for a value about to be written; returns where it is.
#[inline]
pub(super) fn begin_value(out: &mut Vec<u8>) -> usize {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    at
}

/// Fill in the length prefix reserved by [`begin_value`] now that the value is written.
#[inline]
pub(super) fn end_value(out: &mut [u8], at: usize) -> Result<(), EncodeError> {
    let len = out.len() - at - 4;
    let len = i32::try_from(len).map_err(|_| {
        EncodeError::Value(format!("value of {len} bytes exceeds the protocol limit"))
    })?;
    out[at..at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// The wire length of a NULL value.
pub(super) const NULL_LEN: [u8; 4] = (-1i32).to_be_bytes();

// ---------------------------------------------------------------------------------------------
// Integers

/// Decimal digits of `v`, written right-aligned into a stack buffer.
#[inline]
pub(super) fn put_u64(out: &mut Vec<u8>, mut v: u64) {
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
pub(super) fn put_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    put_u64(out, v.unsigned_abs());
}

/// `v` zero-padded to at least `width` digits, like C's `%0*d` (used for date/time fields).
pub(super) fn put_padded(out: &mut Vec<u8>, v: u64, width: usize) {
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
pub(super) fn put_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        put_float(out, v.abs(), v.is_sign_negative(), 15);
    } else {
        out.extend_from_slice(special_float(v.is_nan(), v.is_sign_negative()));
    }
}

/// `float4out`.
pub(super) fn put_f32(out: &mut Vec<u8>, v: f32) {
    if v.is_finite() {
        put_float(out, v.abs(), v.is_sign_negative(), 6);
    } else {
        out.extend_from_slice(special_float(v.is_nan(), v.is_sign_negative()));
    }
}

// ---------------------------------------------------------------------------------------------
// numeric

/// The decimal digits of an unsigned magnitude of up to 256 bits (enough for Decimal256),
/// most significant first, without leading zeros (`"0"` for zero).
pub(super) struct Magnitude {
    buf: [u8; 80],
    start: usize,
}

/// 10^19, the largest power of ten that fits a `u64`: digits are produced 19 at a time so
/// the wide divisions run once per chunk rather than once per digit.
const CHUNK: u64 = 10_000_000_000_000_000_000;

impl Magnitude {
    pub(super) fn from_u128(v: u128) -> Self {
        let mut m = Magnitude {
            buf: [b'0'; 80],
            start: 80,
        };
        let mut v = v;
        while v >= u128::from(CHUNK) {
            m.push_chunk((v % u128::from(CHUNK)) as u64, true);
            v /= u128::from(CHUNK);
        }
        m.push_chunk(v as u64, false);
        m
    }

    /// From little-endian 64-bit limbs.
    pub(super) fn from_limbs(mut limbs: [u64; 4]) -> Self {
        let mut m = Magnitude {
            buf: [b'0'; 80],
            start: 80,
        };
        loop {
            // Long division of the 256-bit value by 10^19, high limb first.
            let mut rem: u128 = 0;
            for limb in limbs.iter_mut().rev() {
                let cur = (rem << 64) | u128::from(*limb);
                *limb = (cur / u128::from(CHUNK)) as u64;
                rem = cur % u128::from(CHUNK);
            }
            let more = limbs.iter().any(|&l| l != 0);
            m.push_chunk(rem as u64, more);
            if !more {
                return m;
            }
        }
    }

    /// Prepend the digits of `chunk`; a chunk that is not the most significant is padded
    /// to its full 19 digits.
    fn push_chunk(&mut self, mut chunk: u64, full: bool) {
        let mut written = 0;
        loop {
            self.start -= 1;
            self.buf[self.start] = b'0' + (chunk % 10) as u8;
            chunk /= 10;
            written += 1;
            if full && written < 19 {
                continue;
            }
            if chunk == 0 {
                break;
            }
        }
    }

    pub(super) fn digits(&self) -> &[u8] {
        &self.buf[self.start..]
    }
}

/// `numeric_out` of `±digits × 10^-scale` with exactly `max(scale, 0)` decimals.
/// `digits` has no leading zeros; `negative` is only set for non-zero values.
pub(super) fn put_numeric_text(out: &mut Vec<u8>, negative: bool, digits: &[u8], scale: i32) {
    if negative {
        out.push(b'-');
    }
    if scale <= 0 {
        out.extend_from_slice(digits);
        if digits != b"0" {
            out.resize(out.len() + scale.unsigned_abs() as usize, b'0');
        }
        return;
    }
    let scale = scale as usize;
    if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - digits.len(), b'0');
        out.extend_from_slice(digits);
    }
}

/// `numeric_send` of `±digits × 10^-scale`: `ndigits`, `weight`, `sign`, `dscale`, then
/// base-10000 digit groups aligned on the decimal point, without leading or trailing zero
/// groups (which `numeric_recv` and client decoders assume).
pub(super) fn put_numeric_binary(
    out: &mut Vec<u8>,
    negative: bool,
    digits: &[u8],
    scale: i32,
) -> Result<(), EncodeError> {
    let dscale = u16::try_from(scale.max(0))
        .map_err(|_| EncodeError::Value(format!("numeric scale {scale} out of range")))?;
    if digits.iter().all(|&d| d == b'0') {
        out.extend_from_slice(&0i16.to_be_bytes()); // ndigits
        out.extend_from_slice(&0i16.to_be_bytes()); // weight
        out.extend_from_slice(&0u16.to_be_bytes()); // sign
        out.extend_from_slice(&dscale.to_be_bytes());
        return Ok(());
    }
    let len = digits.len() as i32;
    // Decimal digit at power-of-ten position `p` (0 = units, -1 = tenths, ...).
    let digit_at = |p: i32| -> u16 {
        let j = len - 1 - scale - p;
        if (0..len).contains(&j) {
            u16::from(digits[j as usize] - b'0')
        } else {
            0
        }
    };
    // Base-10000 group `g` covers positions 4g .. 4g+3.
    let group = |g: i32| -> u16 {
        (0..4)
            .rev()
            .fold(0, |acc, k| acc * 10 + digit_at(4 * g + k))
    };
    let mut hi = (len - 1 - scale).div_euclid(4);
    let mut lo = (-scale).div_euclid(4);
    while hi > lo && group(hi) == 0 {
        hi -= 1;
    }
    while lo < hi && group(lo) == 0 {
        lo += 1;
    }
    let ndigits = i16::try_from(hi - lo + 1);
    let weight = i16::try_from(hi);
    let (Ok(ndigits), Ok(weight)) = (ndigits, weight) else {
        return Err(EncodeError::Value("numeric value out of range".into()));
    };
    out.extend_from_slice(&ndigits.to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&(if negative { 0x4000u16 } else { 0 }).to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
    for g in (lo..=hi).rev() {
        out.extend_from_slice(&group(g).to_be_bytes());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Dates and times

/// Proleptic Gregorian (year, month, day) of a day count from 1970-01-01, for any `i64`
/// input that Arrow can produce (chrono's range is too small for Date32's).
/// Howard Hinnant's `civil_from_days`; year 0 is 1 BC, as in PostgreSQL's `j2date`.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
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
pub(super) fn put_date(out: &mut Vec<u8>, days: i64) {
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
pub(super) fn put_time(out: &mut Vec<u8>, usecs: i64) {
    put_hms(out, usecs.unsigned_abs());
}

/// How a timestamp is laid out.
#[derive(Clone, Copy)]
pub(super) enum TimestampStyle {
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
pub(super) fn put_timestamp(out: &mut Vec<u8>, usecs: i64, style: TimestampStyle) {
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
pub(super) fn put_interval(out: &mut Vec<u8>, months: i32, days: i32, usecs: i64) {
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

// ---------------------------------------------------------------------------------------------
// bytea

/// `byteaout` with `bytea_output = hex`: `\x` and two lowercase hex digits per byte.
pub(super) fn put_bytea_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(2 + bytes.len() * 2);
    out.extend_from_slice(b"\\x");
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0xf)]);
    }
}

// ---------------------------------------------------------------------------------------------
// Array elements and JSON strings

/// Quote the element text in `out[start..]` the way `array_out` does when it has to: empty
/// strings, the word `NULL` (any case), and text containing `"`, `\`, `{`, `}`, `,` or
/// whitespace get double quotes, with `"` and `\` backslash-escaped. Done in place so the
/// element is rendered once, straight into the row buffer.
pub(super) fn quote_array_element(out: &mut Vec<u8>, start: usize) {
    let elem = &out[start..];
    let mut needs_quotes = elem.is_empty() || elem.eq_ignore_ascii_case(b"NULL");
    let mut escapes = 0;
    for &b in elem {
        match b {
            b'"' | b'\\' => {
                needs_quotes = true;
                escapes += 1;
            }
            b'{' | b'}' | b',' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => needs_quotes = true,
            _ => {}
        }
    }
    if !needs_quotes {
        return;
    }
    let old_len = out.len();
    out.resize(old_len + escapes + 2, 0);
    // Shift from the back so nothing is overwritten before it is read.
    let mut w = out.len() - 1;
    out[w] = b'"';
    for r in (start..old_len).rev() {
        let b = out[r];
        w -= 1;
        out[w] = b;
        if b == b'"' || b == b'\\' {
            w -= 1;
            out[w] = b'\\';
        }
    }
    out[start] = b'"';
}

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
pub(super) fn put_json_str(out: &mut Vec<u8>, s: &[u8]) {
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
pub(super) fn json_quote_in_place(out: &mut Vec<u8>, start: usize) {
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
