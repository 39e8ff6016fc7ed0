//! `to_date(text, template)` and `to_timestamp(text, template)`: text read by PostgreSQL's
//! template patterns (`DD Mon YYYY`, `YYYYMMDD`, `DD/MM/YYYY HH24:MI:SS`, `HH12:MI AM`), and
//! `to_timestamp(seconds)`, the instant that many seconds after 1970-01-01 UTC. DataFusion's
//! functions of these names take chrono's `%Y-%m-%d`; these replace them.
//!
//! Read as PostgreSQL reads without FX: spaces before a field are skipped, a separator in
//! the template matches one separator of the text (or none), a number may have fewer digits
//! when a non-digit follows, names (`Mon`, `Month`, `Dy`, `AM`) in any case, and the text may
//! end early (the fields not read are the first month, the first day, midnight, the year
//! 1 BC). `YY` is the
//! year nearest 2020. A timestamp is the wall-clock time in the session's zone. Fields that
//! only write (`Q`, `WW`, `IW`, `J`, `TZ`, `OF` …) are refused with 0A000; a value out of its
//! range is 22008, text that does not fit the template 22007, as in PostgreSQL.

use std::sync::{Arc, LazyLock};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use datafusion::arrow::array::{Array, AsArray, Date32Builder, TimestampMicrosecondBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Field as ArrowField, FieldRef, Float64Type, TimeUnit,
};
use datafusion::common::config::ConfigOptions;
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, TypeSignature, Volatility,
};

use super::template::{DAYS, Field, Item, MONTHS, parse};
use super::{DOC_SECTION, all_scalar, columnar, made_for};
use crate::error::{SqlError, sqlstate};
use crate::pgcompat::time_zone::Zone;

static TO_DATE: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(DOC_SECTION, "Text read as a date by a PostgreSQL template pattern.", "to_date(text, template)")
        .with_sql_example("```sql\n> SELECT to_date('05 Dec 2000', 'DD Mon YYYY');\n+------------+\n| to_date    |\n+------------+\n| 2000-12-05 |\n+------------+\n```")
        .build()
});
static TO_TIMESTAMP: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Text read as a timestamptz by a PostgreSQL template pattern (the wall-clock time in the session's zone), or seconds since 1970-01-01 UTC as a timestamptz.",
        "to_timestamp(text, template) | to_timestamp(seconds)",
    )
    .with_sql_example("```sql\n> SELECT to_timestamp('2024-06-30 14:05', 'YYYY-MM-DD HH24:MI');\n```")
    .build()
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Reads {
    Date,
    Timestamp,
}

#[derive(Debug)]
pub struct ToTimestamp {
    name: &'static str,
    reads: Reads,
    /// The session's zone (`execution.time_zone`), which a timestamptz is typed in.
    zone: Option<Arc<str>>,
    signature: Signature,
}

known_by_name!(ToTimestamp);

impl ToTimestamp {
    pub fn all(config: &ConfigOptions) -> Vec<ToTimestamp> {
        [Reads::Date, Reads::Timestamp]
            .into_iter()
            .map(|reads| Self::new(reads, config))
            .collect()
    }

    fn new(reads: Reads, config: &ConfigOptions) -> Self {
        let signature = match reads {
            Reads::Date => Signature::string(2, Volatility::Stable),
            Reads::Timestamp => Signature::one_of(
                vec![
                    TypeSignature::String(2),
                    TypeSignature::Exact(vec![DataType::Float64]),
                ],
                Volatility::Stable,
            ),
        };
        ToTimestamp {
            name: match reads {
                Reads::Date => "to_date",
                Reads::Timestamp => "to_timestamp",
            },
            reads,
            zone: config.execution.time_zone.as_deref().map(Arc::from),
            signature,
        }
    }

    fn zone_type(&self) -> Option<Arc<str>> {
        Some(self.zone.clone().unwrap_or_else(|| Arc::from("+00:00")))
    }
}

