//! Names resolve as PostgreSQL resolves them: an unqualified relation is looked up in
//! `pg_catalog` first, then along `search_path` (`FROM pg_class` is `pg_catalog.pg_class`;
//! with `search_path = segments, public`, `FROM champions` is `segments.champions`), and
//! `pg_catalog.f(…)` calls `f`, as every function is found there.

use datafusion::sql::sqlparser::ast::{
    Expr, Ident, ObjectName, ObjectNamePart, Query, TableAlias, TableFactor,
};

use super::Rewriter;
use super::ast::{folded, single_ident};

impl Rewriter<'_> {
    /// The schema an unqualified relation name resolves to, if it is not the default one.
    pub(super) fn schema_for(&self, name: &str) -> Option<String> {
        let options = self.state.config_options();
        let catalog = self
            .state
            .catalog_list()
            .catalog(&options.catalog.default_catalog)?;
        let found = self.path.iter().find(|schema| {
            catalog
                .schema(schema)
                .is_some_and(|provider| provider.table_exist(name))
        })?;
        (*found != options.catalog.default_schema).then(|| found.clone())
    }

    /// Notes the names a query's WITH defines: they are not looked up in the catalog.
    pub(super) fn note_ctes(&mut self, query: &Query) {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(folded(&cte.alias.name));
            }
        }
    }

    /// `FROM pg_class` → `FROM pg_catalog.pg_class AS pg_class`, likewise along
    /// `search_path`; a name in the default schema or of a CTE stays as it is.
    pub(super) fn qualify_relation(&self, factor: &mut TableFactor) {
        if let TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } = factor
            && let Some(ident) = single_ident(name)
        {
            let table = folded(ident);
            if !self.ctes.contains(&table)
                && let Some(schema) = self.schema_for(&table)
            {
                // Keep the name the query used as its alias, so `pg_class.relname` resolves.
                if alias.is_none() {
                    *alias = Some(TableAlias {
                        explicit: true,
                        name: ident.clone(),
                        columns: vec![],
                        at: None,
                    });
                }
                *name = ObjectName::from(vec![Ident::new(schema), Ident::new(table)]);
            }
        }
    }
}

/// `FROM pg_catalog.generate_series(…)`: set-returning functions are found without the
/// schema, like every function.
pub(super) fn unqualify_catalog_table_function(factor: &mut TableFactor) {
    if let TableFactor::Table {
        name,
        args: Some(_),
        ..
    } = factor
        && let [
            ObjectNamePart::Identifier(schema),
            ObjectNamePart::Identifier(function),
        ] = name.0.as_slice()
        && folded(schema) == "pg_catalog"
    {
        *name = ObjectName::from(vec![function.clone()]);
    }
}

/// `pg_catalog.f(…)` → `f(…)`. Claims every function call.
pub(super) fn unqualify_catalog_function(expr: &mut Expr) -> bool {
    let Expr::Function(function) = expr else {
        return false;
    };
    if let [
        ObjectNamePart::Identifier(schema),
        ObjectNamePart::Identifier(name),
    ] = function.name.0.as_slice()
        && folded(schema) == "pg_catalog"
    {
        function.name = ObjectName::from(vec![name.clone()]);
    }
    true
}
