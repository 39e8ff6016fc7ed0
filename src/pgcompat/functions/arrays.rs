//! Array compatibility: `array_lower`, `array_upper` (arrays here are one-dimensional and
//! start at 1) and `pg_expandarray`, what `information_schema._pg_expandarray` becomes.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int32Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::args::typed_arg;
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "pg_expandarray",
            B::ExpandArray,
            &[1],
            DataType::Null,
            "Each element of an array with its position, as a list of {x, n} (what information_schema._pg_expandarray returns as rows).",
            "pg_expandarray(array)",
        ),
        (
            "array_lower",
            B::ArrayLower,
            &[2],
            // int8 rather than PostgreSQL's int4: DataFusion's generate_series, which
            // clients feed with it, takes int8.
            DataType::Int64,
            "The lower bound of an array dimension (1 for the first dimension of a non-empty array, else NULL).",
            "array_lower(array, dimension)",
        ),
        (
            "array_upper",
            B::ArrayUpper,
            &[2],
            DataType::Int64,
            "The upper bound of an array dimension (its length for the first dimension of a non-empty array, else NULL).",
            "array_upper(array, dimension)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let a = call.args;
    let array: ArrayRef = match f.behaviour {
        B::ArrayLower | B::ArrayUpper => {
            let arrays = a[0].to_array(rows)?;
            let dimensions: Int32Array = typed_arg(&a[1], rows, &DataType::Int32)?;
            let lengths: Vec<Option<usize>> = match arrays.data_type() {
                DataType::List(_) => {
                    let list = datafusion::common::cast::as_list_array(&arrays)?;
                    (0..rows)
                        .map(|i| list.is_valid(i).then(|| list.value_length(i) as usize))
                        .collect()
                }
                DataType::LargeList(_) => {
                    let list = datafusion::common::cast::as_large_list_array(&arrays)?;
                    (0..rows)
                        .map(|i| list.is_valid(i).then(|| list.value_length(i) as usize))
                        .collect()
                }
                other => return exec_err!("{} takes an array, not {other}", f.name),
            };
            Arc::new(
                lengths
                    .into_iter()
                    .zip(dimensions.iter())
                    .map(|(length, dimension)| match (length, dimension) {
                        (Some(n), Some(1)) if n > 0 => Some(if f.behaviour == B::ArrayLower {
                            1
                        } else {
                            i64::try_from(n).unwrap_or(i64::MAX)
                        }),
                        _ => None,
                    })
                    .collect::<Int64Array>(),
            )
        }
        B::ExpandArray => {
            let DataType::List(element) = a[0].data_type() else {
                return exec_err!("pg_expandarray takes an array");
            };
            let lists = a[0].to_array(rows)?;
            let lists = datafusion::common::cast::as_list_array(&lists)?;
            let mut values = Vec::new();
            let mut positions = Vec::new();
            let mut offsets = vec![0i32];
            for row in 0..rows {
                if lists.is_valid(row) {
                    let items = lists.value(row);
                    for n in 0..items.len() {
                        positions.push(i32::try_from(n + 1).unwrap_or(i32::MAX));
                    }
                    values.push(items);
                }
                offsets.push(i32::try_from(positions.len()).unwrap_or(i32::MAX));
            }
            let values: Vec<&dyn Array> = values.iter().map(|v| v.as_ref()).collect();
            let x = if values.is_empty() {
                datafusion::arrow::array::new_empty_array(element.data_type())
            } else {
                datafusion::arrow::compute::concat(&values)?
            };
            let DataType::List(struct_field) = expanded_type(element.data_type()) else {
                return exec_err!("pg_expandarray: unexpected return type");
            };
            let DataType::Struct(fields) = struct_field.data_type() else {
                return exec_err!("pg_expandarray: unexpected element type");
            };
            let structs = datafusion::arrow::array::StructArray::try_new(
                fields.clone(),
                vec![x, Arc::new(Int32Array::from(positions))],
                None,
            )?;
            Arc::new(datafusion::arrow::array::ListArray::try_new(
                struct_field,
                datafusion::arrow::buffer::OffsetBuffer::new(offsets.into()),
                Arc::new(structs),
                lists.nulls().cloned(),
            )?)
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

/// `List<Struct{x: element, n: int4}>`, what `pg_expandarray` returns.
pub(super) fn expanded_type(element: &DataType) -> DataType {
    let fields = datafusion::arrow::datatypes::Fields::from(vec![
        Field::new("x", element.clone(), true),
        Field::new("n", DataType::Int32, false),
    ]);
    DataType::new_list(DataType::Struct(fields), true)
}
