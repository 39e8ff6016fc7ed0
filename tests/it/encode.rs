//! Arrow → PostgreSQL encoding (`custlake::server::encode`) without a server: for each
//! Arrow type, the exact text bytes PostgreSQL would print, and binary values that decode
//! back through `postgres-types` (what tokio-postgres and most drivers use).

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use custlake::server::encode::{
    BatchEncoder, EncodeError, PgColumnType, field_infos, pg_column_type,
};
use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BinaryViewArray, BooleanArray, Date32Array, Date64Array, Decimal32Array,
    Decimal64Array, Decimal128Array, Decimal256Array, DictionaryArray, DurationSecondArray,
    FixedSizeBinaryArray, FixedSizeListArray, Float32Array, Float64Array, Int8Array, Int16Array,
    Int32Array, Int32Builder, Int64Array, Int64Builder, IntervalDayTimeArray,
    IntervalMonthDayNanoArray, IntervalYearMonthArray, LargeBinaryArray, LargeListArray,
    LargeStringArray, ListArray, MapBuilder, NullArray, RecordBatch, StringArray, StringBuilder,
    StringViewArray, StructArray, Time32SecondArray, Time64MicrosecondArray, Time64NanosecondArray,
    TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
    TimestampSecondArray, UInt8Array, UInt16Array, UInt32Array, UInt64Array,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Field, Fields, Int8Type, Int32Type, Int64Type, IntervalDayTime, IntervalMonthDayNano,
    Schema, TimeUnit, UnionFields, UnionMode, i256,
};
use pgwire::api::portal::Format;
use pgwire::api::results::FieldFormat;
use pgwire::messages::data::DataRow;
use rust_decimal::Decimal;
use tokio_postgres::types::{FromSql, Type};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A DataRow's fields: `None` for NULL, else the value bytes.
fn split_fields(row: &DataRow) -> Vec<Option<&[u8]>> {
    let mut data = &row.data[..];
    let mut fields = Vec::new();
    for _ in 0..row.field_count {
        let (len, rest) = data.split_at(4);
        let len = i32::from_be_bytes(len.try_into().unwrap());
        if len < 0 {
            assert_eq!(len, -1, "NULL is length -1");
            fields.push(None);
            data = rest;
        } else {
            let (value, rest) = rest.split_at(len as usize);
            fields.push(Some(value));
            data = rest;
        }
    }
    assert!(
        data.is_empty(),
        "bytes left over after {} fields",
        row.field_count
    );
    fields
}

/// Encode a one-column batch in `format`; each row's single field.
fn encode_column(array: ArrayRef, format: FieldFormat) -> Vec<Option<Vec<u8>>> {
    let schema = Arc::new(Schema::new(vec![Field::new(
        "c",
        array.data_type().clone(),
        true,
    )]));
    let batch = RecordBatch::try_new(schema.clone(), vec![array]).unwrap();
    let mut encoder = BatchEncoder::new(schema, vec![format]).unwrap();
    let mut rows = Vec::new();
    encoder.encode(&batch, &mut rows).unwrap();
    assert_eq!(rows.len(), batch.num_rows());
    rows.iter()
        .map(|row| {
            assert_eq!(row.field_count, 1);
            split_fields(row)[0].map(<[u8]>::to_vec)
        })
        .collect()
}

/// Text format, as strings.
fn text(array: ArrayRef) -> Vec<Option<String>> {
    encode_column(array, FieldFormat::Text)
        .into_iter()
        .map(|v| v.map(|b| String::from_utf8(b).unwrap()))
        .collect()
}

fn binary(array: ArrayRef) -> Vec<Option<Vec<u8>>> {
    encode_column(array, FieldFormat::Binary)
}

/// Binary format, decoded as `T` from the Postgres type the column is described as.
fn decoded<T: for<'a> FromSql<'a>>(array: ArrayRef) -> Vec<Option<T>> {
    let ty = pg_column_type(array.data_type()).unwrap().pg_type;
    assert!(
        T::accepts(&ty),
        "{} does not decode {ty}",
        std::any::type_name::<T>()
    );
    binary(array)
        .into_iter()
        .map(|raw| {
            raw.map(|raw| T::from_sql(&ty, &raw).unwrap_or_else(|e| panic!("decoding {ty}: {e}")))
        })
        .collect()
}

fn strs(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_owned)).collect()
}

fn column_type(data_type: DataType) -> (Type, i32) {
    let PgColumnType {
        pg_type,
        type_modifier,
    } = pg_column_type(&data_type).unwrap();
    (pg_type, type_modifier)
}

/// A List array over `values` from offsets and list validity.
fn list_of(values: ArrayRef, offsets: &[i32], valid: Option<Vec<bool>>) -> ArrayRef {
    let field = Arc::new(Field::new_list_field(values.data_type().clone(), true));
    Arc::new(
        ListArray::try_new(
            field,
            OffsetBuffer::new(ScalarBuffer::from(offsets.to_vec())),
            values,
            valid.map(NullBuffer::from),
        )
        .unwrap(),
    )
}

