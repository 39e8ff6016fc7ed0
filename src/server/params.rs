//! Bind parameters: the client's bytes (text or binary format, typed by the Postgres type the
//! client declared or the server described) decoded into DataFusion values of the type the plan
//! expects.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, IntervalMonthDayNano, TimeUnit};
use datafusion::common::ScalarValue;
use pgwire::api::Type;
use pgwire::api::results::FieldFormat;

use crate::error::{SqlError, sqlstate};

/// Microseconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch for binary dates and times.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
const PG_EPOCH_DAYS: i32 = 10_957;

/// The Arrow type a value of a client-declared Postgres type becomes; `None` for a type the
/// server leaves to inference (unknown, or one it does not know).
pub fn arrow_type_for(pg: &Type) -> Option<DataType> {
    Some(match *pg {
        Type::BOOL => DataType::Boolean,
        Type::INT2 => DataType::Int16,
        Type::INT4 => DataType::Int32,
        Type::INT8 => DataType::Int64,
        Type::FLOAT4 => DataType::Float32,
        Type::FLOAT8 => DataType::Float64,
        // DataFusion's reading of an unconstrained `numeric`.
        Type::NUMERIC => DataType::Decimal128(38, 10),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::JSON | Type::JSONB => {
            DataType::Utf8
        }
        Type::DATE => DataType::Date32,
        Type::TIMESTAMP => DataType::Timestamp(TimeUnit::Microsecond, None),
        Type::TIMESTAMPTZ => DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())),
        Type::INTERVAL => {
            DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::MonthDayNano)
        }
        Type::BYTEA => DataType::Binary,
        Type::TIME => DataType::Time64(TimeUnit::Microsecond),
        _ => match pg.kind() {
            postgres_types::Kind::Array(element) => DataType::List(Arc::new(
                Field::new_list_field(arrow_type_for(element)?, true),
            )),
            _ => return None,
        },
    })
}

/// Decodes parameter `index` (0-based) into a value of `target`.
pub fn decode(
    index: usize,
    bytes: Option<&[u8]>,
    pg: &Type,
    format: FieldFormat,
    target: &DataType,
) -> Result<ScalarValue, SqlError> {
    let Some(bytes) = bytes else {
        return ScalarValue::try_from(target).map_err(SqlError::from);
    };
    let value = match format {
        FieldFormat::Text => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                SqlError::new(
                    sqlstate::INVALID_TEXT_REPRESENTATION,
                    format!("parameter ${} is not valid UTF-8", index + 1),
                )
            })?;
            match target {
                DataType::List(item) => decode_text_array(index, text, pg, item.data_type())?,
                _ => decode_text(text, pg, target),
            }
        }
        FieldFormat::Binary => decode_binary(bytes, pg).map_err(|why| {
            SqlError::new(
                sqlstate::INVALID_BINARY_REPRESENTATION,
                format!(
                    "parameter ${} is not a valid binary {}: {why}",
                    index + 1,
                    pg.name()
                ),
            )
        })?,
    };
    if value.data_type() == *target {
        return Ok(value);
    }
    value.cast_to(target).map_err(|e| {
        SqlError::new(
            sqlstate::INVALID_TEXT_REPRESENTATION,
            format!(
                "parameter ${}: invalid input for type {}: {}",
                index + 1,
                crate::server::encode::pg_column_type(target)
                    .map(|t| t.pg_type.name().to_string())
                    .unwrap_or_else(|_| target.to_string()),
                SqlError::from(e).message
            ),
        )
    })
}

