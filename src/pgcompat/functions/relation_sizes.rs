//! Sizes and kinds of relations: `pg_size_pretty`, `pg_table_size` and friends (0 for a view,
//! NULL for a lake table, whose files are not sized per query) and
//! `pg_relation_is_publishable`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, Int64Array, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, internal_err};
use datafusion::datasource::TableType;
use datafusion::logical_expr::ColumnarValue;

use super::args::{oids, typed_arg};
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "pg_size_pretty",
            B::SizePretty,
            &[1],
            DataType::Utf8,
            "A byte count in bytes, kB, MB, GB or TB.",
            "pg_size_pretty(bytes)",
        ),
        (
            "pg_table_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation on disk: 0 for a view, NULL for a lake table (not measured).",
            "pg_table_size(relation_oid)",
        ),
        (
            "pg_relation_size",
            B::RelationSize,
            &[1, 2],
            DataType::Int64,
            "Bytes of a relation on disk: 0 for a view, NULL for a lake table (not measured).",
            "pg_relation_size(relation_oid [, fork])",
        ),
        (
            "pg_total_relation_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation with its indexes: 0 for a view, NULL for a lake table (not measured).",
            "pg_total_relation_size(relation_oid)",
        ),
        (
            "pg_indexes_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation's indexes: always 0, custlake has no indexes.",
            "pg_indexes_size(relation_oid)",
        ),
        (
            "pg_relation_is_publishable",
            B::RelationIsPublishable,
            &[1],
            DataType::Boolean,
            "Whether a relation could be published for logical replication: a base table outside the system schemas.",
            "pg_relation_is_publishable(relation_oid)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let a = call.args;
    let database = call.database.clone();
    let array: ArrayRef = match f.behaviour {
        B::SizePretty => {
            let bytes: Int64Array = typed_arg(&a[0], rows, &DataType::Int64)?;
            Arc::new(
                bytes
                    .iter()
                    .map(|b| b.map(size_pretty))
                    .collect::<StringArray>(),
            )
        }
        B::RelationIsPublishable => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let (schema, kind) = f.relation_kind(&database, id?)?;
                        let system = schema == "pg_catalog" || schema == "information_schema";
                        Some(!system && kind == TableType::Base)
                    })
                    .collect::<BooleanArray>(),
            )
        }
        B::RelationSize => {
            let ids = oids(&a[0], rows)?;
            let indexes = f.name == "pg_indexes_size";
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let (_, kind) = f.relation_kind(&database, id?)?;
                        (indexes || kind == TableType::View).then_some(0)
                    })
                    .collect::<Int64Array>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

pub(super) fn size_pretty(bytes: i64) -> String {
    // PostgreSQL switches unit when the value reaches 10240 of the current one, rounding half up.
    let mut value = bytes as f64;
    for unit in ["bytes", "kB", "MB", "GB", "TB"] {
        if value.abs() < 10240.0 || unit == "TB" {
            return format!("{} {unit}", value.round() as i64);
        }
        value /= 1024.0;
    }
    unreachable!("the loop returns at TB")
}
