//! `rfm_score(value [, lower_is_better]) OVER (…)`: the quintile score 1–5 of a value within
//! its window partition, with SQL `NTILE(5)` semantics.
//!
//! The classic RFM scores are quintiles of the customer base: sort the customers by the value,
//! cut them into five groups as equal as possible, number the groups 1 (worst) to 5 (best).
//! Written in plain SQL that is `NTILE(5) OVER (ORDER BY value, <tie breaker>)`, once per
//! measure, with the direction reversed for recency — a place where reports go wrong.
//! `rfm_score` takes the value as an argument, so one window (`OVER (ORDER BY customer_id)`)
//! serves all three scores and names the tie rule once:
//!
//! * rows are ranked by value, ascending (descending with `lower_is_better`);
//! * rows with equal values keep the order the window's `ORDER BY` gives them, so
//!   `rfm_score(v) OVER (PARTITION BY p ORDER BY k)` equals
//!   `NTILE(5) OVER (PARTITION BY p ORDER BY v, k)` for non-NULL values;
//! * the ranked rows are cut like NTILE: with n rows, the first n mod 5 groups have one row
//!   more than the others;
//! * NULL and NaN values score NULL and are not counted in n.
//!
//! Equal values can thus straddle two scores — exactly as with NTILE, and as pandas'
//! `qcut(rank(method='first'))` does — which keeps the five groups equal in size.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int32Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::{
    Documentation, PartitionEvaluator, Signature, Volatility, WindowUDFImpl,
};
use datafusion::physical_expr::expressions::Literal;
use datafusion::physical_plan::PhysicalExpr;

use crate::DOC_SECTION;
use crate::args::{Kind, Param, coerce, param};

