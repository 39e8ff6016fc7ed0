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

/// The array functions whose elements a set-returning function returns, one row each (the
/// arrays side by side), and the names of its columns (`None`: the function's own name).
pub(super) struct ArraysBehind {
    pub arrays: &'static [&'static str],
    pub columns: Option<&'static [&'static str]>,
}

/// The arrays behind a set-returning function DataFusion lacks.
pub(super) fn arrays_behind(function: &str) -> Option<ArraysBehind> {
    let one = |array| ArraysBehind {
        arrays: array,
        columns: None,
    };
    let values = |array| ArraysBehind {
        arrays: array,
        columns: Some(&["value"]),
    };
    let each = |arrays| ArraysBehind {
        arrays,
        columns: Some(&["key", "value"]),
    };
    Some(match function {
        "string_to_table" => one(&["string_to_array"]),
        "regexp_split_to_table" => one(&["regexp_split_to_array"]),
        "regexp_matches" => one(&["regexp_matches_array"]),
        "json_object_keys" => one(&["json_object_keys_array"]),
        "jsonb_object_keys" => one(&["jsonb_object_keys_array"]),
        "json_array_elements" => values(&["json_array_elements_array"]),
        "jsonb_array_elements" => values(&["jsonb_array_elements_array"]),
        "json_array_elements_text" => values(&["json_array_elements_text_array"]),
        "jsonb_array_elements_text" => values(&["jsonb_array_elements_text_array"]),
        "json_each" => each(&["json_each_keys", "json_each_values"]),
        "jsonb_each" => each(&["jsonb_each_keys", "jsonb_each_values"]),
        "json_each_text" => each(&["json_each_keys", "json_each_text_values"]),
        "jsonb_each_text" => each(&["jsonb_each_keys", "jsonb_each_text_values"]),
        _ => return None,
    })
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
            && let Some(ArraysBehind {
                arrays: [array_function],
                ..
            }) = arrays_behind(&name)
        {
            let mut function = function.clone();
            function.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![
                datafusion::sql::sqlparser::ast::Ident::new(*array_function),
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