/// An array in PostgreSQL's text form (`{1,2,NULL}`, as psycopg and pgjdbc send lists), each
/// element decoded as a parameter of the element type.
fn decode_text_array(
    index: usize,
    text: &str,
    pg: &Type,
    item: &DataType,
) -> Result<ScalarValue, SqlError> {
    let Some(elements) = crate::pgcompat::literal_types::parse_array_literal(text) else {
        return Err(SqlError::new(
            sqlstate::INVALID_TEXT_REPRESENTATION,
            format!(
                "parameter ${}: malformed array literal: \"{text}\"",
                index + 1
            ),
        ));
    };
    let element_pg = match pg.kind() {
        postgres_types::Kind::Array(element) => element.clone(),
        _ => Type::UNKNOWN,
    };
    let values = elements
        .into_iter()
        .map(|element| {
            decode(
                index,
                element.as_deref().map(str::as_bytes),
                &element_pg,
                FieldFormat::Text,
                item,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ScalarValue::List(ScalarValue::new_list_nullable(
        &values, item,
    )))
}

/// Text-format values go through DataFusion's own casts from strings, which accept what
/// PostgreSQL's input functions accept for numbers, dates, timestamps and intervals; booleans and
/// bytea have spellings of their own.
fn decode_text(text: &str, pg: &Type, target: &DataType) -> ScalarValue {
    let wants_bool = *pg == Type::BOOL || (*target == DataType::Boolean);
    if wants_bool {
        match text.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "y" | "on" | "1" => return ScalarValue::Boolean(Some(true)),
            "f" | "false" | "no" | "n" | "off" | "0" => return ScalarValue::Boolean(Some(false)),
            _ => {}
        }
    }
    if (*pg == Type::BYTEA
        || matches!(
            target,
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView
        ))
        && let Some(hex) = text.strip_prefix("\\x")
        && let Some(bytes) = decode_hex(hex)
    {
        return ScalarValue::Binary(Some(bytes));
    }
    // PostgreSQL's date input ignores a time or zone after the date ('2019-07-07 +00', as
    // pgjdbc's setDate sends it).
    if matches!(target, DataType::Date32 | DataType::Date64)
        && let Some((date, rest)) = text.trim().split_once(' ')
        && !rest.trim().is_empty()
    {
        return ScalarValue::Utf8(Some(date.to_string()));
    }
    ScalarValue::Utf8(Some(text.to_string()))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn fixed<const N: usize>(bytes: &[u8]) -> Result<[u8; N], String> {
    bytes
        .try_into()
        .map_err(|_| format!("expected {N} bytes, got {}", bytes.len()))
}

fn decode_binary(bytes: &[u8], pg: &Type) -> Result<ScalarValue, String> {
    Ok(match *pg {
        Type::BOOL => ScalarValue::Boolean(Some(fixed::<1>(bytes)?[0] != 0)),
        Type::INT2 => ScalarValue::Int16(Some(i16::from_be_bytes(fixed(bytes)?))),
        Type::INT4 => ScalarValue::Int32(Some(i32::from_be_bytes(fixed(bytes)?))),
        Type::INT8 => ScalarValue::Int64(Some(i64::from_be_bytes(fixed(bytes)?))),
        Type::FLOAT4 => ScalarValue::Float32(Some(f32::from_be_bytes(fixed(bytes)?))),
        Type::FLOAT8 => ScalarValue::Float64(Some(f64::from_be_bytes(fixed(bytes)?))),
        Type::NUMERIC => ScalarValue::Utf8(Some(numeric_binary_to_text(bytes)?)),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::JSON | Type::UNKNOWN => {
            ScalarValue::Utf8(Some(
                std::str::from_utf8(bytes)
                    .map_err(|_| "not UTF-8".to_string())?
                    .to_string(),
            ))
        }
        Type::JSONB => {
            // jsonb's binary form is a version byte (1) and the text.
            let (version, text) = bytes.split_first().ok_or("empty")?;
            if *version != 1 {
                return Err(format!("unknown jsonb version {version}"));
            }
            ScalarValue::Utf8(Some(
                std::str::from_utf8(text)
                    .map_err(|_| "not UTF-8")?
                    .to_string(),
            ))
        }
        Type::BYTEA => ScalarValue::Binary(Some(bytes.to_vec())),
        Type::DATE => {
            let days = i32::from_be_bytes(fixed(bytes)?);
            ScalarValue::Date32(Some(
                days.checked_add(PG_EPOCH_DAYS).ok_or("date out of range")?,
            ))
        }
        Type::TIMESTAMP | Type::TIMESTAMPTZ => {
            let micros = i64::from_be_bytes(fixed(bytes)?);
            let micros = micros
                .checked_add(PG_EPOCH_MICROS)
                .ok_or("timestamp out of range")?;
            let zone = (*pg == Type::TIMESTAMPTZ).then(|| Arc::from("+00:00"));
            ScalarValue::TimestampMicrosecond(Some(micros), zone)
        }
        Type::TIME => ScalarValue::Time64Microsecond(Some(i64::from_be_bytes(fixed(bytes)?))),
        Type::INTERVAL => {
            let raw: [u8; 16] = fixed(bytes)?;
            let micros = i64::from_be_bytes(raw[0..8].try_into().map_err(|_| "interval")?);
            let days = i32::from_be_bytes(raw[8..12].try_into().map_err(|_| "interval")?);
            let months = i32::from_be_bytes(raw[12..16].try_into().map_err(|_| "interval")?);
            let nanos = micros.checked_mul(1000).ok_or("interval out of range")?;
            ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(months, days, nanos)))
        }
        _ => match pg.kind() {
            postgres_types::Kind::Array(element) => decode_binary_array(bytes, element)?,
            _ => {
                return Err(format!(
                    "binary parameters of type {} are not supported",
                    pg.name()
                ));
            }
        },
    })
}

