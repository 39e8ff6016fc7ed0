//! `scale(x)`, `min_scale(x)` and `trim_scale(x)` of a numeric, as PostgreSQL answers them:
//! the digits after the point as the value is written (custlake writes every value of a
//! column with the column's scale, so `scale` is the column's), the fewest that hold the
//! value exactly, and the value with that many. Arrow's decimals have one scale per column,
//! so `trim_scale` takes a constant only (a column is refused, 0A000). DataFusion has none.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Int32Type};
use datafusion::common::{
    DataFusionError, Result, ScalarValue, exec_err, utils::take_function_args,
};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::{DOC_SECTION, columnar};
use crate::error::{SqlError, sqlstate};

/// Which of the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Scale,
    MinScale,
    TrimScale,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Scale {
    kind: Kind,
    signature: Signature,
}

static SCALE: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(DOC_SECTION, "The number of digits after the decimal point.", "scale(numeric)")
        .with_sql_example("```sql\n> SELECT scale(8.4100);\n+-------+\n| scale |\n+-------+\n| 4     |\n+-------+\n```")
        .build()
});
static MIN_SCALE: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The fewest digits after the decimal point that represent the value exactly.",
        "min_scale(numeric)",
    )
    .with_sql_example("```sql\n> SELECT min_scale(8.4100);\n+-----------+\n| min_scale |\n+-----------+\n| 2         |\n+-----------+\n```")
    .build()
});
static TRIM_SCALE: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "The value with its trailing fractional zeros removed (of a constant).",
        "trim_scale(numeric)",
    )
    .with_sql_example("```sql\n> SELECT trim_scale(8.4100);\n+------------+\n| trim_scale |\n+------------+\n| 8.41       |\n+------------+\n```")
    .build()
});

impl Scale {
    pub fn all() -> [Self; 3] {
        [Kind::Scale, Kind::MinScale, Kind::TrimScale].map(|kind| Scale {
            kind,
            signature: Signature::any(1, Volatility::Immutable),
        })
    }
}

/// The fewest decimals that hold `value` (of scale `scale`) exactly.
fn min_scale(value: i128, scale: i8) -> i8 {
    let (mut value, mut scale) = (value, scale);
    while scale > 0 && value % 10 == 0 {
        value /= 10;
        scale -= 1;
    }
    scale.max(0)
}

/// `x`'s type as a decimal: integers have scale 0.
fn decimal_type(t: &DataType) -> Option<(u8, i8)> {
    match t {
        DataType::Decimal128(p, s) => Some((*p, *s)),
        t if t.is_integer() => Some((38, 0)),
        _ => None,
    }
}

impl ScalarUDFImpl for Scale {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Scale => "scale",
            Kind::MinScale => "min_scale",
            Kind::TrimScale => "trim_scale",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        exec_err!("return_field_from_args is used instead")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let [field] = args.arg_fields else {
            return exec_err!("{} takes one numeric", self.name());
        };
        let Some((precision, scale)) = decimal_type(field.data_type()) else {
            return exec_err!("{} takes a numeric, not {}", self.name(), field.data_type());
        };
        let data_type = match self.kind {
            Kind::Scale | Kind::MinScale => DataType::Int32,
            Kind::TrimScale => match args.scalar_arguments.first().copied().flatten() {
                Some(ScalarValue::Decimal128(Some(v), _, s)) => {
                    let trimmed = min_scale(*v, *s);
                    DataType::Decimal128((precision - (scale - trimmed) as u8).max(1), trimmed)
                }
                Some(value) if value.is_null() => DataType::Decimal128(precision, scale),
                Some(_) => DataType::Decimal128(precision, 0),
                None => {
                    return Err(DataFusionError::External(Box::new(SqlError::new(
                        sqlstate::FEATURE_NOT_SUPPORTED,
                        "trim_scale of a column is not supported: a column's numerics share one \
                         scale here; use round(x, n)",
                    ))));
                }
            },
        };
        Ok(Arc::new(Field::new(self.name(), data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.name();
        let output = args.return_field.data_type().clone();
        let [x] = take_function_args(name, args.args)?;
        let scalar = matches!(x, ColumnarValue::Scalar(_));
        let values = x.to_array(args.number_rows)?;
        let Some((_, scale)) = decimal_type(values.data_type()) else {
            return exec_err!("{name} takes a numeric");
        };
        let decimals = cast(&values, &DataType::Decimal128(38, scale))?;
        let decimals = decimals.as_primitive::<Decimal128Type>();
        let out: ArrayRef = match self.kind {
            Kind::Scale => Arc::new(decimals.unary::<_, Int32Type>(|_| i32::from(scale))),
            Kind::MinScale => {
                Arc::new(decimals.unary::<_, Int32Type>(|v| i32::from(min_scale(v, scale))))
            }
            Kind::TrimScale => cast(&values, &output)?,
        };
        columnar(out, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(match self.kind {
            Kind::Scale => &SCALE,
            Kind::MinScale => &MIN_SCALE,
            Kind::TrimScale => &TRIM_SCALE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::min_scale;

    #[test]
    fn fewest_decimals() {
        assert_eq!(min_scale(84_100, 4), 2);
        assert_eq!(min_scale(1_000, 3), 0);
        assert_eq!(min_scale(-1_230, 3), 2);
        assert_eq!(min_scale(0, 2), 0);
    }
}
