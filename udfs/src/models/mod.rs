//! The numerics of the probabilistic customer-base models, free of DataFusion: the BG/NBD
//! model of repeat purchases and dropout ([`bgnbd`]), the Gamma-Gamma model of spend per
//! purchase ([`gamma_gamma`]), the special functions they need ([`special`]) and the
//! maximum-likelihood fit they share ([`optimize`]).
//!
//! Both models are fitted on one row per customer. [`Sample`] holds those rows sorted by the
//! customer's number of repeat purchases `x`, with identical rows merged into one with a
//! weight: every term of the likelihoods that depends on `x` alone (log-gamma and digamma
//! values) is then computed once per distinct `x`. Times (t_x and T) take few distinct values
//! — whole days, or weeks to two decimals — so each row also points into tables of the
//! distinct values, and a term such as ln(α + T) is computed once per distinct T and looked
//! up. What remains per row is an exponential and a logarithm, summed over contiguous chunks
//! on all cores.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod special;

use std::ops::Range;

/// A fit on more distinct rows first fits a systematic subsample of about this many and
/// starts from its optimum: the subsample's iterations are cheap, and from there the full fit
/// needs few.
pub const WARM_START_ROWS: usize = 20_000;

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
    /// The distinct values of `u` (sorted), and each row's position in it.
    u_table: Vec<f64>,
    u_index: Vec<u32>,
    /// The same for `v`.
    v_table: Vec<f64>,
    v_index: Vec<u32>,
}

/// One row of a [`Sample`], as [`Sample::sum`] hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The position of the row's `x` in [`Sample::counts`].
    pub group: usize,
    pub u: f64,
    pub v: f64,
    /// The position of `u` in [`Sample::u_values`].
    pub u_index: usize,
    /// The position of `v` in [`Sample::v_values`].
    pub v_index: usize,
}

/// The distinct values of `values`, sorted, and the position of each value among them.
fn table(values: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let mut distinct = values.to_vec();
    distinct.sort_unstable_by(f64::total_cmp);
    distinct.dedup();
    let index = values
        .iter()
        .map(|v| {
            let position = distinct.partition_point(|d| d.total_cmp(v).is_lt());
            u32::try_from(position).unwrap_or(u32::MAX)
        })
        .collect();
    (distinct, index)
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
        (sample.u_table, sample.u_index) = table(&sample.u);
        (sample.v_table, sample.v_index) = table(&sample.v);
        sample
    }

    /// Every k-th row (with its weight), k chosen to keep about `rows` rows; `None` when the
    /// sample is not more than twice that size. The rows are sorted by x, t_x and T, so the
    /// subsample keeps the shape of the whole.
    pub fn subsample(&self, rows: usize) -> Option<Sample> {
        let step = self.u.len() / rows.max(1);
        if step < 2 {
            return None;
        }
        let mut kept = Vec::with_capacity(self.u.len() / step + 1);
        for (x, range) in &self.groups {
            for i in range.clone().filter(|i| i % step == 0) {
                kept.push((*x, self.u[i], self.v[i], self.weight[i]));
            }
        }
        let mut sample = Sample::new(kept.iter().map(|&(x, u, v, _)| (x, u, v)).collect());
        // Rows were distinct, so they stay one to one, in the same order.
        sample.weight = kept.iter().map(|&(.., w)| w).collect();
        Some(sample)
    }

    /// The distinct values of `u`, sorted ([`Row::u_index`] points into it).
    pub fn u_values(&self) -> &[f64] {
        &self.u_table
    }

    /// The distinct values of `v`, sorted ([`Row::v_index`] points into it).
    pub fn v_values(&self) -> &[f64] {
        &self.v_table
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

    /// Σ over rows of `weight · row(Row)`; contiguous chunks of rows are summed on separate
    /// threads.
    pub fn sum<const K: usize>(&self, row: impl Fn(Row) -> [f64; K] + Sync) -> [f64; K] {
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
                    let values = row(Row {
                        group,
                        u: self.u[i],
                        v: self.v[i],
                        u_index: self.u_index[i] as usize,
                        v_index: self.v_index[i] as usize,
                    });
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
        let [n, xs, us] = sample.sum(|row| [1.0, counts[row.group] as f64, row.u]);
        assert_eq!((n, xs, us), (5.0, 6.0, 5.0));
        // The tables hold the distinct values, and each row points at its own.
        assert_eq!(sample.u_values(), [0.0, 1.0, 3.0]);
        assert_eq!(sample.v_values(), [4.0, 5.0]);
        let [mismatches] = sample.sum(|row| {
            let u = sample.u_values()[row.u_index];
            let v = sample.v_values()[row.v_index];
            [f64::from(u8::from(u != row.u || v != row.v))]
        });
        assert_eq!(mismatches, 0.0);
    }
}
