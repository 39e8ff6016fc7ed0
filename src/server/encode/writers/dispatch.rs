//! The dispatch: downcasts an array once, by its data type, and hands the concrete writer
//! to a consumer ([`Visit`]). Lists of lists of scalars become multidimensional arrays.

use datafusion::arrow::array::{AnyDictionaryArray, Array, AsArray};
use datafusion::arrow::datatypes::ArrowPrimitiveType;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type,
    DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, IntervalDayTimeType,
    IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use pgwire::api::Type;

use crate::pgcompat::time_zone::{Zone, is_utc};
use crate::pgcompat::types::{is_scalar, plain_type, scalar_type};
use crate::server::encode::EncodeError;
use crate::server::encode::multidim::{Level, MultiDimW};
use crate::server::encode::render::Stamp;

use super::nested::*;
use super::scalars::*;
use super::temporal::*;
use super::*;

pub(in crate::server::encode) fn mismatch(data_type: &DataType) -> EncodeError {
    EncodeError::Schema(format!("array does not match its data type {data_type}"))
}

/// Values and validity of a primitive array of Arrow type `T`.
pub(in crate::server::encode) fn prim<'a, T: ArrowPrimitiveType>(
    array: &'a dyn Array,
) -> Result<Prim<'a, T::Native>, EncodeError> {
    let a = array
        .as_primitive_opt::<T>()
        .ok_or_else(|| mismatch(array.data_type()))?;
    Ok(Prim {
        values: a.values(),
        nulls: Nulls(a.nulls()),
    })
}

