//! The saved segmentation queries (`queries/*.sql`, served as views `segments.<file>`) on the
//! shared test lake, each against an independent plain-Rust implementation of its definition.
//!
//! The expected values come from the lake's Parquet files read directly (no SQL, no custlake
//! function): each query's filters, joins and `coalesce`s are re-implemented from its text, and
//! each function from its documentation. Every view is checked row for row and column for
//! column, at the lake's own as-of date (the config's default) and at two dates set on the
//! session: a leap day, whose calendar-month arithmetic clamps (12 months back is 2023-02-28),
//! and a year end, after which part of the lake's orders and sign-ups lie (they must not count).
//!
//! This file holds what every family shares: the engine with the saved queries, sessions at
//! each as-of date, `view` (a view's rows with its column names and types checked), and
//! `assert_same_rows`; `lake` reads the Parquet files. One file per family of views:
//! `rfm` (rfm, champions), `lifecycle` (lifecycle, at_risk), `value_activity`, `loyalty`
//! (member_tiers, referral_leaderboard), `repurchase` (repurchase_due), `campaigns`
//! (campaign_kpis, nps_by_segment), `churn` (churn_watchlist, churn_scores), `cross_sell`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Debug};

use chrono::NaiveDate;
use custlake::engine::Engine;
use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::{DataType, Float64Type, TimeUnit};
use datafusion::prelude::SessionContext;

use crate::common;
use crate::common::columns::{column, dates, texts};
use lake::date;

mod campaigns;
mod churn;
mod cross_sell;
mod lake;
mod lifecycle;
mod loyalty;
mod repurchase;
mod rfm;
mod value_activity;

/// The saved queries, i.e. the views of schema `segments`.
const VIEWS: [&str; 13] = [
    "at_risk",
    "campaign_kpis",
    "champions",
    "churn_scores",
    "churn_watchlist",
    "cross_sell",
    "lifecycle",
    "member_tiers",
    "nps_by_segment",
    "referral_leaderboard",
    "repurchase_due",
    "rfm",
    "value_activity",
];

/// The as-of date of the test lake's config (`custlake gen`'s default).
const LAKE_AS_OF: &str = "2024-06-30";
/// Dates set with `SET custlake.as_of` in addition to the lake's own.
const SET_DATES: [&str; 2] = ["2024-02-29", "2023-12-31"];

// ---------------------------------------------------------------------------------------------
// Reading columns (of the lake's Parquet batches and of query results)

fn floats(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    column(batch, name)
        .as_primitive::<Float64Type>()
        .iter()
        .collect()
}

