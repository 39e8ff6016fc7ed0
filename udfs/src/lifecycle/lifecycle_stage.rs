//! `lifecycle_stage(first_purchase, last_activity, customer_type, as_of)`: where a customer is
//! in the relationship — prospect, new, growing, mature, or at risk of being lost.
//!
//! The rules of the practice, counted in whole days (a timestamp stands for its date, and the
//! as-of date is included):
//!
//! 1. no purchase (first purchase NULL, or after the as-of date) → `prospect`;
//! 2. the last activity — purchase or interaction, whichever is later; the caller passes the
//!    later of the two, and a NULL falls back to the first purchase — is more than 3 calendar
//!    months before the as-of date (6 months for B2B customers, who buy less often) →
//!    `at_risk`; this wins over tenure, since a mature customer gone quiet is the one to call;
//! 3. first purchase at most 90 days before the as-of date → `new`;
//! 4. first purchase more than one year (12 calendar months) before → `mature`;
//! 5. otherwise → `growing`.
//!
//! The customer type is B2B when it says `B2B` (any case); anything else, NULL included, is
//! treated as a consumer.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Date32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, add_months, arrays, coerce, is_b2b, param};

const NAME: &str = "lifecycle_stage";
const SYNTAX: &str = "lifecycle_stage(first_purchase, last_activity, customer_type, as_of)";
const PARAMS: [Param; 4] = [
    param("first_purchase", Kind::Date),
    param("last_activity", Kind::Date),
    param("customer_type", Kind::Text),
    param("as_of", Kind::Date),
];

