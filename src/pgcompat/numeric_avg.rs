//! `avg` of integers and numerics as PostgreSQL computes it: a numeric, the sum divided by
//! the count and rounded (`numeric_div`), where DataFusion averages integers in double
//! precision (`1.3324482209240573` for PostgreSQL's `1.3324482209240574`) and numerics to
//! their scale plus four, truncated (`round(avg(x), 4)` one unit too low).
//!
//! An analyzer rule, run before type coercion: each such `avg(x)` of an Aggregate becomes
//! `sum(x)` and `count(x)` (with the same DISTINCT and FILTER), and a Projection above the
//! Aggregate divides them under the average's name, so the nodes above see the column they
//! named. `avg(x) OVER (…)` of a Window node likewise becomes `sum(x) OVER (…)` and
//! `count(x) OVER (…)` divided in a Projection above it. Averages of floats and intervals are
//! DataFusion's.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::{AggregateFunction, ScalarFunction, WindowFunction};
use datafusion::logical_expr::{
    Aggregate, AggregateUDF, Expr, ExprSchemable, LogicalPlan, Projection, ScalarUDF, Window,
    WindowFunctionDefinition,
};
use datafusion::optimizer::AnalyzerRule;

#[derive(Debug)]
pub struct NumericAvg {
    sum: Arc<AggregateUDF>,
    count: Arc<AggregateUDF>,
    numeric_div: Arc<ScalarUDF>,
}

impl Default for NumericAvg {
    fn default() -> Self {
        NumericAvg {
            sum: datafusion::functions_aggregate::sum::sum_udaf(),
            count: datafusion::functions_aggregate::count::count_udaf(),
            numeric_div: super::builtins::numeric_div(),
        }
    }
}

impl AnalyzerRule for NumericAvg {
    fn name(&self) -> &str {
        "pg_numeric_avg"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| match node {
            LogicalPlan::Aggregate(aggregate) => self.split_averages(aggregate),
            LogicalPlan::Window(window) => self.split_window_averages(window),
            other => Ok(Transformed::no(other)),
        })
        .map(|t| t.data)
    }
}

/// How one exact average is split: its sum (in its place) and its count (appended).
type Parts = (Expr, Expr);

impl NumericAvg {
    /// `avg(x)` (aliased or not) of an Aggregate when `x` is an integer or a numeric: its sum
    /// and count, with its DISTINCT and FILTER.
    fn aggregate_parts(&self, expr: &Expr, input: &DFSchema) -> Option<Parts> {
        let Expr::AggregateFunction(average) = unaliased(expr) else {
            return None;
        };
        let [argument] = average.params.args.as_slice() else {
            return None;
        };
        if average.func.name() != "avg"
            || !average.params.order_by.is_empty()
            || !is_exact(argument, input)
        {
            return None;
        }
        let part = |function: &Arc<AggregateUDF>| {
            Expr::AggregateFunction(AggregateFunction::new_udf(
                Arc::clone(function),
                average.params.args.clone(),
                average.params.distinct,
                average.params.filter.clone(),
                vec![],
                None,
            ))
        };
        Some((part(&self.sum), part(&self.count)))
    }

    /// `avg(x) OVER (…)` (aliased or not) when `x` is exact: its sum and count over the same
    /// window.
    fn window_parts(&self, expr: &Expr, input: &DFSchema) -> Option<Parts> {
        let Expr::WindowFunction(average) = unaliased(expr) else {
            return None;
        };
        let WindowFunctionDefinition::AggregateUDF(udaf) = &average.fun else {
            return None;
        };
        match average.params.args.as_slice() {
            [argument] if udaf.name() == "avg" && is_exact(argument, input) => {}
            _ => return None,
        }
        let part = |function: &Arc<AggregateUDF>| {
            Expr::WindowFunction(Box::new(WindowFunction {
                fun: WindowFunctionDefinition::AggregateUDF(Arc::clone(function)),
                params: average.params.clone(),
            }))
        };
        Some((part(&self.sum), part(&self.count)))
    }

