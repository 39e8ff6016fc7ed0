//! Result columns are named as PostgreSQL names them: `count(*)` is `count`, `x::int` is `x`,
//! a constant is `?column?`. Where PostgreSQL would give two columns one name (`SELECT NULL,
//! NULL`), DataFusion wants names to differ, so the later one is named with its position
//! (`?column?_2`).

use std::collections::HashSet;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, Ident, Select, SelectItem, SetExpr, Value,
};

use super::ast::folded;

/// The name PostgreSQL gives an unnamed select-list expression (its `FigureColname`).
pub(super) fn postgres_column_name(expr: &Expr) -> Option<String> {
    Some(match expr {
        Expr::Identifier(ident) => folded(ident),
        Expr::CompoundIdentifier(parts) => folded(parts.last()?),
        Expr::Function(f) => folded(f.name.0.last()?.as_ident()?),
        Expr::Cast {
            expr, data_type, ..
        } => match postgres_column_name(expr) {
            Some(name) if name != "?column?" => name,
            _ => data_type.to_string().to_ascii_lowercase(),
        },
        Expr::Nested(inner) => postgres_column_name(inner)?,
        // `(keys).x` is named `x`, `s[i]` after `s`.
        Expr::CompoundFieldAccess { root, access_chain } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(field))) => folded(field),
            _ => postgres_column_name(root)?,
        },
        Expr::Case { .. } => "case".into(),
        Expr::Exists { .. } => "exists".into(),
        Expr::Array(_) => "array".into(),
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.as_slice() {
                [SelectItem::ExprWithAlias { alias, .. }] => folded(alias),
                [SelectItem::UnnamedExpr(e)] => postgres_column_name(e)?,
                _ => return None,
            },
            _ => return None,
        },
        _ => "?column?".into(),
    })
}

/// Aliases unnamed select-list expressions with PostgreSQL's names, where unique.
pub(super) fn name_columns_as_postgres_does(select: &mut Select) {
    // Names a client gave or that come from columns stay as they are; expressions take
    // PostgreSQL's name, or where a column already has it (PostgreSQL allows two columns of
    // one name, DataFusion does not) that name followed by their position.
    let mut taken: HashSet<String> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            SelectItem::UnnamedExpr(e @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_))) => {
                postgres_column_name(e)
            }
            _ => None,
        })
        .collect();
    for (position, item) in select.projection.iter_mut().enumerate() {
        let SelectItem::UnnamedExpr(expr) = item else {
            continue;
        };
        if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
            continue;
        }
        let Some(mut name) = postgres_column_name(expr) else {
            continue;
        };
        if taken.contains(&name) {
            name = format!("{name}_{}", position + 1);
        }
        taken.insert(name.clone());
        let expr = std::mem::replace(expr, Expr::value(Value::Null));
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: Ident::with_quote('"', name),
        };
    }
}
