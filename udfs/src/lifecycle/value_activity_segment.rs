//! `value_activity_segment(annual_spend, reference_spend, active)`: the practice's value ×
//! activity split — high-value active customers to keep, potential ones to grow, sleeping ones
//! to wake or let go.
//!
//! The reference is the average annual spend of the customer's peer group, computed in SQL
//! (`avg(spend) OVER (PARTITION BY customer_type)` for instance), so the function compares
//! without knowing how peers are defined. The comparison multiplies the reference rather than
//! dividing by it, so a zero reference is no special case.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "value_activity_segment";
const SYNTAX: &str = "value_activity_segment(annual_spend, reference_spend, active_last_3_months)";
const PARAMS: [Param; 3] = [
    param("annual_spend", Kind::Number),
    param("reference_spend", Kind::Number),
    param("active_last_3_months", Kind::Bool),
];

/// An active customer spending at least this share of the reference is high-value.
const HIGH_VALUE_SHARE: f64 = 1.5;
/// An active customer spending at least this share of the reference has potential.
const POTENTIAL_SHARE: f64 = 0.8;
/// An inactive customer spending less than this share of the reference is sleeping.
const SLEEPING_SHARE: f64 = 0.5;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the value x activity segment: 'high_value_active' if active and annual_spend \
         >= 1.5 x reference_spend; 'potential' if active and annual_spend >= 0.8 x \
         reference_spend; 'sleeping' if not active and annual_spend < 0.5 x reference_spend; \
         'other' otherwise. Any NULL argument gives NULL (use coalesce(spend, 0) for customers \
         without orders).",
        SYNTAX,
    )
    .with_argument(
        "annual_spend",
        "The customer's spend over the last 12 months.",
    )
    .with_argument(
        "reference_spend",
        "The average annual spend of the customer's peer group, e.g. \
         avg(annual_spend) OVER (PARTITION BY customer_type).",
    )
    .with_argument(
        "active_last_3_months",
        "Whether the customer bought or interacted in the last 3 months.",
    )
    .with_sql_example(
        r#"```sql
> SELECT value_activity_segment(1600, 1000, true) AS a,
         value_activity_segment(400, 1000, false) AS b;
+-------------------+----------+
| a                 | b        |
+-------------------+----------+
| high_value_active | sleeping |
+-------------------+----------+
```"#,
    )
    .with_related_udf("lifecycle_stage")
    .build()
});

/// The `value_activity_segment` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ValueActivitySegment {
    signature: Signature,
}

impl Default for ValueActivitySegment {
    fn default() -> Self {
        Self::new()
    }
}

impl ValueActivitySegment {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for ValueActivitySegment {
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
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [spend, reference, active] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 3 arguments ({SYNTAX})");
        };
        let spend = spend.as_primitive::<Float64Type>();
        let reference = reference.as_primitive::<Float64Type>();
        let active = active.as_boolean();
        let mut segments = StringBuilder::with_capacity(spend.len(), spend.len() * 10);
        for row in 0..spend.len() {
            if spend.is_null(row) || reference.is_null(row) || active.is_null(row) {
                segments.append_null();
            } else {
                segments.append_value(segment(
                    spend.value(row),
                    reference.value(row),
                    active.value(row),
                ));
            }
        }
        Ok(ColumnarValue::Array(Arc::new(segments.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn segment(spend: f64, reference: f64, active: bool) -> &'static str {
    match active {
        true if spend >= HIGH_VALUE_SHARE * reference => "high_value_active",
        true if spend >= POTENTIAL_SHARE * reference => "potential",
        false if spend < SLEEPING_SHARE * reference => "sleeping",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn edges_belong_to_the_higher_segment() {
        assert_eq!(segment(150.0, 100.0, true), "high_value_active");
        assert_eq!(segment(149.99, 100.0, true), "potential");
        assert_eq!(segment(80.0, 100.0, true), "potential");
        assert_eq!(segment(79.99, 100.0, true), "other");
        assert_eq!(segment(49.99, 100.0, false), "sleeping");
        assert_eq!(segment(50.0, 100.0, false), "other");
        assert_eq!(segment(500.0, 100.0, false), "other");
        assert_eq!(segment(0.0, 0.0, true), "high_value_active");
    }
}
