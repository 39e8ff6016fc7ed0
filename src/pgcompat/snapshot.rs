//! What the catalog tables and functions describe, read from the session that asks: the
//! schemas and relations of the current database (DataFusion catalog) at the moment of the
//! query, and the functions registered at start-up.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

use datafusion::arrow::datatypes::{DataType, Field, FieldRef, SchemaRef};
use datafusion::catalog::CatalogProviderList;
use datafusion::common::Result;
use datafusion::datasource::TableType;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::{ReturnFieldArgs, Signature};
use postgres_types::Type;

use super::oid;
use super::types;

/// Comments on objects (`COMMENT ON` in PostgreSQL): what `obj_description`, `pg_description`
/// and `\d+` show. Shared by all sessions; whoever owns an object sets its comment.
#[derive(Debug, Clone, Default)]
pub struct ObjectComments(Arc<RwLock<BTreeMap<(String, String), String>>>);

impl ObjectComments {
    /// Replaces the comments of every relation in `schema`.
    pub fn replace_schema(
        &self,
        schema: &str,
        comments: impl IntoIterator<Item = (String, String)>,
    ) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|(s, _), _| s != schema);
        for (name, comment) in comments {
            map.insert((schema.to_string(), name), comment);
        }
    }

    /// The comment on relation `schema.name`, if any.
    pub fn get(&self, schema: &str, name: &str) -> Option<String> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(&(schema.to_string(), name.to_string())).cloned()
    }
}

/// A relation: a table or a view.
#[derive(Debug, Clone)]
pub struct Relation {
    pub oid: u32,
    pub schema: String,
    pub namespace: u32,
    pub name: String,
    /// `pg_class.relkind`: `r` table, `v` view.
    pub kind: char,
    pub columns: SchemaRef,
    pub definition: Option<String>,
    pub description: Option<String>,
}

impl Relation {
    /// A column's Postgres type and typmod; `unknown` for what cannot be sent (the encoder
    /// refuses such columns with a clear error when they are selected).
    pub fn column_type(field: &Field) -> types::PgColumnType {
        types::field_type(field).unwrap_or(types::PgColumnType {
            pg_type: Type::UNKNOWN,
            type_modifier: -1,
        })
    }
}

/// The schemas and relations of the session's current database.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub database: String,
    pub namespaces: Vec<(u32, String)>,
    pub relations: Vec<Relation>,
}

impl Snapshot {
    /// Reads the catalog the session would plan against now.
    pub async fn take(state: &SessionState, comments: &ObjectComments) -> Result<Snapshot> {
        let database = state.config_options().catalog.default_catalog.clone();
        let mut namespaces = Vec::new();
        let mut relations = Vec::new();
        if let Some(catalog) = state.catalog_list().catalog(&database) {
            let mut schema_names = catalog.schema_names();
            schema_names.sort();
            for schema_name in schema_names {
                let Some(schema) = catalog.schema(&schema_name) else {
                    continue;
                };
                let namespace = oid::namespace(&schema_name);
                namespaces.push((namespace, schema_name.clone()));
                let mut table_names = schema.table_names();
                table_names.sort();
                for name in table_names {
                    let Some(table) = schema.table(&name).await? else {
                        continue;
                    };
                    let kind = match table.table_type() {
                        TableType::View => 'v',
                        TableType::Base | TableType::Temporary => 'r',
                    };
                    relations.push(Relation {
                        oid: oid::relation(&schema_name, &name),
                        namespace,
                        definition: table.get_table_definition().map(str::to_string),
                        description: comments.get(&schema_name, &name),
                        columns: table.schema(),
                        schema: schema_name.clone(),
                        name,
                        kind,
                    });
                }
            }
        }
        Ok(Snapshot {
            database,
            namespaces,
            relations,
        })
    }

    pub fn relation(&self, oid: u32) -> Option<&Relation> {
        self.relations.iter().find(|r| r.oid == oid)
    }

    pub fn namespace_name(&self, oid: u32) -> Option<&str> {
        self.namespaces
            .iter()
            .find(|(o, _)| *o == oid)
            .map(|(_, n)| n.as_str())
    }
}

/// Which schema holds relation `relation_oid`, read without awaiting anything (for scalar
/// functions such as `pg_table_is_visible`, which run inside a batch).
pub fn schema_of_relation(
    catalogs: &dyn CatalogProviderList,
    database: &str,
    relation_oid: u32,
) -> Option<String> {
    let catalog = catalogs.catalog(database)?;
    catalog.schema_names().into_iter().find(|schema_name| {
        catalog.schema(schema_name).is_some_and(|schema| {
            schema
                .table_names()
                .iter()
                .any(|name| oid::relation(schema_name, name) == relation_oid)
        })
    })
}

/// `schema.name` of relation `relation_oid`, read without awaiting anything.
pub fn name_of_relation(
    catalogs: &dyn CatalogProviderList,
    database: &str,
    relation_oid: u32,
) -> Option<(String, String)> {
    let catalog = catalogs.catalog(database)?;
    for schema_name in catalog.schema_names() {
        let Some(schema) = catalog.schema(&schema_name) else {
            continue;
        };
        if let Some(name) = schema
            .table_names()
            .into_iter()
            .find(|name| oid::relation(&schema_name, name) == relation_oid)
        {
            return Some((schema_name, name));
        }
    }
    None
}

/// `pg_proc.prokind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    Scalar,
    Aggregate,
    Window,
    /// A table function (`FROM rfm(…)`): a set-returning function in PostgreSQL's terms.
    Table,
}

