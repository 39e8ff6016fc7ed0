//! `to_char(timestamp | timestamptz | date, template)`: a date or time as text, by
//! PostgreSQL's template patterns (`YYYY-MM`, `Mon DD`, `"Q"Q`, `HH24:MI:SS`, `FMDay`, `DDth`
//! …). DataFusion's own `to_char` takes chrono's `%Y-%m` patterns and returns a PostgreSQL
//! template as itself, so BI tools that group by `to_char(ts, 'YYYY-MM')` would see a single
//! group; this one replaces it. A timestamptz is shown in its type's zone, which the cast
//! rules make the session's.
//!
//! An interval is written by [`super::to_char_interval`], a number (`to_char(1234.5,
//! '9,999.99')`) by its template ([`super::number_template`]). `to_char` of a time is
//! refused with 0A000.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
};
use datafusion::common::{Result, exec_err, not_impl_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::number_template::NumberTemplate;
use super::template::{Case, DAYS, Field, Item, MONTHS, ROMAN, parse};
use super::to_char_interval::render_interval;
use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};
use crate::pgcompat::time_zone::{Zone, write_offset};

const NAME: &str = "to_char";

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Formats a timestamp, timestamptz, date, interval or number as text by a PostgreSQL \
         template. Numbers: 9, 0, ., ,, D, G, S, MI, PL, SG, PR, L, RN, TH, V, EEEE, FM. Dates \
         and times: YYYY, YY, \
         IYYY, CC, Q, MM, Mon, Month, RM, WW, IW, W, DDD, DD, D, ID, Dy, Day, J, HH24, HH12, HH, \
         MI, SS, MS, US, FF1-FF6, SSSS, AM/PM, BC/AD, TZ, OF; the prefix FM drops padding and \
         the suffix TH/th adds an ordinal ending; \"quoted\" text is copied. A timestamptz is \
         shown in UTC.",
        "to_char(value, template)",
    )
    .with_argument("value", "A timestamp, timestamptz, date, interval or number.")
    .with_argument("template", "The PostgreSQL template pattern.")
    .with_sql_example(
        "```sql\n> SELECT to_char(TIMESTAMP '2024-06-30 14:05:00', 'YYYY-\"Q\"Q FMMonth DDth HH12:MI AM');\n+----------------------------------+\n| to_char                          |\n+----------------------------------+\n| 2024-Q2 June 30th 02:05 PM       |\n+----------------------------------+\n```",
    )
    .build()
});

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToChar {
    signature: Signature,
}

