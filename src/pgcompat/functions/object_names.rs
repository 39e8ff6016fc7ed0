//! Object names and OIDs both ways, what `::regclass`, `::regtype`, `::regproc` and
//! `::regnamespace` casts are rewritten to (`regclass_oid`, `regtype_name` …), `to_regclass`,
//! `to_regtype`, and `format_type`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array, StringArray, UInt32Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err, internal_err, plan_err};
use datafusion::logical_expr::ColumnarValue;
use postgres_types::Type;

use super::super::oid;
use super::super::pg_catalog::{self};
use super::super::snapshot;
use super::super::types;
use super::args::{oids, texts, typed_arg};
use super::text::quote_ident;
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "format_type",
            B::FormatType,
            &[2],
            DataType::Utf8,
            "The SQL name of a type with its modifier.",
            "format_type(type_oid, typemod)",
        ),
        (
            "to_regclass",
            B::ToRegclass,
            &[1],
            DataType::UInt32,
            "The OID of a relation named by text, or NULL.",
            "to_regclass(name)",
        ),
        (
            "regclass_oid",
            B::RegclassOid,
            &[1],
            DataType::UInt32,
            "`'name'::regclass`: the OID of a relation, or an error.",
            "regclass_oid(name)",
        ),
        (
            "regclass_name",
            B::RegclassName,
            &[1],
            DataType::Utf8,
            "`oid::regclass` shown as text: the relation's name.",
            "regclass_name(oid)",
        ),
        (
            "regtype_oid",
            B::RegtypeOid,
            &[1],
            DataType::UInt32,
            "`'name'::regtype`: the OID of a type, or an error.",
            "regtype_oid(name)",
        ),
        (
            "regtype_name",
            B::RegtypeName,
            &[1],
            DataType::Utf8,
            "`oid::regtype` shown as text: the type's name.",
            "regtype_name(oid)",
        ),
        (
            "regnamespace_name",
            B::RegnamespaceName,
            &[1],
            DataType::Utf8,
            "`oid::regnamespace` shown as text: the schema's name.",
            "regnamespace_name(oid)",
        ),
        (
            "regproc_oid",
            B::RegprocOid,
            &[1],
            DataType::UInt32,
            "`'name'::regproc`: the OID of a function, or an error.",
            "regproc_oid(name)",
        ),
        (
            "regproc_name",
            B::RegprocName,
            &[1],
            DataType::Utf8,
            "`oid::regproc` shown as text: the function's name.",
            "regproc_name(oid)",
        ),
        (
            "to_regtype",
            B::ToRegtype,
            &[1],
            DataType::UInt32,
            "The OID of a type named by text, or NULL.",
            "to_regtype(name)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let config = call.config;
    let a = call.args;
    let database = call.database.clone();
    let array: ArrayRef = match f.behaviour {
        B::FormatType => {
            let ids = oids(&a[0], rows)?;
            let modifiers: Int32Array = typed_arg(&a[1], rows, &DataType::Int32)?;
            Arc::new(
                ids.iter()
                    .zip(modifiers.iter())
                    .map(|(id, modifier)| {
                        let id = id?;
                        Some(match Type::from_oid(id) {
                            Some(t) => types::format_type(&t, modifier.unwrap_or(-1)),
                            None => "???".to_string(),
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        B::ToRegclass | B::RegclassOid => {
            let names = texts(&a[0], rows)?;
            let mut out = Vec::with_capacity(rows);
            for name in names.iter() {
                let Some(name) = name else {
                    out.push(None);
                    continue;
                };
                let found = f.relation_oid_by_name(config, name);
                if found.is_none() && f.behaviour == B::RegclassOid {
                    return plan_err!("relation \"{name}\" does not exist");
                }
                out.push(found);
            }
            Arc::new(UInt32Array::from(out))
        }
        B::RegclassName => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let id = id?;
                        Some(
                            match snapshot::name_of_relation(f.catalogs.as_ref(), &database, id) {
                                Some((schema, name)) if f.visible_schema(config, &schema) => {
                                    quote_ident(&name)
                                }
                                Some((schema, name)) => {
                                    format!("{}.{}", quote_ident(&schema), quote_ident(&name))
                                }
                                None => id.to_string(),
                            },
                        )
                    })
                    .collect::<StringArray>(),
            )
        }
        B::RegprocOid => {
            let names = texts(&a[0], rows)?;
            let functions = f.shared.functions();
            let io = pg_catalog::io_functions();
            let mut out = Vec::with_capacity(rows);
            for name in names.iter() {
                let Some(name) = name else {
                    out.push(None);
                    continue;
                };
                let bare = name.trim();
                let bare = bare.strip_prefix("pg_catalog.").unwrap_or(bare);
                let bare = bare.split('(').next().unwrap_or(bare).trim();
                let found = functions
                    .functions
                    .iter()
                    .find(|f| f.name == bare)
                    .map(|f| f.oid)
                    .or_else(|| {
                        io.iter()
                            .any(|(n, _, _)| n == bare)
                            .then(|| pg_catalog::io_function_oid(bare))
                    });
                match found {
                    Some(oid) => out.push(Some(oid)),
                    None => return plan_err!("function \"{name}\" does not exist"),
                }
            }
            Arc::new(UInt32Array::from(out))
        }
        B::RegprocName => {
            let ids = oids(&a[0], rows)?;
            let functions = f.shared.functions();
            let io = pg_catalog::io_functions();
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let id = id?;
                        Some(if id == 0 {
                            "-".to_string()
                        } else if let Some(f) = functions.get(id) {
                            f.name.clone()
                        } else if let Some((name, _, _)) = io
                            .iter()
                            .find(|(n, _, _)| pg_catalog::io_function_oid(n) == id)
                        {
                            name.clone()
                        } else {
                            id.to_string()
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        B::ToRegtype => {
            let names = texts(&a[0], rows)?;
            Arc::new(
                names
                    .iter()
                    .map(|n| n.and_then(type_by_name).map(|t| t.oid()))
                    .collect::<UInt32Array>(),
            )
        }
        B::RegtypeOid => {
            let names = texts(&a[0], rows)?;
            let mut out = Vec::with_capacity(rows);
            for name in names.iter() {
                let Some(name) = name else {
                    out.push(None);
                    continue;
                };
                match type_by_name(name) {
                    Some(t) => out.push(Some(t.oid())),
                    None => return exec_err!("type \"{name}\" does not exist"),
                }
            }
            Arc::new(UInt32Array::from(out))
        }
        B::RegtypeName => {
            let ids = oids(&a[0], rows)?;
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let id = id?;
                        Some(match Type::from_oid(id) {
                            Some(t) => types::format_type(&t, -1),
                            None => id.to_string(),
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        B::RegnamespaceName => {
            let ids = oids(&a[0], rows)?;
            let catalog = f.catalogs.catalog(&database);
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let id = id?;
                        let name = catalog.as_ref().and_then(|c| {
                            c.schema_names()
                                .into_iter()
                                .find(|s| oid::namespace(s) == id)
                        });
                        Some(name.unwrap_or_else(|| id.to_string()))
                    })
                    .collect::<StringArray>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}

/// The type named `name` as PostgreSQL reads type names (`int4`, `integer`, `text[]`,
/// `pg_catalog.timestamptz`, `character varying`).
pub fn type_by_name(name: &str) -> Option<Type> {
    let name = name.trim().to_ascii_lowercase();
    let name = name.strip_prefix("pg_catalog.").unwrap_or(&name);
    if let Some(element) = name.strip_suffix("[]") {
        let element = type_by_name(element)?;
        return types::builtin_types()
            .find(|t| matches!(t.kind(), postgres_types::Kind::Array(e) if *e == element));
    }
    let canonical = match name {
        "integer" | "int" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "double precision" => "float8",
        "boolean" => "bool",
        "character varying" => "varchar",
        "character" => "bpchar",
        "timestamp without time zone" | "timestamp" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        "decimal" => "numeric",
        other => other,
    };
    types::builtin_types().find(|t| t.name() == canonical)
}
