//! Dates, timestamps (every unit, with and without a time zone: timestamptz is UTC), times
//! and intervals (PostgreSQL's `postgres` interval style, and `interval_send`).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use custlake::server::encode::{BatchEncoder, EncodeError};
use datafusion::arrow::array::{
    ArrayRef, Date32Array, Date64Array, DurationSecondArray, IntervalDayTimeArray,
    IntervalMonthDayNanoArray, IntervalYearMonthArray, RecordBatch, Time32SecondArray,
    Time64MicrosecondArray, Time64NanosecondArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use datafusion::arrow::datatypes::{
    DataType, Field, IntervalDayTime, IntervalMonthDayNano, Schema, TimeUnit,
};
use pgwire::api::results::FieldFormat;
use tokio_postgres::types::Type;

use super::{binary, column_type, decoded, interval_from_binary, naive, strs, text};

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

/// A timestamptz is written in its type's zone (the server gives results the session's) with
/// that zone's offset at each instant, as PostgreSQL 15 writes them in America/New_York; in
/// binary it stays the instant.
#[test]
fn timestamptz_in_its_zone() {
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
            Some("2024-01-01 22:04:05-05"),
            Some("2024-01-01 22:04:05.25-05"),
            None,
            Some("0001-12-31 19:03:57.999999-04:56:02 BC")
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
        strs(&[
            Some("1 day 01:01:01"),
            Some("-00:00:05"),
            Some("00:00:00"),
            None
        ])
    );
    assert_eq!(
        interval_from_binary(binary(a)[0].as_deref().unwrap()),
        (3_661_000_000, 1, 0)
    );
}
