//! The accumulators of an aggregate that needs all of a group's values at once — a median of
//! purchase gaps, a calibration summary, a model fit: each group's values are collected as
//! they arrive, partial states are lists merged by concatenation, and the result is computed
//! from the whole list.
//!
//! [`ListAggregate`] is what differs from one such function to the next: how it reads its
//! input and its state, writes its state, and evaluates lists. [`ListAccumulator`] (one
//! group) and [`ListGroupsAccumulator`] (one vector per group, as DataFusion's
//! [`GroupsAccumulator`] wants) are the rest, the same for all of them.

use std::fmt::Debug;
use std::mem::{size_of, size_of_val, take};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, ListArray, ListBuilder, PrimitiveBuilder,
};
use datafusion::arrow::datatypes::ArrowPrimitiveType;
use datafusion::common::{Result, ScalarValue, internal_err};
use datafusion::logical_expr::{Accumulator, EmitTo, GroupsAccumulator};

/// An aggregate computed from the list of all values of a group.
pub(crate) trait ListAggregate: Debug + Send + Sync + 'static {
    /// One collected value: a date, a (day, amount) purchase, a number of a row.
    type Value: Clone + Debug + Send + Sync + 'static;

    /// Passes the values of every input row that counts (selected by `opt_filter`, checked)
    /// to `push(row, values)`.
    fn for_each_input(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
        push: impl FnMut(usize, &[Self::Value]),
    ) -> Result<()>;

    /// Passes the values of every state row to `push(state_row, values)`.
    fn for_each_state(
        &self,
        states: &[ArrayRef],
        push: impl FnMut(usize, &[Self::Value]),
    ) -> Result<()>;

    /// The state columns of `lists`, a row per list.
    fn state(&self, lists: Vec<Vec<Self::Value>>) -> Result<Vec<ArrayRef>>;

    /// The result of each of `lists`, a row per list.
    fn evaluate(&self, lists: Vec<Vec<Self::Value>>) -> Result<ArrayRef>;
}

/// The [`Accumulator`] of a [`ListAggregate`]: the list of one group.
#[derive(Debug)]
pub(crate) struct ListAccumulator<A: ListAggregate> {
    aggregate: A,
    values: Vec<A::Value>,
}

impl<A: ListAggregate> ListAccumulator<A> {
    pub(crate) fn new(aggregate: A) -> Self {
        Self {
            aggregate,
            values: Vec::new(),
        }
    }
}

impl<A: ListAggregate> Accumulator for ListAccumulator<A> {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let list = &mut self.values;
        self.aggregate
            .for_each_input(values, None, |_, row| list.extend_from_slice(row))
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        // A copy: as a window function the aggregate is evaluated again as rows come.
        let result = self.aggregate.evaluate(vec![self.values.clone()])?;
        ScalarValue::try_from_array(&result, 0)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.aggregate
            .state(vec![take(&mut self.values)])?
            .iter()
            .map(|column| ScalarValue::try_from_array(column, 0))
            .collect()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let list = &mut self.values;
        self.aggregate
            .for_each_state(states, |_, values| list.extend_from_slice(values))
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.capacity() * size_of::<A::Value>()
    }
}

/// The lists of every group: group `g`'s are `lists[g]`.
#[derive(Debug)]
struct Lists<T> {
    lists: Vec<Vec<T>>,
    /// Total capacity of the inner vectors, for [`GroupsAccumulator::size`].
    capacity: usize,
}

impl<T: Clone> Lists<T> {
    fn push(&mut self, group: usize, values: &[T]) {
        let list = &mut self.lists[group];
        let before = list.capacity();
        list.extend_from_slice(values);
        self.capacity += list.capacity() - before;
    }

    fn take(&mut self, emit_to: EmitTo) -> Vec<Vec<T>> {
        let taken = emit_to.take_needed(&mut self.lists);
        self.capacity -= taken.iter().map(Vec::capacity).sum::<usize>();
        taken
    }

    fn resize(&mut self, groups: usize, rows: usize, indices: &[usize]) -> Result<()> {
        if rows != indices.len() {
            return internal_err!("{rows} rows for {} group indices", indices.len());
        }
        self.lists.resize_with(groups, Vec::new);
        Ok(())
    }
}

/// The [`GroupsAccumulator`] of a [`ListAggregate`]: a vector per group.
#[derive(Debug)]
pub(crate) struct ListGroupsAccumulator<A: ListAggregate> {
    aggregate: A,
    groups: Lists<A::Value>,
}

impl<A: ListAggregate> ListGroupsAccumulator<A> {
    pub(crate) fn new(aggregate: A) -> Self {
        Self {
            aggregate,
            groups: Lists {
                lists: Vec::new(),
                capacity: 0,
            },
        }
    }
}

/// The number of rows of the first column (all have as many).
fn rows(columns: &[ArrayRef]) -> usize {
    columns.first().map_or(0, |c| c.len())
}

impl<A: ListAggregate> GroupsAccumulator for ListGroupsAccumulator<A> {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        let groups = &mut self.groups;
        groups.resize(total_num_groups, rows(values), group_indices)?;
        self.aggregate
            .for_each_input(values, opt_filter, |row, row_values| {
                groups.push(group_indices[row], row_values)
            })
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        self.aggregate.evaluate(self.groups.take(emit_to))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.aggregate.state(self.groups.take(emit_to))
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        let groups = &mut self.groups;
        groups.resize(total_num_groups, rows(values), group_indices)?;
        self.aggregate.for_each_state(values, |row, state_values| {
            groups.push(group_indices[row], state_values)
        })
    }

    /// Each row as its own group: a list of its values (empty when the row does not count).
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let mut per_row = vec![Vec::new(); rows(values)];
        self.aggregate
            .for_each_input(values, opt_filter, |row, row_values| {
                per_row[row].extend_from_slice(row_values)
            })?;
        self.aggregate.state(per_row)
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.groups.lists.capacity() * size_of::<Vec<A::Value>>()
            + self.groups.capacity * size_of::<A::Value>()
    }
}

/// A list column of `T`, a row per list: how a state's lists are written.
pub(crate) fn primitive_lists<T: ArrowPrimitiveType>(
    lists: impl IntoIterator<Item = impl IntoIterator<Item = T::Native>>,
) -> ArrayRef {
    let mut builder = ListBuilder::new(PrimitiveBuilder::<T>::new());
    for list in lists {
        for value in list {
            builder.values().append_value(value);
        }
        builder.append(true);
    }
    Arc::new(builder.finish())
}

/// Passes the values of every list of a list column of `T` to `push(row, values)`; NULL
/// lists are passed over. A state's lists have no NULL values: only values are collected.
pub(crate) fn for_each_list<T: ArrowPrimitiveType>(
    lists: &ArrayRef,
    mut push: impl FnMut(usize, &[T::Native]),
) {
    let lists: &ListArray = lists.as_list();
    for row in 0..lists.len() {
        if lists.is_valid(row) {
            let values = lists.value(row);
            push(row, values.as_primitive::<T>().values());
        }
    }
}
