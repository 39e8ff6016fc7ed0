//! An optimizer rule for the commonest filter of CRM queries: a timestamp's date compared with
//! a date, `CAST(order_ts AS DATE) <= as_of()`.
//!
//! Evaluated as written, every row's timestamp is cast to a date before it is compared — on
//! 10M orders that cast costs more than the rest of the filter — and the cast hides the column
//! from Parquet statistics. A date comparison is a timestamp comparison with a day boundary,
//! so the rule rewrites it, once the other side is a literal (after `as_of()` and date
//! arithmetic are folded):
//!
//! | written | becomes |
//! |---|---|
//! | `CAST(ts AS DATE) <= d` | `ts < d + 1 day` |
//! | `CAST(ts AS DATE) < d` | `ts < d` |
//! | `CAST(ts AS DATE) >= d` | `ts >= d` |
//! | `CAST(ts AS DATE) > d` | `ts >= d + 1 day` |
//! | `CAST(ts AS DATE) = d` | `ts >= d AND ts < d + 1 day` |
//!
//! The same holds where the date is cast on to a timestamp and compared with a midnight,
//! as `CAST(ts AS DATE) > as_of() - INTERVAL '12 months'` is (PostgreSQL's date minus an
//! interval is a timestamp).
//!
//! (`d` as midnight, in the timestamp's unit.) This holds where the cast takes the UTC date:
//! timestamps without a time zone, or in UTC. Other zones, other types and overflowing
//! boundaries are left as written. NULLs compare to NULL either way.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::{Cast, TryCast};
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, Filter, LogicalPlan, Operator};
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The rule; registered in every session by [`super::build_state`].
#[derive(Debug, Default)]
pub struct DateCastComparison;

impl OptimizerRule for DateCastComparison {
    fn name(&self) -> &str {
        "custlake_date_cast_comparison"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Filter(filter) = plan else {
            return Ok(Transformed::no(plan));
        };
        let schema = Arc::clone(filter.input.schema());
        let predicate = filter
            .predicate
            .clone()
            .transform_up(|expr| rewrite_comparison(expr, &schema))?;
        if !predicate.transformed {
            return Ok(Transformed::no(LogicalPlan::Filter(filter)));
        }
        Filter::try_new(predicate.data, filter.input)
            .map(|filter| Transformed::yes(LogicalPlan::Filter(filter)))
    }
}

fn rewrite_comparison(expr: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = &expr else {
        return Ok(Transformed::no(expr));
    };
    // The cast on the left, the date on the right: `d >= CAST(ts AS DATE)` is turned around.
    let (timestamp, op, day) = match (date_cast_operand(left), date_literal(right)) {
        (Some(ts), Some(day)) => (ts, *op, day),
        _ => match (date_literal(left), date_cast_operand(right), op.swap()) {
            (Some(day), Some(ts), Some(swapped)) => (ts, swapped, day),
            _ => return Ok(Transformed::no(expr)),
        },
    };
    let DataType::Timestamp(unit, zone) = timestamp.get_type(schema)? else {
        return Ok(Transformed::no(expr));
    };
    if zone
        .as_deref()
        .is_some_and(|zone| !matches!(zone, "UTC" | "+00:00" | "Z"))
    {
        return Ok(Transformed::no(expr));
    }
    let midnight = |day: i64| -> Option<Expr> {
        let value = day.checked_mul(units_per_day(unit))?;
        let zone = zone.clone();
        let literal = match unit {
            TimeUnit::Second => ScalarValue::TimestampSecond(Some(value), zone),
            TimeUnit::Millisecond => ScalarValue::TimestampMillisecond(Some(value), zone),
            TimeUnit::Microsecond => ScalarValue::TimestampMicrosecond(Some(value), zone),
            TimeUnit::Nanosecond => ScalarValue::TimestampNanosecond(Some(value), zone),
        };
        Some(Expr::Literal(literal, None))
    };
    let compare = |op: Operator, bound: Expr| {
        Expr::BinaryExpr(BinaryExpr::new(
            Box::new(timestamp.clone()),
            op,
            Box::new(bound),
        ))
    };
    let day = i64::from(day);
    let (Some(start), Some(next)) = (midnight(day), midnight(day + 1)) else {
        return Ok(Transformed::no(expr));
    };
    let rewritten = match op {
        Operator::LtEq => compare(Operator::Lt, next),
        Operator::Lt => compare(Operator::Lt, start),
        Operator::GtEq => compare(Operator::GtEq, start),
        Operator::Gt => compare(Operator::GtEq, next),
        Operator::Eq => compare(Operator::GtEq, start).and(compare(Operator::Lt, next)),
        _ => return Ok(Transformed::no(expr)),
    };
    Ok(Transformed::yes(rewritten))
}

/// `x` of `CAST(x AS DATE)` (or `TRY_CAST`), also when the date is cast on to a timestamp
/// to meet one (`CAST(ts AS DATE) > as_of() - INTERVAL '1 year'`: PostgreSQL's
/// `date - interval` is a timestamp).
fn date_cast_operand(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field })
            if field.data_type() == &DataType::Date32 =>
        {
            Some(expr)
        }
        Expr::Cast(Cast { expr, field })
            if matches!(field.data_type(), DataType::Timestamp(_, None)) =>
        {
            date_cast_operand(expr)
        }
        _ => None,
    }
}