impl ScalarUDFImpl for ToTimestamp {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.reads {
            Reads::Date => DataType::Date32,
            Reads::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, self.zone_type()),
        })
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(ArrowField::new(
            self.name,
            self.return_type(&[])?,
            true,
        )))
    }

    fn with_updated_config(&self, config: &ConfigOptions) -> Option<ScalarUDF> {
        Some(ScalarUDF::new_from_impl(Self::new(self.reads, config)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let zone_name = self.zone_type().unwrap_or_else(|| Arc::from("+00:00"));
        if let [seconds] = args.args.as_slice() {
            return self.epoch_seconds(seconds, rows, scalar, &zone_name);
        }
        let [text, template] = args.args.as_slice() else {
            return exec_err!("{} takes a text and a template", self.name);
        };
        let text = cast(&text.to_array(rows)?, &DataType::Utf8)?;
        let template = cast(&template.to_array(rows)?, &DataType::Utf8)?;
        let (text, template) = (text.as_string::<i32>(), template.as_string::<i32>());
        let zone = Zone::parse(&zone_name).unwrap_or(Zone::Fixed(0));
        let mut items: Option<(String, Vec<Item>)> = None;
        let mut dates = Date32Builder::with_capacity(rows);
        let mut stamps = TimestampMicrosecondBuilder::with_capacity(rows).with_timezone(zone_name);
        for row in 0..rows {
            if text.is_null(row) || template.is_null(row) {
                dates.append_null();
                stamps.append_null();
                continue;
            }
            let items = made_for(&mut items, template.value(row), |t| Ok(parse(t)))?;
            let at = read(text.value(row), items, self.reads).map_err(DataFusionError::from)?;
            match self.reads {
                Reads::Date => dates.append_value(
                    (at.date() - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days()
                        as i32,
                ),
                Reads::Timestamp => stamps.append_value(instant_of(at, &zone)),
            }
        }
        match self.reads {
            Reads::Date => columnar(Arc::new(dates.finish()), scalar),
            Reads::Timestamp => columnar(Arc::new(stamps.finish()), scalar),
        }
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(match self.reads {
            Reads::Date => &TO_DATE,
            Reads::Timestamp => &TO_TIMESTAMP,
        })
    }
}

impl ToTimestamp {
    /// `to_timestamp(seconds)`: microseconds rounded as PostgreSQL rounds them.
    fn epoch_seconds(
        &self,
        seconds: &ColumnarValue,
        rows: usize,
        scalar: bool,
        zone: &Arc<str>,
    ) -> Result<ColumnarValue> {
        let seconds = cast(&seconds.to_array(rows)?, &DataType::Float64)?;
        let seconds = seconds.as_primitive::<Float64Type>();
        let mut stamps =
            TimestampMicrosecondBuilder::with_capacity(rows).with_timezone(Arc::clone(zone));
        for value in seconds.iter() {
            match value {
                None => stamps.append_null(),
                Some(s) if !s.is_finite() || s.abs() > 9.2e12 => {
                    return Err(DataFusionError::from(SqlError::new(
                        sqlstate::DATETIME_FIELD_OVERFLOW,
                        format!("timestamp out of range: \"{s}\""),
                    )));
                }
                Some(s) => stamps.append_value((s * 1e6).round() as i64),
            }
        }
        columnar(Arc::new(stamps.finish()), scalar)
    }
}

/// The UTC instant of a wall-clock time in `zone` (the earlier of two in a repeated hour).
fn instant_of(local: NaiveDateTime, zone: &Zone) -> i64 {
    let local_micros = local.and_utc().timestamp_micros();
    let guess = local_micros - i64::from(zone.offset_at(local_micros)) * 1_000_000;
    local_micros - i64::from(zone.offset_at(guess)) * 1_000_000
}

/// What the fields read so far say.
#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    day_of_year: Option<u32>,
    hour: Option<u32>,
    twelve_hour: bool,
    pm: Option<bool>,
    minute: Option<u32>,
    second: Option<u32>,
    micros: Option<u32>,
}

fn bad_format(message: String) -> SqlError {
    SqlError::new(sqlstate::INVALID_DATETIME_FORMAT, message)
}

fn out_of_range(text: &str) -> SqlError {
    SqlError::new(
        sqlstate::DATETIME_FIELD_OVERFLOW,
        format!("date/time field value out of range: \"{text}\""),
    )
}

/// The pattern's name as PostgreSQL's messages quote it.
fn pattern_name(field: Field) -> &'static str {
    match field {
        Field::Year4 => "YYYY",
        Field::YearComma => "Y,YYY",
        Field::Year3 => "YYY",
        Field::Year2 => "YY",
        Field::Year1 => "Y",
        Field::Month => "MM",
        Field::MonthName(_) => "Month",
        Field::MonthAbbrev(_) => "Mon",
        Field::DayOfMonth => "DD",
        Field::DayOfYear => "DDD",
        Field::Hour24 => "HH24",
        Field::Hour12 => "HH12",
        Field::Minute => "MI",
        Field::Second => "SS",
        Field::Millisecond => "MS",
        Field::Microsecond => "US",
        Field::Fraction(_) => "FF",
        _ => "field",
    }
}

/// Reads `text` by `items` into a wall-clock time.
fn read(text: &str, items: &[Item], reads: Reads) -> Result<NaiveDateTime, SqlError> {
    let mut parts = Parts::default();
    let mut rest = text;
    for item in items {
        if rest.is_empty() {
            break;
        }
        match item {
            Item::Literal(literal) => {
                for c in literal.chars() {
                    if c.is_whitespace() {
                        rest = rest.trim_start();
                    } else if !c.is_alphanumeric() {
                        // A separator matches one separator of the text, or none.
                        if let Some(next) = rest.chars().next()
                            && !next.is_alphanumeric()
                            && !next.is_whitespace()
                        {
                            rest = &rest[next.len_utf8()..];
                        }
                    } else if let Some(next) = rest.chars().next() {
                        rest = &rest[next.len_utf8()..];
                    }
                }
            }
            Item::Field { field, .. } => {
                rest = rest.trim_start();
                rest = read_field(*field, rest, &mut parts, reads)?;
            }
        }
    }
    assemble(&parts, text)
}

