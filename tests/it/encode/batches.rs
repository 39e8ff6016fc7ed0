//! The schema-level API: unsupported types are errors naming the type, `field_infos`
//! describes types and formats, and a `BatchEncoder` mixes formats, is reused across
//! batches, and encodes a sliced batch like the same rows of the whole one.

use std::sync::Arc;

use custlake::server::encode::{BatchEncoder, EncodeError, field_infos, pg_column_type};
use datafusion::arrow::array::{
    ArrayRef, DictionaryArray, FixedSizeListArray, Int8Array, Int32Array, Int64Array, Int64Builder,
    ListArray, MapBuilder, RecordBatch, StringArray, StringBuilder, StringViewArray, StructArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{
    DataType, Field, Fields, Int8Type, Int32Type, Int64Type, Schema, UnionFields, UnionMode,
};
use pgwire::api::portal::Format;
use pgwire::api::results::FieldFormat;
use tokio_postgres::types::FromSql;
use tokio_postgres::types::Type;

use super::{list_of, split_fields, strs};

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
