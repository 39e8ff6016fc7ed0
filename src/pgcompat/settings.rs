//! PostgreSQL's standard session settings (`SET DateStyle`, `SHOW search_path`, …), held per
//! session in DataFusion's config as the extension `pg`, so that `current_setting()` and
//! `pg_settings` read the same values the session set.
//!
//! What custlake cannot honour is refused rather than pretended: TimeZone by name only (no
//! numeric offsets), and only ISO dates, `postgres` intervals, `hex` bytea and UTF8 — the
//! formats its encoder writes. [`sync_time_zone`] makes DataFusion compute in the session's
//! zone after any change of TimeZone.

use std::any::Any;
use std::collections::BTreeMap;

use datafusion::common::config::{ConfigEntry, ConfigExtension, ExtensionOptions};
use datafusion::common::{DataFusionError, Result};

use super::time_zone::ZoneError;
use crate::error::{SqlError, sqlstate};

/// Makes DataFusion compute in the session's TimeZone (`now()`, `'…'::timestamptz`): call
/// after anything that may have changed it. Returns whether DataFusion's zone changed.
pub fn sync_time_zone(config: &mut datafusion::common::config::ConfigOptions) -> bool {
    let name = PgSettings::of(config).get("TimeZone").unwrap_or_default();
    let arrow = super::time_zone::resolve(&name)
        .unwrap_or_else(|_| super::time_zone::utc())
        .arrow;
    if config.execution.time_zone.as_deref() == Some(arrow.as_str()) {
        return false;
    }
    config.execution.time_zone = Some(arrow);
    true
}

/// The PostgreSQL version custlake presents: what `server_version`, `server_version_num` and
/// `version()` report, for drivers that parse it.
pub const SERVER_VERSION: &str = "16.6";
pub const SERVER_VERSION_NUM: &str = "160006";

/// How a setting's values are checked and normalised.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    /// Milliseconds, written with PostgreSQL's units (`5s`, `1min`, `250ms`).
    Milliseconds,
    /// One of these, case-insensitively; stored as written here.
    Choice(&'static [&'static str]),
    /// Needs its own check (see [`normalise_special`]).
    Special,
    /// Reported but not settable.
    ReadOnly,
}

/// One setting: its canonical name (as `pg_settings.name` shows it), its boot value, its
/// `pg_settings.category` and a description.
#[derive(Debug)]
pub struct SettingDef {
    pub name: &'static str,
    pub boot_value: &'static str,
    pub category: &'static str,
    pub description: &'static str,
    kind: Kind,
}

impl SettingDef {
    /// `pg_settings.context`: `internal` for what no one may change, else `user`.
    pub fn context(&self) -> &'static str {
        match self.kind {
            Kind::ReadOnly => "internal",
            _ => "user",
        }
    }

    /// `pg_settings.vartype`.
    pub fn vartype(&self) -> &'static str {
        match self.kind {
            Kind::Bool => "bool",
            Kind::Integer { .. } | Kind::Milliseconds => "integer",
            Kind::Choice(_) => "enum",
            _ => "string",
        }
    }

    /// `pg_settings.unit`.
    pub fn unit(&self) -> Option<&'static str> {
        matches!(self.kind, Kind::Milliseconds).then_some("ms")
    }
}

const ISOLATION_LEVELS: &[&str] = &[
    "read uncommitted",
    "read committed",
    "repeatable read",
    "serializable",
];
const MESSAGE_LEVELS: &[&str] = &[
    "debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error",
];

macro_rules! setting {
    ($name:expr, $boot:expr, $category:expr, $kind:expr, $description:expr) => {
        SettingDef {
            name: $name,
            boot_value: $boot,
            category: $category,
            kind: $kind,
            description: $description,
        }
    };
}

const CLIENT: &str = "Client Connection Defaults / Statement Behavior";
const LOCALE: &str = "Client Connection Defaults / Locale and Formatting";
const PRESET: &str = "Preset Options";
const COMPAT: &str = "Version and Platform Compatibility / Previous PostgreSQL Versions";

