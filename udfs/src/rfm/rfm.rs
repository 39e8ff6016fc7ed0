//! `rfm(source [, as_of])`: the whole per-customer RFM table in one call —
//! `SELECT * FROM rfm('orders')`.
//!
//! `source` is a table name (`'orders'`, `'sales.orders'`) or a query
//! (`'SELECT customer_id, order_ts, amount FROM orders WHERE channel = ''app'''`) giving one row
//! per order with the columns `customer_id`, `order_ts` (date or timestamp) and `amount`. If it
//! has a `status` column, only `'completed'` orders count: refunded and cancelled orders add
//! neither to frequency nor to spend, because their money went back. Orders after the as-of
//! date are left out, so the table is what was known on that day.
//!
//! Per customer with at least one counted order:
//!
//! | column | meaning |
//! |---|---|
//! | `customer_id` BIGINT | |
//! | `last_order_date` DATE | date of the latest counted order |
//! | `recency_days` BIGINT | days from `last_order_date` to the as-of date (0 = bought that day) |
//! | `frequency` BIGINT | number of counted orders (rows, not distinct days) |
//! | `monetary` DECIMAL(38,2) | sum of their amounts, rounded to cents |
//! | `r_score`, `f_score`, `m_score` INT | quintile scores 1–5: [`rfm_score`](crate::rfm::rfm_score) over all customers, ties in `customer_id` order |
//! | `rfm_code` TEXT | the three scores as digits, e.g. `'545'` |
//! | `segment` TEXT | [`rfm_segment`](crate::rfm::rfm_segment)'s default map |
//!
//! `as_of` defaults to [`as_of()`](crate::common::as_of) of the session that runs the query — also
//! when `rfm(...)` sits in a saved view — and may be any constant date expression.
//!
//! The function plans the source lazily, when the query is executed, with the executing
//! session: the source's tables and settings are those of that session, and a view over
//! `rfm(...)` follows the lake as it changes.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, plan_err};
use datafusion::dataframe::DataFrame;
use datafusion::functions::expr_fn::concat;
use datafusion::functions_aggregate::expr_fn::{count, max, sum};
use datafusion::logical_expr::{
    Expr, ExprFunctionExt, ScalarUDF, TableType, WindowUDF, cast, ident, lit,
};
use datafusion::physical_plan::ExecutionPlan;

use crate::common::as_of::AsOf;
use crate::common::source::{session_state, source_query};
use crate::rfm::rfm_score::RfmScore;
use crate::rfm::rfm_segment::RfmSegment;

const NAME: &str = "rfm";
const SYNTAX: &str = "rfm(source [, as_of])";

/// The `rfm` table function; see the module documentation.
#[derive(Debug, Default)]
pub struct RfmFunction;

impl TableFunctionImpl for RfmFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let (source, as_of) = match args.exprs() {
            [source] => (source, None),
            [source, as_of] => (source, Some(as_of)),
            other => {
                return plan_err!(
                    "{NAME} takes 1 or 2 arguments ({SYNTAX}), not {}",
                    other.len()
                );
            }
        };
        let source = source_query(NAME, SYNTAX, source, args.session())?;
        if let Some(as_of) = as_of
            && !as_of.column_refs().is_empty()
        {
            return plan_err!("{NAME}: as_of must be a constant date, not {as_of} ({SYNTAX})");
        }
        Ok(Arc::new(RfmTable {
            source,
            as_of: as_of.cloned(),
            schema: rfm_schema(),
        }))
    }
}

/// The columns of the RFM table (see the module documentation).
fn rfm_schema() -> SchemaRef {
    let column = |name: &str, data_type: DataType| Field::new(name, data_type, true);
    Arc::new(Schema::new(vec![
        column("customer_id", DataType::Int64),
        column("last_order_date", DataType::Date32),
        column("recency_days", DataType::Int64),
        column("frequency", DataType::Int64),
        column("monetary", DataType::Decimal128(38, 2)),
        column("r_score", DataType::Int32),
        column("f_score", DataType::Int32),
        column("m_score", DataType::Int32),
        column("rfm_code", DataType::Utf8),
        column("segment", DataType::Utf8),
    ]))
}

