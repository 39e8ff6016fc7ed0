//! Deterministic random streams and small sampling helpers.
//!
//! One ChaCha8 key is derived from the seed; every (entity, purpose) pair gets its own ChaCha
//! stream. A customer's data therefore depends only on the seed and the customer id — not on
//! chunking or thread scheduling — and any customer's latent life can be recomputed on demand
//! (which is how referrers are chosen across chunk boundaries).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// What a random stream is used for. Separate streams keep the parts of the model independent:
/// e.g. changing the basket model does not change who drops out when.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// Customer type, lambda, p, purchase and dropout times.
    Latent = 0,
    /// Demographics, channels, preferences.
    Profile = 1,
    /// Order channels, times of day, statuses, baskets, discounts.
    Orders = 2,
    /// Campaigns, service, care, visits, surveys.
    Interactions = 3,
    /// Choice of referrer and invitation time.
    Referral = 4,
    /// Global: product catalogue (entity 0).
    Catalog = 5,
    /// Global: campaign calendar (entity 0).
    Calendar = 6,
}

const PURPOSE_SLOTS: u64 = 8;

/// Factory of deterministic random streams for one seed.
#[derive(Debug, Clone)]
pub struct Streams {
    base: ChaCha8Rng,
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        Self {
            base: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The stream for `purpose` of `entity` (a customer id ≥ 1, or 0 for global draws).
    pub fn stream(&self, entity: u64, purpose: Purpose) -> ChaCha8Rng {
        // Cloning an unused generator and switching its nonce is cheap (no key schedule).
        let mut rng = self.base.clone();
        rng.set_stream(
            entity
                .wrapping_mul(PURPOSE_SLOTS)
                .wrapping_add(purpose as u64),
        );
        rng
    }
}

/// Exponential draw with the given mean.
pub fn exponential<R: Rng>(rng: &mut R, mean: f64) -> f64 {
    let u: f64 = rng.random();
    -mean * (1.0 - u).ln()
}

/// Standard normal draw.
pub fn standard_normal<R: Rng>(rng: &mut R) -> f64 {
    rng.sample(StandardNormal)
}

/// Number of failures before the first success of Bernoulli(q) trials, for skipping over
/// rarely-selected events in one draw.
pub fn geometric_failures<R: Rng>(rng: &mut R, q: f64) -> u64 {
    if q >= 1.0 {
        return 0;
    }
    let u: f64 = rng.random();
    let skips = ((1.0 - u).ln() / (1.0 - q).ln()).floor();
    if skips.is_finite() && skips < 1e15 {
        skips as u64
    } else {
        u64::MAX / 4
    }
}

/// Index drawn proportionally to `weights` (which need not be normalised).
pub fn pick_weighted<R: Rng>(rng: &mut R, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.len().saturating_sub(1)
}

/// Precomputed cumulative distribution for repeated draws from a fixed discrete distribution.
#[derive(Debug, Clone)]
pub struct Cumulative {
    cdf: Vec<f64>,
}

impl Cumulative {
    pub fn new(weights: &[f64]) -> Self {
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let cdf = weights
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        Self { cdf }
    }

    pub fn sample<R: Rng>(&self, rng: &mut R) -> usize {
        let u: f64 = rng.random();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_deterministic_and_distinct() {
        let streams = Streams::new(7);
        let a: u64 = streams.stream(3, Purpose::Latent).random();
        let b: u64 = streams.stream(3, Purpose::Latent).random();
        let c: u64 = streams.stream(3, Purpose::Profile).random();
        let d: u64 = streams.stream(4, Purpose::Latent).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn cumulative_respects_weights() {
        let mut rng = Streams::new(1).stream(0, Purpose::Catalog);
        let dist = Cumulative::new(&[1.0, 0.0, 3.0]);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[dist.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let share = f64::from(counts[2]) / 40_000.0;
        assert!((share - 0.75).abs() < 0.02, "{share}");
    }
}
