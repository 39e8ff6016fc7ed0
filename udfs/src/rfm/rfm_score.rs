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
use crate::common::args::{Kind, Param, coerce, param};

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
///
/// Only the four values at the cuts between groups are needed, not a full ranking: they are
/// found by selection (linear time, where sorting millions of rows by an indirect key cost
/// seconds), then one pass in row order places each row, which also settles ties at a cut in
/// row order.
fn quintile_scores(values: &Float64Array, lower_is_better: bool) -> Int32Array {
    let raw = values.values();
    let key = |row: usize| -> Option<u64> {
        if values.is_null(row) || raw[row].is_nan() {
            return None;
        }
        let key = order_key(raw[row]);
        Some(if lower_is_better { !key } else { key })
    };
    let mut keys: Vec<u64> = (0..values.len()).filter_map(key).collect();
    let n = keys.len();
    let base = n / GROUPS;
    let larger = n % GROUPS; // the first `larger` groups have base + 1 rows
    // The rank at which groups 2..=5 start; a start at n means that group is empty.
    let starts: [usize; GROUPS - 1] = std::array::from_fn(|j| (j + 1) * base + (j + 1).min(larger));
    let mut cuts: [Option<u64>; GROUPS - 1] = [None; GROUPS - 1];
    let ranks: Vec<(usize, usize)> = starts
        .iter()
        .enumerate()
        .filter(|&(_, &rank)| rank < n)
        .map(|(j, &rank)| (j, rank))
        .collect();
    select_ranks(&mut keys, 0, &ranks, &mut cuts);
    // Rows with a cut's value fall below the cut, in row order, until the rank is reached.
    let mut below_cut = [0usize; GROUPS - 1];
    for &key in &keys {
        for (j, cut) in cuts.iter().enumerate() {
            if cut.is_some_and(|cut| key < cut) {
                below_cut[j] += 1;
            }
        }
    }
    let mut equal_left: [usize; GROUPS - 1] =
        std::array::from_fn(|j| starts[j].saturating_sub(below_cut[j]));
    (0..values.len())
        .map(|row| {
            let key = key(row)?;
            let mut group = 1;
            for (j, cut) in cuts.iter().enumerate() {
                match cut {
                    Some(cut) if key > *cut => group += 1,
                    Some(cut) if key == *cut => {
                        if equal_left[j] == 0 {
                            group += 1;
                        } else {
                            equal_left[j] -= 1;
                        }
                    }
                    _ => {}
                }
            }
            Some(group)
        })
        .collect()
}

/// An f64 as a u64 whose unsigned order is `f64::total_cmp`'s order.
fn order_key(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Puts into `cuts[j]` the key at rank `rank` (0-based, ascending) of `keys`, for each
/// `(j, rank)` of `ranks` (ascending ranks). `keys` holds the ranks `offset..`; it is
/// reordered.
fn select_ranks(
    keys: &mut [u64],
    offset: usize,
    ranks: &[(usize, usize)],
    cuts: &mut [Option<u64>],
) {
    let Some(&(j, rank)) = ranks.get(ranks.len() / 2) else {
        return;
    };
    let (lower, nth, upper) = keys.select_nth_unstable(rank - offset);
    cuts[j] = Some(*nth);
    let mid = ranks.len() / 2;
    select_ranks(lower, offset, &ranks[..mid], cuts);
    select_ranks(upper, rank + 1, &ranks[mid + 1..], cuts);
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

    /// NTILE(5) by a full stable sort: the definition, against which the selection is checked.
    fn reference(values: &[Option<f64>], lower: bool) -> Vec<Option<i32>> {
        let mut ranked: Vec<usize> = (0..values.len())
            .filter(|&i| values[i].is_some_and(|v| !v.is_nan()))
            .collect();
        let value = |i: usize| values[i].unwrap_or_default();
        ranked.sort_by(|&a, &b| {
            let order = value(a).total_cmp(&value(b));
            if lower { order.reverse() } else { order }
        });
        let n = ranked.len();
        let mut out = vec![None; values.len()];
        let mut position = 0;
        for group in 0..GROUPS {
            let size = n / GROUPS + usize::from(group < n % GROUPS);
            for &row in &ranked[position..position + size] {
                out[row] = Some(group as i32 + 1);
            }
            position += size;
        }
        out
    }

    #[test]
    fn selection_agrees_with_a_full_sort() {
        // A deterministic pseudo-random mix of few distinct values (many ties at the cuts),
        // negative zero, infinities, NULLs and NaNs, at sizes around multiples of five.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for n in (0..40).chain([97, 1000, 4099]) {
            for distinct in [1u64, 3, 7, 1000] {
                let values: Vec<Option<f64>> = (0..n)
                    .map(|_| match next() % 50 {
                        0 => None,
                        1 => Some(f64::NAN),
                        2 => Some(-0.0),
                        3 => Some(f64::INFINITY),
                        4 => Some(f64::NEG_INFINITY),
                        _ => Some((next() % distinct) as f64 - 2.0),
                    })
                    .collect();
                for lower in [false, true] {
                    assert_eq!(
                        scores(&values, lower),
                        reference(&values, lower),
                        "n = {n}, distinct = {distinct}, lower_is_better = {lower}"
                    );
                }
            }
        }
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
