//! Casts to PostgreSQL's own types: `'orders'::regclass` is the table's OID and
//! `attrelid::regclass` its name, likewise `regtype` and `regproc`; `::oid` is an unsigned
//! 32-bit integer; `name`, `"char"` and `pg_catalog.text` are text; `'{a,b}'::text[]` is a
//! PostgreSQL array literal read element by element; `::varchar(n)` keeps n characters;
//! `::numeric` keeps the operand's scale; a timestamp literal may leave out the seconds.

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, CastKind, CharacterLength, DataType as SqlType, ExactNumberInfo, Expr, Value,
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
    let element_type = postgres_type_name(element)
        .and_then(|name| match cast_rewrite(&name, false) {
            Some(CastRewrite::Type(t)) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| element.as_ref().clone());
    if let Some(array) = array_of_literal(&text, &element_type) {
        *expr = array;
    }
    true
}

/// `ARRAY[…]` of a PostgreSQL array literal's elements cast to `element_type`; a
/// multidimensional literal (`{{1,2},{3,4}}`) is an `ARRAY` of them.
fn array_of_literal(text: &str, element_type: &SqlType) -> Option<Expr> {
    use super::super::literal_types::{parse_array_literal, split_nested_array_literal};
    let elem = match split_nested_array_literal(text) {
        Some(members) => members
            .into_iter()
            .map(|member| array_of_literal(member, element_type))
            .collect::<Option<Vec<_>>>()?,
        None => parse_array_literal(text)?
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
    };
    Some(Expr::Array(datafusion::sql::sqlparser::ast::Array {
        elem,
        named: true,
    }))
}

/// `timestamp '2024-06-30 12:00'` and `'2024-06-30 12:00'::timestamp`: PostgreSQL takes a
/// time without seconds, DataFusion's parser does not; the literal gets `:00`. Claims typed
/// timestamp literals (a cast is claimed by [`postgres_type`], which runs after).
pub(super) fn timestamp_without_seconds(expr: &mut Expr) -> bool {
    let (data_type, value) = match expr {
        Expr::TypedString(typed) => (&typed.data_type, &mut typed.value.value),
        Expr::Cast {
            data_type, expr, ..
        } => match expr.as_mut() {
            Expr::Value(value) => (&*data_type, &mut value.value),
            _ => return false,
        },
        _ => return false,
    };
    if !matches!(data_type, SqlType::Timestamp(..) | SqlType::Datetime(_)) {
        return false;
    }
    if let Value::SingleQuotedString(text) = value
        && let Some(completed) = with_seconds(text)
    {
        *text = completed;
    }
    matches!(expr, Expr::TypedString(_))
}

/// `YYYY-MM-DD HH:MM` (a `T` or a space between, an optional zone after) with `:00` after
/// the minutes; `None` for any other text.
fn with_seconds(text: &str) -> Option<String> {
    let bytes = text.trim().as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let shape = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(bytes.get(10), Some(b' ' | b'T'))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && !matches!(bytes.get(16), Some(b':' | b'.') | Some(b'0'..=b'9'));
    shape.then(|| {
        let text = text.trim();
        format!("{}:00{}", &text[..16], &text[16..])
    })
}

/// `operand::text`, taking the operand out of the cast being rewritten.
fn taken_as_text(operand: &mut Expr) -> Expr {
    Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(std::mem::replace(operand, Expr::value(Value::Null))),
        data_type: SqlType::Text,
        array: false,
        format: None,
    }
}

/// A string literal of exactly `length` characters (1 if none is given), not ending in a
/// blank: as char(n) it needs neither padding nor truncation.
fn is_exact_char_literal(operand: &Expr, length: Option<&CharacterLength>) -> bool {
    let n = match length {
        None => 1,
        Some(CharacterLength::IntegerLength { length, .. }) => *length,
        Some(CharacterLength::Max) => return false,
    };
    match operand {
        Expr::Value(value) => match &value.value {
            Value::SingleQuotedString(text) => {
                text.chars().count() as u64 == n && !text.ends_with(' ')
            }
            _ => false,
        },
        _ => false,
    }
}

