//! `member_tier(spend_12m, orders_12m, points [, spend_thresholds, order_thresholds,
//! points_thresholds])`: the membership tier — normal, silver, gold or diamond.
//!
//! Tiers are re-evaluated yearly on the last 12 months, so the inputs are 12-month figures and
//! the points balance ([`points_balance`](crate::loyalty::points_balance), whose points expire after
//! 12 months). A customer reaches a tier by qualifying activity — spend *and* orders both at
//! the tier's thresholds — or by holding the tier's points, which lets a programme lift a
//! customer with bonus points. The highest tier reached is the tier.
//!
//! The default ladder, fitted to a shop where the median consumer spends ~1,400 a year over
//! ~4 orders:
//!
//! | tier | spend ≥ | and orders ≥ | or points ≥ |
//! |---|---|---|---|
//! | silver | 1,000 | 2 | 2,000 |
//! | gold | 5,000 | 6 | 10,000 |
//! | diamond | 20,000 | 12 | 40,000 |
//!
//! Another ladder is three arrays of three thresholds each (silver, gold, diamond), one array
//! per criterion, non-decreasing from tier to tier.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

use crate::DOC_SECTION;
use crate::common::args::{Kind, Param, arrays, coerce, param};

const NAME: &str = "member_tier";
const SYNTAX: &str = "member_tier(spend_12m, orders_12m, points \
    [, spend_thresholds, order_thresholds, points_thresholds])";
const PARAMS: [Param; 6] = [
    param("spend_12m", Kind::Number),
    param("orders_12m", Kind::Integer),
    param("points", Kind::Number),
    param("spend_thresholds", Kind::NumberList),
    param("order_thresholds", Kind::NumberList),
    param("points_thresholds", Kind::NumberList),
];

/// The tiers above `normal`, lowest first.
const TIERS: [&str; 3] = ["silver", "gold", "diamond"];
const BASE_TIER: &str = "normal";

/// Thresholds of one tier.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    spend: f64,
    orders: f64,
    points: f64,
}

