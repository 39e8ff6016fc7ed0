//! The one role custlake shows every object owned by: `pg_roles`, `pg_user`, and
//! `pg_auth_members` (no memberships).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::common::Result;

use super::super::oid;
use super::super::rows::ty::{self, *};
use super::super::rows::{Rows, val};
use super::super::virtual_schema::{Context, TableDef, def, empty};
use super::OWNER_NAME;

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    let role_columns = [
        ("rolname", TEXT),
        ("rolsuper", BOOL),
        ("rolinherit", BOOL),
        ("rolcreaterole", BOOL),
        ("rolcreatedb", BOOL),
        ("rolcanlogin", BOOL),
        ("rolreplication", BOOL),
        ("rolconnlimit", INT4),
        ("rolpassword", TEXT),
        ("rolvaliduntil", ty::timestamptz()),
        ("rolbypassrls", BOOL),
        ("rolconfig", ty::text_array()),
        ("oid", OID),
    ];
    vec![
        ("pg_roles", def(&role_columns, pg_roles)),
        (
            "pg_user",
            def(
                &[
                    ("usename", TEXT),
                    ("usesysid", OID),
                    ("usecreatedb", BOOL),
                    ("usesuper", BOOL),
                    ("userepl", BOOL),
                    ("usebypassrls", BOOL),
                    ("passwd", TEXT),
                    ("valuntil", ty::timestamptz()),
                    ("useconfig", ty::text_array()),
                ],
                pg_user,
            ),
        ),
        (
            "pg_auth_members",
            def(
                &[
                    ("oid", OID),
                    ("roleid", OID),
                    ("member", OID),
                    ("grantor", OID),
                    ("admin_option", BOOL),
                    ("inherit_option", BOOL),
                    ("set_option", BOOL),
                ],
                empty,
            ),
        ),
    ]
}

fn role_row(name: &str) -> Vec<datafusion::common::ScalarValue> {
    vec![
        val::text(name),
        val::bool(false),
        val::bool(true),
        val::bool(false),
        val::bool(false),
        val::bool(true),
        val::bool(false),
        val::int4(-1),
        val::text("********"),
        val::null(),
        val::bool(false),
        val::null(),
        val::oid(oid::OWNER_ROLE),
    ]
}

fn pg_roles(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(role_row(OWNER_NAME))?;
    rows.finish()
}

fn pg_user(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::text(OWNER_NAME),
        val::oid(oid::OWNER_ROLE),
        val::bool(false),
        val::bool(false),
        val::bool(false),
        val::bool(false),
        val::text("********"),
        val::null(),
        val::null(),
    ])?;
    rows.finish()
}
