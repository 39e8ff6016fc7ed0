//! What [`frequent_itemsets`](super::frequent_itemsets) and
//! [`association_rules`](super::association_rules) share before the mining: the basket
//! source, the arguments, and the table they return, whose scan is the mining plan node
//! ([`BasketMiningExec`]).
//!
//! **The source** is a table name or a query whose rows are `(basket_id, item)` pairs: the
//! columns named `basket_id` and `item` if it has both, otherwise its only two columns, in
//! that order. Rows with a NULL basket or item are skipped; an item listed twice in a basket
//! counts once. Items (and basket ids) of integer types stay integers (`BIGINT`); any other
//! type is mined as its text, so the itemsets of a text or date column are `TEXT[]`.
//! The source is planned twice: once when the calling query is planned, to know the item
//! type, and again when it runs, with the executing session's tables and settings (so a
//! saved view over `association_rules(...)` follows the lake as it changes).
//!
//! **Thresholds** are compared with exact counts: `min_support` s keeps the itemsets of at
//! least ⌈s · N⌉ of the N baskets, and a rule with confidence exactly 0.8 passes
//! `min_confidence` 0.8 (see [`Threshold`]).
//!

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::{Column, DFSchema, DataFusionError, Result, ScalarValue, plan_err};
use datafusion::dataframe::DataFrame;
use datafusion::logical_expr::{Expr, TableType, cast};
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties};

use super::algorithms::rules::RuleLimits;
use super::algorithms::threshold::Threshold;
use super::exec::BasketMiningExec;
use crate::common::source::{constant_argument, plan_source_now, session_state, source_query};

/// How basket ids and items are read: integers as `BIGINT`, anything else as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Integer,
    Text,
}

impl KeyKind {
    pub(super) fn of(data_type: &DataType) -> Self {
        if data_type.is_integer() {
            KeyKind::Integer
        } else {
            KeyKind::Text
        }
    }

    /// The type the plan node reads.
    fn input_type(self) -> DataType {
        match self {
            KeyKind::Integer => DataType::Int64,
            KeyKind::Text => DataType::Utf8View,
        }
    }

    /// The type of an item in the results.
    fn output_type(self) -> DataType {
        match self {
            KeyKind::Integer => DataType::Int64,
            KeyKind::Text => DataType::Utf8,
        }
    }

    /// The expression reading `column` as this kind.
    fn read(self, column: Column, from: &DataType) -> Expr {
        let column = Expr::Column(column);
        match (self, from) {
            (KeyKind::Integer, _)
            | (KeyKind::Text, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                cast(column, self.input_type())
            }
            // Dates, decimals, dictionaries …: through their text.
            (KeyKind::Text, _) => cast(cast(column, DataType::Utf8), DataType::Utf8View),
        }
    }

    /// The type of a list of items of this kind.
    fn list_type(self) -> DataType {
        DataType::List(Arc::new(Field::new_list_field(self.output_type(), true)))
    }
}

/// The `source` argument: the query that yields `(basket_id, item)` rows.
#[derive(Debug, Clone)]
pub(crate) struct BasketSource {
    query: String,
    item_kind: KeyKind,
}

impl BasketSource {
    /// Reads the `source` argument and plans it once, to learn the item type.
    pub(crate) fn new(
        function: &'static str,
        syntax: &str,
        source: &Expr,
        session: &dyn Session,
    ) -> Result<Self> {
        let query = source_query(function, syntax, source, session)?;
        let plan = plan_source_now(function, session_state(function, session)?, &query)?;
        let (_, item) = basket_columns(function, plan.schema())?;
        Ok(BasketSource {
            query,
            item_kind: KeyKind::of(plan.schema().field(item).data_type()),
        })
    }

    /// The physical plan reading the source in the executing session: two columns, the
    /// basket (`BIGINT` or text) and the item (as [`Self::item_kind`]).
    async fn plan(&self, function: &str, session: &dyn Session) -> Result<Arc<dyn ExecutionPlan>> {
        let state = session_state(function, session)?;
        let plan = state.create_logical_plan(&self.query).await?;
        let schema = plan.schema().clone();
        let (basket, item) = basket_columns(function, &schema)?;
        let item_type = schema.field(item).data_type();
        if KeyKind::of(item_type) != self.item_kind {
            return plan_err!(
                "{function}: the source's items are {item_type} now, but were {} when the \
                 query was planned; plan the query again",
                if self.item_kind == KeyKind::Integer {
                    "integers"
                } else {
                    "text"
                }
            );
        }
        let basket_type = schema.field(basket).data_type();
        let frame = DataFrame::new(state.clone(), plan).select(vec![
            KeyKind::of(basket_type)
                .read(Column::from(schema.qualified_field(basket)), basket_type)
                .alias("basket_id"),
            self.item_kind
                .read(Column::from(schema.qualified_field(item)), item_type)
                .alias("item"),
        ])?;
        frame.create_physical_plan().await
    }
}

/// The positions of the basket and item columns in a source's schema.
fn basket_columns(function: &str, schema: &DFSchema) -> Result<(usize, usize)> {
    let position = |name: &str| schema.fields().iter().position(|f| f.name() == name);
    if let (Some(basket), Some(item)) = (position("basket_id"), position("item")) {
        return Ok((basket, item));
    }
    if schema.fields().len() == 2 {
        return Ok((0, 1));
    }
    let found: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    plan_err!(
        "{function}: the source must have two columns (basket, item) or columns named \
         basket_id and item; it has {}",
        found.join(", ")
    )
}

