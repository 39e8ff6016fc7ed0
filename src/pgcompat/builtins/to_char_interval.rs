//! `to_char(interval, template)` as PostgreSQL writes it. The interval is split as
//! PostgreSQL's `interval2tm` splits it — years and months from its months, its days as they
//! are, hours (not wrapped at 24), minutes, seconds and the fraction from its time — each
//! part keeping the interval's sign, and the template's numeric fields write those parts:
//! `to_char(interval '15h 2m 12s', 'HH24:MI:SS')` is `15:02:12`, and a negative part is
//! written with its sign inside the field's width as PostgreSQL's printf does (`-05`).
//!
//! Fields that name calendar things (month and day names, the zone, the era) are refused
//! with PostgreSQL's 22007; those whose value for an interval PostgreSQL derives from a
//! calendar (ISO year and week, week numbers, the Julian day, Roman months) with 0A000.

use super::template::{Field, Item};
use crate::error::{SqlError, sqlstate};

/// An interval's parts, each with the interval's sign where it has one.
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    /// Microseconds of the second.
    micros: i64,
}

impl Parts {
    fn of(months: i32, days: i32, micros: i64) -> Parts {
        let months = i64::from(months);
        Parts {
            year: months / 12,
            month: months % 12,
            day: i64::from(days),
            hour: micros / 3_600_000_000,
            minute: micros / 60_000_000 % 60,
            second: micros / 1_000_000 % 60,
            micros: micros % 1_000_000,
        }
    }
}

/// Renders `items` for an interval of `months`, `days` and `micros`.
pub(super) fn render_interval(
    items: &[Item],
    months: i32,
    days: i32,
    micros: i64,
) -> Result<String, SqlError> {
    let parts = Parts::of(months, days, micros);
    super::to_char::render_with(items, |out, field, fill_mode| {
        write_field(out, field, fill_mode, &parts)
    })
}

/// `%0*d` of `value`: at least `width` characters, a minus sign counted among them.
fn padded(out: &mut String, value: i64, width: usize, fill_mode: bool) {
    let width = if fill_mode { 0 } else { width };
    out.push_str(&format!("{value:0width$}"));
}

