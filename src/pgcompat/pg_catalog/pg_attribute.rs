//! `pg_attribute`: the columns of every relation, with their PostgreSQL types.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;
use postgres_types::Kind;

use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::snapshot::Relation;
use super::super::types;
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_attribute",
        def(
            &[
                ("attrelid", OID),
                ("attname", TEXT),
                ("atttypid", OID),
                ("attstattarget", INT2),
                ("attlen", INT2),
                ("attnum", INT2),
                ("attndims", INT4),
                ("attcacheoff", INT4),
                ("atttypmod", INT4),
                ("attbyval", BOOL),
                ("attalign", TEXT),
                ("attstorage", TEXT),
                ("attcompression", TEXT),
                ("attnotnull", BOOL),
                ("atthasdef", BOOL),
                ("atthasmissing", BOOL),
                ("attidentity", TEXT),
                ("attgenerated", TEXT),
                ("attisdropped", BOOL),
                ("attislocal", BOOL),
                ("attinhcount", INT2),
                ("attcollation", OID),
                ("attacl", ty::text_array()),
                ("attoptions", ty::text_array()),
                ("attfdwoptions", ty::text_array()),
                ("attmissingval", TEXT),
            ],
            pg_attribute,
        ),
    )]
}

fn pg_attribute(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        for (index, field) in r.columns.fields().iter().enumerate() {
            let column = Relation::column_type(field);
            let len = types::type_len(&column.pg_type);
            let is_text = matches!(column.pg_type.oid(), 25 | 1043 | 1042);
            rows.push(vec![
                val::oid(r.oid),
                val::text(field.name()),
                val::oid(column.pg_type.oid()),
                val::int2(-1),
                val::int2(len),
                val::int2(i16::try_from(index + 1).unwrap_or(i16::MAX)),
                val::int4(i32::from(matches!(column.pg_type.kind(), Kind::Array(_)))),
                val::int4(-1),
                val::int4(column.type_modifier),
                val::bool((1..=8).contains(&len)),
                val::text(if len == 8 { "d" } else { "i" }),
                val::text(if len > 0 { "p" } else { "x" }),
                val::text(""),
                val::bool(!field.is_nullable()),
                val::bool(false),
                val::bool(false),
                val::text(""),
                val::text(""),
                val::bool(false),
                val::bool(true),
                val::int2(0),
                val::oid(if is_text { 100 } else { 0 }),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
            ])?;
        }
    }
    rows.finish()
}
