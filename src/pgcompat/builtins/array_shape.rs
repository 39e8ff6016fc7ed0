//! The shape of PostgreSQL's multidimensional arrays, which are nested lists here (written
//! out as `{{1,2},{3,4}}` by the encoder): `array_dims(a)` is the text of its dimensions with
//! their bounds (`[1:2][1:3]`; every lower bound is 1 here, as nothing here makes others), NULL
//! for an empty array, where DataFusion's answers a list of lengths; `array_fill(v, dims)` is
//! an array of `dims` filled with `v`, which DataFusion lacks. How many dimensions there are
//! is the result's type (its depth of nesting): the rewrite passes their number, counted in
//! the `ARRAY[…]` written, as a third argument; lower bounds other than 1 are not supported.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StringBuilder};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::concat;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};
use crate::error::{SqlError, sqlstate};

/// The most elements `array_fill` makes for one row: the dimensions come from the client.
const MAX_FILL: usize = 1 << 24;

static DIMS_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The text of an array's dimensions, each as [lower:upper]; NULL for an empty array.",
        "array_dims(array)",
    )
    .with_argument("array", "An array.")
    .with_sql_example(
        "```sql\n> SELECT array_dims(ARRAY[[1,2,3],[4,5,6]]);\n+------------+\n| array_dims |\n+------------+\n| [1:2][1:3] |\n+------------+\n```",
    )
    .build()
});

static FILL_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "An array of the given dimensions with every element the given value.",
        "array_fill(value, dimensions)",
    )
    .with_argument("value", "The value of every element.")
    .with_argument("dimensions", "A constant integer array: the length of each dimension.")
    .with_sql_example(
        "```sql\n> SELECT array_fill(11, ARRAY[2,3]);\n+-------------------+\n| array_fill        |\n+-------------------+\n| {{11,11,11},{11,11,11}} |\n+-------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ArrayDims {
    signature: Signature,
}