/// The table `rfm(...)` returns: planned when it is scanned.
#[derive(Debug)]
struct RfmTable {
    source: String,
    as_of: Option<Expr>,
    schema: SchemaRef,
}

#[async_trait]
impl TableProvider for RfmTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        session: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let state = session_state(NAME, session)?;
        let source = state.create_logical_plan(&self.source).await?;
        let frame = rfm_frame(DataFrame::new(state.clone(), source), self.as_of.clone())?;
        let frame = match projection {
            Some(columns) => {
                let names: Vec<&str> = columns
                    .iter()
                    .map(|&i| self.schema.field(i).name().as_str())
                    .collect();
                frame.select_columns(&names)?
            }
            None => frame,
        };
        frame.create_physical_plan().await
    }
}

/// The RFM computation over the orders in `orders`.
fn rfm_frame(orders: DataFrame, as_of: Option<Expr>) -> Result<DataFrame> {
    let schema = orders.schema().clone();
    let has = |column: &str| schema.has_column_with_unqualified_name(column);
    let missing: Vec<&str> = ["customer_id", "order_ts", "amount"]
        .into_iter()
        .filter(|column| !has(column))
        .collect();
    if !missing.is_empty() {
        let found: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        return plan_err!(
            "{NAME}: the source needs the columns customer_id, order_ts and amount; \
             missing {}, found {}",
            missing.join(", "),
            found.join(", ")
        );
    }
    let as_of = cast(
        as_of.unwrap_or_else(|| ScalarUDF::from(AsOf::new()).call(vec![])),
        DataType::Date32,
    );
    let order_day = cast(ident("order_ts"), DataType::Date32);
    let mut counted = ident("order_ts")
        .is_not_null()
        .and(order_day.clone().lt_eq(as_of.clone()));
    if has("status") {
        counted = counted.and(ident("status").eq(lit("completed")));
    }

    let score = Arc::new(WindowUDF::from(RfmScore::new()));
    let by_customer = || vec![ident("customer_id").sort(true, false)];
    let quintile = |value: &str, lower_is_better: bool| {
        score
            .call(vec![ident(value), lit(lower_is_better)])
            .order_by(by_customer())
            .build()
    };
    let segment = ScalarUDF::from(RfmSegment::new());

    orders
        .filter(counted)?
        .aggregate(
            vec![cast(ident("customer_id"), DataType::Int64).alias("customer_id")],
            vec![
                max(order_day).alias("last_order_date"),
                count(lit(1)).alias("frequency"),
                sum(ident("amount")).alias("spend"),
            ],
        )?
        .select(vec![
            ident("customer_id"),
            ident("last_order_date"),
            (as_of - ident("last_order_date")).alias("recency_days"),
            ident("frequency"),
            cast(ident("spend"), DataType::Decimal128(38, 2)).alias("monetary"),
        ])?
        .window(vec![
            quintile("recency_days", true)?.alias("r_score"),
            quintile("frequency", false)?.alias("f_score"),
            quintile("monetary", false)?.alias("m_score"),
        ])?
        .select(vec![
            ident("customer_id"),
            ident("last_order_date"),
            cast(ident("recency_days"), DataType::Int64).alias("recency_days"),
            ident("frequency"),
            ident("monetary"),
            ident("r_score"),
            ident("f_score"),
            ident("m_score"),
            concat(vec![
                cast(ident("r_score"), DataType::Utf8),
                cast(ident("f_score"), DataType::Utf8),
                cast(ident("m_score"), DataType::Utf8),
            ])
            .alias("rfm_code"),
            segment
                .call(vec![ident("r_score"), ident("f_score"), ident("m_score")])
                .alias("segment"),
        ])
}
