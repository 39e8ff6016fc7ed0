//! The plan node that mines, [`BasketMiningExec`], for
//! [`frequent_itemsets`](super::frequent_itemsets) and
//! [`association_rules`](super::association_rules) (their source and arguments are read in
//! `baskets::source`).
//!
//! The node reads its input (one partition: the planner
//! merges the source's), numbers the baskets and items as they stream in, and mines on its
//! own thread with both cores (FP-Growth, [`crate::baskets::algorithms`]). Everything it holds — the
//! (basket, item) pairs, the FP-trees, the itemsets and rules — is reserved in DataFusion's
//! memory pool as it grows; when the pool refuses, the query fails with "resources
//! exhausted" (SQLSTATE 53200) rather than the process being killed. Its parameters are plain
//! values (thresholds as decimals, lengths), so a physical codec can ship it to a Ballista
//! executor like any other node.

use std::fmt;
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{
    ArrayRef, AsArray, Float64Array, Int64Array, ListArray, RecordBatch, StringArray,
};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, SchemaRef};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{DataFusionError, Result, exec_datafusion_err, exec_err, internal_err};
use datafusion::execution::memory_pool::{MemoryConsumer, MemoryReservation};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::{EquivalenceProperties, Partitioning, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, Distribution, ExecutionPlan, ExecutionPlanProperties,
    PlanProperties,
};
use futures::{StreamExt, TryStreamExt};
use rustc_hash::FxHashMap;

use super::algorithms::fpgrowth::{Itemset, frequent_itemsets};
use super::algorithms::rules::{Rule, association_rules};
use super::algorithms::{Baskets, MemoryBudget, OutOfMemory};
use super::source::{KeyKind, Mining};
use crate::common::own_thread;

/// No id: a NULL basket or item.
const NULL_ID: u32 = u32::MAX;

/// The plan node that mines the `(basket_id, item)` rows of its input; see the module
/// documentation.
#[derive(Debug)]
pub struct BasketMiningExec {
    input: Arc<dyn ExecutionPlan>,
    mining: Mining,
    item_kind: KeyKind,
    /// Every column the mining produces.
    full_schema: SchemaRef,
    projection: Option<Vec<usize>>,
    properties: Arc<PlanProperties>,
}

impl BasketMiningExec {
    pub(super) fn new(
        input: Arc<dyn ExecutionPlan>,
        mining: Mining,
        item_kind: KeyKind,
        projection: Option<Vec<usize>>,
    ) -> Result<Self> {
        let full_schema = mining.schema(item_kind);
        let schema = match &projection {
            Some(columns) => Arc::new(full_schema.project(columns)?),
            None => Arc::clone(&full_schema),
        };
        let properties = PlanProperties::new(
            EquivalenceProperties::new(schema),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Final,
            Boundedness::Bounded,
        );
        Ok(BasketMiningExec {
            input,
            mining,
            item_kind,
            full_schema,
            projection,
            properties: Arc::new(properties),
        })
    }
}

impl DisplayAs for BasketMiningExec {
    fn fmt_as(&self, _format: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let mining = &self.mining;
        write!(
            f,
            "BasketMiningExec: {} min_support={}",
            mining.function, mining.min_support
        )?;
        if let Some(max_len) = mining.max_len {
            write!(f, " max_len={max_len}")?;
        }
        if let Some(limits) = &mining.rules {
            write!(f, " min_confidence={}", limits.min_confidence)?;
            if let Some(min_lift) = &limits.min_lift {
                write!(f, " min_lift={min_lift}")?;
            }
            write!(f, " max_consequent_len={}", limits.max_consequent_len)?;
        }
        Ok(())
    }
}

impl ExecutionPlan for BasketMiningExec {
    fn name(&self) -> &str {
        "BasketMiningExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn required_input_distribution(&self) -> Vec<Distribution> {
        vec![Distribution::SinglePartition]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let [input] = <[_; 1]>::try_from(children)
            .map_err(|c| exec_datafusion_err!("BasketMiningExec takes 1 input, not {}", c.len()))?;
        Ok(Arc::new(BasketMiningExec::new(
            input,
            self.mining.clone(),
            self.item_kind,
            self.projection.clone(),
        )?))
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        if partition != 0 {
            return internal_err!("BasketMiningExec has 1 partition, not {}", partition + 1);
        }
        let reservation = Arc::new(
            MemoryConsumer::new(format!("{}: baskets", self.mining.function))
                .register(context.memory_pool()),
        );
        let input = Arc::clone(&self.input);
        let mining = self.mining.clone();
        let full_schema = Arc::clone(&self.full_schema);
        let projection = self.projection.clone();
        let batch_size = context.session_config().batch_size().max(1);
        let mined = futures::stream::once(async move {
            let collected = collect_baskets(&input, context, &mining, &reservation).await?;
            let mined = mine_on_own_thread(collected, mining, reservation).await?;
            let mined = Arc::new(mined);
            let rows = mined.rows();
            let batches = (0..rows).step_by(batch_size).map(move |start| {
                let batch = mined.batch(&full_schema, start..(start + batch_size).min(rows))?;
                match &projection {
                    Some(columns) => Ok(batch.project(columns)?),
                    None => Ok(batch),
                }
            });
            Ok::<_, DataFusionError>(futures::stream::iter(batches))
        })
        .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema(),
            mined,
        )))
    }
}

