//! `bgnbd_p_alive(x, t_x, T, params)`: the probability, under a fitted BG/NBD model, that a
//! customer is still active at the end of the calibration period (Fader, Hardie & Lee 2005,
//! equation 11) — high for a customer whose last purchase is recent relative to their rate,
//! falling as the silence since the last purchase grows. 1 for a customer without repeat
//! purchases, who under the model cannot yet have dropped out.

use std::sync::LazyLock;

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::clv::model_args::{BgNbdParams, customer};
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "bgnbd_p_alive";
const SYNTAX: &str = "bgnbd_p_alive(x, t_x, T, params)";
const PARAMS: [Param; 4] = [
    param("x", Kind::Number),
    param("t_x", Kind::Number),
    param("T", Kind::Number),
    param("params", Kind::Struct),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the probability that a customer is still active at the end of the \
         calibration period under a BG/NBD model: 1 without repeat purchases, otherwise \
         1 / (1 + a/(b + x - 1) * ((alpha + T)/(alpha + t_x))^(r + x)). NULL if an argument \
         is NULL.",
        SYNTAX,
    )
    .with_argument("x", "Repeat purchases in the calibration period.")
    .with_argument("t_x", "Time of the last purchase counted from the first.")
    .with_argument(
        "T",
        "Time from the first purchase to the end of the calibration period.",
    )
    .with_argument(
        "params",
        "The model: a struct with fields r, alpha, a and b, as bgnbd_fit returns it.",
    )
    .with_sql_example(
        r#"```sql
> SELECT round(bgnbd_p_alive(2, 30.43, 38.86,
           named_struct('r', 0.243, 'alpha', 4.414, 'a', 0.793, 'b', 2.426)), 4) AS p;
+--------+
| p      |
+--------+
| 0.7266 |
+--------+
```"#,
    )
    .with_related_udf("bgnbd_fit")
    .with_related_udf("bgnbd_expected_purchases")
    .build()
});

/// The `bgnbd_p_alive` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct BgNbdPAlive {
    signature: Signature,
}

impl Default for BgNbdPAlive {
    fn default() -> Self {
        Self::new()
    }
}

impl BgNbdPAlive {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for BgNbdPAlive {
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
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [x, t_x, age, params] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 4 arguments ({SYNTAX})");
        };
        let params = BgNbdParams::new(NAME, params)?;
        let p_alive = (0..args.number_rows)
            .map(|row| {
                let (Some(customer), Some(model)) =
                    (customer(NAME, [x, t_x, age], row)?, params.at(NAME, row)?)
                else {
                    return Ok(None);
                };
                Ok(Some(model.p_alive(customer)))
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(std::sync::Arc::new(p_alive)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
