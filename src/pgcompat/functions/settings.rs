//! Settings read and written by function: `current_setting(name [, missing_ok])` and
//! `set_config(name, value, is_local)`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::{Result, exec_err, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::args::{texts, typed_arg};
use super::{Behaviour as B, Call, PgFunction, Spec, settings};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "current_setting",
            B::CurrentSetting,
            &[1, 2],
            DataType::Utf8,
            "The current value of a setting; with missing_ok, NULL for an unknown one.",
            "current_setting(name [, missing_ok])",
        ),
        (
            "set_config",
            B::SetConfig,
            &[3],
            DataType::Utf8,
            "Sets a setting for the session and returns the new value.",
            "set_config(name, value, is_local)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let config = call.config;
    let a = call.args;
    let array: ArrayRef = match f.behaviour {
        B::CurrentSetting => {
            let names = texts(&a[0], rows)?;
            let missing_ok: Option<BooleanArray> = match a.get(1) {
                Some(arg) => Some(typed_arg(arg, rows, &DataType::Boolean)?),
                None => None,
            };
            let mut out = Vec::with_capacity(rows);
            for (i, name) in names.iter().enumerate() {
                let Some(name) = name else {
                    out.push(None);
                    continue;
                };
                match setting_value(config, name) {
                    Some(value) => out.push(Some(value)),
                    None => {
                        let ok = missing_ok
                            .as_ref()
                            .is_some_and(|m| m.is_valid(i) && m.value(i));
                        if !ok {
                            return exec_err!("unrecognized configuration parameter \"{name}\"");
                        }
                        out.push(None);
                    }
                }
            }
            Arc::new(StringArray::from(out))
        }
        // The session applies set_config before planning (see `pgcompat::commands`);
        // here it returns the value it set, as PostgreSQL does.
        B::SetConfig => {
            let names = texts(&a[0], rows)?;
            let values = texts(&a[1], rows)?;
            let mut out = Vec::with_capacity(rows);
            for (name, value) in names.iter().zip(values.iter()) {
                match (name, value) {
                    (Some(name), Some(_)) => out.push(setting_value(config, name)),
                    _ => out.push(None),
                }
            }
            Arc::new(StringArray::from(out))
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

/// A value for a setting name, from the standard settings or DataFusion's own (`custlake.*`,
/// `datafusion.*`).
pub fn setting_value(config: &ConfigOptions, name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if let Some(value) = settings(config).get(&lower) {
        return Some(value);
    }
    config
        .entries()
        .into_iter()
        .find(|e| e.key == lower)
        .map(|e| e.value.unwrap_or_default())
}