/// Distinct keys (basket ids or items) numbered from 0 in the order they come.
enum Keys {
    Integer(FxHashMap<i64, u32>),
    Text(FxHashMap<Box<str>, u32>, usize),
}

impl Keys {
    fn new(kind: KeyKind) -> Self {
        match kind {
            KeyKind::Integer => Keys::Integer(FxHashMap::default()),
            KeyKind::Text => Keys::Text(FxHashMap::default(), 0),
        }
    }

    fn len(&self) -> usize {
        match self {
            Keys::Integer(ids) => ids.len(),
            Keys::Text(ids, _) => ids.len(),
        }
    }

    /// The heap bytes held (a hash map entry taken as its key, value and control byte).
    fn bytes(&self) -> usize {
        match self {
            Keys::Integer(ids) => ids.capacity() * (size_of::<(i64, u32)>() + 1),
            Keys::Text(ids, text) => ids.capacity() * (size_of::<(Box<str>, u32)>() + 1) + text,
        }
    }

    /// Appends the number of each value of `column` to `ids` ([`NULL_ID`] for NULL).
    fn number(&mut self, function: &str, column: &ArrayRef, ids: &mut Vec<u32>) -> Result<()> {
        let too_many = || {
            exec_datafusion_err!(
                "{function}: more than {} distinct baskets or items",
                NULL_ID - 1
            )
        };
        match self {
            Keys::Integer(numbers) => {
                for value in column.as_primitive::<Int64Type>().iter() {
                    ids.push(match value {
                        Some(value) => {
                            let next = numbers.len() as u32;
                            let id = *numbers.entry(value).or_insert(next);
                            if id == NULL_ID {
                                return Err(too_many());
                            }
                            id
                        }
                        None => NULL_ID,
                    });
                }
            }
            Keys::Text(numbers, text) => {
                for value in column.as_string_view().iter() {
                    ids.push(match value {
                        Some(value) => match numbers.get(value) {
                            Some(id) => *id,
                            None => {
                                let id = numbers.len() as u32;
                                if id == NULL_ID {
                                    return Err(too_many());
                                }
                                *text += value.len();
                                numbers.insert(Box::from(value), id);
                                id
                            }
                        },
                        None => NULL_ID,
                    });
                }
            }
        }
        Ok(())
    }

    /// The values, in the order of their numbers.
    fn into_values(self) -> ItemValues {
        match self {
            Keys::Integer(numbers) => {
                let mut values = vec![0i64; numbers.len()];
                for (value, id) in numbers {
                    values[id as usize] = value;
                }
                ItemValues::Integer(values)
            }
            Keys::Text(numbers, _) => {
                let mut values = vec![Box::<str>::default(); numbers.len()];
                for (value, id) in numbers {
                    values[id as usize] = value;
                }
                ItemValues::Text(values)
            }
        }
    }
}

/// The items, by id.
enum ItemValues {
    Integer(Vec<i64>),
    Text(Vec<Box<str>>),
}

