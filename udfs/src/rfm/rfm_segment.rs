//! `rfm_segment(r, f, m [, segment_map])`: the name of a customer's RFM segment.
//!
//! The default map is the widely used eleven-segment one (Champions … Lost), made a partition
//! of the whole 5 × 5 × 5 score grid. Like the common R × F charts it is drawn on two axes:
//! recency, and FM = the mean of frequency and monetary rounded half up
//! (`(f + m + 1) / 2` in integers), since frequency and spend move together. Every cell has
//! exactly one segment:
//!
//! ```text
//!           FM=1             FM=2                 FM=3                 FM=4              FM=5
//! R=5  New Customers    Potential Loyalists  Potential Loyalists  Champions         Champions
//! R=4  Promising        Potential Loyalists  Potential Loyalists  Loyal Customers   Loyal Customers
//! R=3  About To Sleep   About To Sleep       Need Attention       Loyal Customers   Loyal Customers
//! R=2  Hibernating      Hibernating          At Risk              At Risk           Can't Lose Them
//! R=1  Lost             Lost                 At Risk              At Risk           Can't Lose Them
//! ```
//!
//! A business with its own segments passes a `MAP` from patterns to names: each pattern is a
//! regular expression matched against the whole three-digit code `r || f || m` (e.g. `'5[45][45]'`),
//! the first matching entry in map order wins, and a code no pattern matches is NULL.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, MapArray, StringArray, StringBuilder, StructArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use regex::Regex;

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "rfm_segment";
const SYNTAX: &str = "rfm_segment(r, f, m [, segment_map])";
const PARAMS: [Param; 3] = [
    param("r", Kind::Integer),
    param("f", Kind::Integer),
    param("m", Kind::Integer),
];

