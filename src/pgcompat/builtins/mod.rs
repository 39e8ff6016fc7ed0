//! PostgreSQL's own functions where DataFusion has none or one that answers otherwise, one
//! struct per function (as DataFusion's own are written), registered over DataFusion's:
//! - [`similar_to_escape`]: the regular expression behind `SIMILAR TO`;
//! - [`to_char`]: dates and timestamps by PostgreSQL's template patterns ([`template`]),
//!   intervals ([`to_char_interval`]) and numbers ([`number_template`]);
//! - [`to_number`]: text read by a number template;
//! - [`to_timestamp`]: `to_date` and `to_timestamp`, text read by those patterns;
//! - [`round_half_even`]: how a float cast to an integer rounds;
//! - [`numeric`]: `x::numeric`, keeping the scale of `x`;
//! - [`numeric_div`]: numeric division, rounded;
//! - [`interval_span`]: what intervals compare by;
//! - [`interval_part`]: the epoch and seconds of an interval, exactly;
//! - [`width_bucket`]: the bucket of a number;
//! - [`regexp_split_to_array`]: text split by a regular expression;
//! - [`regexp_matches`]: the matches `regexp_matches` returns as rows;
//! - [`regexp_position`]: `regexp_substr` and `regexp_instr`, the N-th match's text or place;
//! - [`trim_array`]: an array without its last elements;
//! - [`array_shape`]: `array_dims` and `array_fill` of multidimensional arrays;
//! - [`degrees_trig`]: `sind`, `cosd`, `tand`;
//! - [`scale`]: `scale`, `min_scale`, `trim_scale` of a numeric;
//! - [`interval_mul`]: `interval * number` and `interval / number`;
//! - [`age`]: the interval between timestamps in years, months and days;
//! - [`date_trunc`]: DataFusion's, and PostgreSQL's of an interval;
//! - [`justify`]: `justify_days`, `justify_hours`, `justify_interval`;
//! - [`isfinite`]: whether a date, timestamp or interval is finite;
//! - [`overlaps`]: whether two periods of time overlap;
//! - [`make_interval`]: `make_interval`, `make_timestamp` and `make_time`;
//! - [`timezone`]: `AT TIME ZONE`;
//! - [`percentile`]: the discrete and the continuous percentile, aggregates;
//! - [`mode`]: the most frequent value, an aggregate (both keep a group's values in
//!   [`group_values`]);
//! - `variance`: PostgreSQL's name for DataFusion's `var_samp`;
//! - `array_remove` and `array_replace`: PostgreSQL removes (replaces) every element equal to
//!   the value, DataFusion's only the first; DataFusion's `array_remove_all` and
//!   `array_replace_all` answer under PostgreSQL's names;
//! - PostgreSQL's names for DataFusion's functions: `every` (`bool_and`), `sign` (`signum`),
//!   `ceiling` (`ceil`).

/// A `static` documentation of a one-argument function named after it (`$name` in capitals).
macro_rules! documented {
    ($name:ident, $what:literal, $argument:literal, $example:literal) => {
        static $name: std::sync::LazyLock<datafusion::logical_expr::Documentation> =
            std::sync::LazyLock::new(|| {
                let name = stringify!($name).to_ascii_lowercase();
                datafusion::logical_expr::Documentation::builder(
                    super::DOC_SECTION,
                    $what,
                    format!("{name}(x)"),
                )
                .with_argument("x", $argument)
                .with_sql_example($example)
                .build()
            });
    };
}

mod age;
mod array_shape;
mod date_trunc;
mod degrees_trig;
mod group_values;
mod interval_mul;
mod interval_part;
mod interval_span;
mod isfinite;
mod justify;
mod make_interval;
mod mode;
mod number_template;
mod numeric;
mod numeric_div;
mod overlaps;
mod percentile;
mod regexp_matches;
mod regexp_position;
mod regexp_split_to_array;
mod round_half_even;
mod scale;
mod similar_to_escape;
mod template;
mod timezone;
mod to_char;
mod to_char_interval;
mod to_number;
mod to_timestamp;
mod trim_array;
mod width_bucket;

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::common::{Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::{AggregateUDF, ColumnarValue, DocSection, ScalarUDF};

pub(in crate::pgcompat) const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "PostgreSQL Functions",
    description: Some("PostgreSQL's built-in functions, as PostgreSQL computes them."),
};

/// A function's result: a scalar where every argument was one, else the array.
pub(in crate::pgcompat) fn columnar(values: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    Ok(match scalar {
        true => ColumnarValue::Scalar(ScalarValue::try_from_array(&values, 0)?),
        false => ColumnarValue::Array(values),
    })
}

