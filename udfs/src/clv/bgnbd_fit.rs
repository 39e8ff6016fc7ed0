//! `bgnbd_fit(x, t_x, T)`: the maximum-likelihood BG/NBD parameters of the customers
//! aggregated — the model of [`crate::clv::models::bgnbd`] — as a struct
//! `{r, alpha, a, b, log_likelihood, converged, iterations, customers}` that the prediction
//! functions (`bgnbd_p_alive`, `bgnbd_expected_purchases`, `clv`, …) take as their `params`.
//!
//! Rows with a NULL are left out; a row that cannot be a calibration summary (x not a whole
//! number ≥ 0, t_x outside 0…T) is an error. NULL when there is nothing to estimate from: no
//! rows, or no customer with a repeat purchase. With GROUP BY, one model per group. The fit
//! runs on a thread of its own and stops when the statement is cancelled ([`fit`](super::fit)).

use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::Documentation;

use crate::DOC_SECTION;
use crate::clv::fit::{FitAggregate, RowFit, fit_type, fit_value, no_fit};
use crate::clv::models::bgnbd::{self, Calibration, Customer};
use crate::clv::models::optimize::Likelihood;

const NAME: &str = "bgnbd_fit";
const SYNTAX: &str = "bgnbd_fit(x, t_x, T)";
const ARGUMENTS: [&str; 3] = ["x", "t_x", "T"];
/// The model's parameters, as the result struct names them.
pub(crate) const PARAM_NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Aggregate: fits the BG/NBD model (Fader, Hardie & Lee 2005) of repeat purchases and \
         dropout by maximum likelihood, one row per customer. Returns a struct {r, alpha, a, b, \
         log_likelihood, converged, iterations, customers}: purchase rates are Gamma(r, alpha), \
         dropout probabilities Beta(a, b). NULL rows are left out; NULL when no customer has a \
         repeat purchase.",
        SYNTAX,
    )
    .with_argument(
        "x",
        "Repeat purchases in the calibration period (purchases after the first), a whole number.",
    )
    .with_argument(
        "t_x",
        "Time of the last purchase counted from the first (0 when x is 0).",
    )
    .with_argument(
        "T",
        "Time from the first purchase to the end of the calibration period, in the same unit \
         as t_x (days or weeks; see calibration_summary).",
    )
    .with_sql_example(
        r#"```sql
> SELECT round(m.r, 3) AS r, round(m.alpha, 3) AS alpha, round(m.a, 3) AS a,
         round(m.b, 3) AS b, round(m.log_likelihood, 1) AS ll
  FROM (SELECT bgnbd_fit(frequency, recency, "T") AS m FROM cdnow_summary);
+-------+-------+-------+-------+---------+
| r     | alpha | a     | b     | ll      |
+-------+-------+-------+-------+---------+
| 0.243 | 4.414 | 0.793 | 2.426 | -9582.4 |
+-------+-------+-------+-------+---------+
```"#,
    )
    .with_related_udf("calibration_summary")
    .with_related_udf("bgnbd_p_alive")
    .with_related_udf("bgnbd_expected_purchases")
    .build()
});

/// The `bgnbd_fit` aggregate function; see the module documentation.
pub type BgNbdFit = FitAggregate<BgNbdModel>;

/// The model `bgnbd_fit` fits.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct BgNbdModel;

impl RowFit for BgNbdModel {
    const NAME: &'static str = NAME;
    const SYNTAX: &'static str = SYNTAX;
    const ARGUMENTS: &'static [&'static str] = &ARGUMENTS;

    #[inline]
    fn check(row: &[f64]) -> std::result::Result<bool, String> {
        let &[x, t_x, age] = row else {
            return Err("three numbers per row expected".into());
        };
        Customer { x, t_x, age }.check().map(|_| true)
    }

    fn fit(rows: &[f64], stop: &AtomicBool) -> Result<ScalarValue> {
        let customers: Vec<(u64, f64, f64)> = rows
            .chunks_exact(3)
            .map(|row| (row[0] as u64, row[1], row[2]))
            .collect();
        if !customers.iter().any(|(x, _, _)| *x > 0) {
            return Ok(no_fit(&PARAM_NAMES));
        }
        let calibration = Calibration::new(customers);
        match bgnbd::fit(&calibration, stop) {
            Ok((model, fit)) => fit_value(
                &[
                    ("r", model.r),
                    ("alpha", model.alpha),
                    ("a", model.a),
                    ("b", model.b),
                ],
                &fit,
                calibration.customers(),
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