/// Reads a binary `numeric` as `numeric_recv` would, asserting the invariants clients rely
/// on (digits < 10000, no leading/trailing zero groups, zero as ndigits = 0), and prints it
/// the way `numeric_out` does.
fn numeric_from_binary(raw: &[u8]) -> String {
    let be16 = |i: usize| u16::from_be_bytes([raw[i], raw[i + 1]]);
    let ndigits = usize::from(be16(0));
    let weight = i32::from(be16(2) as i16);
    let sign = be16(4);
    let dscale = usize::from(be16(6));
    assert_eq!(raw.len(), 8 + 2 * ndigits, "length matches ndigits");
    assert!(sign == 0 || sign == 0x4000, "sign {sign:#x}");
    let digits: Vec<u16> = (0..ndigits).map(|k| be16(8 + 2 * k)).collect();
    assert!(digits.iter().all(|&d| d < 10000), "{digits:?}");
    if ndigits == 0 {
        assert_eq!((weight, sign), (0, 0), "zero is canonical");
    } else {
        assert_ne!(digits[0], 0, "leading zero group in {digits:?}");
        assert_ne!(digits[ndigits - 1], 0, "trailing zero group in {digits:?}");
    }
    let group = |p: i32| -> u16 {
        let k = weight - p;
        if k >= 0 && (k as usize) < ndigits {
            digits[k as usize]
        } else {
            0
        }
    };
    let int: String = (0..=weight.max(0))
        .rev()
        .map(|p| format!("{:04}", group(p)))
        .collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let lowest = weight - ndigits as i32 + 1;
    let frac_groups = (dscale.div_ceil(4) as i32).max(-lowest);
    let frac: String = (1..=frac_groups)
        .map(|g| format!("{:04}", group(-g)))
        .collect();
    assert!(
        frac[dscale.min(frac.len())..].bytes().all(|b| b == b'0'),
        "digits beyond dscale"
    );
    let frac = &frac[..dscale];
    format!(
        "{}{int}{}{frac}",
        if sign == 0x4000 { "-" } else { "" },
        if dscale > 0 { "." } else { "" }
    )
}

/// `interval_send`: (microseconds, days, months).
fn interval_from_binary(raw: &[u8]) -> (i64, i32, i32) {
    assert_eq!(raw.len(), 16);
    (
        i64::from_be_bytes(raw[..8].try_into().unwrap()),
        i32::from_be_bytes(raw[8..12].try_into().unwrap()),
        i32::from_be_bytes(raw[12..].try_into().unwrap()),
    )
}

// ---------------------------------------------------------------------------------------------
// Scalars

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

fn decimal128(values: &[Option<i128>], precision: u8, scale: i8) -> ArrayRef {
    Arc::new(
        Decimal128Array::from(values.to_vec())
            .with_precision_and_scale(precision, scale)
            .unwrap(),
    )
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
fn strings() {
    let values = [
        Some(""),
        Some("héllo wörld"),
        Some("a\"b\\c\n"),
        None,
        Some("NULL"),
    ];
    let arrays: [ArrayRef; 3] = [
        Arc::new(StringArray::from(values.to_vec())),
        Arc::new(LargeStringArray::from(values.to_vec())),
        Arc::new(StringViewArray::from(values.to_vec())),
    ];
    for a in arrays {
        assert_eq!(column_type(a.data_type().clone()), (Type::TEXT, -1));
        assert_eq!(text(a.clone()), strs(&values));
        assert_eq!(decoded::<String>(a), strs(&values));
    }
}

#[test]
fn dictionary_strings_decode_through_the_dictionary() {
    let keys = Int32Array::from(vec![Some(0), None, Some(1), Some(0), Some(2)]);
    let values = Arc::new(StringArray::from(vec![Some("x"), Some("y z"), None]));
    let a: ArrayRef = Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).unwrap());
    assert_eq!(column_type(a.data_type().clone()), (Type::TEXT, -1));
    let expected = strs(&[Some("x"), None, Some("y z"), Some("x"), None]);
    assert_eq!(text(a.clone()), expected);
    assert_eq!(decoded::<String>(a), expected);

    // All keys null over an empty dictionary.
    let keys = Int32Array::from(vec![None, None]);
    let a: ArrayRef = Arc::new(
        DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(StringArray::from(Vec::<&str>::new())),
        )
        .unwrap(),
    );
    assert_eq!(text(a), vec![None, None]);
}

#[test]
fn bytea() {
    let values: Vec<Option<&[u8]>> = vec![
        Some(&[0x00, 0x01, 0xab, 0xff]),
        Some(&[]),
        None,
        Some(b"\\"),
    ];
    let expected = strs(&[Some("\\x0001abff"), Some("\\x"), None, Some("\\x5c")]);
    let arrays: [ArrayRef; 3] = [
        Arc::new(BinaryArray::from(values.clone())),
        Arc::new(LargeBinaryArray::from(values.clone())),
        Arc::new(BinaryViewArray::from(values.clone())),
    ];
    for a in arrays {
        assert_eq!(column_type(a.data_type().clone()), (Type::BYTEA, -1));
        assert_eq!(text(a.clone()), expected);
        let owned: Vec<Option<Vec<u8>>> = values.iter().map(|v| v.map(<[u8]>::to_vec)).collect();
        assert_eq!(decoded::<Vec<u8>>(a), owned);
    }
    let fixed = vec![Some([0xde_u8, 0xad]), None, Some([0, 1])];
    let a: ArrayRef = Arc::new(
        FixedSizeBinaryArray::try_from_sparse_iter_with_size(fixed.into_iter(), 2).unwrap(),
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some("\\xdead"), None, Some("\\x0001")])
    );
    assert_eq!(
        decoded::<Vec<u8>>(a),
        vec![Some(vec![0xde, 0xad]), None, Some(vec![0, 1])]
    );
}

