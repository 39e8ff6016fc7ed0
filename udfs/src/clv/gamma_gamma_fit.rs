//! `gamma_gamma_fit(x, zbar)`: the maximum-likelihood Gamma-Gamma parameters of the customers
//! aggregated — the spend model of [`crate::clv::models::gamma_gamma`] — as a struct
//! `{p, q, gamma, log_likelihood, converged, iterations, customers}` that
//! `gamma_gamma_expected_spend` and `clv` take as their `params`.
//!
//! Only customers with a repeat purchase carry information on spend per purchase: rows with
//! x = 0 are left out (as are rows with a NULL), and `customers` counts the rows used. A row
//! with x not a whole number ≥ 0, or x > 0 and zbar not positive, is an error. NULL when no
//! row has a repeat purchase. With GROUP BY, one model per group. The fit runs on a thread of
//! its own and stops when the statement is cancelled ([`fit`](super::fit)).

use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::Documentation;

use crate::DOC_SECTION;
use crate::clv::fit::{FitAggregate, RowFit, fit_type, fit_value, no_fit};
use crate::clv::models::gamma_gamma::{self, Spend};
use crate::clv::models::optimize::Likelihood;

const NAME: &str = "gamma_gamma_fit";
const SYNTAX: &str = "gamma_gamma_fit(x, zbar)";
const ARGUMENTS: [&str; 2] = ["x", "zbar"];
/// The model's parameters, as the result struct names them.
pub(crate) const PARAM_NAMES: [&str; 3] = ["p", "q", "gamma"];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Aggregate: fits the Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee \
         2005) by maximum likelihood, one row per customer. Returns a struct {p, q, gamma, \
         log_likelihood, converged, iterations, customers}. Customers without repeat purchases \
         (x = 0) and NULL rows are left out; NULL when none is left.",
        SYNTAX,
    )
    .with_argument(
        "x",
        "Repeat purchases in the calibration period, a whole number.",
    )
    .with_argument(
        "zbar",
        "Mean value of those repeat purchases (positive when x > 0).",
    )
    .with_sql_example(
        r#"```sql
> SELECT round(m.p, 2) AS p, round(m.q, 2) AS q, round(m.gamma, 2) AS gamma
  FROM (SELECT gamma_gamma_fit(x, zbar) AS m FROM cdnow_spend);
+------+------+-------+
| p    | q    | gamma |
+------+------+-------+
| 6.25 | 3.74 | 15.45 |
+------+------+-------+
```"#,
    )
    .with_related_udf("gamma_gamma_expected_spend")
    .with_related_udf("clv")
    .build()
});

/// The `gamma_gamma_fit` aggregate function; see the module documentation.
pub type GammaGammaFit = FitAggregate<GammaGammaModel>;

/// The model `gamma_gamma_fit` fits.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct GammaGammaModel;

impl RowFit for GammaGammaModel {
    const NAME: &'static str = NAME;
    const SYNTAX: &'static str = SYNTAX;
    const ARGUMENTS: &'static [&'static str] = &ARGUMENTS;

    #[inline]
    fn check(row: &[f64]) -> std::result::Result<bool, String> {
        let &[x, zbar] = row else {
            return Err("two numbers per row expected".into());
        };
        gamma_gamma::check(x, zbar).map(|used| used.is_some())
    }

    fn fit(rows: &[f64], stop: &AtomicBool) -> Result<ScalarValue> {
        if rows.is_empty() {
            return Ok(no_fit(&PARAM_NAMES));
        }
        let spend = Spend::new(rows.chunks_exact(2).map(|row| (row[0] as u64, row[1])));
        match gamma_gamma::fit(&spend, stop) {
            Ok((model, fit)) => fit_value(
                &[("p", model.p), ("q", model.q), ("gamma", model.gamma)],
                &fit,
                spend.customers(),
            ),
            Err(why) => exec_err!("{NAME}: {why}"),
        }
    }

    fn return_type() -> DataType {
        fit_type(&PARAM_NAMES)
    }

    fn documentation() -> &'static Documentation {
        &DOCUMENTATION
    }
}
