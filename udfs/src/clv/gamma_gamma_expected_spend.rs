//! `gamma_gamma_expected_spend(x, zbar, params)`: the expected value of a customer's future
//! purchases under a fitted Gamma-Gamma model — the customer's own mean purchase value shrunk
//! towards the population mean, the less so the more purchases it rests on (lifetimes'
//! `conditional_expected_average_profit`).

use std::sync::LazyLock;

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::clv::model_args::{GammaGammaParams, expected_spend, number};
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "gamma_gamma_expected_spend";
const SYNTAX: &str = "gamma_gamma_expected_spend(x, zbar, params)";
const PARAMS: [Param; 3] = [
    param("x", Kind::Number),
    param("zbar", Kind::Number),
    param("params", Kind::Struct),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the expected mean value of a customer's future purchases under a Gamma-Gamma model: (1 - w) * p * gamma / (q - 1) + w * zbar with w = p * x / (p * x + q - 1); the population mean for x = 0. Needs q > 1. NULL if an argument is NULL.",
        SYNTAX,
    )
    .with_argument("x", "Repeat purchases in the calibration period.")
    .with_argument("zbar", "Mean value of those repeat purchases (ignored when x is 0).")
    .with_argument("params", "The model: a struct with fields p, q and gamma, as gamma_gamma_fit returns it.")
    .with_sql_example(
        r#"```sql
> SELECT round(gamma_gamma_expected_spend(2, 22.35,
           named_struct('p', 6.25, 'q', 3.74, 'gamma', 15.44)), 4) AS spend;
+---------+
| spend   |
+---------+
| 24.6637 |
+---------+
```"#,
    )
    .with_related_udf("gamma_gamma_fit")
    .with_related_udf("clv")
    .build()
});

/// The `gamma_gamma_expected_spend` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct GammaGammaExpectedSpend {
    signature: Signature,
}

impl Default for GammaGammaExpectedSpend {
    fn default() -> Self {
        Self::new()
    }
}

impl GammaGammaExpectedSpend {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for GammaGammaExpectedSpend {
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
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [x, zbar, params] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 3 arguments ({SYNTAX})");
        };
        let params = GammaGammaParams::new(NAME, "params", params)?;
        let spend = (0..args.number_rows)
            .map(|row| {
                let (Some(x), Some(zbar), Some(model)) =
                    (number(x, row), number(zbar, row), params.at(NAME, row)?)
                else {
                    return Ok(None);
                };
                expected_spend(NAME, &model, x, zbar).map(Some)
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(std::sync::Arc::new(spend)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
