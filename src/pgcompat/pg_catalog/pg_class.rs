//! `pg_class`: the relations (tables and views) of the current database.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_class",
        def(
            &[
                ("oid", OID),
                ("relname", TEXT),
                ("relnamespace", OID),
                ("reltype", OID),
                ("reloftype", OID),
                ("relowner", OID),
                ("relam", OID),
                ("relfilenode", OID),
                ("reltablespace", OID),
                ("relpages", INT4),
                ("reltuples", FLOAT4),
                ("relallvisible", INT4),
                ("reltoastrelid", OID),
                ("relhasindex", BOOL),
                ("relisshared", BOOL),
                ("relpersistence", TEXT),
                ("relkind", TEXT),
                ("relnatts", INT2),
                ("relchecks", INT2),
                ("relhasrules", BOOL),
                ("relhastriggers", BOOL),
                ("relhassubclass", BOOL),
                ("relrowsecurity", BOOL),
                ("relforcerowsecurity", BOOL),
                ("relispopulated", BOOL),
                ("relreplident", TEXT),
                ("relispartition", BOOL),
                ("relrewrite", OID),
                ("relfrozenxid", OID),
                ("relminmxid", OID),
                ("relacl", ty::text_array()),
                ("reloptions", ty::text_array()),
                ("relpartbound", TEXT),
            ],
            pg_class,
        ),
    )]
}

fn pg_class(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        rows.push(vec![
            val::oid(r.oid),
            val::text(&r.name),
            val::oid(r.namespace),
            val::oid(0),
            val::oid(0),
            val::oid(oid::OWNER_ROLE),
            val::oid(if r.kind == 'r' { oid::HEAP_AM } else { 0 }),
            val::oid(0),
            val::oid(0),
            val::int4(0),
            // Unknown, as PostgreSQL says of a table never analysed.
            val::float4(-1.0),
            val::int4(0),
            val::oid(0),
            val::bool(false),
            val::bool(false),
            val::text("p"),
            val::text(r.kind.to_string()),
            val::int2(i16::try_from(r.columns.fields().len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::bool(r.kind == 'v'),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(true),
            val::text(if r.kind == 'r' { "d" } else { "n" }),
            val::bool(false),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}
