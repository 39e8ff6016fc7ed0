//! Customer lifetime value: the BG/NBD model of repeat purchases and dropout, the Gamma-Gamma
//! model of spend per purchase, fitted by aggregates and applied by scalar functions.
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`calibration_summary`] | aggregate | STRUCT: x, t_x, age (T), zbar of a purchase history |
//! | [`bgnbd_fit`] | aggregate | STRUCT: BG/NBD parameters r, alpha, a, b by maximum likelihood |
//! | [`bgnbd_p_alive`] | scalar | DOUBLE: probability the customer is still active |
//! | [`bgnbd_expected_purchases`] | scalar | DOUBLE: expected purchases in the next t |
//! | [`bgnbd_expected_purchases_population`] | scalar | DOUBLE: expected repeat purchases of a new customer |
//! | [`gamma_gamma_fit`] | aggregate | STRUCT: Gamma-Gamma spend parameters p, q, gamma |
//! | [`gamma_gamma_expected_spend`] | scalar | DOUBLE: expected value per future purchase |
//! | [`clv`](mod@clv) | scalar | DOUBLE: discounted expected lifetime value (lifetimes' definition) |
//!
//! [`models`] holds the numerics (likelihoods, the hypergeometric function, the optimiser),
//! with no DataFusion in it. [`fit`] is the aggregate both fits are, and `model_args`
//! reads the `params` struct the prediction functions take.

pub mod bgnbd_expected_purchases;
pub mod bgnbd_expected_purchases_population;
pub mod bgnbd_fit;
pub mod bgnbd_p_alive;
pub mod calibration_summary;
// Each module is named after the function it defines, `clv` too.
#[allow(clippy::module_inception)]
pub mod clv;
pub mod fit;
pub mod gamma_gamma_expected_spend;
pub mod gamma_gamma_fit;
pub(crate) mod model_args;
pub mod models;
