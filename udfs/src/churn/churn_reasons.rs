//! `churn_reasons(last_purchase, …, as_of [, weights])`: the churn scorecard's signals that
//! fired for a customer, in the order overdue, inactive, spend_drop, unanswered_contacts,
//! complaints — the reasons behind [`churn_risk`](super::churn_risk), for the follow-up
//! queue. The signals and the arguments are those of the [`scorecard`](super::scorecard).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::scorecard::{ARGUMENTS, Inputs, PARAMS, REQUIRED, documentation};
use crate::common::args::coerce;

static REASONS_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    documentation(
        "churn_reasons",
        "Returns the churn-risk signals that fire for a customer, in the order overdue, \
         inactive, spend_drop, unanswered_contacts, complaints — the reasons behind \
         churn_risk, for the follow-up queue. An empty array when none fires; NULL if as_of \
         is NULL.",
        r#"```sql
> SELECT churn_reasons(DATE '2024-01-01', 30, 45, DATE '2024-02-01', 0, 200, 2, 0, 'B2C',
                       DATE '2024-06-30') AS reasons;
+------------------------------------------------------+
| reasons                                              |
+------------------------------------------------------+
| [overdue, inactive, spend_drop, unanswered_contacts] |
+------------------------------------------------------+
```"#,
    )
});

/// The `churn_reasons` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ChurnReasons {
    signature: Signature,
}

impl Default for ChurnReasons {
    fn default() -> Self {
        Self::new()
    }
}

impl ChurnReasons {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for ChurnReasons {
    fn name(&self) -> &str {
        "churn_reasons"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(
            "churn_reasons",
            &format!("churn_reasons({ARGUMENTS})"),
            &PARAMS,
            REQUIRED,
            arg_types,
        )
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new_list_field(
            DataType::Utf8,
            false,
        ))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let inputs = Inputs::new("churn_reasons", &args)?;
        let mut reasons = ListBuilder::new(StringBuilder::new())
            .with_field(Arc::new(Field::new_list_field(DataType::Utf8, false)));
        for row in 0..args.number_rows {
            match inputs.signals("churn_reasons", row)? {
                Some(signals) => {
                    for reason in signals.reasons() {
                        reasons.values().append_value(reason);
                    }
                    reasons.append(true);
                }
                None => reasons.append(false),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(reasons.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&REASONS_DOCUMENTATION)
    }
}
