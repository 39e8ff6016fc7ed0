//! A FROM item's name as a value is its whole row in PostgreSQL (`row_to_json(t)`,
//! `json_agg(p ORDER BY p.id)`), and `ROW(a, b)` a row of fields `f1`, `f2`. DataFusion has
//! neither; inside the JSON functions, which write a row as an object of its columns, they
//! become `named_struct('a', t.a, …)` and `named_struct('f1', a, 'f2', b)`. Only there: a
//! row elsewhere is written `(1,x)` by PostgreSQL, which a struct is not, so it stays as
//! DataFusion reads it (an unknown column, refused).
//!
//! A field of such a row, `(t).x`, is the column `t.x` (wherever the query names it, ORDER BY
//! too).
//!
//! A name is a row only when no FROM item of the select has a column of that name (a column
//! wins in PostgreSQL too) and the FROM item's columns are known: a table's, or a subquery's
//! named select list.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Query, Select,
    SetExpr, TableFactor, Value, visit_expressions_mut,
};

use super::Rewriter;
use super::ast::{call, folded, from_items, qualifier};

/// The functions whose arguments may be whole rows.
const ROW_TAKING: &[&str] = &[
    "to_json",
    "to_jsonb",
    "row_to_json",
    "json_agg",
    "jsonb_agg",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "json_object_agg",
    "jsonb_object_agg",
];

impl Rewriter<'_> {
    /// Rewrites the whole-row arguments of JSON functions in a select's list and WHERE.
    pub(super) fn whole_rows_in_json_functions(&self, select: &mut Select) {
        let factors: Vec<&TableFactor> = select
            .from
            .iter()
            .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
            .collect();
        // Each FROM item's name and columns; unknown columns make every name ambiguous.
        let mut relations: Vec<(String, Vec<String>)> = Vec::new();
        let mut all_known = true;
        for factor in &factors {
            let name = match factor {
                TableFactor::Table {
                    alias: Some(alias), ..
                }
                | TableFactor::Derived {
                    alias: Some(alias), ..
                } => folded(&alias.name),
                TableFactor::Table {
                    name, alias: None, ..
                } => match name.0.last().and_then(|p| p.as_ident()) {
                    Some(ident) => folded(ident),
                    None => continue,
                },
                _ => {
                    all_known = false;
                    continue;
                }
            };
            let is_cte = matches!(factor, TableFactor::Table { name, .. } if name.0.len() == 1
                && name.0[0].as_ident().is_some_and(|i| self.ctes.contains(&folded(i))));
            match self.columns_of(factor).filter(|_| !is_cte) {
                Some(columns) => relations.push((name, columns)),
                None => all_known = false,
            }
        }
        // A name is a row only where every FROM item's columns are known.
        let rows_known = all_known && !relations.is_empty();
        let row_of = |ident: &Ident| -> Option<Expr> {
            if !rows_known {
                return None;
            }
            let name = folded(ident);
            if relations.iter().any(|(_, columns)| columns.contains(&name)) {
                return None;
            }
            let (_, columns) = relations.iter().find(|(relation, _)| *relation == name)?;
            let mut args = Vec::with_capacity(columns.len() * 2);
            for column in columns {
                args.push(Expr::value(Value::SingleQuotedString(column.clone())));
                args.push(Expr::CompoundIdentifier(vec![
                    ident.clone(),
                    Ident::with_quote('"', column.clone()),
                ]));
            }
            Some(call("named_struct", args))
        };
        let mut rewrite = |expr: &mut Expr| {
            let Expr::Function(function) = expr else {
                return ControlFlow::<()>::Continue(());
            };
            let Some(name) = function
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(folded)
            else {
                return ControlFlow::Continue(());
            };
            if !ROW_TAKING.contains(&name.as_str()) {
                return ControlFlow::Continue(());
            }
            if let FunctionArguments::List(list) = &mut function.args {
                for arg in &mut list.args {
                    if let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg {
                        match value {
                            Expr::Identifier(ident) => {
                                if let Some(row) = row_of(ident) {
                                    *value = row;
                                }
                            }
                            Expr::Function(row) if is_row_constructor(row) => {
                                *value = fields_as_struct(row);
                            }
                            _ => {}
                        }
                    }
                }
            }
            ControlFlow::Continue(())
        };
        for item in &mut select.projection {
            let _ = visit_expressions_mut(item, &mut rewrite);
        }
        if let Some(selection) = &mut select.selection {
            let _ = visit_expressions_mut(selection, &mut rewrite);
        }
    }
}

/// The names of a select's FROM items (aliases, or the tables' own names).
fn relation_names(select: &Select) -> Vec<String> {
    from_items(select)
        .filter_map(qualifier)
        .map(|name| folded(&name))
        .collect()
}

/// `(t).x` → `t.x` in a query whose body selects from `t`: in its ORDER BY and its select.
pub(super) fn fields_of_whole_rows(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    let names = relation_names(select);
    if names.is_empty() {
        return;
    }
    let mut rewrite = |expr: &mut Expr| {
        if let Expr::CompoundFieldAccess { root, access_chain } = expr
            && let [AccessExpr::Dot(Expr::Identifier(field))] = access_chain.as_slice()
        {
            let mut root = root.as_ref();
            while let Expr::Nested(inner) = root {
                root = inner;
            }
            if let Expr::Identifier(relation) = root
                && names.contains(&folded(relation))
            {
                *expr = Expr::CompoundIdentifier(vec![relation.clone(), field.clone()]);
            }
        }
        ControlFlow::<()>::Continue(())
    };
    let _ = visit_expressions_mut(select.as_mut(), &mut rewrite);
    if let Some(order_by) = &mut query.order_by {
        let _ = visit_expressions_mut(order_by, &mut rewrite);
    }
}

fn is_row_constructor(function: &datafusion::sql::sqlparser::ast::Function) -> bool {
    function.name.0.len() == 1
        && function.name.0[0]
            .as_ident()
            .is_some_and(|i| i.quote_style.is_none() && i.value.eq_ignore_ascii_case("row"))
}

/// `ROW(a, b)` → `named_struct('f1', a, 'f2', b)`.
fn fields_as_struct(row: &datafusion::sql::sqlparser::ast::Function) -> Expr {
    let mut args = Vec::new();
    if let FunctionArguments::List(list) = &row.args {
        for (i, arg) in list.args.iter().enumerate() {
            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg {
                args.push(Expr::value(Value::SingleQuotedString(format!(
                    "f{}",
                    i + 1
                ))));
                args.push(value.clone());
            }
        }
    }
    call("named_struct", args)
}
