//! A correlated subquery that aggregates and is tied to the outer row by more than `inner =
//! outer` equalities (psql's `array(SELECT rolname FROM pg_roles WHERE oid =
//! ANY(pol.polroles))`), which DataFusion cannot decorrelate, becomes a LEFT JOIN on the outer
//! values it reads: it is computed once per distinct combination of them (read from the outer
//! FROM items they come from) and grouped by them; COUNT is 0 where nothing matched. A
//! set-returning function in its FROM that reads the outer row (`generate_series(0,
//! array_upper(pr.prattrs, 1)) s`) yields its rows per combination. Unqualified columns that
//! only an outer FROM item has are qualified first, from the columns the catalog gives each
//! FROM item.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, GroupByExpr, Ident, Join, JoinConstraint,
    JoinOperator, Query, SelectItem, SetExpr, TableFactor, TableWithJoins, Value,
};

use super::super::table_lookup;
use super::Rewriter;
use super::ast::{
    and_all, call, conjuncts, derived, folded, holds_subquery_expression, own_qualifiers,
    parse_query, plain_select, single_ident,
};
use super::column_names::postgres_column_name;

impl Rewriter<'_> {
    /// The columns of a FROM item, where the catalog knows them: a table's, or those a
    /// function's alias names.
    pub(super) fn columns_of(&self, factor: &TableFactor) -> Option<Vec<String>> {
        match factor {
            TableFactor::Table {
                name, args: None, ..
            } => {
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .map(|p| p.as_ident().map(folded))
                    .collect::<Option<_>>()?;
                let options = self.state.config_options();
                let (schema, table) = match parts.as_slice() {
                    [table] => (
                        self.schema_for(table)
                            .unwrap_or_else(|| options.catalog.default_schema.clone()),
                        table.clone(),
                    ),
                    [schema, table] | [_, schema, table] => (schema.clone(), table.clone()),
                    _ => return None,
                };
                let schema_provider = self
                    .state
                    .catalog_list()
                    .catalog(&options.catalog.default_catalog)?
                    .schema(&schema)?;
                let provider = table_lookup::table(schema_provider.as_ref(), &table).ok()??;
                Some(
                    provider
                        .schema()
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect(),
                )
            }
            TableFactor::Table {
                alias: Some(alias),
                args: Some(_),
                ..
            } => Some(if alias.columns.is_empty() {
                vec![folded(&alias.name)]
            } else {
                alias.columns.iter().map(|c| folded(&c.name)).collect()
            }),
            TableFactor::Derived {
                subquery,
                alias: Some(alias),
                ..
            } => {
                if !alias.columns.is_empty() {
                    return Some(alias.columns.iter().map(|c| folded(&c.name)).collect());
                }
                let SetExpr::Select(select) = subquery.body.as_ref() else {
                    return None;
                };
                select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
                        SelectItem::UnnamedExpr(e) => postgres_column_name(e),
                        _ => None,
                    })
                    .collect()
            }
            _ => None,
        }
    }

    /// Qualifies the unqualified columns of a subquery that none of its own FROM items has
    /// but one FROM item of the enclosing select does (`attnum = prattrs[s]` reads
    /// `pr.prattrs`). Changes nothing where a FROM item's columns are unknown.
    pub(super) fn qualify_outer_columns(&self, query: &mut Query, outer_from: &[TableWithJoins]) {
        let factors = |from: &[TableWithJoins]| -> Vec<TableFactor> {
            from.iter()
                .flat_map(|t| {
                    std::iter::once(t.relation.clone())
                        .chain(t.joins.iter().map(|j| j.relation.clone()))
                })
                .collect()
        };
        let SetExpr::Select(select) = query.body.as_ref() else {
            return;
        };
        let mut own_columns = HashSet::new();
        for factor in factors(&select.from) {
            match self.columns_of(&factor) {
                Some(columns) => own_columns.extend(columns),
                None => return,
            }
        }
        let outer: Vec<(Ident, Vec<String>)> = factors(outer_from)
            .iter()
            .filter_map(|factor| {
                let qualifier = match factor {
                    TableFactor::Table {
                        alias: Some(alias), ..
                    }
                    | TableFactor::Derived {
                        alias: Some(alias), ..
                    } => alias.name.clone(),
                    TableFactor::Table {
                        name, alias: None, ..
                    } => name.0.last()?.as_ident()?.clone(),
                    _ => return None,
                };
                Some((qualifier, self.columns_of(factor)?))
            })
            .collect();
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(query, |e| {
            if let Expr::Identifier(ident) = e
                && !own_columns.contains(&folded(ident))
            {
                let mut owners = outer
                    .iter()
                    .filter(|(_, columns)| columns.contains(&folded(ident)));
                if let (Some((qualifier, _)), None) = (owners.next(), owners.next()) {
                    *e = Expr::CompoundIdentifier(vec![qualifier.clone(), ident.clone()]);
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }

    /// A correlated subquery that aggregates and is tied to the outer row by something other
    /// than `inner = outer` equalities (`oid = ANY(pol.polroles)`), which DataFusion cannot
    /// decorrelate, as a LEFT JOIN on the outer values it reads: the subquery runs once per
    /// distinct combination of them (its "domain", read from the outer FROM items they come
    /// from), grouped by them. `None` where the subquery has another shape, DataFusion
    /// decorrelates it itself, or its outer columns do not come from `outer_from`.
    pub(super) fn domain_join(
        &mut self,
        query: &Query,
        outer_from: &[TableWithJoins],
    ) -> Option<(Join, Expr)> {
        let mut query = query.clone();
        self.qualify_outer_columns(&mut query, outer_from);
        let query = &query;
        let select = plain_select(query)?;
        let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
            select.projection.as_slice()
        else {
            return None;
        };
        if !self.is_aggregate(value) || holds_subquery_expression(query) {
            return None;
        }
        let own = own_qualifiers(query);
        let is_outer = |e: &Expr| matches!(e, Expr::CompoundIdentifier(parts) if parts.len() >= 2 && !own.contains(&folded(&parts[parts.len() - 2])));
        let mut outer_refs: Vec<Expr> = Vec::new();
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(query, |e| {
            if is_outer(e) && !outer_refs.contains(e) {
                outer_refs.push(e.clone());
            }
            ControlFlow::<()>::Continue(())
        });
        if outer_refs.is_empty() {
            return None;
        }
        let reads_outer = |expr: &Expr| {
            let mut found = false;
            let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
                found |= is_outer(e);
                if found {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            found
        };
        let mut conditions = Vec::new();
        if let Some(selection) = &select.selection {
            conjuncts(selection.clone(), &mut conditions);
        }
        let functions_read_outer = select.from.iter().any(|item| {
            matches!(&item.relation, TableFactor::Table { args: Some(args), .. }
                if args.args.iter().any(|a| matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if reads_outer(e))))
        });
        // DataFusion's own decorrelation handles `inner = outer` conditions.
        let decorrelated_by_datafusion = !functions_read_outer
            && !reads_outer(value)
            && conditions.iter().filter(|c| reads_outer(c)).all(|c| {
                matches!(c, Expr::BinaryOp { left, op: BinaryOperator::Eq, right }
                    if (is_outer(left) && !reads_outer(right)) || (is_outer(right) && !reads_outer(left)))
            });
        if decorrelated_by_datafusion {
            return None;
        }
        // The outer FROM items the outer columns come from.
        let mut factors: Vec<String> = Vec::new();
        for reference in &outer_refs {
            let Expr::CompoundIdentifier(parts) = reference else {
                return None;
            };
            let qualifier = folded(&parts[parts.len() - 2]);
            let factor = outer_from
                .iter()
                .flat_map(|t| {
                    std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation))
                })
                .find(|factor| match factor {
                    TableFactor::Table {
                        name,
                        alias,
                        args: None,
                        ..
                    } => match alias {
                        Some(alias) => folded(&alias.name) == qualifier,
                        None => name
                            .0
                            .last()
                            .and_then(|p| p.as_ident())
                            .is_some_and(|i| folded(i) == qualifier),
                    },
                    TableFactor::Derived {
                        lateral: false,
                        alias: Some(alias),
                        ..
                    } => folded(&alias.name) == qualifier,
                    _ => false,
                })?
                .to_string();
            if !factors.contains(&factor) {
                factors.push(factor);
            }
        }
        self.laterals += 1;
        let relation = Ident::new(format!("__custlake_scalar_{}", self.laterals));
        let keys: Vec<Ident> = (1..=outer_refs.len())
            .map(|i| Ident::new(format!("__key_{i}")))
            .collect();
        let domain_items: Vec<String> = outer_refs
            .iter()
            .zip(&keys)
            .map(|(reference, key)| format!("{reference} AS {key}"))
            .collect();
        let mut inner = query.clone();
        let SetExpr::Select(inner_select) = inner.body.as_mut() else {
            return None;
        };
        // A set-returning function in the subquery's FROM that reads the outer row
        // (`generate_series(0, array_upper(pr.prattrs, 1)) s`) cannot be planned there; its
        // rows become part of the domain instead, one per value it returns.
        let mut domain_items = domain_items;
        let mut kept = Vec::new();
        for item in std::mem::take(&mut inner_select.from) {
            match series_of_outer_row(&item, &reads_outer) {
                Some(series) => domain_items.push(series),
                None => kept.push(item),
            }
        }
        inner_select.from = kept;
        let domain = parse_query(&format!(
            "SELECT DISTINCT {} FROM {}",
            domain_items.join(", "),
            factors.join(", ")
        ))?;
        let domain_name = Ident::new("__custlake_domain");
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(&mut inner, |e| {
            if let Some(i) = outer_refs.iter().position(|r| r == e) {
                *e = Expr::CompoundIdentifier(vec![domain_name.clone(), keys[i].clone()]);
            }
            ControlFlow::<()>::Continue(())
        });
        let SetExpr::Select(inner_select) = inner.body.as_mut() else {
            return None;
        };
        inner_select.from.insert(
            0,
            TableWithJoins {
                relation: derived(domain, domain_name.clone(), false),
                joins: vec![],
            },
        );
        let domain_keys: Vec<Expr> = keys
            .iter()
            .map(|key| Expr::CompoundIdentifier(vec![domain_name.clone(), key.clone()]))
            .collect();
        let (SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }) =
            inner_select.projection.pop()?
        else {
            return None;
        };
        let counts = matches!(&value, Expr::Function(f) if single_ident(&f.name).is_some_and(|i| folded(i) == "count"));
        inner_select.projection = domain_keys
            .iter()
            .zip(&keys)
            .map(|(expr, key)| SelectItem::ExprWithAlias {
                expr: expr.clone(),
                alias: key.clone(),
            })
            .chain(std::iter::once(SelectItem::ExprWithAlias {
                expr: value,
                alias: Ident::new("value"),
            }))
            .collect();
        inner_select.group_by = GroupByExpr::Expressions(domain_keys, vec![]);
        let on = and_all(
            outer_refs
                .into_iter()
                .zip(&keys)
                .map(|(reference, key)| {
                    Expr::IsNotDistinctFrom(
                        Box::new(Expr::CompoundIdentifier(vec![
                            relation.clone(),
                            key.clone(),
                        ])),
                        Box::new(reference),
                    )
                })
                .collect(),
        )?;
        let join = Join {
            relation: derived(inner, relation.clone(), false),
            global: false,
            join_operator: JoinOperator::LeftOuter(JoinConstraint::On(on)),
        };
        let value = Expr::CompoundIdentifier(vec![relation, Ident::new("value")]);
        // No row of the subquery matched: COUNT is 0 there, every other aggregate NULL.
        let value = if counts {
            call(
                "coalesce",
                vec![value, Expr::value(Value::Number("0".into(), false))],
            )
        } else {
            value
        };
        Some((join, value))
    }
}

/// `generate_series(a, b) AS s` or `unnest(x) AS s`, a FROM item on its own whose arguments
/// `read_outer`, as a select-list item giving the same rows: `unnest(generate_series(a, b)) AS
/// s`.
pub(super) fn series_of_outer_row(
    item: &TableWithJoins,
    reads_outer: &dyn Fn(&Expr) -> bool,
) -> Option<String> {
    let TableFactor::Table {
        name,
        args: Some(args),
        alias: Some(alias),
        ..
    } = &item.relation
    else {
        return None;
    };
    if !item.joins.is_empty() {
        return None;
    }
    let arguments: Vec<&Expr> = args
        .args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if !arguments.iter().any(|a| reads_outer(a)) {
        return None;
    }
    let column = match alias.columns.as_slice() {
        [] => alias.name.clone(),
        [column] => column.name.clone(),
        _ => return None,
    };
    let arguments = arguments
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let function = name.0.last()?.as_ident().map(folded)?;
    match function.as_str() {
        "generate_series" => Some(format!("unnest(generate_series({arguments})) AS {column}")),
        "unnest" => Some(format!("unnest({arguments}) AS {column}")),
        _ => None,
    }
}
