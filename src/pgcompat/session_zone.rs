//! Timestamps with time zone computed in the session's TimeZone, as PostgreSQL computes
//! them. An Arrow timestamptz carries a zone in its type, and DataFusion's kernels work in
//! that zone: a lake's columns are in UTC, whatever the session's zone. This analyzer rule,
//! run last, puts the session's zone wherever a timestamptz meets wall-clock time:
//! - a timestamptz made from wall-clock time (`'2024-06-30 12:00'`, a timestamp, a date) is
//!   that time in the session's zone, whatever the zone of the type it becomes;
//! - a timestamptz made into wall-clock time (a date, a timestamp, a time, text) and the
//!   fields, truncations, `age` and `to_char` of a timestamptz are those of the session's
//!   zone;
//! - a query's timestamptz results are put in the session's zone as they stream out
//!   ([`results_in_zone`]), so that clients are sent the session's offset
//!   (`2024-06-30 20:00:00+08`).
//!
//! A UTC session changes nothing: the lake's zone is UTC.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::common::config::ConfigOptions;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::logical_expr::expr::{Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, ScalarUDF};
use datafusion::optimizer::AnalyzerRule;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use futures::StreamExt;

use super::cast_rules::{call, rewrite_expressions};
use super::time_zone::is_utc;

/// The rule, holding `timezone` (AT TIME ZONE), which reads a timestamptz's wall-clock time
/// in a zone: Arrow's cast to a timestamp without zone keeps UTC's.
#[derive(Debug)]
pub struct SessionZone {
    timezone: Arc<ScalarUDF>,
}

impl SessionZone {
    /// `registry` must hold pgcompat's `timezone`.
    pub fn new(registry: &dyn FunctionRegistry) -> Result<Self> {
        Ok(SessionZone {
            timezone: registry.udf("timezone")?,
        })
    }
}

/// Whether two Arrow zones are the same.
fn same_zone(a: &str, b: &str) -> bool {
    a == b || (is_utc(a) && is_utc(b))
}

/// The zone of a timestamptz type other than `session`'s; `None` for any other type.
fn other_zone<'a>(data_type: &'a DataType, session: &str) -> Option<(&'a TimeUnit, &'a str)> {
    match data_type {
        DataType::Timestamp(unit, Some(zone)) if !same_zone(zone, session) => Some((unit, zone)),
        _ => None,
    }
}

fn in_zone(expr: Expr, unit: TimeUnit, zone: &str) -> Expr {
    Expr::Cast(Cast::new(
        Box::new(expr),
        DataType::Timestamp(unit, Some(zone.into())),
    ))
}

impl SessionZone {
    /// `expr` rewritten to meet wall-clock time in `session`'s zone; `None` if it need not be.
    fn in_session_zone(&self, expr: &Expr, schema: &DFSchema, session: &str) -> Option<Expr> {
        let re_zoned = |e: &Expr| {
            let data_type = e.get_type(schema).ok()?;
            let (unit, _) = other_zone(&data_type, session)?;
            Some(in_zone(e.clone(), *unit, session))
        };
        match expr {
            Expr::Cast(Cast { expr: inner, field })
            | Expr::TryCast(TryCast { expr: inner, field }) => {
                let from = inner.get_type(schema).ok()?;
                let to = field.data_type();
                let rebuilt = |inner: Expr| match expr {
                    Expr::TryCast(_) => Expr::TryCast(TryCast::new(Box::new(inner), to.clone())),
                    _ => Expr::Cast(Cast::new(Box::new(inner), to.clone())),
                };
                match (&from, to) {
                    // Made from wall-clock time: read in the session's zone first.
                    (DataType::Timestamp(_, Some(_)), _)
                        if matches!(to, DataType::Timestamp(_, Some(_))) =>
                    {
                        None
                    }
                    (_, DataType::Timestamp(unit, Some(zone))) if !same_zone(zone, session) => {
                        Some(rebuilt(in_zone(inner.as_ref().clone(), *unit, session)))
                    }
                    // Made into wall-clock time: that of the session's zone.
                    (DataType::Timestamp(_, Some(_)), DataType::Timestamp(_, None)) => {
                        let zone =
                            Expr::Literal(ScalarValue::Utf8(Some(session.to_string())), None);
                        Some(rebuilt(Expr::ScalarFunction(ScalarFunction::new_udf(
                            Arc::clone(&self.timezone),
                            vec![zone, inner.as_ref().clone()],
                        ))))
                    }
                    (DataType::Timestamp(_, Some(_)), _) => re_zoned(inner).map(rebuilt),
                    _ => None,
                }
            }
            Expr::ScalarFunction(ScalarFunction { func, args })
                if matches!(
                    func.name(),
                    "date_part" | "date_trunc" | "to_char" | "date_bin"
                ) =>
            {
                let mut changed = false;
                let args = args
                    .iter()
                    .map(|arg| match re_zoned(arg) {
                        Some(re_zoned) => {
                            changed = true;
                            re_zoned
                        }
                        None => arg.clone(),
                    })
                    .collect();
                changed.then(|| call(func, args))
            }
            _ => None,
        }
    }
}

/// `stream` with its timestamptz columns in the zone `session` (Arrow's zone name): the
/// same instants, so that the encoder writes the session's offset. Only the types change —
/// the plan is left as it is (a projection over an ORDER BY would be repartitioned by
/// DataFusion, and its rows would lose their order).
pub fn results_in_zone(
    stream: SendableRecordBatchStream,
    session: &str,
) -> SendableRecordBatchStream {
    let input = stream.schema();
    let needed = input
        .fields()
        .iter()
        .any(|field| other_zone(field.data_type(), session).is_some());
    if is_utc(session) || !needed {
        return stream;
    }
    let fields: Vec<Field> = input
        .fields()
        .iter()
        .map(|field| match other_zone(field.data_type(), session) {
            Some((unit, _)) => field
                .as_ref()
                .clone()
                .with_data_type(DataType::Timestamp(*unit, Some(session.into()))),
            None => field.as_ref().clone(),
        })
        .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, input.metadata().clone()));
    let output = Arc::clone(&schema);
    let batches = stream.map(move |batch| {
        let batch = batch?;
        let columns = batch
            .columns()
            .iter()
            .zip(output.fields())
            .map(
                |(column, field)| match column.data_type() == field.data_type() {
                    true => Ok(Arc::clone(column)),
                    false => Ok(cast(column, field.data_type())?),
                },
            )
            .collect::<Result<Vec<_>>>()?;
        Ok(RecordBatch::try_new(Arc::clone(&output), columns)?)
    });
    Box::pin(RecordBatchStreamAdapter::new(schema, batches))
}

impl AnalyzerRule for SessionZone {
    fn name(&self) -> &str {
        "pg_session_zone"
    }

    fn analyze(&self, plan: LogicalPlan, config: &ConfigOptions) -> Result<LogicalPlan> {
        let session = config
            .execution
            .time_zone
            .clone()
            .unwrap_or_else(|| "+00:00".into());
        if is_utc(&session) {
            return Ok(plan);
        }
        rewrite_expressions(plan, |e, schema| self.in_session_zone(e, schema, &session))
    }
}
