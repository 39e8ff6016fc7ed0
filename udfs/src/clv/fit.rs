//! The model-fitting aggregates (`bgnbd_fit`, `gamma_gamma_fit`): one aggregate function,
//! [`FitAggregate`], for any model that implements [`RowFit`]. A fit needs every customer's
//! row at once, so each partition collects its rows (checked as they arrive, so a bad row
//! fails the query where it is read) with the accumulators every list aggregate shares
//! (`common::group_lists`): partial states are lists of numbers merged
//! by concatenation, and the final evaluation hands all rows of a group to the model, whose
//! likelihood is then summed on all cores (see [`crate::clv::models`]).
//!
//! The fits of an evaluation run on a thread of their own, as basket mining does: a fit takes
//! seconds on millions of customers, and `evaluate` is called on the async worker that serves
//! the statement. While it waits for the answer, `evaluate` watches the statement's
//! [`Interrupt`](interrupt::Interrupt) (the one [`interrupt::current`] finds): when it is
//! fired, the optimiser is told to stop, and the statement ends at once with "canceling
//! statement: the fit was interrupted". A panic of the fit becomes an internal error.

use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, new_empty_array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::scalar::ScalarStructBuilder;
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err, internal_err};
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
use crate::common::interrupt;
use crate::common::own_thread;

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
    /// [`RowFit::return_type`]; NULL when there is nothing to fit. Ends early, with an
    /// error, when `stop` is set.
    fn fit(rows: &[f64], stop: &AtomicBool) -> Result<ScalarValue>;
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
        let fits = fit_on_own_thread::<F>(lists)?;
        if fits.is_empty() {
            return Ok(new_empty_array(&F::return_type()));
        }
        ScalarValue::iter_to_array(fits)
    }
}

/// How long a wait for a fit lasts before the statement's interrupt is looked at again.
const INTERRUPT_POLL: Duration = Duration::from_millis(25);

