//! PostgreSQL's system-information and catalog functions (`version()`, `current_setting`,
//! `pg_table_is_visible`, `obj_description`, `format_type` …), which clients call in their
//! introspection queries.
//!
//! Unlike the analytics functions (crate `custlake-udfs`, one struct each), these are many
//! small lookups with the same plumbing — arguments cast to OIDs or text, one value per row
//! — so one struct, [`PgFunction`], serves them all and [`Behaviour`] says what each does.
//! Each still carries its own documentation for `information_schema.routines`.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Int32Array, Int64Array, ListBuilder, StringArray, StringBuilder,
    UInt32Array,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::catalog::CatalogProviderList;
use datafusion::common::config::ConfigOptions;
use datafusion::common::{Result, exec_datafusion_err, exec_err, plan_err};
use datafusion::datasource::TableType;
use datafusion::logical_expr::{
    ColumnarValue, DocSection, Documentation, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, TypeSignature, Volatility,
};
use postgres_types::Type;

use super::oid;
use super::pg_catalog::{self, OWNER_NAME};
use super::settings::{PgSettings, SERVER_VERSION};
use super::snapshot;
use super::table_lookup;
use super::types;
use super::virtual_schema::Shared;

const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "PostgreSQL Compatibility Functions",
    description: Some("PostgreSQL's system-information and catalog functions."),
};

/// The `version()` string: PostgreSQL-shaped, so drivers that parse the version are content.
pub fn version_string() -> String {
    format!(
        "PostgreSQL {SERVER_VERSION} (custlake {}) on {}-unknown-linux-gnu, compiled by rustc, 64-bit",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    )
}

/// What a [`PgFunction`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Version,
    CurrentDatabase,
    CurrentSchema,
    CurrentSchemas,
    CurrentUser,
    BackendPid,
    InRecovery,
    CurrentSetting,
    SetConfig,
    GetUserById,
    TableIsVisible,
    TypeIsVisible,
    FunctionIsVisible,
    ObjDescription,
    ColDescription,
    ShobjDescription,
    GetViewDef,
    FormatType,
    /// `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`, … : custlake has no stored
    /// expressions, constraints or indexes, so there is never a definition to show.
    NoDefinition,
    FunctionArguments,
    FunctionResult,
    EncodingToChar,
    /// `has_*_privilege`: read privileges hold, write privileges do not (read-only lake).
    HasPrivilege,
    SizePretty,
    /// `pg_table_size` and friends: 0 for a view; NULL for a lake table, whose files live
    /// in an object store and are not sized per query.
    RelationSize,
    ToRegclass,
    RegclassOid,
    RegclassName,
    RegtypeOid,
    RegtypeName,
    RegnamespaceName,
    /// `'array_in'::regproc`: a function's OID by name.
    RegprocOid,
    /// `typinput::regproc` shown as text: the function's name.
    RegprocName,
    /// `to_regtype('int4')`: the type's OID, NULL if there is none.
    ToRegtype,
    /// Functions with nothing to do here that return no value: `pg_advisory_unlock_all()`
    /// (custlake takes no advisory locks).
    Nothing,
    QuoteIdent,
    /// `parse_ident('a."B".c')` → `{a,B,c}`.
    ParseIdent,
    /// `format('%s …', …)` with `%s`, `%I`, `%L` and `%%`.
    Format,
    /// Statistics custlake does not keep (`pg_stat_get_numscans`): NULL, unknown.
    Unmeasured,
    /// `json_build_object(k1, v1, …)`: the object as JSON text.
    JsonBuildObject,
    /// `information_schema._pg_expandarray(a)` is `unnest(pg_expandarray(a))`: each element
    /// `x` with its position `n`, as a list of `{x, n}` structs.
    ExpandArray,
    /// A LIKE pattern escaped with another character, rewritten to escape with `\` (what
    /// `x LIKE p ESCAPE '/'` becomes for a pattern that is not a literal).
    LikePattern,
    /// `array_lower(array, dimension)`: 1 for a non-empty first dimension (arrays here are
    /// one-dimensional and start at 1).
    ArrayLower,
    /// `array_upper(array, dimension)`: the length of a non-empty first dimension.
    ArrayUpper,
    /// `pg_relation_is_publishable(oid)`: PostgreSQL's answer for logical replication — true
    /// for a base table outside the system schemas (custlake has no publications, so no
    /// publication lists one).
    RelationIsPublishable,
}

/// A PostgreSQL compatibility function; see the module documentation.
pub struct PgFunction {
    name: &'static str,
    behaviour: Behaviour,
    signature: Signature,
    return_type: DataType,
    documentation: Documentation,
    catalogs: Arc<dyn CatalogProviderList>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for PgFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgFunction")
            .field("name", &self.name)
            .finish()
    }
}

