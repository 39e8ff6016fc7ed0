//! Byte-level renderers behind the column writers: length prefixes, `numeric` in text and
//! binary, bytea and array-element quoting, each producing exactly what PostgreSQL's own
//! output/send functions produce. The renderers of the other scalars are pgcompat's
//! [`text_out`](crate::pgcompat::text_out), shared with the JSON functions, and are
//! re-exported here.
//!
//! Everything appends to a caller-owned `Vec<u8>` and works from stack buffers, so encoding
//! a value never allocates.

use super::EncodeError;
pub(super) use crate::pgcompat::text_out::*;

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
