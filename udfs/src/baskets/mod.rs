//! Baskets: what is bought together — frequent itemsets and association rules, mined from
//! `(basket_id, item)` rows.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`frequent_itemsets`] | table | itemsets bought together, with count and support |
//! | [`association_rules`] | table | rules A → C with mlxtend's measures |
//!
//! [`algorithms`] is the mining itself, free of DataFusion: FP-Growth and association rules,
//! checked against pyfim and mlxtend. `source` reads the functions' source and arguments
//! into the table they return, and [`exec`] is its plan node, which mines within
//! DataFusion's memory pool.

pub mod algorithms;
pub mod association_rules;
pub mod exec;
pub mod frequent_itemsets;
pub(crate) mod source;
