//! The model-fitting aggregates (`bgnbd_fit`, `gamma_gamma_fit`): one aggregate function,
//! [`FitAggregate`], for any model that implements [`RowFit`]. A fit
//! needs every customer's row at once, so each partition collects its rows (checked as they
//! arrive, so a bad row fails the query where it is read), partial states are lists of
//! numbers merged by concatenation, and the final evaluation hands all rows of a group to the
//! model, whose likelihood is then summed on all cores (see [`crate::clv::models`]).

use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;
use std::mem::{size_of, size_of_val};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Builder, ListArray, ListBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::scalar::ScalarStructBuilder;
use datafusion::common::{Result, ScalarValue, exec_err, internal_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, EmitTo, GroupsAccumulator, ReversedUDAF,
    Signature, Volatility,
};

use crate::common::args::{Kind, Param, coerce, param, selected};

/// A model fitted by an aggregate over rows of `WIDTH` numbers.
pub trait RowFit: Debug + PartialEq + Eq + Hash + Send + Sync + 'static {
    const NAME: &'static str;
    const SYNTAX: &'static str;
    /// The names of the aggregate's arguments, all required and all numbers.
    const ARGUMENTS: &'static [&'static str];
    /// Numbers per row: the number of arguments.
    const WIDTH: usize = Self::ARGUMENTS.len();
    /// Checks one row (no NULLs in it): `Ok(false)` leaves it out of the fit.
    fn check(row: &[f64]) -> std::result::Result<bool, String>;
    /// The fit of `rows` (`WIDTH` numbers each, one after the other) as a struct of
    /// [`RowFit::return_type`]; NULL when there is nothing to fit.
    fn fit(rows: &[f64]) -> Result<ScalarValue>;
    fn return_type() -> DataType;
    fn documentation() -> &'static Documentation;
}

/// The aggregate function that fits model `F`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct FitAggregate<F> {
    signature: Signature,
    model: PhantomData<F>,
}

impl<F: RowFit> Default for FitAggregate<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F: RowFit> FitAggregate<F> {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            model: PhantomData,
        }
    }
}

impl<F: RowFit> AggregateUDFImpl for FitAggregate<F> {
    fn name(&self) -> &str {
        F::NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let params: Vec<Param> = F::ARGUMENTS
            .iter()
            .map(|name| param(name, Kind::Number))
            .collect();
        coerce(F::NAME, F::SYNTAX, &params, F::WIDTH, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(F::return_type())
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::<RowsAccumulator<F>>::default())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(state_fields(args.name))
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::<RowsGroupsAccumulator<F>>::default())
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Identical
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(F::documentation())
    }
}

/// The state of a fitting aggregate: one list of all rows' numbers.
fn state_fields(name: &str) -> Vec<FieldRef> {
    vec![Arc::new(Field::new(
        format_state_name(name, "rows"),
        DataType::new_list(DataType::Float64, true),
        true,
    ))]
}

/// Passes every selected row without NULLs, checked, to `push(row, numbers)`.
fn for_each_row<F: RowFit>(
    values: &[ArrayRef],
    opt_filter: Option<&BooleanArray>,
    mut push: impl FnMut(usize, &[f64]),
) -> Result<()> {
    if values.len() != F::WIDTH {
        return internal_err!("{}: {} arguments expected", F::NAME, F::WIDTH);
    }
    let columns: Vec<_> = values
        .iter()
        .map(|v| v.as_primitive::<Float64Type>())
        .collect();
    let mut row = vec![0.0; F::WIDTH];
    // Without a filter or NULLs (the usual batch), no row needs the per-row tests.
    let every_row = opt_filter.is_none() && columns.iter().all(|c| c.null_count() == 0);
    let numbers: Vec<&[f64]> = columns.iter().map(|c| c.values().as_ref()).collect();
    for i in 0..values[0].len() {
        if !every_row && (!selected(opt_filter, i) || columns.iter().any(|c| c.is_null(i))) {
            continue;
        }
        for (number, column) in row.iter_mut().zip(&numbers) {
            *number = column[i];
        }
        match F::check(&row) {
            Ok(true) => push(i, &row),
            Ok(false) => {}
            Err(why) => return exec_err!("{}: {why}", F::NAME),
        }
    }
    Ok(())
}

/// Passes every state list to `push(state_row, numbers)`.
fn for_each_state(states: &[ArrayRef], mut push: impl FnMut(usize, &[f64])) -> Result<()> {
    let [lists] = states else {
        return internal_err!("one state column expected");
    };
    let lists: &ListArray = lists.as_list();
    for i in 0..lists.len() {
        if lists.is_valid(i) {
            let numbers = lists.value(i);
            push(i, numbers.as_primitive::<Float64Type>().values());
        }
    }
    Ok(())
}

fn rows_list(groups: impl IntoIterator<Item = Vec<f64>>) -> ArrayRef {
    let mut builder = ListBuilder::new(Float64Builder::new());
    for rows in groups {
        builder.values().append_slice(&rows);
        builder.append(true);
    }
    Arc::new(builder.finish())
}

