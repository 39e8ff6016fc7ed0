//! `SELECT c.oid, c.*` (DBeaver's way): PostgreSQL returns `oid` twice, DataFusion refuses
//! duplicate columns, so the wildcard leaves out the columns named before it — readers by name
//! see every column once.

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, Ident, ObjectName, Select, SelectItem, SelectItemQualifiedWildcardKind,
};

use super::ast::folded;

/// `SELECT q.a, q.*` → `SELECT q.a, q.* EXCLUDE (a)` .
pub(super) fn exclude_named_columns_from_wildcards(select: &mut Select) {
    let named: Vec<(String, Ident)> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) if parts.len() == 2 => {
                Some((folded(&parts[0]), parts[1].clone()))
            }
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return;
    }
    for item in select.projection.iter_mut() {
        if let SelectItem::QualifiedWildcard(
            SelectItemQualifiedWildcardKind::ObjectName(qualifier),
            options,
        ) = item
            && options.opt_exclude.is_none()
            && let Some(qualifier) = qualifier.0.last().and_then(|p| p.as_ident())
        {
            let excluded: Vec<ObjectName> = named
                .iter()
                .filter(|(q, _)| *q == folded(qualifier))
                .map(|(_, column)| ObjectName::from(vec![column.clone()]))
                .collect();
            if !excluded.is_empty() {
                options.opt_exclude = Some(ExcludeSelectItem::Multiple(excluded));
            }
        }
    }
}
