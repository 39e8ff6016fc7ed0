//! `trim_array(a, n)`: the array without its last n elements, as PostgreSQL 14+ trims it (n
//! outside 0 to the array's length refused, 2202E). DataFusion has no `trim_array`.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{cast, concat};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{DataFusionError, Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::{DOC_SECTION, all_scalar, columnar};
use crate::error::{SqlError, sqlstate};

const NAME: &str = "trim_array";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Trims an array by removing the last n elements.",
        "trim_array(array, n)",
    )
    .with_argument("array", "An array.")
    .with_argument("n", "How many elements to remove, from 0 to the array's length.")
    .with_sql_example(
        "```sql\n> SELECT trim_array(ARRAY[1,2,3,4,5,6], 2);\n+--------------+\n| trim_array   |\n+--------------+\n| [1, 2, 3, 4] |\n+--------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TrimArray {
    signature: Signature,
}

impl TrimArray {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for TrimArray {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [list @ DataType::List(_), n] if n.is_integer() || n.is_null() => Ok(list.clone()),
            other => exec_err!("{NAME} takes an array and an integer, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let rows = args.number_rows;
        let [arrays, counts] = take_function_args(NAME, args.args)?;
        let arrays = arrays.to_array(rows)?;
        let lists = arrays.as_list::<i32>();
        let counts = cast(&counts.to_array(rows)?, &DataType::Int64)?;
        let counts = counts.as_primitive::<Int64Type>();
        let mut pieces: Vec<ArrayRef> = Vec::with_capacity(rows);
        let mut lengths = Vec::with_capacity(rows);
        let mut valid = Vec::with_capacity(rows);
        for row in 0..lists.len() {
            if lists.is_null(row) || counts.is_null(row) {
                lengths.push(0);
                valid.push(false);
                continue;
            }
            let values = lists.value(row);
            let n = counts.value(row);
            let kept = usize::try_from(n)
                .ok()
                .and_then(|n| values.len().checked_sub(n))
                .ok_or_else(|| {
                    DataFusionError::External(Box::new(SqlError::new(
                        sqlstate::ARRAY_SUBSCRIPT_ERROR,
                        format!(
                            "number of elements to trim must be between 0 and {}",
                            values.len()
                        ),
                    )))
                })?;
            pieces.push(values.slice(0, kept));
            lengths.push(kept);
            valid.push(true);
        }
        let field = match arrays.data_type() {
            DataType::List(field) => Arc::clone(field),
            other => return exec_err!("{NAME} takes an array, not {other}"),
        };
        let values = match pieces.is_empty() {
            true => datafusion::arrow::array::new_empty_array(field.data_type()),
            false => concat(&pieces.iter().map(|p| p.as_ref()).collect::<Vec<_>>())?,
        };
        let trimmed = ListArray::try_new(
            field,
            OffsetBuffer::from_lengths(lengths),
            values,
            Some(valid.into()),
        )?;
        columnar(Arc::new(trimmed), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
