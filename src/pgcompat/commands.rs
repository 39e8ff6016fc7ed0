//! PostgreSQL's session commands: `SET`, `SET LOCAL`, `RESET`, `SHOW`, `DISCARD`, `SET
//! TRANSACTION`, and `set_config()` calls. They act on one session's config (its
//! [`PgSettings`] extension and DataFusion's own options), never on another session's.
//!
//! Dotted names (`custlake.as_of`, `datafusion.execution.batch_size`) are DataFusion's
//! options: `SET` of those is left to DataFusion's planner, while `SHOW`, `RESET` and
//! `DISCARD ALL` of them are handled here, as DataFusion 55's RESET does not reach
//! configuration extensions.

use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::config::ConfigOptions;
use datafusion::execution::FunctionRegistry;
use datafusion::execution::context::SessionState;
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    ContextModifier, DiscardObject, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    ObjectName, Reset, Set, Statement, UnaryOperator, Value, Visit, Visitor,
};

use super::functions::setting_value;
use super::settings::{self, PgSettings};
use crate::error::{SqlError, sqlstate};

/// A session command, recognised from its parsed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `SET [SESSION | LOCAL] name = value`; `None` is `DEFAULT`.
    Set {
        name: String,
        value: Option<String>,
        local: bool,
    },
    /// `RESET name`: `SET name = DEFAULT` under its own tag.
    Reset(String),
    ResetAll,
    DiscardAll,
    Show(String),
    ShowAll,
    /// Accepted with nothing to change (`SET TRANSACTION …`, `DISCARD PLANS`): the tag to
    /// answer with.
    Accept(&'static str),
}

impl Command {
    /// The command tag PostgreSQL answers with.
    pub fn tag(&self) -> &'static str {
        match self {
            Command::Set { .. } => "SET",
            Command::Reset(_) | Command::ResetAll => "RESET",
            Command::DiscardAll => "DISCARD ALL",
            Command::Show(_) | Command::ShowAll => "SHOW",
            Command::Accept(tag) => tag,
        }
    }

    /// The rows' schema, for commands that return rows (`SHOW`).
    pub fn result_schema(&self) -> Option<SchemaRef> {
        match self {
            Command::Show(name) => Some(Arc::new(Schema::new(vec![Field::new(
                show_column_name(name),
                DataType::Utf8,
                true,
            )]))),
            Command::ShowAll => Some(Arc::new(Schema::new(vec![
                Field::new("name", DataType::Utf8, false),
                Field::new("setting", DataType::Utf8, true),
                Field::new("description", DataType::Utf8, true),
            ]))),
            _ => None,
        }
    }
}

/// The column `SHOW name` answers in: the setting's canonical name, as PostgreSQL does.
fn show_column_name(name: &str) -> String {
    match settings::lookup(name) {
        Some(def) => def.name.to_string(),
        None => name.to_ascii_lowercase(),
    }
}

