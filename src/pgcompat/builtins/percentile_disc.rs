//! `percentile_disc(f) WITHIN GROUP (ORDER BY x)`: the first value of the ordered group whose
//! position reaches the fraction f of the group — a value of the group, never an
//! interpolation — as PostgreSQL computes it: the value at position ⌈f·n⌉ (the first for
//! f = 0), NULLs left out, any orderable type. DataFusion has only `percentile_cont`.

use std::sync::LazyLock;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;

use super::DOC_SECTION;
use super::group_values::GroupValues;
use crate::error::{SqlError, sqlstate};

const NAME: &str = "percentile_disc";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The first value, in the group's order, whose position reaches the fraction of the \
         group (the value at position ceil(fraction * count)); NULLs are left out.",
        "percentile_disc(fraction) WITHIN GROUP (ORDER BY expression)",
    )
    .with_argument("fraction", "A constant between 0 and 1.")
    .with_sql_example(
        "```sql\n> SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (4)) t(x);\n+-----------------+\n| percentile_disc |\n+-----------------+\n| 2               |\n+-----------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct PercentileDisc {
    signature: Signature,
}

impl PercentileDisc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for PercentileDisc {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [value, fraction] if fraction.is_numeric() || fraction.is_null() => {
                Ok(vec![value.clone(), DataType::Float64])
            }
            _ => plan_err!("{NAME}(fraction) WITHIN GROUP (ORDER BY value) takes a number"),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![GroupValues::state_field(&args, NAME)])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let fraction = match args
            .exprs
            .get(1)
            .and_then(|e| e.as_ref().downcast_ref::<Literal>())
            .map(|literal| literal.value().clone())
        {
            Some(ScalarValue::Float64(Some(f))) if (0.0..=1.0).contains(&f) => f,
            Some(ScalarValue::Float64(Some(f))) => {
                return Err(datafusion::error::DataFusionError::External(Box::new(
                    SqlError::new(
                        sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
                        format!("percentile value {f} is not between 0 and 1"),
                    ),
                )));
            }
            _ => return plan_err!("{NAME}'s fraction must be a constant"),
        };
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(PercentileDiscAccumulator {
            fraction,
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
struct PercentileDiscAccumulator {
    fraction: f64,
    descending: bool,
    values: GroupValues,
}

impl Accumulator for PercentileDiscAccumulator {
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
        // PostgreSQL's ceil(fraction * count), in double precision as there; position 1 at 0.
        let position = (self.fraction * values.len() as f64).ceil().max(1.0) as usize;
        let index = order.value(position.min(values.len()) - 1) as usize;
        ScalarValue::try_from_array(&values, index)
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.size()
    }
}
