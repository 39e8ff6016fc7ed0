//! Operators DataFusion plans otherwise or not at all, planned as PostgreSQL's: an
//! [`ExprPlanner`] sees each binary operator with its operands' types, before DataFusion
//! looks for a kernel.
//! - `interval * number`, `number * interval` and `interval / number` are
//!   [`interval_mul`](super::builtins) and `interval_div` (DataFusion has no such kernels);
//! - `a && b` of arrays (they overlap) is `array_has_any(a, b)`, and `text ^@ prefix` is
//!   `starts_with(text, prefix)`, which DataFusion's SQL planner does not know;
//! - the JSON operators (`->`, `->>`, `#>`, `#>>`, `@>`, `<@`, `?`, `?|`, `?&`, `#-`, and
//!   `||`, `-`, `=`, `<>` of jsonb) are calls of the [`json`](super::json) functions named
//!   after them, chosen by the operands' types (`j -> 2` is an array element, `j -> 'a'` a
//!   key; `jsonb_` functions for jsonb, `json_` ones for json or text).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, ScalarUDF};
use datafusion::sql::sqlparser::ast::BinaryOperator;

use super::cast_rules::call;
use super::json::JsonType;
use super::literal_types::parse_array_literal;
use crate::error::{SqlError, sqlstate};

#[derive(Debug)]
pub struct PgOperators {
    interval_mul: Arc<ScalarUDF>,
    interval_div: Arc<ScalarUDF>,
    array_has_any: Arc<ScalarUDF>,
    starts_with: Arc<ScalarUDF>,
    /// The JSON functions operators are planned as, by name.
    json: std::collections::HashMap<String, Arc<ScalarUDF>>,
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
            json: registry
                .udfs()
                .into_iter()
                .filter(|name| name.starts_with("json"))
                .map(|name| Ok((name.clone(), registry.udf(&name)?)))
                .collect::<Result<_>>()?,
        })
    }

    fn json_call(&self, name: &str, args: Vec<Expr>) -> Result<PlannerResult<RawBinaryExpr>> {
        match self.json.get(name) {
            Some(function) => Ok(PlannerResult::Planned(call(function, args))),
            None => datafusion::common::plan_err!("Invalid function '{name}'"),
        }
    }

    /// A JSON operator as the call of its function, or `None` when the operands are not
    /// JSON (nor text standing for it).
    fn json_operator(
        &self,
        op: &BinaryOperator,
        left: &Expr,
        right: &Expr,
        schema: &DFSchema,
    ) -> Result<Option<String>> {
        let json_type = |e: &Expr| {
            e.to_field(schema)
                .ok()
                .and_then(|(_, field)| JsonType::of(&field))
        };
        let is_text = |e: &Expr| {
            matches!(
                e.get_type(schema),
                Ok(DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
            )
        };
        let (left_type, right_type) = (json_type(left), json_type(right));
        // The functions for the left operand's type: json's for json or text.
        let family = match left_type {
            Some(JsonType::Jsonb) => "jsonb",
            _ => "json",
        };
        let is_jsonb = left_type == Some(JsonType::Jsonb) || right_type == Some(JsonType::Jsonb);
        let is_integer = |e: &Expr| e.get_type(schema).is_ok_and(|t| t.is_integer());
        use BinaryOperator as B;
        Ok(Some(match op {
            B::Arrow | B::LongArrow if is_text(left) => {
                let step = if is_integer(right) {
                    "array_element"
                } else {
                    "object_field"
                };
                let text = if matches!(op, B::LongArrow) {
                    "_text"
                } else {
                    ""
                };
                format!("{family}_{step}{text}")
            }
            B::HashArrow if is_text(left) => format!("{family}_extract_path"),
            B::HashLongArrow if is_text(left) => format!("{family}_extract_path_text"),
            B::AtArrow if is_text(left) => "jsonb_contains".into(),
            B::ArrowAt if is_text(left) => "jsonb_contained".into(),
            B::Question if is_text(left) => "jsonb_exists".into(),
            B::QuestionPipe if is_text(left) => "jsonb_exists_any".into(),
            B::QuestionAnd if is_text(left) => "jsonb_exists_all".into(),
            B::HashMinus if is_text(left) => "jsonb_delete_path".into(),
            // jsonb || jsonb; text || jsonb is text concatenation in PostgreSQL, as here, and
            // an untyped literal is read as the other side's type.
            B::StringConcat
                if is_jsonb
                    && (left_type == right_type
                        || (left_type.is_none() && is_literal(left))
                        || (right_type.is_none() && is_literal(right))) =>
            {
                "jsonb_concat".into()
            }
            B::Minus if left_type == Some(JsonType::Jsonb) => "jsonb_delete".into(),
            B::Eq | B::NotEq if is_jsonb && is_text(left) && is_text(right) => {
                if left_type == Some(JsonType::Json) || right_type == Some(JsonType::Json) {
                    return Err(datafusion::error::DataFusionError::from(SqlError::new(
                        sqlstate::UNDEFINED_FUNCTION,
                        "operator does not exist: json = jsonb",
                    )));
                }
                match op {
                    B::Eq => "jsonb_eq".into(),
                    _ => "jsonb_ne".into(),
                }
            }
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq
                if left_type == Some(JsonType::Json) || right_type == Some(JsonType::Json) =>
            {
                return Err(datafusion::error::DataFusionError::from(SqlError::new(
                    sqlstate::UNDEFINED_FUNCTION,
                    format!("operator does not exist: json {op} json"),
                )));
            }
            B::Lt | B::LtEq | B::Gt | B::GtEq if is_jsonb => {
                return Err(datafusion::error::DataFusionError::from(SqlError::new(
                    sqlstate::FEATURE_NOT_SUPPORTED,
                    format!(
                        "jsonb {op} jsonb is not supported: custlake does not order jsonb values"
                    ),
                )));
            }
            _ => return Ok(None),
        }))
    }
}

/// An untyped string literal, which PostgreSQL reads as the other operand's type.
fn is_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Literal(
            ScalarValue::Utf8(_) | ScalarValue::Utf8View(_) | ScalarValue::LargeUtf8(_),
            _
        )
    )
}

/// `#>`'s path as arguments: a text literal in array syntax (`'{a,b}'`) as one literal per
/// step, anything else as it is.
fn path_arguments(path: Expr) -> Vec<Expr> {
    if let Expr::Literal(ScalarValue::Utf8(Some(text)) | ScalarValue::Utf8View(Some(text)), _) =
        &path
        && let Some(steps) = parse_array_literal(text)
    {
        return steps
            .into_iter()
            .map(|step| Expr::Literal(ScalarValue::Utf8(step), None))
            .collect();
    }
    vec![path]
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
        if let Some(function) = self.json_operator(&op, &left, &right, schema)? {
            let args = match op {
                BinaryOperator::HashArrow | BinaryOperator::HashLongArrow => {
                    let mut args = vec![left];
                    args.extend(path_arguments(right));
                    args
                }
                _ => vec![left, right],
            };
            return self.json_call(&function, args);
        }
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
