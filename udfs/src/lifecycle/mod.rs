//! Lifecycle: where a customer stands in the relationship, by dates and by value × activity.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`lifecycle_stage`] | scalar | TEXT: prospect/new/growing/mature/at_risk |
//! | [`value_activity_segment`] | scalar | TEXT: high_value_active/potential/sleeping/other |

pub mod lifecycle_stage;
pub mod value_activity_segment;
