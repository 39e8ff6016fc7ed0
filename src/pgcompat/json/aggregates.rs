//! `json_agg(x)` and `jsonb_agg(x)`: a group's values as an array; `json_object_agg(k, v)`
//! and `jsonb_object_agg(k, v)`: as an object. Each is DataFusion's `array_agg` (which
//! keeps `ORDER BY`, `DISTINCT` and the group's order) with the list written as JSON at the
//! end, as PostgreSQL writes it: `[1, 2]`, a row or array after the first on a line of its
//! own (`[{"a":1}, \n {"a":2}]`), `{ "k" : v, "k2" : v2 }`; jsonb in its normal form. No
//! rows give NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::functions_aggregate::array_agg::ArrayAgg;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, ReversedUDAF, Signature, Volatility,
};

use super::render::{JsonColumn, is_composite};
use super::value::{Json, utf8};
use super::{DOC_SECTION, JsonType, sql};
use crate::error::{SqlError, sqlstate};
use crate::pgcompat::text_out::put_json_str;

#[derive(Debug)]
pub struct JsonAgg {
    name: &'static str,
    output: JsonType,
    /// `*_object_agg`: two arguments, key and value.
    object: bool,
    /// DataFusion's `array_agg`, which collects the values.
    array_agg: Arc<dyn AggregateUDFImpl>,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonAgg);

impl JsonAgg {
    pub fn all() -> Vec<JsonAgg> {
        [
            (
                "json_agg",
                JsonType::Json,
                false,
                "The group's values as a json array.",
                "json_agg(x [ORDER BY …])",
            ),
            (
                "jsonb_agg",
                JsonType::Jsonb,
                false,
                "The group's values as a jsonb array.",
                "jsonb_agg(x [ORDER BY …])",
            ),
            (
                "json_object_agg",
                JsonType::Json,
                true,
                "The group's keys and values as a json object.",
                "json_object_agg(key, value)",
            ),
            (
                "jsonb_object_agg",
                JsonType::Jsonb,
                true,
                "The group's keys and values as a jsonb object.",
                "jsonb_object_agg(key, value)",
            ),
        ]
        .into_iter()
        .map(|(name, output, object, what, syntax)| JsonAgg {
            name,
            output,
            object,
            array_agg: Arc::new(ArrayAgg::default()),
            signature: Signature::any(if object { 2 } else { 1 }, Volatility::Immutable),
            documentation: Documentation::builder(DOC_SECTION, what, syntax).build(),
        })
        .collect()
    }

    /// The field `array_agg` collects: the argument, or for objects a (key, value) row.
    fn collected(&self, inputs: &[FieldRef]) -> FieldRef {
        match self.object {
            true => Arc::new(Field::new(
                "entry",
                DataType::Struct(Fields::from(inputs[..2].to_vec())),
                true,
            )),
            false => Arc::clone(&inputs[0]),
        }
    }
}

