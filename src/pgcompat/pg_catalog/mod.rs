//! The tables of `pg_catalog` that PostgreSQL clients read to find schemas, tables, columns,
//! types, functions and comments. Columns are PostgreSQL 16's, in its order, so `SELECT *`
//! and positional reads work; tables custlake has nothing for (indexes, constraints,
//! triggers, policies …) exist with their columns and no rows, so clients' joins succeed.
//!
//! One file per table built at scan time (small related tables share one), each with the
//! table's columns next to the builder of its rows; this module gathers them into the schema.

mod builtin_objects;
mod empty_tables;
mod io_functions;
mod pg_attribute;
mod pg_class;
mod pg_database;
mod pg_description;
mod pg_namespace;
mod pg_proc;
mod pg_settings;
mod pg_type;
mod roles;
mod system_views;

use std::collections::BTreeMap;

use super::virtual_schema::TableDef;

pub use io_functions::{io_function_name, io_function_oid, io_functions};

/// The owner every object is shown with.
pub const OWNER_NAME: &str = "custlake";

/// Every table of custlake's `pg_catalog`.
pub fn tables() -> BTreeMap<&'static str, TableDef> {
    [
        pg_namespace::tables(),
        pg_class::tables(),
        pg_attribute::tables(),
        pg_type::tables(),
        pg_proc::tables(),
        pg_description::tables(),
        pg_database::tables(),
        roles::tables(),
        builtin_objects::tables(),
        empty_tables::tables(),
        system_views::tables(),
        pg_settings::tables(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
