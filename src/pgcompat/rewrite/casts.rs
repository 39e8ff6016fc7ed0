//! Casts to PostgreSQL's own types: `'orders'::regclass` is the table's OID and
//! `attrelid::regclass` its name, likewise `regtype` and `regproc`; `::oid` is an unsigned
//! 32-bit integer; `name`, `"char"` and `pg_catalog.text` are text; `'{a,b}'::text[]` is a
//! PostgreSQL array literal read element by element.

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, CastKind, DataType as SqlType, Expr, Value,
};

use super::ast::{call, folded, literal_text};

/// `'{a,b}'::text[]`: a PostgreSQL array literal, element by element (DataFusion would make
/// it a one-element list of the whole text). Claims every such cast of a literal.
pub(super) fn array_literal(expr: &mut Expr) -> bool {
    let Expr::Cast {
        kind: CastKind::DoubleColon | CastKind::Cast,
        expr: operand,
        data_type: SqlType::Array(ArrayElemTypeDef::SquareBracket(element, _)),
        ..
    } = expr
    else {
        return false;
    };
    let Some(text) = literal_text(operand) else {
        return false;
    };
    if let Some(elements) = super::super::literal_types::parse_array_literal(&text) {
        let element_type = postgres_type_name(element)
            .and_then(|name| match cast_rewrite(&name, false) {
                Some(CastRewrite::Type(t)) => Some(t),
                _ => None,
            })
            .unwrap_or_else(|| element.as_ref().clone());
        *expr = Expr::Array(datafusion::sql::sqlparser::ast::Array {
            elem: elements
                .into_iter()
                .map(|e| Expr::Cast {
                    kind: CastKind::Cast,
                    expr: Box::new(Expr::value(match e {
                        Some(e) => Value::SingleQuotedString(e),
                        None => Value::Null,
                    })),
                    data_type: element_type.clone(),
                    array: false,
                    format: None,
                })
                .collect(),
            named: true,
        });
    }
    true
}

/// A cast to a PostgreSQL type DataFusion does not know, as a function call or a cast to the
/// type DataFusion names it by. Claims every cast.
pub(super) fn postgres_type(expr: &mut Expr) -> bool {
    let Expr::Cast {
        kind: CastKind::DoubleColon | CastKind::Cast,
        expr: operand,
        data_type,
        ..
    } = expr
    else {
        return false;
    };
    // `x::pg_catalog.int2[]`: the element type as DataFusion names it.
    if let SqlType::Array(datafusion::sql::sqlparser::ast::ArrayElemTypeDef::SquareBracket(
        element,
        _,
    )) = data_type
        && let Some(CastRewrite::Type(replacement)) =
            postgres_type_name(element).and_then(|name| cast_rewrite(&name, false))
    {
        **element = replacement;
        return true;
    }
    let Some(type_name) = postgres_type_name(data_type) else {
        return true;
    };
    match cast_rewrite(&type_name, is_string_literal(operand)) {
        Some(CastRewrite::Function(function)) => {
            let operand = std::mem::replace(operand.as_mut(), Expr::value(Value::Null));
            *expr = call(function, vec![operand]);
        }
        Some(CastRewrite::Type(replacement)) => *data_type = replacement,
        None => {}
    }
    true
}

/// A string literal or a parameter: what `'name'::regclass` and `$1::regclass` name by text.
pub(super) fn is_string_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Value(v) if matches!(
            v.value,
            Value::SingleQuotedString(_)
                | Value::EscapedStringLiteral(_)
                | Value::DollarQuotedString(_)
                | Value::Placeholder(_)
        )
    )
}

/// The PostgreSQL type a cast names, lower-cased and without `pg_catalog.`, when it is one
/// DataFusion does not know.
pub(super) fn postgres_type_name(data_type: &SqlType) -> Option<String> {
    match data_type {
        SqlType::Regclass => Some("regclass".into()),
        SqlType::Custom(name, modifiers) if modifiers.is_empty() => {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(folded))
                .collect();
            match parts.as_slice() {
                [t] => Some(t.clone()),
                [schema, t] if schema == "pg_catalog" => Some(t.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

pub(super) enum CastRewrite {
    /// Call this function on the operand instead.
    Function(&'static str),
    /// Cast to this type instead.
    Type(SqlType),
}

pub(super) fn cast_rewrite(type_name: &str, operand_is_literal: bool) -> Option<CastRewrite> {
    use CastRewrite as R;
    Some(match type_name {
        "regclass" if operand_is_literal => R::Function("regclass_oid"),
        "regclass" => R::Function("regclass_name"),
        "regtype" if operand_is_literal => R::Function("regtype_oid"),
        "regtype" => R::Function("regtype_name"),
        "regnamespace" if !operand_is_literal => R::Function("regnamespace_name"),
        "oid" | "regoper" | "regrole" | "xid" | "cid" => R::Type(SqlType::IntUnsigned(None)),
        "regproc" | "regprocedure" if operand_is_literal => R::Function("regproc_oid"),
        "regproc" | "regprocedure" => R::Function("regproc_name"),
        "name" | "char" | "text" | "bpchar" | "varchar" | "unknown" | "pg_node_tree" => {
            R::Type(SqlType::Text)
        }
        "int2" => R::Type(SqlType::SmallInt(None)),
        "int4" | "integer" => R::Type(SqlType::Int(None)),
        "int8" | "bigint" => R::Type(SqlType::BigInt(None)),
        "float4" => R::Type(SqlType::Real),
        "float8" => R::Type(SqlType::DoublePrecision),
        "bool" | "boolean" => R::Type(SqlType::Boolean),
        "date" => R::Type(SqlType::Date),
        "numeric" => R::Type(SqlType::Numeric(
            datafusion::sql::sqlparser::ast::ExactNumberInfo::None,
        )),
        _ => return None,
    })
}