/// Every setting custlake knows, in `SHOW ALL` order (by name).
pub static SETTINGS: &[SettingDef] = &[
    setting!(
        "application_name",
        "",
        "Reporting and Logging / What to Log",
        Kind::Text,
        "Sets the application name to be reported in statistics and logs."
    ),
    setting!(
        "bytea_output",
        "hex",
        CLIENT,
        Kind::Special,
        "Sets the output format for bytea."
    ),
    setting!(
        "client_encoding",
        "UTF8",
        LOCALE,
        Kind::Special,
        "Sets the client's character set encoding."
    ),
    setting!(
        "client_min_messages",
        "notice",
        CLIENT,
        Kind::Choice(MESSAGE_LEVELS),
        "Sets the message levels that are sent to the client."
    ),
    setting!(
        "DateStyle",
        "ISO, MDY",
        LOCALE,
        Kind::Special,
        "Sets the display format for date and time values."
    ),
    setting!(
        "default_transaction_isolation",
        "read committed",
        CLIENT,
        Kind::Choice(ISOLATION_LEVELS),
        "Sets the transaction isolation level of each new transaction."
    ),
    setting!(
        "default_table_access_method",
        "heap",
        CLIENT,
        Kind::Text,
        "Sets the default table access method for new tables."
    ),
    setting!(
        "default_transaction_read_only",
        "off",
        CLIENT,
        Kind::Bool,
        "Sets the default read-only status of new transactions."
    ),
    setting!(
        "extra_float_digits",
        "1",
        LOCALE,
        Kind::Integer { min: -15, max: 3 },
        "Sets the number of digits displayed for floating-point values."
    ),
    setting!(
        "idle_in_transaction_session_timeout",
        "0",
        CLIENT,
        Kind::Milliseconds,
        "Sets the maximum allowed idle time between queries, when in a transaction."
    ),
    setting!(
        "integer_datetimes",
        "on",
        PRESET,
        Kind::ReadOnly,
        "Shows whether datetimes are integer based."
    ),
    setting!(
        "IntervalStyle",
        "postgres",
        LOCALE,
        Kind::Special,
        "Sets the display format for interval values."
    ),
    setting!(
        "is_superuser",
        "off",
        PRESET,
        Kind::ReadOnly,
        "Shows whether the current user is a superuser."
    ),
    setting!(
        "lc_messages",
        "C",
        LOCALE,
        Kind::Text,
        "Sets the language in which messages are displayed."
    ),
    setting!(
        "lc_monetary",
        "C",
        LOCALE,
        Kind::Text,
        "Sets the locale for formatting monetary amounts."
    ),
    setting!(
        "lc_numeric",
        "C",
        LOCALE,
        Kind::Text,
        "Sets the locale for formatting numbers."
    ),
    setting!(
        "lc_time",
        "C",
        LOCALE,
        Kind::Text,
        "Sets the locale for formatting date and time values."
    ),
    setting!(
        "lock_timeout",
        "0",
        CLIENT,
        Kind::Milliseconds,
        "Sets the maximum allowed duration of any wait for a lock."
    ),
    setting!(
        "max_identifier_length",
        "63",
        PRESET,
        Kind::ReadOnly,
        "Shows the maximum identifier length."
    ),
    setting!(
        "max_index_keys",
        "32",
        PRESET,
        Kind::ReadOnly,
        "Shows the maximum number of index keys."
    ),
    setting!(
        "row_security",
        "on",
        CLIENT,
        Kind::Bool,
        "Enable row security."
    ),
    setting!(
        "search_path",
        "\"$user\", public",
        CLIENT,
        Kind::Text,
        "Sets the schema search order for names that are not schema-qualified."
    ),
    setting!(
        "server_encoding",
        "UTF8",
        PRESET,
        Kind::ReadOnly,
        "Shows the server (database) character set encoding."
    ),
    setting!(
        "server_version",
        SERVER_VERSION,
        PRESET,
        Kind::ReadOnly,
        "Shows the server version."
    ),
    setting!(
        "server_version_num",
        SERVER_VERSION_NUM,
        PRESET,
        Kind::ReadOnly,
        "Shows the server version as an integer."
    ),
    setting!(
        "standard_conforming_strings",
        "on",
        COMPAT,
        Kind::Special,
        "Causes '...' strings to treat backslashes literally."
    ),
    setting!(
        "statement_timeout",
        "0",
        CLIENT,
        Kind::Milliseconds,
        "Sets the maximum allowed duration of any statement."
    ),
    setting!(
        "TimeZone",
        "UTC",
        LOCALE,
        Kind::Special,
        "Sets the time zone for displaying and interpreting time stamps."
    ),
    setting!(
        "transaction_isolation",
        "read committed",
        CLIENT,
        Kind::Choice(ISOLATION_LEVELS),
        "Sets the current transaction's isolation level."
    ),
    setting!(
        "transaction_read_only",
        "off",
        CLIENT,
        Kind::Bool,
        "Sets the current transaction's read-only status."
    ),
];

