//! The type I/O functions (`int4in`, `array_recv` …) that `pg_type`'s regproc columns name and
//! `pg_proc` lists, with their OIDs.

use postgres_types::{Kind, Type};

use super::super::{oid, types};

/// The name of a type's input (`in`), output (`out`), binary receive (`recv`) or send
/// (`send`) function, as PostgreSQL names them (`int4in`, `array_recv` for every array).
pub fn io_function_name(t: &Type, what: &str) -> String {
    match t.kind() {
        Kind::Array(_) => format!("array_{what}"),
        _ => format!("{}{what}", t.name()),
    }
}

/// The OID of a type I/O function (and `array_subscript_handler`), which `pg_type`'s regproc
/// columns hold and `pg_proc` lists.
pub fn io_function_oid(name: &str) -> u32 {
    oid::function("pg_catalog", name, &[])
}

/// Every type I/O function: name, argument types, result type.
pub fn io_functions() -> Vec<(String, Vec<u32>, u32)> {
    const CSTRING: u32 = 2275;
    const INTERNAL: u32 = 2281;
    let mut functions = vec![(
        "array_subscript_handler".to_string(),
        vec![INTERNAL],
        INTERNAL,
    )];
    let mut seen = std::collections::BTreeSet::new();
    for t in types::builtin_types() {
        let is_array = matches!(t.kind(), Kind::Array(_));
        let ret = if is_array { 2277 } else { t.oid() };
        for (what, args, result) in [
            ("in", vec![CSTRING], ret),
            ("out", vec![ret], CSTRING),
            ("recv", vec![INTERNAL], ret),
            ("send", vec![ret], Type::BYTEA.oid()),
        ] {
            let name = io_function_name(&t, what);
            if seen.insert(name.clone()) {
                functions.push((name, args, result));
            }
        }
    }
    functions
}
