//! `as_of()`: the date an analysis is "as of" — the session's `custlake.as_of` setting, else
//! the current date (UTC).
//!
//! Recency, tenure and churn windows are measured back from a date. Writing `current_date()`
//! into a saved query ties it to the day it runs; writing a literal ties it to one date.
//! `as_of()` reads the date from the session ([`CustlakeOptions`]), so the same query answers
//! for today by default and for any past cut-off after `SET custlake.as_of = '2024-06-30'`.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::utils::take_function_args;
use datafusion::common::{Result, ScalarValue, exec_datafusion_err};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, Expr, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::options::CustlakeOptions;

const SECONDS_PER_DAY: i64 = 86_400;

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the date the analysis is as of: the session setting custlake.as_of if it is \
         set (SET custlake.as_of = 'YYYY-MM-DD'), otherwise the current date (UTC). \
         Constant within a statement.",
        "as_of()",
    )
    .with_sql_example(
        r#"```sql
> SET custlake.as_of = '2024-06-30';
> SELECT as_of(), as_of() - INTERVAL '90 days' AS window_start;
+------------+--------------+
| as_of()    | window_start |
+------------+--------------+
| 2024-06-30 | 2024-04-01   |
+------------+--------------+

> SET custlake.as_of = DEFAULT;  -- back to the current date ('' and 'today' too)
```"#,
    )
    .with_related_udf("current_date")
    .build()
});

/// The `as_of()` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct AsOf {
    signature: Signature,
}

impl Default for AsOf {
    fn default() -> Self {
        Self::new()
    }
}

impl AsOf {
    pub fn new() -> Self {
        Self {
            // Stable: the answer depends on the session, not on the arguments, and must not
            // be folded into a plan that outlives the statement (a prepared statement).
            signature: Signature::nullary(Volatility::Stable),
        }
    }
}

impl ScalarUDFImpl for AsOf {
    fn name(&self) -> &str {
        "as_of"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    /// Runs only when the plan was not simplified (a plan optimized without a statement start
    /// time, e.g. for PREPARE): the date is then decided at execution, from the settings the
    /// plan executes with.
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [] = take_function_args(self.name(), args.args)?;
        let days = match setting_days(&args.config_options)? {
            Some(days) => days,
            None => days_since_epoch(current_unix_seconds()?)?,
        };
        Ok(ColumnarValue::Scalar(ScalarValue::Date32(Some(days))))
    }

    /// Replaces the call by a literal when the statement is being planned for execution, as
    /// `current_date()` does, so that the date is one value for the whole statement and an
    /// unset `as_of()` equals `current_date()` exactly (both use the statement's start time).
    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        let Some(start) = info.query_execution_start_time() else {
            return Ok(ExprSimplifyResult::Original(args));
        };
        // A simplifier built without the session's settings (no extension registered there)
        // cannot know the setting: leave the call for execution rather than guess.
        if info
            .config_options()
            .extensions
            .get::<CustlakeOptions>()
            .is_none()
        {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let days = match setting_days(info.config_options())? {
            Some(days) => days,
            None => days_since_epoch(start.timestamp())?,
        };
        Ok(ExprSimplifyResult::Simplified(Expr::Literal(
            ScalarValue::Date32(Some(days)),
            None,
        )))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// `custlake.as_of` in days since 1970-01-01; `None` when unset or when the session does not
/// have the extension registered (then `as_of()` is the current date).
fn setting_days(config: &ConfigOptions) -> Result<Option<i32>> {
    match config.extensions.get::<CustlakeOptions>() {
        Some(options) => options.as_of_days(),
        None => Ok(None),
    }
}

fn current_unix_seconds() -> Result<i64> {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| exec_datafusion_err!("as_of: the system clock is before 1970: {e}"))?;
    i64::try_from(elapsed.as_secs())
        .map_err(|_| exec_datafusion_err!("as_of: the system clock is out of range"))
}

/// The UTC date of a Unix time, as a Date32 value.
fn days_since_epoch(unix_seconds: i64) -> Result<i32> {
    i32::try_from(unix_seconds.div_euclid(SECONDS_PER_DAY))
        .map_err(|_| exec_datafusion_err!("as_of: the date is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_days() {
        assert_eq!(days_since_epoch(0).unwrap(), 0);
        assert_eq!(days_since_epoch(SECONDS_PER_DAY - 1).unwrap(), 0);
        assert_eq!(days_since_epoch(-1).unwrap(), -1);
        // 2024-06-30T23:59:59Z
        assert_eq!(days_since_epoch(1_719_791_999).unwrap(), 19904);
    }
}
