//! `churn_risk(last_purchase, …, as_of [, weights])`: the churn scorecard's score from 0 to
//! 100 — 100 × the points of the signals that fired ÷ the sum of the weights. The signals,
//! their weights and the arguments are those of the [`scorecard`](super::scorecard).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::scorecard::{ARGUMENTS, Inputs, PARAMS, REQUIRED, documentation};
use crate::common::args::coerce;

static RISK_DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    documentation(
        "churn_risk",
        "Returns the rule-based churn-risk score from 0 to 100: each signal that fires earns \
         its weight (overdue: in proportion, full at 3 intervals), and the score is 100 × the \
         points earned ÷ the sum of the weights. Signals: overdue against the customer's own \
         (else the cohort's) median purchase interval; no purchase or interaction for 3 months \
         (6 for B2B); spend in 90 days down 30% or more; 2 or more unanswered outbound \
         contacts; a complaint in 90 days. NULL if as_of is NULL.",
        r#"```sql
> SELECT churn_risk(DATE '2024-01-01', 30, 45, DATE '2024-02-01', 0, 200, 2, 0, 'B2C',
                    DATE '2024-06-30') AS score;
+-------+
| score |
+-------+
| 85.0  |
+-------+
```"#,
    )
});

/// The `churn_risk` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ChurnRisk {
    signature: Signature,
}

impl Default for ChurnRisk {
    fn default() -> Self {
        Self::new()
    }
}

impl ChurnRisk {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for ChurnRisk {
    fn name(&self) -> &str {
        "churn_risk"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(
            "churn_risk",
            &format!("churn_risk({ARGUMENTS})"),
            &PARAMS,
            REQUIRED,
            arg_types,
        )
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let inputs = Inputs::new("churn_risk", &args)?;
        let scores = (0..args.number_rows)
            .map(|row| {
                let Some(signals) = inputs.signals("churn_risk", row)? else {
                    return Ok(None);
                };
                Ok(Some(signals.score(&inputs.weights("churn_risk", row)?)))
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(Arc::new(scores)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&RISK_DOCUMENTATION)
    }
}