#[derive(Debug)]
pub(crate) struct RowsAccumulator<F> {
    rows: Vec<f64>,
    fit: PhantomData<F>,
}

impl<F> Default for RowsAccumulator<F> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            fit: PhantomData,
        }
    }
}

impl<F: RowFit> Accumulator for RowsAccumulator<F> {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for_each_row::<F>(values, None, |_, row| self.rows.extend_from_slice(row))
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        F::fit(&self.rows)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let list = rows_list([std::mem::take(&mut self.rows)]);
        Ok(vec![ScalarValue::List(Arc::new(list.as_list().clone()))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for_each_state(states, |_, rows| self.rows.extend_from_slice(rows))
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.rows.capacity() * size_of::<f64>()
    }
}

/// The rows of group `g` are `rows[g]`.
#[derive(Debug)]
pub(crate) struct RowsGroupsAccumulator<F> {
    rows: Vec<Vec<f64>>,
    /// Total capacity of the inner vectors, for [`GroupsAccumulator::size`].
    capacity: usize,
    fit: PhantomData<F>,
}

impl<F> Default for RowsGroupsAccumulator<F> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            capacity: 0,
            fit: PhantomData,
        }
    }
}

impl<F> RowsGroupsAccumulator<F> {
    fn push(&mut self, group: usize, numbers: &[f64]) {
        let rows = &mut self.rows[group];
        let before = rows.capacity();
        rows.extend_from_slice(numbers);
        self.capacity += rows.capacity() - before;
    }

    fn take(&mut self, emit_to: EmitTo) -> Vec<Vec<f64>> {
        let taken = emit_to.take_needed(&mut self.rows);
        self.capacity -= taken.iter().map(Vec::capacity).sum::<usize>();
        taken
    }
}

impl<F: RowFit> GroupsAccumulator for RowsGroupsAccumulator<F> {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.rows.resize_with(total_num_groups, Vec::new);
        for_each_row::<F>(values, opt_filter, |i, row| {
            self.push(group_indices[i], row)
        })
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let fits = self
            .take(emit_to)
            .iter()
            .map(|rows| F::fit(rows))
            .collect::<Result<Vec<_>>>()?;
        if fits.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(&F::return_type()));
        }
        ScalarValue::iter_to_array(fits)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        Ok(vec![rows_list(self.take(emit_to))])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.rows.resize_with(total_num_groups, Vec::new);
        for_each_state(values, |i, rows| self.push(group_indices[i], rows))
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let rows = values.first().map_or(0, |v| v.len());
        let mut per_row = vec![Vec::new(); rows];
        for_each_row::<F>(values, opt_filter, |i, row| {
            per_row[i].extend_from_slice(row)
        })?;
        Ok(vec![rows_list(per_row)])
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.rows.capacity() * size_of::<Vec<f64>>()
            + self.capacity * size_of::<f64>()
    }
}

/// The fields of a fit's result: the model's parameters (`Float64`), then `log_likelihood`,
/// `converged`, `iterations` (of the final optimisation, on all rows, after the stage on a
/// subsample for large fits) and `customers` (the number of rows the fit used). Nullable,
/// as the whole result is NULL when there is nothing to fit.
pub(crate) fn fit_type(params: &[&str]) -> DataType {
    DataType::Struct(fit_fields(params).into())
}

fn fit_fields(params: &[&str]) -> Vec<Field> {
    let mut fields: Vec<Field> = params
        .iter()
        .map(|name| Field::new(*name, DataType::Float64, true))
        .collect();
    fields.extend([
        Field::new("log_likelihood", DataType::Float64, true),
        Field::new("converged", DataType::Boolean, true),
        Field::new("iterations", DataType::Int64, true),
        Field::new("customers", DataType::Int64, true),
    ]);
    fields
}

/// The value of a fit's result: `params` (names and values, in [`fit_type`]'s order).
pub(crate) fn fit_value(
    params: &[(&str, f64)],
    fit: &crate::clv::models::optimize::Fit,
    customers: f64,
) -> Result<ScalarValue> {
    let names: Vec<&str> = params.iter().map(|(name, _)| *name).collect();
    let values = params
        .iter()
        .map(|(_, value)| ScalarValue::Float64(Some(*value)))
        .chain([
            ScalarValue::Float64(Some(fit.log_likelihood)),
            ScalarValue::Boolean(Some(fit.converged)),
            ScalarValue::Int64(Some(fit.iterations as i64)),
            ScalarValue::Int64(Some(customers as i64)),
        ]);
    fit_fields(&names)
        .into_iter()
        .zip(values)
        .fold(ScalarStructBuilder::new(), |builder, (field, value)| {
            builder.with_scalar(field, value)
        })
        .build()
}

/// A NULL fit result.
pub(crate) fn no_fit(params: &[&str]) -> ScalarValue {
    ScalarStructBuilder::new_null(fit_fields(params))
}
