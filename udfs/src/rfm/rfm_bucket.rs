//! `rfm_bucket(value, thresholds [, lower_is_better])`: an RFM score from fixed thresholds.
//!
//! Quintile scores ([`rfm_score`](crate::rfm::rfm_score)) move whenever the customer base moves; a
//! business that wants "5 = bought in the last 30 days" every month scores by fixed cut-offs
//! instead. With k ascending thresholds the score runs from 1 to k + 1 (four thresholds give
//! the usual 1–5). A value equal to a threshold gets the better of the two scores: with
//! higher-is-better thresholds are lower bounds (`value >= t`), with lower-is-better (recency
//! in days) they are upper bounds (`value <= t`).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, Float64Array, Int32Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::utils::take_function_args;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "rfm_bucket";
const SYNTAX: &str = "rfm_bucket(value, thresholds [, lower_is_better])";
const PARAMS: [Param; 3] = [
    param("value", Kind::Number),
    param("thresholds", Kind::NumberList),
    param("lower_is_better", Kind::Bool),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Scores a value against fixed, strictly ascending thresholds: k thresholds give scores \
         1 to k + 1 (four give the usual RFM 1-5), 1 the worst and k + 1 the best. By default \
         higher values are better and the score is 1 plus the number of thresholds <= value; \
         with lower_is_better (recency in days) it is 1 plus the number of thresholds >= value. \
         A value equal to a threshold thus gets the better score. NULL or NaN value: NULL. \
         Thresholds that are empty, NULL or not strictly ascending are an error.",
        SYNTAX,
    )
    .with_argument(
        "value",
        "The recency, frequency or monetary value; any number.",
    )
    .with_argument(
        "thresholds",
        "Array of strictly ascending numbers, e.g. ARRAY[30, 90, 180, 365].",
    )
    .with_argument(
        "lower_is_better",
        "Boolean, default false. true for recency: the fewest days since the last order \
         score highest.",
    )
    .with_sql_example(
        r#"```sql
> SELECT rfm_bucket(45, ARRAY[30, 90, 180, 365], true) AS r,
         rfm_bucket(3, ARRAY[2, 3, 5, 10]) AS f;
+---+---+
| r | f |
+---+---+
| 4 | 3 |
+---+---+
```"#,
    )
    .with_related_udf("rfm_score")
    .with_related_udf("rfm_segment")
    .build()
});

/// The `rfm_bucket` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RfmBucket {
    signature: Signature,
}

impl Default for RfmBucket {
    fn default() -> Self {
        Self::new()
    }
}

impl RfmBucket {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for RfmBucket {
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
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let mut args = args.args.into_iter();
        let (Some(value), Some(thresholds)) = (args.next(), args.next()) else {
            return exec_err!("{NAME} needs a value and thresholds");
        };
        let lower_is_better = args.next();

        // The usual call has constant thresholds and direction: check them once and score
        // the whole column with one kernel.
        if let ColumnarValue::Scalar(thresholds) = &thresholds
            && lower_is_better
                .as_ref()
                .is_none_or(|flag| matches!(flag, ColumnarValue::Scalar(_)))
        {
            let Some(thresholds) = scalar_thresholds(thresholds)? else {
                return Ok(ColumnarValue::Scalar(ScalarValue::Int32(None)));
            };
            let lower = match &lower_is_better {
                Some(ColumnarValue::Scalar(ScalarValue::Boolean(flag))) => *flag,
                Some(ColumnarValue::Scalar(ScalarValue::Null)) | None => Some(false),
                Some(other) => {
                    return exec_err!("{NAME}: lower_is_better must be boolean, not {other:?}");
                }
            };
            let Some(lower) = lower else {
                return Ok(ColumnarValue::Scalar(ScalarValue::Int32(None)));
            };
            let values = value.into_array(rows)?;
            let values = values.as_primitive::<Float64Type>();
            let scores: Int32Array = values
                .iter()
                .map(|v| v.and_then(|v| score(v, &thresholds, lower)))
                .collect();
            return Ok(ColumnarValue::Array(Arc::new(scores)));
        }

        // Thresholds or direction per row (from a table of rules): checked row by row.
        let arrays = arrays(&[value, thresholds], rows)?;
        let [values, thresholds] = take_function_args(NAME, &arrays)?;
        let flags = lower_is_better.map(|f| f.into_array(rows)).transpose()?;
        let values = values.as_primitive::<Float64Type>();
        let lists = thresholds.as_list::<i32>();
        let flags = flags.as_ref().map(|f| f.as_boolean());
        let mut scores = Int32Array::builder(rows);
        for row in 0..rows {
            let lower = match flags {
                Some(flags) if flags.is_null(row) => None,
                Some(flags) => Some(flags.value(row)),
                None => Some(false),
            };
            if values.is_null(row) || lists.is_null(row) {
                scores.append_null();
                continue;
            }
            let list = lists.value(row);
            let thresholds = checked_thresholds(list.as_primitive::<Float64Type>())?;
            scores.append_option(
                lower.and_then(|lower| score(values.value(row), &thresholds, lower)),
            );
        }
        Ok(ColumnarValue::Array(Arc::new(scores.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// The score of `value`; `None` for NaN.
fn score(value: f64, thresholds: &[f64], lower_is_better: bool) -> Option<i32> {
    if value.is_nan() {
        return None;
    }
    let k = thresholds.len() as i32;
    Some(if lower_is_better {
        // thresholds >= value, i.e. all but those < value
        1 + k - thresholds.partition_point(|&t| t < value) as i32
    } else {
        1 + thresholds.partition_point(|&t| t <= value) as i32
    })
}

/// A constant thresholds argument, checked; `None` when it is NULL.
fn scalar_thresholds(thresholds: &ScalarValue) -> Result<Option<Vec<f64>>> {
    match thresholds {
        ScalarValue::Null => Ok(None),
        ScalarValue::List(list) if list.is_null(0) => Ok(None),
        ScalarValue::List(list) => {
            let values = list.value(0);
            checked_thresholds(values.as_primitive::<Float64Type>()).map(Some)
        }
        other => exec_err!("{NAME}: thresholds must be an array of numbers, not {other:?}"),
    }
}

fn checked_thresholds(values: &Float64Array) -> Result<Vec<f64>> {
    if values.is_empty() {
        return exec_err!("{NAME}: thresholds must not be empty");
    }
    if values.null_count() > 0 {
        return exec_err!("{NAME}: thresholds must not contain NULL");
    }
    let thresholds = values.values().to_vec();
    if thresholds.iter().any(|t| t.is_nan()) || thresholds.windows(2).any(|w| w[0] >= w[1]) {
        return exec_err!("{NAME}: thresholds must be strictly ascending, got {thresholds:?}");
    }
    Ok(thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_values_get_the_better_score() {
        let t = [30.0, 90.0, 180.0, 365.0];
        assert_eq!(score(0.0, &t, true), Some(5));
        assert_eq!(score(30.0, &t, true), Some(5));
        assert_eq!(score(30.5, &t, true), Some(4));
        assert_eq!(score(365.0, &t, true), Some(2));
        assert_eq!(score(366.0, &t, true), Some(1));
        assert_eq!(score(29.0, &t, false), Some(1));
        assert_eq!(score(30.0, &t, false), Some(2));
        assert_eq!(score(1e9, &t, false), Some(5));
        assert_eq!(score(f64::NAN, &t, false), None);
    }
}
