//! What the catalog says of an object: comments (`obj_description`, `col_description`,
//! `shobj_description`), definitions (`pg_get_viewdef`, and the `pg_get_*def` of what custlake
//! has none of), a function's arguments and result, and statistics custlake does not keep.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StringArray, UInt32Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, internal_err};
use datafusion::logical_expr::ColumnarValue;

use super::super::snapshot;
use super::super::table_lookup;
use super::args::{oids, texts};
use super::{Behaviour as B, Call, PgFunction, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        (
            "obj_description",
            B::ObjDescription,
            &[1, 2],
            DataType::Utf8,
            "The comment on a database object (a saved query's description for its view).",
            "obj_description(oid [, catalog_name])",
        ),
        (
            "col_description",
            B::ColDescription,
            &[2],
            DataType::Utf8,
            "The comment on a table column.",
            "col_description(relation_oid, column_number)",
        ),
        (
            "shobj_description",
            B::ShobjDescription,
            &[2],
            DataType::Utf8,
            "The comment on a shared database object.",
            "shobj_description(oid, catalog_name)",
        ),
        (
            "pg_get_viewdef",
            B::GetViewDef,
            &[1, 2],
            DataType::Utf8,
            "The SQL of a view.",
            "pg_get_viewdef(view_oid [, pretty])",
        ),
        (
            "pg_get_expr",
            B::NoDefinition,
            &[2, 3],
            DataType::Utf8,
            "The text of a stored expression (custlake stores none).",
            "pg_get_expr(node_tree, relation_oid [, pretty])",
        ),
        (
            "pg_get_constraintdef",
            B::NoDefinition,
            &[1, 2],
            DataType::Utf8,
            "The definition of a constraint (custlake has none).",
            "pg_get_constraintdef(constraint_oid [, pretty])",
        ),
        (
            "pg_get_indexdef",
            B::NoDefinition,
            &[1, 3],
            DataType::Utf8,
            "The definition of an index (custlake has none).",
            "pg_get_indexdef(index_oid [, column, pretty])",
        ),
        (
            "pg_get_triggerdef",
            B::NoDefinition,
            &[1, 2],
            DataType::Utf8,
            "The definition of a trigger (custlake has none).",
            "pg_get_triggerdef(trigger_oid [, pretty])",
        ),
        (
            "pg_get_ruledef",
            B::NoDefinition,
            &[1, 2],
            DataType::Utf8,
            "The definition of a rewrite rule (custlake has none).",
            "pg_get_ruledef(rule_oid [, pretty])",
        ),
        (
            "pg_get_partkeydef",
            B::NoDefinition,
            &[1],
            DataType::Utf8,
            "The partition key of a table (custlake has none).",
            "pg_get_partkeydef(relation_oid)",
        ),
        (
            "pg_get_statisticsobjdef_columns",
            B::NoDefinition,
            &[1],
            DataType::Utf8,
            "Columns of an extended statistics object (custlake has none).",
            "pg_get_statisticsobjdef_columns(oid)",
        ),
        (
            "pg_get_function_arguments",
            B::FunctionArguments,
            &[1],
            DataType::Utf8,
            "The argument list of a function.",
            "pg_get_function_arguments(function_oid)",
        ),
        (
            "pg_get_function_identity_arguments",
            B::FunctionArguments,
            &[1],
            DataType::Utf8,
            "The argument list identifying a function.",
            "pg_get_function_identity_arguments(function_oid)",
        ),
        (
            "pg_get_function_result",
            B::FunctionResult,
            &[1],
            DataType::Utf8,
            "The result type of a function.",
            "pg_get_function_result(function_oid)",
        ),
        (
            "pg_get_serial_sequence",
            B::NoDefinition,
            &[2],
            DataType::Utf8,
            "The sequence behind a serial column (custlake has no sequences).",
            "pg_get_serial_sequence(table, column)",
        ),
        (
            "pg_stat_get_numscans",
            B::Unmeasured,
            &[1],
            DataType::Int64,
            "Sequential scans of a table: NULL, custlake keeps no scan statistics.",
            "pg_stat_get_numscans(relation_oid)",
        ),
    ]
}

pub(super) fn invoke(f: &PgFunction, call: &Call<'_>) -> Result<ColumnarValue> {
    let rows = call.rows;
    let config = call.config;
    let a = call.args;
    let database = call.database.clone();
    let array: ArrayRef = match f.behaviour {
        B::ObjDescription => {
            let ids = oids(&a[0], rows)?;
            let classes = match a.get(1) {
                Some(arg) => Some(texts(arg, rows)?),
                None => None,
            };
            let functions = f.shared.functions();
            Arc::new(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let id = id?;
                        let class = classes
                            .as_ref()
                            .map(|c| c.is_valid(i).then(|| c.value(i).to_string()));
                        let class = match class {
                            Some(None) => return None,
                            Some(Some(c)) => Some(c),
                            None => None,
                        };
                        let wants = |name: &str| class.as_deref().is_none_or(|c| c == name);
                        if wants("pg_class")
                            && let Some((schema, name)) =
                                snapshot::name_of_relation(f.catalogs.as_ref(), &database, id)
                        {
                            return f.shared.comments.get(&schema, &name);
                        }
                        if wants("pg_proc") {
                            return functions.get(id).and_then(|f| f.description.clone());
                        }
                        None
                    })
                    .collect::<StringArray>(),
            )
        }
        B::ColDescription | B::ShobjDescription | B::NoDefinition | B::Unmeasured => {
            datafusion::arrow::array::new_null_array(&f.return_type, rows)
        }
        B::GetViewDef => {
            let ids = match a[0].data_type() {
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                    let names = texts(&a[0], rows)?;
                    names
                        .iter()
                        .map(|n| n.and_then(|n| f.relation_oid_by_name(config, n)))
                        .collect::<UInt32Array>()
                }
                _ => oids(&a[0], rows)?,
            };
            let catalog = f.catalogs.catalog(&database);
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let (schema, name) =
                            snapshot::name_of_relation(f.catalogs.as_ref(), &database, id?)?;
                        let provider = catalog.as_ref()?.schema(&schema)?;
                        let table = table_lookup::table(provider.as_ref(), &name).ok()??;
                        table.get_table_definition().map(str::to_string)
                    })
                    .collect::<StringArray>(),
            )
        }
        B::FunctionArguments | B::FunctionResult => {
            let ids = oids(&a[0], rows)?;
            let functions = f.shared.functions();
            Arc::new(
                ids.iter()
                    .map(|id| {
                        let function = functions.get(id?)?;
                        Some(if f.behaviour == B::FunctionResult {
                            function.result_text()
                        } else {
                            function.arguments_text()
                        })
                    })
                    .collect::<StringArray>(),
            )
        }
        _ => return internal_err!("{} is not one of these functions", f.name),
    };
    Ok(ColumnarValue::Array(array))
}