/// A cast to a PostgreSQL type DataFusion does not know, as a function call or a cast to the
/// type DataFusion names it by. Claims every cast.
pub(super) fn postgres_type(expr: &mut Expr) -> bool {
    // `json '{…}'` and `x::jsonb`: the functions that read text as the JSON types.
    if let Expr::TypedString(typed) = expr
        && let Some(function) = json_type_function(&typed.data_type)
    {
        let text = Expr::value(typed.value.value.clone());
        *expr = call(function, vec![text]);
        return true;
    }
    if let Expr::Cast {
        kind: CastKind::DoubleColon | CastKind::Cast,
        expr: operand,
        data_type,
        ..
    } = expr
        && let Some(function) = json_type_function(data_type)
    {
        let operand = std::mem::replace(operand.as_mut(), Expr::value(Value::Null));
        *expr = call(function, vec![operand]);
        return true;
    }
    let Expr::Cast {
        kind: CastKind::DoubleColon | CastKind::Cast,
        expr: operand,
        data_type,
        ..
    } = expr
    else {
        return false;
    };
    // `x::char(3)`: blank-padded text (see `pgcompat::bpchar`). A literal of exactly n
    // characters not ending in a blank (`'f'::char`, as catalog queries write it) needs
    // neither padding nor truncation and stays text, which catalog queries compare and
    // combine freely.
    if let SqlType::Char(length) | SqlType::Character(length) = data_type
        && !is_exact_char_literal(operand, length.as_ref())
    {
        let length = match length {
            None => 1,
            Some(CharacterLength::IntegerLength { length, .. }) => *length,
            // `char(max)` is no PostgreSQL type; the function refuses the length.
            Some(CharacterLength::Max) => 0,
        };
        let length = Expr::value(Value::Number(length.to_string(), false));
        let text = taken_as_text(operand);
        *expr = call(crate::pgcompat::bpchar::FUNCTION, vec![text, length]);
        return true;
    }
    // `x::varchar(5)` keeps the first five characters; DataFusion ignores the length.
    if let SqlType::Varchar(Some(length))
    | SqlType::CharacterVarying(Some(length))
    | SqlType::CharVarying(Some(length)) = data_type
        && let CharacterLength::IntegerLength { length, .. } = length
    {
        let length = Expr::value(Value::Number(length.to_string(), false));
        let text = taken_as_text(operand);
        *expr = call("left", vec![text, length]);
        return true;
    }
    // `x::numeric` (no precision): the scale of x, as PostgreSQL keeps it.
    if matches!(
        data_type,
        SqlType::Numeric(ExactNumberInfo::None)
            | SqlType::Decimal(ExactNumberInfo::None)
            | SqlType::Dec(ExactNumberInfo::None)
    ) || postgres_type_name(data_type).as_deref() == Some("numeric")
    {
        let operand = std::mem::replace(operand.as_mut(), Expr::value(Value::Null));
        *expr = unconstrained_numeric(operand);
        return true;
    }
    // `1e300::float8`: DataFusion reads a number with an exponent as a decimal (here of
    // scale -300, past any decimal's range) before the cast; its text reads as a double.
    if is_float_type(data_type)
        && let Expr::Value(v) = operand.as_mut()
        && let Value::Number(n, _) = &v.value
        && n.contains(['e', 'E'])
    {
        v.value = Value::SingleQuotedString(n.clone());
    }
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

/// `float8`, `double precision`, `real`, `float4`, `float(p)`.
fn is_float_type(data_type: &SqlType) -> bool {
    matches!(
        data_type,
        SqlType::Float8
            | SqlType::Float4
            | SqlType::Real
            | SqlType::Double(_)
            | SqlType::DoublePrecision
            | SqlType::Float(_)
    ) || matches!(
        postgres_type_name(data_type).as_deref(),
        Some("float8" | "float4")
    )
}

/// `json(x)` or `jsonb(x)` for a cast to `json` or `jsonb`.
fn json_type_function(data_type: &SqlType) -> Option<&'static str> {
    match data_type {
        SqlType::JSON => Some("json"),
        SqlType::JSONB => Some("jsonb"),
        other => match postgres_type_name(other).as_deref() {
            Some("json") => Some("json"),
            Some("jsonb") => Some("jsonb"),
            _ => None,
        },
    }
}

