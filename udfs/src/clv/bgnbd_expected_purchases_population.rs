//! `bgnbd_expected_purchases_population(t, params)`: the number of repeat purchases a new
//! customer is expected to make in the first `t` time units after the first purchase, under a
//! fitted BG/NBD model (Fader, Hardie & Lee 2005, equation 9) — what a cohort is worth before
//! anything is known of its members.

use std::sync::LazyLock;

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::clv::model_args::{BgNbdParams, expected_purchases, number};
use crate::clv::models::bgnbd::Customer;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "bgnbd_expected_purchases_population";
const SYNTAX: &str = "bgnbd_expected_purchases_population(t, params)";
const PARAMS: [Param; 2] = [param("t", Kind::Number), param("params", Kind::Struct)];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the expected number of repeat purchases of a new customer in the first t time units under a BG/NBD model (Fader, Hardie & Lee 2005, equation 9). NULL if an argument is NULL.",
        SYNTAX,
    )
    .with_argument("t", "Time since the first purchase, in the unit the model was fitted in; at least 0.")
    .with_argument("params", "The model: a struct with fields r, alpha, a and b, as bgnbd_fit returns it.")
    .with_sql_example(
        r#"```sql
> SELECT round(bgnbd_expected_purchases_population(39,
           named_struct('r', 0.243, 'alpha', 4.414, 'a', 0.793, 'b', 2.426)), 4) AS e;
+--------+
| e      |
+--------+
| 1.1967 |
+--------+
```"#,
    )
    .with_related_udf("bgnbd_fit")
    .with_related_udf("bgnbd_expected_purchases")
    .build()
});

/// The `bgnbd_expected_purchases_population` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct BgNbdExpectedPurchasesPopulation {
    signature: Signature,
}

impl Default for BgNbdExpectedPurchasesPopulation {
    fn default() -> Self {
        Self::new()
    }
}

impl BgNbdExpectedPurchasesPopulation {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for BgNbdExpectedPurchasesPopulation {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 2, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [t, params] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 2 arguments ({SYNTAX})");
        };
        let params = BgNbdParams::new(NAME, params)?;
        let new_customer = Customer {
            x: 0.0,
            t_x: 0.0,
            age: 0.0,
        };
        let expected = (0..args.number_rows)
            .map(|row| {
                let (Some(t), Some(model)) = (number(t, row), params.at(NAME, row)?) else {
                    return Ok(None);
                };
                expected_purchases(NAME, &model, t, new_customer).map(Some)
            })
            .collect::<Result<Float64Array>>()?;
        Ok(ColumnarValue::Array(std::sync::Arc::new(expected)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
