//! Loyalty: membership tiers, loyalty points, and the Net Promoter Score of survey answers.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`member_tier`] | scalar | TEXT: normal/silver/gold/diamond |
//! | [`points_balance`] | aggregate | BIGINT: unexpired loyalty points |
//! | [`nps`] | aggregate | DOUBLE: Net Promoter Score of 0–10 answers, −100…100 |

pub mod member_tier;
pub mod nps;
pub mod points_balance;
