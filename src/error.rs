//! The one error type a query can end in: a message with a real SQLSTATE code.
//!
//! [`SqlError::from`] classifies DataFusion errors. DataFusion reports most planning failures as
//! `Plan(String)` without a finer kind, so for those (and only those) the classifier reads the
//! message DataFusion's planner writes for a missing table, column or function; every other
//! case is decided by the error's variant.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;

/// The SQLSTATE codes custlake answers with (PostgreSQL Appendix A).
pub mod sqlstate {
    pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
    pub const DATA_EXCEPTION: &str = "22000";
    pub const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
    pub const INVALID_DATETIME_FORMAT: &str = "22007";
    pub const DATETIME_FIELD_OVERFLOW: &str = "22008";
    pub const DIVISION_BY_ZERO: &str = "22012";
    pub const INVALID_PARAMETER_VALUE: &str = "22023";
    pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
    pub const INVALID_BINARY_REPRESENTATION: &str = "22P03";
    pub const UNTRANSLATABLE_CHARACTER: &str = "22P05";
    pub const ACTIVE_SQL_TRANSACTION: &str = "25001";
    pub const READ_ONLY_SQL_TRANSACTION: &str = "25006";
    pub const NO_ACTIVE_SQL_TRANSACTION: &str = "25P01";
    pub const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
    pub const INVALID_CURSOR_STATE: &str = "24000";
    pub const INVALID_CURSOR_NAME: &str = "34000";
    pub const DUPLICATE_CURSOR: &str = "42P03";
    pub const OBJECT_NOT_IN_PREREQUISITE_STATE: &str = "55000";
    pub const CANT_CHANGE_RUNTIME_PARAM: &str = "55P02";
    pub const INVALID_PASSWORD: &str = "28P01";
    pub const SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION: &str = "42000";
    pub const SYNTAX_ERROR: &str = "42601";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
    pub const AMBIGUOUS_COLUMN: &str = "42702";
    pub const INVALID_COLUMN_REFERENCE: &str = "42P10";
    pub const DUPLICATE_COLUMN: &str = "42701";
    pub const UNDEFINED_FUNCTION: &str = "42883";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const INDETERMINATE_DATATYPE: &str = "42P18";
    pub const UNDEFINED_PARAMETER: &str = "42P02";
    pub const CONNECTION_FAILURE: &str = "08006";
    pub const PROTOCOL_VIOLATION: &str = "08P01";
    pub const INSUFFICIENT_RESOURCES: &str = "53000";
    pub const OUT_OF_MEMORY: &str = "53200";
    pub const PROGRAM_LIMIT_EXCEEDED: &str = "54000";
    pub const STATEMENT_TOO_COMPLEX: &str = "54001";
    pub const QUERY_CANCELED: &str = "57014";
    pub const ADMIN_SHUTDOWN: &str = "57P01";
    pub const IO_ERROR: &str = "58030";
    pub const CONFIG_FILE_ERROR: &str = "F0000";
    pub const INTERNAL_ERROR: &str = "XX000";
    pub const INVALID_REGULAR_EXPRESSION: &str = "2201B";
    pub const INVALID_ARGUMENT_FOR_WIDTH_BUCKET: &str = "2201G";
    pub const ARRAY_SUBSCRIPT_ERROR: &str = "2202E";
    pub const DATA_CORRUPTED: &str = "XX001";
}

/// An error as a client sees it: SQLSTATE, message, and optionally a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl SqlError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        SqlError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SqlError {}

/// A refusal raised inside DataFusion (a function's invoke, an analyzer rule), carried as
/// `External` so that [`classify`] finds its SQLSTATE again.
impl From<SqlError> for DataFusionError {
    fn from(error: SqlError) -> Self {
        DataFusionError::External(Box::new(error))
    }
}

impl From<ArrowError> for SqlError {
    fn from(error: ArrowError) -> Self {
        SqlError::from(DataFusionError::from(error))
    }
}

impl From<DataFusionError> for SqlError {
    fn from(error: DataFusionError) -> Self {
        let code = classify(&error);
        // DataFusion prefixes messages with its variant ("Error during planning: …");
        // clients want the message itself.
        let message = innermost_message(&error);
        SqlError {
            code,
            message,
            hint: None,
        }
    }
}

/// The message of a DataFusion error as clients see it, without DataFusion's variant prefix.
pub fn message_of(error: &DataFusionError) -> String {
    innermost_message(error)
}

fn innermost_message(error: &DataFusionError) -> String {
    match error {
        DataFusionError::Context(context, inner) => {
            format!("{context}: {}", innermost_message(inner))
        }
        DataFusionError::Diagnostic(_, inner) => innermost_message(inner),
        DataFusionError::Shared(inner) => innermost_message(inner),
        DataFusionError::Collection(errors) if !errors.is_empty() => innermost_message(&errors[0]),
        DataFusionError::Plan(m)
        | DataFusionError::Execution(m)
        | DataFusionError::NotImplemented(m)
        | DataFusionError::Configuration(m)
        | DataFusionError::ResourcesExhausted(m) => m.clone(),
        DataFusionError::Internal(m) => format!("internal error: {m}"),
        DataFusionError::SQL(e, _) => e
            .to_string()
            .trim_start_matches("sql parser error: ")
            .to_string(),
        DataFusionError::ArrowError(e, _) => arrow_message(e),
        DataFusionError::External(e) => match e.downcast_ref::<DataFusionError>() {
            Some(inner) => innermost_message(inner),
            None => e.to_string(),
        },
        other => other.strip_backtrace(),
    }
    .trim()
    .to_string()
}

