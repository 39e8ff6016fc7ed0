//! `mode() WITHIN GROUP (ORDER BY x)`: the most frequent value of the group, NULLs left out;
//! of equally frequent values the first in the group's order, as PostgreSQL picks it.
//! DataFusion has no `mode`.

use std::sync::LazyLock;

use datafusion::arrow::array::{ArrayRef, make_comparator};
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};

use super::DOC_SECTION;
use super::group_values::GroupValues;

const NAME: &str = "mode";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The most frequent value of the group (of equally frequent ones, the first in the \
         group's order); NULLs are left out.",
        "mode() WITHIN GROUP (ORDER BY expression)",
    )
    .with_sql_example(
        "```sql\n> SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (2), (3)) t(x);\n+------+\n| mode |\n+------+\n| 2    |\n+------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Mode {
    signature: Signature,
}

impl Mode {
    pub fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for Mode {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [value] => Ok(value.clone()),
            _ => {
                plan_err!("{NAME}() takes no arguments; the value is WITHIN GROUP (ORDER BY value)")
            }
        }
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![GroupValues::state_field(&args, NAME)])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(ModeAccumulator {
            descending,
            values: GroupValues::new(args.expr_fields[0].data_type()),
        }))
    }

    fn supports_within_group_clause(&self) -> bool {
        true
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

#[derive(Debug)]
struct ModeAccumulator {
    descending: bool,
    values: GroupValues,
}

impl Accumulator for ModeAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.values.update(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.values.merge(&states[0])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.values.state()?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let Some((values, order)) = self.values.sorted(self.descending)? else {
            return ScalarValue::try_from(self.values.data_type());
        };
        let equal = make_comparator(&values, &values, SortOptions::default())?;
        // Runs of equal values in sorted order; a later run wins only when strictly longer.
        let (mut best, mut best_count) = (order.value(0) as usize, 0usize);
        let (mut run_start, mut run_count) = (best, 0usize);
        for index in order.values().iter().map(|&i| i as usize) {
            if run_count > 0 && equal(run_start, index).is_eq() {
                run_count += 1;
            } else {
                (run_start, run_count) = (index, 1);
            }
            if run_count > best_count {
                (best, best_count) = (run_start, run_count);
            }
        }
        ScalarValue::try_from_array(&values, best)
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.size()
    }
}
