//! Casts and result types as PostgreSQL computes them, where Arrow's kernels answer
//! otherwise. Two analyzer rules: [`PgCasts`], run after DataFusion's type coercion so it
//! sees every cast — written or implied — with the types of both sides:
//! - numeric → integer rounds half away from zero (`3.5::int` is 4, `(-3.5)::int` is −4),
//!   and float → integer rounds half to even (PostgreSQL's `rint`), as does `round(float8)`:
//!   Arrow truncates, DataFusion's `round` rounds ties away from zero;
//! - timestamp → text is written as PostgreSQL writes it (`2024-06-30 12:00:00.5`), where
//!   Arrow writes ISO 8601 with a `T`; a timestamptz ends with its offset (`+00`, `+08`);
//! - intervals compare by their span (a month as 30 days, a day as 24 hours), where Arrow
//!   compares months, then days, then nanoseconds;
//!
//! and [`ResultTypes`], run before it, so that whatever uses a result is coerced to its type:
//! - a date is cast where PostgreSQL casts it: `date ± interval` is a timestamp (DataFusion
//!   keeps a date, dropping the hours), and `date_trunc(field, date)` truncates the
//!   timestamptz of the date's midnight;
//! - `/` of numerics rounds (`numeric_div`), where DataFusion truncates;
//! - `floor`, `ceil` and `trunc` of a numeric have scale 0 (`trunc(x, n)` scale n);
//! - arithmetic of a real (float4) with an integer or a numeric is in double precision
//!   (`1::real / 3` is 0.3333333333333333), where DataFusion stays in single;
//! - `extract(second | millisecond | epoch FROM timestamp)` is a numeric with the
//!   microseconds (`20.989710`), where DataFusion gives whole seconds, and so is
//!   `extract(epoch FROM ts2 - ts1)` and a time's second and millisecond;
//! - `extract(decade | century | millennium FROM …)`, which DataFusion lacks, count years
//!   as PostgreSQL does (the 21st century began in 2001).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::expr::{BinaryExpr, Cast, ScalarFunction, TryCast};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, Operator, ScalarUDF, lit, when};
use datafusion::optimizer::AnalyzerRule;

/// The rule, holding the functions it calls (looked up once, when the session is built).
#[derive(Debug)]
pub struct PgCasts {
    round: Arc<ScalarUDF>,
    round_half_even: Arc<ScalarUDF>,
    to_char: Arc<ScalarUDF>,
    rtrim: Arc<ScalarUDF>,
    interval_span: Arc<ScalarUDF>,
}

impl PgCasts {
    /// `registry` must hold `round`, `rtrim` and pgcompat's `to_char`, `round_half_even` and
    /// `interval_span`.
    pub fn new(registry: &dyn FunctionRegistry) -> Result<Self> {
        Ok(PgCasts {
            round: registry.udf("round")?,
            round_half_even: registry.udf("round_half_even")?,
            to_char: registry.udf("to_char")?,
            rtrim: registry.udf("rtrim")?,
            interval_span: registry.udf("interval_span")?,
        })
    }

    /// A comparison of two intervals as a comparison of their spans.
    fn interval_comparison(&self, expr: &Expr, schema: &DFSchema) -> Option<Expr> {
        let Expr::BinaryExpr(BinaryExpr { left, op, right }) = expr else {
            return None;
        };
        let is_interval = |e: &Expr| {
            matches!(
                e.get_type(schema),
                Ok(DataType::Interval(_) | DataType::Duration(_))
            )
        };
        if !super::literal_types::is_comparison(*op) || !is_interval(left) || !is_interval(right) {
            return None;
        }
        let span = |e: &Expr| Box::new(call(&self.interval_span, vec![e.clone()]));
        Some(Expr::BinaryExpr(BinaryExpr::new(
            span(left),
            *op,
            span(right),
        )))
    }

