//! `calibration_summary(order_ts, amount, calibration_end [, unit])`: a customer's purchase
//! history summarised the way the BG/NBD and Gamma-Gamma models read it, at the end of a
//! calibration period — a struct `{x, t_x, age, zbar}`:
//!
//! - `x`: repeat purchases, the purchase days after the first;
//! - `t_x`: time from the first purchase day to the last;
//! - `age`: time from the first purchase day to `calibration_end` (the models' T);
//! - `zbar`: mean value of the repeat purchase days (0 when x = 0).
//!
//! Purchases are counted by day, as lifetimes' `summary_data_from_transaction_data` and the
//! published CDNOW summaries count them: several orders on one day are one purchase whose
//! value is their sum. Orders after `calibration_end` are ignored (they are the holdout);
//! `calibration_end` includes its whole day. Time is in days, or in weeks of 7 days with
//! `unit => 'weeks'`. Rows with a NULL date or amount are left out; NULL for a customer with
//! no purchase up to `calibration_end`.
//!
//! `calibration_end` and `unit` are the same for every customer of a query, so they must be
//! constants; the state is then the list of (day, amount) purchases of each group, kept by
//! the accumulators every list aggregate shares (`common::group_lists`).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Float64Array, Int64Array, ListArray,
    StructArray,
};
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, FieldRef, Fields, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err, internal_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, GroupsAccumulator, ReversedUDAF, Signature,
    Volatility,
};
use datafusion::physical_expr::expressions::Literal;

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, coerce, param, selected};
use crate::common::group_lists::{
    ListAccumulator, ListAggregate, ListGroupsAccumulator, primitive_lists,
};

