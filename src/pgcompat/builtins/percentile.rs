//! The ordered-set percentiles, as PostgreSQL computes them, NULLs left out:
//! - `percentile_disc(f) WITHIN GROUP (ORDER BY x)`: the first value of the ordered group
//!   whose position reaches the fraction f of the group — a value of the group, never an
//!   interpolation: the value at position ⌈f·n⌉ (the first for f = 0), any orderable type.
//!   DataFusion has none.
//! - `percentile_cont(f) WITHIN GROUP (ORDER BY x)`: in double precision, the value at
//!   0-based position f·(n − 1), interpolated between its neighbours by PostgreSQL's formula
//!   `lo + (hi − lo) · (f·(n − 1) − ⌊f·(n − 1)⌋)`. DataFusion's rounds the weight to a fixed
//!   precision first, so its last digits differ.
//!
//! Given an array of fractions (`percentile_disc(ARRAY[0.25, 0.5])`), either answers an
//! array of the percentiles at each, NULL where the fraction is NULL.

use std::sync::LazyLock;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
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
        let fractions = match arg_types.get(1) {
            Some(f) if f.is_numeric() || f.is_null() => DataType::Float64,
            // `percentile_disc(ARRAY[0.25, 0.5])`: one answer per fraction, as an array.
            Some(DataType::List(f)) if f.data_type().is_numeric() || f.data_type().is_null() => {
                DataType::new_list(DataType::Float64, true)
            }
            _ => {
                return plan_err!(
                    "{}(fraction) WITHIN GROUP (ORDER BY value) takes a number or an array of numbers",
                    self.name()
                );
            }
        };
        let value = match (self.kind, &arg_types[0]) {
            (Kind::Discrete, value) => value.clone(),
            (Kind::Continuous, value) if value.is_numeric() || value.is_null() => DataType::Float64,
            (Kind::Continuous, value) => {
                return plan_err!(
                    "{}(fraction) WITHIN GROUP (ORDER BY value) takes a number to order by, not {value}",
                    self.name()
                );
            }
        };
        Ok(vec![value, fractions])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match arg_types.get(1) {
            Some(DataType::List(_)) => DataType::new_list(arg_types[0].clone(), true),
            _ => arg_types[0].clone(),
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![GroupValues::state_field(&args, self.name())])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let fractions = match args
            .exprs
            .get(1)
            .and_then(|e| e.as_ref().downcast_ref::<Literal>())
            .map(|literal| literal.value().clone())
        {
            Some(ScalarValue::Float64(Some(f))) => Fractions::One(fraction(f)?),
            Some(ScalarValue::List(list)) if list.len() == 1 => {
                let values = list.value(0);
                let values = values.as_primitive_opt::<Float64Type>().ok_or_else(|| {
                    datafusion::error::DataFusionError::Plan(format!(
                        "{}'s fractions must be numbers",
                        self.name()
                    ))
                })?;
                Fractions::Many(
                    values
                        .iter()
                        .map(|f| f.map(fraction).transpose())
                        .collect::<Result<_>>()?,
                )
            }
            _ => return plan_err!("{}'s fraction must be a constant", self.name()),
        };
        let descending = args
            .order_bys
            .first()
            .is_some_and(|sort| sort.options.descending);
        Ok(Box::new(PercentileAccumulator {
            kind: self.kind,
            fractions,
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

/// A fraction checked to lie in 0..1 (22003 otherwise, as PostgreSQL).
fn fraction(f: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&f) {
        return Ok(f);
    }
    Err(datafusion::error::DataFusionError::External(Box::new(
        SqlError::new(
            sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("percentile value {f} is not between 0 and 1"),
        ),
    )))
}

/// The fraction, or the array of fractions (a NULL one answers NULL), asked for.
#[derive(Debug)]
enum Fractions {
    One(f64),
    Many(Vec<Option<f64>>),
}

#[derive(Debug)]
struct PercentileAccumulator {
    kind: Kind,
    fractions: Fractions,
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
        let data_type = self.values.data_type().clone();
        let sorted = self.values.sorted(self.descending)?.map(|(values, order)| {
            let order: Vec<usize> = order.values().iter().map(|&i| i as usize).collect();
            (values, order)
        });
        let one = |fraction: Option<f64>| match (&sorted, fraction) {
            (Some((values, order)), Some(fraction)) => {
                percentile(self.kind, values, order, fraction)
            }
            _ => ScalarValue::try_from(&data_type),
        };
        match &self.fractions {
            Fractions::One(fraction) => one(Some(*fraction)),
            Fractions::Many(fractions) => {
                if sorted.is_none() {
                    return ScalarValue::try_from(&DataType::new_list(data_type, true));
                }
                let answers = fractions
                    .iter()
                    .map(|&f| one(f))
                    .collect::<Result<Vec<_>>>()?;
                Ok(ScalarValue::List(ScalarValue::new_list_nullable(
                    &answers, &data_type,
                )))
            }
        }
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.values.size()
    }
}

/// The percentile at `fraction` of `values`, whose ascending (or descending) order is `order`.
fn percentile(
    kind: Kind,
    values: &ArrayRef,
    order: &[usize],
    fraction: f64,
) -> Result<ScalarValue> {
    if kind == Kind::Continuous {
        let values = values.as_primitive::<Float64Type>();
        // PostgreSQL's positions and weight, in double precision as there.
        let position = fraction * (order.len() - 1) as f64;
        let (first, second) = (position.floor(), position.ceil());
        let lo = values.value(order[first as usize]);
        if first == second {
            return Ok(ScalarValue::Float64(Some(lo)));
        }
        let hi = values.value(order[second as usize]);
        return Ok(ScalarValue::Float64(Some(
            lo + (hi - lo) * (position - first),
        )));
    }
    // PostgreSQL's ceil(fraction * count), in double precision as there; position 1 at 0.
    let position = (fraction * order.len() as f64).ceil().max(1.0) as usize;
    ScalarValue::try_from_array(values, order[position.min(order.len()) - 1])
}