const NAME: &str = "rfm_score";
const SYNTAX: &str = "rfm_score(value [, lower_is_better]) OVER (...)";
const PARAMS: [Param; 2] = [
    param("value", Kind::Number),
    param("lower_is_better", Kind::Bool),
];
/// Quintiles.
const GROUPS: usize = 5;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Window function: the quintile score 1 (worst) to 5 (best) of value within the window \
         partition, with NTILE(5) semantics. Rows are ranked by value ascending (descending \
         with lower_is_better); equal values keep the order of the window's ORDER BY, so \
         rfm_score(v) OVER (ORDER BY k) = NTILE(5) OVER (ORDER BY v, k). With n ranked rows \
         the first n mod 5 scores get one row more. NULL and NaN values score NULL and are not \
         ranked. The window frame is ignored.",
        SYNTAX,
    )
    .with_argument(
        "value",
        "The recency, frequency or monetary value; any number.",
    )
    .with_argument(
        "lower_is_better",
        "Constant boolean, default false. true for recency: the fewest days since the last \
         order score 5.",
    )
    .with_sql_example(
        r#"```sql
> SELECT customer_id,
         rfm_score(recency_days, true) OVER w AS r,
         rfm_score(frequency) OVER w AS f,
         rfm_score(monetary) OVER w AS m
  FROM customer_totals WINDOW w AS (ORDER BY customer_id);
```"#,
    )
    .with_related_udf("ntile")
    .with_related_udf("rfm_bucket")
    .with_related_udf("rfm_segment")
    .build()
});

/// The `rfm_score` window function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RfmScore {
    signature: Signature,
}

impl Default for RfmScore {
    fn default() -> Self {
        Self::new()
    }
}

impl RfmScore {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl WindowUDFImpl for RfmScore {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 1, arg_types)
    }

    fn partition_evaluator(
        &self,
        args: PartitionEvaluatorArgs,
    ) -> Result<Box<dyn PartitionEvaluator>> {
        let lower_is_better = match args.input_exprs() {
            [_] => false,
            [_, flag] => constant_flag(flag)?,
            _ => return plan_err!("{NAME} takes 1 or 2 arguments ({SYNTAX})"),
        };
        Ok(Box::new(RfmScoreEvaluator { lower_is_better }))
    }

    fn field(&self, field_args: WindowUDFFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(
            field_args.name(),
            DataType::Int32,
            true,
        )))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// The direction must be the same for the whole partition, so it must be a constant.
fn constant_flag(expr: &Arc<dyn PhysicalExpr>) -> Result<bool> {
    match expr.downcast_ref::<Literal>().map(Literal::value) {
        Some(ScalarValue::Boolean(Some(flag))) => Ok(*flag),
        Some(ScalarValue::Boolean(None) | ScalarValue::Null) => {
            plan_err!("{NAME}: lower_is_better must not be NULL")
        }
        _ => plan_err!("{NAME}: lower_is_better must be a constant true or false ({SYNTAX})"),
    }
}

#[derive(Debug)]
struct RfmScoreEvaluator {
    lower_is_better: bool,
}

impl PartitionEvaluator for RfmScoreEvaluator {
    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        // The direction column, if any, was read from the constant when the evaluator was made.
        let Some(values) = values.first() else {
            return exec_err!("{NAME}: no value column");
        };
        if values.len() != num_rows {
            return exec_err!("{NAME}: {} values for {num_rows} rows", values.len());
        }
        Ok(Arc::new(quintile_scores(
            values.as_primitive::<Float64Type>(),
            self.lower_is_better,
        )))
    }
}

/// NTILE(5) over the non-NULL, non-NaN values ranked by value and then by position.
fn quintile_scores(values: &Float64Array, lower_is_better: bool) -> Int32Array {
    let mut ranked: Vec<u32> = (0..values.len() as u32)
        .filter(|&row| values.is_valid(row as usize) && !values.value(row as usize).is_nan())
        .collect();
    let raw = values.values();
    // A stable sort keeps equal values in row (window ORDER BY) order: the tie rule.
    if lower_is_better {
        ranked.sort_by(|&a, &b| raw[b as usize].total_cmp(&raw[a as usize]));
    } else {
        ranked.sort_by(|&a, &b| raw[a as usize].total_cmp(&raw[b as usize]));
    }
    let mut scores: Vec<Option<i32>> = vec![None; values.len()];
    let n = ranked.len();
    let base = n / GROUPS;
    let larger = n % GROUPS; // the first `larger` groups have base + 1 rows
    let mut position = 0;
    for group in 0..GROUPS {
        let size = base + usize::from(group < larger);
        for &row in &ranked[position..position + size] {
            scores[row as usize] = Some(group as i32 + 1);
        }
        position += size;
    }
    Int32Array::from(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(values: &[Option<f64>], lower: bool) -> Vec<Option<i32>> {
        quintile_scores(&Float64Array::from(values.to_vec()), lower)
            .iter()
            .collect()
    }

    #[test]
    fn ntile_group_sizes() {
        // 7 rows: groups of 2, 2, 1, 1, 1 (NTILE(5) over 7 rows).
        let v: Vec<Option<f64>> = (1..=7).map(|x| Some(x as f64)).collect();
        assert_eq!(scores(&v, false), [1, 1, 2, 2, 3, 4, 5].map(Some).to_vec());
        assert_eq!(scores(&v, true), [5, 4, 3, 2, 2, 1, 1].map(Some).to_vec());
        // Fewer rows than groups: 1, 2, 3.
        assert_eq!(
            scores(&[Some(3.0), Some(1.0), Some(2.0)], false),
            vec![Some(3), Some(1), Some(2)]
        );
    }

    #[test]
    fn ties_keep_row_order_and_nulls_are_not_ranked() {
        // Six equal values: groups 2,1,1,1,1 in row order.
        let v = vec![Some(1.0); 6];
        assert_eq!(scores(&v, false), [1, 1, 2, 3, 4, 5].map(Some).to_vec());
        assert_eq!(scores(&v, true), [1, 1, 2, 3, 4, 5].map(Some).to_vec());
        let v = [None, Some(2.0), Some(f64::NAN), Some(1.0)];
        assert_eq!(scores(&v, false), vec![None, Some(2), None, Some(1)]);
        assert_eq!(scores(&[], false), Vec::<Option<i32>>::new());
    }
}