const NAME: &str = "calibration_summary";
const SYNTAX: &str = "calibration_summary(order_ts, amount, calibration_end [, unit])";
const PARAMS: [Param; 4] = [
    param("order_ts", Kind::Date),
    param("amount", Kind::Number),
    param("calibration_end", Kind::Date),
    param("unit", Kind::Text),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Aggregate: a customer's calibration summary for the BG/NBD and Gamma-Gamma models, as \
         a struct {x, t_x, age, zbar}: repeat purchase days, time from the first purchase day \
         to the last, time from the first to calibration_end (the models' T), and the mean \
         value of the repeat purchase days (0 without any). Orders on one day are one purchase; \
         orders after calibration_end are ignored. NULL without a purchase up to \
         calibration_end.",
        SYNTAX,
    )
    .with_argument("order_ts", "Date or timestamp of each order.")
    .with_argument("amount", "Value of each order.")
    .with_argument(
        "calibration_end",
        "Last day of the calibration period (a constant), included.",
    )
    .with_argument(
        "unit",
        "'days' (default) or 'weeks' of 7 days (a constant).",
    )
    .with_sql_example(
        r#"```sql
> SELECT s.x, round(s.t_x, 2) AS t_x, round(s.age, 2) AS age, s.zbar
  FROM (SELECT calibration_summary(d, amount, DATE '1997-09-30', 'weeks') AS s
        FROM (VALUES (DATE '1997-01-01', 29.33), (DATE '1997-01-18', 29.73),
                     (DATE '1997-08-02', 14.96), (DATE '1997-12-12', 26.48)) AS t(d, amount));
+---+-------+-------+--------+
| x | t_x   | age   | zbar   |
+---+-------+-------+--------+
| 2 | 30.43 | 38.86 | 22.345 |
+---+-------+-------+--------+
```"#,
    )
    .with_related_udf("bgnbd_fit")
    .with_related_udf("gamma_gamma_fit")
    .build()
});

/// The `calibration_summary` aggregate function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CalibrationSummary {
    signature: Signature,
}

impl Default for CalibrationSummary {
    fn default() -> Self {
        Self::new()
    }
}

impl CalibrationSummary {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

fn summary_fields() -> Fields {
    Fields::from(vec![
        Field::new("x", DataType::Int64, true),
        Field::new("t_x", DataType::Float64, true),
        Field::new("age", DataType::Float64, true),
        Field::new("zbar", DataType::Float64, true),
    ])
}

/// The constant arguments: the last calibration day and the days per time unit.
#[derive(Debug, Clone, Copy)]
struct Calibration {
    end: i32,
    days_per_unit: f64,
}

impl Calibration {
    fn from_args(args: &AccumulatorArgs) -> Result<Self> {
        let constant = |index: usize| -> Result<Option<&ScalarValue>> {
            match args.exprs.get(index) {
                None => Ok(None),
                Some(expr) => match expr.downcast_ref::<Literal>() {
                    Some(literal) => Ok(Some(literal.value())),
                    None => plan_err!(
                        "{NAME}: {} must be a constant ({SYNTAX})",
                        PARAMS[index].name
                    ),
                },
            }
        };
        let end = match constant(2)? {
            Some(ScalarValue::Date32(Some(end))) => *end,
            Some(ScalarValue::Date32(None)) | Some(ScalarValue::Null) => {
                return plan_err!("{NAME}: calibration_end must not be NULL");
            }
            other => return internal_err!("{NAME}: calibration_end as {other:?}"),
        };
        let days_per_unit = match constant(3)? {
            None => 1.0,
            Some(unit) => match unit.try_as_str().flatten().map(str::trim) {
                Some(u) if u.eq_ignore_ascii_case("days") => 1.0,
                Some(u) if u.eq_ignore_ascii_case("weeks") => 7.0,
                _ => return plan_err!("{NAME}: unit must be 'days' or 'weeks', not {unit}"),
            },
        };
        Ok(Self { end, days_per_unit })
    }

    /// The summary of a group's purchases (any order, repeated days); `None` without any.
    fn summarise(&self, purchases: &mut [(i32, f64)]) -> Option<(i64, f64, f64, f64)> {
        purchases.sort_unstable_by_key(|(day, _)| *day);
        let (first, _) = *purchases.first()?;
        let mut days = 0_i64;
        let mut last = first;
        let mut repeat_value = 0.0;
        for &(day, amount) in purchases.iter() {
            if day != last {
                days += 1;
                last = day;
            }
            if day != first {
                repeat_value += amount;
            }
        }
        let zbar = if days > 0 {
            repeat_value / days as f64
        } else {
            0.0
        };
        let unit = self.days_per_unit;
        Some((
            days,
            f64::from(last - first) / unit,
            f64::from(self.end - first) / unit,
            zbar,
        ))
    }

    fn summaries(&self, groups: impl IntoIterator<Item = Vec<(i32, f64)>>) -> ArrayRef {
        let summaries: Vec<_> = groups
            .into_iter()
            .map(|mut purchases| self.summarise(&mut purchases))
            .collect();
        // The fields are NULL where the struct is, so that `s.x` of a customer without
        // purchases is NULL rather than a meaningless 0.
        let columns: Vec<ArrayRef> = vec![
            Arc::new(
                summaries
                    .iter()
                    .map(|s| s.map(|s| s.0))
                    .collect::<Int64Array>(),
            ),
            Arc::new(
                summaries
                    .iter()
                    .map(|s| s.map(|s| s.1))
                    .collect::<Float64Array>(),
            ),
            Arc::new(
                summaries
                    .iter()
                    .map(|s| s.map(|s| s.2))
                    .collect::<Float64Array>(),
            ),
            Arc::new(
                summaries
                    .iter()
                    .map(|s| s.map(|s| s.3))
                    .collect::<Float64Array>(),
            ),
        ];
        let valid: Vec<bool> = summaries.iter().map(Option::is_some).collect();
        Arc::new(StructArray::new(
            summary_fields(),
            columns,
            Some(valid.into()),
        ))
    }

    /// Passes every selected purchase up to the calibration end to `push(row, day, amount)`.
    fn for_each_purchase(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
        mut push: impl FnMut(usize, i32, f64),
    ) -> Result<()> {
        let (Some(days), Some(amounts)) = (values.first(), values.get(1)) else {
            return internal_err!("{NAME}: order_ts and amount expected");
        };
        let days = days.as_primitive::<Date32Type>();
        let amounts = amounts.as_primitive::<Float64Type>();
        for row in 0..days.len() {
            if selected(opt_filter, row) && days.is_valid(row) && amounts.is_valid(row) {
                let (day, amount) = (days.value(row), amounts.value(row));
                if !amount.is_finite() {
                    return exec_err!("{NAME}: amount must be a number, not {amount}");
                }
                if day <= self.end {
                    push(row, day, amount);
                }
            }
        }
        Ok(())
    }
}

impl ListAggregate for Calibration {
    type Value = (i32, f64);

    fn for_each_input(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
        mut push: impl FnMut(usize, &[(i32, f64)]),
    ) -> Result<()> {
        self.for_each_purchase(values, opt_filter, |row, day, amount| {
            push(row, &[(day, amount)])
        })
    }

    fn for_each_state(
        &self,
        states: &[ArrayRef],
        mut push: impl FnMut(usize, &[(i32, f64)]),
    ) -> Result<()> {
        let [days, amounts] = states else {
            return internal_err!("{NAME}: two state columns expected");
        };
        let (days, amounts): (&ListArray, &ListArray) = (days.as_list(), amounts.as_list());
        // One buffer for the pairs of every row: the state keeps days and amounts apart.
        let mut purchases = Vec::new();
        for row in 0..days.len() {
            if days.is_valid(row) && amounts.is_valid(row) {
                let (d, a) = (days.value(row), amounts.value(row));
                let d: &Date32Array = d.as_primitive();
                let a: &Float64Array = a.as_primitive();
                purchases.clear();
                purchases.extend(d.values().iter().copied().zip(a.values().iter().copied()));
                push(row, &purchases);
            }
        }
        Ok(())
    }

    fn state(&self, lists: Vec<Vec<(i32, f64)>>) -> Result<Vec<ArrayRef>> {
        Ok(vec![
            primitive_lists::<Date32Type>(lists.iter().map(|l| l.iter().map(|(day, _)| *day))),
            primitive_lists::<Float64Type>(
                lists.iter().map(|l| l.iter().map(|(_, amount)| *amount)),
            ),
        ])
    }

    fn evaluate(&self, lists: Vec<Vec<(i32, f64)>>) -> Result<ArrayRef> {
        Ok(self.summaries(lists))
    }
}

impl AggregateUDFImpl for CalibrationSummary {
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
        Ok(DataType::Struct(summary_fields()))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(ListAccumulator::new(Calibration::from_args(
            &args,
        )?)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new(
                format_state_name(args.name, "days"),
                DataType::new_list(DataType::Date32, true),
                true,
            )),
            Arc::new(Field::new(
                format_state_name(args.name, "amounts"),
                DataType::new_list(DataType::Float64, true),
                true,
            )),
        ])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(ListGroupsAccumulator::new(
            Calibration::from_args(&args)?,
        )))
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

#[cfg(test)]
mod tests {
    use super::Calibration;

    #[test]
    fn purchases_count_by_day() {
        let weeks = Calibration {
            end: 100,
            days_per_unit: 7.0,
        };
        assert_eq!(weeks.summarise(&mut []), None);
        // Day 10 twice (one purchase of 30), then days 24 and 52.
        let mut purchases = vec![(52, 5.0), (10, 10.0), (24, 8.0), (10, 20.0)];
        assert_eq!(
            weeks.summarise(&mut purchases),
            Some((2, 6.0, 90.0 / 7.0, 6.5))
        );
        let days = Calibration {
            end: 10,
            days_per_unit: 1.0,
        };
        assert_eq!(
            days.summarise(&mut [(10, 3.0), (10, 4.0)]),
            Some((0, 0.0, 0.0, 0.0))
        );
    }
}