/// Writes one field; returns its number, for a TH suffix.
fn write_field(
    out: &mut String,
    field: Field,
    fill_mode: bool,
    parts: &Parts,
) -> Result<Option<i64>, SqlError> {
    // The width PostgreSQL gives these grows by one for a negative value.
    let signed = |out: &mut String, value: i64, digits: usize| {
        padded(out, value, digits + usize::from(value < 0), fill_mode);
        Ok(Some(value))
    };
    let plain = |out: &mut String, value: i64, width: usize| {
        padded(out, value, width, fill_mode);
        Ok(Some(value))
    };
    let hour12 = match parts.hour % 12 {
        0 => 12,
        h => h,
    };
    match field {
        Field::Year4 => signed(out, parts.year, 4),
        Field::Year3 => signed(out, parts.year % 1000, 3),
        Field::Year2 => signed(out, parts.year % 100, 2),
        Field::Year1 => signed(out, parts.year % 10, 1),
        Field::YearComma => {
            out.push_str(&format!("{},{:03}", parts.year / 1000, parts.year % 1000));
            Ok(Some(parts.year))
        }
        Field::Century => plain(out, parts.year / 100, 2),
        // PostgreSQL writes no quarter for an interval of whole years.
        Field::Quarter if parts.month == 0 => Ok(None),
        Field::Quarter => plain(out, (parts.month - 1) / 3 + 1, 1),
        Field::Month => signed(out, parts.month, 2),
        Field::DayOfMonth => plain(out, parts.day, 2),
        // Its total span in days, a month counted as 30 days.
        Field::DayOfYear => plain(out, (parts.year * 12 + parts.month) * 30 + parts.day, 3),
        Field::Hour24 => signed(out, parts.hour, 2),
        Field::Hour12 => signed(out, hour12, 2),
        Field::Minute => signed(out, parts.minute, 2),
        Field::Second => signed(out, parts.second, 2),
        Field::Millisecond => plain(out, parts.micros / 1000, 3),
        Field::Microsecond => plain(out, parts.micros, 6),
        Field::Fraction(digits) => {
            let value = parts.micros / 10i64.pow(6u32.saturating_sub(digits));
            padded(out, value, digits as usize, false);
            Ok(Some(value))
        }
        Field::SecondsOfDay => plain(out, parts.hour * 3600 + parts.minute * 60 + parts.second, 0),
        Field::Meridiem { upper, dots } => {
            super::to_char::push_meridiem(out, parts.hour % 24 < 12, upper, dots);
            Ok(None)
        }
        Field::MonthName(_)
        | Field::MonthAbbrev(_)
        | Field::DayName(_)
        | Field::DayAbbrev(_)
        | Field::DayOfWeek
        | Field::IsoDayOfWeek
        | Field::Era { .. }
        | Field::ZoneName(_)
        | Field::ZoneHours
        | Field::ZoneMinutes
        | Field::ZoneOffset => Err(SqlError::new(
            sqlstate::INVALID_DATETIME_FORMAT,
            "invalid format specification for an interval value (intervals are not tied to \
             specific calendar dates)",
        )),
        Field::IsoYear4
        | Field::IsoYear3
        | Field::IsoYear2
        | Field::IsoYear1
        | Field::RomanMonth(_)
        | Field::WeekOfYear
        | Field::IsoWeek
        | Field::WeekOfMonth
        | Field::IsoDayOfYear
        | Field::Julian => Err(SqlError::new(
            sqlstate::FEATURE_NOT_SUPPORTED,
            "to_char of an interval does not support ISO years and weeks, week numbers, Julian \
             days or Roman months",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::template::parse;
    use super::*;

    const HOUR: i64 = 3_600_000_000;
    const MINUTE: i64 = 60_000_000;
    const SECOND: i64 = 1_000_000;

    fn format(template: &str, months: i32, days: i32, micros: i64) -> String {
        render_interval(&parse(template), months, days, micros).expect("renders")
    }

    /// Expected values from PostgreSQL 15.
    #[test]
    fn intervals_format_as_postgres_does() {
        let t = 15 * HOUR + 2 * MINUTE + 12 * SECOND;
        assert_eq!(format("HH24:MI:SS", 0, 0, t), "15:02:12");
        let negative = -(14 * HOUR + 57 * MINUTE + 47 * SECOND + 500_000);
        assert_eq!(
            format("HH24:MI:SS.MS HH12 HH", 0, 0, negative),
            "-14:-57:-47.-500 -02 -02"
        );
        assert_eq!(
            format("YYYY MM DD HH24 DDD YY Y CC Q", 26, 40, 30 * HOUR),
            "0002 02 40 30 820 02 2 00 1"
        );
        assert_eq!(
            format("DD HH24 HH12 FMHH24 SSSS AM", 0, -3, -5 * HOUR),
            "-3 -05 -05 -5 -18000 AM"
        );
        assert_eq!(format("HH12 HH AM PM", 0, 0, 0), "12 12 AM AM");
        assert_eq!(
            format(
                "HH24 FMHH24 SSSS US FF3 MI SS",
                0,
                0,
                100 * HOUR + 5 * MINUTE
            ),
            "100 100 360300 000000 000 05 00"
        );
        assert_eq!(
            format("YYYY MM YY Y CC Q DDD", -14, 0, 0),
            "-0001 -02 -01 -1 00 0 -420"
        );
        assert_eq!(
            format("SS MS US FF2", 0, 0, -1_500_000),
            "-01 -500 -500000 -50"
        );
        assert_eq!(format("HH12 AM", 0, 0, 25 * HOUR), "01 AM");
        assert_eq!(format("Y,YYY", 12, 0, 0), "0,001");
        assert_eq!(format("Q|YYY|Y,YYY|MM", -17, 0, 0), "-1|-001|0,-01|-05");
        assert_eq!(format("Q|MM", 12, 0, 0), "|00");
        assert_eq!(
            format("SSSS HH24 HH", 0, 0, -100 * HOUR),
            "-360000 -100 -04"
        );
        assert_eq!(
            format("FMHH24 FMMI FMSS FMDD", 0, 0, -100 * HOUR),
            "-100 0 0 0"
        );
        assert_eq!(format("DDth HH24th", 0, 3, 4 * HOUR), "03rd 04th");
        assert_eq!(
            format("HH24th SSSSth", 0, 0, -(HOUR + 55 * MINUTE)),
            "-01st -6900th"
        );
        assert_eq!(format("DD FMDD DDD", 0, -5, 0), "-5 -5 -05");
        assert_eq!(
            format(
                "HH:MI:SS.FF1 FF4 FF6 US MS am a.m. PM",
                0,
                0,
                HOUR + 30 * MINUTE + 4_123_456
            ),
            "01:30:04.1 1234 123456 123456 123 am a.m. AM"
        );
        assert_eq!(
            format("YYYY Y,YYY CC", 123_456 * 12, 0, 0),
            "123456 123,456 1234"
        );
    }

    #[test]
    fn calendar_fields_are_refused() {
        let code = |template: &str| {
            render_interval(&parse(template), 2, 3, 0)
                .map_err(|e| e.code)
                .err()
        };
        assert_eq!(code("Mon"), Some(sqlstate::INVALID_DATETIME_FORMAT));
        assert_eq!(code("TZH"), Some(sqlstate::INVALID_DATETIME_FORMAT));
        assert_eq!(code("IW"), Some(sqlstate::FEATURE_NOT_SUPPORTED));
        assert_eq!(code("HH24"), None);
    }
}
