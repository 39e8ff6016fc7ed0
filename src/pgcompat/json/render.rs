//! Values as PostgreSQL's `to_json` writes them: numbers and booleans as themselves,
//! floats that are not finite as strings, text as a JSON string, dates, times and intervals
//! as strings of their text, timestamps in XSD form (`"2024-06-30T12:00:00.5+08:00"`, a
//! timestamptz in its type's zone), arrays as `[1,2]` and rows as `{"f1":1,"f2":"x"}` (no
//! spaces), and a `json` or `jsonb` value as its own text.
//!
//! [`JsonColumn`] reads one Arrow column once (casting it to the layout it writes from) and
//! then writes any of its rows; nested lists and structs hold a column per child.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Field, FieldRef, Fields, Float32Type, Float64Type, Int64Type,
    IntervalMonthDayNanoType, IntervalUnit, Time64MicrosecondType, TimeUnit,
    TimestampMicrosecondType,
};
use datafusion::common::{Result, not_impl_err};

use super::JsonType;
use super::value::utf8;
use crate::pgcompat::text_out::{self, Stamp};
use crate::pgcompat::time_zone::{Zone, is_utc};

/// How a column's values are written.
enum Layout {
    Null,
    /// `json` or `jsonb` text, written as it is.
    Document,
    Text,
    Bool,
    Integer,
    /// Digits as Arrow writes them (numerics, unsigned 64-bit integers).
    Digits,
    Float32,
    Float64,
    Date,
    Time,
    Timestamp(Stamp),
    Interval,
    List(Box<JsonColumn>),
    Struct(Vec<(String, JsonColumn)>),
}

/// One column, ready to write any of its rows as JSON.
pub struct JsonColumn {
    array: ArrayRef,
    layout: Layout,
}

/// `Some(true)` for arrays and rows, the values `json_agg` puts on a line of their own.
pub fn is_composite(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::Struct(_)
    )
}

impl JsonColumn {
    pub fn new(array: &ArrayRef, field: &Field) -> Result<JsonColumn> {
        use DataType as D;
        let to = |t: DataType| cast(array, &t);
        let (array, layout) = match field.data_type() {
            _ if JsonType::of(field).is_some() => (to(D::Utf8)?, Layout::Document),
            D::Null => (array.clone(), Layout::Null),
            D::Utf8 | D::LargeUtf8 | D::Utf8View => (to(D::Utf8)?, Layout::Text),
            D::Dictionary(_, value) => {
                let inner = Field::new(field.name(), value.as_ref().clone(), true)
                    .with_metadata(field.metadata().clone());
                return JsonColumn::new(&cast(array, value)?, &inner);
            }
            D::Boolean => (array.clone(), Layout::Bool),
            D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::UInt8 | D::UInt16 | D::UInt32 => {
                (to(D::Int64)?, Layout::Integer)
            }
            D::UInt64
            | D::Decimal32(..)
            | D::Decimal64(..)
            | D::Decimal128(..)
            | D::Decimal256(..) => (to(D::Utf8)?, Layout::Digits),
            D::Float16 | D::Float32 => (to(D::Float32)?, Layout::Float32),
            D::Float64 => (array.clone(), Layout::Float64),
            D::Date32 | D::Date64 => (to(D::Date32)?, Layout::Date),
            D::Time32(_) | D::Time64(_) => (to(D::Time64(TimeUnit::Microsecond))?, Layout::Time),
            D::Timestamp(_, zone) => {
                let stamp = match zone.as_deref() {
                    None => Stamp::Plain,
                    Some(zone) if is_utc(zone) => Stamp::Utc,
                    Some(zone) => Zone::parse(zone).map_or(Stamp::Utc, Stamp::Zoned),
                };
                (
                    to(D::Timestamp(TimeUnit::Microsecond, zone.clone()))?,
                    Layout::Timestamp(stamp),
                )
            }
            D::Interval(_) | D::Duration(_) => (
                to(D::Interval(IntervalUnit::MonthDayNano))?,
                Layout::Interval,
            ),
            D::List(item) | D::LargeList(item) | D::FixedSizeList(item, _) => {
                let list = to(D::LargeList(item.clone()))?;
                let values = list.as_list::<i64>().values().clone();
                let child = JsonColumn::new(&values, item)?;
                (list, Layout::List(Box::new(child)))
            }
            D::Struct(fields) => {
                let children = struct_children(array, fields)?;
                (array.clone(), Layout::Struct(children))
            }
            other => return not_impl_err!("to_json of a value of type {other}"),
        };
        Ok(JsonColumn { array, layout })
    }