/// The values of a column that has no NULLs.
fn all<T>(values: Vec<Option<T>>) -> Vec<T> {
    values
        .into_iter()
        .map(|v| v.expect("no NULL in this column"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The engine and the views

/// The engine over the shared lake with the project's saved queries (built per test: it takes
/// well under a second, and a test's runtime ends with the test).
async fn engine() -> Engine {
    let mut config = common::lake_config();
    config.saved_queries = Some(crate::common::manifest_dir().join("queries"));
    Engine::build(&config)
        .await
        .expect("engine with the saved queries")
}

async fn query(session: &SessionContext, sql: &str) -> RecordBatch {
    let frame = session
        .sql(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let schema = frame.schema().inner().clone();
    let batches = frame
        .collect()
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    concat_batches(&schema, &batches).expect("concat")
}

/// Sessions at the lake's own date (nothing set: the config's default) and at each of
/// `SET_DATES`, each with its as-of date as `as_of()` reports it.
async fn sessions(engine: &Engine) -> Vec<(SessionContext, NaiveDate)> {
    sessions_at(engine, &SET_DATES).await
}

/// Sessions at the lake's own date and at each of `set_dates`.
async fn sessions_at(engine: &Engine, set_dates: &[&str]) -> Vec<(SessionContext, NaiveDate)> {
    let mut sessions = Vec::new();
    for set in [None]
        .into_iter()
        .chain(set_dates.iter().copied().map(Some))
    {
        let session = engine.session();
        if let Some(day) = set {
            query(&session, &format!("SET custlake.as_of = '{day}'")).await;
        }
        let expected = set.unwrap_or(LAKE_AS_OF);
        let reported = query(&session, "SELECT as_of() AS d").await;
        assert_eq!(
            all(dates(&reported, "d")),
            [date(expected)],
            "as_of() of the session"
        );
        sessions.push((session, date(expected)));
    }
    sessions
}

/// `SELECT * FROM segments.<view>`, its columns checked by name and type.
async fn view(session: &SessionContext, name: &str, columns: &[(&str, Ty)]) -> RecordBatch {
    let batch = query(session, &format!("SELECT * FROM segments.{name}")).await;
    let schema = batch.schema();
    let found: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
    let wanted: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, wanted, "columns of segments.{name}");
    for ((column, actual), (_, ty)) in found.iter().zip(columns) {
        assert!(
            ty.accepts(actual),
            "segments.{name}.{column}: expected {ty:?}, got {actual}"
        );
    }
    batch
}

/// A column type as a check: exact where the type is a contract, a kind where the engine
/// derives the precision.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Int64,
    Int32,
    /// Any integer type (e.g. `rank()`).
    Integer,
    Float64,
    Bool,
    Text,
    /// A list of text.
    TextList,
    Date,
    Timestamp,
    /// Decimal128 with exactly this precision and scale.
    Decimal(u8, i8),
    /// Decimal128 of any precision at this scale (sums, averages, quotients).
    Scale(i8),
}

impl Ty {
    fn accepts(self, t: &DataType) -> bool {
        match self {
            Ty::Int64 => *t == DataType::Int64,
            Ty::Int32 => *t == DataType::Int32,
            Ty::Integer => t.is_integer(),
            Ty::Float64 => *t == DataType::Float64,
            Ty::Bool => *t == DataType::Boolean,
            Ty::Text => matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8),
            Ty::TextList => {
                matches!(t, DataType::List(item) if Ty::Text.accepts(item.data_type()))
            }
            Ty::Date => *t == DataType::Date32,
            Ty::Timestamp => *t == DataType::Timestamp(TimeUnit::Microsecond, None),
            Ty::Decimal(p, s) => *t == DataType::Decimal128(p, s),
            Ty::Scale(s) => matches!(t, DataType::Decimal128(_, scale) if *scale == s),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// A float that compares with a relative tolerance of 1e-9.
#[derive(Clone, Copy)]
struct Approx(f64);

impl PartialEq for Approx {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
    }
}

impl Debug for Approx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Asserts that the view's rows are exactly the expected ones, matched by `key` (unique on
/// both sides); a failure lists the first differing, missing and extra rows rather than
/// thousands of them. The expected set must not be empty: a test on nothing checks nothing.
fn assert_same_rows<R: Debug + PartialEq, K: Ord + Debug>(
    what: &str,
    expected: Vec<R>,
    actual: Vec<R>,
    key: impl Fn(&R) -> K,
) {
    assert!(!expected.is_empty(), "{what}: no expected rows to compare");
    let expected_by_key: BTreeMap<K, &R> = expected.iter().map(|r| (key(r), r)).collect();
    let actual_by_key: BTreeMap<K, &R> = actual.iter().map(|r| (key(r), r)).collect();
    assert_eq!(
        expected_by_key.len(),
        expected.len(),
        "{what}: duplicate expected keys"
    );
    assert_eq!(
        actual_by_key.len(),
        actual.len(),
        "{what}: duplicate keys in the view"
    );
    let keys: BTreeSet<&K> = expected_by_key.keys().chain(actual_by_key.keys()).collect();
    let mut problems = Vec::new();
    for k in keys {
        match (expected_by_key.get(k), actual_by_key.get(k)) {
            (Some(e), Some(a)) if e != a => {
                problems.push(format!("{k:?}:\n  expected {e:?}\n  actual   {a:?}"))
            }
            (Some(e), None) => problems.push(format!("{k:?}: missing, expected {e:?}")),
            (None, Some(a)) => problems.push(format!("{k:?}: unexpected {a:?}")),
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s) in {} expected / {} actual rows; the first:\n{}",
        problems.len(),
        expected.len(),
        actual.len(),
        problems[..problems.len().min(8)].join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The views as a whole

#[tokio::test]
async fn all_views_load_and_are_listed_as_views() {
    let engine = engine().await;
    let report = engine.reload_saved_queries().await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.loaded, VIEWS);
    let listed = query(
        &engine.session(),
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = 'segments' AND table_type = 'VIEW' ORDER BY table_name",
    )
    .await;
    assert_eq!(all(texts(&listed, "table_name")), VIEWS);
}

/// `numerator / denominator` rounded half away from zero, as PostgreSQL rounds a numeric
/// quotient (and an average) at its last decimal.
pub fn div_rounded(numerator: i128, denominator: i128) -> i128 {
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    let away = 2 * remainder.abs() >= denominator.abs();
    quotient + i128::from(away) * (numerator.signum() * denominator.signum())
}