/// The day of a date literal, or of a timestamp literal (without a zone) at midnight.
fn date_literal(expr: &Expr) -> Option<i32> {
    let midnight = |value: i64, unit: TimeUnit| {
        let per_day = units_per_day(unit);
        (value % per_day == 0)
            .then(|| i32::try_from(value / per_day).ok())
            .flatten()
    };
    match expr {
        Expr::Literal(ScalarValue::Date32(Some(day)), _) => Some(*day),
        Expr::Literal(ScalarValue::TimestampSecond(Some(v), None), _) => {
            midnight(*v, TimeUnit::Second)
        }
        Expr::Literal(ScalarValue::TimestampMillisecond(Some(v), None), _) => {
            midnight(*v, TimeUnit::Millisecond)
        }
        Expr::Literal(ScalarValue::TimestampMicrosecond(Some(v), None), _) => {
            midnight(*v, TimeUnit::Microsecond)
        }
        Expr::Literal(ScalarValue::TimestampNanosecond(Some(v), None), _) => {
            midnight(*v, TimeUnit::Nanosecond)
        }
        _ => None,
    }
}

fn units_per_day(unit: TimeUnit) -> i64 {
    const SECONDS: i64 = 86_400;
    match unit {
        TimeUnit::Second => SECONDS,
        TimeUnit::Millisecond => SECONDS * 1_000,
        TimeUnit::Microsecond => SECONDS * 1_000_000,
        TimeUnit::Nanosecond => SECONDS * 1_000_000_000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::execution::SessionStateBuilder;
    use datafusion::prelude::SessionContext;

    fn context(with_rule: bool) -> SessionContext {
        let mut builder = SessionStateBuilder::new().with_default_features();
        if with_rule {
            builder = builder.with_optimizer_rule(Arc::new(DateCastComparison));
        }
        SessionContext::new_with_state(builder.build())
    }

    const TABLE: &str = "CREATE TABLE t (ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE) AS VALUES
        (TIMESTAMP '2024-06-29 23:59:59.999999', TIMESTAMP '2024-06-29 23:59:59.999999'),
        (TIMESTAMP '2024-06-30 00:00:00', TIMESTAMP '2024-06-30 00:00:00'),
        (TIMESTAMP '2024-06-30 23:59:59.999999', TIMESTAMP '2024-06-30 23:59:59.999999'),
        (TIMESTAMP '2024-07-01 00:00:00', TIMESTAMP '2024-07-01 00:00:00'),
        (NULL, NULL)";

    async fn count(ctx: &SessionContext, condition: &str) -> i64 {
        let batches = ctx
            .sql(&format!("SELECT count(*) FROM t WHERE {condition}"))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        batches[0].column(0).as_primitive::<Int64Type>().value(0)
    }

    #[tokio::test]
    async fn same_rows_as_the_cast_at_every_boundary() {
        let (plain, rewritten) = (context(false), context(true));
        for ctx in [&plain, &rewritten] {
            ctx.sql(TABLE).await.unwrap().collect().await.unwrap();
        }
        let conditions = [
            ("CAST(ts AS DATE) <= DATE '2024-06-30'", 3),
            ("CAST(ts AS DATE) < DATE '2024-06-30'", 1),
            ("CAST(ts AS DATE) >= DATE '2024-06-30'", 3),
            ("CAST(ts AS DATE) > DATE '2024-06-30'", 1),
            ("CAST(ts AS DATE) = DATE '2024-06-30'", 2),
            ("DATE '2024-06-30' >= CAST(ts AS DATE)", 3),
            (
                "CAST(CAST(ts AS DATE) AS TIMESTAMP) > TIMESTAMP '2024-06-30 00:00:00'",
                1,
            ),
            (
                "CAST(CAST(ts AS DATE) AS TIMESTAMP) >= TIMESTAMP '2024-06-30 12:00:00'",
                1,
            ),
            ("DATE '2024-06-30' < CAST(ts AS DATE)", 1),
            ("CAST(ts AS DATE) > DATE '2024-06-30' - INTERVAL '1 day'", 3),
            ("CAST(ts AS DATE) <> DATE '2024-06-30'", 2),
            ("CAST(tz AS DATE) <= DATE '2024-06-30'", 3),
        ];
        for (condition, expected) in conditions {
            assert_eq!(count(&plain, condition).await, expected, "{condition}");
            assert_eq!(count(&rewritten, condition).await, expected, "{condition}");
        }
    }

    #[tokio::test]
    async fn the_cast_leaves_the_plan() {
        let ctx = context(true);
        ctx.sql(TABLE).await.unwrap().collect().await.unwrap();
        let plan = ctx
            .sql("SELECT ts FROM t WHERE CAST(ts AS DATE) <= DATE '2024-06-30'")
            .await
            .unwrap()
            .into_optimized_plan()
            .unwrap();
        let text = plan.display_indent().to_string();
        assert!(!text.contains("CAST"), "{text}");
        assert!(
            text.contains("t.ts < TimestampNanosecond(1719792000000000000"),
            "{text}"
        );
    }
}
