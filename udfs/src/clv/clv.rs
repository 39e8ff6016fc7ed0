//! `clv(x, t_x, T, zbar, bgnbd_params, gamma_gamma_params [, months [, monthly_discount
//! [, unit]]])`: a customer's expected lifetime value over a horizon of whole months,
//! discounted monthly — defined as lifetimes' `GammaGammaFitter.customer_lifetime_value`
//! defines it, so the two can be compared number for number:
//!
//! ```text
//! clv = Σ_{i=1..months} spend · (E(i·f) − E((i−1)·f)) / (1 + monthly_discount)^i
//! ```
//!
//! where `E(t)` is the BG/NBD conditional expected number of purchases in the next `t` time
//! units, `spend` the Gamma-Gamma expected purchase value, and `f` the time units in a month
//! (lifetimes' factors: 30 days, 4.345 weeks, 1 month).

use std::sync::LazyLock;

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::clv::model_args::{
    BgNbdParams, GammaGammaParams, customer, expected_purchases, expected_spend, number,
};
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "clv";
const SYNTAX: &str = "clv(x, t_x, T, zbar, bgnbd_params, gamma_gamma_params [, months [, monthly_discount [, unit]]])";
const PARAMS: [Param; 9] = [
    param("x", Kind::Number),
    param("t_x", Kind::Number),
    param("T", Kind::Number),
    param("zbar", Kind::Number),
    param("bgnbd_params", Kind::Struct),
    param("gamma_gamma_params", Kind::Struct),
    param("months", Kind::Integer),
    param("monthly_discount", Kind::Number),
    param("unit", Kind::Text),
];
const DEFAULT_MONTHS: i64 = 12;
const DEFAULT_DISCOUNT: f64 = 0.01;
/// Time units per month, as lifetimes counts them.
const UNITS: [(&str, f64); 3] = [("days", 30.0), ("weeks", 4.345), ("months", 1.0)];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns a customer's expected lifetime value over the next `months` months: for each \
         month, the BG/NBD expected purchases in that month times the Gamma-Gamma expected \
         purchase value, discounted by (1 + monthly_discount)^month — the definition of \
         lifetimes' customer_lifetime_value. NULL if an argument is NULL.",
        SYNTAX,
    )
    .with_argument("x", "Repeat purchases in the calibration period.")
    .with_argument("t_x", "Time of the last purchase counted from the first.")
    .with_argument(
        "T",
        "Time from the first purchase to the end of the calibration period.",
    )
    .with_argument(
        "zbar",
        "Mean value of the repeat purchases (ignored when x is 0).",
    )
    .with_argument("bgnbd_params", "The BG/NBD model, as bgnbd_fit returns it.")
    .with_argument(
        "gamma_gamma_params",
        "The Gamma-Gamma model, as gamma_gamma_fit returns it.",
    )
    .with_argument("months", "Horizon in whole months; default 12.")
    .with_argument("monthly_discount", "Discount rate per month; default 0.01.")
    .with_argument(
        "unit",
        "The unit of t_x and T: 'days' (default), 'weeks' or 'months'.",
    )
    .with_sql_example(
        r#"```sql
> SELECT round(clv(2, 30.43, 38.86, 22.35,
           named_struct('r', 0.243, 'alpha', 4.414, 'a', 0.793, 'b', 2.426),
           named_struct('p', 6.25, 'q', 3.74, 'gamma', 15.44), 12, 0.01, 'weeks'), 2) AS clv;
+-------+
| clv   |
+-------+
| 36.29 |
+-------+
```"#,
    )
    .with_related_udf("bgnbd_expected_purchases")
    .with_related_udf("gamma_gamma_expected_spend")
    .build()
});

/// The `clv` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Clv {
    signature: Signature,
}

impl Default for Clv {
    fn default() -> Self {
        Self::new()
    }
}

impl Clv {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// Time units per month for a unit name.
fn units_per_month(unit: &str) -> Result<f64> {
    match UNITS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(unit.trim()))
    {
        Some((_, factor)) => Ok(*factor),
        None => exec_err!("{NAME}: unit must be 'days', 'weeks' or 'months', not '{unit}'"),
    }
}

impl ScalarUDFImpl for Clv {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 6, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let ([x, t_x, age, zbar, bgnbd, gamma_gamma], [months, discount, unit]) =
            match arrays.as_slice() {
                [x, t_x, age, zbar, bgnbd, gg, rest @ ..] => (
                    [x, t_x, age, zbar, bgnbd, gg],
                    [rest.first(), rest.get(1), rest.get(2)],
                ),
                _ => return exec_err!("{NAME} takes 6 to 9 arguments ({SYNTAX})"),
            };
        let bgnbd = BgNbdParams::new(NAME, bgnbd)?;
        let gamma_gamma = GammaGammaParams::new(NAME, "gamma_gamma_params", gamma_gamma)?;
        let months = months.map(|m| m.as_primitive::<datafusion::arrow::datatypes::Int64Type>());
        let units = unit.map(|u| u.as_string::<i32>());
        let values = (0..args.number_rows)
            .map(|row| {
                let (Some(customer), Some(zbar), Some(bgnbd), Some(gamma_gamma)) = (
                    customer(NAME, [x, t_x, age], row)?,
                    number(zbar, row),
                    bgnbd.at(NAME, row)?,
                    gamma_gamma.at(NAME, row)?,
                ) else {
                    return Ok(None);
                };
                let months = match months {
                    None => DEFAULT_MONTHS,
                    Some(m) if m.is_valid(row) => m.value(row),
                    Some(_) => return Ok(None),
                };
                let discount = match discount {
                    None => DEFAULT_DISCOUNT,
                    Some(d) => match number(d, row) {
                        Some(d) => d,
                        None => return Ok(None),
                    },
                };
                let per_month = match units {
                    None => units_per_month("days")?,
                    Some(u) if u.is_valid(row) => units_per_month(u.value(row))?,
                    Some(_) => return Ok(None),
                };
                if !(0..=1200).contains(&months) {
                    return exec_err!("{NAME}: months must be between 0 and 1200, not {months}");
                }
                if !(discount.is_finite() && discount > -1.0) {
                    return exec_err!(
                        "{NAME}: monthly_discount must be greater than -1, not {discount}"
                    );
                }
                let spend = expected_spend(NAME, &gamma_gamma, customer.x, zbar)?;
                let mut value = 0.0;
                let mut before = 0.0;
                for month in 1..=months {
                    let cumulative =
                        expected_purchases(NAME, &bgnbd, month as f64 * per_month, customer)?;
                    value += spend * (cumulative - before) / (1.0 + discount).powi(month as i32);
                    before = cumulative;
                }
                Ok(Some(value))
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(std::sync::Arc::new(values)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