/// Up to `width` digits (fewer where a non-digit follows); the value and what is left.
fn digits(field: Field, text: &str, width: usize) -> Result<(u32, &str), SqlError> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) if matches!(field, Field::Year4) => (true, rest),
        _ => (false, text),
    };
    let count = body
        .bytes()
        .take(width)
        .take_while(u8::is_ascii_digit)
        .count();
    if count == 0 {
        let shown: String = text.chars().take(width.max(1)).collect();
        return Err(bad_format(format!(
            "invalid value \"{shown}\" for \"{}\"",
            pattern_name(field)
        )));
    }
    let value: u32 = body[..count].parse().map_err(|_| {
        bad_format(format!(
            "value for \"{}\" is too large",
            pattern_name(field)
        ))
    })?;
    if negative {
        return Err(bad_format(
            "a negative year is not supported: write BC".to_string(),
        ));
    }
    Ok((value, &body[count..]))
}

/// The name at the start of `text` among `names` (compared without case, `len` letters of
/// each when abbreviated); its index and what is left.
fn name<'a>(
    field: Field,
    text: &'a str,
    names: &[&str],
    len: Option<usize>,
) -> Result<(usize, &'a str), SqlError> {
    for (i, full) in names.iter().enumerate() {
        let wanted = match len {
            Some(n) => &full[..n],
            None => full,
        };
        if let Some(head) = text.get(..wanted.len())
            && head.eq_ignore_ascii_case(wanted)
        {
            return Ok((i, &text[wanted.len()..]));
        }
    }
    let shown: String = text.chars().take_while(|c| c.is_alphabetic()).collect();
    Err(bad_format(format!(
        "invalid value \"{shown}\" for \"{}\"",
        pattern_name(field)
    )))
}

fn read_field<'a>(
    field: Field,
    text: &'a str,
    parts: &mut Parts,
    reads: Reads,
) -> Result<&'a str, SqlError> {
    let set = |slot: &mut Option<u32>, value: u32| *slot = Some(value);
    Ok(match field {
        Field::Year4 | Field::Year3 | Field::Year2 | Field::Year1 => {
            let width = match field {
                Field::Year4 => 4,
                Field::Year3 => 3,
                Field::Year2 => 2,
                _ => 1,
            };
            let (value, rest) = digits(field, text, width)?;
            let read = text.len() - rest.len();
            let value = value as i32;
            // A pattern and a year of fewer than four digits: the year nearest 2020.
            let year = match (width < 4 && read < 4, value) {
                (false, _) => value,
                (true, 0..70) => value + 2000,
                (true, 70..100) => value + 1900,
                (true, 100..520) => value + 2000,
                (true, _) => value + 1000,
            };
            parts.year = Some(year);
            rest
        }
        Field::YearComma => {
            let (thousands, rest) = digits(field, text, 3)?;
            let rest = rest.strip_prefix(',').unwrap_or(rest);
            let (units, rest) = digits(field, rest, 3)?;
            parts.year = Some((thousands * 1000 + units) as i32);
            rest
        }
        Field::Month => {
            let (value, rest) = digits(field, text, 2)?;
            set(&mut parts.month, value);
            rest
        }
        Field::MonthName(_) | Field::MonthAbbrev(_) => {
            let len = matches!(field, Field::MonthAbbrev(_)).then_some(3);
            let (index, rest) = name(field, text, &MONTHS, len)?;
            set(&mut parts.month, index as u32 + 1);
            rest
        }
        Field::DayName(_) | Field::DayAbbrev(_) => {
            // Read and not used, as PostgreSQL does.
            let len = matches!(field, Field::DayAbbrev(_)).then_some(3);
            name(field, text, &DAYS, len)?.1
        }
        Field::DayOfMonth => {
            let (value, rest) = digits(field, text, 2)?;
            set(&mut parts.day, value);
            rest
        }
        Field::DayOfYear => {
            let (value, rest) = digits(field, text, 3)?;
            set(&mut parts.day_of_year, value);
            rest
        }
        Field::Hour24 | Field::Hour12 | Field::Minute | Field::Second if reads == Reads::Date => {
            digits(field, text, 2)?.1
        }
        Field::Hour24 => {
            let (value, rest) = digits(field, text, 2)?;
            set(&mut parts.hour, value);
            rest
        }
        Field::Hour12 => {
            let (value, rest) = digits(field, text, 2)?;
            if !(1..=12).contains(&value) {
                return Err(SqlError::new(
                    sqlstate::DATETIME_FIELD_OVERFLOW,
                    format!("hour \"{value}\" is invalid for the 12-hour clock"),
                )
                .with_hint("Use the 24-hour clock, or give an hour between 1 and 12."));
            }
            parts.twelve_hour = true;
            set(&mut parts.hour, value);
            rest
        }
        Field::Minute => {
            let (value, rest) = digits(field, text, 2)?;
            set(&mut parts.minute, value);
            rest
        }
        Field::Second => {
            let (value, rest) = digits(field, text, 2)?;
            set(&mut parts.second, value);
            rest
        }
        Field::Millisecond | Field::Microsecond | Field::Fraction(_) => {
            let width = match field {
                Field::Millisecond => 3,
                Field::Microsecond => 6,
                Field::Fraction(n) => n as usize,
                _ => 6,
            };
            let (value, rest) = digits(field, text, width)?;
            let read = (text.len() - rest.len()) as u32;
            // The digits are a fraction of a second, as written: `.5` is half of one for
            // MS as for US.
            let micros = match field {
                Field::Millisecond => value * 10u32.pow(3 - read.min(3)) * 1000,
                _ => value * 10u32.pow(6 - read.min(6)),
            };
            parts.micros = Some(parts.micros.unwrap_or(0) + micros);
            rest
        }
        Field::Meridiem { .. } => {
            let (index, rest) = name(field, text, &["A.M.", "P.M.", "AM", "PM"], None)?;
            parts.pm = Some(index % 2 == 1);
            rest
        }
        other => {
            return Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                format!(
                    "the template pattern {other:?} is not supported in to_date and to_timestamp: custlake reads years, months, days, hours, minutes, seconds, fractions, AM/PM and day names"
                ),
            ));
        }
    })
}