/// Writers for the plain (non-nested, non-dictionary) types of `types::plain_type`.
pub(in crate::server::encode) fn dispatch_plain<'a, V: Visit<'a>>(
    array: &'a dyn Array,
    v: V,
) -> Result<V::Out, EncodeError> {
    use DataType as D;
    let data_type = array.data_type();
    let downcast_failed = || mismatch(data_type);
    match data_type {
        D::Null => v.visit(NullW),
        D::Boolean => v.visit(BoolW(array.as_boolean_opt().ok_or_else(downcast_failed)?)),
        D::Int8 => v.visit(IntW(prim::<Int8Type>(array)?)),
        D::Int16 => v.visit(IntW(prim::<Int16Type>(array)?)),
        D::Int32 => v.visit(IntW(prim::<Int32Type>(array)?)),
        D::Int64 => v.visit(IntW(prim::<Int64Type>(array)?)),
        D::UInt8 => v.visit(IntW(prim::<UInt8Type>(array)?)),
        D::UInt16 => v.visit(IntW(prim::<UInt16Type>(array)?)),
        D::UInt32 => v.visit(IntW(prim::<UInt32Type>(array)?)),
        D::UInt64 => v.visit(U64W(prim::<UInt64Type>(array)?)),
        D::Float16 => v.visit(F16W(array.as_primitive_opt().ok_or_else(downcast_failed)?)),
        D::Float32 => v.visit(FloatW(prim::<Float32Type>(array)?)),
        D::Float64 => v.visit(FloatW(prim::<Float64Type>(array)?)),
        D::Decimal32(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal32Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal64(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal64Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal128(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal128Type>(array)?,
            scale: (*s).into(),
        }),
        D::Decimal256(_, s) => v.visit(DecimalW {
            prim: prim::<Decimal256Type>(array)?,
            scale: (*s).into(),
        }),
        D::Utf8 => v.visit(StrW(
            array.as_string_opt::<i32>().ok_or_else(downcast_failed)?,
        )),
        D::LargeUtf8 => v.visit(StrW(
            array.as_string_opt::<i64>().ok_or_else(downcast_failed)?,
        )),
        D::Utf8View => v.visit(StrW(
            array.as_string_view_opt().ok_or_else(downcast_failed)?,
        )),
        D::Binary => v.visit(BytesW(
            array.as_binary_opt::<i32>().ok_or_else(downcast_failed)?,
        )),
        D::LargeBinary => v.visit(BytesW(
            array.as_binary_opt::<i64>().ok_or_else(downcast_failed)?,
        )),
        D::BinaryView => v.visit(BytesW(
            array.as_binary_view_opt().ok_or_else(downcast_failed)?,
        )),
        D::FixedSizeBinary(_) => v.visit(BytesW(
            array
                .as_fixed_size_binary_opt()
                .ok_or_else(downcast_failed)?,
        )),
        D::Date32 => v.visit(DateW {
            prim: prim::<Date32Type>(array)?,
            per_day: 1,
        }),
        D::Date64 => v.visit(DateW {
            prim: prim::<Date64Type>(array)?,
            per_day: 86_400_000,
        }),
        D::Timestamp(unit, tz) => {
            let prim = match unit {
                TimeUnit::Second => prim::<TimestampSecondType>(array)?,
                TimeUnit::Millisecond => prim::<TimestampMillisecondType>(array)?,
                TimeUnit::Microsecond => prim::<TimestampMicrosecondType>(array)?,
                TimeUnit::Nanosecond => prim::<TimestampNanosecondType>(array)?,
            };
            let zone = match tz.as_deref() {
                None => Stamp::Plain,
                Some(zone) if is_utc(zone) => Stamp::Utc,
                Some(zone) => Zone::parse(zone).map_or(Stamp::Utc, Stamp::Zoned),
            };
            v.visit(TimestampW {
                prim,
                unit: *unit,
                zone,
            })
        }
        D::Time32(unit @ TimeUnit::Second) => v.visit(TimeW {
            prim: prim::<Time32SecondType>(array)?,
            unit: *unit,
        }),
        D::Time32(unit @ TimeUnit::Millisecond) => v.visit(TimeW {
            prim: prim::<Time32MillisecondType>(array)?,
            unit: *unit,
        }),
        D::Time64(unit @ TimeUnit::Microsecond) => v.visit(TimeW {
            prim: prim::<Time64MicrosecondType>(array)?,
            unit: *unit,
        }),
        D::Time64(unit @ TimeUnit::Nanosecond) => v.visit(TimeW {
            prim: prim::<Time64NanosecondType>(array)?,
            unit: *unit,
        }),
        D::Interval(IntervalUnit::MonthDayNano) => {
            v.visit(IntervalW(prim::<IntervalMonthDayNanoType>(array)?))
        }
        D::Interval(IntervalUnit::DayTime) => {
            v.visit(IntervalW(prim::<IntervalDayTimeType>(array)?))
        }
        D::Interval(IntervalUnit::YearMonth) => {
            v.visit(IntervalW(prim::<IntervalYearMonthType>(array)?))
        }
        D::Duration(unit) => {
            let prim = match unit {
                TimeUnit::Second => prim::<DurationSecondType>(array)?,
                TimeUnit::Millisecond => prim::<DurationMillisecondType>(array)?,
                TimeUnit::Microsecond => prim::<DurationMicrosecondType>(array)?,
                TimeUnit::Nanosecond => prim::<DurationNanosecondType>(array)?,
            };
            v.visit(DurationW { prim, unit: *unit })
        }
        other => Err(EncodeError::UnsupportedType(other.to_string())),
    }
}

/// A dictionary's keys as indexes into its values, plus their validity.
pub(in crate::server::encode) fn dictionary_keys(
    dict: &dyn AnyDictionaryArray,
) -> (Vec<usize>, Nulls<'_>, bool) {
    let key_nulls = Nulls(dict.keys().nulls());
    if dict.values().is_empty() {
        // `normalized_keys` cannot clamp into an empty range; every key is null here.
        (Vec::new(), key_nulls, true)
    } else {
        (dict.normalized_keys(), key_nulls, false)
    }
}

/// Wraps the values writer of a dictionary into a [`DictW`] for the outer consumer.
pub(in crate::server::encode) struct DictVisit<'a, V> {
    pub(in crate::server::encode) keys: Vec<usize>,
    pub(in crate::server::encode) key_nulls: Nulls<'a>,
    pub(in crate::server::encode) empty: bool,
    pub(in crate::server::encode) outer: V,
}