impl PartialEq for PgFunction {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.behaviour == other.behaviour
    }
}
impl Eq for PgFunction {}
impl std::hash::Hash for PgFunction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

fn arities(arities: &[usize], volatility: Volatility) -> Signature {
    let signatures = arities
        .iter()
        .map(|n| {
            if *n == 0 {
                TypeSignature::Nullary
            } else {
                TypeSignature::Any(*n)
            }
        })
        .collect();
    Signature::one_of(signatures, volatility)
}

/// Every compatibility function, reading relations from `catalogs` and comments and
/// functions from `shared`.
pub fn all(catalogs: Arc<dyn CatalogProviderList>, shared: Arc<Shared>) -> Vec<ScalarUDF> {
    use Behaviour as B;
    let text_list = DataType::new_list(DataType::Utf8, true);
    let specs: Vec<(&'static str, B, &[usize], DataType, &str, &str)> = vec![
        (
            "version",
            B::Version,
            &[0],
            DataType::Utf8,
            "The server's version, PostgreSQL-shaped.",
            "version()",
        ),
        (
            "current_database",
            B::CurrentDatabase,
            &[0],
            DataType::Utf8,
            "The name of the current database.",
            "current_database()",
        ),
        (
            "current_catalog",
            B::CurrentDatabase,
            &[0],
            DataType::Utf8,
            "The name of the current database.",
            "current_catalog",
        ),
        (
            "current_schema",
            B::CurrentSchema,
            &[0],
            DataType::Utf8,
            "The first schema of search_path.",
            "current_schema()",
        ),
        (
            "current_schemas",
            B::CurrentSchemas,
            &[1],
            text_list,
            "The schemas of search_path, with pg_catalog if the argument is true.",
            "current_schemas(include_implicit)",
        ),
        (
            "current_user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "current_user",
        ),
        (
            "current_role",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "current_role",
        ),
        (
            "session_user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user that connected.",
            "session_user",
        ),
        (
            "user",
            B::CurrentUser,
            &[0],
            DataType::Utf8,
            "The user the session runs as.",
            "user",
        ),
        (
            "pg_backend_pid",
            B::BackendPid,
            &[0],
            DataType::Int32,
            "The process ID the connection was given.",
            "pg_backend_pid()",
        ),
        (
            "pg_is_in_recovery",
            B::InRecovery,
            &[0],
            DataType::Boolean,
            "Whether the server is a standby (never).",
            "pg_is_in_recovery()",
        ),
        (
            "current_setting",
            B::CurrentSetting,
            &[1, 2],
            DataType::Utf8,
            "The current value of a setting; with missing_ok, NULL for an unknown one.",
            "current_setting(name [, missing_ok])",
        ),
        (
            "set_config",
            B::SetConfig,
            &[3],
            DataType::Utf8,
            "Sets a setting for the session and returns the new value.",
            "set_config(name, value, is_local)",
        ),
        (
            "pg_get_userbyid",
            B::GetUserById,
            &[1],
            DataType::Utf8,
            "The name of the role with this OID.",
            "pg_get_userbyid(role_oid)",
        ),
        (
            "pg_table_is_visible",
            B::TableIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the relation is in a schema of search_path.",
            "pg_table_is_visible(relation_oid)",
        ),
        (
            "pg_type_is_visible",
            B::TypeIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the type is visible in search_path.",
            "pg_type_is_visible(type_oid)",
        ),
        (
            "pg_function_is_visible",
            B::FunctionIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the function is in a schema of search_path.",
            "pg_function_is_visible(function_oid)",
        ),
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
            "format_type",
            B::FormatType,
            &[2],
            DataType::Utf8,
            "The SQL name of a type with its modifier.",
            "format_type(type_oid, typemod)",
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
            "pg_encoding_to_char",
            B::EncodingToChar,
            &[1],
            DataType::Utf8,
            "The name of an encoding number.",
            "pg_encoding_to_char(encoding)",
        ),
        (
            "has_table_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a table: read privileges only, as the lake is read-only.",
            "has_table_privilege([user,] table, privilege)",
        ),
        (
            "has_schema_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a schema.",
            "has_schema_privilege([user,] schema, privilege)",
        ),
        (
            "has_database_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on a database.",
            "has_database_privilege([user,] database, privilege)",
        ),
        (
            "has_column_privilege",
            B::HasPrivilege,
            &[3, 4],
            DataType::Boolean,
            "Whether the user holds a privilege on a column.",
            "has_column_privilege([user,] table, column, privilege)",
        ),
        (
            "has_any_column_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user holds a privilege on any column of a table.",
            "has_any_column_privilege([user,] table, privilege)",
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
            "parse_ident",
            B::ParseIdent,
            &[1, 2],
            DataType::new_list(DataType::Utf8, true),
            "The parts of a qualified identifier, unquoted and case-folded.",
            "parse_ident(qualified_identifier [, strict])",
        ),
        (
            "format",
            B::Format,
            &[1, 2, 3, 4, 5, 6, 7, 8],
            DataType::Utf8,
            "Text from a format string: %s inserts a value as text, %I as an identifier, %L as a literal, %% a percent sign.",
            "format(formatstr [, value ...])",
        ),
        (
            "like_pattern_escaped_by",
            B::LikePattern,
            &[2],
            DataType::Utf8,
            "A LIKE pattern that escapes with the given character, rewritten to escape with a backslash.",
            "like_pattern_escaped_by(pattern, escape)",
        ),
        (
            "pg_collation_is_visible",
            B::TypeIsVisible,
            &[1],
            DataType::Boolean,
            "Whether the collation is visible in search_path (all are, in pg_catalog).",
            "pg_collation_is_visible(collation_oid)",
        ),
        (
            "pg_stat_get_numscans",
            B::Unmeasured,
            &[1],
            DataType::Int64,
            "Sequential scans of a table: NULL, custlake keeps no scan statistics.",
            "pg_stat_get_numscans(relation_oid)",
        ),
        (
            "pg_expandarray",
            B::ExpandArray,
            &[1],
            DataType::Null,
            "Each element of an array with its position, as a list of {x, n} (what information_schema._pg_expandarray returns as rows).",
            "pg_expandarray(array)",
        ),
        (
            "json_build_object",
            B::JsonBuildObject,
            &[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20],
            DataType::Utf8,
            "A JSON object of key/value pairs, as JSON text (numbers and booleans unquoted, NULL as null).",
            "json_build_object(key, value [, ...])",
        ),
        (
            "has_function_privilege",
            B::HasPrivilege,
            &[2, 3],
            DataType::Boolean,
            "Whether the user may execute a function.",
            "has_function_privilege([user,] function, privilege)",
        ),
        (
            "pg_size_pretty",
            B::SizePretty,
            &[1],
            DataType::Utf8,
            "A byte count in bytes, kB, MB, GB or TB.",
            "pg_size_pretty(bytes)",
        ),
        (
            "pg_table_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation on disk: 0 for a view, NULL for a lake table (not measured).",
            "pg_table_size(relation_oid)",
        ),
        (
            "pg_relation_size",
            B::RelationSize,
            &[1, 2],
            DataType::Int64,
            "Bytes of a relation on disk: 0 for a view, NULL for a lake table (not measured).",
            "pg_relation_size(relation_oid [, fork])",
        ),
        (
            "pg_total_relation_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation with its indexes: 0 for a view, NULL for a lake table (not measured).",
            "pg_total_relation_size(relation_oid)",
        ),
        (
            "pg_indexes_size",
            B::RelationSize,
            &[1],
            DataType::Int64,
            "Bytes of a relation's indexes: always 0, custlake has no indexes.",
            "pg_indexes_size(relation_oid)",
        ),
        (
            "pg_relation_is_publishable",
            B::RelationIsPublishable,
            &[1],
            DataType::Boolean,
            "Whether a relation could be published for logical replication: a base table outside the system schemas.",
            "pg_relation_is_publishable(relation_oid)",
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
            "array_lower",
            B::ArrayLower,
            &[2],
            // int8 rather than PostgreSQL's int4: DataFusion's generate_series, which
            // clients feed with it, takes int8.
            DataType::Int64,
            "The lower bound of an array dimension (1 for the first dimension of a non-empty array, else NULL).",
            "array_lower(array, dimension)",
        ),
        (
            "array_upper",
            B::ArrayUpper,
            &[2],
            DataType::Int64,
            "The upper bound of an array dimension (its length for the first dimension of a non-empty array, else NULL).",
            "array_upper(array, dimension)",
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
        (
            "pg_advisory_unlock_all",
            B::Nothing,
            &[0],
            DataType::Null,
            "Releases the session's advisory locks (custlake takes none).",
            "pg_advisory_unlock_all()",
        ),
        (
            "quote_ident",
            B::QuoteIdent,
            &[1],
            DataType::Utf8,
            "An identifier quoted if it needs to be.",
            "quote_ident(text)",
        ),
    ];
    specs
        .into_iter()
        .map(
            |(name, behaviour, arity, return_type, description, syntax)| {
                let volatility = match behaviour {
                    B::Version
                    | B::FormatType
                    | B::EncodingToChar
                    | B::SizePretty
                    | B::QuoteIdent => Volatility::Immutable,
                    B::SetConfig => Volatility::Volatile,
                    _ => Volatility::Stable,
                };
                ScalarUDF::new_from_impl(PgFunction {
                    name,
                    behaviour,
                    signature: arities(arity, volatility),
                    return_type,
                    documentation: Documentation::builder(DOC_SECTION, description, syntax).build(),
                    catalogs: Arc::clone(&catalogs),
                    shared: Arc::clone(&shared),
                })
            },
        )
        .collect()
}

