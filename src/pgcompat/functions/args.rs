//! The arguments of the compatibility functions as arrays of one type: OIDs, text, or any
//! type an argument casts to.

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, StringArray, UInt32Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_datafusion_err};
use datafusion::logical_expr::ColumnarValue;

/// Arguments as arrays of `rows` values, cast to `to`.
pub(super) fn cast_arg(arg: &ColumnarValue, rows: usize, to: &DataType) -> Result<ArrayRef> {
    let array = arg.to_array(rows)?;
    Ok(cast(&array, to)?)
}

/// An argument cast to `to` and taken as its array type `A`.
pub(super) fn typed_arg<A: Array + Clone + 'static>(
    arg: &ColumnarValue,
    rows: usize,
    to: &DataType,
) -> Result<A> {
    cast_arg(arg, rows, to)?
        .as_any()
        .downcast_ref::<A>()
        .cloned()
        .ok_or_else(|| exec_datafusion_err!("argument does not convert to {to}"))
}

pub(super) fn oids(arg: &ColumnarValue, rows: usize) -> Result<UInt32Array> {
    let array: Int64Array = typed_arg(arg, rows, &DataType::Int64)?;
    Ok(array
        .iter()
        .map(|v| v.and_then(|v| u32::try_from(v).ok()))
        .collect())
}

pub(super) fn texts(arg: &ColumnarValue, rows: usize) -> Result<StringArray> {
    typed_arg(arg, rows, &DataType::Utf8)
}