/// What was made from the last key, remade only when the key changes: a column's template or
/// zone is nearly always one constant, so it is read once, not once per row.
fn made_for<'a, T>(
    slot: &'a mut Option<(String, T)>,
    key: &str,
    make: impl FnOnce(&str) -> Result<T>,
) -> Result<&'a T> {
    if slot.as_ref().is_some_and(|(made_from, _)| made_from != key) {
        *slot = None;
    }
    let (_, made) = match slot {
        Some(entry) => entry,
        None => slot.insert((key.to_string(), make(key)?)),
    };
    Ok(made)
}

/// Whether every argument of a call is a scalar.
pub(in crate::pgcompat) fn all_scalar(args: &[ColumnarValue]) -> bool {
    args.iter()
        .all(|arg| matches!(arg, ColumnarValue::Scalar(_)))
}

/// `numeric_div`, for the result-type rule, which is built before the functions are registered.
pub fn numeric_div() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(numeric_div::NumericDiv::new()))
}

/// `interval_part`, for the cast rule's `extract` of an interval.
pub fn interval_part() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(interval_part::IntervalPart::new()))
}

/// Registers the functions, replacing DataFusion's of the same names.
pub fn register(state: &mut SessionState) -> Result<()> {
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        similar_to_escape::SimilarToEscape::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(to_char::ToChar::new())))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        to_number::ToNumber::new(),
    )))?;
    for function in to_timestamp::ToTimestamp::all(state.config_options()) {
        state.register_udf(Arc::new(ScalarUDF::new_from_impl(function)))?;
    }
    state.register_udf(Arc::new(
        ScalarUDF::new_from_impl(timezone::Timezone::new()),
    ))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        round_half_even::RoundHalfEven::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(numeric::Numeric::new())))?;
    state.register_udf(numeric_div())?;
    state.register_udf(interval_part())?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        interval_span::IntervalSpan::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        interval_mul::IntervalMul::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        interval_mul::IntervalDiv::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(age::Age::new())))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        date_trunc::DateTrunc::new(),
    )))?;
    state.register_udf(Arc::new(
        ScalarUDF::new_from_impl(isfinite::IsFinite::new()),
    ))?;
    state.register_udf(Arc::new(
        ScalarUDF::new_from_impl(overlaps::Overlaps::new()),
    ))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        regexp_split_to_array::RegexpSplitToArray::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        regexp_matches::RegexpMatchesArray::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        array_shape::ArrayDims::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        array_shape::ArrayFill::new(),
    )))?;
    for function in regexp_position::RegexpPosition::all() {
        state.register_udf(Arc::new(ScalarUDF::new_from_impl(function)))?;
    }
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        trim_array::TrimArray::new(),
    )))?;
    for function in degrees_trig::DegreesTrig::all() {
        state.register_udf(Arc::new(ScalarUDF::new_from_impl(function)))?;
    }
    for function in scale::Scale::all() {
        state.register_udf(Arc::new(ScalarUDF::new_from_impl(function)))?;
    }
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        make_interval::MakeInterval::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        make_interval::MakeTimestamp::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        make_interval::MakeTime::new(),
    )))?;
    state.register_udf(Arc::new(ScalarUDF::new_from_impl(
        width_bucket::WidthBucket::new(),
    )))?;
    for justify in [
        justify::Justify::days(),
        justify::Justify::hours(),
        justify::Justify::interval(),
    ] {
        state.register_udf(Arc::new(ScalarUDF::new_from_impl(justify)))?;
    }
    let remove_all = datafusion::functions_nested::remove::array_remove_all_udf();
    state.register_udf(Arc::new(
        remove_all.as_ref().clone().with_aliases(["array_remove"]),
    ))?;
    for percentile in percentile::Percentile::all() {
        state.register_udaf(Arc::new(AggregateUDF::new_from_impl(percentile)))?;
    }
    state.register_udaf(Arc::new(AggregateUDF::new_from_impl(mode::Mode::new())))?;
    let var_samp = datafusion::functions_aggregate::variance::var_samp_udaf();
    state.register_udaf(Arc::new(
        var_samp.as_ref().clone().with_aliases(["variance"]),
    ))?;
    let bool_and = datafusion::functions_aggregate::bool_and_or::bool_and_udaf();
    state.register_udaf(Arc::new(bool_and.as_ref().clone().with_aliases(["every"])))?;
    let signum = datafusion::functions::math::signum();
    state.register_udf(Arc::new(signum.as_ref().clone().with_aliases(["sign"])))?;
    let ceil = datafusion::functions::math::ceil();
    state.register_udf(Arc::new(ceil.as_ref().clone().with_aliases(["ceiling"])))?;
    let replace_all = datafusion::functions_nested::replace::array_replace_all_udf();
    state.register_udf(Arc::new(
        replace_all.as_ref().clone().with_aliases(["array_replace"]),
    ))?;
    Ok(())
}
