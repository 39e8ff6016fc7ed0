//! Lists as PostgreSQL arrays: int arrays in text and binary, text arrays quoted like
//! `array_out`, and arrays of the other scalar types.

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, DictionaryArray, FixedSizeListArray,
    Float64Array, Int32Array, IntervalMonthDayNanoArray, LargeListArray, ListArray, NullArray,
    StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{Int32Type, Int64Type, IntervalMonthDayNano};
use rust_decimal::Decimal;
use tokio_postgres::types::Type;

use super::{binary, column_type, decimal128, decoded, list_of, naive, strs, text};

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
