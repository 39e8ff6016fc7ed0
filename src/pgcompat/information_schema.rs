//! `information_schema` as PostgreSQL shows it: `columns` with PostgreSQL type names and
//! `udt_name`, `views.view_definition`, and the standard's column lists, which SQLAlchemy,
//! pgjdbc and BI tools read. DataFusion's `routines`, `parameters` and `df_settings` (with
//! each function's documentation) are passed through.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::catalog::MemoryCatalogProviderList;
use datafusion::catalog::SchemaProvider;
use datafusion::catalog::information_schema::InformationSchemaProvider;
use datafusion::common::Result;
use postgres_types::Type;

use super::pg_catalog::OWNER_NAME;
use super::rows::{Rows, ty, val};
use super::snapshot::Relation;
use super::types;
use super::virtual_schema::{Context, TableDef, def, empty};

/// Every table of custlake's `information_schema`.
pub async fn tables() -> Result<BTreeMap<&'static str, TableDef>> {
    use ty::{INT4, TEXT};
    let mut t = BTreeMap::new();
    t.insert(
        "tables",
        def(
            &[
                ("table_catalog", TEXT),
                ("table_schema", TEXT),
                ("table_name", TEXT),
                ("table_type", TEXT),
                ("self_referencing_column_name", TEXT),
                ("reference_generation", TEXT),
                ("user_defined_type_catalog", TEXT),
                ("user_defined_type_schema", TEXT),
                ("user_defined_type_name", TEXT),
                ("is_insertable_into", TEXT),
                ("is_typed", TEXT),
                ("commit_action", TEXT),
            ],
            tables_rows,
        ),
    );
    t.insert(
        "views",
        def(
            &[
                ("table_catalog", TEXT),
                ("table_schema", TEXT),
                ("table_name", TEXT),
                ("view_definition", TEXT),
                ("check_option", TEXT),
                ("is_updatable", TEXT),
                ("is_insertable_into", TEXT),
                ("is_trigger_updatable", TEXT),
                ("is_trigger_deletable", TEXT),
                ("is_trigger_insertable_into", TEXT),
            ],
            views_rows,
        ),
    );
    t.insert(
        "schemata",
        def(
            &[
                ("catalog_name", TEXT),
                ("schema_name", TEXT),
                ("schema_owner", TEXT),
                ("default_character_set_catalog", TEXT),
                ("default_character_set_schema", TEXT),
                ("default_character_set_name", TEXT),
                ("sql_path", TEXT),
            ],
            schemata_rows,
        ),
    );
    let columns: Vec<(&str, DataType)> = [
        ("table_catalog", TEXT),
        ("table_schema", TEXT),
        ("table_name", TEXT),
        ("column_name", TEXT),
        ("ordinal_position", INT4),
        ("column_default", TEXT),
        ("is_nullable", TEXT),
        ("data_type", TEXT),
        ("character_maximum_length", INT4),
        ("character_octet_length", INT4),
        ("numeric_precision", INT4),
        ("numeric_precision_radix", INT4),
        ("numeric_scale", INT4),
        ("datetime_precision", INT4),
        ("interval_type", TEXT),
        ("interval_precision", INT4),
        ("character_set_catalog", TEXT),
        ("character_set_schema", TEXT),
        ("character_set_name", TEXT),
        ("collation_catalog", TEXT),
        ("collation_schema", TEXT),
        ("collation_name", TEXT),
        ("domain_catalog", TEXT),
        ("domain_schema", TEXT),
        ("domain_name", TEXT),
        ("udt_catalog", TEXT),
        ("udt_schema", TEXT),
        ("udt_name", TEXT),
        ("scope_catalog", TEXT),
        ("scope_schema", TEXT),
        ("scope_name", TEXT),
        ("maximum_cardinality", INT4),
        ("dtd_identifier", TEXT),
        ("is_self_referencing", TEXT),
        ("is_identity", TEXT),
        ("identity_generation", TEXT),
        ("identity_start", TEXT),
        ("identity_increment", TEXT),
        ("identity_maximum", TEXT),
        ("identity_minimum", TEXT),
        ("identity_cycle", TEXT),
        ("is_generated", TEXT),
        ("generation_expression", TEXT),
        ("is_updatable", TEXT),
    ]
    .into_iter()
    .collect();
    t.insert("columns", def(&columns, columns_rows));
    let constraint_columns = [
        ("constraint_catalog", TEXT),
        ("constraint_schema", TEXT),
        ("constraint_name", TEXT),
        ("table_catalog", TEXT),
        ("table_schema", TEXT),
        ("table_name", TEXT),
        ("constraint_type", TEXT),
        ("is_deferrable", TEXT),
        ("initially_deferred", TEXT),
        ("enforced", TEXT),
        ("nulls_distinct", TEXT),
    ];
    t.insert("table_constraints", def(&constraint_columns, empty));
    t.insert(
        "key_column_usage",
        def(
            &[
                ("constraint_catalog", TEXT),
                ("constraint_schema", TEXT),
                ("constraint_name", TEXT),
                ("table_catalog", TEXT),
                ("table_schema", TEXT),
                ("table_name", TEXT),
                ("column_name", TEXT),
                ("ordinal_position", INT4),
                ("position_in_unique_constraint", INT4),
            ],
            empty,
        ),
    );
    t.insert(
        "referential_constraints",
        def(
            &[
                ("constraint_catalog", TEXT),
                ("constraint_schema", TEXT),
                ("constraint_name", TEXT),
                ("unique_constraint_catalog", TEXT),
                ("unique_constraint_schema", TEXT),
                ("unique_constraint_name", TEXT),
                ("match_option", TEXT),
                ("update_rule", TEXT),
                ("delete_rule", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "character_sets",
        def(
            &[
                ("character_set_catalog", TEXT),
                ("character_set_schema", TEXT),
                ("character_set_name", TEXT),
                ("character_repertoire", TEXT),
                ("form_of_use", TEXT),
                ("default_collate_catalog", TEXT),
                ("default_collate_schema", TEXT),
                ("default_collate_name", TEXT),
            ],
            character_sets_rows,
        ),
    );
    t.insert(
        "constraint_column_usage",
        def(
            &[
                ("table_catalog", TEXT),
                ("table_schema", TEXT),
                ("table_name", TEXT),
                ("column_name", TEXT),
                ("constraint_catalog", TEXT),
                ("constraint_schema", TEXT),
                ("constraint_name", TEXT),
            ],
            empty,
        ),
    );
    // DataFusion's own tables, with their schemas read from a provider over no catalogs.
    let datafusion = InformationSchemaProvider::new(Arc::new(MemoryCatalogProviderList::new()));
    for name in ["routines", "parameters", "df_settings"] {
        if let Some(table) = datafusion.table(name).await? {
            t.insert(
                name,
                TableDef::DataFusion {
                    name,
                    schema: table.schema(),
                },
            );
        }
    }
    Ok(t)
}

/// The one encoding custlake speaks.
fn character_sets_rows(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::null(),
        val::null(),
        val::text("UTF8"),
        val::text("UCS"),
        val::text("UTF8"),
        val::text(&cx.snapshot.database),
        val::text("pg_catalog"),
        val::text("C.UTF-8"),
    ])?;
    rows.finish()
}

