//! The numerics of the probabilistic customer-base models, free of DataFusion: the BG/NBD
//! model of repeat purchases and dropout ([`bgnbd`]), the Gamma-Gamma model of spend per
//! purchase ([`gamma_gamma`]), the special functions they need ([`special`]) and the
//! maximum-likelihood fit they share ([`optimize`]).
//!
//! Both models are fitted on one row per customer. [`Sample`] holds those rows sorted by the
//! customer's number of repeat purchases `x`, with identical rows merged into one with a
//! weight: every term of the likelihoods that depends on `x` alone (log-gamma and digamma
//! values) is then computed once per distinct `x`, and the remaining per-row work is a few
//! logarithms, summed over contiguous chunks on all cores.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod special;

use std::ops::Range;

/// Below this many rows a chunk is not worth a thread of its own.
const ROWS_PER_THREAD: usize = 32_768;

/// One row per customer — a whole-number count `x` and two values `u`, `v` — sorted by `x`,
/// identical rows merged into one with their count as weight.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Each distinct `x` and the rows that have it.
    groups: Vec<(u64, Range<usize>)>,
    u: Vec<f64>,
    v: Vec<f64>,
    weight: Vec<f64>,
}

impl Sample {
    /// The sample of `rows` `(x, u, v)`, in any order.
    pub fn new(mut rows: Vec<(u64, f64, f64)>) -> Self {
        rows.sort_unstable_by(|l, r| {
            l.0.cmp(&r.0)
                .then(l.1.total_cmp(&r.1))
                .then(l.2.total_cmp(&r.2))
        });
        let mut sample = Sample::default();
        for (x, u, v) in rows {
            let last = sample.u.len().checked_sub(1);
            match (sample.groups.last_mut(), last) {
                (Some((gx, range)), Some(i))
                    if *gx == x && sample.u[i] == u && sample.v[i] == v =>
                {
                    debug_assert_eq!(range.end, i + 1);
                    sample.weight[i] += 1.0;
                }
                (Some((gx, range)), _) if *gx == x => {
                    range.end += 1;
                    sample.push(u, v);
                }
                _ => {
                    let start = sample.u.len();
                    sample.groups.push((x, start..start + 1));
                    sample.push(u, v);
                }
            }
        }
        sample
    }

    fn push(&mut self, u: f64, v: f64) {
        self.u.push(u);
        self.v.push(v);
        self.weight.push(1.0);
    }

    /// The distinct values of `x`, in increasing order.
    pub fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        self.groups.iter().map(|(x, _)| *x)
    }

    /// The number of customers (the sum of the weights).
    pub fn customers(&self) -> f64 {
        self.weight.iter().sum()
    }

    /// The number of distinct rows.
    pub fn distinct_rows(&self) -> usize {
        self.u.len()
    }

    /// Σ over rows of `weight · row(group, u, v)`, where `group` indexes [`Sample::counts`];
    /// contiguous chunks of rows are summed on separate threads.
    pub fn sum<const K: usize>(
        &self,
        row: impl Fn(usize, f64, f64) -> [f64; K] + Sync,
    ) -> [f64; K] {
        let rows = self.u.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(rows.div_ceil(ROWS_PER_THREAD))
            .max(1);
        let chunk = rows.div_ceil(threads);
        let sum_range = |range: Range<usize>| {
            let mut total = [0.0; K];
            for (group, (_, rows)) in self.groups.iter().enumerate() {
                let start = rows.start.max(range.start);
                let end = rows.end.min(range.end);
                for i in start..end {
                    let values = row(group, self.u[i], self.v[i]);
                    for (t, value) in total.iter_mut().zip(values) {
                        *t += self.weight[i] * value;
                    }
                }
            }
            total
        };
        if threads == 1 {
            return sum_range(0..rows);
        }
        let partials: Vec<[f64; K]> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = t * chunk..((t + 1) * chunk).min(rows);
                    let sum_range = &sum_range;
                    scope.spawn(move || sum_range(range))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or([f64::NAN; K]))
                .collect()
        });
        let mut total = [0.0; K];
        for partial in partials {
            for (t, value) in total.iter_mut().zip(partial) {
                *t += value;
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::Sample;

    #[test]
    fn identical_rows_merge_and_sums_are_weighted() {
        let sample = Sample::new(vec![
            (2, 1.0, 5.0),
            (0, 0.0, 5.0),
            (2, 1.0, 5.0),
            (0, 0.0, 4.0),
            (2, 3.0, 5.0),
        ]);
        assert_eq!(sample.counts().collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(sample.distinct_rows(), 4);
        assert_eq!(sample.customers(), 5.0);
        let counts: Vec<u64> = sample.counts().collect();
        let [n, xs, us] = sample.sum(|g, u, _| [1.0, counts[g] as f64, u]);
        assert_eq!((n, xs, us), (5.0, 6.0, 5.0));
    }
}