/// The value of an optional constant argument: `None` when it is left out or NULL.
fn optional_argument(
    function: &str,
    name: &str,
    argument: Option<&Expr>,
    session: &dyn Session,
) -> Result<Option<ScalarValue>> {
    let Some(argument) = argument else {
        return Ok(None);
    };
    let value = constant_argument(function, name, argument, session)?;
    Ok((!value.is_null()).then_some(value))
}

/// A threshold argument (`min_support`, `min_confidence`, `min_lift`): `None` when it is left
/// out or NULL.
pub(crate) fn threshold_argument(
    function: &str,
    name: &str,
    argument: Option<&Expr>,
    session: &dyn Session,
) -> Result<Option<Threshold>> {
    let Some(value) = optional_argument(function, name, argument, session)? else {
        return Ok(None);
    };
    let read = match &value {
        ScalarValue::Float64(Some(v)) => Threshold::from_f64(*v),
        ScalarValue::Float32(Some(v)) => {
            Threshold::from_f64(v.to_string().parse().unwrap_or(f64::NAN))
        }
        ScalarValue::Int8(_)
        | ScalarValue::Int16(_)
        | ScalarValue::Int32(_)
        | ScalarValue::Int64(_)
        | ScalarValue::UInt8(_)
        | ScalarValue::UInt16(_)
        | ScalarValue::UInt32(_)
        | ScalarValue::UInt64(_)
        | ScalarValue::Decimal128(..)
        | ScalarValue::Decimal256(..) => Threshold::parse(&value.to_string()),
        ScalarValue::Utf8(Some(text))
        | ScalarValue::Utf8View(Some(text))
        | ScalarValue::LargeUtf8(Some(text)) => Threshold::parse(text.trim()),
        other => Err(format!("must be a number, not a {}", other.data_type())),
    };
    read.map(Some)
        .map_err(|e| DataFusionError::Plan(format!("{function}: {name} {e}")))
}

/// A length argument (`max_len`, `max_consequent_len`): a whole number ≥ 1; `None` when it
/// is left out or NULL.
pub(crate) fn length_argument(
    function: &str,
    name: &str,
    argument: Option<&Expr>,
    session: &dyn Session,
) -> Result<Option<usize>> {
    let Some(value) = optional_argument(function, name, argument, session)? else {
        return Ok(None);
    };
    let whole = match value.cast_to(&DataType::Int64) {
        Ok(ScalarValue::Int64(Some(n))) if value.data_type().is_integer() => n,
        _ => return plan_err!("{function}: {name} must be a whole number, not {value}"),
    };
    if whole < 1 {
        return plan_err!("{function}: {name} must be at least 1, not {whole}");
    }
    Ok(Some(usize::try_from(whole).unwrap_or(usize::MAX)))
}

/// What is mined, with the minimum support both kinds share.
#[derive(Debug, Clone)]
pub(crate) struct Mining {
    pub function: &'static str,
    pub min_support: Threshold,
    /// At most this many items in an itemset (a rule's antecedent and consequent together).
    pub max_len: Option<usize>,
    /// `None`: the frequent itemsets; else the rules within these limits.
    pub rules: Option<RuleLimits>,
}

impl Mining {
    /// The columns of the result, for items of `kind`.
    pub(super) fn schema(&self, kind: KeyKind) -> SchemaRef {
        let column = |name: &str, data_type: DataType| Field::new(name, data_type, false);
        let fields = match self.rules {
            None => vec![
                column("itemset", kind.list_type()),
                column("size", DataType::Int64),
                column("count", DataType::Int64),
                column("support", DataType::Float64),
            ],
            Some(_) => vec![
                column("antecedent", kind.list_type()),
                column("consequent", kind.list_type()),
                column("antecedent_support", DataType::Float64),
                column("consequent_support", DataType::Float64),
                column("support", DataType::Float64),
                column("confidence", DataType::Float64),
                column("lift", DataType::Float64),
                column("leverage", DataType::Float64),
                column("conviction", DataType::Float64),
                column("zhangs_metric", DataType::Float64),
                column("count", DataType::Int64),
            ],
        };
        Arc::new(Schema::new(fields))
    }
}

/// The table a mining function returns: its source is planned when it is scanned.
#[derive(Debug)]
pub(crate) struct BasketMiningTable {
    source: BasketSource,
    mining: Mining,
    schema: SchemaRef,
}

impl BasketMiningTable {
    pub(crate) fn new(source: BasketSource, mining: Mining) -> Self {
        let schema = mining.schema(source.item_kind);
        BasketMiningTable {
            source,
            mining,
            schema,
        }
    }
}

#[async_trait]
impl TableProvider for BasketMiningTable {
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
        let mut input = self.source.plan(self.mining.function, session).await?;
        if input.output_partitioning().partition_count() > 1 {
            input = Arc::new(CoalescePartitionsExec::new(input));
        }
        Ok(Arc::new(BasketMiningExec::new(
            input,
            self.mining.clone(),
            self.source.item_kind,
            projection.cloned(),
        )?))
    }
}
