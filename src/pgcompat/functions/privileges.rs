//! Privilege checks (`has_table_privilege` and the other `has_*_privilege`): read
//! privileges hold, write privileges do not, as the lake is read-only.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::args::texts;
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "has_table_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a table: read privileges only, as the lake is read-only.",
            "has_table_privilege([user,] table, privilege)",
        ),
        (
            "has_schema_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a schema.",
            "has_schema_privilege([user,] schema, privilege)",
        ),
        (
            "has_database_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a database.",
            "has_database_privilege([user,] database, privilege)",
        ),
        (
            "has_column_privilege",
            B::HasPrivilege,
            &[3, 4],
            DataType::Boolean,
            "Whether the user holds a privilege on a column.",
            "has_column_privilege([user,] table, column, privilege)",
        ),
        (
            "has_any_column_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on any column of a table.",
            "has_any_column_privilege([user,] table, privilege)",
        ),
        (
            "has_function_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user may execute a function.",
            "has_function_privilege([user,] function, privilege)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let a = call.args;
    let array: ArrayRef = match f.behaviour {
        B::HasPrivilege => {
            let privileges = texts(&a[a.len() - 1], rows)?;
            Arc::new(
                privileges
                    .iter()
                    .map(|p| p.map(read_privilege))
                    .collect::<BooleanArray>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

/// Whether a privilege string names only privileges a read-only lake grants.
pub(super) fn read_privilege(privileges: &str) -> bool {
    privileges.split(',').all(|p| {
        let p = p.trim().to_ascii_uppercase();
        let p = p.trim_end_matches(" WITH GRANT OPTION").trim();
        matches!(
            p,
            "SELECT" | "USAGE" | "CONNECT" | "EXECUTE" | "TEMPORARY" | "TEMP" | "REFERENCES"
        )
    })
}