#[test]
fn dates() {
    let days = vec![
        Some(0),
        Some(-1),
        Some(19_723),
        Some(10_957),
        Some(-719_162),  // 0001-01-01
        Some(-719_163),  // the day before: 1 BC
        Some(-719_528),  // 0000-01-01 = 0001-01-01 BC
        Some(2_932_897), // 10000-01-01
        None,
    ];
    let a: ArrayRef = Arc::new(Date32Array::from(days));
    assert_eq!(column_type(DataType::Date32), (Type::DATE, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("1970-01-01"),
            Some("1969-12-31"),
            Some("2024-01-01"),
            Some("2000-01-01"),
            Some("0001-01-01"),
            Some("0001-12-31 BC"),
            Some("0001-01-01 BC"),
            Some("10000-01-01"),
            None,
        ])
    );
    let raw = binary(a.clone());
    assert_eq!(
        raw[3].as_deref(),
        Some(&[0u8, 0, 0, 0][..]),
        "2000-01-01 is day 0"
    );
    let d = |y, m, d| Some(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(
        decoded::<NaiveDate>(a),
        vec![
            d(1970, 1, 1),
            d(1969, 12, 31),
            d(2024, 1, 1),
            d(2000, 1, 1),
            d(1, 1, 1),
            d(0, 12, 31),
            d(0, 1, 1),
            d(10000, 1, 1),
            None
        ]
    );

    // Date64 is milliseconds; times of day before 1970 still land on their own day.
    let a: ArrayRef = Arc::new(Date64Array::from(vec![
        Some(1_704_164_645_000),
        Some(-1),
        None,
    ]));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("2024-01-02"), Some("1969-12-31"), None])
    );
    assert_eq!(
        decoded::<NaiveDate>(a),
        vec![d(2024, 1, 2), d(1969, 12, 31), None]
    );
}

fn naive(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

#[test]
fn timestamps() {
    let micros = vec![
        Some(0),
        Some(1_704_164_645_500_000),
        Some(1_704_164_645_000_001),
        Some(-1),
        Some(-62_135_596_800_000_000), // 0001-01-01 00:00:00
        Some(-62_135_596_800_000_001), // a microsecond earlier: 1 BC
        None,
    ];
    let a: ArrayRef = Arc::new(TimestampMicrosecondArray::from(micros.clone()));
    assert_eq!(column_type(a.data_type().clone()), (Type::TIMESTAMP, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("1970-01-01 00:00:00"),
            Some("2024-01-02 03:04:05.5"),
            Some("2024-01-02 03:04:05.000001"),
            Some("1969-12-31 23:59:59.999999"),
            Some("0001-01-01 00:00:00"),
            Some("0001-12-31 23:59:59.999999 BC"),
            None,
        ])
    );
    let expected = vec![
        Some(naive("1970-01-01 00:00:00")),
        Some(naive("2024-01-02 03:04:05.5")),
        Some(naive("2024-01-02 03:04:05.000001")),
        Some(naive("1969-12-31 23:59:59.999999")),
        Some(naive("0001-01-01 00:00:00")),
        Some(naive("0000-12-31 23:59:59.999999")),
        None,
    ];
    assert_eq!(decoded::<NaiveDateTime>(a), expected);

    // Every unit.
    let t = "2024-01-02 03:04:05";
    let secs: ArrayRef = Arc::new(TimestampSecondArray::from(vec![Some(1_704_164_645), None]));
    let millis: ArrayRef = Arc::new(TimestampMillisecondArray::from(vec![
        Some(1_704_164_645_120),
        None,
    ]));
    let nanos: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![
        Some(1_704_164_645_000_001_999),
        Some(-1),
    ]));
    assert_eq!(text(secs.clone()), strs(&[Some(t), None]));
    assert_eq!(decoded::<NaiveDateTime>(secs), vec![Some(naive(t)), None]);
    assert_eq!(
        text(millis.clone()),
        strs(&[Some("2024-01-02 03:04:05.12"), None])
    );
    assert_eq!(
        decoded::<NaiveDateTime>(millis),
        vec![Some(naive("2024-01-02 03:04:05.12")), None]
    );
    assert_eq!(
        text(nanos.clone()),
        strs(&[
            Some("2024-01-02 03:04:05.000001"),
            Some("1969-12-31 23:59:59.999999")
        ])
    );
    assert_eq!(
        decoded::<NaiveDateTime>(nanos),
        vec![
            Some(naive("2024-01-02 03:04:05.000001")),
            Some(naive("1969-12-31 23:59:59.999999"))
        ]
    );

    // Seconds that do not fit in microseconds are an error, not a panic or a wrap.
    let schema = Arc::new(Schema::new(vec![Field::new(
        "c",
        DataType::Timestamp(TimeUnit::Second, None),
        true,
    )]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(TimestampSecondArray::from(vec![i64::MAX]))],
    )
    .unwrap();
    let err = BatchEncoder::new(schema, vec![FieldFormat::Text])
        .unwrap()
        .encode(&batch, &mut Vec::new())
        .unwrap_err();
    assert!(matches!(err, EncodeError::Value(_)), "{err}");
}

#[test]
fn timestamptz_is_utc() {
    let a: ArrayRef = Arc::new(
        TimestampMicrosecondArray::from(vec![
            Some(1_704_164_645_000_000),
            Some(1_704_164_645_250_000),
            None,
            Some(-62_135_596_800_000_001),
        ])
        .with_timezone("America/New_York"),
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::TIMESTAMPTZ, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("2024-01-02 03:04:05+00"),
            Some("2024-01-02 03:04:05.25+00"),
            None,
            Some("0001-12-31 23:59:59.999999+00 BC")
        ])
    );
    let utc = |s: &str| Some(naive(s).and_utc());
    assert_eq!(
        decoded::<DateTime<Utc>>(a),
        vec![
            utc("2024-01-02 03:04:05"),
            utc("2024-01-02 03:04:05.25"),
            None,
            utc("0000-12-31 23:59:59.999999")
        ]
    );
}