fn object_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .filter_map(|part| part.as_ident())
        .map(|ident| {
            if ident.quote_style.is_some() {
                ident.value.clone()
            } else {
                ident.value.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// One value of a SET list as PostgreSQL reads it: strings and numbers as written, unquoted
/// words folded to lower case, quoted identifiers kept with their quotes (`search_path`).
fn set_value(expr: &Expr) -> String {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::DoubleQuotedString(s) => s.clone(),
            Value::Number(n, _) => n.to_string(),
            Value::Boolean(b) => if *b { "on" } else { "off" }.to_string(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) if ident.quote_style.is_some() => {
            format!("\"{}\"", ident.value)
        }
        Expr::Identifier(ident) => ident.value.to_ascii_lowercase(),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => format!("-{}", set_value(expr)),
        other => other.to_string(),
    }
}

fn is_default(values: &[Expr]) -> bool {
    matches!(values, [Expr::Identifier(ident)] if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case("default"))
}

/// Recognises a session command in a statement as DataFusion's parser returns it (it
/// parses `RESET` itself).
pub fn classify_statement(statement: &datafusion::sql::parser::Statement) -> Option<Command> {
    use datafusion::sql::parser::{ResetStatement, Statement as DFStatement};
    match statement {
        DFStatement::Statement(statement) => classify(statement),
        DFStatement::Reset(ResetStatement::Variable(name)) => {
            let name = object_name(name);
            Some(if name == "all" {
                Command::ResetAll
            } else {
                Command::Reset(name)
            })
        }
        _ => None,
    }
}

/// Recognises a session command. `None` for everything else, including `SET` of a dotted
/// (DataFusion) option, which DataFusion's planner handles.
pub fn classify(statement: &Statement) -> Option<Command> {
    match statement {
        Statement::Set(set) => match set {
            Set::SingleAssignment {
                scope,
                variable,
                values,
                ..
            } => {
                let name = object_name(variable);
                if name.contains('.') && !is_default(values) {
                    return None;
                }
                let value = (!is_default(values))
                    .then(|| values.iter().map(set_value).collect::<Vec<_>>().join(", "));
                Some(Command::Set {
                    name,
                    value,
                    local: matches!(scope, Some(ContextModifier::Local)),
                })
            }
            Set::SetTimeZone { local, value } => Some(Command::Set {
                name: "TimeZone".into(),
                value: (!is_default(std::slice::from_ref(value))).then(|| set_value(value)),
                local: *local,
            }),
            Set::SetNames { charset_name, .. } => Some(Command::Set {
                name: "client_encoding".into(),
                value: Some(charset_name.value.clone()),
                local: false,
            }),
            Set::SetNamesDefault {} => Some(Command::Set {
                name: "client_encoding".into(),
                value: None,
                local: false,
            }),
            // Isolation and access mode change nothing for a read-only lake read from
            // immutable files: every statement already sees one consistent snapshot.
            Set::SetTransaction { .. } => Some(Command::Accept("SET")),
            _ => None,
        },
        Statement::Reset(reset) => Some(match &reset.reset {
            Reset::ALL => Command::ResetAll,
            Reset::ConfigurationParameter(name) => Command::Reset(object_name(name)),
        }),
        Statement::ShowVariable { variable } => {
            let words: Vec<String> = variable
                .iter()
                .map(|i| {
                    if i.quote_style.is_some() {
                        i.value.clone()
                    } else {
                        i.value.to_ascii_lowercase()
                    }
                })
                .collect();
            let name = match words.join(" ").as_str() {
                "all" => return Some(Command::ShowAll),
                "transaction isolation level" => "transaction_isolation".to_string(),
                "time zone" => "TimeZone".to_string(),
                "session authorization" => "session_authorization".to_string(),
                _ => words.join("."),
            };
            Some(Command::Show(name))
        }
        // Protocol-level prepared statements stay valid: the client forgets its own and
        // prepares again (psycopg does after a rollback).
        Statement::Deallocate { name, .. } if name.value.eq_ignore_ascii_case("all") => {
            Some(Command::Accept("DEALLOCATE ALL"))
        }
        // custlake sends no notifications, so no session listens to anything.
        Statement::UNLISTEN { .. } => Some(Command::Accept("UNLISTEN")),
        Statement::Discard { object_type } => Some(match object_type {
            DiscardObject::ALL => Command::DiscardAll,
            _ => Command::Accept("DISCARD"),
        }),
        _ => None,
    }
}

fn pg_settings_mut(config: &mut ConfigOptions) -> Result<&mut PgSettings, SqlError> {
    config.extensions.get_mut::<PgSettings>().ok_or_else(|| {
        SqlError::new(
            sqlstate::INTERNAL_ERROR,
            "the session has no PostgreSQL settings",
        )
    })
}

/// Restores DataFusion option `key` (dotted) to its value in `defaults`.
fn reset_option(
    config: &mut ConfigOptions,
    defaults: &ConfigOptions,
    key: &str,
) -> Result<(), SqlError> {
    let Some(entry) = defaults.entries().into_iter().find(|e| e.key == key) else {
        return Err(SqlError::new(
            sqlstate::UNDEFINED_OBJECT,
            format!("unrecognized configuration parameter \"{key}\""),
        ));
    };
    match entry.value {
        Some(value) => config.set(key, &value)?,
        // Options without a value (unset `Option`s) are restored by copying the defaults'
        // whole section; DataFusion has no way to unset one key.
        None => {
            let session_settings = config.extensions.get::<PgSettings>().cloned();
            let prefix = key.split('.').next().unwrap_or_default();
            if prefix == "datafusion" {
                let extensions = std::mem::take(&mut config.extensions);
                *config = defaults.clone();
                config.extensions = extensions;
            }
            if let (Some(settings), Some(slot)) =
                (session_settings, config.extensions.get_mut::<PgSettings>())
            {
                *slot = settings;
            }
        }
    }
    Ok(())
}

/// Makes the session compute in its TimeZone once a command may have changed it: DataFusion's
/// zone, and the functions that read it when built (`now()`, `to_timestamp`).
pub fn apply_time_zone(state: &mut SessionState) -> Result<(), SqlError> {
    if !settings::sync_time_zone(state.config_mut().options_mut()) {
        return Ok(());
    }
    let rebuilt: Vec<_> = state
        .scalar_functions()
        .values()
        .filter_map(|f| f.inner().with_updated_config(state.config_options()))
        .collect();
    for function in rebuilt {
        state.register_udf(Arc::new(function))?;
    }
    Ok(())
}

/// Runs a command on `ctx`'s session. `defaults` are the options a new session starts
/// with; `transaction_start` receives the settings as they were before the first `SET
/// LOCAL` of a transaction (`None` outside one: `SET LOCAL` then does nothing, as in
/// PostgreSQL). Returns the rows of `SHOW`.
pub fn execute(
    command: &Command,
    ctx: &SessionContext,
    defaults: &ConfigOptions,
    transaction_start: Option<&mut Option<ConfigOptions>>,
) -> Result<Option<RecordBatch>, SqlError> {
    let state = ctx.state_ref();
    let mut state = state.write();
    let config = state.config_mut().options_mut();
    match command {
        Command::Set { .. } | Command::Reset(_) => {
            // RESET is SET … TO DEFAULT.
            let (name, value, local) = match command {
                Command::Set { name, value, local } => (name, value.as_ref(), *local),
                Command::Reset(name) => (name, None, false),
                _ => return Ok(None),
            };
            if local {
                match transaction_start {
                    Some(saved) => {
                        if saved.is_none() {
                            *saved = Some(config.clone());
                        }
                    }
                    None => return Ok(None),
                }
            }
            if name.contains('.') {
                match value {
                    Some(value) => config.set(name, value)?,
                    None => reset_option(config, defaults, name)?,
                }
            } else {
                let settings = pg_settings_mut(config)?;
                match value {
                    Some(value) => settings.set(name, value)?,
                    None => settings.reset(name)?,
                };
            }
            apply_time_zone(&mut state)?;
            Ok(None)
        }
        Command::ResetAll | Command::DiscardAll => {
            // Back to a new session's options, keeping what the connection itself set up
            // (user, backend PID, startup values).
            let mut settings = PgSettings::of(config);
            settings.reset_all();
            *config = defaults.clone();
            *pg_settings_mut(config)? = settings;
            apply_time_zone(&mut state)?;
            Ok(None)
        }
        Command::Show(name) => {
            let value = match name.as_str() {
                "session_authorization" => config
                    .extensions
                    .get::<PgSettings>()
                    .and_then(|s| s.user.clone()),
                _ => setting_value(config, name),
            };
            let Some(value) = value else {
                return Err(SqlError::new(
                    sqlstate::UNDEFINED_OBJECT,
                    format!("unrecognized configuration parameter \"{name}\""),
                ));
            };
            let schema = command.result_schema().expect("SHOW has a schema");
            Ok(Some(RecordBatch::try_new(
                schema,
                vec![Arc::new(StringArray::from(vec![value]))],
            )?))
        }
        Command::ShowAll => {
            let settings = PgSettings::of(config);
            let mut names = Vec::new();
            let mut values = Vec::new();
            let mut descriptions = Vec::new();
            for (def, value) in settings.all() {
                names.push(def.name.to_string());
                values.push(Some(value));
                descriptions.push(Some(def.description.to_string()));
            }
            for entry in config.entries() {
                if entry.key.starts_with("pg.") {
                    continue;
                }
                names.push(entry.key);
                values.push(entry.value);
                descriptions.push(Some(entry.description.to_string()));
            }
            let schema = command.result_schema().expect("SHOW ALL has a schema");
            Ok(Some(RecordBatch::try_new(
                schema,
                vec![
                    Arc::new(StringArray::from(names)),
                    Arc::new(StringArray::from(values)),
                    Arc::new(StringArray::from(descriptions)),
                ],
            )?))
        }
        Command::Accept(_) => Ok(None),
    }
}

/// Applies the `set_config(name, value, is_local)` calls of a statement whose arguments are
/// literals, before it is planned: the function then reads back the value it set.
pub fn apply_set_config_calls(
    statement: &Statement,
    ctx: &SessionContext,
    defaults: &ConfigOptions,
    transaction_start: Option<&mut Option<ConfigOptions>>,
) -> Result<(), SqlError> {
    struct Calls(Vec<(String, String, bool)>);
    impl Visitor for Calls {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> std::ops::ControlFlow<()> {
            if let Expr::Function(f) = expr
                && f.name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case("set_config"))
                && let FunctionArguments::List(list) = &f.args
            {
                let literal = |arg: &FunctionArg| match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) => match &v.value {
                        Value::SingleQuotedString(s) => Some(s.clone()),
                        Value::Boolean(b) => Some(b.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                if let [name, value, local] = list.args.as_slice()
                    && let (Some(name), Some(value), Some(local)) =
                        (literal(name), literal(value), literal(local))
                {
                    self.0.push((name, value, local == "true"));
                }
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let mut calls = Calls(Vec::new());
    let _ = statement.visit(&mut calls);
    let mut transaction_start = transaction_start;
    for (name, value, local) in calls.0 {
        let command = Command::Set {
            name,
            value: Some(value),
            local,
        };
        execute(&command, ctx, defaults, transaction_start.as_deref_mut())?;
    }
    Ok(())
}
