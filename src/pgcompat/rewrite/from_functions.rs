//! A function in FROM is read as PostgreSQL reads it: a scalar function gives one row whose
//! column is named by the alias (`FROM string_to_array(x, ',') s` then `s[1]`), and a
//! set-returning function aliased without a column list names its column by the alias
//! (`FROM generate_series(1, 3) AS i` then `i`); `string_to_table` and
//! `regexp_split_to_table` are the UNNEST of their arrays.

use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    TableAlias, TableAliasColumnDef, TableFactor,
};

use super::ast::{call, folded, parse_query, single_ident};
use super::{Rewriter, set_returning};

impl Rewriter<'_> {
    /// Rewrites a call of a known function in FROM; claims (`true`) every call of a function
    /// named by one identifier that is not a CTE.
    pub(super) fn function_in_from(&self, factor: &mut TableFactor) -> bool {
        if let TableFactor::Table {
            name,
            alias,
            args: Some(args),
            ..
        } = factor
            && let Some(function) = single_ident(name).map(folded)
            && !self.ctes.contains(&function)
        {
            let column = alias
                .as_ref()
                .map(|a| a.columns.first().map_or(&a.name, |c| &c.name).clone())
                .unwrap_or_else(|| Ident::new(function.clone()));
            if let Some(behind) = set_returning::arrays_behind(&function) {
                let arguments: Vec<Expr> = args
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                // Columns named by the alias's list, else as PostgreSQL names them.
                let named = alias.as_ref().map_or(0, |a| a.columns.len());
                let columns = match behind.columns {
                    None => vec![column],
                    Some(names) => names
                        .iter()
                        .enumerate()
                        .map(
                            |(i, name)| match alias.as_ref().and_then(|a| a.columns.get(i)) {
                                Some(c) if i < named => c.name.clone(),
                                _ => Ident::new(*name),
                            },
                        )
                        .collect(),
                };
                let relation = alias
                    .as_ref()
                    .map_or_else(|| Ident::new(function.clone()), |a| a.name.clone());
                *factor = TableFactor::UNNEST {
                    alias: Some(TableAlias {
                        explicit: true,
                        name: relation,
                        columns: columns
                            .into_iter()
                            .map(|name| TableAliasColumnDef {
                                name,
                                data_type: None,
                            })
                            .collect(),
                        at: None,
                    }),
                    array_exprs: behind
                        .arrays
                        .iter()
                        .map(|array| call(array, arguments.clone()))
                        .collect(),
                    with_offset: false,
                    with_offset_alias: None,
                    with_ordinality: false,
                };
            } else if self.state.table_functions().contains_key(&function) {
                if let Some(alias) = alias
                    && alias.columns.is_empty()
                    && matches!(function.as_str(), "generate_series" | "range" | "unnest")
                {
                    alias.columns.push(TableAliasColumnDef {
                        name: alias.name.clone(),
                        data_type: None,
                    });
                }
            } else if self.state.scalar_functions().contains_key(&function)
                && args.settings.is_none()
            {
                let value = Expr::Function(Function {
                    name: name.clone(),
                    uses_odbc_syntax: false,
                    parameters: FunctionArguments::None,
                    args: FunctionArguments::List(FunctionArgumentList {
                        duplicate_treatment: None,
                        args: args.args.clone(),
                        clauses: vec![],
                    }),
                    filter: None,
                    null_treatment: None,
                    over: None,
                    within_group: vec![],
                });
                if let Some(subquery) = parse_query(&format!("SELECT {value} AS {column}")) {
                    let relation = alias
                        .as_ref()
                        .map_or_else(|| column.clone(), |a| a.name.clone());
                    *factor = TableFactor::Derived {
                        lateral: false,
                        subquery: Box::new(subquery),
                        alias: Some(TableAlias {
                            explicit: true,
                            name: relation,
                            columns: vec![],
                            at: None,
                        }),
                        sample: None,
                    };
                }
            }
            return true;
        }
        false
    }
}
