//! What PostgreSQL has no array for, as JSON: structs and maps as objects (map keys that are
//! not strings by their text), nested lists and lists of structs as arrays.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Float64Array, Int32Builder, Int64Array,
    Int64Builder, IntervalMonthDayNanoArray, ListArray, MapBuilder, StringArray, StringBuilder,
    StructArray, TimestampMicrosecondArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{
    DataType, Field, Fields, Int32Type, Int64Type, IntervalMonthDayNano,
};
use tokio_postgres::types::Type;

use super::{column_type, decimal128, decoded, list_of, strs, text};

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
fn nested_lists_are_arrays_and_lists_of_structs_json_arrays() {
    // Lists of lists of scalars are PostgreSQL's multidimensional arrays.
    let inner = ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
        Some(vec![Some(1), Some(2)]),
        Some(vec![Some(3), None]),
        Some(vec![]),
    ]);
    let a = list_of(Arc::new(inner), &[0, 2, 3], Some(vec![true, true]));
    assert_eq!(column_type(a.data_type().clone()), (Type::INT8_ARRAY, -1));
    assert_eq!(text(a), strs(&[Some("{{1,2},{3,NULL}}"), Some("{}")]));

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