#[test]
fn times() {
    let a: ArrayRef = Arc::new(Time64MicrosecondArray::from(vec![
        Some(0),
        Some(3_723_000_001),
        Some(86_399_999_999),
        Some(45_296_500_000),
        None,
    ]));
    assert_eq!(column_type(a.data_type().clone()), (Type::TIME, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("00:00:00"),
            Some("01:02:03.000001"),
            Some("23:59:59.999999"),
            Some("12:34:56.5"),
            None
        ])
    );
    let t = |h, m, s, us| Some(NaiveTime::from_hms_micro_opt(h, m, s, us).unwrap());
    assert_eq!(
        decoded::<NaiveTime>(a),
        vec![
            t(0, 0, 0, 0),
            t(1, 2, 3, 1),
            t(23, 59, 59, 999_999),
            t(12, 34, 56, 500_000),
            None
        ]
    );

    let a: ArrayRef = Arc::new(Time32SecondArray::from(vec![Some(86_399), None]));
    assert_eq!(text(a.clone()), strs(&[Some("23:59:59"), None]));
    assert_eq!(decoded::<NaiveTime>(a), vec![t(23, 59, 59, 0), None]);

    let a: ArrayRef = Arc::new(Time64NanosecondArray::from(vec![Some(1_999)]));
    assert_eq!(text(a), strs(&[Some("00:00:00.000001")]));

    // Outside a day is not a `time`.
    let schema = Arc::new(Schema::new(vec![Field::new(
        "c",
        DataType::Time32(TimeUnit::Second),
        true,
    )]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(Time32SecondArray::from(vec![-1]))],
    )
    .unwrap();
    let err = BatchEncoder::new(schema, vec![FieldFormat::Binary])
        .unwrap()
        .encode(&batch, &mut Vec::new())
        .unwrap_err();
    assert!(matches!(err, EncodeError::Value(_)), "{err}");
}

#[test]
fn intervals_in_postgres_style() {
    const HOUR_NS: i64 = 3_600_000_000_000;
    let mdn = |m, d, ns| Some(IntervalMonthDayNano::new(m, d, ns));
    let a: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(vec![
        mdn(14, 3, 4 * HOUR_NS + 5 * 60_000_000_000 + 6_500_000_000),
        mdn(0, 0, 0),
        mdn(0, 0, -1_000_000_000),
        mdn(-14, -3, 0),
        mdn(0, 1, -1_000_000_000),
        mdn(0, -1, 1_000_000_000),
        mdn(1, 0, 0),
        mdn(12, 0, 0),
        mdn(0, 0, 100 * HOUR_NS),
        mdn(0, 1, 1_000),
        None,
    ]));
    assert_eq!(column_type(a.data_type().clone()), (Type::INTERVAL, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("1 year 2 mons 3 days 04:05:06.5"),
            Some("00:00:00"),
            Some("-00:00:01"),
            Some("-1 years -2 mons -3 days"),
            Some("1 day -00:00:01"),
            Some("-1 days +00:00:01"),
            Some("1 mon"),
            Some("1 year"),
            Some("100:00:00"),
            Some("1 day 00:00:00.000001"),
            None,
        ])
    );
    let raw = binary(a);
    assert_eq!(
        interval_from_binary(raw[0].as_deref().unwrap()),
        (14_706_500_000, 3, 14)
    );
    assert_eq!(
        interval_from_binary(raw[3].as_deref().unwrap()),
        (0, -3, -14)
    );
    assert_eq!(
        interval_from_binary(raw[4].as_deref().unwrap()),
        (-1_000_000, 1, 0)
    );
    assert_eq!(raw[10], None);

    let a: ArrayRef = Arc::new(IntervalDayTimeArray::from(vec![
        Some(IntervalDayTime::new(2, 1_500)),
        None,
    ]));
    assert_eq!(text(a.clone()), strs(&[Some("2 days 00:00:01.5"), None]));
    assert_eq!(
        interval_from_binary(binary(a)[0].as_deref().unwrap()),
        (1_500_000, 2, 0)
    );

    let a: ArrayRef = Arc::new(IntervalYearMonthArray::from(vec![Some(25), Some(-1), None]));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("2 years 1 mon"), Some("-1 mons"), None])
    );
    assert_eq!(
        interval_from_binary(binary(a)[0].as_deref().unwrap()),
        (0, 0, 25)
    );

    let a: ArrayRef = Arc::new(DurationSecondArray::from(vec![
        Some(90_061),
        Some(-5),
        Some(0),
        None,
    ]));
    assert_eq!(column_type(a.data_type().clone()), (Type::INTERVAL, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("25:01:01"), Some("-00:00:05"), Some("00:00:00"), None])
    );
    assert_eq!(
        interval_from_binary(binary(a)[0].as_deref().unwrap()),
        (90_061_000_000, 0, 0)
    );
}

#[test]
fn null_column_is_text() {
    let a: ArrayRef = Arc::new(NullArray::new(3));
    assert_eq!(column_type(DataType::Null), (Type::TEXT, -1));
    assert_eq!(text(a.clone()), vec![None, None, None]);
    assert_eq!(binary(a), vec![None, None, None]);
}

// ---------------------------------------------------------------------------------------------
// Arrays