    fn split_averages(&self, aggregate: Aggregate) -> Result<Transformed<LogicalPlan>> {
        let input = Arc::clone(aggregate.input.schema());
        let Some(split) = split(&aggregate.aggr_expr, |e| self.aggregate_parts(e, &input)) else {
            return Ok(Transformed::no(LogicalPlan::Aggregate(aggregate)));
        };
        let original = Arc::clone(&aggregate.schema);
        let node = Aggregate::try_new(aggregate.input, aggregate.group_expr, split.exprs.clone())?;
        let projection = self.quotients(&original, &node.schema, &split);
        let plan = Projection::try_new(projection, Arc::new(LogicalPlan::Aggregate(node)))?;
        Ok(Transformed::yes(LogicalPlan::Projection(plan)))
    }

    fn split_window_averages(&self, window: Window) -> Result<Transformed<LogicalPlan>> {
        let input = Arc::clone(window.input.schema());
        let Some(split) = split(&window.window_expr, |e| self.window_parts(e, &input)) else {
            return Ok(Transformed::no(LogicalPlan::Window(window)));
        };
        let original = Arc::clone(&window.schema);
        let node = Window::try_new(split.exprs.clone(), window.input)?;
        let projection = self.quotients(&original, &node.schema, &split);
        let plan = Projection::try_new(projection, Arc::new(LogicalPlan::Window(node)))?;
        Ok(Transformed::yes(LogicalPlan::Projection(plan)))
    }

    /// The columns of `original` (the node before the split) from the split node's: each
    /// average the quotient of its sum and count, under its own name. The node's own columns
    /// (groups, or the window's input) come first in both, then one per expression.
    fn quotients(&self, original: &DFSchema, node: &DFSchema, split: &Split) -> Vec<Expr> {
        let leading = original.fields().len() - split.originals;
        let column = |index: usize| {
            let (qualifier, field) = node.qualified_field(index);
            Expr::Column(Column::new(qualifier.cloned(), field.name()))
        };
        (0..original.fields().len())
            .map(|index| {
                let (qualifier, field) = original.qualified_field(index);
                let average = index
                    .checked_sub(leading)
                    .and_then(|k| split.averages.iter().position(|&a| a == k));
                match average {
                    Some(n) => Expr::ScalarFunction(ScalarFunction::new_udf(
                        Arc::clone(&self.numeric_div),
                        vec![column(index), column(leading + split.originals + n)],
                    ))
                    .alias_qualified(qualifier.cloned(), field.name()),
                    None => column(index),
                }
            })
            .collect()
    }
}

/// A node's expressions with each exact average's sum in its place and the counts after all.
struct Split {
    exprs: Vec<Expr>,
    /// The number of expressions before the split.
    originals: usize,
    /// The places of the averages.
    averages: Vec<usize>,
}

/// `exprs` split by `parts`, or `None` if none of them is an exact average.
fn split(exprs: &[Expr], parts: impl Fn(&Expr) -> Option<Parts>) -> Option<Split> {
    let mut out = Vec::with_capacity(exprs.len() + 1);
    let mut counts = Vec::new();
    let mut averages = Vec::new();
    for (k, expr) in exprs.iter().enumerate() {
        match parts(expr) {
            Some((sum, count)) => {
                out.push(sum.alias(format!("__custlake_avg_sum_{k}")));
                counts.push(count.alias(format!("__custlake_avg_count_{k}")));
                averages.push(k);
            }
            None => out.push(expr.clone()),
        }
    }
    if averages.is_empty() {
        return None;
    }
    out.extend(counts);
    Some(Split {
        exprs: out,
        originals: exprs.len(),
        averages,
    })
}

fn unaliased(expr: &Expr) -> &Expr {
    match expr {
        Expr::Alias(alias) => alias.expr.as_ref(),
        other => other,
    }
}

/// Whether `argument` is of an integer or numeric type in `schema`.
fn is_exact(argument: &Expr, schema: &DFSchema) -> bool {
    match argument.get_type(schema) {
        Ok(t) => t.is_integer() || matches!(t, DataType::Decimal128(..)),
        Err(_) => false,
    }
}
