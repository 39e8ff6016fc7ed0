//! `sind`, `cosd` and `tand`: sine, cosine and tangent of an angle in degrees, exact where
//! PostgreSQL's are (`sind(30)` is 0.5, `tand(45)` 1): the angle is brought into the first
//! quadrant, and each value is scaled by the one it must take at 30°, 60° or 45°, as
//! PostgreSQL computes them. DataFusion has only the radian functions.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err, utils::take_function_args};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use super::columnar;

fn radians(degrees: f64) -> f64 {
    degrees * (std::f64::consts::PI / 180.0)
}

/// sin(x) for x in [0, 30], exactly 0.5 at 30.
fn sind_0_to_30(x: f64) -> f64 {
    (radians(x).sin() / radians(30.0).sin()) / 2.0
}

/// cos(x) for x in [0, 60], exactly 0.5 at 60.
fn cosd_0_to_60(x: f64) -> f64 {
    1.0 - ((1.0 - radians(x).cos()) / (1.0 - radians(60.0).cos())) / 2.0
}

/// sin(x) for x in [0, 90].
fn sind_q1(x: f64) -> f64 {
    if x <= 30.0 {
        sind_0_to_30(x)
    } else {
        cosd_0_to_60(90.0 - x)
    }
}

/// cos(x) for x in [0, 90].
fn cosd_q1(x: f64) -> f64 {
    if x <= 60.0 {
        cosd_0_to_60(x)
    } else {
        sind_0_to_30(90.0 - x)
    }
}

fn sind(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return f64::NAN;
    }
    let (mut x, mut sign) = (x % 360.0, 1.0);
    if x < 0.0 {
        x = -x;
        sign = -sign;
    }
    if x > 180.0 {
        x = 360.0 - x;
        sign = -sign;
    }
    if x > 90.0 {
        x = 180.0 - x;
    }
    sign * sind_q1(x)
}

fn cosd(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return f64::NAN;
    }
    let (mut x, mut sign) = ((x % 360.0).abs(), 1.0);
    if x > 180.0 {
        x = 360.0 - x;
    }
    if x > 90.0 {
        x = 180.0 - x;
        sign = -sign;
    }
    sign * cosd_q1(x)
}

fn tand(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return f64::NAN;
    }
    let (mut x, mut sign) = (x % 360.0, 1.0);
    if x < 0.0 {
        x = -x;
        sign = -sign;
    }
    if x > 180.0 {
        x = 360.0 - x;
        sign = -sign;
    }
    if x > 90.0 {
        x = 180.0 - x;
        sign = -sign;
    }
    let tan_45 = sind_q1(45.0) / cosd_q1(45.0);
    let result = sign * ((sind_q1(x) / cosd_q1(x)) / tan_45);
    // No negative zero.
    if result == 0.0 { 0.0 } else { result }
}

/// One of the three functions: its name, its documentation and its value per angle.
#[derive(Debug)]
pub struct DegreesTrig {
    name: &'static str,
    signature: Signature,
    value: fn(f64) -> f64,
    documentation: &'static LazyLock<Documentation>,
}

known_by_name!(DegreesTrig);

documented!(
    SIND,
    "Sine, argument in degrees.",
    "An angle in degrees.",
    "```sql\n> SELECT sind(30);\n+------+\n| sind |\n+------+\n| 0.5  |\n+------+\n```"
);
documented!(
    COSD,
    "Cosine, argument in degrees.",
    "An angle in degrees.",
    "```sql\n> SELECT cosd(60);\n+------+\n| cosd |\n+------+\n| 0.5  |\n+------+\n```"
);
documented!(
    TAND,
    "Tangent, argument in degrees.",
    "An angle in degrees.",
    "```sql\n> SELECT tand(45);\n+------+\n| tand |\n+------+\n| 1    |\n+------+\n```"
);

impl DegreesTrig {
    pub fn all() -> [Self; 3] {
        [
            Self::new("sind", sind, &SIND),
            Self::new("cosd", cosd, &COSD),
            Self::new("tand", tand, &TAND),
        ]
    }

    fn new(
        name: &'static str,
        value: fn(f64) -> f64,
        documentation: &'static LazyLock<Documentation>,
    ) -> Self {
        Self {
            name,
            signature: Signature::any(1, Volatility::Immutable),
            value,
            documentation,
        }
    }
}

impl ScalarUDFImpl for DegreesTrig {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [t] if t.is_numeric() || t.is_null() => Ok(DataType::Float64),
            other => exec_err!("{} takes a number, not {other:?}", self.name),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [x] = take_function_args(self.name, args.args)?;
        let scalar = matches!(x, ColumnarValue::Scalar(_));
        let x = cast(&x.to_array(args.number_rows)?, &DataType::Float64)?;
        let values: Float64Array = x.as_primitive::<Float64Type>().unary(self.value);
        columnar(Arc::new(values), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(self.documentation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_where_postgres_is() {
        assert_eq!(sind(30.0), 0.5);
        assert_eq!(sind(-30.0), -0.5);
        assert_eq!(sind(90.0), 1.0);
        assert_eq!(sind(180.0), 0.0);
        assert_eq!(cosd(60.0), 0.5);
        assert_eq!(cosd(180.0), -1.0);
        assert_eq!(tand(45.0), 1.0);
        assert_eq!(tand(-45.0), -1.0);
        assert_eq!(tand(135.0), -1.0);
    }
}
