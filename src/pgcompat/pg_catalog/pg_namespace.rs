//! `pg_namespace`: the schemas of the current database.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_namespace",
        def(
            &[
                ("oid", OID),
                ("nspname", TEXT),
                ("nspowner", OID),
                ("nspacl", ty::text_array()),
            ],
            pg_namespace,
        ),
    )]
}

fn pg_namespace(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in &cx.snapshot.namespaces {
        rows.push(vec![
            val::oid(*oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::null(),
        ])?;
    }
    rows.finish()
}