/// The setting called `name` (case-insensitively, as PostgreSQL matches them).
pub fn lookup(name: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The settings PostgreSQL reports to the client in ParameterStatus, at startup and whenever
/// their value changes (its `GUC_REPORT` settings that custlake keeps per session).
pub const REPORTED: &[&str] = &[
    "application_name",
    "client_encoding",
    "DateStyle",
    "default_transaction_read_only",
    "IntervalStyle",
    "standard_conforming_strings",
    "TimeZone",
];

/// One session's values of the standard settings. A value set at startup (the client's
/// startup packet) is the session's reset value, as in PostgreSQL: `RESET` returns to it.
#[derive(Debug, Clone, Default)]
pub struct PgSettings {
    reset_values: BTreeMap<&'static str, String>,
    values: BTreeMap<&'static str, String>,
    /// The user the session is connected as (`current_user`).
    pub user: Option<String>,
    /// The backend process ID the client was given (`pg_backend_pid()`).
    pub backend_pid: i32,
}

impl ConfigExtension for PgSettings {
    const PREFIX: &'static str = "pg";
}

impl PgSettings {
    /// The settings a session's config carries (the standard defaults where it has none).
    pub fn of(config: &datafusion::common::config::ConfigOptions) -> PgSettings {
        config
            .extensions
            .get::<PgSettings>()
            .cloned()
            .unwrap_or_default()
    }

    /// The current value of the setting called `name`, or `None` if there is no such setting.
    pub fn get(&self, name: &str) -> Option<String> {
        let def = lookup(name)?;
        Some(
            self.values
                .get(def.name)
                .or_else(|| self.reset_values.get(def.name))
                .cloned()
                .unwrap_or_else(|| def.boot_value.to_string()),
        )
    }

    /// The current values of the [`REPORTED`] settings.
    pub fn reported(&self) -> Vec<(&'static str, String)> {
        REPORTED
            .iter()
            .filter_map(|name| Some((*name, self.get(name)?)))
            .collect()
    }

    /// What `RESET` would return `name` to: the startup value, else the boot value.
    pub fn reset_value(&self, name: &str) -> String {
        match lookup(name) {
            Some(def) => self
                .reset_values
                .get(def.name)
                .cloned()
                .unwrap_or_else(|| def.boot_value.to_string()),
            None => String::new(),
        }
    }

    /// `SET name = value`: checks the value and returns the definition it applied to.
    pub fn set(&mut self, name: &str, value: &str) -> Result<&'static SettingDef, SqlError> {
        let def = lookup(name).ok_or_else(|| unrecognized(name))?;
        let value = normalise(def, value)?;
        self.values.insert(def.name, value);
        Ok(def)
    }

    /// A startup-packet value: becomes what `RESET` returns to.
    pub fn set_reset_value(&mut self, name: &str, value: &str) -> Result<(), SqlError> {
        let def = lookup(name).ok_or_else(|| unrecognized(name))?;
        let value = normalise(def, value)?;
        self.reset_values.insert(def.name, value);
        Ok(())
    }

    /// `RESET name` (and `SET name = DEFAULT`).
    pub fn reset(&mut self, name: &str) -> Result<&'static SettingDef, SqlError> {
        let def = lookup(name).ok_or_else(|| unrecognized(name))?;
        if matches!(def.kind, Kind::ReadOnly) {
            return Err(read_only(def));
        }
        self.values.remove(def.name);
        Ok(def)
    }

    /// `RESET ALL`.
    pub fn reset_all(&mut self) {
        self.values.clear();
    }

    /// Every setting with its current value.
    pub fn all(&self) -> impl Iterator<Item = (&'static SettingDef, String)> + '_ {
        SETTINGS.iter().map(|def| {
            let value = self.get(def.name).unwrap_or_default();
            (def, value)
        })
    }

    /// `statement_timeout` in milliseconds (0: none).
    pub fn statement_timeout_ms(&self) -> u64 {
        self.get("statement_timeout")
            .and_then(|v| parse_milliseconds(&v))
            .unwrap_or(0)
    }

    /// The schemas of `search_path` that name a schema (`"$user"` is dropped: no schema is
    /// named after a user here), unquoted.
    pub fn search_path(&self) -> Vec<String> {
        self.get("search_path")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty() && s != "$user")
            .collect()
    }
}

