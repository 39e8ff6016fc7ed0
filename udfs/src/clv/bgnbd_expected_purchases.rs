//! `bgnbd_expected_purchases(t, x, t_x, T, params)`: the number of purchases a customer is
//! expected to make in the next `t` time units under a fitted BG/NBD model, given the
//! customer's calibration summary (Fader, Hardie & Lee 2005, equation 10). The Gauss
//! hypergeometric function in it is evaluated by [`crate::clv::models::special::hyp2f1`], accurate
//! from short horizons to horizons far beyond the calibration period.

use std::sync::LazyLock;

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::clv::model_args::{BgNbdParams, customer, expected_purchases, number};
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "bgnbd_expected_purchases";
const SYNTAX: &str = "bgnbd_expected_purchases(t, x, t_x, T, params)";
const PARAMS: [Param; 5] = [
    param("t", Kind::Number),
    param("x", Kind::Number),
    param("t_x", Kind::Number),
    param("T", Kind::Number),
    param("params", Kind::Struct),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the expected number of purchases in the next t time units of a customer with calibration summary (x, t_x, T) under a BG/NBD model (the conditional expectation of Fader, Hardie & Lee 2005, equation 10). NULL if an argument is NULL.",
        SYNTAX,
    )
    .with_argument("t", "Horizon after the end of the calibration period, in the unit of t_x and T; at least 0.")
    .with_argument("x", "Repeat purchases in the calibration period.")
    .with_argument("t_x", "Time of the last purchase counted from the first.")
    .with_argument("T", "Time from the first purchase to the end of the calibration period.")
    .with_argument("params", "The model: a struct with fields r, alpha, a and b, as bgnbd_fit returns it.")
    .with_sql_example(
        r#"```sql
> SELECT round(bgnbd_expected_purchases(39, 2, 30.43, 38.86,
           named_struct('r', 0.243, 'alpha', 4.414, 'a', 0.793, 'b', 2.426)), 4) AS e;
+-------+
| e     |
+-------+
| 1.226 |
+-------+
```"#,
    )
    .with_related_udf("bgnbd_fit")
    .with_related_udf("bgnbd_p_alive")
    .with_related_udf("bgnbd_expected_purchases_population")
    .with_related_udf("clv")
    .build()
});

/// The `bgnbd_expected_purchases` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct BgNbdExpectedPurchases {
    signature: Signature,
}

impl Default for BgNbdExpectedPurchases {
    fn default() -> Self {
        Self::new()
    }
}

impl BgNbdExpectedPurchases {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for BgNbdExpectedPurchases {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 5, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [t, x, t_x, age, params] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 5 arguments ({SYNTAX})");
        };
        let params = BgNbdParams::new(NAME, params)?;
        let expected = (0..args.number_rows)
            .map(|row| {
                let (Some(t), Some(customer), Some(model)) = (
                    number(t, row),
                    customer(NAME, [x, t_x, age], row)?,
                    params.at(NAME, row)?,
                ) else {
                    return Ok(None);
                };
                expected_purchases(NAME, &model, t, customer).map(Some)
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(std::sync::Arc::new(expected)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
