//! Argument coercion and calendar arithmetic shared by the functions of this crate.
//!
//! The functions take what a CRM lake holds — dates or timestamps, any integer or decimal
//! width, `VARCHAR` or `Utf8View` text — and work on one Arrow type per kind. Each function
//! lists its parameters as [`Param`]s; [`coerce`] checks the argument count and maps every
//! argument type to the type the function computes with, or fails the plan with a message
//! naming the function, the parameter and the type it got.
//!
//! Time is counted in whole days: a timestamp stands for its date (UTC for a timestamp without
//! time zone or with one, as Arrow casts it), and an as-of date includes that whole day.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array, StringArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::ColumnarValue;

use chrono::{Days, Months, NaiveDate};

/// What a parameter is computed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A date or timestamp (or text holding a date), computed as `Date32`.
    Date,
    /// Text of any string type, computed as `Utf8`.
    Text,
    /// Any number, computed as `Float64`.
    Number,
    /// Any integer, computed as `Int64`.
    Integer,
    /// `Boolean`.
    Bool,
    /// An array of numbers, computed as `List(Float64)`.
    NumberList,
    /// A struct (model parameters, as a fitting aggregate returns them), taken as it is; its
    /// fields are read by name with [`struct_numbers`].
    Struct,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Date => "a date or timestamp",
            Kind::Text => "text",
            Kind::Number => "a number",
            Kind::Integer => "an integer",
            Kind::Bool => "a boolean",
            Kind::NumberList => "an array of numbers",
            Kind::Struct => "a struct",
        }
    }

    /// The type a value of `from` is computed as, or `None` if it is not of this kind.
    fn target(self, from: &DataType) -> Option<DataType> {
        use DataType::*;
        if self == Kind::Struct {
            return matches!(from, Null | Struct(_)).then(|| from.clone());
        }
        let admitted = match self {
            Kind::Date => matches!(
                from,
                Null | Date32 | Date64 | Timestamp(_, _) | Utf8 | LargeUtf8 | Utf8View
            ),
            Kind::Text => matches!(from, Null | Utf8 | LargeUtf8 | Utf8View | Dictionary(_, _)),
            Kind::Number => from.is_null() || from.is_numeric(),
            Kind::Integer => from.is_null() || from.is_integer(),
            Kind::Bool => matches!(from, Null | Boolean),
            Kind::Struct => false,
            Kind::NumberList => match from {
                Null => true,
                List(item) | LargeList(item) | FixedSizeList(item, _) => {
                    item.data_type().is_null() || item.data_type().is_numeric()
                }
                _ => false,
            },
        };
        admitted.then(|| self.computed_type())
    }

    /// The Arrow type the function receives for this kind.
    pub(crate) fn computed_type(self) -> DataType {
        match self {
            Kind::Date => DataType::Date32,
            Kind::Text => DataType::Utf8,
            Kind::Number => DataType::Float64,
            Kind::Integer => DataType::Int64,
            Kind::Bool => DataType::Boolean,
            Kind::NumberList => number_list_type(),
            // Taken as it comes (see `target`).
            Kind::Struct => DataType::Null,
        }
    }
}

/// `List(Float64)`, the computed type of [`Kind::NumberList`].
pub(crate) fn number_list_type() -> DataType {
    DataType::new_list(DataType::Float64, true)
}

/// One parameter of a function: its name in messages and what it is computed as.
pub(crate) struct Param {
    pub name: &'static str,
    pub kind: Kind,
}

pub(crate) const fn param(name: &'static str, kind: Kind) -> Param {
    Param { name, kind }
}

/// Checks a call's argument count against `params` (the first `required` are required, the
/// rest optional) and returns the types to coerce the arguments to.
pub(crate) fn coerce(
    function: &str,
    syntax: &str,
    params: &[Param],
    required: usize,
    arg_types: &[DataType],
) -> Result<Vec<DataType>> {
    if arg_types.len() < required || arg_types.len() > params.len() {
        let expected = if required == params.len() {
            format!("{required}")
        } else {
            format!("{required} to {}", params.len())
        };
        return plan_err!(
            "{function} takes {expected} arguments ({syntax}), not {}",
            arg_types.len()
        );
    }
    params
        .iter()
        .zip(arg_types)
        .map(|(param, from)| match param.kind.target(from) {
            Some(target) => Ok(target),
            None => plan_err!(
                "{function}: {} must be {}, not {from} ({syntax})",
                param.name,
                param.kind.describe()
            ),
        })
        .collect()
}