    /// The expression a cast of `inner` (of type `from`) to `to` becomes, if it changes.
    fn replacement(&self, inner: &Expr, from: &DataType, to: &DataType) -> Option<Expr> {
        if to.is_integer() {
            // Already rounded to an integer (a plan analyzed twice, as a view's is);
            // `round(x, 2)::int` still rounds.
            if let Expr::ScalarFunction(ScalarFunction { func, args }) = inner
                && matches!(func.name(), "round" | "round_half_even")
                && args.len() == 1
            {
                return None;
            }
            let rounded = match from {
                DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..) => call(&self.round, vec![inner.clone()]),
                DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                    call(&self.round_half_even, vec![inner.clone()])
                }
                _ => return None,
            };
            return Some(rounded);
        }
        if matches!(
            to,
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
        ) && let DataType::Timestamp(_, zone) = from
        {
            let text = |s: &str| Expr::Literal(ScalarValue::Utf8(Some(s.to_string())), None);
            let as_micros = Expr::Cast(Cast::new(
                Box::new(inner.clone()),
                DataType::Timestamp(TimeUnit::Microsecond, zone.clone()),
            ));
            let full = call(
                &self.to_char,
                vec![as_micros.clone(), text("YYYY-MM-DD HH24:MI:SS.US")],
            );
            // Trailing zeros of the fraction go, then a bare point: `12:00:00.000000` →
            // `12:00:00` (the seconds' zeros stay, the point stops the first trim).
            let trimmed = call(
                &self.rtrim,
                vec![call(&self.rtrim, vec![full, text("0")]), text(".")],
            );
            // A timestamptz ends with its offset (the session's zone's, see session_zone).
            let out = match zone {
                Some(_) => Expr::ScalarFunction(ScalarFunction::new_udf(
                    datafusion::functions::string::concat(),
                    vec![
                        trimmed,
                        call(&self.to_char, vec![as_micros.clone(), text("OF")]),
                    ],
                )),
                None => trimmed,
            };
            return Some(Expr::Cast(Cast::new(Box::new(out), to.clone())));
        }
        None
    }
}

impl AnalyzerRule for PgCasts {
    fn name(&self) -> &str {
        "pg_casts"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        rewrite_expressions(plan, |e, schema| {
            if let Some(replacement) = self.interval_comparison(e, schema) {
                return Some(replacement);
            }
            if let Expr::ScalarFunction(ScalarFunction { func, args }) = e
                && func.name() == "round"
                && let [x] = args.as_slice()
                && matches!(x.get_type(schema), Ok(DataType::Float64))
            {
                return Some(call(&self.round_half_even, vec![x.clone()]));
            }
            let (inner, to, try_cast) = match e {
                Expr::Cast(Cast { expr, field }) => (expr, field.data_type(), false),
                Expr::TryCast(TryCast { expr, field }) => (expr, field.data_type(), true),
                _ => return None,
            };
            let from = inner.get_type(schema).ok()?;
            let replacement = self.replacement(inner, &from, to)?;
            let to = to.clone();
            Some(match replacement {
                // The text form is already of the target type.
                Expr::Cast(_) if !to.is_integer() => replacement,
                rounded if try_cast => Expr::TryCast(TryCast::new(Box::new(rounded), to)),
                rounded => Expr::Cast(Cast::new(Box::new(rounded), to)),
            })
        })
    }
}

/// The dates PostgreSQL casts to timestamps (see the module documentation): an analyzer rule
/// run before DataFusion's type coercion, so that what compares or combines the timestamp is
/// coerced to it.
#[derive(Debug)]
pub struct ResultTypes {
    numeric_div: Arc<ScalarUDF>,
}

impl Default for ResultTypes {
    fn default() -> Self {
        ResultTypes {
            numeric_div: super::builtins::numeric_div(),
        }
    }
}

impl AnalyzerRule for ResultTypes {
    fn name(&self) -> &str {
        "pg_result_types"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        rewrite_expressions(plan, |e, schema| {
            dates_cast(e, schema)
                .or_else(|| self.numeric_division(e, schema))
                .or_else(|| numeric_scale(e, schema))
                .or_else(|| real_with_exact(e, schema))
                .or_else(|| extract_fraction(e, schema))
        })
    }
}

