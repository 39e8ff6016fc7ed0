//! Value writers: one small struct per Arrow array layout that renders the value at a row
//! index as PostgreSQL text, PostgreSQL binary, or JSON (for values nested in `json`
//! columns), plus the dispatch that downcasts an array once and hands the concrete writer to
//! a generic consumer ([`Visit`]).
//!
//! Going through `Visit` rather than `Box<dyn Writer>` lets the per-row loops, and the
//! per-element loops of arrays, be monomorphised for each writer. Only the children of
//! structs and maps (rendered as JSON) are boxed, since they are heterogeneous.

use datafusion::arrow::buffer::NullBuffer;

use super::EncodeError;
use super::render::{self};

mod dispatch;
mod nested;
mod scalars;
mod temporal;

pub(super) use dispatch::dispatch;

/// [`dispatch`] for a column of a result: a `char(n)` column's values are padded to n
/// characters with blanks, as PostgreSQL sends them (custlake holds them without the padding,
/// see `pgcompat::bpchar`).
pub(super) fn dispatch_column<'a, V: Visit<'a>>(
    array: &'a dyn datafusion::arrow::array::Array,
    field: &datafusion::arrow::datatypes::Field,
    v: V,
) -> Result<V::Out, EncodeError> {
    match crate::pgcompat::bpchar::length(field) {
        Some(length) => dispatch(array, PadVisit { inner: v, length }),
        None => dispatch(array, v),
    }
}

struct PadVisit<V> {
    inner: V,
    length: usize,
}

impl<'a, V: Visit<'a>> Visit<'a> for PadVisit<V> {
    type Out = V::Out;
    fn visit<W: Writer + 'a>(self, writer: W) -> Result<Self::Out, EncodeError> {
        self.inner.visit(BlankPadded {
            inner: writer,
            length: self.length,
        })
    }
}

/// A text writer whose values are padded with blanks to `length` characters; char(n)'s text
/// and binary forms are the same bytes.
struct BlankPadded<W> {
    inner: W,
    length: usize,
}

impl<W> BlankPadded<W> {
    fn pad(&self, out: &mut Vec<u8>, start: usize) {
        // Characters, not bytes: count the bytes that start a UTF-8 sequence.
        let chars = out[start..].iter().filter(|b| (**b & 0xC0) != 0x80).count();
        out.resize(out.len() + self.length.saturating_sub(chars), b' ');
    }
}

impl<W: Writer> Writer for BlankPadded<W> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.inner.is_null(i)
    }
    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        self.inner.text(i, out)?;
        self.pad(out, start);
        Ok(())
    }
    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        self.inner.binary(i, out)?;
        self.pad(out, start);
        Ok(())
    }
}
pub(super) use nested::Offsets;

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

/// A primitive array's values and validity, the shape most writers need.
pub(super) struct Prim<'a, N> {
    pub(super) values: &'a [N],
    pub(super) nulls: Nulls<'a>,
}

impl<N> Prim<'_, N> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.nulls.is_null(i)
    }
}
