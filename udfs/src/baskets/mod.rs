//! The mining of baskets, free of DataFusion: frequent itemsets by FP-Growth ([`fpgrowth`]).
//! The SQL functions number the items of the baskets they read and hand them over as lists
//! of ids.

pub mod fpgrowth;