/// Arguments as arrays of `rows` values, cast to `to`.
fn cast_arg(arg: &ColumnarValue, rows: usize, to: &DataType) -> Result<ArrayRef> {
    let array = arg.to_array(rows)?;
    Ok(cast(&array, to)?)
}

/// An argument cast to `to` and taken as its array type `A`.
fn typed_arg<A: Array + Clone + 'static>(
    arg: &ColumnarValue,
    rows: usize,
    to: &DataType,
) -> Result<A> {
    cast_arg(arg, rows, to)?
        .as_any()
        .downcast_ref::<A>()
        .cloned()
        .ok_or_else(|| exec_datafusion_err!("argument does not convert to {to}"))
}

fn oids(arg: &ColumnarValue, rows: usize) -> Result<UInt32Array> {
    let array: Int64Array = typed_arg(arg, rows, &DataType::Int64)?;
    Ok(array
        .iter()
        .map(|v| v.and_then(|v| u32::try_from(v).ok()))
        .collect())
}

fn texts(arg: &ColumnarValue, rows: usize) -> Result<StringArray> {
    typed_arg(arg, rows, &DataType::Utf8)
}

fn settings(config: &ConfigOptions) -> PgSettings {
    config
        .extensions
        .get::<PgSettings>()
        .cloned()
        .unwrap_or_default()
}

