//! `pg_type`: the built-in types, with their arrays, categories and I/O functions.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;
use postgres_types::{Kind, Type};

use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};
use super::super::{oid, types};
use super::io_functions::{io_function_name, io_function_oid};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_type",
        def(
            &[
                ("oid", OID),
                ("typname", TEXT),
                ("typnamespace", OID),
                ("typowner", OID),
                ("typlen", INT2),
                ("typbyval", BOOL),
                ("typtype", TEXT),
                ("typcategory", TEXT),
                ("typispreferred", BOOL),
                ("typisdefined", BOOL),
                ("typdelim", TEXT),
                ("typrelid", OID),
                ("typsubscript", OID),
                ("typelem", OID),
                ("typarray", OID),
                ("typinput", OID),
                ("typoutput", OID),
                ("typreceive", OID),
                ("typsend", OID),
                ("typmodin", OID),
                ("typmodout", OID),
                ("typanalyze", OID),
                ("typalign", TEXT),
                ("typstorage", TEXT),
                ("typnotnull", BOOL),
                ("typbasetype", OID),
                ("typtypmod", INT4),
                ("typndims", INT4),
                ("typcollation", OID),
                ("typdefaultbin", TEXT),
                ("typdefault", TEXT),
                ("typacl", ty::text_array()),
            ],
            pg_type,
        ),
    )]
}

/// `pg_type.typcategory` of a built-in type.
fn type_category(t: &Type) -> &'static str {
    if let Kind::Array(_) = t.kind() {
        return "A";
    }
    if let Kind::Pseudo = t.kind() {
        return "P";
    }
    match t.oid() {
        16 => "B",
        20 | 21 | 23 | 26 | 700 | 701 | 1700 | 24 | 2202 | 2205 | 2206 | 4089 | 4096 => "N",
        1082 | 1083 | 1114 | 1184 | 1266 => "D",
        1186 => "T",
        18 | 19 | 25 | 1042 | 1043 => "S",
        17 => "U",
        _ => "U",
    }
}
fn pg_type(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    let all: Vec<Type> = types::builtin_types().collect();
    for t in &all {
        let (typtype, element) = match t.kind() {
            Kind::Array(element) => ("b", element.oid()),
            Kind::Pseudo => ("p", 0),
            Kind::Enum(_) => ("e", 0),
            Kind::Range(_) => ("r", 0),
            Kind::Multirange(_) => ("m", 0),
            Kind::Domain(_) => ("d", 0),
            Kind::Composite(_) => ("c", 0),
            _ => ("b", 0),
        };
        let array = all
            .iter()
            .find(|a| matches!(a.kind(), Kind::Array(e) if e == t))
            .map_or(0, Type::oid);
        let len = types::type_len(t);
        let is_text = matches!(t.oid(), 25 | 1043 | 1042 | 19);
        rows.push(vec![
            val::oid(t.oid()),
            val::text(t.name()),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::int2(len),
            val::bool((1..=8).contains(&len)),
            val::text(typtype),
            val::text(type_category(t)),
            val::bool(matches!(t.oid(), 16 | 25 | 701 | 1184 | 1186 | 26)),
            val::bool(true),
            val::text(","),
            val::oid(0),
            val::oid(if element != 0 {
                io_function_oid("array_subscript_handler")
            } else {
                0
            }),
            val::oid(element),
            val::oid(array),
            val::oid(io_function_oid(&io_function_name(t, "in"))),
            val::oid(io_function_oid(&io_function_name(t, "out"))),
            val::oid(io_function_oid(&io_function_name(t, "recv"))),
            val::oid(io_function_oid(&io_function_name(t, "send"))),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::text(if len == 8 {
                "d"
            } else if len == 2 {
                "s"
            } else if len == 1 {
                "c"
            } else {
                "i"
            }),
            val::text(if len > 0 { "p" } else { "x" }),
            val::bool(false),
            val::oid(0),
            val::int4(-1),
            val::int4(0),
            val::oid(if is_text { 100 } else { 0 }),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}
