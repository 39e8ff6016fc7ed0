//! `custlake-udfs`: the customer-analytics SQL functions of custlake, as DataFusion functions,
//! and the session settings they read.
//!
//! The crate depends on DataFusion only — no wire protocol, no configuration file — so the same
//! functions run in the custlake server, in `custlake query`, and on Ballista executors. Two
//! entry points: [`register_all`] registers the functions, and [`CustlakeOptions`] is the
//! config extension (settings under `custlake.`) a session must be built with for
//! `SET custlake.…` to work:
//!
//! ```text
//! SessionConfig::new().with_option_extension(CustlakeOptions::default())
//! ```
//!
//! Each function is one struct in its own module, named after the function, with its
//! signature built in `new()` and its documentation attached, so it shows in
//! `information_schema.routines`. The modules are grouped by domain, as DataFusion groups its
//! own functions (`string`, `math`, `datetime`): [`rfm`], [`lifecycle`], [`loyalty`],
//! [`repurchase`], [`churn`], [`clv`] and [`baskets`], with what they share in [`common`].
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`as_of()`](common::as_of::AsOf) | scalar | DATE: the session's `custlake.as_of`, else today (UTC) |
//! | [`rfm_score(value [, lower_is_better])`](rfm::rfm_score::RfmScore) | window | INT: quintile score 1–5, NTILE semantics |
//! | [`rfm_bucket(value, thresholds [, lower_is_better])`](rfm::rfm_bucket::RfmBucket) | scalar | INT: score by fixed thresholds |
//! | [`rfm_segment(r, f, m [, map])`](rfm::rfm_segment::RfmSegment) | scalar | TEXT: Champions … Lost, or a custom map |
//! | [`lifecycle_stage(first, last, type, as_of)`](lifecycle::lifecycle_stage::LifecycleStage) | scalar | TEXT: prospect/new/growing/mature/at_risk |
//! | [`value_activity_segment(spend, reference, active)`](lifecycle::value_activity_segment::ValueActivitySegment) | scalar | TEXT: high_value_active/potential/sleeping/other |
//! | [`churn_risk(last_purchase, …, as_of [, weights])`](churn::churn_risk::ChurnRisk) | scalar | DOUBLE: the operators' 0–100 churn scorecard |
//! | [`churn_reasons(last_purchase, …, as_of [, weights])`](churn::churn_reasons::ChurnReasons) | scalar | TEXT[]: the scorecard's signals that fired |
//! | [`churn_level(score)`](churn::churn_level::ChurnLevel) | scalar | TEXT: low/medium/high/critical band of a 0–100 churn-risk score |
//! | [`calibration_summary(order_ts, amount, calibration_end [, unit])`](clv::calibration_summary::CalibrationSummary) | aggregate | STRUCT: x, t_x, age (T), zbar of a purchase history |
//! | [`bgnbd_fit(x, t_x, T)`](clv::bgnbd_fit::BgNbdFit) | aggregate | STRUCT: BG/NBD parameters r, alpha, a, b by maximum likelihood |
//! | [`bgnbd_p_alive(x, t_x, T, params)`](clv::bgnbd_p_alive::BgNbdPAlive) | scalar | DOUBLE: probability the customer is still active |
//! | [`bgnbd_expected_purchases(t, x, t_x, T, params)`](clv::bgnbd_expected_purchases::BgNbdExpectedPurchases) | scalar | DOUBLE: expected purchases in the next t |
//! | [`bgnbd_expected_purchases_population(t, params)`](clv::bgnbd_expected_purchases_population::BgNbdExpectedPurchasesPopulation) | scalar | DOUBLE: expected repeat purchases of a new customer |
//! | [`gamma_gamma_fit(x, zbar)`](clv::gamma_gamma_fit::GammaGammaFit) | aggregate | STRUCT: Gamma-Gamma spend parameters p, q, gamma |
//! | [`gamma_gamma_expected_spend(x, zbar, params)`](clv::gamma_gamma_expected_spend::GammaGammaExpectedSpend) | scalar | DOUBLE: expected value per future purchase |
//! | [`clv(x, t_x, T, zbar, bgnbd, gamma_gamma [, months, discount, unit])`](clv::clv::Clv) | scalar | DOUBLE: discounted expected lifetime value (lifetimes' definition) |
//! | [`member_tier(spend, orders, points [, ladder])`](loyalty::member_tier::MemberTier) | scalar | TEXT: normal/silver/gold/diamond |
//! | [`points_balance(order_ts, amount, as_of)`](loyalty::points_balance::PointsBalance) | aggregate | BIGINT: unexpired loyalty points |
//! | [`nps(score)`](loyalty::nps::Nps) | aggregate | DOUBLE: Net Promoter Score of 0–10 answers, −100…100 |
//! | [`next_purchase_due(order_ts)`](repurchase::next_purchase_due::NextPurchaseDue) | aggregate | DATE: last purchase + median gap |
//! | [`repurchase_reminder_date(due, type)`](repurchase::repurchase_reminder_date::RepurchaseReminderDate) | scalar | DATE: due − lead time |
//! | [`rfm(source [, as_of])`](rfm::rfm) | table | the per-customer RFM table: values, scores, segment |
//! | [`frequent_itemsets(source, min_support [, max_len])`](baskets::frequent_itemsets) | table | itemsets bought together, with count and support |
//! | [`association_rules(source, min_support, min_confidence [, …])`](baskets::association_rules) | table | rules A → C with mlxtend's measures |
//!
//! The model functions rest on [`clv::models`], the numerics of the BG/NBD and Gamma-Gamma
//! models (likelihoods, the hypergeometric function, the optimiser) with no DataFusion in it;
//! their fits run on a thread of their own and stop when the statement is interrupted
//! ([`interrupt`]). [`baskets::algorithms`] is the same for basket mining: frequent itemsets
//! by FP-Growth and association rules, checked against pyfim and mlxtend.
//! [`baskets::exec`] puts them in SQL: the plan node that mines within DataFusion's memory
//! pool.
//!
//! [`common`] holds what they share: argument coercion (dates, text, numbers) and calendar
//! arithmetic. Time is counted in whole days throughout — a timestamp stands for its UTC date
//! and an as-of date includes its whole day — so every function agrees on what "90 days ago"
//! and "3 months without activity" mean.
//!
//! Their behaviour is tested in SQL by `tests/sqllogictests.rs` (files in `tests/slt/`).