impl ResultTypes {
    /// `a / b` of two numerics, or of a numeric and an integer, as `numeric_div(a, b)`.
    fn numeric_division(&self, expr: &Expr, schema: &DFSchema) -> Option<Expr> {
        let Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Divide,
            right,
        }) = expr
        else {
            return None;
        };
        let (left_type, right_type) = (left.get_type(schema).ok()?, right.get_type(schema).ok()?);
        let is_decimal = |t: &DataType| matches!(t, DataType::Decimal128(..));
        let is_exact = |t: &DataType| is_decimal(t) || t.is_integer();
        (is_exact(&left_type)
            && is_exact(&right_type)
            && (is_decimal(&left_type) || is_decimal(&right_type)))
        .then(|| {
            Expr::ScalarFunction(ScalarFunction::new_udf(
                Arc::clone(&self.numeric_div),
                vec![left.as_ref().clone(), right.as_ref().clone()],
            ))
        })
    }
}

/// A call of `function` on `args`, for the rules that write calls of functions they hold.
pub(super) fn call(function: &Arc<ScalarUDF>, args: Vec<Expr>) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(function), args))
}

/// Applies `rewrite` bottom-up to every expression of every node of `plan` (subqueries
/// included), keeping each rewritten expression's name — a parent node refers to a child's
/// columns by name — and, once something has changed, recomputing the schema of every node
/// visited after it (its ancestors among them), since a type may have changed. A plan with
/// nothing to rewrite is left as it was, schemas and all.
pub(super) fn rewrite_expressions(
    plan: LogicalPlan,
    rewrite: impl Fn(&Expr, &DFSchema) -> Option<Expr>,
) -> Result<LogicalPlan> {
    let changed = std::cell::Cell::new(false);
    plan.transform_up_with_subqueries(|node| {
        let mut schema = DFSchema::empty();
        for input in node.inputs() {
            schema.merge(input.schema());
        }
        let names = NamePreserver::new(&node);
        let rewritten = node.map_expressions(|expr| {
            let name = names.save(&expr);
            expr.transform_up(|e| {
                Ok(match rewrite(&e, &schema) {
                    Some(replacement) => Transformed::yes(replacement),
                    None => Transformed::no(e),
                })
            })
            .map(|t| t.update_data(|e| name.restore(e)))
        })?;
        if rewritten.transformed {
            changed.set(true);
        }
        match changed.get() {
            true => rewritten.map_data(|node| node.recompute_schema()),
            false => Ok(rewritten),
        }
    })
    .map(|t| t.data)
}

/// `date ± interval` with the date cast to a timestamp, and `date_trunc(field, date)` with the
/// date cast to a timestamptz (of the session's zone, UTC); `None` for anything else.
fn dates_cast(expr: &Expr, schema: &DFSchema) -> Option<Expr> {
    let is_date = |e: &Expr| matches!(e.get_type(schema), Ok(DataType::Date32 | DataType::Date64));
    let is_interval = |e: &Expr| matches!(e.get_type(schema), Ok(DataType::Interval(_)));
    let as_timestamp = |e: &Expr, zone: Option<&str>| {
        Box::new(Expr::Cast(Cast::new(
            Box::new(e.clone()),
            DataType::Timestamp(TimeUnit::Microsecond, zone.map(Into::into)),
        )))
    };
    match expr {
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::Plus | Operator::Minus) =>
        {
            if is_date(left) && is_interval(right) {
                Some(Expr::BinaryExpr(BinaryExpr::new(
                    as_timestamp(left, None),
                    *op,
                    right.clone(),
                )))
            } else if *op == Operator::Plus && is_interval(left) && is_date(right) {
                Some(Expr::BinaryExpr(BinaryExpr::new(
                    left.clone(),
                    *op,
                    as_timestamp(right, None),
                )))
            } else {
                None
            }
        }
        // Type coercion has cast the date to a timestamp without time zone by now.
        Expr::ScalarFunction(ScalarFunction { func, args })
            if func.name() == "date_trunc" && args.len() == 2 =>
        {
            let date = match &args[1] {
                Expr::Cast(Cast { expr, .. }) if is_date(expr) => expr.as_ref(),
                date if is_date(date) => date,
                _ => return None,
            };
            Some(Expr::ScalarFunction(ScalarFunction::new_udf(
                Arc::clone(func),
                vec![args[0].clone(), *as_timestamp(date, Some("+00:00"))],
            )))
        }
        _ => None,
    }
}

