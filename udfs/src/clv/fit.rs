//! The model-fitting aggregates (`bgnbd_fit`, `gamma_gamma_fit`): one aggregate function,
//! [`FitAggregate`], for any model that implements [`RowFit`]. A fit needs every customer's
//! row at once, so each partition collects its rows (checked as they arrive, so a bad row
//! fails the query where it is read) with the accumulators every list aggregate shares
//! (`common::group_lists`): partial states are lists of numbers merged
//! by concatenation, and the final evaluation hands all rows of a group to the model, whose
//! likelihood is then summed on all cores (see [`crate::clv::models`]).

use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, new_empty_array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::scalar::ScalarStructBuilder;
use datafusion::common::{Result, ScalarValue, exec_err, internal_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, GroupsAccumulator, ReversedUDAF, Signature,
    Volatility,
};

use crate::common::args::{Kind, Param, coerce, param, selected};
use crate::common::group_lists::{
    ListAccumulator, ListAggregate, ListGroupsAccumulator, for_each_list, primitive_lists,
};

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
        Ok(Box::new(ListAccumulator::new(FitRows::<F>::new())))
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
        Ok(Box::new(ListGroupsAccumulator::new(FitRows::<F>::new())))
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

/// The rows a fit is evaluated on: [`ListAggregate`] over the numbers of each group's rows,
/// `WIDTH` numbers a row, one row after the other.
#[derive(Debug)]
pub(crate) struct FitRows<F>(PhantomData<F>);

impl<F> FitRows<F> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<F: RowFit> ListAggregate for FitRows<F> {
    type Value = f64;

    /// Every selected row without NULLs, checked.
    fn for_each_input(
        &self,
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

    fn for_each_state(&self, states: &[ArrayRef], push: impl FnMut(usize, &[f64])) -> Result<()> {
        let [lists] = states else {
            return internal_err!("one state column expected");
        };
        for_each_list::<Float64Type>(lists, push);
        Ok(())
    }

    fn state(&self, lists: Vec<Vec<f64>>) -> Result<Vec<ArrayRef>> {
        Ok(vec![primitive_lists::<Float64Type>(lists)])
    }

    fn evaluate(&self, lists: Vec<Vec<f64>>) -> Result<ArrayRef> {
        let fits = lists
            .iter()
            .map(|rows| F::fit(rows))
            .collect::<Result<Vec<_>>>()?;
        if fits.is_empty() {
            return Ok(new_empty_array(&F::return_type()));
        }
        ScalarValue::iter_to_array(fits)
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
