//! What the prediction functions of the BG/NBD and Gamma-Gamma models share: reading a
//! `params` struct (as `bgnbd_fit` / `gamma_gamma_fit` return it, or built with
//! `named_struct`) and a customer's calibration summary, row by row, with errors that name
//! the function.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::Float64Type;
use datafusion::common::{Result, exec_err};

use crate::clv::models::bgnbd::{BgNbd, Customer};
use crate::clv::models::gamma_gamma::GammaGamma;
use crate::common::args::struct_numbers;

/// The BG/NBD parameters of a `params` argument, by row.
pub(crate) struct BgNbdParams(Vec<Float64Array>);

impl BgNbdParams {
    pub fn new(function: &str, params: &ArrayRef) -> Result<Self> {
        Ok(Self(struct_numbers(
            function,
            "params",
            params,
            &crate::clv::bgnbd_fit::PARAM_NAMES,
        )?))
    }

    /// The parameters of `row`; `None` if one is NULL.
    pub fn at(&self, function: &str, row: usize) -> Result<Option<BgNbd>> {
        let Some([r, alpha, a, b]) = values(&self.0, row) else {
            return Ok(None);
        };
        let model = BgNbd { r, alpha, a, b };
        match model.check() {
            Ok(()) => Ok(Some(model)),
            Err(why) => exec_err!("{function}: {why}"),
        }
    }
}

/// The Gamma-Gamma parameters of a `params` argument, by row.
pub(crate) struct GammaGammaParams(Vec<Float64Array>);

impl GammaGammaParams {
    pub fn new(function: &str, argument: &str, params: &ArrayRef) -> Result<Self> {
        Ok(Self(struct_numbers(
            function,
            argument,
            params,
            &crate::clv::gamma_gamma_fit::PARAM_NAMES,
        )?))
    }

    /// The parameters of `row`; `None` if one is NULL.
    pub fn at(&self, function: &str, row: usize) -> Result<Option<GammaGamma>> {
        let Some([p, q, gamma]) = values(&self.0, row) else {
            return Ok(None);
        };
        let model = GammaGamma { p, q, gamma };
        match model.check() {
            Ok(()) => Ok(Some(model)),
            Err(why) => exec_err!("{function}: {why}"),
        }
    }
}

/// The numbers of `row` in every column; `None` if one is NULL.
fn values<const N: usize>(columns: &[Float64Array], row: usize) -> Option<[f64; N]> {
    let mut values = [0.0; N];
    for (value, column) in values.iter_mut().zip(columns) {
        if column.is_null(row) {
            return None;
        }
        *value = column.value(row);
    }
    Some(values)
}

/// The number of `row` of a `Float64` argument; `None` if NULL.
pub(crate) fn number(array: &ArrayRef, row: usize) -> Option<f64> {
    let numbers = array.as_primitive::<Float64Type>();
    numbers.is_valid(row).then(|| numbers.value(row))
}

/// The calibration summary of `row` from the `x`, `t_x` and `T` arguments; `None` if one is
/// NULL, an error if it cannot come from a purchase history.
pub(crate) fn customer(
    function: &str,
    [x, t_x, age]: [&ArrayRef; 3],
    row: usize,
) -> Result<Option<Customer>> {
    let (Some(x), Some(t_x), Some(age)) = (number(x, row), number(t_x, row), number(age, row))
    else {
        return Ok(None);
    };
    let customer = Customer { x, t_x, age };
    match customer.check() {
        Ok(_) => Ok(Some(customer)),
        Err(why) => exec_err!("{function}: {why}"),
    }
}

/// [`BgNbd::expected_purchases`] with the errors of `function`: `t` must be at least 0.
pub(crate) fn expected_purchases(
    function: &str,
    model: &BgNbd,
    t: f64,
    customer: Customer,
) -> Result<f64> {
    if !(t.is_finite() && t >= 0.0) {
        return exec_err!("{function}: the horizon t must be at least 0, not {t}");
    }
    match model.expected_purchases(t, customer) {
        Some(expected) => Ok(expected),
        None => exec_err!(
            "{function}: the hypergeometric function 2F1 is undefined for {model:?} at t = {t} \
             and {customer:?}"
        ),
    }
}

/// [`GammaGamma::expected_spend`] with the errors of `function`.
pub(crate) fn expected_spend(function: &str, model: &GammaGamma, x: f64, zbar: f64) -> Result<f64> {
    if !(x.is_finite() && x >= 0.0 && x == x.trunc()) {
        return exec_err!(
            "{function}: x (repeat purchases) must be a whole number of at least 0, not {x}"
        );
    }
    if !zbar.is_finite() {
        return exec_err!("{function}: zbar must be a number, not {zbar}");
    }
    match model.expected_spend(x, zbar) {
        Ok(spend) => Ok(spend),
        Err(why) => exec_err!("{function}: {why}"),
    }
}