/// `floor(x)`, `ceil(x)`, `ceiling(x)` and `trunc(x)` of a numeric with scale 0, `trunc(x, n)`
/// with scale n (a literal n); DataFusion keeps the argument's scale (`floor(42.8)` is `42.0`).
fn numeric_scale(expr: &Expr, schema: &DFSchema) -> Option<Expr> {
    let Expr::ScalarFunction(ScalarFunction { func, args }) = expr else {
        return None;
    };
    if !matches!(func.name(), "floor" | "ceil" | "ceiling" | "trunc") {
        return None;
    }
    let Ok(DataType::Decimal128(precision, scale)) = args.first()?.get_type(schema) else {
        return None;
    };
    let target_scale: i8 = match args.as_slice() {
        [_] => 0,
        [_, Expr::Literal(places, _)] if func.name() == "trunc" => {
            let places = places.cast_to(&DataType::Int64).ok()?;
            match places {
                ScalarValue::Int64(Some(n)) if (0..=i64::from(scale)).contains(&n) => n as i8,
                _ => return None,
            }
        }
        _ => return None,
    };
    if target_scale == scale {
        return None;
    }
    // One more digit before the point: ceil(9.5) is 10.
    let precision = (precision - (scale - target_scale) as u8 + 1).clamp(1, 38);
    Some(Expr::Cast(Cast::new(
        Box::new(expr.clone()),
        DataType::Decimal128(precision, target_scale),
    )))
}