fn unrecognized(name: &str) -> SqlError {
    SqlError::new(
        sqlstate::UNDEFINED_OBJECT,
        format!("unrecognized configuration parameter \"{name}\""),
    )
}

fn read_only(def: &SettingDef) -> SqlError {
    SqlError::new(
        sqlstate::CANT_CHANGE_RUNTIME_PARAM,
        format!("parameter \"{}\" cannot be changed", def.name),
    )
}

fn invalid(def: &SettingDef, value: &str, hint: Option<String>) -> SqlError {
    let error = SqlError::new(
        sqlstate::INVALID_PARAMETER_VALUE,
        format!("invalid value for parameter \"{}\": \"{value}\"", def.name),
    );
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

fn unsupported(def: &SettingDef, value: &str, what: &str) -> SqlError {
    SqlError::new(
        sqlstate::FEATURE_NOT_SUPPORTED,
        format!("{} = '{value}' is not supported: custlake {what}", def.name),
    )
}

fn normalise(def: &SettingDef, value: &str) -> Result<String, SqlError> {
    let trimmed = value.trim();
    match def.kind {
        Kind::Text => Ok(value.to_string()),
        Kind::ReadOnly => Err(read_only(def)),
        Kind::Bool => match trimmed.to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" | "t" | "y" => Ok("on".into()),
            "off" | "false" | "no" | "0" | "f" | "n" => Ok("off".into()),
            _ => Err(invalid(def, value, None)),
        },
        Kind::Integer { min, max } => match trimmed.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            Ok(_) => Err(invalid(
                def,
                value,
                Some(format!("{} must be between {min} and {max}", def.name)),
            )),
            Err(_) => Err(invalid(def, value, None)),
        },
        Kind::Milliseconds => match parse_milliseconds(trimmed) {
            Some(ms) => Ok(format_milliseconds(ms)),
            None => Err(invalid(
                def,
                value,
                Some("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".".into()),
            )),
        },
        Kind::Choice(choices) => choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(trimmed))
            .map(|c| c.to_string())
            .ok_or_else(|| {
                invalid(
                    def,
                    value,
                    Some(format!("Available values: {}.", choices.join(", "))),
                )
            }),
        Kind::Special => normalise_special(def, trimmed),
    }
}

fn normalise_special(def: &SettingDef, value: &str) -> Result<String, SqlError> {
    let lower = value.to_ascii_lowercase();
    match def.name {
        "client_encoding" => match lower.replace(['-', '_'], "").as_str() {
            "utf8" | "unicode" => Ok("UTF8".into()),
            _ => Err(unsupported(def, value, "speaks UTF8 only")),
        },
        "TimeZone" => match super::time_zone::resolve(value) {
            Ok(zone) => Ok(zone.name),
            Err(ZoneError::Offset) => Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                format!("TimeZone = '{value}' {}", ZoneError::Offset.reason()),
            )),
            Err(ZoneError::Unknown) => Err(invalid(def, value, None)),
        },
        "DateStyle" => {
            // PostgreSQL takes an output style, an order, or both, and keeps what is not given.
            let mut order = "MDY";
            for part in lower.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match part {
                    "iso" => {}
                    "mdy" | "us" | "noneuropean" => order = "MDY",
                    "dmy" | "euro" | "european" => order = "DMY",
                    "ymd" => order = "YMD",
                    "sql" | "postgres" | "german" => {
                        return Err(unsupported(def, value, "writes dates in ISO style"));
                    }
                    _ => return Err(invalid(def, value, None)),
                }
            }
            Ok(format!("ISO, {order}"))
        }
        "IntervalStyle" => match lower.as_str() {
            "postgres" => Ok("postgres".into()),
            "postgres_verbose" | "sql_standard" | "iso_8601" => Err(unsupported(
                def,
                value,
                "writes intervals in the postgres style",
            )),
            _ => Err(invalid(def, value, None)),
        },
        "bytea_output" => match lower.as_str() {
            "hex" => Ok("hex".into()),
            "escape" => Err(unsupported(def, value, "writes bytea in hex")),
            _ => Err(invalid(def, value, None)),
        },
        "standard_conforming_strings" => match lower.as_str() {
            "on" | "true" | "yes" | "1" => Ok("on".into()),
            "off" | "false" | "no" | "0" => Err(unsupported(
                def,
                value,
                "always reads backslashes in '...' literally",
            )),
            _ => Err(invalid(def, value, None)),
        },
        _ => Ok(value.to_string()),
    }
}