const DEFAULT_LADDER: [Step; 3] = [
    Step {
        spend: 1_000.0,
        orders: 2.0,
        points: 2_000.0,
    },
    Step {
        spend: 5_000.0,
        orders: 6.0,
        points: 10_000.0,
    },
    Step {
        spend: 20_000.0,
        orders: 12.0,
        points: 40_000.0,
    },
];

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        DOC_SECTION,
        "Returns the membership tier 'normal', 'silver', 'gold' or 'diamond': the highest tier \
         whose spend and order thresholds are both reached, or whose points threshold is. \
         Default ladder (spend and orders, or points): silver 1000 and 2, or 2000; gold 5000 \
         and 6, or 10000; diamond 20000 and 12, or 40000. Any NULL argument gives NULL \
         (coalesce customers without orders to 0).",
        SYNTAX,
    )
    .with_argument("spend_12m", "Completed spend over the last 12 months.")
    .with_argument("orders_12m", "Completed orders over the last 12 months.")
    .with_argument(
        "points",
        "Unexpired points, e.g. points_balance(order_ts, amount, as_of()).",
    )
    .with_argument(
        "spend_thresholds",
        "Optional, with the next two: ARRAY[silver, gold, diamond] spend thresholds, \
         non-decreasing.",
    )
    .with_argument(
        "order_thresholds",
        "ARRAY[silver, gold, diamond] order-count thresholds.",
    )
    .with_argument(
        "points_thresholds",
        "ARRAY[silver, gold, diamond] points thresholds.",
    )
    .with_sql_example(
        r#"```sql
> SELECT member_tier(6000, 7, 6000) AS a, member_tier(300, 1, 12000) AS b,
         member_tier(600, 3, 0, ARRAY[500, 5000, 20000], ARRAY[3, 6, 12],
                     ARRAY[1000, 10000, 40000]) AS c;
+------+------+--------+
| a    | b    | c      |
+------+------+--------+
| gold | gold | silver |
+------+------+--------+
```"#,
    )
    .with_related_udf("points_balance")
    .build()
});

/// The `member_tier` scalar function; see the module documentation.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MemberTier {
    signature: Signature,
}

impl Default for MemberTier {
    fn default() -> Self {
        Self::new()
    }
}

impl MemberTier {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for MemberTier {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !matches!(arg_types.len(), 3 | 6) {
            return plan_err!(
                "{NAME} takes 3 arguments, or 6 with a ladder ({SYNTAX}), not {}",
                arg_types.len()
            );
        }
        coerce(NAME, SYNTAX, &PARAMS, 3, arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let ladder = match &args.args[3..] {
            [] => DEFAULT_LADDER,
            [spend, orders, points] => ladder(spend, orders, points)?,
            _ => return exec_err!("{NAME} takes 3 or 6 arguments ({SYNTAX})"),
        };
        let arrays = arrays(&args.args[..3], args.number_rows)?;
        let spend = arrays[0].as_primitive::<Float64Type>();
        let orders = arrays[1].as_primitive::<Int64Type>();
        let points = arrays[2].as_primitive::<Float64Type>();
        let mut tiers = StringBuilder::with_capacity(spend.len(), spend.len() * 6);
        for row in 0..spend.len() {
            if spend.is_null(row) || orders.is_null(row) || points.is_null(row) {
                tiers.append_null();
            } else {
                tiers.append_value(tier(
                    &ladder,
                    spend.value(row),
                    orders.value(row) as f64,
                    points.value(row),
                ));
            }
        }
        Ok(ColumnarValue::Array(Arc::new(tiers.finish())))
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

fn tier(ladder: &[Step; 3], spend: f64, orders: f64, points: f64) -> &'static str {
    ladder
        .iter()
        .zip(TIERS)
        .rev()
        .find(|(step, _)| (spend >= step.spend && orders >= step.orders) || points >= step.points)
        .map_or(BASE_TIER, |(_, name)| name)
}

/// A ladder from three constant arrays of three thresholds.
fn ladder(
    spend: &ColumnarValue,
    orders: &ColumnarValue,
    points: &ColumnarValue,
) -> Result<[Step; 3]> {
    let [spend, orders, points] = [
        ("spend_thresholds", spend),
        ("order_thresholds", orders),
        ("points_thresholds", points),
    ]
    .map(|(name, value)| three_thresholds(name, value));
    let (spend, orders, points) = (spend?, orders?, points?);
    Ok([0, 1, 2].map(|i| Step {
        spend: spend[i],
        orders: orders[i],
        points: points[i],
    }))
}

fn three_thresholds(name: &str, value: &ColumnarValue) -> Result<[f64; 3]> {
    let ColumnarValue::Scalar(ScalarValue::List(list)) = value else {
        return exec_err!("{NAME}: {name} must be a constant ARRAY[silver, gold, diamond]");
    };
    if list.is_null(0) {
        return exec_err!("{NAME}: {name} must not be NULL");
    }
    let values = list.value(0);
    let values = values.as_primitive::<Float64Type>();
    let thresholds: [f64; 3] = match values.values().as_ref().try_into() {
        Ok(three) if values.null_count() == 0 => three,
        _ => {
            return exec_err!(
                "{NAME}: {name} must hold exactly 3 non-NULL numbers (silver, gold, diamond)"
            );
        }
    };
    if thresholds.iter().any(|t| t.is_nan()) || thresholds.windows(2).any(|w| w[0] > w[1]) {
        return exec_err!("{NAME}: {name} must be non-decreasing, got {thresholds:?}");
    }
    Ok(thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_tier_reached_by_activity_or_points() {
        let l = &DEFAULT_LADDER;
        assert_eq!(tier(l, 0.0, 0.0, 0.0), "normal");
        assert_eq!(tier(l, 999.99, 5.0, 0.0), "normal");
        assert_eq!(tier(l, 1000.0, 2.0, 0.0), "silver");
        assert_eq!(tier(l, 1000.0, 1.0, 0.0), "normal");
        assert_eq!(tier(l, 5000.0, 6.0, 0.0), "gold");
        assert_eq!(tier(l, 50_000.0, 11.0, 0.0), "gold");
        assert_eq!(tier(l, 20_000.0, 12.0, 0.0), "diamond");
        assert_eq!(tier(l, 0.0, 0.0, 40_000.0), "diamond");
        assert_eq!(tier(l, 0.0, 0.0, 2_000.0), "silver");
    }
}