/// The fit of each of `groups`, on a thread of its own; see the module documentation.
fn fit_on_own_thread<F: RowFit>(groups: Vec<Vec<f64>>) -> Result<Vec<ScalarValue>> {
    let stop = Arc::new(AtomicBool::new(false));
    let stop_fits = Arc::clone(&stop);
    // Room for the answer: the fitting thread never waits for a caller that has left.
    let (answer, fits) = mpsc::sync_channel(1);
    own_thread::spawn(
        F::NAME,
        "fit",
        move || {
            groups
                .iter()
                .map(|rows| F::fit(rows, &stop_fits))
                .collect::<Result<Vec<_>>>()
        },
        move |fits| drop(answer.send(fits)),
    )?;
    let ended = || exec_datafusion_err!("{}: the fitting thread ended without a result", F::NAME);
    let Some(interrupt) = interrupt::current() else {
        return fits.recv().map_err(|_| ended())?;
    };
    loop {
        match fits.recv_timeout(INTERRUPT_POLL) {
            Ok(fits) => return fits,
            Err(RecvTimeoutError::Timeout) if interrupt.is_fired() => {
                stop.store(true, Ordering::Relaxed);
                return exec_err!("canceling statement: the fit was interrupted");
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Err(ended()),
        }
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

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;
    use std::sync::atomic::AtomicU64;
    use std::time::Instant;

    use datafusion::arrow::array::Float64Array;
    use datafusion::common::DataFusionError;
    use datafusion::logical_expr::EmitTo;

    use super::*;
    use crate::DOC_SECTION;
    use crate::clv::models::optimize::{Likelihood, maximize_in_stages};
    use crate::common::interrupt::Interrupt;

    static DOCUMENTATION: LazyLock<Documentation> =
        LazyLock::new(|| Documentation::builder(DOC_SECTION, "A test fit.", "test_fit(x)").build());

    /// The evaluations of [`Endless`] in each test that fits [`SlowFit`] (tests run side by
    /// side).
    static EVALUATIONS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

    /// ln p, which grows without end: BFGS steps on for hundreds of iterations, and each
    /// evaluation takes 20 ms, so a fit would take many seconds. Counts its evaluations.
    struct Endless(&'static AtomicU64);

    impl Likelihood for Endless {
        fn evaluate(&self, params: &[f64]) -> Option<(f64, Vec<f64>)> {
            self.0.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            let p = params[0];
            p.ln().is_finite().then(|| (p.ln(), vec![1.0 / p]))
        }
        fn customers(&self) -> f64 {
            1.0
        }
    }

    /// A fit of [`Endless`], counted in `EVALUATIONS[TEST]`.
    #[derive(Debug, PartialEq, Eq, Hash)]
    struct SlowFit<const TEST: usize>;

    impl<const TEST: usize> RowFit for SlowFit<TEST> {
        const NAME: &'static str = "slow_fit";
        const SYNTAX: &'static str = "slow_fit(x)";
        const ARGUMENTS: &'static [&'static str] = &["x"];

        fn check(_row: &[f64]) -> std::result::Result<bool, String> {
            Ok(true)
        }

        fn fit(_rows: &[f64], stop: &AtomicBool) -> Result<ScalarValue> {
            let fit = maximize_in_stages(&Endless(&EVALUATIONS[TEST]), &[1.0], stop)
                .map_err(|why| exec_datafusion_err!("slow_fit: {why}"))?;
            fit_value(&[("p", fit.params[0])], &fit, 1.0)
        }

        fn return_type() -> DataType {
            fit_type(&["p"])
        }

        fn documentation() -> &'static Documentation {
            &DOCUMENTATION
        }
    }

    #[derive(Debug, PartialEq, Eq, Hash)]
    struct PanickingFit;

    impl RowFit for PanickingFit {
        const NAME: &'static str = "panicking_fit";
        const SYNTAX: &'static str = "panicking_fit(x)";
        const ARGUMENTS: &'static [&'static str] = &["x"];

        fn check(_row: &[f64]) -> std::result::Result<bool, String> {
            Ok(true)
        }

        fn fit(_rows: &[f64], _stop: &AtomicBool) -> Result<ScalarValue> {
            panic!("the test fit panics")
        }

        fn return_type() -> DataType {
            fit_type(&["p"])
        }

        fn documentation() -> &'static Documentation {
            &DOCUMENTATION
        }
    }

    fn one_row() -> Vec<ArrayRef> {
        vec![Arc::new(Float64Array::from(vec![1.0]))]
    }

    #[test]
    fn an_interrupt_stops_the_fit() {
        let mut accumulator = ListAccumulator::new(FitRows::<SlowFit<0>>::new());
        accumulator.update_batch(&one_row()).unwrap();
        let interrupt = Interrupt::new();
        let firing = interrupt.clone();
        let fire = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            firing.fire();
        });
        let started = Instant::now();
        let result = interrupt::scope(&interrupt, || accumulator.evaluate());
        let waited = started.elapsed();
        fire.join().unwrap();
        let Err(DataFusionError::Execution(message)) = result else {
            panic!("an execution error expected, not {result:?}");
        };
        assert_eq!(message, "canceling statement: the fit was interrupted");
        assert!(
            waited < Duration::from_secs(2),
            "evaluate returned after {waited:?}"
        );
        // The fitting thread stops too, within the evaluation it was in: the count of
        // evaluations stops growing.
        std::thread::sleep(Duration::from_millis(100));
        let evaluations = EVALUATIONS[0].load(Ordering::SeqCst);
        assert!(evaluations > 0);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(EVALUATIONS[0].load(Ordering::SeqCst), evaluations);
    }

    #[test]
    fn an_interrupt_stops_the_fits_of_groups() {
        let mut accumulator = ListGroupsAccumulator::new(FitRows::<SlowFit<1>>::new());
        let rows: ArrayRef = Arc::new(Float64Array::from(vec![1.0, 2.0]));
        accumulator.update_batch(&[rows], &[0, 1], None, 2).unwrap();
        let interrupt = Interrupt::new();
        interrupt.fire();
        let started = Instant::now();
        let result = interrupt::scope(&interrupt, || accumulator.evaluate(EmitTo::All));
        assert!(started.elapsed() < Duration::from_secs(2));
        let Err(DataFusionError::Execution(message)) = result else {
            panic!("an execution error expected, not {result:?}");
        };
        assert_eq!(message, "canceling statement: the fit was interrupted");
    }

    #[test]
    fn a_panic_in_the_fit_is_an_error() {
        let mut accumulator = ListAccumulator::new(FitRows::<PanickingFit>::new());
        accumulator.update_batch(&one_row()).unwrap();
        let result = accumulator.evaluate();
        let Err(DataFusionError::Internal(message)) = result else {
            panic!("an internal error expected, not {result:?}");
        };
        assert!(
            message.contains("panicking_fit: the fit failed: the test fit panics"),
            "{message}"
        );
        // The same under an interrupt that is not fired.
        let interrupt = Interrupt::new();
        let result = interrupt::scope(&interrupt, || accumulator.evaluate());
        assert!(
            matches!(result, Err(DataFusionError::Internal(_))),
            "{result:?}"
        );
    }
}
