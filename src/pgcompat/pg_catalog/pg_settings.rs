//! `pg_settings`: the standard settings with the session's values.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![(
        "pg_settings",
        def(
            &[
                ("name", TEXT),
                ("setting", TEXT),
                ("unit", TEXT),
                ("category", TEXT),
                ("short_desc", TEXT),
                ("extra_desc", TEXT),
                ("context", TEXT),
                ("vartype", TEXT),
                ("source", TEXT),
                ("min_val", TEXT),
                ("max_val", TEXT),
                ("enumvals", ty::text_array()),
                ("boot_val", TEXT),
                ("reset_val", TEXT),
                ("sourcefile", TEXT),
                ("sourceline", INT4),
                ("pending_restart", BOOL),
            ],
            pg_settings,
        ),
    )]
}

fn pg_settings(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (def, value) in cx.settings.all() {
        let source = if value == def.boot_value {
            "default"
        } else {
            "session"
        };
        rows.push(vec![
            val::text(def.name),
            val::text(&value),
            val::opt_text(def.unit()),
            val::text(def.category),
            val::text(def.description),
            val::null(),
            val::text(def.context()),
            val::text(def.vartype()),
            val::text(source),
            val::null(),
            val::null(),
            val::null(),
            val::text(def.boot_value),
            val::text(cx.settings.reset_value(def.name)),
            val::null(),
            val::null(),
            val::bool(false),
        ])?;
    }
    rows.finish()
}