fn tables_rows(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        rows.push(vec![
            val::text(&cx.snapshot.database),
            val::text(&r.schema),
            val::text(&r.name),
            val::text(if r.kind == 'v' { "VIEW" } else { "BASE TABLE" }),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
            val::text("NO"),
            val::text("NO"),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn views_rows(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in cx.snapshot.relations.iter().filter(|r| r.kind == 'v') {
        rows.push(vec![
            val::text(&cx.snapshot.database),
            val::text(&r.schema),
            val::text(&r.name),
            val::opt_text(r.definition.clone()),
            val::text("NONE"),
            val::text("NO"),
            val::text("NO"),
            val::text("NO"),
            val::text("NO"),
            val::text("NO"),
        ])?;
    }
    rows.finish()
}

fn schemata_rows(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (_, name) in &cx.snapshot.namespaces {
        rows.push(vec![
            val::text(&cx.snapshot.database),
            val::text(name),
            val::text(OWNER_NAME),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn columns_rows(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        for (index, field) in r.columns.fields().iter().enumerate() {
            let column = Relation::column_type(field);
            let pg = &column.pg_type;
            let modifier = column.type_modifier;
            let (precision, radix, scale) = numeric_facts(pg, modifier);
            let datetime_precision = match pg.oid() {
                1082 => Some(0),
                1083 | 1114 | 1184 | 1266 | 1186 => Some(6),
                _ => None,
            };
            let text_like = matches!(pg.oid(), 25 | 1043 | 1042);
            let int = |v: Option<i32>| v.map_or(val::null(), val::int4);
            rows.push(vec![
                val::text(&cx.snapshot.database),
                val::text(&r.schema),
                val::text(&r.name),
                val::text(field.name()),
                val::int4(i32::try_from(index + 1).unwrap_or(i32::MAX)),
                val::null(),
                val::text(if field.is_nullable() { "YES" } else { "NO" }),
                val::text(types::sql_standard_type_name(pg)),
                val::null(),
                // PostgreSQL's answer for unbounded text: the largest possible octet length.
                int(text_like.then_some(1_073_741_824)),
                int(precision),
                int(radix),
                int(scale),
                int(datetime_precision),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::text(&cx.snapshot.database),
                val::text("pg_catalog"),
                val::text(pg.name()),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::text((index + 1).to_string()),
                val::text("NO"),
                val::text("NO"),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
                val::text("NO"),
                val::text("NEVER"),
                val::null(),
                // custlake serves the lake read-only.
                val::text("NO"),
            ])?;
        }
    }
    rows.finish()
}

/// `numeric_precision`, `numeric_precision_radix` and `numeric_scale` as PostgreSQL's
/// information_schema computes them.
fn numeric_facts(pg: &Type, modifier: i32) -> (Option<i32>, Option<i32>, Option<i32>) {
    match pg.oid() {
        21 => (Some(16), Some(2), Some(0)),
        23 => (Some(32), Some(2), Some(0)),
        20 => (Some(64), Some(2), Some(0)),
        700 => (Some(24), Some(2), None),
        701 => (Some(53), Some(2), None),
        1700 if modifier >= 4 => {
            let packed = modifier - 4;
            let scale = packed & 0x7ff;
            let scale = if scale > 1023 { scale - 2048 } else { scale };
            (Some((packed >> 16) & 0xffff), Some(10), Some(scale))
        }
        1700 => (None, Some(10), None),
        _ => (None, None, None),
    }
}
