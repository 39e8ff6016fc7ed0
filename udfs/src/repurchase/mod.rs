//! Repurchase: when a customer's next purchase is due, and when to remind them.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`next_purchase_due`] | aggregate | DATE: last purchase + median gap |
//! | [`repurchase_reminder_date`] | scalar | DATE: due − lead time |

pub mod next_purchase_due;
pub mod repurchase_reminder_date;
