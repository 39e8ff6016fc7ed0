//! Time zone names as PostgreSQL takes them — in `SET TimeZone`, the startup packet and
//! `AT TIME ZONE` — resolved once into the name `SHOW TimeZone` reports and the zone Arrow
//! computes in. IANA names are taken in any letter case (`asia/shanghai` is
//! `Asia/Shanghai`); the names of UTC as UTC. Numeric offsets are refused: PostgreSQL reads
//! `'+08:00'` as a POSIX zone eight hours *west* of Greenwich, which is seldom what was meant
//! and which custlake does not imitate.

use std::str::FromStr;

use datafusion::arrow::array::timezone::Tz;

/// A zone by name.
#[derive(Debug, Clone)]
pub struct TimeZone {
    /// As `SHOW TimeZone` and ParameterStatus report it.
    pub name: String,
    /// As an Arrow timestamp type names it (`+00:00` for UTC).
    pub arrow: String,
    pub tz: Tz,
}

/// Why a name is not a zone custlake can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneError {
    Offset,
    Unknown,
}

impl ZoneError {
    /// The message's tail after the zone's name.
    pub fn reason(&self) -> &'static str {
        match self {
            ZoneError::Offset => {
                "is a numeric offset, which is not supported: name the zone, e.g. \
                 'Asia/Shanghai' or 'Etc/GMT-8'"
            }
            ZoneError::Unknown => "is not recognized",
        }
    }
}

const UTC_NAMES: [&str; 6] = ["UTC", "ETC/UTC", "Z", "ZULU", "UNIVERSAL", "ETC/UNIVERSAL"];

/// The zone `name` names.
pub fn resolve(name: &str) -> Result<TimeZone, ZoneError> {
    let trimmed = name.trim();
    if trimmed.starts_with(['+', '-']) || trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(ZoneError::Offset);
    }
    let upper = trimmed.to_ascii_uppercase();
    if UTC_NAMES.contains(&upper.as_str()) {
        return Ok(utc());
    }
    for candidate in [trimmed.to_string(), capitalised(trimmed), upper] {
        if let Ok(tz) = Tz::from_str(&candidate) {
            return Ok(TimeZone {
                arrow: candidate.clone(),
                name: candidate,
                tz,
            });
        }
    }
    Err(ZoneError::Unknown)
}

/// UTC, custlake's default zone.
pub fn utc() -> TimeZone {
    TimeZone {
        name: "UTC".to_string(),
        arrow: "+00:00".to_string(),
        tz: Tz::from_str("+00:00").expect("+00:00 is a zone"),
    }
}

/// Whether an Arrow timestamp type's zone is UTC.
pub fn is_utc(arrow_zone: &str) -> bool {
    matches!(
        arrow_zone,
        "+00:00" | "+00" | "+0000" | "Z" | "UTC" | "Etc/UTC"
    )
}

/// An Arrow timestamp type's zone, parsed once to place many instants.
#[derive(Debug, Clone, Copy)]
pub enum Zone {
    Named(chrono_tz::Tz),
    /// Seconds east of UTC.
    Fixed(i32),
}

impl Zone {
    /// The zone an Arrow type names; `None` for one Arrow would not take either.
    pub fn parse(arrow_zone: &str) -> Option<Zone> {
        use chrono::{Offset, TimeZone as _};
        if let Ok(named) = arrow_zone.parse::<chrono_tz::Tz>() {
            return Some(Zone::Named(named));
        }
        let fixed = Tz::from_str(arrow_zone).ok()?;
        let epoch = chrono::DateTime::UNIX_EPOCH.naive_utc();
        Some(Zone::Fixed(
            fixed
                .offset_from_utc_datetime(&epoch)
                .fix()
                .local_minus_utc(),
        ))
    }

    /// Seconds east of UTC at the instant `utc_micros`.
    pub fn offset_at(&self, utc_micros: i64) -> i32 {
        use chrono::{Offset, TimeZone as _};
        match self {
            Zone::Fixed(seconds) => *seconds,
            Zone::Named(tz) => chrono::DateTime::from_timestamp_micros(utc_micros).map_or(0, |t| {
                tz.offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc()
            }),
        }
    }

    /// The zone's abbreviation at `utc_micros` (`CST`, `EDT`), as `to_char`'s TZ writes it.
    pub fn abbreviation_at(&self, utc_micros: i64) -> String {
        use chrono::TimeZone as _;
        use chrono_tz::OffsetName;
        match self {
            Zone::Fixed(0) => "UTC".to_string(),
            Zone::Fixed(seconds) => {
                let mut out = String::new();
                write_offset(&mut out, *seconds);
                out
            }
            Zone::Named(tz) => chrono::DateTime::from_timestamp_micros(utc_micros)
                .and_then(|t| {
                    tz.offset_from_utc_datetime(&t.naive_utc())
                        .abbreviation()
                        .map(str::to_string)
                })
                .unwrap_or_default(),
        }
    }
}

/// An offset as PostgreSQL writes it after a timestamptz: `+08`, `+05:30`, `-03:30`, with the
/// seconds only where there are some (`+00:19:32`).
pub fn write_offset(out: &mut String, offset_seconds: i32) {
    use std::fmt::Write;
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let total = offset_seconds.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    let _ = write!(out, "{sign}{hours:02}");
    if minutes != 0 || seconds != 0 {
        let _ = write!(out, ":{minutes:02}");
    }
    if seconds != 0 {
        let _ = write!(out, ":{seconds:02}");
    }
}

/// `america/new_york` as the database spells it: `America/New_York`.
fn capitalised(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        out.push(if start {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        start = matches!(c, '/' | '_' | '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_in_any_case() {
        assert_eq!(resolve("asia/shanghai").unwrap().name, "Asia/Shanghai");
        assert_eq!(
            resolve("America/New_York").unwrap().arrow,
            "America/New_York"
        );
        assert_eq!(
            resolve("america/new_york").unwrap().name,
            "America/New_York"
        );
        assert_eq!(resolve("Etc/GMT-8").unwrap().name, "Etc/GMT-8");
        assert_eq!(resolve(" utc ").unwrap().arrow, "+00:00");
        assert_eq!(resolve("+08:00").unwrap_err(), ZoneError::Offset);
        assert_eq!(resolve("Mars/Olympus").unwrap_err(), ZoneError::Unknown);
    }

    #[test]
    fn offsets_are_written_as_postgres_writes_them() {
        let zone = |name: &str| Zone::parse(name).unwrap();
        // 2024-06-30 12:00:00 UTC and 2024-01-30 12:00:00 UTC.
        let (summer, winter) = (1_719_748_800_000_000, 1_706_616_000_000_000);
        assert_eq!(zone("Asia/Shanghai").offset_at(summer), 8 * 3600);
        assert_eq!(zone("Asia/Shanghai").abbreviation_at(summer), "CST");
        assert_eq!(zone("America/New_York").offset_at(winter), -5 * 3600);
        assert_eq!(zone("America/New_York").abbreviation_at(summer), "EDT");
        assert_eq!(zone("+00:00").abbreviation_at(summer), "UTC");
        assert_eq!(zone("+05:30").offset_at(summer), 19_800);
        let written = |seconds| {
            let mut out = String::new();
            write_offset(&mut out, seconds);
            out
        };
        assert_eq!(written(8 * 3600), "+08");
        assert_eq!(written(19_800), "+05:30");
        assert_eq!(written(-12_600), "-03:30");
        assert_eq!(written(1_172), "+00:19:32");
    }
}