impl AggregateUDFImpl for JsonAgg {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field(&self, _: &[FieldRef]) -> Result<FieldRef> {
        Ok(Arc::new(self.output.field(self.name)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let collected = [self.collected(args.input_fields)];
        self.array_agg.state_fields(StateFieldsArgs {
            input_fields: &collected,
            ..args
        })
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        self.array_agg.order_sensitivity()
    }

    fn with_beneficial_ordering(
        self: Arc<Self>,
        beneficial_ordering: bool,
    ) -> Result<Option<Arc<dyn AggregateUDFImpl>>> {
        let Some(array_agg) =
            Arc::clone(&self.array_agg).with_beneficial_ordering(beneficial_ordering)?
        else {
            return Ok(None);
        };
        Ok(Some(Arc::new(JsonAgg {
            name: self.name,
            output: self.output,
            object: self.object,
            array_agg,
            signature: self.signature.clone(),
            documentation: self.documentation.clone(),
        })))
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::NotSupported
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let collected = [self.collected(args.expr_fields)];
        let exprs = &args.exprs[..1];
        let inner = self.array_agg.accumulator(AccumulatorArgs {
            expr_fields: &collected,
            exprs,
            ..args
        })?;
        Ok(Box::new(JsonAggAccumulator {
            inner,
            element: Arc::clone(&collected[0]),
            output: self.output,
            object: self.object,
        }))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

#[derive(Debug)]
struct JsonAggAccumulator {
    inner: Box<dyn Accumulator>,
    element: FieldRef,
    output: JsonType,
    object: bool,
}

impl Accumulator for JsonAggAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if !self.object {
            return self.inner.update_batch(values);
        }
        let DataType::Struct(fields) = self.element.data_type() else {
            return exec_err!("json_object_agg collects (key, value) rows");
        };
        let entries = StructArray::try_new(fields.clone(), values[..2].to_vec(), None)?;
        let mut collected: Vec<ArrayRef> = vec![Arc::new(entries)];
        collected.extend(values[2..].iter().cloned());
        self.inner.update_batch(&collected)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let ScalarValue::List(list) = self.inner.evaluate()? else {
            return exec_err!("array_agg gave no list");
        };
        if list.is_null(0) {
            return Ok(ScalarValue::Utf8(None));
        }
        let values = list.value(0);
        let text = match self.object {
            false => self.array(&values)?,
            true => self.members(&values)?,
        };
        Ok(ScalarValue::Utf8(Some(text)))
    }

    fn size(&self) -> usize {
        self.inner.size() + std::mem::size_of_val(self)
    }
}

impl JsonAggAccumulator {
    fn array(&self, values: &ArrayRef) -> Result<String> {
        let column = JsonColumn::new(values, &self.element)?;
        match self.output {
            JsonType::Json => {
                let composite = is_composite(self.element.data_type());
                let mut out = vec![b'['];
                for row in 0..values.len() {
                    if row > 0 {
                        out.extend_from_slice(if composite && !column.is_null(row) {
                            b", \n "
                        } else {
                            b", "
                        });
                    }
                    column.write(row, &mut out)?;
                }
                out.push(b']');
                Ok(utf8(out))
            }
            JsonType::Jsonb => {
                let elements = (0..values.len())
                    .map(|row| super::value::parse(&column.text(row)?).map_err(sql))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Json::Array(elements)
                    .into_jsonb()
                    .map_err(sql)?
                    .to_jsonb_text())
            }
        }
    }

    fn members(&self, entries: &ArrayRef) -> Result<String> {
        let entries = entries.as_struct();
        let DataType::Struct(fields) = self.element.data_type() else {
            return exec_err!("json_object_agg collects (key, value) rows");
        };
        let keys = datafusion::arrow::compute::cast(entries.column(0), &DataType::Utf8)?;
        let keys = keys.as_string::<i32>();
        let values = JsonColumn::new(entries.column(1), &fields[1])?;
        if keys.null_count() > 0 {
            return Err(sql(SqlError::new(
                sqlstate::INVALID_PARAMETER_VALUE,
                "field name must not be null",
            )));
        }
        match self.output {
            JsonType::Json => {
                let mut out = b"{ ".to_vec();
                for row in 0..entries.len() {
                    if row > 0 {
                        out.extend_from_slice(b", ");
                    }
                    put_json_str(&mut out, keys.value(row).as_bytes());
                    out.extend_from_slice(b" : ");
                    values.write(row, &mut out)?;
                }
                out.extend_from_slice(b" }");
                Ok(utf8(out))
            }
            JsonType::Jsonb => {
                let members = (0..entries.len())
                    .map(|row| {
                        let value = super::value::parse(&values.text(row)?).map_err(sql)?;
                        Ok((keys.value(row).to_string(), value))
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Json::Object(members)
                    .into_jsonb()
                    .map_err(sql)?
                    .to_jsonb_text())
            }
        }
    }
}
