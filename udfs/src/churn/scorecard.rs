//! The operators' rule-based churn scorecard that [`churn_risk`](super::churn_risk) (a score
//! from 0 to 100) and [`churn_reasons`](super::churn_reasons) (the signals that fired, for
//! the follow-up queue) share: their arguments, the signals and their weights. Both take the
//! same per-customer signals, computed in SQL from orders and interactions (see
//! `queries/churn_watchlist.sql`):
//!
//! ```text
//! churn_risk(last_purchase, own_interval_days, cohort_interval_days, last_interaction,
//!            spend_90d, spend_prior_90d, unanswered_contacts, complaints_90d,
//!            customer_type, as_of [, weights])
//! ```
//!
//! | signal | fires when | default weight |
//! |---|---|---|
//! | `overdue` | days since the last purchase exceed the customer's median interval between purchases (the cohort's median when the customer has fewer than 2 purchases, i.e. `own_interval_days` is NULL); its points grow linearly from 0 at 1× the interval to the full weight at 3× | 30 |
//! | `inactive` | no purchase and no interaction for more than 3 calendar months (6 for B2B) — `lifecycle_stage`'s at_risk rule | 25 |
//! | `spend_drop` | spend in the last 90 days is down 30% or more against the 90 days before (which must be positive) | 15 |
//! | `unanswered_contacts` | the last 2 or more outbound contacts went without a response | 15 |
//! | `complaints` | at least one complaint in the last 90 days | 15 |
//!
//! The score is 100 × the points earned ÷ the sum of the weights, so any weights give a 0–100
//! score, banded by `churn_level`. `weights` overrides some or all of them: a struct with
//! fields named as the signals, e.g. `named_struct('overdue', 50, 'complaints', 0)`.
//! A signal whose inputs are NULL (no purchase yet, no interval known) does not fire; only a
//! NULL `as_of` makes the result NULL.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{Documentation, ScalarFunctionArgs};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, add_months, arrays, is_b2b, param};
use crate::lifecycle::lifecycle_stage::{AT_RISK_MONTHS_B2B, AT_RISK_MONTHS_B2C};

pub(super) const PARAMS: [Param; 11] = [
    param("last_purchase", Kind::Date),
    param("own_interval_days", Kind::Number),
    param("cohort_interval_days", Kind::Number),
    param("last_interaction", Kind::Date),
    param("spend_90d", Kind::Number),
    param("spend_prior_90d", Kind::Number),
    param("unanswered_contacts", Kind::Number),
    param("complaints_90d", Kind::Number),
    param("customer_type", Kind::Text),
    param("as_of", Kind::Date),
    param("weights", Kind::Struct),
];
pub(super) const REQUIRED: usize = 10;
pub(super) const ARGUMENTS: &str = "last_purchase, own_interval_days, cohort_interval_days, \
     last_interaction, spend_90d, spend_prior_90d, unanswered_contacts, complaints_90d, \
     customer_type, as_of [, weights]";

/// The signals, in the order `churn_reasons` lists them, with their default weights.
const SIGNALS: [(&str, f64); 5] = [
    ("overdue", 30.0),
    ("inactive", 25.0),
    ("spend_drop", 15.0),
    ("unanswered_contacts", 15.0),
    ("complaints", 15.0),
];
/// Overdue points are full at this many intervals since the last purchase.
const OVERDUE_FULL_AT: f64 = 3.0;
/// Spend in the last 90 days at or below this share of the 90 days before is a drop.
const SPEND_DROP_SHARE: f64 = 0.7;
/// Consecutive unanswered outbound contacts that fire the signal.
const UNANSWERED_CONTACTS: f64 = 2.0;

/// Each signal's share of its weight earned (0 when it did not fire).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Signals([f64; 5]);

impl Signals {
    pub(super) fn score(&self, weights: &[f64; 5]) -> f64 {
        let total: f64 = weights.iter().sum();
        let earned: f64 = self.0.iter().zip(weights).map(|(s, w)| s * w).sum();
        100.0 * earned / total
    }

    pub(super) fn reasons(&self) -> impl Iterator<Item = &'static str> + '_ {
        SIGNALS
            .iter()
            .zip(self.0)
            .filter(|(_, share)| *share > 0.0)
            .map(|((name, _), _)| *name)
    }
}

/// The arguments of one call, as arrays of the computed types.
pub(super) struct Inputs {
    arrays: Vec<ArrayRef>,
    weights: Option<Vec<Option<Float64Array>>>,
}

