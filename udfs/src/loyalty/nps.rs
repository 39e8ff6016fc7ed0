//! `nps(score)`: the Net Promoter Score of a set of survey answers — the percentage of
//! promoters (scores 9–10) minus the percentage of detractors (0–6), from −100 to 100.
//!
//! NPS is the loyalty figure every CRM report asks for, usually per segment, region or month,
//! i.e. under GROUP BY over millions of customers. Written as plain SQL it is three CASE sums
//! and a division that are easy to get subtly wrong (counting NULL answers, integer division);
//! as a function it is one call, and it refuses scores outside the 0–10 scale instead of
//! silently counting a data error as a passive.
//!
//! The state is three counts (promoters, detractors, answers), so partial results merge
//! exactly; the [`GroupsAccumulator`] keeps them in three vectors indexed by group.

use std::mem::{size_of, size_of_val};
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array};
use datafusion::arrow::buffer::{BooleanBuffer, NullBuffer};
use datafusion::arrow::compute::kernels::cmp::{gt_eq, lt_eq};
use datafusion::arrow::compute::{cast, max, min, sum};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::cast::as_int64_array;
use datafusion::common::types::{NativeType, logical_int64};
use datafusion::common::utils::take_function_args;
use datafusion::common::{Result, ScalarValue, exec_err, internal_err, plan_err};
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::function::{
    AccumulatorArgs, AggregateFunctionSimplification, StateFieldsArgs,
};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Coercion, Documentation, EmitTo, Expr, GroupsAccumulator,
    ReversedUDAF, Signature, TypeSignatureClass, Volatility,
};

use crate::DOC_SECTION;

const NAME: &str = "nps";