/// A duration setting's value in milliseconds: a number with an optional unit (ms when
/// none), as PostgreSQL reads `statement_timeout`.
pub fn parse_milliseconds(value: &str) -> Option<u64> {
    let value = value.trim().trim_matches('\'');
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "ms" => 1.0,
        "us" => 0.001,
        "s" => 1_000.0,
        "min" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    let ms = (number * factor).round();
    (ms >= 0.0 && ms <= i32::MAX as f64).then_some(ms as u64)
}

/// Milliseconds as PostgreSQL shows them: in the largest unit that divides them exactly.
fn format_milliseconds(ms: u64) -> String {
    if ms == 0 {
        return "0".into();
    }
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("min", 60_000),
        ("s", 1_000),
    ] {
        if ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

impl ExtensionOptions for PgSettings {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn cloned(&self) -> Box<dyn ExtensionOptions> {
        Box::new(self.clone())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        PgSettings::set(self, key, value)
            .map(|_| ())
            .map_err(|e| DataFusionError::Configuration(e.message))
    }

    fn entries(&self) -> Vec<ConfigEntry> {
        self.all()
            .map(|(def, value)| ConfigEntry {
                key: format!("{}.{}", Self::PREFIX, def.name.to_ascii_lowercase()),
                value: Some(value),
                description: def.description,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_normalised_and_reset() {
        let mut settings = PgSettings::default();
        assert_eq!(settings.get("datestyle").unwrap(), "ISO, MDY");
        settings.set("DATESTYLE", "iso, dmy").unwrap();
        assert_eq!(settings.get("DateStyle").unwrap(), "ISO, DMY");
        settings.set("statement_timeout", "1500").unwrap();
        assert_eq!(settings.get("statement_timeout").unwrap(), "1500ms");
        assert_eq!(settings.statement_timeout_ms(), 1500);
        settings.set("statement_timeout", "2min").unwrap();
        assert_eq!(settings.get("statement_timeout").unwrap(), "2min");
        assert_eq!(settings.statement_timeout_ms(), 120_000);
        settings.set("extra_float_digits", "3").unwrap();

        let e = settings.set("extra_float_digits", "4").unwrap_err();
        assert_eq!(e.code, sqlstate::INVALID_PARAMETER_VALUE);
        let e = settings.set("no_such_thing", "1").unwrap_err();
        assert_eq!(e.code, sqlstate::UNDEFINED_OBJECT);
        assert_eq!(
            e.message,
            "unrecognized configuration parameter \"no_such_thing\""
        );
        let e = settings.set("server_version", "17").unwrap_err();
        assert_eq!(e.code, sqlstate::CANT_CHANGE_RUNTIME_PARAM);
        settings.set("TimeZone", "europe/berlin").unwrap();
        assert_eq!(settings.get("TimeZone").unwrap(), "Europe/Berlin");
        let e = settings.set("TimeZone", "+08:00").unwrap_err();
        assert_eq!(e.code, sqlstate::FEATURE_NOT_SUPPORTED);
        let e = settings.set("TimeZone", "Mars/Olympus").unwrap_err();
        assert_eq!(e.code, sqlstate::INVALID_PARAMETER_VALUE);
        settings.set("timezone", "Etc/UTC").unwrap();
        assert_eq!(settings.get("TimeZone").unwrap(), "UTC");

        settings
            .set_reset_value("application_name", "psql")
            .unwrap();
        settings.set("application_name", "metabase").unwrap();
        assert_eq!(settings.get("application_name").unwrap(), "metabase");
        settings.reset("application_name").unwrap();
        assert_eq!(settings.get("application_name").unwrap(), "psql");
        settings.reset_all();
        assert_eq!(settings.get("DateStyle").unwrap(), "ISO, MDY");
        assert_eq!(settings.statement_timeout_ms(), 0);
    }

    #[test]
    fn search_path_lists_schemas() {
        let mut settings = PgSettings::default();
        assert_eq!(settings.search_path(), vec!["public"]);
        settings.set("search_path", "segments, \"public\"").unwrap();
        assert_eq!(settings.search_path(), vec!["segments", "public"]);
    }
}
