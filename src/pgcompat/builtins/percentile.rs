//! The ordered-set percentiles, as PostgreSQL computes them, NULLs left out:
//! - `percentile_disc(f) WITHIN GROUP (ORDER BY x)`: the first value of the ordered group
//!   whose position reaches the fraction f of the group — a value of the group, never an
//!   interpolation: the value at position ⌈f·n⌉ (the first for f = 0), any orderable type.
//!   DataFusion has none.
//! - `percentile_cont(f) WITHIN GROUP (ORDER BY x)`: in double precision, the value at
//!   0-based position f·(n − 1), interpolated between its neighbours by PostgreSQL's formula
//!   `lo + (hi − lo) · (f·(n − 1) − ⌊f·(n − 1)⌋)`. DataFusion's rounds the weight to a fixed
//!   precision first, so its last digits differ.

use std::sync::LazyLock;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;

use super::DOC_SECTION;
use super::group_values::GroupValues;
use crate::error::{SqlError, sqlstate};

/// Which percentile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Discrete,
    Continuous,
}

static CONT_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The value at the fraction of the ordered group, interpolated between the two values          around it, in double precision; NULLs are left out.",
        "percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)",
    )
    .with_argument("fraction", "A constant between 0 and 1.")
    .with_sql_example(
        "```sql
> SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (4)) t(x);
+-----------------+
| percentile_cont |
+-----------------+
| 2.5             |
+-----------------+
```",
    )
    .build()
});

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
pub struct Percentile {
    kind: Kind,
    signature: Signature,
}

impl Percentile {
    /// `percentile_disc` and `percentile_cont`.
    pub fn all() -> [Self; 2] {
        [Kind::Discrete, Kind::Continuous].map(|kind| Self {
            kind,
            signature: Signature::user_defined(Volatility::Immutable),
        })
    }
}

impl AggregateUDFImpl for Percentile {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Discrete => "percentile_disc",
            Kind::Continuous => "percentile_cont",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [value, fraction] if fraction.is_numeric() || fraction.is_null() => {
                let value = match self.kind {
                    Kind::Discrete => value.clone(),
                    Kind::Continuous if value.is_numeric() || value.is_null() => DataType::Float64,
                    Kind::Continuous => {
                        return plan_err!(
                            "{}(fraction) WITHIN GROUP (ORDER BY value) takes a number to order by, not {value}",
                            self.name()
                        );
                    }
                };
                Ok(vec![value, DataType::Float64])
            }
            _ => plan_err!(
                "{}(fraction) WITHIN GROUP (ORDER BY value) takes a number",
                self.name()
            ),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![GroupValues::state_field(&args, self.name())])
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
            _ => return plan_err!("{}'s fraction must be a constant", self.name()),
        };
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(PercentileAccumulator {
            kind: self.kind,
            fraction,
            descending,
            values: GroupValues::new(args.expr_fields[0].data_type()),
        }))
    }

    fn supports_within_group_clause(&self) -> bool {
        true
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(match self.kind {
            Kind::Discrete => &DOCUMENTATION,
            Kind::Continuous => &CONT_DOCUMENTATION,
        })
    }
}

#[derive(Debug)]
struct PercentileAccumulator {
    kind: Kind,
    fraction: f64,
    descending: bool,
    values: GroupValues,
}

impl Accumulator for PercentileAccumulator {
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
        let at = |position: usize| order.value(position) as usize;
        if self.kind == Kind::Continuous {
            let values = values.as_primitive::<Float64Type>();
            // PostgreSQL's positions and weight, in double precision as there.
            let position = self.fraction * (values.len() - 1) as f64;
            let (first, second) = (position.floor(), position.ceil());
            let lo = values.value(at(first as usize));
            if first == second {
                return Ok(ScalarValue::Float64(Some(lo)));
            }
            let hi = values.value(at(second as usize));
            return Ok(ScalarValue::Float64(Some(
                lo + (hi - lo) * (position - first),
            )));
        }
        // PostgreSQL's ceil(fraction * count), in double precision as there; position 1 at 0.
        let position = (self.fraction * values.len() as f64).ceil().max(1.0) as usize;
        ScalarValue::try_from_array(&values, at(position.min(values.len()) - 1))
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.size()
    }
}
