//! `repurchase_reminder_date(due, customer_type)`: the day to remind a customer to buy again —
//! a lead time before the date the next purchase is due
//! ([`next_purchase_due`](crate::repurchase::next_purchase_due)).
//!
//! Consumers are reminded a few days ahead (3 by default), business buyers two weeks ahead (14)
//! because their purchases go through approval. The lead times are the session settings
//! `custlake.reminder_lead_days_b2c` and `custlake.reminder_lead_days_b2b`
//! ([`CustlakeOptions`]), so saved queries stay unchanged when operators tune them.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, Date32Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Date32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, is_b2b, param};
use crate::common::options::CustlakeOptions;

const NAME: &str = "repurchase_reminder_date";
const SYNTAX: &str = "repurchase_reminder_date(due, customer_type)";
const PARAMS: [Param; 2] = [param("due", Kind::Date), param("customer_type", Kind::Text)];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the date to send a repurchase reminder: due minus the lead time, 3 days for \
         consumers and 14 days for customer_type 'B2B' (case-insensitive; NULL counts as B2C). \
         The lead times are the session settings custlake.reminder_lead_days_b2c and \
         custlake.reminder_lead_days_b2b. NULL due gives NULL.",
        SYNTAX,
    )
    .with_argument(
        "due",
        "Date (or timestamp) the next purchase is expected, e.g. next_purchase_due(order_ts).",
    )
    .with_argument("customer_type", "'B2B' or 'B2C'.")
    .with_sql_example(
        r#"```sql
> SELECT repurchase_reminder_date(DATE '2024-07-20', 'B2C') AS b2c,
         repurchase_reminder_date(DATE '2024-07-20', 'B2B') AS b2b;
+------------+------------+
| b2c        | b2b        |
+------------+------------+
| 2024-07-17 | 2024-07-06 |
+------------+------------+

> SET custlake.reminder_lead_days_b2c = 5;
```"#,
    )
    .with_related_udf("next_purchase_due")
    .build()
});

/// The `repurchase_reminder_date` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RepurchaseReminderDate {
    signature: Signature,
}

impl Default for RepurchaseReminderDate {
    fn default() -> Self {
        Self::new()
    }
}

impl RepurchaseReminderDate {
    pub fn new() -> Self {
        Self {
            // Stable: the lead times are session settings.
            signature: Signature::user_defined(Volatility::Stable),
        }
    }
}

impl ScalarUDFImpl for RepurchaseReminderDate {
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
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let defaults = CustlakeOptions::default();
        let options = args
            .config_options
            .extensions
            .get::<CustlakeOptions>()
            .unwrap_or(&defaults);
        let (lead_b2c, lead_b2b) = (
            options.reminder_lead_days_b2c as i32,
            options.reminder_lead_days_b2b as i32,
        );
        let arrays = arrays(&args.args, args.number_rows)?;
        let [due, customer_type] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 2 arguments ({SYNTAX})");
        };
        let due = due.as_primitive::<Date32Type>();
        let customer_type: &StringArray = customer_type.as_string();
        let reminders: Date32Array = (0..due.len())
            .map(|row| {
                if due.is_null(row) {
                    return None;
                }
                let b2b = is_b2b(customer_type, row);
                // Only a date at the very start of Date32's range can underflow: NULL then.
                due.value(row)
                    .checked_sub(if b2b { lead_b2b } else { lead_b2c })
            })
            .collect();
        Ok(ColumnarValue::Array(Arc::new(reminders)))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}
