//! `pg_proc`: the type I/O functions and every function of the engine.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;
use postgres_types::Type;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::snapshot::FunctionKind;
use super::super::virtual_schema::{Context, TableDef, def};
use super::io_functions::{io_function_oid, io_functions};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_proc",
        def(
            &[
                ("oid", OID),
                ("proname", TEXT),
                ("pronamespace", OID),
                ("proowner", OID),
                ("prolang", OID),
                ("procost", FLOAT4),
                ("prorows", FLOAT4),
                ("provariadic", OID),
                ("prosupport", OID),
                ("prokind", TEXT),
                ("prosecdef", BOOL),
                ("proleakproof", BOOL),
                ("proisstrict", BOOL),
                ("proretset", BOOL),
                ("provolatile", TEXT),
                ("proparallel", TEXT),
                ("pronargs", INT2),
                ("pronargdefaults", INT2),
                ("prorettype", OID),
                ("proargtypes", ty::oid_array()),
                ("proallargtypes", ty::oid_array()),
                ("proargmodes", ty::text_array()),
                ("proargnames", ty::text_array()),
                ("proargdefaults", TEXT),
                ("protrftypes", ty::oid_array()),
                ("prosrc", TEXT),
                ("probin", TEXT),
                ("prosqlbody", TEXT),
                ("proconfig", ty::text_array()),
                ("proacl", ty::text_array()),
            ],
            pg_proc,
        ),
    )]
}

fn pg_proc(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (name, arguments, result) in io_functions() {
        let mut row = vec![
            val::oid(io_function_oid(&name)),
            val::text(&name),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::oid(12),
            val::float4(1.0),
            val::float4(0.0),
            val::oid(0),
            val::oid(0),
            val::text("f"),
            val::bool(false),
            val::bool(false),
            val::bool(true),
            val::bool(false),
            val::text("i"),
            val::text("s"),
            val::int2(i16::try_from(arguments.len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::oid(result),
            val::oid_array(&arguments),
        ];
        row.extend([
            val::null(),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ]);
        row.extend([
            val::text(&name),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ]);
        rows.push(row)?;
    }
    for f in &cx.functions.functions {
        let argument_oids: Vec<u32> = f.argument_types.iter().map(Type::oid).collect();
        let names =
            if f.argument_names.len() == f.argument_types.len() && !f.argument_names.is_empty() {
                val::text_array(&f.argument_names)
            } else {
                val::null()
            };
        rows.push(vec![
            val::oid(f.oid),
            val::text(&f.name),
            val::oid(f.namespace),
            val::oid(oid::OWNER_ROLE),
            // 12: the "internal" language, as PostgreSQL's built-in functions.
            val::oid(12),
            val::float4(1.0),
            val::float4(if f.kind == FunctionKind::Table {
                1000.0
            } else {
                0.0
            }),
            val::oid(0),
            val::oid(0),
            val::text(f.kind.prokind().to_string()),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(f.kind == FunctionKind::Table),
            val::text("s"),
            val::text("s"),
            val::int2(i16::try_from(argument_oids.len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::oid(f.return_type.as_ref().unwrap_or(&Type::ANYELEMENT).oid()),
            val::oid_array(&argument_oids),
            val::null(),
            val::null(),
            names,
            val::null(),
            val::null(),
            val::text(&f.name),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}
