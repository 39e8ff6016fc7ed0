//! The Arrow → PostgreSQL type mapping: which Postgres type (and `atttypmod`) a client sees
//! for each Arrow type, and which Arrow types can be PostgreSQL array elements.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use pgwire::api::Type;

use super::{EncodeError, PgColumnType};

/// `atttypmod` of `numeric(p, s)`; a negative scale uses PostgreSQL 15's 11-bit encoding.
fn numeric_typmod(precision: u8, scale: i8) -> i32 {
    ((i32::from(precision) << 16) | (i32::from(scale) & 0x7ff)) + 4
}

/// For an Arrow type whose values are single PostgreSQL scalars: the scalar type, the
/// matching array type, and the typmod. `None` for nested and unsupported types.
pub(super) fn plain_type(data_type: &DataType) -> Option<(Type, Type, i32)> {
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
pub(super) fn is_scalar(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, value) => plain_type(value).is_some(),
        other => plain_type(other).is_some(),
    }
}

/// The plain type behind a scalar (looking through a dictionary).
pub(super) fn scalar_type(data_type: &DataType) -> Option<(Type, Type, i32)> {
    match data_type {
        DataType::Dictionary(_, value) => plain_type(value),
        other => plain_type(other),
    }
}

/// See [`super::pg_column_type`].
pub(super) fn column_type(data_type: &DataType) -> Result<PgColumnType, EncodeError> {
    let json = PgColumnType {
        pg_type: Type::JSON,
        type_modifier: -1,
    };
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            match scalar_type(field.data_type()) {
                Some((_, array, type_modifier)) => Ok(PgColumnType {
                    pg_type: array,
                    type_modifier,
                }),
                // Nested lists may be ragged and lists of structs have no array type worth
                // sending: both go out as JSON arrays, if their elements can be encoded at all.
                None => column_type(field.data_type()).map(|_| json),
            }
        }
        DataType::Struct(fields) => {
            for field in fields {
                column_type(field.data_type())?;
            }
            Ok(json)
        }
        DataType::Map(entries, _) => column_type(entries.data_type()).map(|_| json),
        DataType::Dictionary(_, value) => column_type(value),
        other => match plain_type(other) {
            Some((pg_type, _, type_modifier)) => Ok(PgColumnType {
                pg_type,
                type_modifier,
            }),
            None => Err(EncodeError::UnsupportedType(other.to_string())),
        },
    }
}

/// `pg_type.typlen` of the types this module sends (-1: variable length).
pub(super) fn type_len(pg_type: &Type) -> i16 {
    match pg_type.oid() {
        16 => 1,                            // bool
        21 => 2,                            // int2
        23 | 700 | 1082 => 4,               // int4, float4, date
        20 | 701 | 1083 | 1114 | 1184 => 8, // int8, float8, time, timestamp, timestamptz
        1186 => 16,                         // interval
        _ => -1,
    }
}
