//! The Arrow → PostgreSQL type mapping: which Postgres type (and `atttypmod`) a client sees
//! for each Arrow type, and which Arrow types can be PostgreSQL array elements. The wire
//! encoder and the catalog (`pg_attribute`, `information_schema.columns`, `format_type`)
//! both answer from here, so what a client reads in the catalog is what it receives.

use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use postgres_types::{Kind, Type};

/// How a column appears to clients: its Postgres type and atttypmod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgColumnType {
    pub pg_type: Type,
    /// `-1` when the type has no modifier; `numeric(p, s)` columns carry `((p << 16) | s) + 4`.
    pub type_modifier: i32,
}

/// `atttypmod` of `numeric(p, s)`; a negative scale uses PostgreSQL 15's 11-bit encoding.
fn numeric_typmod(precision: u8, scale: i8) -> i32 {
    ((i32::from(precision) << 16) | (i32::from(scale) & 0x7ff)) + 4
}

/// For an Arrow type whose values are single PostgreSQL scalars: the scalar type, the
/// matching array type, and the typmod. `None` for nested and unsupported types.
pub fn plain_type(data_type: &DataType) -> Option<(Type, Type, i32)> {
    use DataType as D;
    Some(match data_type {
        // NULL-only columns: `text` is what PostgreSQL itself resolves an untyped NULL to.
        D::Null => (Type::TEXT, Type::TEXT_ARRAY, -1),
        D::Boolean => (Type::BOOL, Type::BOOL_ARRAY, -1),
        // Postgres has no unsigned or 1-byte integers: use the narrowest type holding every value.
        D::Int8 | D::Int16 | D::UInt8 => (Type::INT2, Type::INT2_ARRAY, -1),
        D::Int32 | D::UInt16 => (Type::INT4, Type::INT4_ARRAY, -1),
        D::Int64 | D::UInt32 => (Type::INT8, Type::INT8_ARRAY, -1),
        D::UInt64 => (Type::NUMERIC, Type::NUMERIC_ARRAY, numeric_typmod(20, 0)),
        D::Float16 | D::Float32 => (Type::FLOAT4, Type::FLOAT4_ARRAY, -1),
        D::Float64 => (Type::FLOAT8, Type::FLOAT8_ARRAY, -1),
        D::Decimal32(p, s) | D::Decimal64(p, s) | D::Decimal128(p, s) | D::Decimal256(p, s) => {
            (Type::NUMERIC, Type::NUMERIC_ARRAY, numeric_typmod(*p, *s))
        }
        D::Utf8 | D::LargeUtf8 | D::Utf8View => (Type::TEXT, Type::TEXT_ARRAY, -1),
        D::Binary | D::LargeBinary | D::BinaryView | D::FixedSizeBinary(_) => {
            (Type::BYTEA, Type::BYTEA_ARRAY, -1)
        }
        D::Date32 | D::Date64 => (Type::DATE, Type::DATE_ARRAY, -1),
        D::Timestamp(_, None) => (Type::TIMESTAMP, Type::TIMESTAMP_ARRAY, -1),
        D::Timestamp(_, Some(_)) => (Type::TIMESTAMPTZ, Type::TIMESTAMPTZ_ARRAY, -1),
        D::Time32(TimeUnit::Second | TimeUnit::Millisecond)
        | D::Time64(TimeUnit::Microsecond | TimeUnit::Nanosecond) => {
            (Type::TIME, Type::TIME_ARRAY, -1)
        }
        D::Interval(_) | D::Duration(_) => (Type::INTERVAL, Type::INTERVAL_ARRAY, -1),
        _ => return None,
    })
}

/// A type that can be a PostgreSQL array element: a plain type, or a dictionary of one.
pub fn is_scalar(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, value) => plain_type(value).is_some(),
        other => plain_type(other).is_some(),
    }
}

/// The plain type behind a scalar (looking through a dictionary).
pub fn scalar_type(data_type: &DataType) -> Option<(Type, Type, i32)> {
    match data_type {
        DataType::Dictionary(_, value) => plain_type(value),
        other => plain_type(other),
    }
}

/// The members of the innermost list of nested lists; `None` for a type that is no list.
fn innermost_member(data_type: &DataType) -> Option<&DataType> {
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            innermost_member(field.data_type()).or(Some(field.data_type()))
        }
        _ => None,
    }
}

/// The Postgres type of a column of `data_type`, or `None` for Arrow types with no
/// representation (unions, run-end encoded arrays, list views).
pub fn column_type(data_type: &DataType) -> Option<PgColumnType> {
    let json = PgColumnType {
        pg_type: Type::JSON,
        type_modifier: -1,
    };
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            match scalar_type(field.data_type()) {
                Some((_, array, type_modifier)) => Some(PgColumnType {
                    pg_type: array,
                    type_modifier,
                }),
                // Lists of lists of scalars are multidimensional arrays of those scalars;
                // lists of structs have no array type worth sending and go out as JSON
                // arrays, if their elements can be encoded at all.
                None => match innermost_member(field.data_type()).and_then(scalar_type) {
                    Some((_, array, type_modifier)) => Some(PgColumnType {
                        pg_type: array,
                        type_modifier,
                    }),
                    None => column_type(field.data_type()).map(|_| json),
                },
            }
        }
        DataType::Struct(fields) => {
            for field in fields {
                column_type(field.data_type())?;
            }
            Some(json)
        }
        DataType::Map(entries, _) => column_type(entries.data_type()).map(|_| json),
        DataType::Dictionary(_, value) => column_type(value),
        other => plain_type(other).map(|(pg_type, _, type_modifier)| PgColumnType {
            pg_type,
            type_modifier,
        }),
    }
}

