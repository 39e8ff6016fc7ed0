//! The values of one group of an ordered-set aggregate (`percentile_disc`, `mode`), kept
//! until the group is complete since the answer depends on their order: the batches as they
//! came, NULLs left out, and a list per group as the state partial aggregates exchange. The
//! memory they take is reported to DataFusion's pool through the accumulator's `size`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{SortOptions, concat, filter, is_not_null, sort_to_indices};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::StateFieldsArgs;
use datafusion::logical_expr::utils::format_state_name;

#[derive(Debug)]
pub(super) struct GroupValues {
    data_type: DataType,
    batches: Vec<ArrayRef>,
}

impl GroupValues {
    pub(super) fn new(data_type: &DataType) -> Self {
        GroupValues {
            data_type: data_type.clone(),
            batches: Vec::new(),
        }
    }

    /// The state's one field: a list of the values' type.
    pub(super) fn state_field(args: &StateFieldsArgs, function: &str) -> FieldRef {
        let values = Field::new_list_field(args.input_fields[0].data_type().clone(), true);
        Arc::new(Field::new(
            format_state_name(args.name, function),
            DataType::List(Arc::new(values)),
            true,
        ))
    }

    pub(super) fn data_type(&self) -> &DataType {
        &self.data_type
    }

    pub(super) fn update(&mut self, values: &ArrayRef) -> Result<()> {
        let present = filter(values, &is_not_null(values)?)?;
        if !present.is_empty() {
            self.batches.push(present);
        }
        Ok(())
    }

    /// Adds the values of other partial aggregates' states.
    pub(super) fn merge(&mut self, states: &ArrayRef) -> Result<()> {
        let lists = states.as_list::<i32>();
        for row in 0..lists.len() {
            if !lists.is_null(row) {
                self.update(&lists.value(row))?;
            }
        }
        Ok(())
    }

    pub(super) fn state(&self) -> Result<ScalarValue> {
        let values = self.values()?;
        let field = Arc::new(Field::new_list_field(self.data_type.clone(), true));
        let list = ListArray::new(
            field,
            OffsetBuffer::from_lengths([values.len()]),
            values,
            None,
        );
        Ok(ScalarValue::List(Arc::new(list)))
    }

    /// The values and the indices that sort them; `None` for an empty group.
    pub(super) fn sorted(&self, descending: bool) -> Result<Option<(ArrayRef, UInt32Array)>> {
        let values = self.values()?;
        if values.is_empty() {
            return Ok(None);
        }
        let order = sort_to_indices(
            &values,
            Some(SortOptions {
                descending,
                nulls_first: false,
            }),
            None,
        )?;
        Ok(Some((values, order)))
    }

    pub(super) fn size(&self) -> usize {
        self.batches
            .iter()
            .map(|a| a.get_array_memory_size())
            .sum::<usize>()
    }

    fn values(&self) -> Result<ArrayRef> {
        if self.batches.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(&self.data_type));
        }
        let arrays: Vec<&dyn Array> = self.batches.iter().map(|a| a.as_ref()).collect();
        Ok(concat(&arrays)?)
    }
}