impl FunctionKind {
    pub fn prokind(self) -> char {
        match self {
            FunctionKind::Aggregate => 'a',
            FunctionKind::Window => 'w',
            FunctionKind::Scalar | FunctionKind::Table => 'f',
        }
    }
}

/// One row of `pg_proc`: a function with one of its argument-type combinations.
#[derive(Debug, Clone)]
pub struct FunctionInfo {
    pub oid: u32,
    pub name: String,
    pub namespace: u32,
    pub kind: FunctionKind,
    pub argument_types: Vec<Type>,
    pub argument_names: Vec<String>,
    /// `None` where the function's type follows its arguments and no example is known.
    pub return_type: Option<Type>,
    pub description: Option<String>,
}

impl FunctionInfo {
    /// `pg_get_function_arguments`: `name type, …`, or the types alone.
    pub fn arguments_text(&self) -> String {
        self.argument_types
            .iter()
            .enumerate()
            .map(|(i, t)| match self.argument_names.get(i) {
                Some(name) if !name.is_empty() => {
                    format!("{name} {}", types::format_type(t, -1))
                }
                _ => types::format_type(t, -1),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `pg_get_function_result`.
    pub fn result_text(&self) -> String {
        let base = types::format_type(self.return_type.as_ref().unwrap_or(&Type::ANYELEMENT), -1);
        if self.kind == FunctionKind::Table {
            format!("SETOF {base}")
        } else {
            base
        }
    }
}

/// Every function of the engine, computed once after all are registered (functions do not
/// change while the server runs).
#[derive(Debug, Default)]
pub struct FunctionIndex {
    pub functions: Vec<FunctionInfo>,
}

impl FunctionIndex {
    /// `extension_functions`: the names that are the product's own (listed in `public`, so
    /// that `\df` shows them); everything else is built in (`pg_catalog`).
    pub fn build(state: &SessionState, extension_functions: &BTreeSet<String>) -> FunctionIndex {
        let mut functions = Vec::new();
        let mut add =
            |name: &str,
             kind: FunctionKind,
             signature: &Signature,
             doc: Option<&datafusion::logical_expr::Documentation>,
             return_type: &dyn Fn(&[DataType]) -> Option<DataType>| {
                let namespace_name = if extension_functions.contains(name) {
                    "public"
                } else {
                    "pg_catalog"
                };
                let names: Vec<String> = doc
                    .and_then(|d| d.arguments.as_ref())
                    .map(|a| a.iter().map(|(n, _)| n.clone()).collect())
                    .unwrap_or_default();
                let mut combinations: BTreeMap<Vec<u32>, (Vec<Type>, Option<Type>)> =
                    BTreeMap::new();
                for example in signature.type_signature.get_example_types() {
                    let Some(argument_types) = example
                        .iter()
                        .map(|t| types::column_type(t).map(|c| c.pg_type))
                        .collect::<Option<Vec<Type>>>()
                    else {
                        continue;
                    };
                    let returns = return_type(&example)
                        .and_then(|t| types::column_type(&t))
                        .map(|c| c.pg_type);
                    let key = argument_types.iter().map(Type::oid).collect();
                    combinations.entry(key).or_insert((argument_types, returns));
                }
                if combinations.is_empty() {
                    // Types that follow the arguments (user-defined signatures): one entry taking
                    // the documented arguments as `any`.
                    let any = vec![Type::ANY; names.len()];
                    combinations.insert(any.iter().map(Type::oid).collect(), (any, None));
                }
                for (_, (argument_types, returns)) in combinations {
                    let type_names: Vec<String> = argument_types
                        .iter()
                        .map(|t| t.name().to_string())
                        .collect();
                    functions.push(FunctionInfo {
                        oid: oid::function(namespace_name, name, &type_names),
                        name: name.to_string(),
                        namespace: oid::namespace(namespace_name),
                        kind,
                        argument_names: names.clone(),
                        argument_types,
                        return_type: returns,
                        description: doc.map(|d| d.description.clone()),
                    });
                }
            };
        let fields = |types: &[DataType]| -> Vec<FieldRef> {
            types
                .iter()
                .enumerate()
                .map(|(i, t)| Arc::new(Field::new(format!("arg_{i}"), t.clone(), true)))
                .collect()
        };
        for (name, udf) in state.scalar_functions() {
            add(
                name,
                FunctionKind::Scalar,
                udf.signature(),
                udf.documentation(),
                &|types| {
                    let arg_fields = fields(types);
                    let scalars = vec![None; arg_fields.len()];
                    udf.return_field_from_args(ReturnFieldArgs {
                        arg_fields: &arg_fields,
                        scalar_arguments: &scalars,
                    })
                    .ok()
                    .map(|f| f.data_type().clone())
                },
            );
        }
        for (name, udaf) in state.aggregate_functions() {
            add(
                name,
                FunctionKind::Aggregate,
                udaf.signature(),
                udaf.documentation(),
                &|types| udaf.return_type(types).ok(),
            );
        }
        for (name, udwf) in state.window_functions() {
            add(
                name,
                FunctionKind::Window,
                udwf.signature(),
                udwf.documentation(),
                &|_| None,
            );
        }
        let no_arguments = Signature::nullary(datafusion::logical_expr::Volatility::Stable);
        for name in state.table_functions().keys() {
            add(name, FunctionKind::Table, &no_arguments, None, &|_| None);
        }
        functions.sort_by(|a, b| (&a.name, a.oid).cmp(&(&b.name, b.oid)));
        functions.dedup_by_key(|f| f.oid);
        FunctionIndex { functions }
    }

    pub fn get(&self, oid: u32) -> Option<&FunctionInfo> {
        self.functions.iter().find(|f| f.oid == oid)
    }
}
