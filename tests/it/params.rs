//! Bind parameters in text format (tokio-postgres sends binary, which `wire` covers) and the
//! binary forms that need care: numeric and arrays.

use std::sync::Arc;

use custlake::server::params::decode;
use datafusion::arrow::datatypes::{DataType, Field, IntervalMonthDayNano, IntervalUnit, TimeUnit};
use datafusion::common::ScalarValue;
use pgwire::api::Type;
use pgwire::api::results::FieldFormat;

fn text(value: &str, pg: Type, target: DataType) -> ScalarValue {
    decode(0, Some(value.as_bytes()), &pg, FieldFormat::Text, &target)
        .unwrap_or_else(|e| panic!("{value} as {target}: {e}"))
}

#[test]
fn text_parameters_of_every_type() {
    assert_eq!(
        text("t", Type::BOOL, DataType::Boolean),
        ScalarValue::Boolean(Some(true))
    );
    assert_eq!(
        text("off", Type::BOOL, DataType::Boolean),
        ScalarValue::Boolean(Some(false))
    );
    assert_eq!(
        text("-32768", Type::INT2, DataType::Int16),
        ScalarValue::Int16(Some(-32768))
    );
    assert_eq!(
        text("2147483647", Type::INT4, DataType::Int32),
        ScalarValue::Int32(Some(i32::MAX))
    );
    assert_eq!(
        text("-9007199254740993", Type::INT8, DataType::Int64),
        ScalarValue::Int64(Some(-9_007_199_254_740_993))
    );
    assert_eq!(
        text("1.5", Type::FLOAT4, DataType::Float32),
        ScalarValue::Float32(Some(1.5))
    );
    assert_eq!(
        text("-2.5e-3", Type::FLOAT8, DataType::Float64),
        ScalarValue::Float64(Some(-0.0025))
    );
    assert_eq!(
        text("-12345.67", Type::NUMERIC, DataType::Decimal128(12, 2)),
        ScalarValue::Decimal128(Some(-1_234_567), 12, 2)
    );
    assert_eq!(
        text("héllo", Type::TEXT, DataType::Utf8),
        ScalarValue::Utf8(Some("héllo".into()))
    );
    assert_eq!(
        text("2024-02-29", Type::DATE, DataType::Date32),
        ScalarValue::Date32(Some(19_782))
    );
    assert_eq!(
        text(
            "2024-02-29 13:14:15.5",
            Type::TIMESTAMP,
            DataType::Timestamp(TimeUnit::Microsecond, None)
        ),
        ScalarValue::TimestampMicrosecond(Some(1_709_212_455_500_000), None)
    );
    assert_eq!(
        text(
            "2024-02-29 13:14:15+00:00",
            Type::TIMESTAMPTZ,
            DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into()))
        ),
        ScalarValue::TimestampMicrosecond(Some(1_709_212_455_000_000), Some("+00:00".into()))
    );
    // PostgreSQL writes the offset as +HH.
    assert_eq!(
        text(
            "2024-02-29 15:14:15.25+02",
            Type::TIMESTAMPTZ,
            DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into()))
        ),
        ScalarValue::TimestampMicrosecond(Some(1_709_212_455_250_000), Some("+00:00".into()))
    );
    assert_eq!(
        text(
            "1 day 2 hours",
            Type::INTERVAL,
            DataType::Interval(IntervalUnit::MonthDayNano)
        ),
        ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(
            0,
            1,
            2 * 3_600_000_000_000
        )))
    );
    assert_eq!(
        text("\\x01ff", Type::BYTEA, DataType::Binary),
        ScalarValue::Binary(Some(vec![1, 255]))
    );
    // An untyped (unknown) parameter compared with an integer column.
    assert_eq!(
        text("42", Type::UNKNOWN, DataType::Int64),
        ScalarValue::Int64(Some(42))
    );
}

#[test]
fn null_parameters_are_typed_nulls() {
    let value = decode(0, None, &Type::INT8, FieldFormat::Binary, &DataType::Int64).unwrap();
    assert_eq!(value, ScalarValue::Int64(None));
}

#[test]
fn bad_parameters_are_data_errors() {
    let error = decode(
        2,
        Some(b"abc"),
        &Type::INT4,
        FieldFormat::Text,
        &DataType::Int32,
    )
    .unwrap_err();
    assert_eq!(error.code, "22P02");
    assert!(error.message.contains("$3"), "{}", error.message);
    let error = decode(
        0,
        Some(&[1, 2, 3]),
        &Type::INT4,
        FieldFormat::Binary,
        &DataType::Int32,
    )
    .unwrap_err();
    assert_eq!(error.code, "22P03");
    let error = decode(
        0,
        Some(&[0xff, 0xfe]),
        &Type::TEXT,
        FieldFormat::Text,
        &DataType::Utf8,
    )
    .unwrap_err();
    assert_eq!(error.code, "22P02");
}

