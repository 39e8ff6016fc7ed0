//! The session settings of custlake's functions, as a DataFusion config extension under the
//! prefix `custlake`: `custlake.as_of`, the date [`as_of()`](crate::common::as_of) answers, and the
//! lead times of [`repurchase_reminder_date`](crate::repurchase::repurchase_reminder_date), in days before the
//! due date, `custlake.reminder_lead_days_b2c` (3) and `custlake.reminder_lead_days_b2b` (14).
//!
//! Analyses of a lake are usually "as of" a date — the snapshot's cut-off, a month end — not as
//! of the moment the query runs; a session setting lets every saved query say `as_of()` and be
//! re-run for another date with one `SET`. The extension is written by hand rather than with
//! DataFusion's `extensions_options!` macro because the macro cannot validate a value: a bad date
//! must be refused when it is `SET`, not when some later query happens to read it. The macro
//! would also list the setting as `as_of` instead of `custlake.as_of`, which `SHOW` cannot find.

use std::any::Any;

use datafusion::arrow::compute::kernels::cast_utils::Parser;
use datafusion::arrow::datatypes::Date32Type;
use datafusion::common::config::{ConfigEntry, ConfigExtension, ExtensionOptions};
use datafusion::common::{Result, config_err, exec_err};

/// The full name of the as-of setting, as `SET` and `SHOW` spell it.
pub const AS_OF_SETTING: &str = "custlake.as_of";

const AS_OF_KEY: &str = "as_of";

/// The full names of the reminder lead-time settings.
pub const LEAD_B2C_SETTING: &str = "custlake.reminder_lead_days_b2c";
pub const LEAD_B2B_SETTING: &str = "custlake.reminder_lead_days_b2b";
const LEAD_B2C_KEY: &str = "reminder_lead_days_b2c";
const LEAD_B2B_KEY: &str = "reminder_lead_days_b2b";
/// Consumers are reminded a few days before they would buy again anyway.
pub const DEFAULT_LEAD_DAYS_B2C: u32 = 3;
/// A business buyer needs time for approval and purchase orders: two weeks.
pub const DEFAULT_LEAD_DAYS_B2B: u32 = 14;
/// A reminder more than a year ahead is not a reminder.
const MAX_LEAD_DAYS: u32 = 366;

const LEAD_B2C_DESCRIPTION: &str = "Days before a consumer's (B2C) next purchase is due that \
    repurchase_reminder_date() falls on; 0 to 366, default 3.";
const LEAD_B2B_DESCRIPTION: &str = "Days before a business customer's (B2B) next purchase is due \
    that repurchase_reminder_date() falls on; 0 to 366, default 14.";

const AS_OF_DESCRIPTION: &str = "The date as_of() returns, as YYYY-MM-DD. Unset (NULL) means \
    the current date (UTC), re-read by every statement; SET to '' or 'today' unsets it, DEFAULT \
    restores the server's default (the lake's as-of date, if its config names one).";

/// custlake's session settings, registered with
/// `SessionConfig::with_option_extension(CustlakeOptions::default())`.
///
/// ```sql
/// SET custlake.as_of = '2024-06-30';  -- as_of() is now 2024-06-30
/// SHOW custlake.as_of;
/// SET custlake.as_of = DEFAULT;       -- back to the current date ('' and 'today' too)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustlakeOptions {
    /// `custlake.as_of`: the date `as_of()` returns, always in the canonical form `YYYY-MM-DD`
    /// when set through `SET`; `None` means the current date.
    pub as_of: Option<String>,
    /// What `SET custlake.as_of = DEFAULT` restores: the server's default, e.g. the date a
    /// lake snapshot was taken. Not a setting of its own.
    pub as_of_default: Option<String>,
    /// `custlake.reminder_lead_days_b2c`: reminder lead time for consumers, in days.
    pub reminder_lead_days_b2c: u32,
    /// `custlake.reminder_lead_days_b2b`: reminder lead time for business customers, in days.
    pub reminder_lead_days_b2b: u32,
}

impl Default for CustlakeOptions {
    fn default() -> Self {
        Self {
            as_of: None,
            as_of_default: None,
            reminder_lead_days_b2c: DEFAULT_LEAD_DAYS_B2C,
            reminder_lead_days_b2b: DEFAULT_LEAD_DAYS_B2B,
        }
    }
}

impl CustlakeOptions {
    /// `custlake.as_of` as a Date32 value (days since 1970-01-01), `None` when unset.
    ///
    /// The value is validated when it is `SET`; a value put straight into the public field from
    /// Rust is checked here, so a bad one is still an error and never a wrong date.
    pub fn as_of_days(&self) -> Result<Option<i32>> {
        match &self.as_of {
            None => Ok(None),
            Some(text) => match parse_date(text) {
                Some(days) => Ok(Some(days)),
                None => exec_err!("{}", invalid_as_of(text)),
            },
        }
    }
}

impl ConfigExtension for CustlakeOptions {
    const PREFIX: &'static str = "custlake";
}

impl ExtensionOptions for CustlakeOptions {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn cloned(&self) -> Box<dyn ExtensionOptions> {
        Box::new(self.clone())
    }