/// A value for a setting name, from the standard settings or DataFusion's own (`custlake.*`,
/// `datafusion.*`).
pub fn setting_value(config: &ConfigOptions, name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if let Some(value) = settings(config).get(&lower) {
        return Some(value);
    }
    config
        .entries()
        .into_iter()
        .find(|e| e.key == lower)
        .map(|e| e.value.unwrap_or_default())
}

/// Whether a privilege string names only privileges a read-only lake grants.
fn read_privilege(privileges: &str) -> bool {
    privileges.split(',').all(|p| {
        let p = p.trim().to_ascii_uppercase();
        let p = p.trim_end_matches(" WITH GRANT OPTION").trim();
        matches!(
            p,
            "SELECT" | "USAGE" | "CONNECT" | "EXECUTE" | "TEMPORARY" | "TEMP" | "REFERENCES"
        )
    })
}

fn size_pretty(bytes: i64) -> String {
    // PostgreSQL switches unit when the value reaches 10240 of the current one, rounding half up.
    let mut value = bytes as f64;
    for unit in ["bytes", "kB", "MB", "GB", "TB"] {
        if value.abs() < 10240.0 || unit == "TB" {
            return format!("{} {unit}", value.round() as i64);
        }
        value /= 1024.0;
    }
    unreachable!("the loop returns at TB")
}

fn quote_ident(ident: &str) -> String {
    let plain = ident
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

/// The parts of `a."B".c`: quoted parts as written, unquoted ones in lower case.
fn split_identifier(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = name.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c if quoted => current.push(c),
            c => current.extend(c.to_lowercase()),
        }
    }
    parts.push(current);
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// PostgreSQL's `format()`: `%s` (NULL as empty), `%I` (quoted identifier), `%L` (quoted
/// literal, NULL unquoted), `%%`.
fn format_text(format: &str, values: &[Option<&str>]) -> Result<String> {
    let mut out = String::with_capacity(format.len());
    let mut next = 0;
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let spec = chars.next();
        if spec == Some('%') {
            out.push('%');
            continue;
        }
        let Some(value) = values.get(next) else {
            return exec_err!("too few arguments for format()");
        };
        next += 1;
        match (spec, value) {
            (Some('s'), v) => out.push_str(v.unwrap_or("")),
            (Some('I'), Some(v)) => out.push_str(&quote_ident(v)),
            (Some('I'), None) => {
                return exec_err!("null values cannot be formatted as an SQL identifier");
            }
            (Some('L'), Some(v)) => out.push_str(&format!("'{}'", v.replace('\'', "''"))),
            (Some('L'), None) => out.push_str("NULL"),
            (other, _) => {
                return exec_err!(
                    "unrecognized format() type specifier \"{}\"",
                    other.map(String::from).unwrap_or_default()
                );
            }
        }
    }
    Ok(out)
}

/// `List<Struct{x: element, n: int4}>`, what `pg_expandarray` returns.
fn expanded_type(element: &DataType) -> DataType {
    let fields = datafusion::arrow::datatypes::Fields::from(vec![
        Field::new("x", element.clone(), true),
        Field::new("n", DataType::Int32, false),
    ]);
    DataType::new_list(DataType::Struct(fields), true)
}

