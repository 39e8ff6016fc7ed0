//! The session and the server as PostgreSQL reports them: `version()`, `current_database()`,
//! `current_schema(s)`, the current user and role, the backend's PID, recovery, role names by
//! OID, encoding names, and `pg_advisory_unlock_all()` (custlake takes no advisory locks).

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Int32Array, ListBuilder, StringArray, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::super::oid;
use super::super::pg_catalog::OWNER_NAME;
use super::super::settings::SERVER_VERSION;
use super::args::{oids, typed_arg};
use super::{Behaviour as B, Call, PgFunction, Spec, scalar_text, settings};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "version",
            B::Version,
            &[0],
            DataType::Utf8,
            "The server's version, PostgreSQL-shaped.",
            "version()",
        ),
        (
            "current_database",
            B::CurrentDatabase,
            &[0],
            DataType::Utf8,
            "The name of the current database.",
            "current_database()",
        ),
        (
            "current_catalog",
            B::CurrentDatabase,
            &[0],
            DataType::Utf8,
            "The name of the current database.",
            "current_catalog",
        ),
        (
            "current_schema",
            B::CurrentSchema,
            &[0],
            DataType::Utf8,
            "The first schema of search_path.",
            "current_schema()",
        ),
        (
            "current_schemas",
            B::CurrentSchemas,
            &[1],
            DataType::new_list(DataType::Utf8, true),
            "The schemas of search_path, with pg_catalog if the argument is true.",
            "current_schemas(include_implicit)",
        ),
        (
            "current_user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "current_user",
        ),
        (
            "current_role",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "current_role",
        ),
        (
            "session_user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user that connected.",
            "session_user",
        ),
        (
            "user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "user",
        ),
        (
            "pg_backend_pid",
            B::BackendPid,
            &[0],
            DataType::Int32,
            "The process ID the connection was given.",
            "pg_backend_pid()",
        ),
        (
            "pg_is_in_recovery",
            B::InRecovery,
            &[0],
            DataType::Boolean,
            "Whether the server is a standby (never).",
            "pg_is_in_recovery()",
        ),
        (
            "pg_get_userbyid",
            B::GetUserById,
            &[1],
            DataType::Utf8,
            "The name of the role with this OID.",
            "pg_get_userbyid(role_oid)",
        ),
        (
            "pg_encoding_to_char",
            B::EncodingToChar,
            &[1],
            DataType::Utf8,
            "The name of an encoding number.",
            "pg_encoding_to_char(encoding)",
        ),
        (
            "pg_advisory_unlock_all",
            B::Nothing,
            &[0],
            DataType::Null,
            "Releases the session's advisory locks (custlake takes none).",
            "pg_advisory_unlock_all()",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let config = call.config;
    let a = call.args;
    let database = call.database.clone();
    let array: ArrayRef = match f.behaviour {
        B::Version => return Ok(scalar_text(Some(version_string()))),
        B::CurrentDatabase => return Ok(scalar_text(Some(database))),
        B::CurrentSchema => {
            let catalog = f.catalogs.catalog(&database);
            let first = settings(config)
                .search_path()
                .into_iter()
                .find(|s| catalog.as_ref().is_some_and(|c| c.schema(s).is_some()));
            return Ok(scalar_text(first));
        }
        B::CurrentSchemas => {
            let include_implicit: BooleanArray = typed_arg(&a[0], rows, &DataType::Boolean)?;
            let path = settings(config).search_path();
            let mut builder = ListBuilder::new(StringBuilder::new())
                .with_field(Arc::new(Field::new_list_field(DataType::Utf8, true)));
            for implicit in include_implicit.iter() {
                if implicit == Some(true) {
                    builder.values().append_value("pg_catalog");
                }
                for schema in &path {
                    builder.values().append_value(schema);
                }
                builder.append(true);
            }
            Arc::new(builder.finish())
        }
        B::CurrentUser => {
            let user = settings(config)
                .user
                .unwrap_or_else(|| OWNER_NAME.to_string());
            return Ok(scalar_text(Some(user)));
        }
        B::BackendPid => {
            return Ok(ColumnarValue::Scalar(
                datafusion::common::ScalarValue::Int32(Some(settings(config).backend_pid)),
            ));
        }
        B::InRecovery => {
            return Ok(ColumnarValue::Scalar(
                datafusion::common::ScalarValue::Boolean(Some(false)),
            ));
        }
        B::GetUserById => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| {
                        id.map(|id| {
                            if id == oid::OWNER_ROLE {
                                OWNER_NAME.to_string()
                            } else {
                                format!("unknown (OID={id})")
                            }
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        B::EncodingToChar => {
            let codes: Int32Array = typed_arg(&a[0], rows, &DataType::Int32)?;
            Arc::new(
                codes
                    .iter()
                    .map(|c| c.map(|c| if c == 6 { "UTF8" } else { "" }))
                    .collect::<StringArray>(),
            )
        }
        B::Nothing => return Ok(ColumnarValue::Scalar(datafusion::common::ScalarValue::Null)),
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

/// The `version()` string: PostgreSQL-shaped, so drivers that parse the version are content.
pub fn version_string() -> String {
    format!(
        "PostgreSQL {SERVER_VERSION} (custlake {}) on {}-unknown-linux-gnu, compiled by rustc, 64-bit",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    )
}