impl ItemValues {
    /// Renumbers the items in the order of their values (so that an itemset, ascending by
    /// id, lists its items in order), returning the new id of each old one.
    fn sort(&mut self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        match self {
            ItemValues::Integer(values) => order.sort_unstable_by_key(|i| values[*i as usize]),
            ItemValues::Text(values) => {
                order.sort_unstable_by(|a, b| values[*a as usize].cmp(&values[*b as usize]))
            }
        }
        let mut new_id = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_id[*old as usize] = new as u32;
        }
        match self {
            ItemValues::Integer(values) => {
                *values = order.iter().map(|i| values[*i as usize]).collect()
            }
            ItemValues::Text(values) => {
                let mut old: Vec<Box<str>> = std::mem::take(values);
                *values = order
                    .iter()
                    .map(|i| std::mem::take(&mut old[*i as usize]))
                    .collect();
            }
        }
        new_id
    }

    fn len(&self) -> usize {
        match self {
            ItemValues::Integer(values) => values.len(),
            ItemValues::Text(values) => values.len(),
        }
    }

    /// A list array of the item lists `lists`.
    fn list_array<'a>(&self, lists: impl Iterator<Item = &'a [u32]> + Clone) -> Result<ArrayRef> {
        let offsets = OffsetBuffer::from_lengths(lists.clone().map(<[u32]>::len));
        // Collected first: Arrow's builders from iterators need their exact length.
        let ids: Vec<usize> = lists.flatten().map(|id| *id as usize).collect();
        let ids = ids.into_iter();
        let (values, data_type): (ArrayRef, DataType) = match self {
            ItemValues::Integer(values) => (
                Arc::new(Int64Array::from_iter_values(ids.map(|id| values[id]))),
                DataType::Int64,
            ),
            ItemValues::Text(values) => (
                Arc::new(StringArray::from_iter_values(ids.map(|id| &*values[id]))),
                DataType::Utf8,
            ),
        };
        Ok(Arc::new(ListArray::try_new(
            Arc::new(Field::new_list_field(data_type, true)),
            offsets,
            values,
            None,
        )?))
    }
}

/// The baskets of a source, numbered.
struct Collected {
    baskets: Baskets,
    items: ItemValues,
}

/// Reads every row of `input` into [`Baskets`], reserving what it holds.
async fn collect_baskets(
    input: &Arc<dyn ExecutionPlan>,
    context: Arc<TaskContext>,
    mining: &Mining,
    reservation: &MemoryReservation,
) -> Result<Collected> {
    let function = mining.function;
    let out_of_memory = |e: DataFusionError| {
        DataFusionError::ResourcesExhausted(format!(
            "{function}: the baskets do not fit in the memory pool ({e})"
        ))
    };
    let schema = input.schema();
    let basket_kind = KeyKind::of(schema.field(0).data_type());
    let item_kind = KeyKind::of(schema.field(1).data_type());
    let (mut baskets, mut items) = (Keys::new(basket_kind), Keys::new(item_kind));
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let (mut basket_ids, mut item_ids) = (Vec::new(), Vec::new());
    for partition in 0..input.output_partitioning().partition_count() {
        let mut stream = input.execute(partition, Arc::clone(&context))?;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            basket_ids.clear();
            item_ids.clear();
            baskets.number(function, batch.column(0), &mut basket_ids)?;
            items.number(function, batch.column(1), &mut item_ids)?;
            pairs.extend(
                basket_ids
                    .iter()
                    .zip(&item_ids)
                    .filter(|(b, i)| **b != NULL_ID && **i != NULL_ID)
                    .map(|(b, i)| (*b, *i)),
            );
            let held = pairs.capacity() * size_of::<(u32, u32)>() + baskets.bytes() + items.bytes();
            if held > reservation.size() {
                reservation
                    .try_grow(held - reservation.size())
                    .map_err(out_of_memory)?;
            }
        }
    }
    let basket_count = baskets.len();
    drop(baskets);
    let mut values = items.into_values();
    let new_id = values.sort();
    let compressed = Baskets::from_pairs(
        basket_count,
        pairs
            .iter()
            .map(|(basket, item)| (*basket, new_id[*item as usize])),
    );
    drop(pairs);
    // From here on the reservation holds the baskets and the item values.
    let held = compressed.bytes()
        + match &values {
            ItemValues::Integer(v) => v.capacity() * size_of::<i64>(),
            ItemValues::Text(v) => v.iter().map(|s| s.len() + size_of::<Box<str>>()).sum(),
        };
    reservation.try_resize(held).map_err(out_of_memory)?;
    Ok(Collected {
        baskets: compressed,
        items: values,
    })
}

/// The mining's results, ready to be sent in batches; holds their memory reservation.
struct Mined {
    output: Output,
    items: ItemValues,
    baskets: u64,
    _reservation: Arc<MemoryReservation>,
}

enum Output {
    Itemsets(Vec<Itemset>),
    Rules(Vec<Rule>),
}

/// The memory pool as the mining's [`MemoryBudget`], remembering why it refused.
struct PoolBudget<'a> {
    reservation: &'a MemoryReservation,
    refusal: Mutex<Option<DataFusionError>>,
}

impl MemoryBudget for PoolBudget<'_> {
    fn try_grow(&self, bytes: usize) -> bool {
        match self.reservation.try_grow(bytes) {
            Ok(()) => true,
            Err(e) => {
                if let Ok(mut refusal) = self.refusal.lock() {
                    *refusal = Some(e);
                }
                false
            }
        }
    }

    fn shrink(&self, bytes: usize) {
        self.reservation.shrink(bytes.min(self.reservation.size()));
    }
}

