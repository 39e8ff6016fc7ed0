//! `churn_level(score)`: the band of a 0–100 churn-risk score that operators work by — low,
//! medium, high, critical — so that a follow-up queue can be filtered by band instead of by
//! thresholds repeated in every report.
//!
//! The bands are those of the operators' scorecard: 0–40 low, 41–70 medium, 71–85 high, 86–100
//! critical. Scores need not be whole numbers: each band includes its upper bound, so 40.5 is
//! medium. A score outside 0–100 is an error, as it cannot come from the scorecard.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "churn_level";
const SYNTAX: &str = "churn_level(score)";
const PARAMS: [Param; 1] = [param("score", Kind::Number)];

/// Each band's name and its highest score.
const BANDS: [(&str, f64); 4] = [
    ("low", 40.0),
    ("medium", 70.0),
    ("high", 85.0),
    ("critical", 100.0),
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the band of a churn-risk score from 0 to 100: 'low' (up to 40), 'medium' (up \
         to 70), 'high' (up to 85) or 'critical' (up to 100). Each band includes its upper \
         bound. NULL gives NULL; a score outside 0 to 100 is an error.",
        SYNTAX,
    )
    .with_argument("score", "A churn-risk score from 0 to 100.")
    .with_sql_example(
        r#"```sql
> SELECT churn_level(40) AS a, churn_level(41) AS b, churn_level(86) AS c;
+-----+--------+----------+
| a   | b      | c        |
+-----+--------+----------+
| low | medium | critical |
+-----+--------+----------+
```"#,
    )
    .with_related_udf("lifecycle_stage")
    .build()
});

/// The `churn_level` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ChurnLevel {
    signature: Signature,
}

impl Default for ChurnLevel {
    fn default() -> Self {
        Self::new()
    }
}

impl ChurnLevel {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for ChurnLevel {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce(NAME, SYNTAX, &PARAMS, 1, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = arrays(&args.args, args.number_rows)?;
        let [scores] = arrays.as_slice() else {
            return exec_err!("{NAME} takes 1 argument ({SYNTAX})");
        };
        let scores = scores.as_primitive::<Float64Type>();
        let mut levels = StringBuilder::with_capacity(scores.len(), scores.len() * 6);
        for row in 0..scores.len() {
            if scores.is_null(row) {
                levels.append_null();
            } else {
                levels.append_value(level(scores.value(row))?);
            }
        }
        Ok(ColumnarValue::Array(Arc::new(levels.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn level(score: f64) -> Result<&'static str> {
    if score >= 0.0
        && let Some((name, _)) = BANDS.iter().find(|(_, highest)| score <= *highest)
    {
        return Ok(name);
    }
    exec_err!("{NAME}: score {score} is outside the churn-risk scale of 0 to 100")
}

#[cfg(test)]
mod tests {
    use super::level;

    #[test]
    fn bands_include_their_upper_bound() {
        let levels: Vec<&str> = [0.0, 40.0, 40.5, 41.0, 70.0, 71.0, 85.0, 85.01, 86.0, 100.0]
            .iter()
            .map(|&s| level(s).unwrap())
            .collect();
        assert_eq!(
            levels,
            [
                "low", "low", "medium", "medium", "medium", "high", "high", "critical", "critical",
                "critical"
            ]
        );
        for outside in [-0.5, 100.5, f64::NAN, f64::INFINITY] {
            let error = level(outside).unwrap_err().to_string();
            assert!(error.contains("outside the churn-risk scale"), "{error}");
        }
    }
}