/// Whether values of `data_type` are written into JSON as they are (numbers, booleans).
fn json_bare(data_type: &DataType) -> bool {
    data_type.is_numeric() || *data_type == DataType::Boolean
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

impl PgFunction {
    fn relation_oid_by_name(&self, config: &ConfigOptions, name: &str) -> Option<u32> {
        let database = &config.catalog.default_catalog;
        let catalog = self.catalogs.catalog(database)?;
        let (schema, table) = match split_qualified(name) {
            (Some(schema), table) => (vec![schema], table),
            (None, table) => {
                let mut path = vec!["pg_catalog".to_string()];
                path.extend(settings(config).search_path());
                (path, table)
            }
        };
        schema.into_iter().find_map(|schema_name| {
            let provider = catalog.schema(&schema_name)?;
            provider
                .table_exist(&table)
                .then(|| oid::relation(&schema_name, &table))
        })
    }

    /// The schema and kind (table or view) of the relation with OID `id`.
    fn relation_kind(&self, database: &str, id: u32) -> Option<(String, TableType)> {
        let (schema, name) = snapshot::name_of_relation(self.catalogs.as_ref(), database, id)?;
        let provider = self.catalogs.catalog(database)?.schema(&schema)?;
        let table = table_lookup::table(provider.as_ref(), &name).ok()??;
        Some((schema, table.table_type()))
    }

    fn visible_schema(&self, config: &ConfigOptions, schema: &str) -> bool {
        schema == "pg_catalog" || settings(config).search_path().iter().any(|s| s == schema)
    }
}

/// `schema.name` or `name`, with double quotes removed and unquoted parts lower-cased.
fn split_qualified(name: &str) -> (Option<String>, String) {
    let unquote = |part: &str| {
        let part = part.trim();
        match part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => part.to_ascii_lowercase(),
        }
    };
    match name.split_once('.') {
        Some((schema, table)) if !name.starts_with('"') || schema.ends_with('"') => {
            (Some(unquote(schema)), unquote(table))
        }
        _ => (None, unquote(name)),
    }
}

