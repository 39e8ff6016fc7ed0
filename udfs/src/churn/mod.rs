//! Churn: the operators' rule-based churn scorecard and its bands.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`churn_risk`] | scalar | DOUBLE: the 0–100 churn scorecard |
//! | [`churn_reasons`] | scalar | TEXT[]: the scorecard's signals that fired |
//! | [`churn_level`] | scalar | TEXT: low/medium/high/critical band of a 0–100 score |
//!
//! [`scorecard`] holds what `churn_risk` and `churn_reasons` share: the arguments, the
//! signals and their weights.

pub mod churn_level;
pub mod churn_reasons;
pub mod churn_risk;
pub mod scorecard;