fn arrow_message(e: &ArrowError) -> String {
    match e {
        ArrowError::DivideByZero => "division by zero".to_string(),
        ArrowError::CastError(m)
        | ArrowError::ParseError(m)
        | ArrowError::ComputeError(m)
        | ArrowError::InvalidArgumentError(m)
        | ArrowError::ArithmeticOverflow(m) => m.clone(),
        other => other.to_string(),
    }
}

/// The SQLSTATE for a DataFusion error.
pub fn classify(error: &DataFusionError) -> &'static str {
    use sqlstate::*;
    // The regex crate's errors reach here wrapped in whichever kind the kernel chose.
    if innermost_message(error).contains("regex parse error") {
        return INVALID_REGULAR_EXPRESSION;
    }
    match error {
        DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => {
            classify(inner)
        }
        DataFusionError::Shared(inner) => classify(inner),
        DataFusionError::Collection(errors) => {
            errors.first().map(classify).unwrap_or(INTERNAL_ERROR)
        }
        DataFusionError::External(e) => match e.downcast_ref::<DataFusionError>() {
            Some(inner) => classify(inner),
            None => match e.downcast_ref::<SqlError>() {
                Some(sql) => sql.code,
                None => INTERNAL_ERROR,
            },
        },
        DataFusionError::SQL(..) => SYNTAX_ERROR,
        DataFusionError::SchemaError(e, _) => match e.as_ref() {
            SchemaError::FieldNotFound { .. } => UNDEFINED_COLUMN,
            SchemaError::AmbiguousReference { .. } => AMBIGUOUS_COLUMN,
            SchemaError::DuplicateQualifiedField { .. }
            | SchemaError::DuplicateUnqualifiedField { .. } => DUPLICATE_COLUMN,
        },
        DataFusionError::Plan(message) => classify_plan_message(message),
        DataFusionError::NotImplemented(_) => FEATURE_NOT_SUPPORTED,
        DataFusionError::Configuration(message) => classify_configuration_message(message),
        DataFusionError::ResourcesExhausted(_) => OUT_OF_MEMORY,
        DataFusionError::ArrowError(e, _) => classify_arrow(e),
        DataFusionError::ParquetError(_) => DATA_CORRUPTED,
        DataFusionError::ObjectStore(_) | DataFusionError::IoError(_) => IO_ERROR,
        // Run-time failures of expressions over data: casts, function arguments, overflow.
        DataFusionError::Execution(_) => DATA_EXCEPTION,
        DataFusionError::ExecutionJoin(_)
        | DataFusionError::Internal(_)
        | DataFusionError::Substrait(_)
        | DataFusionError::Ffi(_) => INTERNAL_ERROR,
    }
}

fn classify_arrow(e: &ArrowError) -> &'static str {
    use sqlstate::*;
    match e {
        ArrowError::DivideByZero => DIVISION_BY_ZERO,
        ArrowError::ArithmeticOverflow(_) => NUMERIC_VALUE_OUT_OF_RANGE,
        ArrowError::CastError(_) | ArrowError::ParseError(_) => INVALID_TEXT_REPRESENTATION,
        ArrowError::InvalidArgumentError(_) | ArrowError::ComputeError(_) => DATA_EXCEPTION,
        ArrowError::MemoryError(_) => OUT_OF_MEMORY,
        ArrowError::IoError(..) => IO_ERROR,
        ArrowError::ParquetError(_) => DATA_CORRUPTED,
        _ => INTERNAL_ERROR,
    }
}

/// An unknown setting is an undefined object, as in PostgreSQL; anything else DataFusion's
/// configuration refuses is a bad value for a known setting.
fn classify_configuration_message(message: &str) -> &'static str {
    if message.contains("not found") || message.contains("Could not find config namespace") {
        sqlstate::UNDEFINED_OBJECT
    } else {
        sqlstate::INVALID_PARAMETER_VALUE
    }
}

/// DataFusion's planner reports these as plain `Plan` messages; the patterns are the exact
/// wording of datafusion-sql 55 and are covered by tests, so a rewording is caught.
fn classify_plan_message(message: &str) -> &'static str {
    use sqlstate::*;
    let m = message.trim_start();
    if m.starts_with("table '") && m.contains("' not found") || m.starts_with("Table not found") {
        UNDEFINED_TABLE
    } else if m.starts_with("Invalid function")
        || m.starts_with("table function '")
        || m.contains("No function matches the given name and argument types")
        || m.contains("does not support zero arguments")
        || m.starts_with("Failed to coerce arguments")
        || m.contains("function") && m.contains("not found")
    {
        UNDEFINED_FUNCTION
    } else if m.starts_with("column '") && m.contains("not found") {
        UNDEFINED_COLUMN
    } else if m.starts_with("Placeholder type") || m.contains("placeholder") && m.contains("type") {
        INDETERMINATE_DATATYPE
    } else {
        SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION
    }
}