impl ToChar {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for ToChar {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [value, template] = arg_types else {
            return exec_err!("{NAME} takes a value and a template");
        };
        let value = match value {
            DataType::Timestamp(_, tz) => DataType::Timestamp(TimeUnit::Microsecond, tz.clone()),
            DataType::Date32 | DataType::Date64 => DataType::Date32,
            DataType::Null => DataType::Timestamp(TimeUnit::Microsecond, None),
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                DataType::Timestamp(TimeUnit::Microsecond, None)
            }
            DataType::Interval(_) | DataType::Duration(_) => {
                DataType::Interval(IntervalUnit::MonthDayNano)
            }
            // Refused by return_type, whose error reaches the client as it is (coercion's
            // would be reworded as a missing function).
            other if other.is_numeric() || is_time(other) => other.clone(),
            other => return exec_err!("function to_char({other}, text) does not exist"),
        };
        if !matches!(
            template,
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null
        ) {
            return exec_err!("to_char's template must be text, not {template}");
        }
        Ok(vec![value, DataType::Utf8])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types.first() {
            Some(other) if is_time(other) => {
                not_impl_err!("to_char of a time is not supported")
            }
            _ => Ok(DataType::Utf8),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        if let DataType::Interval(_) = arrays[0].data_type() {
            return columnar(intervals_to_char(&arrays[0], &arrays[1])?, scalar);
        }
        if arrays[0].data_type().is_numeric() {
            return columnar(numbers_to_char(&arrays[0], &arrays[1])?, scalar);
        }
        let values = cast(
            &arrays[0],
            &DataType::Timestamp(TimeUnit::Microsecond, None),
        )?;
        let values =
            values.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
        let templates = arrays[1].as_string::<i32>();
        let zone = match arrays[0].data_type() {
            DataType::Timestamp(_, Some(zone)) => Some(Zone::parse(zone).unwrap_or(Zone::Fixed(0))),
            _ => None,
        };
        let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
        let mut parsed: Option<(String, Vec<Item>)> = None;
        for row in 0..values.len() {
            if values.is_null(row) || templates.is_null(row) {
                out.append_null();
                continue;
            }
            let template = templates.value(row);
            let Some(at) = DateTime::from_timestamp_micros(values.value(row)) else {
                return exec_err!("timestamp out of range");
            };
            let items = made_for(&mut parsed, template, |t| Ok(parse(t)))?;
            let micros = values.value(row);
            // The abbreviation is looked up only for a template that writes it.
            let names_zone = items.iter().any(|item| {
                matches!(
                    item,
                    Item::Field {
                        field: Field::ZoneName(_),
                        ..
                    }
                )
            });
            let at_zone = zone.map(|zone| AtZone {
                offset_seconds: zone.offset_at(micros),
                abbreviation: match names_zone {
                    true => zone.abbreviation_at(micros),
                    false => String::new(),
                },
            });
            let local = at.naive_utc()
                + chrono::TimeDelta::seconds(
                    at_zone.as_ref().map_or(0, |z| i64::from(z.offset_seconds)),
                );
            out.append_value(render(items, &local, at_zone.as_ref()));
        }
        let array: ArrayRef = Arc::new(out.finish());
        columnar(array, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn is_time(t: &DataType) -> bool {
    matches!(t, DataType::Time32(_) | DataType::Time64(_))
}

/// `to_char(number, template)` of each row: integers and numerics by their exact text,
/// floats as PostgreSQL rounds them.
fn numbers_to_char(values: &ArrayRef, templates: &ArrayRef) -> Result<ArrayRef> {
    let templates = templates.as_string::<i32>();
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
    let mut parsed: Option<(String, NumberTemplate)> = None;
    let (floats, single) = match values.data_type() {
        DataType::Float64 => (Some(cast(values, &DataType::Float64)?), false),
        DataType::Float32 | DataType::Float16 => (Some(cast(values, &DataType::Float64)?), true),
        _ => (None, false),
    };
    // Everything else as numeric_out writes it: integers, and decimals with their scale.
    let texts = match floats {
        None => Some(cast(values, &DataType::Utf8)?),
        Some(_) => None,
    };
    for row in 0..values.len() {
        if values.is_null(row) || templates.is_null(row) {
            out.append_null();
            continue;
        }
        let template = made_for(&mut parsed, templates.value(row), |t| {
            NumberTemplate::parse(t)
                .map_err(|message| SqlError::new(sqlstate::SYNTAX_ERROR, message).into())
        })?;
        let text = match (&floats, &texts) {
            (Some(floats), _) => {
                let value = floats.as_primitive::<Float64Type>().value(row);
                template.format_float(value, single)
            }
            (None, Some(texts)) => template.format_exact(texts.as_string::<i32>().value(row)),
            (None, None) => return exec_err!("to_char has no text of the number"),
        }
        .map_err(|e| datafusion::error::DataFusionError::from(SqlError::new(e.code, e.message)))?;
        out.append_value(text);
    }
    Ok(Arc::new(out.finish()))
}

/// `to_char(interval, template)` of each row.
fn intervals_to_char(values: &ArrayRef, templates: &ArrayRef) -> Result<ArrayRef> {
    let values = cast(values, &DataType::Interval(IntervalUnit::MonthDayNano))?;
    let values = values.as_primitive::<IntervalMonthDayNanoType>();
    let templates = templates.as_string::<i32>();
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
    let mut parsed: Option<(String, Vec<Item>)> = None;
    for row in 0..values.len() {
        if values.is_null(row) || templates.is_null(row) {
            out.append_null();
            continue;
        }
        let items = made_for(&mut parsed, templates.value(row), |t| Ok(parse(t)))?;
        let value = values.value(row);
        let text = render_interval(items, value.months, value.days, value.nanoseconds / 1000)
            .map_err(datafusion::error::DataFusionError::from)?;
        out.append_value(text);
    }
    Ok(Arc::new(out.finish()))
}

/// Where a timestamptz's instant falls in its zone: the offset east of UTC and the zone's
/// abbreviation then.
struct AtZone {
    offset_seconds: i32,
    abbreviation: String,
}

fn render(items: &[Item], at: &NaiveDateTime, zone: Option<&AtZone>) -> String {
    let written: Result<String, std::convert::Infallible> =
        render_with(items, |out, field, fill_mode| {
            Ok(write_field(out, field, fill_mode, at, zone))
        });
    written.unwrap_or_else(|never| match never {})
}

/// A template's text: literals copied, each field written by `write` (which returns the
/// field's number, for a TH suffix).
pub(super) fn render_with<E>(
    items: &[Item],
    mut write: impl FnMut(&mut String, Field, bool) -> Result<Option<i64>, E>,
) -> Result<String, E> {
    let mut out = String::new();
    for item in items {
        match item {
            Item::Literal(text) => out.push_str(text),
            Item::Field {
                field,
                fill_mode,
                ordinal,
            } => {
                let number = write(&mut out, *field, *fill_mode)?;
                if let (Some(case), Some(n)) = (ordinal, number) {
                    push_ordinal_suffix(&mut out, *case, n);
                }
            }
        }
    }
    Ok(out)
}

/// `AM`/`PM` (`A.M.`/`P.M.` with dots), lower-cased unless `upper`.
pub(super) fn push_meridiem(out: &mut String, morning: bool, upper: bool, dots: bool) {
    push_marker(out, morning, ["AM", "PM", "A.M.", "P.M."], upper, dots);
}

/// The first or the second of a pair of markers, plain or dotted, in upper or lower case.
fn push_marker(out: &mut String, first: bool, names: [&str; 4], upper: bool, dots: bool) {
    let text = names[usize::from(!first) + 2 * usize::from(dots)];
    out.push_str(&if upper {
        text.to_string()
    } else {
        text.to_ascii_lowercase()
    });
}

/// The TH suffix of `n` (`st`, `nd`, `rd`, `th`; upper-cased for TH), by its last digits.
fn push_ordinal_suffix(out: &mut String, case: Case, n: i64) {
    let suffix = ordinal_suffix(n.unsigned_abs());
    match case {
        Case::Upper => out.push_str(&suffix.to_ascii_uppercase()),
        _ => out.push_str(suffix),
    }
}

fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    }
}

/// Writes one field; returns its number, for a TH suffix.
fn write_field(
    out: &mut String,
    field: Field,
    fill_mode: bool,
    at: &NaiveDateTime,
    zone: Option<&AtZone>,
) -> Option<i64> {
    let number = |out: &mut String, value: i64, width: usize| {
        if fill_mode {
            out.push_str(&value.to_string());
        } else if value < 0 {
            out.push_str(&format!(
                "-{:0width$}",
                -value,
                width = width.saturating_sub(1)
            ));
        } else {
            out.push_str(&format!("{value:0width$}"));
        }
        Some(value)
    };
    let word = |out: &mut String, text: &str, case: Case, width: usize| {
        let text = match case {
            Case::Upper => text.to_ascii_uppercase(),
            Case::Lower => text.to_ascii_lowercase(),
            Case::Capitalized => text.to_string(),
        };
        if fill_mode {
            out.push_str(&text);
        } else {
            out.push_str(&format!("{text:<width$}"));
        }
        None
    };
    let year = i64::from(at.year());
    let iso = at.iso_week();
    let hour12 = match at.hour() % 12 {
        0 => 12,
        h => i64::from(h),
    };
    match field {
        Field::Year4 => number(out, year, 4),
        Field::YearComma => {
            out.push_str(&format!("{},{:03}", year / 1000, year % 1000));
            Some(year)
        }
        Field::Year3 => number(out, year % 1000, 3),
        Field::Year2 => number(out, year % 100, 2),
        Field::Year1 => number(out, year % 10, 1),
        Field::IsoYear4 => number(out, i64::from(iso.year()), 4),
        Field::IsoYear3 => number(out, i64::from(iso.year()) % 1000, 3),
        Field::IsoYear2 => number(out, i64::from(iso.year()) % 100, 2),
        Field::IsoYear1 => number(out, i64::from(iso.year()) % 10, 1),
        Field::Century => number(out, (year + 99) / 100, 2),
        Field::Quarter => number(out, i64::from(at.month0() / 3 + 1), 1),
        Field::Month => number(out, i64::from(at.month()), 2),
        Field::MonthName(case) => word(out, MONTHS[at.month0() as usize], case, 9),
        Field::MonthAbbrev(case) => word(out, &MONTHS[at.month0() as usize][..3], case, 3),
        Field::RomanMonth(case) => word(out, ROMAN[at.month0() as usize], case, 4),
        Field::WeekOfYear => number(out, i64::from(at.ordinal0() / 7 + 1), 2),
        Field::IsoWeek => number(out, i64::from(iso.week()), 2),
        Field::WeekOfMonth => number(out, i64::from(at.day0() / 7 + 1), 1),
        Field::DayOfYear => number(out, i64::from(at.ordinal()), 3),
        Field::IsoDayOfYear => {
            let weekday = i64::from(at.weekday().number_from_monday());
            number(out, (i64::from(iso.week()) - 1) * 7 + weekday, 3)
        }
        Field::DayOfMonth => number(out, i64::from(at.day()), 2),
        Field::DayOfWeek => number(out, i64::from(at.weekday().number_from_sunday()), 1),
        Field::IsoDayOfWeek => number(out, i64::from(at.weekday().number_from_monday()), 1),
        Field::DayName(case) => word(
            out,
            DAYS[at.weekday().num_days_from_sunday() as usize],
            case,
            9,
        ),
        Field::DayAbbrev(case) => word(
            out,
            &DAYS[at.weekday().num_days_from_sunday() as usize][..3],
            case,
            3,
        ),
        Field::Julian => {
            // Days since 4714-11-24 BC (proleptic Gregorian): 1970-01-01 is day 2440588.
            let days = at
                .date()
                .signed_duration_since(chrono::NaiveDate::default())
                .num_days();
            number(out, days + 2_440_588, 1)
        }
        Field::Hour24 => number(out, i64::from(at.hour()), 2),
        Field::Hour12 => number(out, hour12, 2),
        Field::Minute => number(out, i64::from(at.minute()), 2),
        Field::Second => number(out, i64::from(at.second()), 2),
        Field::Millisecond => number(out, i64::from(at.nanosecond() / 1_000_000), 3),
        Field::Microsecond => number(out, i64::from(at.nanosecond() / 1_000), 6),
        Field::Fraction(digits) => {
            let value = at.nanosecond() / 10u32.pow(9 - digits);
            out.push_str(&format!("{value:0width$}", width = digits as usize));
            Some(i64::from(value))
        }
        Field::SecondsOfDay => number(out, i64::from(at.num_seconds_from_midnight()), 1),
        Field::Meridiem { upper, dots } => {
            push_meridiem(out, at.hour() < 12, upper, dots);
            None
        }
        Field::Era { upper, dots } => {
            push_marker(out, year > 0, ["AD", "BC", "A.D.", "B.C."], upper, dots);
            None
        }
        // A timestamp without time zone has no zone to name; a timestamptz is in its own.
        Field::ZoneName(case) => {
            if let Some(zone) = zone {
                out.push_str(&match case {
                    Case::Lower => zone.abbreviation.to_ascii_lowercase(),
                    _ => zone.abbreviation.clone(),
                });
            }
            None
        }
        Field::ZoneHours => {
            if let Some(zone) = zone {
                let sign = if zone.offset_seconds < 0 { '-' } else { '+' };
                out.push_str(&format!(
                    "{sign}{:02}",
                    zone.offset_seconds.unsigned_abs() / 3600
                ));
            }
            None
        }
        Field::ZoneMinutes => {
            if let Some(zone) = zone {
                out.push_str(&format!(
                    "{:02}",
                    zone.offset_seconds.unsigned_abs() / 60 % 60
                ));
            }
            None
        }
        Field::ZoneOffset => {
            if let Some(zone) = zone {
                write_offset(out, zone.offset_seconds);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(template: &str, at: &str) -> String {
        let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        render(&parse(template), &at, None)
    }

    #[test]
    fn templates_format_as_postgres_does() {
        let at = "2024-06-30 14:05:09.123456";
        assert_eq!(format("YYYY-MM", at), "2024-06");
        assert_eq!(format("YYYY-\"Q\"Q", at), "2024-Q2");
        assert_eq!(format("yyyy-mm-dd hh24:mi:ss", at), "2024-06-30 14:05:09");
        assert_eq!(format("Mon DD, YYYY", at), "Jun 30, 2024");
        assert_eq!(
            format("Month|FMMonth|MONTH|month", at),
            "June     |June|JUNE     |june     "
        );
        assert_eq!(format("Day Dy FMDay D ID", at), "Sunday    Sun Sunday 1 7");
        assert_eq!(format("HH12:MI AM pm", at), "02:05 PM pm");
        assert_eq!(
            format("AD ad A.D. b.c. A.M. p.m.", at),
            "AD ad A.D. a.d. P.M. p.m."
        );
        assert_eq!(
            format("DDth FMDDth ddd IW WW W", at),
            "30th 30th 182 26 26 5"
        );
        assert_eq!(format("MS US FF2 SSSS", at), "123 123456 12 50709");
        assert_eq!(format("FMMM/FMDD/YY CC RM", at), "6/30/24 21 VI  ");
        assert_eq!(format("J", "2024-01-01 00:00:00"), "2460311");
        assert_eq!(format("IYYY-IW-ID", "2021-01-03 00:00:00"), "2020-53-7");
        assert_eq!(format("FMDDth FMDDth", "2024-01-02 00:00:00"), "2nd 2nd");
        assert_eq!(format("FMDDth", "2024-01-13 00:00:00"), "13th");
        assert_eq!(format("HH12 AM", "2024-01-01 00:30:00"), "12 AM");
        assert_eq!(format("\"Week \"IW \\\"x\\\"", at), "Week 26 \"x\"");
    }
}
