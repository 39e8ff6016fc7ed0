//! Lists of lists (… of scalars) as PostgreSQL's multidimensional arrays: `{{1,2},{3,4}}` in
//! text, `array_send`'s layout with one (length, lower bound 1) pair per dimension in binary,
//! nested JSON arrays inside `json`. PostgreSQL's arrays are rectangular, so a value whose
//! inner lists differ in length, or holds a NULL inner list, cannot be sent: it is refused
//! with 2202E as PostgreSQL refuses to build one. An array with a dimension of length 0 is
//! PostgreSQL's empty array `{}`.

use std::ops::Range;

use super::EncodeError;
use super::render;
use super::writers::{Nulls, Offsets, Writer, put_i32};

/// One level of nesting: where each list's members are in the next level, and which lists
/// are NULL.
#[derive(Clone, Copy)]
pub(super) struct Level<'a> {
    pub(super) offsets: Offsets<'a>,
    pub(super) nulls: Nulls<'a>,
}

/// A column of nested lists, outermost level first, over the writer of their scalars.
pub(super) struct MultiDimW<'a> {
    pub(super) levels: Vec<Level<'a>>,
    pub(super) elems: Box<dyn Writer + 'a>,
    pub(super) elem_oid: u32,
}

impl MultiDimW<'_> {
    /// Row `i`'s dimensions and the range of its scalars in `elems`, in row-major order.
    fn shape(&self, i: usize) -> Result<(Vec<usize>, Range<usize>), EncodeError> {
        let mut range = self.levels[0].offsets.range(i)?;
        let mut dims = vec![range.len()];
        for level in &self.levels[1..] {
            if range.is_empty() {
                dims.push(0);
                continue;
            }
            let mut length = None;
            let mut members = level.offsets.range(range.start)?;
            members.end = members.start;
            for j in range {
                if level.nulls.is_null(j) {
                    return Err(EncodeError::NotRectangular);
                }
                let list = level.offsets.range(j)?;
                if *length.get_or_insert(list.len()) != list.len() || list.start != members.end {
                    return Err(EncodeError::NotRectangular);
                }
                members.end = list.end;
            }
            dims.push(length.unwrap_or(0));
            range = members;
        }
        Ok((dims, range))
    }

    /// Writes `dims` of scalars from `next` on as nested braces (or brackets, for JSON).
    fn nested(
        &self,
        dims: &[usize],
        next: &mut usize,
        json: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let (open, close) = if json { (b'[', b']') } else { (b'{', b'}') };
        out.push(open);
        for k in 0..dims[0] {
            if k > 0 {
                out.push(b',');
            }
            if dims.len() > 1 {
                self.nested(&dims[1..], next, json, out)?;
                continue;
            }
            let j = *next;
            *next += 1;
            match (self.elems.is_null(j), json) {
                (true, true) => out.extend_from_slice(b"null"),
                (true, false) => out.extend_from_slice(b"NULL"),
                (false, true) => self.elems.json(j, out)?,
                (false, false) => {
                    let start = out.len();
                    self.elems.text(j, out)?;
                    render::quote_array_element(out, start);
                }
            }
        }
        out.push(close);
        Ok(())
    }
}

impl Writer for MultiDimW<'_> {
    #[inline]
    fn is_null(&self, i: usize) -> bool {
        self.levels[0].nulls.is_null(i)
    }

    fn text(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (dims, range) = self.shape(i)?;
        if range.is_empty() {
            out.extend_from_slice(b"{}");
            return Ok(());
        }
        self.nested(&dims, &mut range.start.clone(), false, out)
    }

    fn binary(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (dims, range) = self.shape(i)?;
        array_send(out, &dims, range, self.elems.as_ref(), self.elem_oid)
    }

    fn json(&self, i: usize, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (dims, range) = self.shape(i)?;
        if range.is_empty() {
            out.extend_from_slice(b"[]");
            return Ok(());
        }
        self.nested(&dims, &mut range.start.clone(), true, out)
    }
}

/// `array_send`'s layout of an array of `dims` (one or more) whose scalars are `range` of
/// `elems`: dimensions, a has-nulls flag, the element type, one (length, lower bound 1) pair
/// per dimension, then the elements. No elements is PostgreSQL's empty array, of no
/// dimensions.
pub(super) fn array_send<W: Writer + ?Sized>(
    out: &mut Vec<u8>,
    dims: &[usize],
    range: Range<usize>,
    elems: &W,
    elem_oid: u32,
) -> Result<(), EncodeError> {
    if range.is_empty() {
        put_i32(out, 0);
        put_i32(out, 0);
        out.extend_from_slice(&elem_oid.to_be_bytes());
        return Ok(());
    }
    let too_long = || EncodeError::Value("array dimension too long".into());
    put_i32(out, i32::try_from(dims.len()).map_err(|_| too_long())?);
    let flags_at = out.len();
    put_i32(out, 0); // has-nulls flag, set below once known
    out.extend_from_slice(&elem_oid.to_be_bytes());
    for dim in dims {
        put_i32(out, i32::try_from(*dim).map_err(|_| too_long())?);
        put_i32(out, 1); // lower bound
    }
    let mut has_nulls = false;
    for j in range {
        if elems.is_null(j) {
            has_nulls = true;
            out.extend_from_slice(&render::NULL_LEN);
        } else {
            let at = render::begin_value(out);
            elems.binary(j, out)?;
            render::end_value(out, at)?;
        }
    }
    if has_nulls {
        out[flags_at..flags_at + 4].copy_from_slice(&1i32.to_be_bytes());
    }
    Ok(())
}
