//! RFM: recency, frequency and monetary scores of customers, and the segments they fall in.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`rfm_score`] | window | INT: quintile score 1–5, NTILE semantics |
//! | [`rfm_bucket`] | scalar | INT: score by fixed thresholds |
//! | [`rfm_segment`] | scalar | TEXT: Champions … Lost, or a custom map |
//! | [`rfm`](mod@rfm) | table | the per-customer RFM table: values, scores, segment |

// Each module is named after the function it defines, `rfm` too.
#[allow(clippy::module_inception)]
pub mod rfm;
pub mod rfm_bucket;
pub mod rfm_score;
pub mod rfm_segment;