/// PostgreSQL's binary array: ndim, has-null flag, element OID, (length, lower bound) per
/// dimension, then each element as (length or -1, bytes). One dimension is supported.
fn decode_binary_array(bytes: &[u8], element: &Type) -> Result<ScalarValue, String> {
    let element_type = arrow_type_for(element)
        .ok_or_else(|| format!("arrays of {} are not supported", element.name()))?;
    let mut cursor = Cursor { bytes, at: 0 };
    let ndim = cursor.i32()?;
    let _has_null = cursor.i32()?;
    let _oid = cursor.i32()?;
    let mut values = Vec::new();
    match ndim {
        0 => {}
        1 => {
            let len = cursor.i32()?;
            let _lower_bound = cursor.i32()?;
            for _ in 0..len {
                let n = cursor.i32()?;
                if n < 0 {
                    values.push(ScalarValue::try_from(&element_type).map_err(|e| e.to_string())?);
                } else {
                    let raw = cursor.take(n as usize)?;
                    let value = decode_binary(raw, element)?;
                    values.push(if value.data_type() == element_type {
                        value
                    } else {
                        value.cast_to(&element_type).map_err(|e| e.to_string())?
                    });
                }
            }
        }
        n => return Err(format!("{n}-dimensional arrays are not supported")),
    }
    Ok(ScalarValue::List(ScalarValue::new_list(
        &values,
        &element_type,
        true,
    )))
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or("truncated")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_be_bytes(fixed(self.take(2)?)?))
    }
    fn i32(&mut self) -> Result<i32, String> {
        Ok(i32::from_be_bytes(fixed(self.take(4)?)?))
    }
}

/// PostgreSQL's binary numeric (base-10000 digits with weight, sign and display scale) as
/// decimal text, which DataFusion then casts to the exact decimal type the plan wants.
fn numeric_binary_to_text(bytes: &[u8]) -> Result<String, String> {
    let mut cursor = Cursor { bytes, at: 0 };
    let ndigits = cursor.i16()?;
    let weight = cursor.i16()? as i32;
    let sign = cursor.i16()? as u16;
    let dscale = cursor.i16()?;
    if ndigits < 0 || dscale < 0 {
        return Err("negative digit count or scale".into());
    }
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        other => return Err(format!("invalid numeric sign {other:#x}")),
    }
    let digits: Vec<i16> = (0..ndigits)
        .map(|_| cursor.i16())
        .collect::<Result<_, _>>()?;
    if digits.iter().any(|d| !(0..10_000).contains(d)) {
        return Err("numeric digit out of range".into());
    }
    let mut integer = String::new();
    let mut fraction = String::new();
    // Digit i stands for 10000^(weight - i).
    for position in 0..=weight.max(-1) {
        let digit = digits.get(position as usize).copied().unwrap_or(0);
        if integer.is_empty() {
            if digit != 0 {
                integer.push_str(&digit.to_string());
            }
        } else {
            integer.push_str(&format!("{digit:04}"));
        }
    }
    if integer.is_empty() {
        integer.push('0');
    }
    let fraction_groups = (dscale as i32 + 3) / 4;
    for group in 0..fraction_groups {
        let position = weight + 1 + group;
        let digit = if position < 0 {
            0
        } else {
            digits.get(position as usize).copied().unwrap_or(0)
        };
        fraction.push_str(&format!("{digit:04}"));
    }
    fraction.truncate(dscale as usize);
    let mut text = String::with_capacity(integer.len() + fraction.len() + 2);
    if sign == 0x4000 {
        text.push('-');
    }
    text.push_str(&integer);
    if !fraction.is_empty() {
        text.push('.');
        text.push_str(&fraction);
    }
    Ok(text)
}
