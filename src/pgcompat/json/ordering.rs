//! What would order or compare JSON values as their text: refused rather than answered
//! otherwise. PostgreSQL orders jsonb by its own rules (an object after an array after a
//! boolean after a number after a string after null; numbers by value), which custlake does
//! not, and has no ordering or equality for json at all. An analyzer rule (it sees the types)
//! refuses, with 0A000 for jsonb and PostgreSQL's 42883 for json:
//! - ORDER BY a JSON value, in a query or a window;
//! - `min`/`max` of one;
//! - GROUP BY, DISTINCT and UNION (not UNION ALL) over json (jsonb groups by its normal form,
//!   which is its value but for the scale of numbers: `1.0` and `1.00` are two groups).

use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, DataFusionError, Result};
use datafusion::config::ConfigOptions;
use datafusion::logical_expr::expr::{AggregateFunction, WindowFunction};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, SortExpr};
use datafusion::optimizer::AnalyzerRule;

use super::{JsonType, sql};
use crate::error::{SqlError, sqlstate};

#[derive(Debug, Default)]
pub struct JsonOrdering;

fn json_type(expr: &Expr, schema: &DFSchema) -> Option<JsonType> {
    expr.to_field(schema)
        .ok()
        .and_then(|(_, field)| JsonType::of(&field))
}

fn refusal(json_type: JsonType, what: &str) -> DataFusionError {
    match json_type {
        JsonType::Json => sql(SqlError::new(
            sqlstate::UNDEFINED_FUNCTION,
            format!("could not identify an ordering or equality operator for type json ({what})"),
        )
        .with_hint("Cast to jsonb or text.")),
        JsonType::Jsonb => sql(SqlError::new(
            sqlstate::FEATURE_NOT_SUPPORTED,
            format!("{what} of a jsonb value is not supported: custlake does not order jsonb values as PostgreSQL does"),
        )
        .with_hint("Order by a field of it (j ->> 'key') or by its text (j::text).")),
    }
}

fn check_sorts(sorts: &[SortExpr], schema: &DFSchema) -> Result<()> {
    for sort in sorts {
        if let Some(t) = json_type(&sort.expr, schema) {
            return Err(refusal(t, "ORDER BY"));
        }
    }
    Ok(())
}

fn check_node(node: &LogicalPlan) -> Result<()> {
    let inputs = node.inputs();
    let Some(input) = inputs.first() else {
        return Ok(());
    };
    let schema = input.schema();
    match node {
        LogicalPlan::Sort(sort) => check_sorts(&sort.expr, schema)?,
        LogicalPlan::Aggregate(aggregate) => {
            for group in &aggregate.group_expr {
                if json_type(group, schema) == Some(JsonType::Json) {
                    return Err(refusal(JsonType::Json, "GROUP BY or DISTINCT"));
                }
            }
        }
        // UNION is a Distinct over the Union; UNION ALL compares nothing.
        LogicalPlan::Distinct(_) => {
            for field in node.schema().fields() {
                if JsonType::of(field) == Some(JsonType::Json) {
                    return Err(refusal(JsonType::Json, "DISTINCT or UNION"));
                }
            }
        }
        _ => {}
    }
    // Aggregates and windows inside any node's expressions.
    for expr in node.expressions() {
        expr.apply(|e| {
            match e {
                Expr::AggregateFunction(AggregateFunction { func, params }) => {
                    if matches!(func.name(), "min" | "max")
                        && let Some(t) = params.args.first().and_then(|a| json_type(a, schema))
                    {
                        return Err(refusal(t, func.name()));
                    }
                    check_sorts(&params.order_by, schema)?;
                }
                Expr::WindowFunction(window) => {
                    let WindowFunction { params, .. } = window.as_ref();
                    check_sorts(&params.order_by, schema)?;
                }
                _ => {}
            }
            Ok(TreeNodeRecursion::Continue)
        })?;
    }
    Ok(())
}

impl AnalyzerRule for JsonOrdering {
    fn name(&self) -> &str {
        "pg_json_ordering"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.apply_with_subqueries(|node| {
            check_node(node)?;
            Ok(TreeNodeRecursion::Continue)
        })?;
        Ok(plan)
    }
}
