//! What was planted, for checking analytics against: the per-customer truth, the planted item
//! associations and the parameters (`truth/*`), plus the `custlake.toml` that serves the lake.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::RecordBatch;
use serde::Serialize;

use super::chunk::{CHUNK_CUSTOMERS, ChunkCounts, TruthRows};
use super::model::Model;
use super::params::{ModelParams, SegmentExpectations};
use super::writer::{TABLE_NAMES, timestamp_type};
use super::{GenError, GenOptions};

pub fn truth_customers_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("customer_id", DataType::Int64, false),
        Field::new("customer_type", DataType::Utf8, false),
        Field::new("lambda", DataType::Float64, false),
        Field::new("p", DataType::Float64, false),
        Field::new("purchases", DataType::Int32, false),
        Field::new("first_purchase_ts", timestamp_type(), true),
        Field::new("dropout_ts", timestamp_type(), true),
        Field::new("alive_at_as_of", DataType::Boolean, false),
        Field::new("never_buyer", DataType::Boolean, false),
        Field::new("exposure_days", DataType::Float64, true),
    ]))
}

pub fn truth_customers_batch(rows: &TruthRows) -> Result<RecordBatch, ArrowError> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(rows.customer_id.clone())),
        Arc::new(StringArray::from_iter_values(
            rows.customer_type.iter().copied(),
        )),
        Arc::new(Float64Array::from(rows.lambda.clone())),
        Arc::new(Float64Array::from(rows.p.clone())),
        Arc::new(Int32Array::from(rows.purchases.clone())),
        Arc::new(TimestampMicrosecondArray::from(
            rows.first_purchase_ts.clone(),
        )),
        Arc::new(TimestampMicrosecondArray::from(rows.dropout_ts.clone())),
        Arc::new(BooleanArray::from(rows.alive_at_as_of.clone())),
        Arc::new(BooleanArray::from(rows.never_buyer.clone())),
        Arc::new(Float64Array::from(rows.exposure_days.clone())),
    ];
    RecordBatch::try_new(truth_customers_schema(), columns)
}

/// One row per planted rule; product ids are NULL for category-level rules.
pub fn associations_batch(model: &Model) -> Result<RecordBatch, ArrowError> {
    let catalog = &model.catalog;
    let schema = Arc::new(Schema::new(vec![
        Field::new("antecedent_product_id", DataType::Int64, true),
        Field::new("consequent_product_id", DataType::Int64, true),
        Field::new("antecedent_category", DataType::Utf8, false),
        Field::new("consequent_category", DataType::Utf8, false),
        Field::new("probability", DataType::Float64, false),
    ]));
    let mut antecedent_id = Vec::new();
    let mut consequent_id = Vec::new();
    let mut antecedent_category = Vec::new();
    let mut consequent_category = Vec::new();
    let mut probability = Vec::new();
    for rule in &catalog.product_rules {
        let (a, c) = (
            &catalog.products[rule.antecedent],
            &catalog.products[rule.consequent],
        );
        antecedent_id.push(Some(a.id));
        consequent_id.push(Some(c.id));
        antecedent_category.push(catalog.category_name(a.category));
        consequent_category.push(catalog.category_name(c.category));
        probability.push(rule.probability);
    }
    for rule in &catalog.category_rules {
        antecedent_id.push(None);
        consequent_id.push(None);
        antecedent_category.push(catalog.category_name(rule.antecedent));
        consequent_category.push(catalog.category_name(rule.consequent));
        probability.push(rule.probability);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(antecedent_id)),
        Arc::new(Int64Array::from(consequent_id)),
        Arc::new(StringArray::from(antecedent_category)),
        Arc::new(StringArray::from(consequent_category)),
        Arc::new(Float64Array::from(probability)),
    ];
    RecordBatch::try_new(schema, columns)
}

#[derive(Serialize)]
struct ParamsFile<'a> {
    generator: GeneratorInfo,
    model: &'a ModelParams,
    expected: Expected,
    realized: Realized,
    planted_rules: Vec<PlantedRule>,
}

#[derive(Serialize)]
struct GeneratorInfo {
    customers: u64,
    seed: u64,
    as_of: String,
    /// History covers timestamps strictly before this instant (the end of the `as_of` day).
    history_end_exclusive: String,
    first_signup_date: String,
    chunk_customers: u64,
}

