//! The objects PostgreSQL always has, with fixed rows: access methods (`pg_am`), collations
//! (`pg_collation`), tablespaces (`pg_tablespace`) and languages (`pg_language`).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![
        (
            "pg_am",
            def(
                &[
                    ("oid", OID),
                    ("amname", TEXT),
                    ("amhandler", TEXT),
                    ("amtype", TEXT),
                ],
                pg_am,
            ),
        ),
        (
            "pg_collation",
            def(
                &[
                    ("oid", OID),
                    ("collname", TEXT),
                    ("collnamespace", OID),
                    ("collowner", OID),
                    ("collprovider", TEXT),
                    ("collisdeterministic", BOOL),
                    ("collencoding", INT4),
                    ("collcollate", TEXT),
                    ("collctype", TEXT),
                    ("colliculocale", TEXT),
                    ("collicurules", TEXT),
                    ("collversion", TEXT),
                ],
                pg_collation,
            ),
        ),
        (
            "pg_tablespace",
            def(
                &[
                    ("oid", OID),
                    ("spcname", TEXT),
                    ("spcowner", OID),
                    ("spcacl", ty::text_array()),
                    ("spcoptions", ty::text_array()),
                ],
                pg_tablespace,
            ),
        ),
        (
            "pg_language",
            def(
                &[
                    ("oid", OID),
                    ("lanname", TEXT),
                    ("lanowner", OID),
                    ("lanispl", BOOL),
                    ("lanpltrusted", BOOL),
                    ("lanplcallfoid", OID),
                    ("laninline", OID),
                    ("lanvalidator", OID),
                    ("lanacl", ty::text_array()),
                ],
                pg_language,
            ),
        ),
    ]
}

fn pg_am(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::oid(oid::HEAP_AM),
        val::text("heap"),
        val::text("heap_tableam_handler"),
        val::text("t"),
    ])?;
    rows.push(vec![
        val::oid(403),
        val::text("btree"),
        val::text("bthandler"),
        val::text("i"),
    ])?;
    rows.finish()
}

fn pg_collation(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name, provider) in [(100, "default", "d"), (950, "C", "c"), (951, "POSIX", "c")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::text(provider),
            val::bool(true),
            val::int4(-1),
            val::opt_text((provider == "c").then_some(name)),
            val::opt_text((provider == "c").then_some(name)),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_tablespace(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in [(1663, "pg_default"), (1664, "pg_global")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_language(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in [(12, "internal"), (13, "c"), (14, "sql")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::bool(false),
            val::bool(name == "sql"),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::null(),
        ])?;
    }
    rows.finish()
}