/// `x::numeric`: a literal number (or the text of one, exponent and all) as a numeric
/// literal of its own scale and the widest precision (PostgreSQL's numeric has no precision of
/// its own, so `0::numeric` may grow in a recursive CTE), anything else through `numeric(x)`.
fn unconstrained_numeric(operand: Expr) -> Expr {
    let text = match &operand {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.clone()),
            Value::SingleQuotedString(s) => Some(s.trim().to_string()),
            _ => None,
        },
        _ => None,
    };
    let plain = text.as_deref().and_then(without_exponent);
    let Some((negative, digits)) = plain.as_deref().and_then(plain_decimal) else {
        return call("numeric", vec![operand]);
    };
    let scale = digits
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    let literal = Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(Expr::value(Value::Number(digits.to_string(), false))),
        data_type: SqlType::Numeric(ExactNumberInfo::PrecisionAndScale(38, scale as i64)),
        array: false,
        format: None,
    };
    match negative {
        true => Expr::UnaryOp {
            op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus,
            expr: Box::new(literal),
        },
        false => literal,
    }
}

/// `1.5E-2` as `0.015`, `1e3` as `1000`: a number's text without its exponent, digits and
/// scale as PostgreSQL's numeric input makes them (the scale is the fraction's digits less
/// the exponent, at least 0). Text without an exponent is returned as it is.
fn without_exponent(text: &str) -> Option<String> {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return Some(text.to_string());
    };
    let exponent: i32 = exponent.parse().ok()?;
    let (sign, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if !(whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit()))
        || whole.is_empty() && fraction.is_empty()
        || exponent.unsigned_abs() > 38
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    // The point moves `exponent` places right of where it was.
    let point = whole.len() as i32 + exponent;
    let scale = (fraction.len() as i32 - exponent).max(0) as usize;
    let (int_part, frac_part) = if point <= 0 {
        (
            String::new(),
            format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        let (i, f) = digits.split_at(point as usize);
        (i.to_string(), f.to_string())
    };
    let mut frac_part = frac_part;
    frac_part.truncate(scale);
    frac_part.extend(std::iter::repeat_n('0', scale - frac_part.len()));
    let int_part = int_part.trim_start_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    Some(match scale {
        0 => format!("{sign}{int_part}"),
        _ => format!("{sign}{int_part}.{frac_part}"),
    })
}

/// `-12.50` as (true, "12.50"): a sign, digits, at most one point with digits after it, at
/// most 38 digits; `None` for anything else (exponents, NaN, spaces inside).
fn plain_decimal(text: &str) -> Option<(bool, &str)> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let count = whole.len() + fraction.len();
    (!whole.is_empty()
        && all_digits(whole)
        && all_digits(fraction)
        && (!digits.contains('.') || !fraction.is_empty())
        && (1..=38).contains(&count))
    .then_some((negative, digits))
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

#[cfg(test)]
mod tests {
    use super::without_exponent;

    #[test]
    fn exponents_move_the_point_and_set_the_scale() {
        let plain = |t| without_exponent(t).unwrap();
        assert_eq!(plain("1e3"), "1000");
        assert_eq!(plain("1.5E-2"), "0.015");
        assert_eq!(plain("1.50e1"), "15.0");
        assert_eq!(plain("-2.5e0"), "-2.5");
        assert_eq!(plain("12.345e2"), "1234.5");
        assert_eq!(plain("12.5"), "12.5");
        assert_eq!(without_exponent("1e"), None);
        assert_eq!(without_exponent("1e400"), None);
    }
}
