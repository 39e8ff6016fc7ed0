//! `pg_database`: the one database a session sees.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_database",
        def(
            &[
                ("oid", OID),
                ("datname", TEXT),
                ("datdba", OID),
                ("encoding", INT4),
                ("datlocprovider", TEXT),
                ("datistemplate", BOOL),
                ("datallowconn", BOOL),
                ("datconnlimit", INT4),
                ("datfrozenxid", OID),
                ("datminmxid", OID),
                ("dattablespace", OID),
                ("datcollate", TEXT),
                ("datctype", TEXT),
                ("daticulocale", TEXT),
                ("daticurules", TEXT),
                ("datcollversion", TEXT),
                ("datacl", ty::text_array()),
            ],
            pg_database,
        ),
    )]
}

fn pg_database(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::oid(oid::DATABASE),
        val::text(&cx.snapshot.database),
        val::oid(oid::OWNER_ROLE),
        // 6: UTF8
        val::int4(6),
        val::text("c"),
        val::bool(false),
        val::bool(true),
        val::int4(-1),
        val::oid(0),
        val::oid(0),
        val::oid(1663),
        val::text("C.UTF-8"),
        val::text("C.UTF-8"),
        val::null(),
        val::null(),
        val::null(),
        val::null(),
    ])?;
    rows.finish()
}
