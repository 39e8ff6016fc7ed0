//! [`SqlError`] as the wire carries it: an ErrorResponse with severity, SQLSTATE, message and hint.

use pgwire::error::{ErrorInfo, PgWireError};

use crate::error::SqlError;

pub fn to_error_info(error: SqlError) -> ErrorInfo {
    let mut info = ErrorInfo::new("ERROR".to_string(), error.code.to_string(), error.message);
    info.hint = error.hint;
    info
}

pub fn to_pgwire(error: SqlError) -> PgWireError {
    PgWireError::UserError(Box::new(to_error_info(error)))
}