impl ArrayDims {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

fn not_rectangular<T>() -> Result<T> {
    Err(SqlError::new(
        sqlstate::ARRAY_SUBSCRIPT_ERROR,
        "multidimensional arrays must have array expressions with matching dimensions",
    )
    .into())
}

/// The lengths of the dimensions of the list at `row` of `lists`, outermost first.
fn dimensions(lists: &ListArray, row: usize, dims: &mut Vec<usize>) -> Result<()> {
    let offsets = lists.value_offsets();
    let (start, end) = (offsets[row] as usize, offsets[row + 1] as usize);
    dims.push(end - start);
    let Some(inner) = lists.values().as_list_opt::<i32>() else {
        return Ok(());
    };
    if start == end {
        return Ok(());
    }
    let mut first: Option<Vec<usize>> = None;
    for member in start..end {
        if inner.is_null(member) {
            return not_rectangular();
        }
        let mut member_dims = Vec::new();
        dimensions(inner, member, &mut member_dims)?;
        match &first {
            None => first = Some(member_dims),
            Some(seen) if *seen != member_dims => return not_rectangular(),
            Some(_) => {}
        }
    }
    dims.extend(first.unwrap_or_default());
    Ok(())
}

impl ScalarUDFImpl for ArrayDims {
    fn name(&self) -> &str {
        "array_dims"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [DataType::List(_) | DataType::Null] => Ok(DataType::Utf8),
            other => exec_err!("array_dims takes an array, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let [arrays] = take_function_args("array_dims", args.args)?;
        let arrays = arrays.to_array(rows)?;
        let mut out = StringBuilder::new();
        match arrays.as_list_opt::<i32>() {
            None => (0..arrays.len()).for_each(|_| out.append_null()),
            Some(lists) => {
                let mut dims = Vec::new();
                for row in 0..lists.len() {
                    dims.clear();
                    if lists.is_null(row) {
                        out.append_null();
                        continue;
                    }
                    dimensions(lists, row, &mut dims)?;
                    if dims.contains(&0) {
                        out.append_null();
                        continue;
                    }
                    let text: String = dims.iter().map(|d| format!("[1:{d}]")).collect();
                    out.append_value(text);
                }
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DIMS_DOCUMENTATION)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ArrayFill {
    signature: Signature,
}

impl ArrayFill {
    pub fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

/// The constant dimensions of an `array_fill` call.
fn constant_dimensions(dims: Option<&ScalarValue>) -> Result<Vec<usize>> {
    let Some(ScalarValue::List(list)) = dims else {
        return plan_err!("array_fill takes its dimensions as a constant integer array");
    };
    if list.is_null(0) {
        return exec_err!("dimension array or low bound array cannot be null");
    }
    let values = datafusion::arrow::compute::cast(&list.value(0), &DataType::Int64)?;
    let values = values.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
    let mut dims = Vec::with_capacity(values.len());
    for i in 0..values.len() {
        if values.is_null(i) {
            return exec_err!("dimension values cannot be null");
        }
        match usize::try_from(values.value(i)) {
            Ok(d) => dims.push(d),
            Err(_) => return exec_err!("array size exceeds the maximum allowed ({MAX_FILL})"),
        }
    }
    if dims.is_empty() {
        return plan_err!("array_fill needs at least one dimension");
    }
    let total = dims.iter().try_fold(1usize, |n, d| n.checked_mul(*d));
    if total.is_none_or(|n| n > MAX_FILL) {
        return Err(SqlError::new(
            sqlstate::PROGRAM_LIMIT_EXCEEDED,
            format!("array size exceeds the maximum allowed ({MAX_FILL})"),
        )
        .into());
    }
    Ok(dims)
}

/// The type of a list nested `depth` times around `member`.
fn nested_type(member: &DataType, depth: usize) -> DataType {
    (0..depth).fold(member.clone(), |inner, _| {
        DataType::List(Arc::new(Field::new_list_field(inner, true)))
    })
}

impl ScalarUDFImpl for ArrayFill {
    fn name(&self) -> &str {
        "array_fill"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        plan_err!("array_fill's type is made from its arguments")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let depth = match args.scalar_arguments {
            [_, _, Some(ScalarValue::Int64(Some(depth)))] => usize::try_from(*depth).ok(),
            _ => None,
        };
        let Some(depth) = depth.filter(|d| (1..=6).contains(d)) else {
            return Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "array_fill is supported with its dimensions written as ARRAY[…] (from 1 to 6), without lower bounds",
            )
            .into());
        };
        let member = args.arg_fields[0].data_type();
        let member = if member.is_null() {
            &DataType::Utf8
        } else {
            member
        };
        Ok(Arc::new(Field::new(
            "array_fill",
            nested_type(member, depth),
            true,
        )))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let [values, dims, depth] = take_function_args("array_fill", args.args)?;
        let ColumnarValue::Scalar(dims) = dims else {
            return Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "array_fill is supported with constant dimensions",
            )
            .into());
        };
        let dims = constant_dimensions(Some(&dims))?;
        if !matches!(depth, ColumnarValue::Scalar(ScalarValue::Int64(Some(d))) if d as usize == dims.len())
        {
            return exec_err!("array_fill's dimensions changed from when it was planned");
        }
        let member =
            (0..dims.len()).try_fold(args.return_field.data_type().clone(), |t, _| match t {
                DataType::List(field) => Ok(field.data_type().clone()),
                other => exec_err!("array_fill made {other}"),
            })?;
        let values = values.to_array(rows)?;
        let values = datafusion::arrow::compute::cast(&values, &member)?;
        let total: usize = dims.iter().product();
        // Every row's elements, then one level of lists per dimension, innermost first.
        let pieces = (0..rows)
            .map(|row| ScalarValue::try_from_array(&values, row)?.to_array_of_size(total))
            .collect::<Result<Vec<ArrayRef>>>()?;
        let mut array: ArrayRef = match pieces.is_empty() {
            true => datafusion::arrow::array::new_empty_array(&member),
            false => concat(&pieces.iter().map(|p| p.as_ref()).collect::<Vec<_>>())?,
        };
        for (level, dim) in dims.iter().enumerate().rev() {
            // The lists of this level: one per element of the level outside it.
            let count = rows * dims[..level].iter().product::<usize>();
            let field = Arc::new(Field::new_list_field(array.data_type().clone(), true));
            array = Arc::new(ListArray::try_new(
                field,
                OffsetBuffer::from_lengths(std::iter::repeat_n(*dim, count)),
                array,
                None,
            )?);
        }
        columnar(array, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&FILL_DOCUMENTATION)
    }
}
