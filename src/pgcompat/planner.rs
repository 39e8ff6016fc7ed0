//! Operators DataFusion plans otherwise or not at all, planned as PostgreSQL's: an
//! [`ExprPlanner`] sees each binary operator with its operands' types, before DataFusion
//! looks for a kernel.
//! - `interval * number`, `number * interval` and `interval / number` are
//!   [`interval_mul`](super::builtins) and `interval_div` (DataFusion has no such kernels);
//! - `a && b` of arrays (they overlap) is `array_has_any(a, b)`, and `text ^@ prefix` is
//!   `starts_with(text, prefix)`, which DataFusion's SQL planner does not know.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, ScalarUDF};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use super::cast_rules::call;

#[derive(Debug)]
pub struct PgOperators {
    interval_mul: Arc<ScalarUDF>,
    interval_div: Arc<ScalarUDF>,
    array_has_any: Arc<ScalarUDF>,
    starts_with: Arc<ScalarUDF>,
}

impl PgOperators {
    /// `registry` must hold pgcompat's `interval_mul` and `interval_div`, and DataFusion's
    /// `array_has_any` and `starts_with`.
    pub fn new(registry: &dyn FunctionRegistry) -> Result<Self> {
        Ok(PgOperators {
            interval_mul: registry.udf("interval_mul")?,
            interval_div: registry.udf("interval_div")?,
            array_has_any: registry.udf("array_has_any")?,
            starts_with: registry.udf("starts_with")?,
        })
    }
}

impl ExprPlanner for PgOperators {
    fn plan_binary_op(
        &self,
        expr: RawBinaryExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawBinaryExpr>> {
        let is_interval = |e: &Expr| {
            matches!(
                e.get_type(schema),
                Ok(DataType::Interval(_) | DataType::Duration(_))
            )
        };
        let is_number = |e: &Expr| e.get_type(schema).is_ok_and(|t| t.is_numeric());
        let RawBinaryExpr { op, left, right } = expr;
        Ok(match op {
            BinaryOperator::Multiply if is_interval(&left) && is_number(&right) => {
                PlannerResult::Planned(call(&self.interval_mul, vec![left, right]))
            }
            BinaryOperator::Multiply if is_number(&left) && is_interval(&right) => {
                PlannerResult::Planned(call(&self.interval_mul, vec![right, left]))
            }
            BinaryOperator::Divide if is_interval(&left) && is_number(&right) => {
                PlannerResult::Planned(call(&self.interval_div, vec![left, right]))
            }
            BinaryOperator::PGOverlap => {
                PlannerResult::Planned(call(&self.array_has_any, vec![left, right]))
            }
            BinaryOperator::PGStartsWith => {
                PlannerResult::Planned(call(&self.starts_with, vec![left, right]))
            }
            op => PlannerResult::Original(RawBinaryExpr { op, left, right }),
        })
    }
}
