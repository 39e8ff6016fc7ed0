//! Booleans, integers (signed and unsigned, UInt64 as numeric), float4/float8 (shortest
//! round-trip text) and numeric: text with exactly the scale's decimals, binary that
//! `rust_decimal` and `numeric_recv` read back, narrow and wide decimals.

use std::str::FromStr;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Decimal32Array, Decimal64Array, Decimal256Array, Float32Array,
    Float64Array, Int8Array, Int16Array, Int32Array, Int64Array, UInt8Array, UInt16Array,
    UInt32Array, UInt64Array,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, i256};
use rust_decimal::Decimal;
use tokio_postgres::types::Type;

use super::{binary, column_type, decimal128, decoded, numeric_from_binary, strs, text};

#[test]
fn booleans() {
    let a: ArrayRef = Arc::new(BooleanArray::from(vec![Some(true), Some(false), None]));
    assert_eq!(column_type(DataType::Boolean), (Type::BOOL, -1));
    assert_eq!(text(a.clone()), strs(&[Some("t"), Some("f"), None]));
    assert_eq!(decoded::<bool>(a), vec![Some(true), Some(false), None]);
}

#[test]
fn integers() {
    let a: ArrayRef = Arc::new(Int8Array::from(vec![
        Some(i8::MIN),
        Some(-1),
        Some(0),
        Some(i8::MAX),
        None,
    ]));
    assert_eq!(column_type(DataType::Int8), (Type::INT2, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("-128"), Some("-1"), Some("0"), Some("127"), None])
    );
    assert_eq!(
        decoded::<i16>(a),
        vec![Some(-128), Some(-1), Some(0), Some(127), None]
    );

    let a: ArrayRef = Arc::new(Int16Array::from(vec![Some(i16::MIN), None, Some(i16::MAX)]));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("-32768"), None, Some("32767")])
    );
    assert_eq!(
        decoded::<i16>(a),
        vec![Some(i16::MIN), None, Some(i16::MAX)]
    );

    let a: ArrayRef = Arc::new(UInt8Array::from(vec![Some(0), Some(u8::MAX), None]));
    assert_eq!(column_type(DataType::UInt8), (Type::INT2, -1));
    assert_eq!(text(a.clone()), strs(&[Some("0"), Some("255"), None]));
    assert_eq!(decoded::<i16>(a), vec![Some(0), Some(255), None]);

    let a: ArrayRef = Arc::new(Int32Array::from(vec![
        Some(i32::MIN),
        Some(42),
        None,
        Some(i32::MAX),
    ]));
    assert_eq!(column_type(DataType::Int32), (Type::INT4, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("-2147483648"), Some("42"), None, Some("2147483647")])
    );
    assert_eq!(
        decoded::<i32>(a),
        vec![Some(i32::MIN), Some(42), None, Some(i32::MAX)]
    );

    let a: ArrayRef = Arc::new(UInt16Array::from(vec![Some(u16::MAX), None]));
    assert_eq!(column_type(DataType::UInt16), (Type::INT4, -1));
    assert_eq!(text(a.clone()), strs(&[Some("65535"), None]));
    assert_eq!(decoded::<i32>(a), vec![Some(65535), None]);

    let a: ArrayRef = Arc::new(Int64Array::from(vec![
        Some(i64::MIN),
        Some(-7),
        None,
        Some(i64::MAX),
    ]));
    assert_eq!(column_type(DataType::Int64), (Type::INT8, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("-9223372036854775808"),
            Some("-7"),
            None,
            Some("9223372036854775807")
        ])
    );
    assert_eq!(
        decoded::<i64>(a),
        vec![Some(i64::MIN), Some(-7), None, Some(i64::MAX)]
    );

    let a: ArrayRef = Arc::new(UInt32Array::from(vec![Some(u32::MAX), Some(0), None]));
    assert_eq!(column_type(DataType::UInt32), (Type::INT8, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("4294967295"), Some("0"), None])
    );
    assert_eq!(decoded::<i64>(a), vec![Some(4_294_967_295), Some(0), None]);
}

#[test]
fn uint64_is_numeric() {
    let a: ArrayRef = Arc::new(UInt64Array::from(vec![
        Some(0),
        Some(u64::MAX),
        None,
        Some(10_000),
    ]));
    assert_eq!(
        column_type(DataType::UInt64),
        (Type::NUMERIC, (20 << 16) + 4)
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some("0"), Some("18446744073709551615"), None, Some("10000")])
    );
    let raw = binary(a.clone());
    assert_eq!(
        numeric_from_binary(raw[1].as_deref().unwrap()),
        "18446744073709551615"
    );
    assert_eq!(
        decoded::<Decimal>(a),
        vec![
            Some(Decimal::ZERO),
            Some(Decimal::from(u64::MAX)),
            None,
            Some(Decimal::from(10_000))
        ]
    );
}

