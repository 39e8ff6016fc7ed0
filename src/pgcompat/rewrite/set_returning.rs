//! PostgreSQL's set-returning helpers DataFusion lacks, as calls it has:
//! `information_schema._pg_expandarray(a)` is `unnest(pg_expandarray(a))`, a field of a
//! composite value, `(keys).x`, is `get_field(keys, 'x')`, and `generate_subscripts(a, 1)` is
//! `unnest(range(1, CAST(cardinality(a) AS BIGINT) + 1))`. `generate_series(…)` as an item
//! of a select list returns its rows, as in PostgreSQL: it is `unnest` of DataFusion's
//! `generate_series`, which returns one list; so are `string_to_table(…)` and
//! `regexp_split_to_table(…)`, `unnest` of `string_to_array(…)` and
//! `regexp_split_to_array(…)`, in a select list and in FROM, and `regexp_matches(…)` (one
//! row per match) `unnest` of `regexp_matches_array(…)`.

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, CastKind, DataType as SqlType, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Select, SelectItem, Value,
};

use super::ast::{call, folded};

/// Whether `expr` calls a function whose last name part is `name` (folded).
fn calls(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Function(function) if function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| folded(i) == name))
}

/// The array function whose elements a set-returning function returns, one row each.
pub(super) fn array_behind(function: &str) -> Option<&'static str> {
    match function {
        "string_to_table" => Some("string_to_array"),
        "regexp_split_to_table" => Some("regexp_split_to_array"),
        "regexp_matches" => Some("regexp_matches_array"),
        _ => None,
    }
}

/// A select list's `generate_series(…)` items → `unnest(generate_series(…))`, and its
/// `string_to_table(…)` → `unnest(string_to_array(…))` (the same for `regexp_split_to_table`).
pub(super) fn series_in_select_list(select: &mut Select) {
    for item in &mut select.projection {
        if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item
            && let Expr::Function(function) = expr
            && let Some(name) = function
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(folded)
            && let Some(array_function) = array_behind(&name)
        {
            let mut function = function.clone();
            function.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![
                datafusion::sql::sqlparser::ast::Ident::new(array_function),
            ]);
            *expr = call("unnest", vec![Expr::Function(function)]);
        } else if let SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } = item
            && calls(expr, "generate_series")
            && let Expr::Function(function) = expr
        {
            // `pg_catalog.generate_series` is DataFusion's function too.
            let mut function = function.clone();
            if function.name.0.len() > 1 {
                function.name.0.drain(..function.name.0.len() - 1);
            }
            *expr = call("unnest", vec![Expr::Function(function)]);
        }
    }
}

/// `_pg_expandarray(a)` → `unnest(pg_expandarray(a))`. Claims every call of `_pg_expandarray`.
pub(super) fn expand_array(expr: &mut Expr) -> bool {
    let Expr::Function(function) = expr else {
        return false;
    };
    if !function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| i.value.eq_ignore_ascii_case("_pg_expandarray"))
    {
        return false;
    }
    if let FunctionArguments::List(list) = &function.args
        && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] = list.args.as_slice()
    {
        *expr = call("unnest", vec![call("pg_expandarray", vec![array.clone()])]);
    }
    true
}

/// `(keys).x` → `get_field(keys, 'x')`. Claims every field access.
pub(super) fn field_access(expr: &mut Expr) -> bool {
    let Expr::CompoundFieldAccess { root, access_chain } = expr else {
        return false;
    };
    if let [AccessExpr::Dot(Expr::Identifier(field))] = access_chain.as_slice() {
        let field = Expr::value(Value::SingleQuotedString(folded(field)));
        let mut root = std::mem::replace(root.as_mut(), Expr::value(Value::Null));
        while let Expr::Nested(inner) = root {
            root = *inner;
        }
        *expr = call("get_field", vec![root, field]);
    }
    true
}

/// `generate_subscripts(a, 1)` → `unnest(range(1, cardinality(a) + 1))`. Claims every call of
/// `generate_subscripts`.
pub(super) fn generate_subscripts(expr: &mut Expr) -> bool {
    if !calls(expr, "generate_subscripts") {
        return false;
    }
    let Expr::Function(function) = expr else {
        return false;
    };
    if let FunctionArguments::List(list) = &function.args
        && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array)), _] = list.args.as_slice()
    {
        // cardinality is unsigned; range takes signed bounds.
        let length = Expr::Cast {
            kind: CastKind::Cast,
            expr: Box::new(call("cardinality", vec![array.clone()])),
            data_type: SqlType::BigInt(None),
            array: false,
            format: None,
        };
        let upper = Expr::BinaryOp {
            left: Box::new(length),
            op: BinaryOperator::Plus,
            right: Box::new(Expr::value(Value::Number("1".into(), false))),
        };
        let subscripts = call(
            "range",
            vec![Expr::value(Value::Number("1".into(), false)), upper],
        );
        *expr = call("unnest", vec![subscripts]);
    }
    true
}