/// The arguments as arrays of `rows` rows each, constants repeated. (Not
/// `ColumnarValue::values_to_arrays`, which leaves constants one row long when every argument
/// in the slice is constant, while another argument may still be a column.)
pub(crate) fn arrays(args: &[ColumnarValue], rows: usize) -> Result<Vec<ArrayRef>> {
    args.iter().map(|arg| arg.to_array(rows)).collect()
}

/// The fields `names` of a struct argument (NULL structs read as NULL fields), each cast to
/// `Float64`; an error naming the function and the missing field when one is absent.
pub(crate) fn struct_numbers(
    function: &str,
    argument: &str,
    array: &ArrayRef,
    names: &[&str],
) -> Result<Vec<Float64Array>> {
    if array.data_type().is_null() {
        return Ok(names
            .iter()
            .map(|_| Float64Array::new_null(array.len()))
            .collect());
    }
    let Some(fields) = array.as_struct_opt() else {
        return exec_err!(
            "{function}: {argument} must be a struct, not {}",
            array.data_type()
        );
    };
    names
        .iter()
        .map(|name| {
            let Some(column) = fields.column_by_name(name) else {
                return exec_err!(
                    "{function}: {argument} has no field '{name}' (it needs {})",
                    names.join(", ")
                );
            };
            let column = cast(column, &DataType::Float64)?;
            // A NULL struct makes every field NULL, whatever the field holds.
            let nulls = NullBuffer::union(fields.nulls(), column.nulls());
            let values = column.as_primitive::<Float64Type>().values().clone();
            Ok(Float64Array::new(values, nulls))
        })
        .collect()
}

/// Whether a customer type says business customer: `B2B` in any case. Anything else, NULL
/// included, is a consumer.
pub(crate) fn is_b2b(customer_type: &StringArray, row: usize) -> bool {
    customer_type.is_valid(row) && customer_type.value(row).eq_ignore_ascii_case("B2B")
}

/// Whether an aggregate's `FILTER (WHERE …)` selects `row`; a NULL filter value does not.
pub(crate) fn selected(filter: Option<&BooleanArray>, row: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(row) && f.value(row))
}

/// The Unix epoch, day 0 of `Date32`.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn to_date(days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        epoch().checked_add_days(Days::new(days as u64))
    } else {
        epoch().checked_sub_days(Days::new(days.unsigned_abs() as u64))
    }
}

fn to_days(date: NaiveDate) -> Option<i32> {
    i32::try_from(date.signed_duration_since(epoch()).num_days()).ok()
}

/// The `Date32` value `months` calendar months after `days` (before, if negative); the day of
/// the month is clamped to the month's length (Jan 31 + 1 month = Feb 28/29), as PostgreSQL's
/// `date + interval 'n months'` does. `None` when out of range.
pub(crate) fn add_months(days: i32, months: i32) -> Option<i32> {
    let date = to_date(days)?;
    let shifted = if months >= 0 {
        date.checked_add_months(Months::new(months as u32))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    }?;
    to_days(shifted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(y: i32, m: u32, d: u32) -> i32 {
        to_days(NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(add_months(days(2024, 1, 31), 1), Some(days(2024, 2, 29)));
        assert_eq!(add_months(days(2024, 6, 30), -3), Some(days(2024, 3, 30)));
        assert_eq!(add_months(days(2024, 5, 31), -3), Some(days(2024, 2, 29)));
        assert_eq!(add_months(days(2023, 6, 15), 12), Some(days(2024, 6, 15)));
        assert_eq!(add_months(days(1969, 12, 31), 1), Some(days(1970, 1, 31)));
        assert_eq!(add_months(i32::MAX, 1), None);
    }

    #[test]
    fn coercion_names_the_parameter() {
        let params = [param("score", Kind::Number), param("flag", Kind::Bool)];
        let got = coerce("f", "f(score [, flag])", &params, 1, &[DataType::Int16]).unwrap();
        assert_eq!(got, vec![DataType::Float64]);
        let err = coerce("f", "f(score [, flag])", &params, 1, &[DataType::Utf8]).unwrap_err();
        assert!(
            err.to_string()
                .contains("f: score must be a number, not Utf8"),
            "{err}"
        );
        let err = coerce("f", "f(score [, flag])", &params, 1, &[]).unwrap_err();
        assert!(
            err.to_string().contains("f takes 1 to 2 arguments"),
            "{err}"
        );
    }
}
