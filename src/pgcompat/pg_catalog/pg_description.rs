//! `pg_description`: the comments on relations and functions (and `pg_shdescription`, with
//! none on shared objects).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::*;
use super::super::rows::{Rows, val};
use super::super::virtual_schema::empty;
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![
        (
            "pg_description",
            def(
                &[
                    ("objoid", OID),
                    ("classoid", OID),
                    ("objsubid", INT4),
                    ("description", TEXT),
                ],
                pg_description,
            ),
        ),
        (
            "pg_shdescription",
            def(
                &[("objoid", OID), ("classoid", OID), ("description", TEXT)],
                empty,
            ),
        ),
    ]
}

fn pg_description(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        if let Some(description) = &r.description {
            rows.push(vec![
                val::oid(r.oid),
                val::oid(oid::PG_CLASS),
                val::int4(0),
                val::text(description),
            ])?;
        }
    }
    for f in &cx.functions.functions {
        if let Some(description) = &f.description {
            rows.push(vec![
                val::oid(f.oid),
                val::oid(oid::PG_PROC),
                val::int4(0),
                val::text(description),
            ])?;
        }
    }
    rows.finish()
}
