//! The views over relations that PostgreSQL derives from `pg_class`: `pg_tables`, `pg_views`,
//! `pg_matviews` (none here) and `pg_stat_user_tables`.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::empty;
use super::super::virtual_schema::{Context, TableDef, def};
use super::OWNER_NAME;

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![
        (
            "pg_stat_user_tables",
            def(
                &[
                    ("relid", OID),
                    ("schemaname", TEXT),
                    ("relname", TEXT),
                    ("seq_scan", ty::INT8),
                    ("n_live_tup", ty::INT8),
                    ("n_dead_tup", ty::INT8),
                ],
                pg_stat_user_tables,
            ),
        ),
        (
            "pg_views",
            def(
                &[
                    ("schemaname", TEXT),
                    ("viewname", TEXT),
                    ("viewowner", TEXT),
                    ("definition", TEXT),
                ],
                pg_views,
            ),
        ),
        (
            "pg_tables",
            def(
                &[
                    ("schemaname", TEXT),
                    ("tablename", TEXT),
                    ("tableowner", TEXT),
                    ("tablespace", TEXT),
                    ("hasindexes", BOOL),
                    ("hasrules", BOOL),
                    ("hastriggers", BOOL),
                    ("rowsecurity", BOOL),
                ],
                pg_tables,
            ),
        ),
        (
            "pg_matviews",
            def(
                &[
                    ("schemaname", TEXT),
                    ("matviewname", TEXT),
                    ("matviewowner", TEXT),
                    ("tablespace", TEXT),
                    ("hasindexes", BOOL),
                    ("ispopulated", BOOL),
                    ("definition", TEXT),
                ],
                empty,
            ),
        ),
    ]
}

fn pg_views(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in cx.snapshot.relations.iter().filter(|r| r.kind == 'v') {
        rows.push(vec![
            val::text(&r.schema),
            val::text(&r.name),
            val::text(OWNER_NAME),
            val::opt_text(r.definition.clone()),
        ])?;
    }
    rows.finish()
}

/// The lake's tables; row counts are NULL: they are not counted per query.
fn pg_stat_user_tables(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in
        cx.snapshot.relations.iter().filter(|r| {
            r.kind == 'r' && r.schema != "pg_catalog" && r.schema != "information_schema"
        })
    {
        rows.push(vec![
            val::oid(r.oid),
            val::text(&r.schema),
            val::text(&r.name),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_tables(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in cx.snapshot.relations.iter().filter(|r| r.kind == 'r') {
        rows.push(vec![
            val::text(&r.schema),
            val::text(&r.name),
            val::text(OWNER_NAME),
            val::null(),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(false),
        ])?;
    }
    rows.finish()
}