#[test]
fn int_arrays() {
    let a: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), Some(2), None]),
        Some(vec![]),
        None,
        Some(vec![Some(i64::MIN), Some(i64::MAX)]),
    ]));
    assert_eq!(column_type(a.data_type().clone()), (Type::INT8_ARRAY, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some("{1,2,NULL}"),
            Some("{}"),
            None,
            Some("{-9223372036854775808,9223372036854775807}")
        ])
    );
    let raw = binary(a.clone());
    // An empty array has no dimensions: ndim 0, no nulls, element type int8.
    assert_eq!(
        raw[1].as_deref(),
        Some(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20][..])
    );
    // has-nulls flag set only where there are NULLs.
    assert_eq!(raw[0].as_deref().map(|r| r[7]), Some(1));
    assert_eq!(raw[3].as_deref().map(|r| r[7]), Some(0));
    assert_eq!(
        decoded::<Vec<Option<i64>>>(a),
        vec![
            Some(vec![Some(1), Some(2), None]),
            Some(vec![]),
            None,
            Some(vec![Some(i64::MIN), Some(i64::MAX)])
        ]
    );

    // LargeList and FixedSizeList of int4.
    let a: ArrayRef = Arc::new(LargeListArray::from_iter_primitive::<Int32Type, _, _>(
        vec![Some(vec![Some(-1), None]), None],
    ));
    assert_eq!(column_type(a.data_type().clone()), (Type::INT4_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some("{-1,NULL}"), None]));
    assert_eq!(
        decoded::<Vec<Option<i32>>>(a),
        vec![Some(vec![Some(-1), None]), None]
    );

    let a: ArrayRef = Arc::new(FixedSizeListArray::from_iter_primitive::<Int32Type, _, _>(
        vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![None, Some(4)]),
        ],
        2,
    ));
    assert_eq!(
        text(a.clone()),
        strs(&[Some("{1,2}"), None, Some("{NULL,4}")])
    );
    assert_eq!(
        decoded::<Vec<Option<i32>>>(a),
        vec![
            Some(vec![Some(1), Some(2)]),
            None,
            Some(vec![None, Some(4)])
        ]
    );
}

#[test]
fn text_arrays_quote_like_array_out() {
    let values: ArrayRef = Arc::new(StringArray::from(vec![
        Some("a b"),
        Some("x\"y"),
        None,
        Some("plain"),
        Some(""),
        Some("NULL"),
        Some("null"),
        Some("back\\slash"),
        Some("{}"),
        Some("c,d"),
        Some("tab\there"),
        Some("é"),
    ]));
    let a = list_of(values, &[0, 12, 12, 12], Some(vec![true, true, false]));
    assert_eq!(column_type(a.data_type().clone()), (Type::TEXT_ARRAY, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[
            Some(
                r#"{"a b","x\"y",NULL,plain,"","NULL","null","back\\slash","{}","c,d","tab"#
                    .to_owned()
                    + "\there\",é}"
            )
            .as_deref(),
            Some("{}"),
            None,
        ])
    );
    let own = |v: &[Option<&str>]| Some(v.iter().map(|s| s.map(str::to_owned)).collect::<Vec<_>>());
    assert_eq!(
        decoded::<Vec<Option<String>>>(a),
        vec![
            own(&[
                Some("a b"),
                Some("x\"y"),
                None,
                Some("plain"),
                Some(""),
                Some("NULL"),
                Some("null"),
                Some("back\\slash"),
                Some("{}"),
                Some("c,d"),
                Some("tab\there"),
                Some("é"),
            ]),
            own(&[]),
            None,
        ]
    );
}