/// The Postgres type of a column: `json`, `jsonb` or `char(n)` for strings marked as such
/// (see [`json`](super::json) and [`bpchar`](super::bpchar)), else that of its Arrow type ([`column_type`]).
pub fn field_type(field: &Field) -> Option<PgColumnType> {
    let json = |pg_type| PgColumnType {
        pg_type,
        type_modifier: -1,
    };
    if let Some(length) = super::bpchar::length(field) {
        return Some(PgColumnType {
            pg_type: Type::BPCHAR,
            // As varchar(n): n + 4; n is at most 10485760.
            type_modifier: i32::try_from(length).map_or(-1, |n| n + 4),
        });
    }
    match super::json::JsonType::of(field) {
        Some(super::json::JsonType::Json) => Some(json(Type::JSON)),
        Some(super::json::JsonType::Jsonb) => Some(json(Type::JSONB)),
        None => column_type(field.data_type()),
    }
}

/// `pg_type.typlen`: the fixed size of a type's values, -1 for variable length, -2 for C strings.
pub fn type_len(pg_type: &Type) -> i16 {
    match pg_type.oid() {
        16 | 18 => 1,                               // bool, "char"
        21 => 2,                                    // int2
        23 | 26 | 28 | 700 | 1082 => 4,             // int4, oid, xid, float4, date
        24 | 2202 | 2205 | 2206 | 4089 | 4096 => 4, // regproc, regprocedure, regclass, regtype, regnamespace, regrole
        20 | 701 | 1083 | 1114 | 1184 => 8,         // int8, float8, time, timestamp, timestamptz
        19 => 64,                                   // name
        1186 | 2950 => 16,                          // interval, uuid
        1266 => 12,                                 // timetz
        2275 => -2,                                 // cstring
        _ => -1,
    }
}

/// Every type `postgres-types` knows by OID: PostgreSQL's built-in types, as listed in
/// `pg_type`.
pub fn builtin_types() -> impl Iterator<Item = Type> {
    (1..=16383u32).filter_map(Type::from_oid)
}

/// The SQL name PostgreSQL's `format_type(oid, typmod)` gives a type: `integer`,
/// `numeric(38,2)`, `timestamp with time zone`, `text[]`.
pub fn format_type(pg_type: &Type, type_modifier: i32) -> String {
    if let Kind::Array(element) = pg_type.kind() {
        return format!("{}[]", format_type(element, type_modifier));
    }
    let with_length = |base: &str| {
        if type_modifier >= 4 {
            format!("{base}({})", type_modifier - 4)
        } else {
            base.to_string()
        }
    };
    match pg_type.oid() {
        16 => "boolean".into(),
        18 => "\"char\"".into(),
        21 => "smallint".into(),
        23 => "integer".into(),
        20 => "bigint".into(),
        700 => "real".into(),
        701 => "double precision".into(),
        1043 => with_length("character varying"),
        1042 => with_length("character"),
        1114 => "timestamp without time zone".into(),
        1184 => "timestamp with time zone".into(),
        1083 => "time without time zone".into(),
        1266 => "time with time zone".into(),
        1700 if type_modifier >= 4 => {
            let packed = type_modifier - 4;
            let scale = (packed & 0x7ff) as i16;
            // PostgreSQL 15+ stores negative scales in 11 bits.
            let scale = if scale > 1023 { scale - 2048 } else { scale };
            format!("numeric({},{scale})", (packed >> 16) & 0xffff)
        }
        _ => pg_type.name().to_string(),
    }
}

/// `information_schema.columns.data_type`: the SQL-standard type name, `ARRAY` for arrays
/// and `USER-DEFINED` for types outside the standard (`json` is named as itself, as
/// PostgreSQL does).
pub fn sql_standard_type_name(pg_type: &Type) -> String {
    if let Kind::Array(_) = pg_type.kind() {
        return "ARRAY".into();
    }
    match pg_type.oid() {
        1700 => "numeric".into(),
        1043 => "character varying".into(),
        1042 => "character".into(),
        18 | 19 | 25 | 26 | 17 | 1082 | 1186 | 114 | 3802 | 2950 => pg_type.name().to_string(),
        16 | 20 | 21 | 23 | 700 | 701 | 1083 | 1114 | 1184 | 1266 => format_type(pg_type, -1),
        _ => "USER-DEFINED".into(),
    }
}