    /// Whether the row's value is SQL NULL.
    pub fn is_null(&self, row: usize) -> bool {
        self.array.is_null(row)
    }

    /// Writes row `row`'s value (`null` for SQL NULL).
    pub fn write(&self, row: usize, out: &mut Vec<u8>) -> Result<()> {
        if self.array.is_null(row) {
            out.extend_from_slice(b"null");
            return Ok(());
        }
        let quoted = |out: &mut Vec<u8>, put: &dyn Fn(&mut Vec<u8>)| {
            out.push(b'"');
            put(out);
            out.push(b'"');
        };
        match &self.layout {
            Layout::Null => out.extend_from_slice(b"null"),
            Layout::Document | Layout::Digits => {
                out.extend_from_slice(self.array.as_string::<i32>().value(row).as_bytes())
            }
            Layout::Text => {
                text_out::put_json_str(out, self.array.as_string::<i32>().value(row).as_bytes())
            }
            Layout::Bool => out.extend_from_slice(match self.array.as_boolean().value(row) {
                true => b"true",
                false => b"false",
            }),
            Layout::Integer => {
                text_out::put_i64(out, self.array.as_primitive::<Int64Type>().value(row))
            }
            Layout::Float32 => {
                let v = self.array.as_primitive::<Float32Type>().value(row);
                match v.is_finite() {
                    true => text_out::put_f32(out, v),
                    false => quoted(out, &|out| text_out::put_f32(out, v)),
                }
            }
            Layout::Float64 => {
                let v = self.array.as_primitive::<Float64Type>().value(row);
                match v.is_finite() {
                    true => text_out::put_f64(out, v),
                    false => quoted(out, &|out| text_out::put_f64(out, v)),
                }
            }
            Layout::Date => {
                let days = self.array.as_primitive::<Date32Type>().value(row);
                quoted(out, &|out| text_out::put_date(out, i64::from(days)))
            }
            Layout::Time => {
                let micros = self
                    .array
                    .as_primitive::<Time64MicrosecondType>()
                    .value(row);
                quoted(out, &|out| text_out::put_time(out, micros))
            }
            Layout::Timestamp(stamp) => {
                let micros = self
                    .array
                    .as_primitive::<TimestampMicrosecondType>()
                    .value(row);
                if text_out::put_timestamp_json(out, micros, *stamp).is_none() {
                    return datafusion::common::exec_err!("timestamp out of range");
                }
            }
            Layout::Interval => {
                let v = self
                    .array
                    .as_primitive::<IntervalMonthDayNanoType>()
                    .value(row);
                quoted(out, &|out| {
                    text_out::put_interval(out, v.months, v.days, v.nanoseconds.div_euclid(1000))
                })
            }
            Layout::List(child) => {
                let offsets = self.array.as_list::<i64>().value_offsets();
                out.push(b'[');
                for (n, i) in (offsets[row] as usize..offsets[row + 1] as usize).enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    child.write(i, out)?;
                }
                out.push(b']');
            }
            Layout::Struct(children) => {
                out.push(b'{');
                for (n, (name, child)) in children.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    text_out::put_json_str(out, name.as_bytes());
                    out.push(b':');
                    child.write(row, out)?;
                }
                out.push(b'}');
            }
        }
        Ok(())
    }

    /// Row `row`'s value as a string (`null` for SQL NULL).
    pub fn text(&self, row: usize) -> Result<String> {
        let mut out = Vec::new();
        self.write(row, &mut out)?;
        Ok(utf8(out))
    }
}

fn struct_children(array: &ArrayRef, fields: &Fields) -> Result<Vec<(String, JsonColumn)>> {
    let array = array.as_struct();
    fields
        .iter()
        .zip(array.columns())
        .map(|(field, column): (&FieldRef, &ArrayRef)| {
            Ok((field.name().clone(), JsonColumn::new(column, field)?))
        })
        .collect()
}