#[test]
fn float8_text_is_shortest_round_trip() {
    let values = [
        (0.1, "0.1"),
        (1.5, "1.5"),
        (-2.25, "-2.25"),
        (100.0, "100"),
        (1e20, "1e+20"),
        (1e15, "1e+15"),
        (1e16, "1e+16"),
        (123456789012345.0, "123456789012345"),
        (12345678901234567890.0, "1.2345678901234567e+19"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-0.000123, "-0.000123"),
        (0.0, "0"),
        (-0.0, "-0"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        (5e-324, "5e-324"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ];
    let a: ArrayRef = Arc::new(Float64Array::from(
        values
            .iter()
            .map(|(v, _)| Some(*v))
            .chain([None])
            .collect::<Vec<_>>(),
    ));
    assert_eq!(column_type(DataType::Float64), (Type::FLOAT8, -1));
    let expected: Vec<_> = values
        .iter()
        .map(|(_, t)| Some(t.to_string()))
        .chain([None])
        .collect();
    assert_eq!(text(a.clone()), expected);
    let back = decoded::<f64>(a);
    for ((v, _), got) in values.iter().zip(&back) {
        assert_eq!(got.unwrap().to_bits(), v.to_bits(), "{v}");
    }
    assert_eq!(back.last(), Some(&None));
}

#[test]
fn float4_text_is_shortest_round_trip() {
    let values: [(f32, &str); 11] = [
        (0.1, "0.1"),
        (-1.5, "-1.5"),
        (123456.0, "123456"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (1e-5, "1e-05"),
        (0.001, "0.001"),
        (f32::MAX, "3.4028235e+38"),
        (f32::MIN_POSITIVE, "1.1754944e-38"),
        (f32::NAN, "NaN"),
        (f32::NEG_INFINITY, "-Infinity"),
    ];
    let a: ArrayRef = Arc::new(Float32Array::from(
        values
            .iter()
            .map(|(v, _)| Some(*v))
            .chain([None])
            .collect::<Vec<_>>(),
    ));
    assert_eq!(column_type(DataType::Float32), (Type::FLOAT4, -1));
    let expected: Vec<_> = values
        .iter()
        .map(|(_, t)| Some(t.to_string()))
        .chain([None])
        .collect();
    assert_eq!(text(a.clone()), expected);
    let back = decoded::<f32>(a);
    for ((v, _), got) in values.iter().zip(&back) {
        assert_eq!(got.unwrap().to_bits(), v.to_bits(), "{v}");
    }

    // Float16 goes out as float4.
    let f32s: ArrayRef = Arc::new(Float32Array::from(vec![
        Some(0.5),
        Some(-2.0),
        Some(65504.0),
        None,
    ]));
    let f16s = cast(&f32s, &DataType::Float16).unwrap();
    assert_eq!(column_type(DataType::Float16), (Type::FLOAT4, -1));
    assert_eq!(
        text(f16s.clone()),
        strs(&[Some("0.5"), Some("-2"), Some("65504"), None])
    );
    assert_eq!(
        decoded::<f32>(f16s),
        vec![Some(0.5), Some(-2.0), Some(65504.0), None]
    );
}

#[test]
fn numeric_text_has_exactly_scale_decimals() {
    assert_eq!(
        column_type(DataType::Decimal128(10, 2)),
        (Type::NUMERIC, ((10 << 16) | 2) + 4)
    );
    let a = decimal128(
        &[
            Some(-50),
            Some(0),
            Some(1),
            Some(12_345_678_990),
            None,
            Some(-100),
        ],
        10,
        2,
    );
    assert_eq!(
        text(a),
        strs(&[
            Some("-0.50"),
            Some("0.00"),
            Some("0.01"),
            Some("123456789.90"),
            None,
            Some("-1.00")
        ])
    );
    let a = decimal128(&[Some(7), Some(-123)], 5, 0);
    assert_eq!(text(a), strs(&[Some("7"), Some("-123")]));
    // Negative scale: the unscaled value times 10^2.
    let a = decimal128(&[Some(123), Some(0)], 5, -2);
    assert_eq!(text(a), strs(&[Some("12300"), Some("0")]));
    let max = 10i128.pow(38) - 1;
    let a = decimal128(&[Some(max), Some(-max), Some(1)], 38, 38);
    assert_eq!(
        text(a),
        strs(&[
            Some("0.99999999999999999999999999999999999999"),
            Some("-0.99999999999999999999999999999999999999"),
            Some("0.00000000000000000000000000000000000001"),
        ])
    );
}

#[test]
fn numeric_binary_decodes_with_rust_decimal() {
    let cases: &[(i128, i8, &str)] = &[
        (0, 2, "0.00"),
        (0, 0, "0"),
        (1, 2, "0.01"),
        (-1_234_567_890, 2, "-12345678.90"),
        (10_000, 0, "10000"),
        (100_000_000, 0, "100000000"),
        (1, 10, "0.0000000001"),
        (-1, 10, "-0.0000000001"),
        (1_234_500, 4, "123.4500"),
        (100_000_000, 4, "10000.0000"),
        (99_999, 0, "99999"),
        (123_456_789, 3, "123456.789"),
        (i64::MAX as i128, 0, "9223372036854775807"),
        (
            79_228_162_514_264_337_593_543_950_335,
            0,
            "79228162514264337593543950335",
        ),
        (
            12_345_678_901_234_567_890_123_456_789,
            28,
            "1.2345678901234567890123456789",
        ),
    ];
    for &(unscaled, scale, expected) in cases {
        let a = decimal128(&[Some(unscaled)], 38, scale);
        assert_eq!(
            text(a.clone()),
            strs(&[Some(expected)]),
            "text of {unscaled}e-{scale}"
        );
        let raw = binary(a.clone()).remove(0).unwrap();
        assert_eq!(
            numeric_from_binary(&raw),
            expected,
            "binary of {unscaled}e-{scale}"
        );
        let got = decoded::<Decimal>(a).remove(0).unwrap();
        assert_eq!(got, Decimal::from_str(expected).unwrap(), "{expected}");
        assert_eq!(got.to_string(), expected, "scale survives");
    }

    // The exact bytes of a few, against PostgreSQL's numeric_send.
    let raw = |v: i128, s: i8| binary(decimal128(&[Some(v)], 38, s)).remove(0).unwrap();
    // ndigits, weight, sign, dscale, digits...
    assert_eq!(raw(10_000, 0), [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
    assert_eq!(raw(1, 2), [0, 1, 0xff, 0xff, 0, 0, 0, 2, 0, 100]);
    assert_eq!(raw(0, 2), [0, 0, 0, 0, 0, 0, 0, 2]);
    assert_eq!(
        raw(-1_234_567_890, 2),
        [
            0, 3, 0, 1, 0x40, 0, 0, 2, 0x04, 0xd2, 0x16, 0x2e, 0x23, 0x28
        ]
    );
    // 1e-10 is group 0001 at weight -3 (0.0000 0000 0100).
    assert_eq!(raw(1, 10), [0, 1, 0xff, 0xfd, 0, 0, 0, 10, 0, 100]);
}

#[test]
fn numeric_binary_at_max_precision() {
    let max = 10i128.pow(38) - 1;
    let cases: &[(i128, i8)] = &[
        (max, 0),
        (-max, 0),
        (max, 38),
        (-max, 10),
        (max, 19),
        (1, 38),
        (i128::MIN, 5),
    ];
    for &(unscaled, scale) in cases {
        let a = decimal128(&[Some(unscaled)], 38, scale);
        let text = text(a.clone()).remove(0).unwrap();
        let raw = binary(a).remove(0).unwrap();
        assert_eq!(numeric_from_binary(&raw), text, "{unscaled}e-{scale}");
    }

    // Decimal256 up to 76 digits, and the extremes of i256.
    let big = i256::from_string(
        "9999999999999999999999999999999999999999999999999999999999999999999999999999",
    )
    .unwrap();
    let values = vec![
        Some(big),
        Some(big.wrapping_neg()),
        Some(i256::MIN),
        Some(i256::MAX),
        Some(i256::ZERO),
        None,
    ];
    let a: ArrayRef = Arc::new(
        Decimal256Array::from(values)
            .with_precision_and_scale(76, 20)
            .unwrap(),
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::NUMERIC, ((76 << 16) | 20) + 4)
    );
    let texts = text(a.clone());
    assert_eq!(
        texts[0].as_deref(),
        Some("99999999999999999999999999999999999999999999999999999999.99999999999999999999")
    );
    assert_eq!(
        texts[2].as_deref(),
        Some("-578960446186580977117854925043439539266349923328202820197.28792003956564819968")
    );
    assert_eq!(
        texts[3].as_deref(),
        Some("578960446186580977117854925043439539266349923328202820197.28792003956564819967")
    );
    assert_eq!(texts[4].as_deref(), Some("0.00000000000000000000"));
    assert_eq!(texts[5], None);
    for (raw, text) in binary(a).into_iter().zip(texts) {
        assert_eq!(raw.map(|r| numeric_from_binary(&r)), text);
    }
}

#[test]
fn narrow_decimals() {
    let a: ArrayRef = Arc::new(
        Decimal32Array::from(vec![Some(-999_999_999), Some(5), None])
            .with_precision_and_scale(9, 2)
            .unwrap(),
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::NUMERIC, ((9 << 16) | 2) + 4)
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some("-9999999.99"), Some("0.05"), None])
    );
    assert_eq!(
        decoded::<Decimal>(a),
        vec![
            Some(Decimal::from_str("-9999999.99").unwrap()),
            Some(Decimal::from_str("0.05").unwrap()),
            None
        ]
    );

    let a: ArrayRef = Arc::new(
        Decimal64Array::from(vec![Some(i64::MIN), Some(123_456_789), None])
            .with_precision_and_scale(18, 4)
            .unwrap(),
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some("-922337203685477.5808"), Some("12345.6789"), None])
    );
    assert_eq!(
        decoded::<Decimal>(a),
        vec![
            Some(Decimal::from_str("-922337203685477.5808").unwrap()),
            Some(Decimal::from_str("12345.6789").unwrap()),
            None
        ]
    );
}