impl Inputs {
    pub(super) fn new(function: &str, args: &ScalarFunctionArgs) -> Result<Self> {
        let arrays = arrays(&args.args, args.number_rows)?;
        if !(REQUIRED..=PARAMS.len()).contains(&arrays.len()) {
            return exec_err!("{function} takes 10 or 11 arguments ({function}({ARGUMENTS}))");
        }
        let weights = match arrays.get(REQUIRED) {
            None => None,
            Some(weights) if weights.data_type().is_null() => None,
            Some(weights) => {
                let Some(fields) = weights.as_struct_opt() else {
                    return exec_err!("{function}: weights must be a struct");
                };
                for name in fields.column_names() {
                    if !SIGNALS.iter().any(|(signal, _)| *signal == name) {
                        return exec_err!(
                            "{function}: weights has a field '{name}', which is not a signal \
                             (the signals are overdue, inactive, spend_drop, \
                             unanswered_contacts, complaints)"
                        );
                    }
                }
                let columns = SIGNALS
                    .iter()
                    .map(|(name, _)| {
                        fields
                            .column_by_name(name)
                            .map(|c| {
                                cast(c, &DataType::Float64)
                                    .map(|c| c.as_primitive::<Float64Type>().clone())
                            })
                            .transpose()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Some(columns)
            }
        };
        Ok(Self { arrays, weights })
    }

    pub(super) fn weights(&self, function: &str, row: usize) -> Result<[f64; 5]> {
        let mut weights = SIGNALS.map(|(_, weight)| weight);
        if let Some(columns) = &self.weights {
            for ((weight, column), (name, _)) in weights.iter_mut().zip(columns).zip(SIGNALS) {
                if let Some(column) = column
                    && column.is_valid(row)
                {
                    *weight = column.value(row);
                    if !(weight.is_finite() && *weight >= 0.0) {
                        return exec_err!(
                            "{function}: the weight of {name} must be 0 or more, not {weight}"
                        );
                    }
                }
            }
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return exec_err!("{function}: at least one weight must be positive");
        }
        Ok(weights)
    }

    /// The signals of `row`; `None` when `as_of` is NULL.
    pub(super) fn signals(&self, function: &str, row: usize) -> Result<Option<Signals>> {
        let a = &self.arrays;
        let date = |i: usize| {
            let dates = a[i].as_primitive::<Date32Type>();
            dates.is_valid(row).then(|| dates.value(row))
        };
        let number = |i: usize| {
            let numbers = a[i].as_primitive::<Float64Type>();
            numbers.is_valid(row).then(|| numbers.value(row))
        };
        let Some(as_of) = date(9) else {
            return Ok(None);
        };
        let last_purchase = date(0).filter(|&day| day <= as_of);

        let interval = number(1).or(number(2));
        let overdue = match (last_purchase, interval) {
            (Some(last), Some(interval)) if interval > 0.0 => {
                let ratio = f64::from(as_of - last) / interval;
                ((ratio - 1.0) / (OVERDUE_FULL_AT - 1.0)).clamp(0.0, 1.0)
            }
            (_, Some(interval)) if interval.is_nan() || interval <= 0.0 => {
                return exec_err!(
                    "{function}: the interval between purchases must be positive, not {interval}"
                );
            }
            _ => 0.0,
        };

        let customer_type: &StringArray = a[8].as_string();
        let months = if is_b2b(customer_type, row) {
            AT_RISK_MONTHS_B2B
        } else {
            AT_RISK_MONTHS_B2C
        };
        let Some(quiet_before) = add_months(as_of, -months) else {
            return exec_err!("{function}: as_of is out of the date range");
        };
        let last_activity = last_purchase.max(date(3).filter(|&day| day <= as_of));
        let inactive = match last_activity {
            Some(last) if last >= quiet_before => 0.0,
            // Never active up to as_of counts as inactive only for a customer who has bought.
            None if last_purchase.is_none() => 0.0,
            _ => 1.0,
        };

        let spend_drop = match (number(4), number(5)) {
            (Some(recent), Some(prior)) if prior > 0.0 && recent <= SPEND_DROP_SHARE * prior => 1.0,
            _ => 0.0,
        };
        let unanswered = match number(6) {
            Some(streak) if streak >= UNANSWERED_CONTACTS => 1.0,
            _ => 0.0,
        };
        let complaints = match number(7) {
            Some(count) if count >= 1.0 => 1.0,
            _ => 0.0,
        };
        Ok(Some(Signals([
            overdue, inactive, spend_drop, unanswered, complaints,
        ])))
    }
}

pub(super) fn documentation(name: &str, description: &str, example: &str) -> Documentation {
    Documentation::builder(DOC_SECTION, description, format!("{name}({ARGUMENTS})"))
        .with_argument("last_purchase", "Date of the last purchase (NULL if none).")
        .with_argument(
            "own_interval_days",
            "The customer's median days between purchases; NULL with fewer than 2 purchases.",
        )
        .with_argument(
            "cohort_interval_days",
            "The median days between purchases of the customer's cohort, used when \
             own_interval_days is NULL.",
        )
        .with_argument(
            "last_interaction",
            "Date of the customer's last interaction of their own (NULL if none).",
        )
        .with_argument("spend_90d", "Spend in the 90 days up to as_of.")
        .with_argument("spend_prior_90d", "Spend in the 90 days before those.")
        .with_argument(
            "unanswered_contacts",
            "Consecutive outbound contacts, latest first, without a response.",
        )
        .with_argument("complaints_90d", "Complaints in the 90 days up to as_of.")
        .with_argument("customer_type", "'B2B' or 'B2C' (case-insensitive).")
        .with_argument("as_of", "The date the score is for.")
        .with_argument(
            "weights",
            "Optional struct overriding weights by signal name: overdue (30), inactive (25), \
             spend_drop (15), unanswered_contacts (15), complaints (15).",
        )
        .with_sql_example(example)
        .with_related_udf("churn_level")
        .build()
}
