//! PostgreSQL's system-information and catalog functions (`version()`, `current_setting`,
//! `pg_table_is_visible`, `obj_description`, `format_type` …), which clients call in their
//! introspection queries.
//!
//! Unlike the analytics functions (crate `custlake-udfs`, one struct each), these are many
//! small lookups with the same plumbing — arguments cast to OIDs or text, one value per row
//! — so one struct, [`PgFunction`], serves them all and [`Behaviour`] says what each does.
//! Each family's module lists its functions (name, arities, result type, documentation for
//! `information_schema.routines`) next to what they compute; this module registers them all.

mod args;
mod arrays;
mod descriptions;
mod object_names;
mod privileges;
mod relation_sizes;
mod session;
mod settings;
mod text;
mod visibility;

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::catalog::CatalogProviderList;
use datafusion::common::config::ConfigOptions;
use datafusion::common::{Result, plan_err};
use datafusion::datasource::TableType;
use datafusion::logical_expr::{
    ColumnarValue, DocSection, Documentation, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, TypeSignature, Volatility,
};

use super::oid;
use super::settings::PgSettings;
use super::snapshot;
use super::table_lookup;
use super::virtual_schema::Shared;

pub use object_names::type_by_name;
pub use session::version_string;
pub use settings::setting_value;

const DOC_SECTION: DocSection = DocSection {
    include: true,
    label: "PostgreSQL Compatibility Functions",
    description: Some("PostgreSQL's system-information and catalog functions."),
};

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
    QuoteLiteral,
    QuoteNullable,
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
    /// The family's evaluation, which `behaviour` selects within.
    invoke: Invoke,
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

/// One function as a family lists it: name, behaviour, arities, result type, description,
/// syntax.
type Spec = (
    &'static str,
    Behaviour,
    &'static [usize],
    DataType,
    &'static str,
    &'static str,
);

/// A family's evaluation of its functions.
type Invoke = fn(&PgFunction, &Call<'_>) -> Result<ColumnarValue>;

/// One invocation's arguments, as every family reads them.
struct Call<'a> {
    rows: usize,
    config: &'a ConfigOptions,
    args: &'a [ColumnarValue],
    database: String,
}

/// A text scalar.
fn scalar_text(value: Option<String>) -> ColumnarValue {
    ColumnarValue::Scalar(datafusion::common::ScalarValue::Utf8(value))
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
    let families: [(Vec<Spec>, Invoke); 9] = [
        (session::specs(), session::invoke),
        (settings::specs(), settings::invoke),
        (visibility::specs(), visibility::invoke),
        (descriptions::specs(), descriptions::invoke),
        (privileges::specs(), privileges::invoke),
        (relation_sizes::specs(), relation_sizes::invoke),
        (object_names::specs(), object_names::invoke),
        (text::specs(), text::invoke),
        (arrays::specs(), arrays::invoke),
    ];
    families
        .into_iter()
        .flat_map(|(specs, invoke)| specs.into_iter().map(move |spec| (spec, invoke)))
        .map(
            |((name, behaviour, arity, return_type, description, syntax), invoke)| {
                let volatility = match behaviour {
                    B::Version
                    | B::FormatType
                    | B::EncodingToChar
                    | B::SizePretty
                    | B::QuoteIdent
                    | B::QuoteLiteral
                    | B::QuoteNullable => Volatility::Immutable,
                    B::SetConfig => Volatility::Volatile,
                    _ => Volatility::Stable,
                };
                ScalarUDF::new_from_impl(PgFunction {
                    name,
                    behaviour,
                    invoke,
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

fn settings(config: &ConfigOptions) -> PgSettings {
    PgSettings::of(config)
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
                [DataType::List(element)] => Ok(arrays::expanded_type(element.data_type())),
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
        let call = Call {
            rows: args.number_rows,
            config: args.config_options.as_ref(),
            args: &args.args,
            database: args.config_options.catalog.default_catalog.clone(),
        };
        let value = (self.invoke)(self, &call)?;
        // Arguments that were all scalars give a scalar back, as DataFusion expects.
        if let ColumnarValue::Array(array) = &value
            && call
                .args
                .iter()
                .all(|arg| matches!(arg, ColumnarValue::Scalar(_)))
            && array.len() == 1
        {
            return Ok(ColumnarValue::Scalar(
                datafusion::common::ScalarValue::try_from_array(array, 0)?,
            ));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use postgres_types::Type;

    use super::object_names::*;
    use super::privileges::*;
    use super::relation_sizes::*;
    use super::text::*;
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