fn assemble(parts: &Parts, text: &str) -> Result<NaiveDateTime, SqlError> {
    // No year read is PostgreSQL's year 0, 1 BC.
    let year = parts.year.unwrap_or(0);
    let date = match parts.day_of_year {
        Some(day) if parts.month.is_none() && parts.day.is_none() => {
            NaiveDate::from_yo_opt(year, day)
        }
        _ => NaiveDate::from_ymd_opt(year, parts.month.unwrap_or(1), parts.day.unwrap_or(1)),
    }
    .ok_or_else(|| out_of_range(text))?;
    let mut hour = parts.hour.unwrap_or(0);
    if parts.twelve_hour || parts.pm.is_some() {
        if hour > 12 {
            return Err(out_of_range(text));
        }
        hour %= 12;
        if parts.pm == Some(true) {
            hour += 12;
        }
    }
    let time = NaiveTime::from_hms_micro_opt(
        hour,
        parts.minute.unwrap_or(0),
        parts.second.unwrap_or(0),
        parts.micros.unwrap_or(0),
    )
    .ok_or_else(|| out_of_range(text))?;
    Ok(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, template: &str) -> String {
        read(text, &parse(template), Reads::Timestamp)
            .unwrap()
            .to_string()
    }

    #[test]
    fn templates_read_as_postgres_reads_them() {
        assert_eq!(at("05 Dec 2000", "DD Mon YYYY"), "2000-12-05 00:00:00");
        assert_eq!(at("20240115", "YYYYMMDD"), "2024-01-15 00:00:00");
        assert_eq!(
            at("30/06/2024 14:05:09", "DD/MM/YYYY HH24:MI:SS"),
            "2024-06-30 14:05:09"
        );
        assert_eq!(at("2024-6-3", "YYYY-MM-DD"), "2024-06-03 00:00:00");
        assert_eq!(
            at("02:05 pm 1 july 24", "HH12:MI AM DD Month YY"),
            "2024-07-01 14:05:00"
        );
        assert_eq!(at("2024", "YYYY-MM-DD"), "2024-01-01 00:00:00");
        assert_eq!(
            at("2024-06-30 12:00:00.25", "YYYY-MM-DD HH24:MI:SS.US"),
            "2024-06-30 12:00:00.250"
        );
    }

    #[test]
    fn bad_text_is_refused_with_postgres_codes() {
        let err = |text: &str, template: &str| {
            read(text, &parse(template), Reads::Date).unwrap_err().code
        };
        assert_eq!(err("2024-13-01", "YYYY-MM-DD"), "22008");
        assert_eq!(err("2024-02-30", "YYYY-MM-DD"), "22008");
        assert_eq!(err("xx Dec 2000", "DD Mon YYYY"), "22007");
        assert_eq!(err("05 Foo 2000", "DD Mon YYYY"), "22007");
        assert_eq!(err("2024 Q1", "YYYY Q"), "0A000");
    }
}
