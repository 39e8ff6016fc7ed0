//! `points_balance(order_ts, amount, as_of)`: the loyalty points a customer holds at a date.
//!
//! Points are earned at 1 per whole currency unit of an order (the amount truncated toward
//! zero, so a negative amount — a return — takes its points back) and expire after 12 months:
//! at the as-of date, the points of orders on or before it and after the same day 12 calendar
//! months earlier count. Only the rows given count: pass completed orders
//! (`FILTER (WHERE status = 'completed')`). The balance is never below 0.
//!
//! The state is one running sum per group; since each row is judged against its own as-of
//! date, partial sums merge exactly.

use std::mem::{size_of, size_of_val};
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, FieldRef, Float64Type};
use datafusion::common::cast::as_int64_array;
use datafusion::common::utils::take_function_args;
use datafusion::common::{Result, ScalarValue, exec_err, internal_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, EmitTo, GroupsAccumulator, ReversedUDAF,
    Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, add_months, coerce, param, selected};

const NAME: &str = "points_balance";
const SYNTAX: &str = "points_balance(order_ts, amount, as_of)";
const PARAMS: [Param; 3] = [
    param("order_ts", Kind::Date),
    param("amount", Kind::Number),
    param("as_of", Kind::Date),
];
/// Points are valid for this many months after they are earned.
const VALID_MONTHS: i32 = 12;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Aggregate: the loyalty points held at as_of. Each row earns its amount truncated to \
         whole units (1 point per currency unit; a negative amount takes points back). Points \
         count if the order's date is on or before as_of and after the same day 12 months \
         before as_of (calendar months): older points have expired. Rows with a NULL argument \
         are skipped. The balance is at least 0; 0 when nothing counts.",
        SYNTAX,
    )
    .with_argument(
        "order_ts",
        "Date or timestamp the points were earned (the order's).",
    )
    .with_argument("amount", "The order's amount; pass completed orders only.")
    .with_argument("as_of", "The date of the balance, usually as_of().")
    .with_sql_example(
        r#"```sql
> SELECT customer_id,
         points_balance(order_ts, amount, as_of()) FILTER (WHERE status = 'completed') AS points
  FROM orders GROUP BY customer_id;
```"#,
    )
    .with_related_udf("member_tier")
    .build()
});

/// The `points_balance` aggregate function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct PointsBalance {
    signature: Signature,
}

impl Default for PointsBalance {
    fn default() -> Self {
        Self::new()
    }
}

impl PointsBalance {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for PointsBalance {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 3, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::<PointsAccumulator>::default())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "points"),
            DataType::Int64,
            false,
        ))])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::<PointsGroupsAccumulator>::default())
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(0)))
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

/// The points each row contributes (0 for rows that do not count), in row order.
fn row_points(values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<i64>> {
    let [order_day, amount, as_of] = take_function_args(NAME, values)?;
    let order_day = order_day.as_primitive::<Date32Type>();
    let amount = amount.as_primitive::<Float64Type>();
    let as_of = as_of.as_primitive::<Date32Type>();
    // The 12-month cut-off of the as-of date, cached: the as-of date is nearly always one value.
    let mut cutoff: Option<(i32, i32)> = None;
    let mut points = Vec::with_capacity(order_day.len());
    for row in 0..order_day.len() {
        if !selected(opt_filter, row)
            || order_day.is_null(row)
            || amount.is_null(row)
            || as_of.is_null(row)
        {
            points.push(0);
            continue;
        }
        let (day, today) = (order_day.value(row), as_of.value(row));
        let expired_on_or_before = match cutoff {
            Some((date, cut)) if date == today => cut,
            _ => match add_months(today, -VALID_MONTHS) {
                Some(cut) => {
                    cutoff = Some((today, cut));
                    cut
                }
                None => return exec_err!("{NAME}: as_of date {today} is out of range"),
            },
        };
        let counts = day > expired_on_or_before && day <= today;
        points.push(if counts {
            points_of(amount.value(row))
        } else {
            0
        });
    }
    Ok(points)
}

/// Whole points of an amount: truncated toward zero, saturating far outside any real amount.
fn points_of(amount: f64) -> i64 {
    if amount.is_nan() {
        0
    } else {
        amount.trunc() as i64
    }
}

fn balance(points: i64) -> i64 {
    points.max(0)
}

#[derive(Debug, Default)]
struct PointsAccumulator {
    points: i64,
}

impl Accumulator for PointsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.points = row_points(values, None)?
            .into_iter()
            .fold(self.points, i64::saturating_add);
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(balance(self.points))))
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Int64(Some(self.points))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [points] = take_function_args(NAME, states)?;
        self.points = as_int64_array(points)?
            .iter()
            .flatten()
            .fold(self.points, i64::saturating_add);
        Ok(())
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

/// One running sum per group.
#[derive(Debug, Default)]
struct PointsGroupsAccumulator {
    points: Vec<i64>,
}

impl GroupsAccumulator for PointsGroupsAccumulator {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.points.resize(total_num_groups, 0);
        let mut rows = 0;
        for (&group, points) in group_indices.iter().zip(row_points(values, opt_filter)?) {
            self.points[group] = self.points[group].saturating_add(points);
            rows += 1;
        }
        if rows != group_indices.len() {
            return internal_err!(
                "{NAME}: {rows} rows for {} group indices",
                group_indices.len()
            );
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let points = emit_to.take_needed(&mut self.points);
        Ok(Arc::new(Int64Array::from_iter_values(
            points.into_iter().map(balance),
        )))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let points = emit_to.take_needed(&mut self.points);
        Ok(vec![Arc::new(Int64Array::from(points))])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        let [points] = take_function_args(NAME, values)?;
        let points = as_int64_array(points)?;
        if points.len() != group_indices.len() || points.null_count() > 0 {
            return internal_err!("{NAME}: partial sums must be non-NULL, one per group index");
        }
        self.points.resize(total_num_groups, 0);
        for (&group, &partial) in group_indices.iter().zip(points.values()) {
            self.points[group] = self.points[group].saturating_add(partial);
        }
        Ok(())
    }

    /// Each row as its own group: its points, used when DataFusion skips partial aggregation
    /// because nearly every row is a new group.
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let points = Int64Array::from(row_points(values, opt_filter)?);
        Ok(vec![Arc::new(points)])
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.points.capacity() * size_of::<i64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Date32Array, Float64Array};

    /// 2024-06-30 as Date32; 12 months earlier is 2023-06-30 = 19538.
    const AS_OF: i32 = 19904;

    #[test]
    fn points_expire_after_twelve_months() {
        let values: Vec<ArrayRef> = vec![
            Arc::new(Date32Array::from(vec![
                19538,
                19539,
                AS_OF,
                AS_OF + 1,
                19600,
                19700,
            ])),
            Arc::new(Float64Array::from(vec![
                Some(100.0),
                Some(10.99),
                Some(5.5),
                Some(1000.0),
                Some(-3.7),
                None,
            ])),
            Arc::new(Date32Array::from(vec![AS_OF; 6])),
        ];
        let points = row_points(&values, None).unwrap();
        // Earned 2023-06-30: expired; 2023-07-01: counts; after as_of: not yet; return: -3.
        assert_eq!(points, vec![0, 10, 5, 0, -3, 0]);
        let mut acc = PointsAccumulator::default();
        acc.update_batch(&values).unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Int64(Some(12)));
        assert_eq!(balance(-5), 0);
    }
}