impl<'a, V: Visit<'a>> Visit<'a> for DictVisit<'a, V> {
    type Out = V::Out;
    fn visit<W: Writer + 'a>(self, values: W) -> Result<V::Out, EncodeError> {
        self.outer.visit(DictW {
            keys: self.keys,
            key_nulls: self.key_nulls,
            values,
            empty: self.empty,
        })
    }
}

/// Plain types and dictionaries of them: the types that can be PostgreSQL array elements.
pub(in crate::server::encode) fn dispatch_scalar<'a, V: Visit<'a>>(
    array: &'a dyn Array,
    v: V,
) -> Result<V::Out, EncodeError> {
    if let DataType::Dictionary(_, value_type) = array.data_type()
        && plain_type(value_type).is_some()
    {
        let dict = array
            .as_any_dictionary_opt()
            .ok_or_else(|| mismatch(array.data_type()))?;
        let (keys, key_nulls, empty) = dictionary_keys(dict);
        return dispatch_plain(
            dict.values().as_ref(),
            DictVisit {
                keys,
                key_nulls,
                empty,
                outer: v,
            },
        );
    }
    dispatch_plain(array, v)
}

/// Wraps the element writer of a list into a [`ListW`] for the outer consumer.
pub(in crate::server::encode) struct ListVisit<'a, V> {
    pub(in crate::server::encode) offsets: Offsets<'a>,
    pub(in crate::server::encode) nulls: Nulls<'a>,
    pub(in crate::server::encode) elem_oid: u32,
    pub(in crate::server::encode) outer: V,
}

impl<'a, V: Visit<'a>> Visit<'a> for ListVisit<'a, V> {
    type Out = V::Out;
    fn visit<W: Writer + 'a>(self, elems: W) -> Result<V::Out, EncodeError> {
        self.outer.visit(ListW {
            offsets: self.offsets,
            nulls: self.nulls,
            elems,
            elem_oid: self.elem_oid,
            pg_array: true,
        })
    }
}

pub(in crate::server::encode) fn list<'a, V: Visit<'a>>(
    values: &'a dyn Array,
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
    v: V,
) -> Result<V::Out, EncodeError> {
    let elem_type = values.data_type();
    if is_scalar(elem_type) {
        let elem_oid =
            scalar_type(elem_type).map_or(Type::TEXT.oid(), |(scalar, _, _)| scalar.oid());
        dispatch_scalar(
            values,
            ListVisit {
                offsets,
                nulls,
                elem_oid,
                outer: v,
            },
        )
    } else if let Some(levels) = nested_levels(values, offsets, nulls) {
        let (levels, scalars) = levels?;
        let elem_oid = scalar_type(scalars.data_type())
            .map_or(Type::TEXT.oid(), |(scalar, _, _)| scalar.oid());
        v.visit(MultiDimW {
            levels,
            elems: boxed(scalars)?,
            elem_oid,
        })
    } else {
        // Elements that are themselves nested otherwise (structs, maps): the whole list is
        // rendered as JSON. Boxing here (rather than recursing through `ListVisit`) also
        // keeps the generic instantiations finite.
        let elems = boxed(values)?;
        v.visit(ListW {
            offsets,
            nulls,
            elems,
            elem_oid: Type::JSON.oid(),
            pg_array: false,
        })
    }
}

