//! Whether an object is visible through `search_path`: `pg_table_is_visible`,
//! `pg_type_is_visible`, `pg_function_is_visible`, `pg_collation_is_visible`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, internal_err};
use datafusion::logical_expr::ColumnarValue;
use postgres_types::Type;

use super::super::oid;
use super::super::snapshot;
use super::args::oids;
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "pg_table_is_visible",
            B::TableIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the relation is in a schema of search_path.",
            "pg_table_is_visible(relation_oid)",
        ),
        (
            "pg_type_is_visible",
            B::TypeIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the type is visible in search_path.",
            "pg_type_is_visible(type_oid)",
        ),
        (
            "pg_function_is_visible",
            B::FunctionIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the function is in a schema of search_path.",
            "pg_function_is_visible(function_oid)",
        ),
        (
            "pg_collation_is_visible",
            B::TypeIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the collation is visible in search_path (all are, in pg_catalog).",
            "pg_collation_is_visible(collation_oid)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let config = call.config;
    let a = call.args;
    let database = call.database.clone();
    let array: ArrayRef = match f.behaviour {
        B::TableIsVisible => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let id = id?;
                        let schema =
                            snapshot::schema_of_relation(f.catalogs.as_ref(), &database, id)?;
                        Some(f.visible_schema(config, &schema))
                    })
                    .collect::<BooleanArray>(),
            )
        }
        B::TypeIsVisible => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| id.map(|id| Type::from_oid(id).is_some()))
                    .collect::<BooleanArray>(),
            )
        }
        B::FunctionIsVisible => {
            let ids = oids(&a[0], rows)?;
            let functions = f.shared.functions();
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let function = functions.get(id?)?;
                        let schema = if function.namespace == oid::PG_CATALOG_NAMESPACE {
                            "pg_catalog"
                        } else {
                            "public"
                        };
                        Some(f.visible_schema(config, schema))
                    })
                    .collect::<BooleanArray>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}