/// Lowest score of a promoter; 9 and 10 promote.
const PROMOTER_MIN: i64 = 9;
/// Highest score of a detractor; 0 to 6 detract, 7 and 8 are passives.
const DETRACTOR_MAX: i64 = 6;
/// The answer scale is 0 to 10.
const SCORE_MIN: i64 = 0;
const SCORE_MAX: i64 = 10;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the Net Promoter Score of the non-NULL scores: the percentage of promoters \
         (scores 9 and 10) minus the percentage of detractors (scores 0 to 6), from -100 to 100. \
         NULL scores are ignored; the result is NULL when there is no non-NULL score. \
         A score outside 0 to 10 is an error.",
        "nps(score)",
    )
    .with_argument(
        "score",
        "The answer to \"How likely are you to recommend us?\": an integer from 0 to 10, \
         of any integer type (e.g. the SMALLINT column interactions.nps_score).",
    )
    .with_sql_example(
        r#"```sql
> SELECT nps(score) FROM (VALUES (10), (10), (9), (0), (NULL)) AS t(score);
+----------------+
| nps(t.score)   |
+----------------+
| 50.0           |
+----------------+

> SELECT date_trunc('month', ts) AS month, nps(nps_score) AS nps
  FROM interactions WHERE kind = 'survey' GROUP BY 1 ORDER BY 1;
```"#,
    )
    .build()
});

/// The `nps(score)` aggregate function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Nps {
    signature: Signature,
}

impl Default for Nps {
    fn default() -> Self {
        Self::new()
    }
}

impl Nps {
    pub fn new() -> Self {
        Self {
            // Every integer type is taken and cast to Int64, so one accumulator serves the
            // SMALLINT survey column and any computed score; text, floats and decimals are
            // refused when the query is planned.
            signature: Signature::coercible(
                vec![Coercion::new_implicit(
                    TypeSignatureClass::Native(logical_int64()),
                    vec![TypeSignatureClass::Integer],
                    NativeType::Int64,
                )],
                Volatility::Immutable,
            ),
        }
    }
}

impl AggregateUDFImpl for Nps {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if args.is_distinct {
            return distinct_refused();
        }
        Ok(Box::<NpsAccumulator>::default())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        // Counts, never NULL: a group without answers has zeros.
        Ok(["promoters", "detractors", "answers"]
            .into_iter()
            .map(|count| {
                Arc::new(Field::new(
                    format_state_name(args.name, count),
                    DataType::Int64,
                    false,
                ))
            })
            .collect())
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        !args.is_distinct
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        if args.is_distinct {
            return distinct_refused();
        }
        Ok(Box::<NpsGroupsAccumulator>::default())
    }

    /// Refuses `nps(DISTINCT score)` while the plan is optimized: the optimizer would
    /// otherwise rewrite a lone DISTINCT aggregate into a GROUP BY, and the accumulators
    /// (which refuse it too, for plans that skip the optimizer) would never see it.
    fn simplify(&self) -> Option<AggregateFunctionSimplification> {
        Some(Box::new(|function: AggregateFunction, _info| {
            if function.params.distinct {
                return distinct_refused();
            }
            Ok(Expr::AggregateFunction(function))
        }))
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Identical
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// `nps(DISTINCT score)` would score the distinct values 0–10 rather than the respondents,
/// which is never what is meant.
fn distinct_refused<T>() -> Result<T> {
    plan_err!("{NAME}(DISTINCT ...) is not supported: NPS counts every answer, not distinct scores")
}

/// NPS from the three counts; `None` (SQL NULL) without answers.
fn nps_value(promoters: i64, detractors: i64, answers: i64) -> Option<f64> {
    // 100 * (p - d) / n rather than 100 * p / n - 100 * d / n: one rounding, and the same
    // value as the plain-SQL formula `100.0 * (promoters - detractors) / answers`.
    (answers > 0).then(|| 100.0 * (promoters - detractors) as f64 / answers as f64)
}

/// The scores that count — non-NULL and, under `FILTER (WHERE …)`, selected (a NULL filter
/// value does not select) — with every other row made NULL; an error if a counted score is
/// outside 0–10. Rows filtered out are not checked: they are not part of the aggregate.
fn counted_scores(scores: &Int64Array, opt_filter: Option<&BooleanArray>) -> Result<Int64Array> {
    let scores = match opt_filter {
        None => scores.clone(),
        Some(filter) => {
            let selected = match filter.nulls() {
                Some(nulls) => filter.values() & nulls.inner(),
                None => filter.values().clone(),
            };
            let nulls = NullBuffer::union(scores.nulls(), Some(&NullBuffer::new(selected)));
            Int64Array::new(scores.values().clone(), nulls)
        }
    };
    // Two vectorised passes instead of a check per row; min and max skip NULL slots, whose
    // values are arbitrary.
    if let Some(lowest) = min(&scores)
        && lowest < SCORE_MIN
    {
        return out_of_range(lowest);
    }
    if let Some(highest) = max(&scores)
        && highest > SCORE_MAX
    {
        return out_of_range(highest);
    }
    Ok(scores)
}

#[cold]
fn out_of_range<T>(score: i64) -> Result<T> {
    exec_err!("{NAME}: score {score} is outside the NPS scale of 0 to 10")
}

/// The three counts of one set of scores.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    promoters: i64,
    detractors: i64,
    answers: i64,
}

impl Counts {
    /// Counts `scores` (already made by [`counted_scores`]) with comparison kernels.
    fn of(scores: &Int64Array) -> Result<Counts> {
        let promoters = gt_eq(scores, &Int64Array::new_scalar(PROMOTER_MIN))?;
        let detractors = lt_eq(scores, &Int64Array::new_scalar(DETRACTOR_MAX))?;
        // true_count counts only non-NULL trues, so NULL scores fall out here too.
        Ok(Counts {
            promoters: promoters.true_count() as i64,
            detractors: detractors.true_count() as i64,
            answers: (scores.len() - scores.null_count()) as i64,
        })
    }
}

/// The accumulator for one group (no GROUP BY, and window frames).
#[derive(Debug, Default)]
struct NpsAccumulator {
    counts: Counts,
}

impl Accumulator for NpsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        // FILTER (WHERE …) has already been applied to `values` on this path.
        let [scores] = take_function_args(NAME, values)?;
        let batch = Counts::of(&counted_scores(as_int64_array(scores)?, None)?)?;
        self.counts.promoters += batch.promoters;
        self.counts.detractors += batch.detractors;
        self.counts.answers += batch.answers;
        Ok(())
    }

    /// Sliding window frames (`OVER (… ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)`) remove the
    /// rows leaving the frame; counts can simply be taken back.
    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [scores] = take_function_args(NAME, values)?;
        let batch = Counts::of(&counted_scores(as_int64_array(scores)?, None)?)?;
        self.counts.promoters -= batch.promoters;
        self.counts.detractors -= batch.detractors;
        self.counts.answers -= batch.answers;
        Ok(())
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let Counts {
            promoters,
            detractors,
            answers,
        } = self.counts;
        Ok(ScalarValue::Float64(nps_value(
            promoters, detractors, answers,
        )))
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let Counts {
            promoters,
            detractors,
            answers,
        } = self.counts;
        Ok(vec![
            ScalarValue::Int64(Some(promoters)),
            ScalarValue::Int64(Some(detractors)),
            ScalarValue::Int64(Some(answers)),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [promoters, detractors, answers] = take_function_args(NAME, states)?;
        // sum is None only for an empty batch, which adds nothing.
        self.counts.promoters += sum(as_int64_array(promoters)?).unwrap_or(0);
        self.counts.detractors += sum(as_int64_array(detractors)?).unwrap_or(0);
        self.counts.answers += sum(as_int64_array(answers)?).unwrap_or(0);
        Ok(())
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

/// The accumulator for many groups: the three counts of group `g` are at index `g` of three
/// vectors, which become the state arrays without copying.
#[derive(Debug, Default)]
struct NpsGroupsAccumulator {
    promoters: Vec<i64>,
    detractors: Vec<i64>,
    answers: Vec<i64>,
}

impl NpsGroupsAccumulator {
    fn resize(&mut self, total_num_groups: usize) {
        self.promoters.resize(total_num_groups, 0);
        self.detractors.resize(total_num_groups, 0);
        self.answers.resize(total_num_groups, 0);
    }
}

impl GroupsAccumulator for NpsGroupsAccumulator {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        let [scores] = take_function_args(NAME, values)?;
        let scores = counted_scores(as_int64_array(scores)?, opt_filter)?;
        if scores.len() != group_indices.len() {
            return internal_err!(
                "{NAME}: {} scores for {} group indices",
                scores.len(),
                group_indices.len()
            );
        }
        self.resize(total_num_groups);
        // Scattering rows into groups is the one row loop; the scores are already checked,
        // so the loop is branch-free apart from skipping rows that do not count.
        let mut tally = |group: usize, score: i64| {
            self.promoters[group] += i64::from(score >= PROMOTER_MIN);
            self.detractors[group] += i64::from(score <= DETRACTOR_MAX);
            self.answers[group] += 1;
        };
        let values = scores.values();
        match scores.nulls() {
            None => {
                for (&group, &score) in group_indices.iter().zip(values.iter()) {
                    tally(group, score);
                }
            }
            Some(nulls) => {
                for row in nulls.valid_indices() {
                    tally(group_indices[row], values[row]);
                }
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let promoters = emit_to.take_needed(&mut self.promoters);
        let detractors = emit_to.take_needed(&mut self.detractors);
        let answers = emit_to.take_needed(&mut self.answers);
        // One pass over the three vectors; arithmetic kernels would need five passes and
        // four temporary arrays for the same result.
        let values: Vec<f64> = promoters
            .iter()
            .zip(&detractors)
            .zip(&answers)
            .map(|((&p, &d), &n)| nps_value(p, d, n).unwrap_or(0.0))
            .collect();
        let has_answers = BooleanBuffer::collect_bool(answers.len(), |group| answers[group] > 0);
        Ok(Arc::new(Float64Array::new(
            values.into(),
            Some(NullBuffer::new(has_answers)),
        )))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let promoters = emit_to.take_needed(&mut self.promoters);
        let detractors = emit_to.take_needed(&mut self.detractors);
        let answers = emit_to.take_needed(&mut self.answers);
        Ok(vec![
            Arc::new(Int64Array::from(promoters)),
            Arc::new(Int64Array::from(detractors)),
            Arc::new(Int64Array::from(answers)),
        ])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        let [promoters, detractors, answers] = take_function_args(NAME, values)?;
        let states = [
            as_int64_array(promoters)?,
            as_int64_array(detractors)?,
            as_int64_array(answers)?,
        ];
        if states
            .iter()
            .any(|state| state.null_count() > 0 || state.len() != group_indices.len())
        {
            return internal_err!("{NAME}: partial counts must be non-NULL, one per group index");
        }
        let [promoters, detractors, answers] = states.map(|state| state.values());
        self.resize(total_num_groups);
        for (row, &group) in group_indices.iter().enumerate() {
            self.promoters[group] += promoters[row];
            self.detractors[group] += detractors[row];
            self.answers[group] += answers[row];
        }
        Ok(())
    }

    /// Each row as its own group: 1/0 counts from comparison kernels, used when DataFusion
    /// skips partial aggregation because nearly every row is a new group (e.g. per customer).
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let [scores] = take_function_args(NAME, values)?;
        let scores = counted_scores(as_int64_array(scores)?, opt_filter)?;
        let counted = match scores.nulls() {
            Some(nulls) => nulls.inner().clone(),
            None => BooleanBuffer::new_set(scores.len()),
        };
        // Comparison results under NULL slots are arbitrary, hence the AND with `counted`.
        let promoters = gt_eq(&scores, &Int64Array::new_scalar(PROMOTER_MIN))?.values() & &counted;
        let detractors =
            lt_eq(&scores, &Int64Array::new_scalar(DETRACTOR_MAX))?.values() & &counted;
        [promoters, detractors, counted]
            .into_iter()
            .map(|flags| Ok(cast(&BooleanArray::new(flags, None), &DataType::Int64)?))
            .collect()
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + (self.promoters.capacity() + self.detractors.capacity() + self.answers.capacity())
                * size_of::<i64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(values: &[Option<i64>]) -> ArrayRef {
        Arc::new(Int64Array::from(values.to_vec()))
    }

    fn floats(array: &ArrayRef) -> Vec<Option<f64>> {
        array
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn groups_with_filter_emit_first_and_merge() {
        let mut acc = NpsGroupsAccumulator::default();
        // group 0: 10, 9, 0 (and a filtered-out 11, which is not checked); group 1: NULL;
        // group 2: 7, 8, and a NULL filter value that does not select the 0.
        let values = scores(&[
            Some(10),
            Some(9),
            Some(0),
            Some(11),
            None,
            Some(7),
            Some(8),
            Some(0),
        ]);
        let groups = [0, 0, 0, 0, 1, 2, 2, 2];
        let filter = BooleanArray::from(vec![
            Some(true),
            Some(true),
            Some(true),
            Some(false),
            Some(true),
            Some(true),
            Some(true),
            None,
        ]);
        acc.update_batch(&[values], &groups, Some(&filter), 3)
            .unwrap();

        let first = acc.evaluate(EmitTo::First(2)).unwrap();
        assert_eq!(floats(&first), vec![Some(100.0 / 3.0), None]);
        // Group 2 is now group 0; merge into it and a new group 1 from partial states.
        let partial: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(vec![0, 2])),
            Arc::new(Int64Array::from(vec![2, 0])),
            Arc::new(Int64Array::from(vec![2, 4])),
        ];
        acc.merge_batch(&partial, &[0, 1], 2).unwrap();
        assert!(acc.size() >= 2 * 3 * size_of::<i64>());
        let rest = acc.evaluate(EmitTo::All).unwrap();
        // group 2: 7, 8 + two detractors = -50; new group: 2 promoters of 4 answers = 50.
        assert_eq!(floats(&rest), vec![Some(-50.0), Some(50.0)]);
    }

    #[test]
    fn out_of_range_is_an_error_naming_the_score() {
        let mut acc = NpsGroupsAccumulator::default();
        let err = acc
            .update_batch(&[scores(&[Some(3), Some(11)])], &[0, 0], None, 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("score 11"), "{err}");
        let err = acc
            .convert_to_state(&[scores(&[Some(-1)])], None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("score -1"), "{err}");
    }

    #[test]
    fn convert_to_state_matches_update() {
        let acc = NpsGroupsAccumulator::default();
        let values = scores(&[Some(10), None, Some(3), Some(8), Some(9)]);
        let filter = BooleanArray::from(vec![true, true, true, true, false]);
        let state = acc.convert_to_state(&[values], Some(&filter)).unwrap();
        let columns: Vec<Vec<i64>> = state
            .iter()
            .map(|a| as_int64_array(a).unwrap().values().to_vec())
            .collect();
        assert_eq!(
            columns,
            vec![
                vec![1, 0, 0, 0, 0],
                vec![0, 0, 1, 0, 0],
                vec![1, 0, 1, 1, 0]
            ]
        );
        assert!(state.iter().all(|a| a.null_count() == 0));
    }

    #[test]
    fn plain_accumulator_update_retract_merge() {
        let mut acc = NpsAccumulator::default();
        acc.update_batch(&[scores(&[Some(10), Some(10), Some(9), Some(0), None])])
            .unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Float64(Some(50.0)));
        acc.retract_batch(&[scores(&[Some(10), Some(10), Some(9), Some(0)])])
            .unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Float64(None));
        let state: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(vec![1, 0])),
            Arc::new(Int64Array::from(vec![0, 1])),
            Arc::new(Int64Array::from(vec![1, 3])),
        ];
        acc.merge_batch(&state).unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Float64(Some(0.0)));
    }
}