impl PoolBudget<'_> {
    fn error(&self, function: &str, e: OutOfMemory) -> DataFusionError {
        let cause = match self.refusal.lock().ok().and_then(|mut r| r.take()) {
            Some(pool) => pool.to_string(),
            None => e.to_string(),
        };
        DataFusionError::ResourcesExhausted(format!(
            "{function}: mining the baskets needs more memory than the memory pool allows \
             ({cause}); raise min_support or set max_len"
        ))
    }
}

/// Mines on a thread of its own (the mining is CPU-bound and starts its own threads; the
/// query's async workers go on serving other queries meanwhile).
async fn mine_on_own_thread(
    collected: Collected,
    mining: Mining,
    reservation: Arc<MemoryReservation>,
) -> Result<Mined> {
    let (done, result) = futures::channel::oneshot::channel();
    let function = mining.function;
    own_thread::spawn(
        function,
        "mining",
        move || mine(collected, &mining, reservation),
        // The query may have been dropped meanwhile; then nobody waits for the result.
        move |mined| drop(done.send(mined)),
    )?;
    result
        .await
        .map_err(|_| exec_datafusion_err!("{function}: the mining thread ended without a result"))?
}

fn mine(
    collected: Collected,
    mining: &Mining,
    reservation: Arc<MemoryReservation>,
) -> Result<Mined> {
    let function = mining.function;
    let Collected { baskets, items } = collected;
    let count = baskets.len() as u64;
    let budget = PoolBudget {
        reservation: &reservation,
        refusal: Mutex::new(None),
    };
    let itemsets = if count == 0 {
        Vec::new()
    } else {
        let min_count = mining.min_support.min_count(count);
        frequent_itemsets(&baskets, min_count, mining.max_len, &budget)
            .map_err(|e| budget.error(function, e))?
    };
    reservation.shrink(baskets.bytes().min(reservation.size()));
    drop(baskets);
    let output = match &mining.rules {
        None => Output::Itemsets(itemsets),
        Some(limits) => {
            let rules = association_rules(&itemsets, count, limits, &budget)
                .map_err(|e| budget.error(function, e))?;
            let itemset_bytes = itemsets.iter().map(|s| Itemset::bytes(s.items.len())).sum();
            budget.shrink(itemset_bytes);
            Output::Rules(rules)
        }
    };
    drop(budget);
    Ok(Mined {
        output,
        items,
        baskets: count,
        _reservation: reservation,
    })
}

impl Mined {
    fn rows(&self) -> usize {
        match &self.output {
            Output::Itemsets(sets) => sets.len(),
            Output::Rules(rules) => rules.len(),
        }
    }

    /// The rows `range` of the results, every column of `schema`.
    fn batch(&self, schema: &SchemaRef, range: std::ops::Range<usize>) -> Result<RecordBatch> {
        let n = self.baskets as f64;
        let columns: Vec<ArrayRef> = match &self.output {
            Output::Itemsets(sets) => {
                let sets = &sets[range];
                vec![
                    self.items
                        .list_array(sets.iter().map(|s| s.items.as_slice()))?,
                    Arc::new(Int64Array::from_iter_values(
                        sets.iter().map(|s| s.items.len() as i64),
                    )),
                    Arc::new(Int64Array::from_iter_values(
                        sets.iter().map(|s| s.count as i64),
                    )),
                    Arc::new(Float64Array::from_iter_values(
                        sets.iter().map(|s| s.count as f64 / n),
                    )),
                ]
            }
            Output::Rules(rules) => {
                let rules = &rules[range];
                let measures: Vec<_> = rules.iter().map(|r| r.measures(self.baskets)).collect();
                let measure =
                    |pick: fn(&crate::baskets::algorithms::rules::Measures) -> f64| -> ArrayRef {
                        Arc::new(Float64Array::from_iter_values(measures.iter().map(pick)))
                    };
                vec![
                    self.items
                        .list_array(rules.iter().map(|r| r.antecedent.as_slice()))?,
                    self.items
                        .list_array(rules.iter().map(|r| r.consequent.as_slice()))?,
                    measure(|m| m.antecedent_support),
                    measure(|m| m.consequent_support),
                    measure(|m| m.support),
                    measure(|m| m.confidence),
                    measure(|m| m.lift),
                    measure(|m| m.leverage),
                    measure(|m| m.conviction),
                    measure(|m| m.zhangs_metric),
                    Arc::new(Int64Array::from_iter_values(
                        rules.iter().map(|r| r.count as i64),
                    )),
                ]
            }
        };
        if columns.len() != schema.fields().len() {
            return exec_err!("BasketMiningExec: {} columns for {}", columns.len(), schema);
        }
        Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
    }
}