/// PostgreSQL's binary numeric: ndigits, weight, sign, dscale, then base-10000 digits.
fn numeric(weight: i16, sign: u16, dscale: i16, digits: &[i16]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((digits.len() as i16).to_be_bytes());
    out.extend(weight.to_be_bytes());
    out.extend(sign.to_be_bytes());
    out.extend(dscale.to_be_bytes());
    for d in digits {
        out.extend(d.to_be_bytes());
    }
    out
}

#[test]
fn binary_numeric_parameters() {
    let decimal = |bytes: Vec<u8>, p: u8, s: i8| {
        decode(
            0,
            Some(&bytes),
            &Type::NUMERIC,
            FieldFormat::Binary,
            &DataType::Decimal128(p, s),
        )
        .unwrap()
    };
    // -12345.67 = -(1 2345 . 6700)
    assert_eq!(
        decimal(numeric(1, 0x4000, 2, &[1, 2345, 6700]), 12, 2),
        ScalarValue::Decimal128(Some(-1_234_567), 12, 2)
    );
    // 0.0001 = weight -1, digit 1
    assert_eq!(
        decimal(numeric(-1, 0, 4, &[1]), 10, 4),
        ScalarValue::Decimal128(Some(1), 10, 4)
    );
    // 0.00000001 = weight -2, digit 1 (a leading zero group is implied)
    assert_eq!(
        decimal(numeric(-2, 0, 8, &[1]), 10, 8),
        ScalarValue::Decimal128(Some(1), 10, 8)
    );
    // 10000 = weight 1, digit 1 (trailing zero groups are implied)
    assert_eq!(
        decimal(numeric(1, 0, 0, &[1]), 10, 0),
        ScalarValue::Decimal128(Some(10_000), 10, 0)
    );
    // zero
    assert_eq!(
        decimal(numeric(0, 0, 2, &[]), 10, 2),
        ScalarValue::Decimal128(Some(0), 10, 2)
    );
}

#[test]
fn binary_array_parameters() {
    // one dimension, has nulls, element int8, 3 elements from lower bound 1: 5, NULL, -1
    let mut bytes = Vec::new();
    for v in [1i32, 1, 20, 3, 1] {
        bytes.extend(v.to_be_bytes());
    }
    bytes.extend(8i32.to_be_bytes());
    bytes.extend(5i64.to_be_bytes());
    bytes.extend((-1i32).to_be_bytes());
    bytes.extend(8i32.to_be_bytes());
    bytes.extend((-1i64).to_be_bytes());
    let target = DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true)));
    let value = decode(
        0,
        Some(&bytes),
        &Type::INT8_ARRAY,
        FieldFormat::Binary,
        &target,
    )
    .unwrap();
    let expected = ScalarValue::List(ScalarValue::new_list(
        &[
            ScalarValue::Int64(Some(5)),
            ScalarValue::Int64(None),
            ScalarValue::Int64(Some(-1)),
        ],
        &DataType::Int64,
        true,
    ));
    assert_eq!(value, expected);
    // Truncated input is an error, not a panic.
    let error = decode(
        0,
        Some(&bytes[..bytes.len() - 3]),
        &Type::INT8_ARRAY,
        FieldFormat::Binary,
        &target,
    )
    .unwrap_err();
    assert_eq!(error.code, "22P03");
}

/// Lists as psycopg sends them: an array's text (`{1,NULL,3}`), typed by the element type.
#[test]
fn text_array_parameters() {
    let list = |item: DataType| DataType::List(Arc::new(Field::new_list_field(item, true)));
    assert_eq!(
        text("{1,NULL,3}", Type::INT8_ARRAY, list(DataType::Int64)),
        ScalarValue::List(ScalarValue::new_list_nullable(
            &[
                ScalarValue::Int64(Some(1)),
                ScalarValue::Int64(None),
                ScalarValue::Int64(Some(3)),
            ],
            &DataType::Int64,
        ))
    );
    assert_eq!(
        text(
            r#"{"a b","c,d",""}"#,
            Type::TEXT_ARRAY,
            list(DataType::Utf8)
        ),
        ScalarValue::List(ScalarValue::new_list_nullable(
            &[
                ScalarValue::Utf8(Some("a b".into())),
                ScalarValue::Utf8(Some("c,d".into())),
                ScalarValue::Utf8(Some(String::new())),
            ],
            &DataType::Utf8,
        ))
    );
    let error = decode(
        0,
        Some(b"{1,x}"),
        &Type::INT2_ARRAY,
        FieldFormat::Text,
        &list(DataType::Int16),
    )
    .unwrap_err();
    assert_eq!(error.code, "22P02");
    let error = decode(
        0,
        Some(b"1,2"),
        &Type::INT2_ARRAY,
        FieldFormat::Text,
        &list(DataType::Int16),
    )
    .unwrap_err();
    assert_eq!(error.code, "22P02");
}