pub mod baskets;
pub mod churn;
pub mod clv;
pub mod common;
pub mod lifecycle;
pub mod loyalty;
pub mod repurchase;
pub mod rfm;

use std::sync::Arc;

use datafusion::catalog::TableFunctionImpl;
use datafusion::common::Result;
use datafusion::execution::{FunctionRegistry, SessionState};
use datafusion::logical_expr::{AggregateUDF, DocSection, ScalarUDF, WindowUDF};

pub use common::interrupt;
pub use common::options::CustlakeOptions;

use baskets::{association_rules, frequent_itemsets};
use churn::{churn_level, churn_reasons, churn_risk};
use clv::{
    bgnbd_expected_purchases, bgnbd_expected_purchases_population, bgnbd_fit, bgnbd_p_alive,
    calibration_summary, gamma_gamma_expected_spend, gamma_gamma_fit,
};
use common::as_of;
use lifecycle::{lifecycle_stage, value_activity_segment};
use loyalty::{member_tier, nps, points_balance};
use repurchase::{next_purchase_due, repurchase_reminder_date};
use rfm::{rfm_bucket, rfm_score, rfm_segment};

/// The documentation section every function of this crate is listed under.
pub(crate) const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "Customer Analytics Functions",
    description: Some("custlake's functions for customer analytics (custlake-udfs)."),
};

