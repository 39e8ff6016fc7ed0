//! Writers of nested values: lists (PostgreSQL arrays, or JSON when their elements are not
//! scalars), structs and maps (JSON objects), and dictionaries (their values).

use std::ops::Range;

use crate::server::encode::EncodeError;
use crate::server::encode::multidim::array_send;
use crate::server::encode::render::{self};

use super::*;

/// Where each list's elements are in the child array.
#[derive(Clone, Copy)]
pub(in crate::server::encode) enum Offsets<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
    Fixed(usize),
}

impl Offsets<'_> {
    #[inline]
    pub(in crate::server::encode) fn range(self, i: usize) -> Result<Range<usize>, EncodeError> {
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
pub(in crate::server::encode) struct ListW<'a, W> {
    pub(in crate::server::encode) offsets: Offsets<'a>,
    pub(in crate::server::encode) nulls: Nulls<'a>,
    pub(in crate::server::encode) elems: W,
    pub(in crate::server::encode) elem_oid: u32,
    pub(in crate::server::encode) pg_array: bool,
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
pub(in crate::server::encode) struct StructW<'a> {
    pub(in crate::server::encode) names: Vec<&'a str>,
    pub(in crate::server::encode) children: Vec<Box<dyn Writer + 'a>>,
    pub(in crate::server::encode) nulls: Nulls<'a>,
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
pub(in crate::server::encode) struct MapW<'a> {
    pub(in crate::server::encode) offsets: &'a [i32],
    pub(in crate::server::encode) nulls: Nulls<'a>,
    pub(in crate::server::encode) keys: Box<dyn Writer + 'a>,
    pub(in crate::server::encode) values: Box<dyn Writer + 'a>,
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
pub(in crate::server::encode) struct DictW<'a, W> {
    /// Keys as indexes into `values` (Arrow clamps them into range).
    pub(in crate::server::encode) keys: Vec<usize>,
    pub(in crate::server::encode) key_nulls: Nulls<'a>,
    pub(in crate::server::encode) values: W,
    /// No values at all: then every key must be null.
    pub(in crate::server::encode) empty: bool,
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