/// `date_part('second' | 'millisecond' | 'epoch', timestamp)` with the microseconds, as a
/// numeric of scale 6 (3 for milliseconds), of an interval through `interval_part`, and
/// PostgreSQL's decades, centuries, millennia and Julian days; `None` for any other call.
fn extract_fraction(expr: &Expr, schema: &DFSchema) -> Option<Expr> {
    let Expr::ScalarFunction(ScalarFunction { func, args }) = expr else {
        return None;
    };
    let [Expr::Literal(field, _), value] = args.as_slice() else {
        return None;
    };
    if func.name() != "date_part" {
        return None;
    }
    let value_type = value.get_type(schema).ok()?;
    // `extract(epoch FROM ts2 - ts1)`: the difference's microseconds.
    if let DataType::Duration(_) = value_type {
        let is_epoch = matches!(field, ScalarValue::Utf8(Some(f)) | ScalarValue::Utf8View(Some(f)) if f.eq_ignore_ascii_case("epoch"));
        return is_epoch.then(|| {
            Expr::BinaryExpr(BinaryExpr::new(
                Box::new(Expr::Cast(Cast::new(
                    Box::new(Expr::Cast(Cast::new(
                        Box::new(value.clone()),
                        DataType::Duration(TimeUnit::Microsecond),
                    ))),
                    DataType::Int64,
                ))),
                Operator::Multiply,
                Box::new(Expr::Literal(ScalarValue::Decimal128(Some(1), 7, 6), None)),
            ))
        });
    }
    if let DataType::Interval(_) = value_type
        && let ScalarValue::Utf8(Some(f)) | ScalarValue::Utf8View(Some(f)) = field
        && matches!(
            f.to_ascii_lowercase().as_str(),
            "epoch"
                | "second"
                | "seconds"
                | "millisecond"
                | "milliseconds"
                | "microsecond"
                | "microseconds"
        )
    {
        return Some(Expr::ScalarFunction(ScalarFunction::new_udf(
            super::builtins::interval_part(),
            vec![
                Expr::Literal(ScalarValue::Utf8(Some(f.clone())), None),
                value.clone(),
            ],
        )));
    }
    let (is_timestamp, is_date, is_time) = (
        matches!(value_type, DataType::Timestamp(..)),
        matches!(value_type, DataType::Date32 | DataType::Date64),
        matches!(value_type, DataType::Time32(_) | DataType::Time64(_)),
    );
    let field = match field {
        ScalarValue::Utf8(Some(f))
        | ScalarValue::Utf8View(Some(f))
        | ScalarValue::LargeUtf8(Some(f)) => f.to_ascii_lowercase(),
        _ => return None,
    };
    let microseconds = |scale: i8| {
        let unit = ScalarValue::Decimal128(Some(1), 1 + scale as u8, scale);
        move |micros: Expr| {
            Expr::BinaryExpr(BinaryExpr::new(
                Box::new(micros),
                Operator::Multiply,
                Box::new(Expr::Literal(unit, None)),
            ))
        }
    };
    let part = |name: &str| {
        Expr::ScalarFunction(ScalarFunction::new_udf(
            Arc::clone(func),
            vec![
                Expr::Literal(ScalarValue::Utf8(Some(name.to_string())), None),
                value.clone(),
            ],
        ))
    };
    // Years into decades, centuries and millennia as PostgreSQL counts them (the first
    // century began in year 1; before it, counting goes down from -1).
    let years_per = |n: i32| {
        let year = part("year");
        when(
            year.clone().gt(lit(0)),
            (year.clone() + lit(n - 1)) / lit(n),
        )
        .otherwise(-((lit(n - 1) - (year - lit(1))) / lit(n)))
        .ok()
    };
    match field.as_str() {
        "second" | "seconds" if is_timestamp || is_time => {
            Some(microseconds(6)(part("microsecond")))
        }
        "millisecond" | "milliseconds" if is_timestamp || is_time => {
            Some(microseconds(3)(part("microsecond")))
        }
        "epoch" if is_timestamp => {
            let DataType::Timestamp(_, zone) = value_type else {
                return None;
            };
            let micros = Expr::Cast(Cast::new(
                Box::new(Expr::Cast(Cast::new(
                    Box::new(value.clone()),
                    DataType::Timestamp(TimeUnit::Microsecond, zone),
                ))),
                DataType::Int64,
            ));
            Some(microseconds(6)(micros))
        }
        "decade" | "decades" if is_timestamp || is_date => {
            let year = part("year");
            when(year.clone().gt_eq(lit(0)), year.clone() / lit(10))
                .otherwise(-((lit(8) - (year - lit(1))) / lit(10)))
                .ok()
        }
        "century" | "centuries" if is_timestamp || is_date => years_per(100),
        // The Julian day: days since 4714-11-24 BC, of which 1970-01-01 is day 2440588.
        "julian" if is_date => Some(Expr::Cast(Cast::new(
            Box::new(
                Expr::Cast(Cast::new(
                    Box::new(Expr::Cast(Cast::new(
                        Box::new(value.clone()),
                        DataType::Date32,
                    ))),
                    DataType::Int32,
                ))
                .cast_to(&DataType::Int64, schema)
                .ok()?
                    + lit(2_440_588i64),
            ),
            DataType::Decimal128(38, 0),
        ))),
        "millennium" | "millennia" if is_timestamp || is_date => years_per(1000),
        _ => None,
    }
}

/// `real op exact` (or `exact op real`) with the real cast to double precision.
fn real_with_exact(expr: &Expr, schema: &DFSchema) -> Option<Expr> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = expr else {
        return None;
    };
    if !matches!(
        op,
        Operator::Plus | Operator::Minus | Operator::Multiply | Operator::Divide | Operator::Modulo
    ) {
        return None;
    }
    let (left_type, right_type) = (left.get_type(schema).ok()?, right.get_type(schema).ok()?);
    let exact = |t: &DataType| t.is_integer() || matches!(t, DataType::Decimal128(..));
    let double = |e: &Expr| {
        Box::new(Expr::Cast(Cast::new(
            Box::new(e.clone()),
            DataType::Float64,
        )))
    };
    match (&left_type, &right_type) {
        (DataType::Float32, other) if exact(other) => Some(Expr::BinaryExpr(BinaryExpr::new(
            double(left),
            *op,
            right.clone(),
        ))),
        (other, DataType::Float32) if exact(other) => Some(Expr::BinaryExpr(BinaryExpr::new(
            left.clone(),
            *op,
            double(right),
        ))),
        _ => None,
    }
}