/// Scalar functions of this crate.
pub fn scalar_functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        Arc::new(ScalarUDF::from(as_of::AsOf::new())),
        Arc::new(ScalarUDF::from(rfm_bucket::RfmBucket::new())),
        Arc::new(ScalarUDF::from(rfm_segment::RfmSegment::new())),
        Arc::new(ScalarUDF::from(lifecycle_stage::LifecycleStage::new())),
        Arc::new(ScalarUDF::from(
            value_activity_segment::ValueActivitySegment::new(),
        )),
        Arc::new(ScalarUDF::from(churn_level::ChurnLevel::new())),
        Arc::new(ScalarUDF::from(churn_risk::ChurnRisk::new())),
        Arc::new(ScalarUDF::from(churn_reasons::ChurnReasons::new())),
        Arc::new(ScalarUDF::from(bgnbd_p_alive::BgNbdPAlive::new())),
        Arc::new(ScalarUDF::from(
            bgnbd_expected_purchases::BgNbdExpectedPurchases::new(),
        )),
        Arc::new(ScalarUDF::from(
            bgnbd_expected_purchases_population::BgNbdExpectedPurchasesPopulation::new(),
        )),
        Arc::new(ScalarUDF::from(
            gamma_gamma_expected_spend::GammaGammaExpectedSpend::new(),
        )),
        Arc::new(ScalarUDF::from(clv::clv::Clv::new())),
        Arc::new(ScalarUDF::from(member_tier::MemberTier::new())),
        Arc::new(ScalarUDF::from(
            repurchase_reminder_date::RepurchaseReminderDate::new(),
        )),
    ]
}

/// Aggregate functions of this crate.
pub fn aggregate_functions() -> Vec<Arc<AggregateUDF>> {
    vec![
        Arc::new(AggregateUDF::from(nps::Nps::new())),
        Arc::new(AggregateUDF::from(points_balance::PointsBalance::new())),
        Arc::new(AggregateUDF::from(next_purchase_due::NextPurchaseDue::new())),
        Arc::new(AggregateUDF::from(
            calibration_summary::CalibrationSummary::new(),
        )),
        Arc::new(AggregateUDF::from(bgnbd_fit::BgNbdFit::new())),
        Arc::new(AggregateUDF::from(gamma_gamma_fit::GammaGammaFit::new())),
    ]
}

/// Window functions of this crate.
pub fn window_functions() -> Vec<Arc<WindowUDF>> {
    vec![Arc::new(WindowUDF::from(rfm_score::RfmScore::new()))]
}

/// Table functions of this crate, with the names they are called by. (DataFusion does not
/// attach documentation to table functions; `rfm` is documented in [`rfm::rfm`].)
pub fn table_functions() -> Vec<(&'static str, Arc<dyn TableFunctionImpl>)> {
    vec![
        ("rfm", Arc::new(rfm::rfm::RfmFunction)),
        (
            "frequent_itemsets",
            Arc::new(frequent_itemsets::FrequentItemsetsFunction),
        ),
        (
            "association_rules",
            Arc::new(association_rules::AssociationRulesFunction),
        ),
    ]
}

/// The names of every function of this crate (scalar, aggregate, window and table).
pub fn function_names() -> std::collections::BTreeSet<String> {
    let mut names: std::collections::BTreeSet<String> = scalar_functions()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    names.extend(aggregate_functions().iter().map(|f| f.name().to_string()));
    names.extend(window_functions().iter().map(|f| f.name().to_string()));
    names.extend(
        table_functions()
            .into_iter()
            .map(|(name, _)| name.to_string()),
    );
    names
}

/// Registers every function of this crate with a DataFusion session state (before a
/// `SessionContext` is made from it). Registering twice replaces the earlier registration.
///
/// `as_of()` reads [`CustlakeOptions`] from the session; without that extension it is
/// simply the current date, and `SET custlake.as_of` fails with "Could not find config
/// namespace".
pub fn register_all(state: &mut SessionState) -> Result<()> {
    for function in scalar_functions() {
        state.register_udf(function)?;
    }
    for function in aggregate_functions() {
        state.register_udaf(function)?;
    }
    for function in window_functions() {
        state.register_udwf(function)?;
    }
    for (name, function) in table_functions() {
        state.register_udtf(name, function);
    }
    Ok(())
}
