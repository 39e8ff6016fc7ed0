//! `next_purchase_due(order_ts)`: the date a customer's next purchase is expected, from the
//! customer's own rhythm — the last purchase date plus the median interval between purchases.
//!
//! Purchases are counted by day: several orders on one day are one purchase occasion (a B2B
//! buyer splitting a purchase order, a basket paid twice), so the intervals are the day gaps
//! between consecutive distinct purchase dates. The median rather than the mean, so that one
//! long pause (a holiday, a stock-out) does not push every reminder late. With an even number
//! of intervals the median is the mean of the middle two, rounded half up to whole days.
//! Fewer than two purchase dates give NULL: there is no interval to go by.
//!
//! The state is the list of purchase dates per group (a customer has tens of orders, not
//! millions), kept as one vector per group in the [`GroupsAccumulator`] that every list
//! aggregate shares (`common::group_lists`).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Date32Array};
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, FieldRef};
use datafusion::common::Result;
use datafusion::common::utils::take_function_args;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::{AggregateOrderSensitivity, format_state_name};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, GroupsAccumulator, ReversedUDAF, Signature,
    Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, coerce, param, selected};
use crate::common::group_lists::{
    ListAccumulator, ListAggregate, ListGroupsAccumulator, for_each_list, primitive_lists,
};

const NAME: &str = "next_purchase_due";
const SYNTAX: &str = "next_purchase_due(order_ts)";
const PARAMS: [Param; 1] = [param("order_ts", Kind::Date)];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Aggregate: the date the next purchase is expected — the last purchase date plus the \
         median of the day gaps between consecutive distinct purchase dates (the mean of the \
         middle two for an even count, rounded half up). Several orders on one day are one \
         purchase. NULL dates are ignored; NULL with fewer than two distinct purchase dates.",
        SYNTAX,
    )
    .with_argument(
        "order_ts",
        "Date or timestamp of each purchase; pass completed orders only.",
    )
    .with_sql_example(
        r#"```sql
> SELECT next_purchase_due(d)
  FROM (VALUES (DATE '2024-01-01'), (DATE '2024-01-11'), (DATE '2024-01-31')) AS t(d);
+------------+
| due        |
+------------+
| 2024-02-15 |
+------------+
```"#,
    )
    .with_related_udf("repurchase_reminder_date")
    .build()
});

/// The `next_purchase_due` aggregate function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NextPurchaseDue {
    signature: Signature,
}

impl Default for NextPurchaseDue {
    fn default() -> Self {
        Self::new()
    }
}

impl NextPurchaseDue {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for NextPurchaseDue {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 1, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(ListAccumulator::new(Due)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "purchase_dates"),
            DataType::new_list(DataType::Date32, true),
            true,
        ))])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(ListGroupsAccumulator::new(Due)))
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

/// The due date of a set of purchase dates (in any order, with repeats); `None` with fewer
/// than two distinct dates. Sorts `dates` in place.
fn due_date(dates: &mut Vec<i32>) -> Option<i32> {
    dates.sort_unstable();
    dates.dedup();
    let (&last, _) = dates.split_last()?;
    let mut gaps: Vec<i64> = dates
        .windows(2)
        .map(|w| i64::from(w[1]) - i64::from(w[0]))
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let middle = gaps.len() / 2;
    let median = if gaps.len() % 2 == 1 {
        gaps[middle]
    } else {
        // Half up: (a + b + 1) / 2 in integers, gaps being positive.
        (gaps[middle - 1] + gaps[middle] + 1) / 2
    };
    i32::try_from(i64::from(last) + median).ok()
}

/// The aggregate over each group's list of purchase dates.
#[derive(Debug)]
struct Due;

impl ListAggregate for Due {
    type Value = i32;

    /// The non-NULL dates of rows selected by the filter.
    fn for_each_input(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
        mut push: impl FnMut(usize, &[i32]),
    ) -> Result<()> {
        let [dates] = take_function_args(NAME, values)?;
        let dates = dates.as_primitive::<Date32Type>();
        for row in 0..dates.len() {
            if selected(opt_filter, row) && dates.is_valid(row) {
                push(row, &[dates.value(row)]);
            }
        }
        Ok(())
    }

    fn for_each_state(&self, states: &[ArrayRef], push: impl FnMut(usize, &[i32])) -> Result<()> {
        let [lists] = take_function_args(NAME, states)?;
        for_each_list::<Date32Type>(lists, push);
        Ok(())
    }

    fn state(&self, lists: Vec<Vec<i32>>) -> Result<Vec<ArrayRef>> {
        Ok(vec![primitive_lists::<Date32Type>(lists)])
    }

    fn evaluate(&self, lists: Vec<Vec<i32>>) -> Result<ArrayRef> {
        let due: Date32Array = lists
            .into_iter()
            .map(|mut dates| due_date(&mut dates))
            .collect();
        Ok(Arc::new(due))
    }
}

#[cfg(test)]
mod tests {
    use super::due_date;

    #[test]
    fn median_gap_after_the_last_purchase() {
        assert_eq!(due_date(&mut vec![]), None);
        assert_eq!(due_date(&mut vec![100]), None);
        assert_eq!(due_date(&mut vec![100, 100, 100]), None);
        // Gaps 10, 20: median 15.
        assert_eq!(due_date(&mut vec![130, 100, 110]), Some(145));
        // Gaps 10, 11: 10.5 rounds up to 11.
        assert_eq!(due_date(&mut vec![100, 110, 121]), Some(132));
        // Gaps 5, 5, 90: median 5, the long pause does not count.
        assert_eq!(due_date(&mut vec![0, 5, 10, 100, 100]), Some(105));
    }
}