#[derive(Serialize)]
struct Expected {
    b2c: SegmentExpectations,
    b2b: SegmentExpectations,
}

#[derive(Serialize)]
struct Realized {
    customers: u64,
    orders: u64,
    order_items: u64,
    interactions: u64,
    referrals: u64,
    orders_per_customer: f64,
    items_per_order: f64,
    interactions_per_customer: f64,
    alive_share: f64,
    b2b_share: f64,
    never_buyer_share: f64,
}

#[derive(Serialize)]
struct PlantedRule {
    antecedent: String,
    consequent: String,
    level: &'static str,
    probability: f64,
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// The content of `truth/params.toml`.
pub fn params_toml(
    opts: &GenOptions,
    model: &Model,
    counts: &ChunkCounts,
) -> Result<String, GenError> {
    let catalog = &model.catalog;
    let cal = &model.calendar;
    let first_signup = chrono::NaiveDate::from_epoch_days(cal.window_start_day as i32)
        .map_or_else(String::new, |d| d.to_string());
    let end = opts
        .as_of
        .succ_opt()
        .map_or_else(String::new, |d| format!("{d}T00:00:00"));
    let mut planted_rules: Vec<PlantedRule> = catalog
        .product_rules
        .iter()
        .map(|r| PlantedRule {
            antecedent: catalog.products[r.antecedent].name.clone(),
            consequent: catalog.products[r.consequent].name.clone(),
            level: "product",
            probability: r.probability,
        })
        .collect();
    planted_rules.extend(catalog.category_rules.iter().map(|r| PlantedRule {
        antecedent: catalog.category_name(r.antecedent).to_string(),
        consequent: catalog.category_name(r.consequent).to_string(),
        level: "category",
        probability: r.probability,
    }));
    let file = ParamsFile {
        generator: GeneratorInfo {
            customers: opts.customers,
            seed: opts.seed,
            as_of: opts.as_of.to_string(),
            history_end_exclusive: end,
            first_signup_date: first_signup,
            chunk_customers: CHUNK_CUSTOMERS,
        },
        model: &model.params,
        expected: Expected {
            b2c: model.params.b2c.expectations(),
            b2b: model.params.b2b.expectations(),
        },
        realized: Realized {
            customers: counts.customers,
            orders: counts.orders,
            order_items: counts.order_items,
            interactions: counts.interactions,
            referrals: counts.referrals,
            orders_per_customer: ratio(counts.orders, counts.customers),
            items_per_order: ratio(counts.order_items, counts.orders),
            interactions_per_customer: ratio(counts.interactions, counts.customers),
            alive_share: ratio(counts.alive, counts.customers),
            b2b_share: ratio(counts.b2b, counts.customers),
            never_buyer_share: ratio(counts.never_buyers, counts.customers),
        },
        planted_rules,
    };
    let body = toml::to_string(&file)
        .map_err(|e| GenError::Model(format!("cannot serialise params.toml: {e}")))?;
    Ok(format!(
        "# Parameters of the custlake demo-lake model (see src/lakegen/params.rs for their meaning).\n\
         # lambda is in {}.\n\n{body}",
        model.params.rate_unit
    ))
}

/// The content of `custlake.toml`: serves the six tables (not the truth) from the lake.
pub fn config_toml(opts: &GenOptions) -> String {
    let mut text = format!(
        "# Written by `custlake gen --customers {n} --seed {seed} --as-of {as_of}`\n\
         # Demo lake: {n} customers, seed {seed}, history up to the end of {as_of}.\n\
         # Planted truth (not served): truth/customers.parquet, truth/associations.parquet,\n\
         # truth/params.toml. Table locations are relative to this file.\n\
         [server]\n\
         listen = \"127.0.0.1:5433\"\n\
         \n\
         # The history ends with this day: as_of() defaults to it.\n\
         [engine]\n\
         as_of = \"{as_of}\"\n",
        n = opts.customers,
        seed = opts.seed,
        as_of = opts.as_of,
    );
    for table in TABLE_NAMES {
        text.push_str(&format!(
            "\n[[tables]]\nname = \"{table}\"\nlocation = \"{table}\"\n"
        ));
    }
    text
}
