//! Writers of the scalar types that are not about time: NULL, booleans, integers, floats,
//! numerics, text and bytea.

use datafusion::arrow::array::{Array, ArrayAccessor, BooleanArray, Float16Array};
use datafusion::arrow::datatypes::i256;

use crate::server::encode::EncodeError;
use crate::server::encode::render::{self, Magnitude};

use super::*;

/// A `DataType::Null` column: every row is NULL.
pub(in crate::server::encode) struct NullW;

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

pub(in crate::server::encode) struct BoolW<'a>(pub(in crate::server::encode) &'a BooleanArray);

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
pub(in crate::server::encode) trait PgInt: Copy {
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

pub(in crate::server::encode) struct IntW<'a, N>(pub(in crate::server::encode) Prim<'a, N>);

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
pub(in crate::server::encode) struct U64W<'a>(pub(in crate::server::encode) Prim<'a, u64>);

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
pub(in crate::server::encode) trait PgFloat: Copy {
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
pub(in crate::server::encode) fn float_json(v: impl PgFloat, out: &mut Vec<u8>) {
    if v.is_finite() {
        v.put_text(out);
    } else {
        out.push(b'"');
        v.put_text(out);
        out.push(b'"');
    }
}

pub(in crate::server::encode) struct FloatW<'a, N>(pub(in crate::server::encode) Prim<'a, N>);

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
pub(in crate::server::encode) struct F16W<'a>(pub(in crate::server::encode) &'a Float16Array);

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
pub(in crate::server::encode) trait PgDecimal: Copy {
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

pub(in crate::server::encode) struct DecimalW<'a, N> {
    pub(in crate::server::encode) prim: Prim<'a, N>,
    pub(in crate::server::encode) scale: i32,
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
pub(in crate::server::encode) struct StrW<A>(pub(in crate::server::encode) A);

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
pub(in crate::server::encode) struct BytesW<A>(pub(in crate::server::encode) A);

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