#[test]
fn arrays_of_other_scalars() {
    // numeric[] keeps the element typmod.
    let a = list_of(
        decimal128(&[Some(-50), None, Some(12_345)], 10, 2),
        &[0, 3],
        None,
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::NUMERIC_ARRAY, ((10 << 16) | 2) + 4)
    );
    assert_eq!(text(a.clone()), strs(&[Some("{-0.50,NULL,123.45}")]));
    assert_eq!(
        decoded::<Vec<Option<Decimal>>>(a),
        vec![Some(vec![
            Some(Decimal::from_str("-0.50").unwrap()),
            None,
            Some(Decimal::from_str("123.45").unwrap())
        ])]
    );

    let a = list_of(
        Arc::new(Float64Array::from(vec![
            Some(0.1),
            Some(f64::NAN),
            Some(1e20),
        ])),
        &[0, 3],
        None,
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::FLOAT8_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some("{0.1,NaN,1e+20}")]));
    let back = decoded::<Vec<Option<f64>>>(a).remove(0).unwrap();
    assert_eq!(
        (back[0], back[1].map(f64::is_nan), back[2]),
        (Some(0.1), Some(true), Some(1e20))
    );

    let a = list_of(
        Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
        &[0, 3],
        None,
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::BOOL_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some("{t,NULL,f}")]));
    assert_eq!(
        decoded::<Vec<Option<bool>>>(a),
        vec![Some(vec![Some(true), None, Some(false)])]
    );

    let a = list_of(
        Arc::new(Date32Array::from(vec![Some(19_723), Some(-719_528)])),
        &[0, 2],
        None,
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::DATE_ARRAY, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some(r#"{2024-01-01,"0001-01-01 BC"}"#)])
    );
    assert_eq!(
        decoded::<Vec<Option<NaiveDate>>>(a),
        vec![Some(vec![
            NaiveDate::from_ymd_opt(2024, 1, 1),
            NaiveDate::from_ymd_opt(0, 1, 1)
        ])]
    );

    let a = list_of(
        Arc::new(TimestampMicrosecondArray::from(vec![
            Some(1_704_164_645_500_000),
            None,
        ])),
        &[0, 2],
        None,
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::TIMESTAMP_ARRAY, -1)
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some(r#"{"2024-01-02 03:04:05.5",NULL}"#)])
    );
    assert_eq!(
        decoded::<Vec<Option<NaiveDateTime>>>(a),
        vec![Some(vec![Some(naive("2024-01-02 03:04:05.5")), None])]
    );

    let a = list_of(
        Arc::new(TimestampMicrosecondArray::from(vec![Some(0)]).with_timezone("UTC")),
        &[0, 1],
        None,
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::TIMESTAMPTZ_ARRAY, -1)
    );
    assert_eq!(
        text(a.clone()),
        strs(&[Some(r#"{"1970-01-01 00:00:00+00"}"#)])
    );
    assert_eq!(
        decoded::<Vec<Option<DateTime<Utc>>>>(a),
        vec![Some(vec![Some(DateTime::UNIX_EPOCH)])]
    );

    let a = list_of(
        Arc::new(BinaryArray::from(vec![Some(&[1u8, 2][..])])),
        &[0, 1],
        None,
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::BYTEA_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some(r#"{"\\x0102"}"#)]));
    assert_eq!(
        decoded::<Vec<Option<Vec<u8>>>>(a),
        vec![Some(vec![Some(vec![1, 2])])]
    );

    let a = list_of(
        Arc::new(IntervalMonthDayNanoArray::from(vec![Some(
            IntervalMonthDayNano::new(0, 1, 0),
        )])),
        &[0, 1],
        None,
    );
    assert_eq!(
        column_type(a.data_type().clone()),
        (Type::INTERVAL_ARRAY, -1)
    );
    assert_eq!(text(a), strs(&[Some(r#"{"1 day"}"#)]));

    // Dictionary-encoded elements.
    let keys = Int32Array::from(vec![Some(1), Some(0), None]);
    let dict =
        DictionaryArray::<Int32Type>::try_new(keys, Arc::new(StringArray::from(vec!["a", "b c"])))
            .unwrap();
    let a = list_of(Arc::new(dict), &[0, 3], None);
    assert_eq!(column_type(a.data_type().clone()), (Type::TEXT_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some(r#"{"b c",a,NULL}"#)]));
    assert_eq!(
        decoded::<Vec<Option<String>>>(a),
        vec![Some(vec![
            Some("b c".to_owned()),
            Some("a".to_owned()),
            None
        ])]
    );

    // Nothing but NULLs.
    let a = list_of(Arc::new(NullArray::new(2)), &[0, 2], None);
    assert_eq!(column_type(a.data_type().clone()), (Type::TEXT_ARRAY, -1));
    assert_eq!(text(a.clone()), strs(&[Some("{NULL,NULL}")]));
    assert_eq!(
        decoded::<Vec<Option<String>>>(a),
        vec![Some(vec![None, None])]
    );
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn structs_are_json_objects() {
    let inner = StructArray::try_new(
        Fields::from(vec![Field::new("ok", DataType::Boolean, true)]),
        vec![Arc::new(BooleanArray::from(vec![
            Some(true),
            Some(false),
            None,
        ]))],
        Some(NullBuffer::from(vec![true, false, true])),
    )
    .unwrap();
    let tags = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1), None]),
        Some(vec![]),
        None,
    ]);
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "id",
            Arc::new(Int64Array::from(vec![Some(1), None, Some(3)])),
        ),
        (
            "name",
            Arc::new(StringArray::from(vec![Some("a\"b\n"), Some("x"), Some("")])),
        ),
        (
            "score",
            Arc::new(Float64Array::from(vec![
                Some(1.5),
                Some(f64::NAN),
                Some(1e20),
            ])),
        ),
        (
            "amount",
            decimal128(&[Some(-50), Some(12_345), None], 10, 2),
        ),
        (
            "day",
            Arc::new(Date32Array::from(vec![Some(19_724), None, None])),
        ),
        (
            "at",
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(1_704_164_645_500_000),
                None,
                None,
            ])),
        ),
        (
            "at_tz",
            Arc::new(
                TimestampMicrosecondArray::from(vec![Some(1_704_164_645_500_000), None, None])
                    .with_timezone("UTC"),
            ),
        ),
        ("tags", Arc::new(tags)),
        ("inner", Arc::new(inner)),
        (
            "blob",
            Arc::new(BinaryArray::from(vec![Some(&[1u8, 0xff][..]), None, None])),
        ),
        (
            "span",
            Arc::new(IntervalMonthDayNanoArray::from(vec![
                Some(IntervalMonthDayNano::new(0, 1, 0)),
                None,
                None,
            ])),
        ),
    ];
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let a: ArrayRef = Arc::new(
        StructArray::try_new(
            Fields::from(fields),
            columns.into_iter().map(|(_, a)| a).collect(),
            Some(NullBuffer::from(vec![true, true, false])),
        )
        .unwrap(),
    );
    assert_eq!(column_type(a.data_type().clone()), (Type::JSON, -1));
    let expected = [
        Some(
            r#"{"id":1,"name":"a\"b\n","score":1.5,"amount":-0.50,"day":"2024-01-02","at":"2024-01-02T03:04:05.5","at_tz":"2024-01-02T03:04:05.5+00:00","tags":[1,null],"inner":{"ok":true},"blob":"\\x01ff","span":"1 day"}"#,
        ),
        Some(
            r#"{"id":null,"name":"x","score":"NaN","amount":123.45,"day":null,"at":null,"at_tz":null,"tags":[],"inner":null,"blob":null,"span":null}"#,
        ),
        None,
    ];
    assert_eq!(text(a.clone()), strs(&expected));
    let parsed: Vec<Option<serde_json::Value>> = expected
        .iter()
        .map(|t| t.map(|t| serde_json::from_str(t).unwrap()))
        .collect();
    assert_eq!(decoded::<serde_json::Value>(a), parsed);
}

#[test]
fn maps_are_json_objects() {
    let mut b = MapBuilder::new(None, StringBuilder::new(), Int64Builder::new());
    b.keys().append_value("a");
    b.values().append_value(1);
    b.keys().append_value("q\"uote");
    b.values().append_null();
    b.append(true).unwrap();
    b.append(true).unwrap(); // empty map
    b.append(false).unwrap(); // NULL
    let a: ArrayRef = Arc::new(b.finish());
    assert_eq!(column_type(a.data_type().clone()), (Type::JSON, -1));
    let expected = [Some(r#"{"a":1,"q\"uote":null}"#), Some("{}"), None];
    assert_eq!(text(a.clone()), strs(&expected));
    assert_eq!(
        decoded::<serde_json::Value>(a),
        vec![
            Some(serde_json::json!({"a": 1, "q\"uote": null})),
            Some(serde_json::json!({})),
            None
        ]
    );
}

#[test]
fn nested_lists_and_lists_of_structs_are_json_arrays() {
    let inner = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), Some(2)]),
        None,
        Some(vec![]),
    ]);
    let a = list_of(Arc::new(inner), &[0, 2, 3], Some(vec![true, true]));
    assert_eq!(column_type(a.data_type().clone()), (Type::JSON, -1));
    assert_eq!(text(a.clone()), strs(&[Some("[[1,2],null]"), Some("[[]]")]));
    assert_eq!(
        decoded::<serde_json::Value>(a),
        vec![
            Some(serde_json::json!([[1, 2], null])),
            Some(serde_json::json!([[]]))
        ]
    );

    let structs = StructArray::try_new(
        Fields::from(vec![Field::new("k", DataType::Utf8, true)]),
        vec![Arc::new(StringArray::from(vec![Some("v"), None]))],
        None,
    )
    .unwrap();
    let a = list_of(Arc::new(structs), &[0, 2, 2], Some(vec![true, false]));
    assert_eq!(column_type(a.data_type().clone()), (Type::JSON, -1));
    assert_eq!(
        text(a.clone()),
        strs(&[Some(r#"[{"k":"v"},{"k":null}]"#), None])
    );
    assert_eq!(
        decoded::<serde_json::Value>(a),
        vec![Some(serde_json::json!([{"k": "v"}, {"k": null}])), None]
    );
}

// ---------------------------------------------------------------------------------------------
// Schema-level API

#[test]
fn unsupported_types_are_errors_naming_the_type() {
    let union = DataType::Union(
        UnionFields::try_new(vec![0], vec![Field::new("a", DataType::Int32, true)]).unwrap(),
        UnionMode::Dense,
    );
    let err = pg_column_type(&union).unwrap_err();
    assert!(matches!(err, EncodeError::UnsupportedType(_)), "{err:?}");
    assert!(err.to_string().contains("Union"), "{err}");

    // Nested somewhere inside a struct.
    let nested = DataType::Struct(Fields::from(vec![Field::new("u", union.clone(), true)]));
    assert!(matches!(
        pg_column_type(&nested),
        Err(EncodeError::UnsupportedType(_))
    ));
    let schema = Arc::new(Schema::new(vec![Field::new("s", nested, true)]));
    assert!(matches!(
        BatchEncoder::new(schema.clone(), vec![FieldFormat::Text]),
        Err(EncodeError::UnsupportedType(_))
    ));
    assert!(matches!(
        field_infos(&schema, &Format::UnifiedText),
        Err(EncodeError::UnsupportedType(_))
    ));
}

#[test]
fn field_infos_describe_types_and_formats() {
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("amount", DataType::Decimal128(12, 3), true),
        Field::new(
            "tags",
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            true,
        ),
    ]);
    let infos = field_infos(&schema, &Format::UnifiedText).unwrap();
    let summary: Vec<_> = infos
        .iter()
        .map(|f| {
            (
                f.name().to_owned(),
                f.datatype().clone(),
                f.type_modifier(),
                f.type_size(),
                f.format(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("id".to_owned(), Type::INT8, -1, 8, FieldFormat::Text),
            (
                "amount".to_owned(),
                Type::NUMERIC,
                ((12 << 16) | 3) + 4,
                -1,
                FieldFormat::Text
            ),
            (
                "tags".to_owned(),
                Type::TEXT_ARRAY,
                -1,
                -1,
                FieldFormat::Text
            ),
        ]
    );
    let binary = field_infos(&schema, &Format::UnifiedBinary).unwrap();
    assert!(binary.iter().all(|f| f.format() == FieldFormat::Binary));
    let mixed = field_infos(&schema, &Format::Individual(vec![1, 0, 1])).unwrap();
    assert_eq!(
        mixed.iter().map(|f| f.format()).collect::<Vec<_>>(),
        [FieldFormat::Binary, FieldFormat::Text, FieldFormat::Binary]
    );
    let err = field_infos(&schema, &Format::Individual(vec![1, 0])).unwrap_err();
    assert!(matches!(err, EncodeError::Format(_)), "{err}");
    let err = BatchEncoder::new(Arc::new(schema), vec![FieldFormat::Text])
        .err()
        .unwrap();
    assert!(matches!(err, EncodeError::Format(_)), "{err}");
}

#[test]
fn batch_encoder_mixes_formats_and_is_reused_across_batches() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int32, true),
        Field::new("name", DataType::Utf8, true),
        Field::new(
            "xs",
            DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true))),
            true,
        ),
    ]));
    let formats = vec![FieldFormat::Binary, FieldFormat::Text, FieldFormat::Binary];
    let mut encoder = BatchEncoder::new(schema.clone(), formats).unwrap();

    let batch =
        |ids: Vec<Option<i32>>, names: Vec<Option<&str>>, xs: Vec<Option<Vec<Option<i64>>>>| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int32Array::from(ids)),
                    Arc::new(StringArray::from(names)),
                    Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(xs)),
                ],
            )
            .unwrap()
        };
    let first = batch(
        vec![Some(1), None, Some(3)],
        vec![Some("a long name to grow the buffers"), Some("b"), None],
        vec![Some(vec![Some(1)]), None, Some(vec![Some(2), None])],
    );
    let second = batch(vec![Some(-4)], vec![Some("d")], vec![Some(vec![])]);

    let mut out = Vec::new();
    encoder.encode(&first, &mut out).unwrap();
    encoder.encode(&second, &mut out).unwrap();
    // A slice exercises non-zero array offsets (strings, list offsets, validity).
    encoder.encode(&first.slice(1, 2), &mut out).unwrap();
    assert_eq!(out.len(), 6);
    assert!(out.iter().all(|r| r.field_count == 3));

    type Row = (Option<i32>, Option<String>, Option<Vec<Option<i64>>>);
    let rows: Vec<Row> = out
        .iter()
        .map(|row| {
            let f = split_fields(row);
            (
                f[0].map(|b| i32::from_sql(&Type::INT4, b).unwrap()),
                f[1].map(|b| String::from_utf8(b.to_vec()).unwrap()),
                f[2].map(|b| Vec::<Option<i64>>::from_sql(&Type::INT8_ARRAY, b).unwrap()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                Some(1),
                Some("a long name to grow the buffers".to_owned()),
                Some(vec![Some(1)])
            ),
            (None, Some("b".to_owned()), None),
            (Some(3), None, Some(vec![Some(2), None])),
            (Some(-4), Some("d".to_owned()), Some(vec![])),
            (None, Some("b".to_owned()), None),
            (Some(3), None, Some(vec![Some(2), None])),
        ]
    );

    // Batches must match the schema the encoder describes.
    let other = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("xs", DataType::Utf8, true),
        ])),
        vec![
            Arc::new(Int64Array::from(vec![1])),
            Arc::new(StringArray::from(vec!["x"])),
            Arc::new(StringArray::from(vec!["y"])),
        ],
    )
    .unwrap();
    let err = encoder.encode(&other, &mut Vec::new()).unwrap_err();
    assert!(matches!(err, EncodeError::Schema(_)), "{err}");
    assert!(err.to_string().contains("Int64"), "{err}");
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