/// The default map, indexed `[r - 1][fm - 1]`.
const DEFAULT_MAP: [[&str; 5]; 5] = [
    ["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"],
    [
        "Hibernating",
        "Hibernating",
        "At Risk",
        "At Risk",
        "Can't Lose Them",
    ],
    [
        "About To Sleep",
        "About To Sleep",
        "Need Attention",
        "Loyal Customers",
        "Loyal Customers",
    ],
    [
        "Promising",
        "Potential Loyalists",
        "Potential Loyalists",
        "Loyal Customers",
        "Loyal Customers",
    ],
    [
        "New Customers",
        "Potential Loyalists",
        "Potential Loyalists",
        "Champions",
        "Champions",
    ],
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the RFM segment of scores r, f, m (each 1 to 5). The default map is a partition \
         of the whole score grid by R and FM = (f + m + 1) / 2 (the mean rounded half up): \
         Champions (R 5, FM 4-5), Loyal Customers (R 3-4, FM 4-5), Potential Loyalists \
         (R 4-5, FM 2-3), New Customers (R 5, FM 1), Promising (R 4, FM 1), Need Attention \
         (R 3, FM 3), About To Sleep (R 3, FM 1-2), At Risk (R 1-2, FM 3-4), Can't Lose Them \
         (R 1-2, FM 5), Hibernating (R 2, FM 1-2), Lost (R 1, FM 1-2). With segment_map, the \
         first entry whose pattern (a regular expression) matches the whole code r||f||m \
         names the segment; NULL if none does. Any NULL score gives NULL; a score outside 1 \
         to 5 (1 to 9 with a map) is an error.",
        SYNTAX,
    )
    .with_argument("r", "Recency score, 1 to 5 (5 = most recent).")
    .with_argument("f", "Frequency score, 1 to 5.")
    .with_argument("m", "Monetary score, 1 to 5.")
    .with_argument(
        "segment_map",
        "Optional MAP(pattern, segment name) of text, in priority order, e.g. \
         MAP(ARRAY['5[45][45]', '...'], ARRAY['Best', 'Others']).",
    )
    .with_sql_example(
        r#"```sql
> SELECT rfm_segment(5, 4, 5) AS a, rfm_segment(1, 1, 2) AS b,
         rfm_segment(5, 1, 1, MAP(ARRAY['5..', '...'], ARRAY['Recent', 'Other'])) AS c;
+-----------+------+--------+
| a         | b    | c      |
+-----------+------+--------+
| Champions | Lost | Recent |
+-----------+------+--------+
```"#,
    )
    .with_related_udf("rfm_score")
    .with_related_udf("rfm_bucket")
    .build()
});

/// The `rfm_segment` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RfmSegment {
    signature: Signature,
}

impl Default for RfmSegment {
    fn default() -> Self {
        Self::new()
    }
}

impl RfmSegment {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for RfmSegment {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let (scores, map) = match arg_types {
            [r, f, m] => ([r.clone(), f.clone(), m.clone()], None),
            [r, f, m, map] => ([r.clone(), f.clone(), m.clone()], Some(map)),
            _ => {
                return plan_err!(
                    "{NAME} takes 3 or 4 arguments ({SYNTAX}), not {}",
                    arg_types.len()
                );
            }
        };
        let mut types = coerce(NAME, SYNTAX, &PARAMS, 3, &scores)?;
        if let Some(map) = map {
            if !is_text_map(map) {
                return plan_err!(
                    "{NAME}: segment_map must be a MAP of text patterns to text names, not {map} ({SYNTAX})"
                );
            }
            types.push(map.clone());
        }
        Ok(types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let map = match args.args.get(3) {
            None => None,
            Some(ColumnarValue::Scalar(map)) => Some(SegmentMaps::Constant(constant_map(map)?)),
            Some(ColumnarValue::Array(maps)) => Some(SegmentMaps::PerRow(maps.as_map().clone())),
        };
        let scores = arrays(&args.args[..3], rows)?;
        let [r, f, m] = [0, 1, 2].map(|i| scores[i].as_primitive::<Int64Type>());
        let highest = if map.is_some() { 9 } else { 5 };
        let mut names = StringBuilder::with_capacity(rows, rows * 12);
        for row in 0..rows {
            if r.is_null(row) || f.is_null(row) || m.is_null(row) {
                names.append_null();
                continue;
            }
            let code = [r.value(row), f.value(row), m.value(row)];
            if let Some(bad) = code.iter().find(|s| !(1..=highest).contains(*s)) {
                return exec_err!(
                    "{NAME}: score {bad} is outside 1 to {highest} (scores {}, {}, {})",
                    code[0],
                    code[1],
                    code[2]
                );
            }
            match &map {
                None => names.append_value(default_segment(code)),
                Some(SegmentMaps::Constant(map)) => names.append_option(map.segment(code)),
                Some(SegmentMaps::PerRow(maps)) if maps.is_null(row) => names.append_null(),
                Some(SegmentMaps::PerRow(maps)) => {
                    let map = PatternMap::from_entries(&maps.value(row))?;
                    names.append_option(map.segment(code));
                }
            }
        }
        let names: ArrayRef = Arc::new(names.finish());
        Ok(ColumnarValue::Array(names))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn is_text_map(data_type: &DataType) -> bool {
    let text =
        |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    match data_type {
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(fields) if fields.len() == 2 => {
                text(fields[0].data_type()) && text(fields[1].data_type())
            }
            _ => false,
        },
        _ => false,
    }
}

/// The default segment of scores already checked to be 1 to 5.
fn default_segment([r, f, m]: [i64; 3]) -> &'static str {
    let fm = (f + m + 1) / 2;
    DEFAULT_MAP[(r - 1) as usize][(fm - 1) as usize]
}

enum SegmentMaps {
    Constant(PatternMap),
    PerRow(MapArray),
}

/// A user's map: anchored patterns and names, in map order.
struct PatternMap {
    entries: Vec<(Regex, Option<String>)>,
}

impl PatternMap {
    /// The entries of one map value (a struct array of key, value).
    fn from_entries(entries: &StructArray) -> Result<Self> {
        let keys = cast(entries.column(0), &DataType::Utf8)?;
        let values = cast(entries.column(1), &DataType::Utf8)?;
        let keys: &StringArray = keys.as_string();
        let values: &StringArray = values.as_string();
        let mut compiled = Vec::with_capacity(keys.len());
        for i in 0..keys.len() {
            let pattern = keys.value(i);
            let regex = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                exec_datafusion_err!(
                    "{NAME}: segment_map pattern '{pattern}' is not a valid regular expression: {e}"
                )
            })?;
            compiled.push((
                regex,
                values.is_valid(i).then(|| values.value(i).to_string()),
            ));
        }
        Ok(Self { entries: compiled })
    }

    fn segment(&self, [r, f, m]: [i64; 3]) -> Option<&str> {
        let code = format!("{r}{f}{m}");
        self.entries
            .iter()
            .find(|(pattern, _)| pattern.is_match(&code))
            .and_then(|(_, name)| name.as_deref())
    }
}

fn constant_map(map: &ScalarValue) -> Result<PatternMap> {
    match map {
        ScalarValue::Map(maps) if maps.is_valid(0) => PatternMap::from_entries(&maps.value(0)),
        // A NULL map maps nothing: every code is NULL.
        ScalarValue::Map(_) | ScalarValue::Null => Ok(PatternMap {
            entries: Vec::new(),
        }),
        other => exec_err!("{NAME}: segment_map must be a MAP, not {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_map_partitions_the_grid() {
        let mut seen = std::collections::BTreeMap::new();
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    *seen.entry(default_segment([r, f, m])).or_insert(0) += 1;
                }
            }
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
        assert_eq!(seen.values().sum::<i32>(), 125);
        assert_eq!(default_segment([5, 5, 5]), "Champions");
        assert_eq!(default_segment([5, 4, 3]), "Champions"); // FM = 4 (3.5 rounds up)
        assert_eq!(default_segment([5, 3, 3]), "Potential Loyalists");
        assert_eq!(default_segment([1, 1, 1]), "Lost");
        assert_eq!(default_segment([1, 5, 5]), "Can't Lose Them");
        assert_eq!(default_segment([3, 3, 3]), "Need Attention");
    }
}