impl ScalarUDFImpl for PgFunction {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if self.behaviour == Behaviour::ExpandArray {
            return match arg_types {
                [DataType::List(element)] => Ok(expanded_type(element.data_type())),
                [other] => plan_err!("pg_expandarray takes an array, not {other}"),
                _ => plan_err!("pg_expandarray takes one array"),
            };
        }
        Ok(self.return_type.clone())
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use Behaviour as B;
        let rows = args.number_rows;
        let config = args.config_options.as_ref();
        let a = &args.args;
        let scalar_text = |value: Option<String>| {
            ColumnarValue::Scalar(datafusion::common::ScalarValue::Utf8(value))
        };
        let database = config.catalog.default_catalog.clone();
        let array: ArrayRef = match self.behaviour {
            B::Version => return Ok(scalar_text(Some(version_string()))),
            B::CurrentDatabase => return Ok(scalar_text(Some(database))),
            B::CurrentSchema => {
                let catalog = self.catalogs.catalog(&database);
                let first = settings(config)
                    .search_path()
                    .into_iter()
                    .find(|s| catalog.as_ref().is_some_and(|c| c.schema(s).is_some()));
                return Ok(scalar_text(first));
            }
            B::CurrentSchemas => {
                let include_implicit: BooleanArray = typed_arg(&a[0], rows, &DataType::Boolean)?;
                let path = settings(config).search_path();
                let mut builder = ListBuilder::new(StringBuilder::new())
                    .with_field(Arc::new(Field::new_list_field(DataType::Utf8, true)));
                for implicit in include_implicit.iter() {
                    if implicit == Some(true) {
                        builder.values().append_value("pg_catalog");
                    }
                    for schema in &path {
                        builder.values().append_value(schema);
                    }
                    builder.append(true);
                }
                Arc::new(builder.finish())
            }
            B::CurrentUser => {
                let user = settings(config)
                    .user
                    .unwrap_or_else(|| OWNER_NAME.to_string());
                return Ok(scalar_text(Some(user)));
            }
            B::BackendPid => {
                return Ok(ColumnarValue::Scalar(
                    datafusion::common::ScalarValue::Int32(Some(settings(config).backend_pid)),
                ));
            }
            B::InRecovery => {
                return Ok(ColumnarValue::Scalar(
                    datafusion::common::ScalarValue::Boolean(Some(false)),
                ));
            }
            B::CurrentSetting => {
                let names = texts(&a[0], rows)?;
                let missing_ok: Option<BooleanArray> = match a.get(1) {
                    Some(arg) => Some(typed_arg(arg, rows, &DataType::Boolean)?),
                    None => None,
                };
                let mut out = Vec::with_capacity(rows);
                for (i, name) in names.iter().enumerate() {
                    let Some(name) = name else {
                        out.push(None);
                        continue;
                    };
                    match setting_value(config, name) {
                        Some(value) => out.push(Some(value)),
                        None => {
                            let ok = missing_ok
                                .as_ref()
                                .is_some_and(|m| m.is_valid(i) && m.value(i));
                            if !ok {
                                return exec_err!(
                                    "unrecognized configuration parameter \"{name}\""
                                );
                            }
                            out.push(None);
                        }
                    }
                }
                Arc::new(StringArray::from(out))
            }
            // The session applies set_config before planning (see `pgcompat::commands`);
            // here it returns the value it set, as PostgreSQL does.
            B::SetConfig => {
                let names = texts(&a[0], rows)?;
                let values = texts(&a[1], rows)?;
                let mut out = Vec::with_capacity(rows);
                for (name, value) in names.iter().zip(values.iter()) {
                    match (name, value) {
                        (Some(name), Some(_)) => out.push(setting_value(config, name)),
                        _ => out.push(None),
                    }
                }
                Arc::new(StringArray::from(out))
            }
            B::GetUserById => {
                let ids = oids(&a[0], rows)?;
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            id.map(|id| {
                                if id == oid::OWNER_ROLE {
                                    OWNER_NAME.to_string()
                                } else {
                                    format!("unknown (OID={id})")
                                }
                            })
                        })
                        .collect::<StringArray>(),
                )
            }
            B::TableIsVisible => {
                let ids = oids(&a[0], rows)?;
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let id = id?;
                            let schema = snapshot::schema_of_relation(
                                self.catalogs.as_ref(),
                                &database,
                                id,
                            )?;
                            Some(self.visible_schema(config, &schema))
                        })
                        .collect::<BooleanArray>(),
                )
            }
            B::TypeIsVisible => {
                let ids = oids(&a[0], rows)?;
                Arc::new(
                    ids.iter()
                        .map(|id| id.map(|id| Type::from_oid(id).is_some()))
                        .collect::<BooleanArray>(),
                )
            }
            B::FunctionIsVisible => {
                let ids = oids(&a[0], rows)?;
                let functions = self.shared.functions();
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let f = functions.get(id?)?;
                            let schema = if f.namespace == oid::PG_CATALOG_NAMESPACE {
                                "pg_catalog"
                            } else {
                                "public"
                            };
                            Some(self.visible_schema(config, schema))
                        })
                        .collect::<BooleanArray>(),
                )
            }
            B::ObjDescription => {
                let ids = oids(&a[0], rows)?;
                let classes = match a.get(1) {
                    Some(arg) => Some(texts(arg, rows)?),
                    None => None,
                };
                let functions = self.shared.functions();
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
                                && let Some((schema, name)) = snapshot::name_of_relation(
                                    self.catalogs.as_ref(),
                                    &database,
                                    id,
                                )
                            {
                                return self.shared.comments.get(&schema, &name);
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
                datafusion::arrow::array::new_null_array(&self.return_type, rows)
            }
            B::GetViewDef => {
                let ids = match a[0].data_type() {
                    DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 => {
                        let names = texts(&a[0], rows)?;
                        names
                            .iter()
                            .map(|n| n.and_then(|n| self.relation_oid_by_name(config, n)))
                            .collect::<UInt32Array>()
                    }
                    _ => oids(&a[0], rows)?,
                };
                let catalog = self.catalogs.catalog(&database);
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let (schema, name) =
                                snapshot::name_of_relation(self.catalogs.as_ref(), &database, id?)?;
                            let provider = catalog.as_ref()?.schema(&schema)?;
                            let table = table_lookup::table(provider.as_ref(), &name).ok()??;
                            table.get_table_definition().map(str::to_string)
                        })
                        .collect::<StringArray>(),
                )
            }
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
            B::FunctionArguments | B::FunctionResult => {
                let ids = oids(&a[0], rows)?;
                let functions = self.shared.functions();
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let f = functions.get(id?)?;
                            Some(if self.behaviour == B::FunctionResult {
                                f.result_text()
                            } else {
                                f.arguments_text()
                            })
                        })
                        .collect::<StringArray>(),
                )
            }
            B::EncodingToChar => {
                let codes: Int32Array = typed_arg(&a[0], rows, &DataType::Int32)?;
                Arc::new(
                    codes
                        .iter()
                        .map(|c| c.map(|c| if c == 6 { "UTF8" } else { "" }))
                        .collect::<StringArray>(),
                )
            }
            B::HasPrivilege => {
                let privileges = texts(&a[a.len() - 1], rows)?;
                Arc::new(
                    privileges
                        .iter()
                        .map(|p| p.map(read_privilege))
                        .collect::<BooleanArray>(),
                )
            }
            B::SizePretty => {
                let bytes: Int64Array = typed_arg(&a[0], rows, &DataType::Int64)?;
                Arc::new(
                    bytes
                        .iter()
                        .map(|b| b.map(size_pretty))
                        .collect::<StringArray>(),
                )
            }
            B::RelationIsPublishable => {
                let ids = oids(&a[0], rows)?;
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let (schema, kind) = self.relation_kind(&database, id?)?;
                            let system = schema == "pg_catalog" || schema == "information_schema";
                            Some(!system && kind == TableType::Base)
                        })
                        .collect::<BooleanArray>(),
                )
            }
            B::RelationSize => {
                let ids = oids(&a[0], rows)?;
                let indexes = self.name == "pg_indexes_size";
                Arc::new(
                    ids.iter()
                        .map(|id| {
                            let (_, kind) = self.relation_kind(&database, id?)?;
                            (indexes || kind == TableType::View).then_some(0)
                        })
                        .collect::<Int64Array>(),
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
                    let found = self.relation_oid_by_name(config, name);
                    if found.is_none() && self.behaviour == B::RegclassOid {
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
                                match snapshot::name_of_relation(
                                    self.catalogs.as_ref(),
                                    &database,
                                    id,
                                ) {
                                    Some((schema, name))
                                        if self.visible_schema(config, &schema) =>
                                    {
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
            B::Nothing => return Ok(ColumnarValue::Scalar(datafusion::common::ScalarValue::Null)),
            B::RegprocOid => {
                let names = texts(&a[0], rows)?;
                let functions = self.shared.functions();
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
                let functions = self.shared.functions();
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
                let catalog = self.catalogs.catalog(&database);
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
            B::ArrayLower | B::ArrayUpper => {
                let arrays = a[0].to_array(rows)?;
                let dimensions: Int32Array = typed_arg(&a[1], rows, &DataType::Int32)?;
                let lengths: Vec<Option<usize>> = match arrays.data_type() {
                    DataType::List(_) => {
                        let list = datafusion::common::cast::as_list_array(&arrays)?;
                        (0..rows)
                            .map(|i| list.is_valid(i).then(|| list.value_length(i) as usize))
                            .collect()
                    }
                    DataType::LargeList(_) => {
                        let list = datafusion::common::cast::as_large_list_array(&arrays)?;
                        (0..rows)
                            .map(|i| list.is_valid(i).then(|| list.value_length(i) as usize))
                            .collect()
                    }
                    other => return exec_err!("{} takes an array, not {other}", self.name),
                };
                Arc::new(
                    lengths
                        .into_iter()
                        .zip(dimensions.iter())
                        .map(|(length, dimension)| match (length, dimension) {
                            (Some(n), Some(1)) if n > 0 => {
                                Some(if self.behaviour == B::ArrayLower {
                                    1
                                } else {
                                    i64::try_from(n).unwrap_or(i64::MAX)
                                })
                            }
                            _ => None,
                        })
                        .collect::<Int64Array>(),
                )
            }
            B::ParseIdent => {
                let names = texts(&a[0], rows)?;
                let mut builder = ListBuilder::new(StringBuilder::new())
                    .with_field(Arc::new(Field::new_list_field(DataType::Utf8, true)));
                for name in names.iter() {
                    match name {
                        Some(name) => {
                            for part in split_identifier(name) {
                                builder.values().append_value(part);
                            }
                            builder.append(true);
                        }
                        None => builder.append(false),
                    }
                }
                Arc::new(builder.finish())
            }
            B::Format => {
                let formats = texts(&a[0], rows)?;
                let values = a[1..]
                    .iter()
                    .map(|arg| texts(arg, rows))
                    .collect::<Result<Vec<_>>>()?;
                let mut out = Vec::with_capacity(rows);
                for (row, format) in formats.iter().enumerate() {
                    let Some(format) = format else {
                        out.push(None);
                        continue;
                    };
                    let row_values: Vec<Option<&str>> = values
                        .iter()
                        .map(|v| v.is_valid(row).then(|| v.value(row)))
                        .collect();
                    out.push(Some(format_text(format, &row_values)?));
                }
                Arc::new(StringArray::from(out))
            }
            B::LikePattern => {
                let patterns = texts(&a[0], rows)?;
                let escapes = texts(&a[1], rows)?;
                Arc::new(
                    patterns
                        .iter()
                        .zip(escapes.iter())
                        .map(|(pattern, escape)| {
                            let pattern = pattern?;
                            Some(match escape.and_then(|e| e.chars().next()) {
                                Some(escape) => {
                                    super::rewrite::with_backslash_escape(pattern, escape)
                                }
                                None => pattern.to_string(),
                            })
                        })
                        .collect::<StringArray>(),
                )
            }
            B::ExpandArray => {
                let DataType::List(element) = a[0].data_type() else {
                    return exec_err!("pg_expandarray takes an array");
                };
                let lists = a[0].to_array(rows)?;
                let lists = datafusion::common::cast::as_list_array(&lists)?;
                let mut values = Vec::new();
                let mut positions = Vec::new();
                let mut offsets = vec![0i32];
                for row in 0..rows {
                    if lists.is_valid(row) {
                        let items = lists.value(row);
                        for n in 0..items.len() {
                            positions.push(i32::try_from(n + 1).unwrap_or(i32::MAX));
                        }
                        values.push(items);
                    }
                    offsets.push(i32::try_from(positions.len()).unwrap_or(i32::MAX));
                }
                let values: Vec<&dyn Array> = values.iter().map(|v| v.as_ref()).collect();
                let x = if values.is_empty() {
                    datafusion::arrow::array::new_empty_array(element.data_type())
                } else {
                    datafusion::arrow::compute::concat(&values)?
                };
                let DataType::List(struct_field) = expanded_type(element.data_type()) else {
                    return exec_err!("pg_expandarray: unexpected return type");
                };
                let DataType::Struct(fields) = struct_field.data_type() else {
                    return exec_err!("pg_expandarray: unexpected element type");
                };
                let structs = datafusion::arrow::array::StructArray::try_new(
                    fields.clone(),
                    vec![x, Arc::new(Int32Array::from(positions))],
                    None,
                )?;
                Arc::new(datafusion::arrow::array::ListArray::try_new(
                    struct_field,
                    datafusion::arrow::buffer::OffsetBuffer::new(offsets.into()),
                    Arc::new(structs),
                    lists.nulls().cloned(),
                )?)
            }
            B::JsonBuildObject => {
                let keys = a
                    .iter()
                    .step_by(2)
                    .map(|arg| texts(arg, rows))
                    .collect::<Result<Vec<_>>>()?;
                let values = a
                    .iter()
                    .skip(1)
                    .step_by(2)
                    .map(|arg| Ok((texts(arg, rows)?, json_bare(&arg.data_type()))))
                    .collect::<Result<Vec<_>>>()?;
                let mut out = Vec::with_capacity(rows);
                for row in 0..rows {
                    let mut object = String::from("{");
                    for (i, (key, (value, bare))) in keys.iter().zip(&values).enumerate() {
                        if !key.is_valid(row) {
                            return exec_err!(
                                "json_build_object: argument {} cannot be null",
                                2 * i + 1
                            );
                        }
                        if i > 0 {
                            object.push_str(", ");
                        }
                        object.push_str(&json_string(key.value(row)));
                        object.push_str(" : ");
                        if !value.is_valid(row) {
                            object.push_str("null");
                        } else if *bare {
                            object.push_str(value.value(row));
                        } else {
                            object.push_str(&json_string(value.value(row)));
                        }
                    }
                    object.push('}');
                    out.push(Some(object));
                }
                Arc::new(StringArray::from(out))
            }
            B::QuoteIdent => {
                let idents = texts(&a[0], rows)?;
                Arc::new(
                    idents
                        .iter()
                        .map(|i| i.map(quote_ident))
                        .collect::<StringArray>(),
                )
            }
        };
        // Arguments that were all scalars give a scalar back, as DataFusion expects.
        if a.iter().all(|arg| matches!(arg, ColumnarValue::Scalar(_))) && array.len() == 1 {
            return Ok(ColumnarValue::Scalar(
                datafusion::common::ScalarValue::try_from_array(&array, 0)?,
            ));
        }
        Ok(ColumnarValue::Array(array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_match_postgresql() {
        assert_eq!(size_pretty(10239), "10239 bytes");
        assert_eq!(size_pretty(10240), "10 kB");
        assert_eq!(size_pretty(123_456_789), "118 MB");
        assert_eq!(quote_ident("orders"), "orders");
        assert_eq!(quote_ident("Order Lines"), "\"Order Lines\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert!(read_privilege("SELECT"));
        assert!(read_privilege("usage, select with grant option"));
        assert!(!read_privilege("SELECT, INSERT"));
        assert_eq!(type_by_name("integer").unwrap(), Type::INT4);
        assert_eq!(type_by_name("pg_catalog.text[]").unwrap(), Type::TEXT_ARRAY);
        assert_eq!(
            type_by_name("timestamp with time zone").unwrap(),
            Type::TIMESTAMPTZ
        );
        assert!(type_by_name("no_such_type").is_none());
        assert_eq!(
            split_qualified("Segments.\"At Risk\""),
            (Some("segments".into()), "At Risk".into())
        );
        assert_eq!(split_qualified("orders"), (None, "orders".into()));
        assert_eq!(
            split_identifier("Public.\"Order \"\"X\"\"\".c"),
            ["public", "Order \"X\"", "c"]
        );
        assert_eq!(
            format_text(
                "%s.%I = %L, %L%%",
                &[Some("a"), Some("Big T"), Some("it's"), None]
            )
            .unwrap(),
            "a.\"Big T\" = 'it''s', NULL%"
        );
        assert!(format_text("%s %s", &[Some("a")]).is_err());
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