#[test]
fn map_keys_that_are_not_strings_use_their_text() {
    let mut b = MapBuilder::new(None, Int32Builder::new(), StringBuilder::new());
    b.keys().append_value(-1);
    b.values().append_value("minus one");
    b.keys().append_value(2);
    b.values().append_value("two");
    b.append(true).unwrap();
    let a: ArrayRef = Arc::new(b.finish());
    assert_eq!(
        text(a.clone()),
        strs(&[Some(r#"{"-1":"minus one","2":"two"}"#)])
    );
    assert_eq!(
        decoded::<serde_json::Value>(a),
        vec![Some(serde_json::json!({"-1": "minus one", "2": "two"}))]
    );
}

/// Slices start nested arrays at non-zero offsets: a sliced batch must encode exactly as
/// the same rows of the whole batch.
#[test]
fn sliced_batches_encode_like_their_rows() {
    let structs = StructArray::try_new(
        Fields::from(vec![
            Field::new("n", DataType::Int32, true),
            Field::new("s", DataType::Utf8, true),
        ]),
        vec![
            Arc::new(Int32Array::from(vec![Some(1), Some(2), None, Some(4)])),
            Arc::new(StringArray::from(vec![
                Some("a"),
                None,
                Some("c"),
                Some("d d"),
            ])),
        ],
        Some(NullBuffer::from(vec![true, true, false, true])),
    )
    .unwrap();
    let dict = DictionaryArray::<Int8Type>::try_new(
        Int8Array::from(vec![Some(1), Some(0), None, Some(1)]),
        Arc::new(StringArray::from(vec!["zero", "one"])),
    )
    .unwrap();
    let fixed = FixedSizeListArray::from_iter_primitive::<Int32Type, _, _>(
        vec![
            Some(vec![Some(1), Some(2)]),
            Some(vec![Some(3), None]),
            None,
            Some(vec![Some(7), Some(8)]),
        ],
        2,
    );
    let mut mb = MapBuilder::new(None, StringBuilder::new(), Int64Builder::new());
    for (i, entries) in [1, 0, 2, 1].into_iter().enumerate() {
        for e in 0..entries {
            mb.keys().append_value(format!("k{i}{e}"));
            mb.values().append_value(e as i64);
        }
        mb.append(i != 2).unwrap();
    }
    let texts = list_of(
        Arc::new(StringArray::from(vec![
            Some("x y"),
            None,
            Some(""),
            Some("q"),
            Some("r"),
        ])),
        &[0, 1, 3, 3, 5],
        Some(vec![true, true, false, true]),
    );
    let columns: Vec<ArrayRef> = vec![
        Arc::new(structs),
        Arc::new(dict),
        Arc::new(fixed),
        Arc::new(mb.finish()),
        texts,
        Arc::new(StringViewArray::from(vec![
            Some("a string longer than twelve bytes"),
            None,
            Some("s"),
            Some("t"),
        ])),
    ];
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| Field::new(format!("c{i}"), c.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    for format in [FieldFormat::Text, FieldFormat::Binary] {
        let mut encoder = BatchEncoder::new(schema.clone(), vec![format; 6]).unwrap();
        let mut whole = Vec::new();
        encoder.encode(&batch, &mut whole).unwrap();
        let mut sliced = Vec::new();
        encoder.encode(&batch.slice(1, 3), &mut sliced).unwrap();
        assert_eq!(sliced, whole[1..4].to_vec(), "{format:?}");
    }
    let mut encoder = BatchEncoder::new(schema, vec![FieldFormat::Text; 6]).unwrap();
    let mut rows = Vec::new();
    encoder.encode(&batch.slice(1, 3), &mut rows).unwrap();
    let row: Vec<Option<String>> = split_fields(&rows[0])
        .into_iter()
        .map(|f| f.map(|b| String::from_utf8(b.to_vec()).unwrap()))
        .collect();
    assert_eq!(
        row,
        strs(&[
            Some(r#"{"n":2,"s":null}"#),
            Some("zero"),
            Some("{3,NULL}"),
            Some("{}"),
            Some("{NULL,\"\"}"),
            None
        ])
    );
}