    /// `key` comes without the `custlake.` prefix (DataFusion strips it).
    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            AS_OF_KEY => {
                let value = value.trim();
                // '' and 'today' mean the current date; DEFAULT (`SET custlake.as_of =
                // DEFAULT` arrives as the word) the server's default. DataFusion 55's RESET
                // does not reach config extensions, so SET has to be the way back.
                if value.eq_ignore_ascii_case("default") {
                    self.as_of = self.as_of_default.clone();
                } else if value.is_empty() || value.eq_ignore_ascii_case("today") {
                    self.as_of = None;
                } else if parse_date(value).is_some() {
                    self.as_of = Some(value.to_string());
                } else {
                    return config_err!("{}", invalid_as_of(value));
                }
                Ok(())
            }
            LEAD_B2C_KEY => {
                self.reminder_lead_days_b2c =
                    parse_lead_days(LEAD_B2C_SETTING, value, DEFAULT_LEAD_DAYS_B2C)?;
                Ok(())
            }
            LEAD_B2B_KEY => {
                self.reminder_lead_days_b2b =
                    parse_lead_days(LEAD_B2B_SETTING, value, DEFAULT_LEAD_DAYS_B2B)?;
                Ok(())
            }
            _ => config_err!("Config value \"{key}\" not found on CustlakeOptions"),
        }
    }

    fn entries(&self) -> Vec<ConfigEntry> {
        // The full key, so that `SHOW custlake.as_of` and information_schema.df_settings find it.
        vec![
            ConfigEntry {
                key: AS_OF_SETTING.to_string(),
                value: self.as_of.clone(),
                description: AS_OF_DESCRIPTION,
            },
            ConfigEntry {
                key: LEAD_B2C_SETTING.to_string(),
                value: Some(self.reminder_lead_days_b2c.to_string()),
                description: LEAD_B2C_DESCRIPTION,
            },
            ConfigEntry {
                key: LEAD_B2B_SETTING.to_string(),
                value: Some(self.reminder_lead_days_b2b.to_string()),
                description: LEAD_B2B_DESCRIPTION,
            },
        ]
    }
}

/// A lead time in whole days, 0 to [`MAX_LEAD_DAYS`]; DEFAULT restores `default`.
fn parse_lead_days(setting: &str, value: &str, default: u32) -> Result<u32> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("default") {
        return Ok(default);
    }
    match value.parse::<u32>() {
        Ok(days) if days <= MAX_LEAD_DAYS => Ok(days),
        _ => config_err!(
            "invalid value for parameter \"{setting}\": \"{value}\" \
             (expected a whole number of days from 0 to {MAX_LEAD_DAYS})"
        ),
    }
}

/// Days since 1970-01-01 of a date written exactly `YYYY-MM-DD` (a real calendar date), else
/// `None`. Stricter than a cast to DATE, which also takes `20240630`, `2024-6-3` or a timestamp:
/// a setting is stored as written and shown by `SHOW`, so only the one canonical form is accepted.
fn parse_date(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let canonical = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !canonical {
        return None;
    }
    Date32Type::parse_formatted(text, "%Y-%m-%d")
}

/// The error for a bad `custlake.as_of`, worded like PostgreSQL's for a bad setting.
fn invalid_as_of(value: &str) -> String {
    format!(
        "invalid value for parameter \"{AS_OF_SETTING}\": \"{value}\" \
         (expected a date as YYYY-MM-DD, '' or 'today' for the current date, or DEFAULT)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_validates_and_resets() {
        let mut options = CustlakeOptions::default();
        options.set("as_of", "2024-06-30").unwrap();
        assert_eq!(options.as_of.as_deref(), Some("2024-06-30"));
        assert_eq!(options.as_of_days().unwrap(), Some(19904));

        for bad in [
            "2024-02-30",
            "2024-6-30",
            "20240630",
            "2024-06-30 00:00:00",
            "June",
        ] {
            let err = options.set("as_of", bad).unwrap_err().to_string();
            assert!(
                err.contains("custlake.as_of") && err.contains("YYYY-MM-DD"),
                "{err}"
            );
            // A refused value leaves the setting as it was.
            assert_eq!(options.as_of.as_deref(), Some("2024-06-30"));
        }

        options.set("as_of", "").unwrap();
        assert_eq!(options.as_of, None);
        options.set("as_of", "1999-12-31").unwrap();
        options.set("as_of", "TODAY").unwrap();
        assert_eq!(options.as_of_days().unwrap(), None);
        options.set("as_of", "1999-12-31").unwrap();
        options.set("as_of", "default").unwrap();
        assert_eq!(options.as_of, None);

        // A server default: DEFAULT goes back to it, 'today' to the current date.
        let mut options = CustlakeOptions {
            as_of: Some("2024-06-30".into()),
            as_of_default: Some("2024-06-30".into()),
            ..CustlakeOptions::default()
        };
        options.set("as_of", "2020-01-01").unwrap();
        options.set("as_of", "DEFAULT").unwrap();
        assert_eq!(options.as_of.as_deref(), Some("2024-06-30"));
        options.set("as_of", "today").unwrap();
        assert_eq!(options.as_of, None);

        assert!(options.set("as_at", "2024-06-30").is_err());
    }

    #[test]
    fn lead_days_are_bounded_whole_days() {
        let mut options = CustlakeOptions::default();
        assert_eq!(
            (
                options.reminder_lead_days_b2c,
                options.reminder_lead_days_b2b
            ),
            (3, 14)
        );
        options.set("reminder_lead_days_b2b", "21").unwrap();
        assert_eq!(options.reminder_lead_days_b2b, 21);
        for bad in ["-1", "367", "2.5", "week"] {
            let err = options
                .set("reminder_lead_days_b2b", bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains(LEAD_B2B_SETTING), "{err}");
            assert_eq!(options.reminder_lead_days_b2b, 21);
        }
        options.set("reminder_lead_days_b2b", "DEFAULT").unwrap();
        assert_eq!(options.reminder_lead_days_b2b, 14);
    }

    #[test]
    fn bad_value_set_from_rust_is_an_error_not_a_date() {
        let options = CustlakeOptions {
            as_of: Some("yesterday".to_string()),
            ..CustlakeOptions::default()
        };
        assert!(options.as_of_days().is_err());
    }
}