/// The levels of a list whose members are lists (… of scalars), and the scalars: a
/// PostgreSQL multidimensional array. `None` when the innermost members are not scalars.
#[allow(clippy::type_complexity)]
pub(in crate::server::encode) fn nested_levels<'a>(
    values: &'a dyn Array,
    offsets: Offsets<'a>,
    nulls: Nulls<'a>,
) -> Option<Result<(Vec<Level<'a>>, &'a dyn Array), EncodeError>> {
    let mut levels = vec![Level { offsets, nulls }];
    let mut members = values;
    loop {
        let (offsets, inner) = match members.data_type() {
            DataType::List(_) => {
                let a = members.as_list_opt::<i32>()?;
                (Offsets::Small(a.value_offsets()), a.values().as_ref())
            }
            DataType::LargeList(_) => {
                let a = members.as_list_opt::<i64>()?;
                (Offsets::Large(a.value_offsets()), a.values().as_ref())
            }
            DataType::FixedSizeList(_, size) => {
                let a = members.as_fixed_size_list_opt()?;
                let size = match usize::try_from(*size) {
                    Ok(size) => size,
                    Err(_) => return Some(Err(mismatch(members.data_type()))),
                };
                (Offsets::Fixed(size), a.values().as_ref())
            }
            other if is_scalar(other) => return Some(Ok((levels, members))),
            _ => return None,
        };
        levels.push(Level {
            offsets,
            nulls: Nulls(members.nulls()),
        });
        members = inner;
    }
}

/// Downcast `array` once and pass its writer to `v`. Supports every type that
/// `types::column_type` accepts.
pub(in crate::server::encode) fn dispatch<'a, V: Visit<'a>>(
    array: &'a dyn Array,
    v: V,
) -> Result<V::Out, EncodeError> {
    let data_type = array.data_type();
    let downcast_failed = || mismatch(data_type);
    match data_type {
        DataType::List(_) => {
            let a = array.as_list_opt::<i32>().ok_or_else(downcast_failed)?;
            list(
                a.values().as_ref(),
                Offsets::Small(a.value_offsets()),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::LargeList(_) => {
            let a = array.as_list_opt::<i64>().ok_or_else(downcast_failed)?;
            list(
                a.values().as_ref(),
                Offsets::Large(a.value_offsets()),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::FixedSizeList(_, size) => {
            let a = array.as_fixed_size_list_opt().ok_or_else(downcast_failed)?;
            let size = usize::try_from(*size).map_err(|_| downcast_failed())?;
            list(
                a.values().as_ref(),
                Offsets::Fixed(size),
                Nulls(a.nulls()),
                v,
            )
        }
        DataType::Struct(fields) => {
            let a = array.as_struct_opt().ok_or_else(downcast_failed)?;
            let children = a
                .columns()
                .iter()
                .map(|c| boxed(c.as_ref()))
                .collect::<Result<Vec<_>, _>>()?;
            let names = fields.iter().map(|f| f.name().as_str()).collect();
            v.visit(StructW {
                names,
                children,
                nulls: Nulls(a.nulls()),
            })
        }
        DataType::Map(..) => {
            let a = array.as_map_opt().ok_or_else(downcast_failed)?;
            v.visit(MapW {
                offsets: a.value_offsets(),
                nulls: Nulls(a.nulls()),
                keys: boxed(a.keys().as_ref())?,
                values: boxed(a.values().as_ref())?,
            })
        }
        DataType::Dictionary(_, value_type) if plain_type(value_type).is_none() => {
            let dict = array.as_any_dictionary_opt().ok_or_else(downcast_failed)?;
            let (keys, key_nulls, empty) = dictionary_keys(dict);
            let values = boxed(dict.values().as_ref())?;
            v.visit(DictW {
                keys,
                key_nulls,
                values,
                empty,
            })
        }
        _ => dispatch_scalar(array, v),
    }
}

/// A type-erased writer, for the heterogeneous children of structs and maps.
pub(in crate::server::encode) fn boxed<'a>(
    array: &'a dyn Array,
) -> Result<Box<dyn Writer + 'a>, EncodeError> {
    struct BoxVisit;
    impl<'a> Visit<'a> for BoxVisit {
        type Out = Box<dyn Writer + 'a>;
        fn visit<W: Writer + 'a>(self, writer: W) -> Result<Self::Out, EncodeError> {
            Ok(Box::new(writer))
        }
    }
    dispatch(array, BoxVisit)
}