/// A customer is new for this many days after the first purchase.
const NEW_DAYS: i32 = 90;
/// After this many months of tenure a customer is mature.
const MATURE_MONTHS: i32 = 12;
/// Months without activity before a consumer is at risk.
pub(crate) const AT_RISK_MONTHS_B2C: i32 = 3;
/// Months without activity before a business customer is at risk.
pub(crate) const AT_RISK_MONTHS_B2B: i32 = 6;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the lifecycle stage of a customer as of a date, counting whole days: \
         'prospect' if there is no purchase on or before as_of; 'at_risk' if the last activity \
         (purchase or interaction; NULL means the first purchase) is more than 3 calendar \
         months before as_of, 6 months for customer_type 'B2B'; else 'new' if the first \
         purchase is at most 90 days before as_of, 'mature' if it is more than 12 months \
         before, and 'growing' in between. NULL as_of gives NULL; a NULL customer_type counts \
         as B2C.",
        SYNTAX,
    )
    .with_argument(
        "first_purchase",
        "Date or timestamp of the first completed order.",
    )
    .with_argument(
        "last_activity",
        "Date or timestamp of the latest order or interaction, e.g. \
         greatest(last_order_ts, last_interaction_ts).",
    )
    .with_argument("customer_type", "'B2B' or 'B2C' (case-insensitive).")
    .with_argument("as_of", "The date of the analysis, usually as_of().")
    .with_sql_example(
        r#"```sql
> SELECT lifecycle_stage(DATE '2024-05-01', DATE '2024-06-01', 'B2C', DATE '2024-06-30');
+--------+
| stage  |
+--------+
| new    |
+--------+
```"#,
    )
    .with_related_udf("as_of")
    .build()
});

/// The `lifecycle_stage` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct LifecycleStage {
    signature: Signature,
}

impl Default for LifecycleStage {
    fn default() -> Self {
        Self::new()
    }
}

impl LifecycleStage {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for LifecycleStage {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 4, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [first, last, customer_type, as_of] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 4 arguments ({SYNTAX})");
        };
        let first = first.as_primitive::<Date32Type>();
        let last = last.as_primitive::<Date32Type>();
        let customer_type: &StringArray = customer_type.as_string();
        let as_of = as_of.as_primitive::<Date32Type>();

        // The as-of date is nearly always one constant: its two at-risk cut-offs are computed
        // once rather than per row.
        let mut cutoffs = Cutoffs::default();
        let mut stages = StringBuilder::with_capacity(first.len(), first.len() * 7);
        for row in 0..first.len() {
            if as_of.is_null(row) {
                stages.append_null();
                continue;
            }
            let as_of = as_of.value(row);
            let b2b = is_b2b(customer_type, row);
            let first = first.is_valid(row).then(|| first.value(row));
            let last = last.is_valid(row).then(|| last.value(row));
            stages.append_value(stage(first, last, b2b, as_of, &mut cutoffs)?);
        }
        Ok(ColumnarValue::Array(Arc::new(stages.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// The calendar cut-offs of one as-of date.
#[derive(Default)]
struct Cutoffs {
    as_of: Option<i32>,
    at_risk_b2c: i32,
    at_risk_b2b: i32,
    mature: i32,
}

impl Cutoffs {
    fn for_date(&mut self, as_of: i32) -> Result<&Self> {
        if self.as_of != Some(as_of) {
            let months_back = |months: i32| match add_months(as_of, -months) {
                Some(day) => Ok(day),
                None => exec_err!("{NAME}: as_of date {as_of} is out of range"),
            };
            *self = Cutoffs {
                as_of: Some(as_of),
                at_risk_b2c: months_back(AT_RISK_MONTHS_B2C)?,
                at_risk_b2b: months_back(AT_RISK_MONTHS_B2B)?,
                mature: months_back(MATURE_MONTHS)?,
            };
        }
        Ok(self)
    }
}

fn stage(
    first: Option<i32>,
    last: Option<i32>,
    b2b: bool,
    as_of: i32,
    cutoffs: &mut Cutoffs,
) -> Result<&'static str> {
    let Some(first) = first.filter(|&day| day <= as_of) else {
        return Ok("prospect");
    };
    let cutoffs = cutoffs.for_date(as_of)?;
    let last = last.map_or(first, |last| last.max(first));
    let at_risk_before = if b2b {
        cutoffs.at_risk_b2b
    } else {
        cutoffs.at_risk_b2c
    };
    Ok(if last < at_risk_before {
        "at_risk"
    } else if as_of - first <= NEW_DAYS {
        "new"
    } else if first < cutoffs.mature {
        "mature"
    } else {
        "growing"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-06-30 as Date32.
    const AS_OF: i32 = 19904;

    fn at(first: Option<i32>, last: Option<i32>, b2b: bool) -> &'static str {
        stage(first, last, b2b, AS_OF, &mut Cutoffs::default()).unwrap()
    }

    #[test]
    fn the_stages_and_their_edges() {
        assert_eq!(at(None, Some(AS_OF), false), "prospect");
        assert_eq!(at(Some(AS_OF + 1), None, false), "prospect");
        assert_eq!(at(Some(AS_OF), None, false), "new");
        assert_eq!(at(Some(AS_OF - 90), Some(AS_OF), false), "new");
        assert_eq!(at(Some(AS_OF - 91), Some(AS_OF), false), "growing");
        // 2023-06-30 is exactly 12 months before: still growing; one day earlier is mature.
        assert_eq!(at(Some(19538), Some(AS_OF), false), "growing");
        assert_eq!(at(Some(19537), Some(AS_OF), false), "mature");
        // 3 months before 2024-06-30 is 2024-03-30 (19812): that day is not yet at risk.
        assert_eq!(at(Some(19000), Some(19812), false), "mature");
        assert_eq!(at(Some(19000), Some(19811), false), "at_risk");
        // B2B: 6 months, to 2023-12-30 (19721).
        assert_eq!(at(Some(19000), Some(19811), true), "mature");
        assert_eq!(at(Some(19000), Some(19720), true), "at_risk");
        // No activity recorded: the first purchase is the last activity.
        assert_eq!(at(Some(AS_OF - 100), None, false), "at_risk");
    }
}
