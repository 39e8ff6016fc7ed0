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
//! up. What remains per row is an exponential (and, for BG/NBD, a logarithm taken of running
//! products, once every few hundred rows), summed over contiguous chunks on all cores. A fit
//! on many rows starts on a systematic [`Sample::subsample`] ([`optimize`] says why).

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod special;

use std::ops::Range;

use crate::common::cores;

/// A subsample keeps at most every this-many-th row: a fit on a subsample is worth its cost
/// only when its evaluations are much cheaper than those on the whole.
const MIN_SUBSAMPLE_STEP: usize = 10;

/// Below this many rows a chunk is not worth a thread of its own.
const ROWS_PER_THREAD: usize = 8_192;

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

/// A key whose unsigned order is the total order of `f64` ([`f64::total_cmp`]): sorting
/// integers is several times faster than sorting floats through a comparison closure.
fn ordered_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn from_ordered_bits(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// The distinct values of `value(0..n)`, sorted, and the position of each value among them.
fn table(n: usize, value: impl Fn(usize) -> f64) -> (Vec<f64>, Vec<u32>) {
    if let Some(whole) = whole_number_table(n, &value) {
        return whole;
    }
    let mut order: Vec<(u64, u32)> = (0..n)
        .zip(0u32..)
        .map(|(i, position)| (ordered_bits(value(i)), position))
        .collect();
    order.sort_unstable_by_key(|(key, _)| *key);
    let mut distinct: Vec<f64> = Vec::new();
    let mut index = vec![0; n];
    let mut last = None;
    for (key, i) in order {
        if last != Some(key) {
            distinct.push(from_ordered_bits(key));
            last = Some(key);
        }
        index[i as usize] = u32::try_from(distinct.len() - 1).unwrap_or(u32::MAX);
    }
    (distinct, index)
}

/// [`table`] for whole numbers from 0 to a few times their count, the usual case (times in
/// days): one pass marks the values present, positions are a running count, and nothing is
/// sorted. `None` for anything else.
fn whole_number_table(n: usize, value: impl Fn(usize) -> f64) -> Option<(Vec<f64>, Vec<u32>)> {
    let limit = (4 * n).max(1 << 16);
    let mut largest = 0;
    for v in (0..n).map(&value) {
        // Within `limit`, the conversion to an integer is exact for whole numbers, and
        // comparing back tells whether it was one (cheaper than `fract`, a libm call on
        // baseline x86-64).
        if !(v >= 0.0 && v < limit as f64 && (v as usize) as f64 == v) {
            return None;
        }
        largest = largest.max(v as usize);
    }
    let mut position = vec![u32::MAX; largest + 1];
    for v in (0..n).map(&value) {
        position[v as usize] = 0;
    }
    let mut distinct = Vec::new();
    for (v, slot) in position.iter_mut().enumerate() {
        if *slot == 0 {
            *slot = u32::try_from(distinct.len()).ok()?;
            distinct.push(v as f64);
        }
    }
    let index = (0..n).map(|i| position[value(i) as usize]).collect();
    Some((distinct, index))
}

/// The entries of `table` that `index` points at, in their order, with `index` renumbered to
/// point into the result.
fn used_values(table: &[f64], index: &mut [u32]) -> Vec<f64> {
    let mut used = vec![false; table.len()];
    for i in index.iter() {
        used[*i as usize] = true;
    }
    let mut kept = Vec::new();
    let mut renumbered = vec![0u32; table.len()];
    for (old, value) in table.iter().enumerate() {
        if used[old] {
            renumbered[old] = u32::try_from(kept.len()).unwrap_or(u32::MAX);
            kept.push(*value);
        }
    }
    for i in index.iter_mut() {
        *i = renumbered[*i as usize];
    }
    kept
}

/// Sorts `keys`, all below 2^`bits`: a least-significant-digit radix sort, a byte per pass.
/// A sample's keys have about 30 bits, so four linear passes instead of a comparison sort,
/// which took a third of the time of building a sample.
fn radix_sort(keys: Vec<u64>, bits: u32) -> Vec<u64> {
    let mut keys = keys;
    let mut scratch = vec![0; keys.len()];
    for shift in (0..bits).step_by(8) {
        let digit = |key: u64| ((key >> shift) & 0xff) as usize;
        let mut starts = [0usize; 256];
        for key in &keys {
            starts[digit(*key)] += 1;
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            (*start, total) = (total, total + *start);
        }
        for key in &keys {
            let slot = &mut starts[digit(*key)];
            scratch[*slot] = *key;
            *slot += 1;
        }
        std::mem::swap(&mut keys, &mut scratch);
    }
    keys
}

/// The number of repeat purchases `x` as an integer, or the error both models report. A round
/// trip through u64 tells a whole number (cheaper than `trunc`, a libm call on baseline
/// x86-64, and this runs once per customer).
#[inline]
pub fn repeat_purchases(x: f64) -> Result<u64, String> {
    if x >= 0.0 && x < u64::MAX as f64 && (x as u64) as f64 == x {
        Ok(x as u64)
    } else {
        Err(format!(
            "x (repeat purchases) must be a whole number of at least 0, not {x}"
        ))
    }
}

/// Bits needed to write `n`.
fn width(n: u64) -> u32 {
    u64::BITS - n.leading_zeros()
}

impl Sample {
    /// The sample of `rows` `(x, u, v)`, in any order.
    pub fn new(rows: Vec<(u64, f64, f64)>) -> Self {
        // Adding 0 turns −0 into +0, so that the two merge as they compare equal. The two
        // tables are built side by side on large samples.
        let n = rows.len();
        let u_of = |i: usize| rows[i].1 + 0.0;
        let v_of = |i: usize| rows[i].2 + 0.0;
        let ((u_table, u_index), (v_table, v_index)) = if n >= ROWS_PER_THREAD && cores() > 1 {
            std::thread::scope(|scope| {
                let v = scope.spawn(|| table(n, v_of));
                let u = table(n, u_of);
                (u, v.join().unwrap_or_else(|_| table(n, v_of)))
            })
        } else {
            (table(n, u_of), table(n, v_of))
        };
        // The rows as integers (x, position of u, position of v), whose order is that of
        // (x, u, v): one integer sort orders them and brings identical rows together. In 64
        // bits when they fit (they nearly always do: a sort of u64 takes half the time).
        let (u_bits, v_bits) = (width(u_table.len() as u64), width(v_table.len() as u64));
        let largest_x = rows.iter().map(|(x, ..)| *x).max().unwrap_or(0);
        let triples = rows.iter().zip(u_index.iter().zip(&v_index));
        let mut sample = Sample {
            u_table,
            v_table,
            ..Sample::default()
        };
        if width(largest_x) + u_bits + v_bits < 64 {
            let keys: Vec<u64> = triples
                .map(|((x, ..), (u, v))| {
                    x << (u_bits + v_bits) | u64::from(*u) << v_bits | u64::from(*v)
                })
                .collect();
            let keys = radix_sort(keys, width(largest_x) + u_bits + v_bits);
            let mask = |bits: u32| (1u64 << bits) - 1;
            // Truncations that undo the packing.
            sample.push_sorted(keys.into_iter().map(|k| {
                let u = (k >> v_bits) & mask(u_bits);
                ((k >> v_bits) >> u_bits, u as u32, (k & mask(v_bits)) as u32)
            }));
        } else {
            let mut keys: Vec<u128> = triples
                .map(|((x, ..), (u, v))| {
                    u128::from(*x) << 64 | u128::from(*u) << 32 | u128::from(*v)
                })
                .collect();
            keys.sort_unstable();
            sample.push_sorted(
                keys.into_iter()
                    .map(|k| ((k >> 64) as u64, (k >> 32) as u32, k as u32)),
            );
        }
        sample
    }

    /// Appends rows `(x, position of u, position of v)` given in order, merging identical
    /// neighbours into one row with a weight.
    fn push_sorted(&mut self, rows: impl Iterator<Item = (u64, u32, u32)>) {
        let mut last = None;
        for row in rows {
            if last == Some(row) {
                if let Some(weight) = self.weight.last_mut() {
                    *weight += 1.0;
                }
                continue;
            }
            last = Some(row);
            let (x, u, v) = row;
            match self.groups.last_mut() {
                Some((gx, range)) if *gx == x => range.end += 1,
                _ => {
                    let start = self.u.len();
                    self.groups.push((x, start..start + 1));
                }
            }
            self.u.push(self.u_table[u as usize]);
            self.v.push(self.v_table[v as usize]);
            self.u_index.push(u);
            self.v_index.push(v);
            self.weight.push(1.0);
        }
    }

    /// Every k-th row (with its weight), k chosen to keep about `rows` rows; `None` when that
    /// would keep more than a `MIN_SUBSAMPLE_STEP`-th of the rows. The rows are sorted by
    /// x, u and v, so the subsample keeps the shape of the whole. Its tables keep only the
    /// values it uses: each evaluation computes a logarithm per table entry.
    pub fn subsample(&self, rows: usize) -> Option<Sample> {
        let step = self.u.len() / rows.max(1);
        if step < MIN_SUBSAMPLE_STEP {
            return None;
        }
        let mut sample = Sample::default();
        for (x, range) in &self.groups {
            let start = sample.u.len();
            for i in (range.start.next_multiple_of(step)..range.end).step_by(step) {
                sample.u.push(self.u[i]);
                sample.v.push(self.v[i]);
                sample.weight.push(self.weight[i]);
                sample.u_index.push(self.u_index[i]);
                sample.v_index.push(self.v_index[i]);
            }
            if sample.u.len() > start {
                sample.groups.push((*x, start..sample.u.len()));
            }
        }
        sample.u_table = used_values(&self.u_table, &mut sample.u_index);
        sample.v_table = used_values(&self.v_table, &mut sample.v_index);
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
        self.sum_with_logs(|r| (row(r), 1.0)).0
    }

    /// [`Sample::sum`] of the first part of `row(Row)`, and Σ `weight · ln(factor)` of the
    /// second (positive) part, computed as the logarithm of running products: one logarithm
    /// every few hundred rows instead of one per row, which is a third of the cost of a
    /// BG/NBD evaluation.
    pub fn sum_with_logs<const K: usize>(
        &self,
        row: impl Fn(Row) -> ([f64; K], f64) + Sync,
    ) -> ([f64; K], f64) {
        let rows = self.u.len();
        let threads = cores().min(rows.div_ceil(ROWS_PER_THREAD)).max(1);
        let chunk = rows.div_ceil(threads);
        let sum_range = |range: Range<usize>| {
            let mut total = [0.0; K];
            let (mut product, mut logs) = (1.0, 0.0);
            for (group, (_, rows)) in self.groups.iter().enumerate() {
                let start = rows.start.max(range.start);
                let end = rows.end.min(range.end);
                for i in start..end {
                    let (values, factor) = row(Row {
                        group,
                        u: self.u[i],
                        v: self.v[i],
                        u_index: self.u_index[i] as usize,
                        v_index: self.v_index[i] as usize,
                    });
                    let weight = self.weight[i];
                    for (t, value) in total.iter_mut().zip(values) {
                        *t += weight * value;
                    }
                    // A merged row's power could overflow the product: its logarithm
                    // goes straight to the sum.
                    if weight == 1.0 {
                        product *= factor;
                    } else {
                        logs += weight * factor.ln();
                    }
                    // Well inside the range of f64 (and false for NaN, which ln passes on).
                    if !(1e-150..=1e150).contains(&product) {
                        logs += product.ln();
                        product = 1.0;
                    }
                }
            }
            (total, logs + product.ln())
        };
        if threads == 1 {
            return sum_range(0..rows);
        }
        // The first chunk on this thread: spawning a thread costs tens of microseconds, as
        // much as summing a few thousand rows.
        let partials: Vec<([f64; K], f64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads)
                .map(|t| {
                    let range = t * chunk..((t + 1) * chunk).min(rows);
                    let sum_range = &sum_range;
                    scope.spawn(move || sum_range(range))
                })
                .collect();
            let mut partials = vec![sum_range(0..chunk.min(rows))];
            partials.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or(([f64::NAN; K], f64::NAN))),
            );
            partials
        });
        let mut total = ([0.0; K], 0.0);
        for (values, logs) in partials {
            for (t, value) in total.0.iter_mut().zip(values) {
                *t += value;
            }
            total.1 += logs;
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

    /// Fractional and negative values take the sorting path of the tables, a huge x the
    /// 128-bit keys; −0 and +0 are one value.
    #[test]
    fn the_general_paths_order_and_merge_the_same_way() {
        let huge = 1u64 << 60;
        let sample = Sample::new(vec![
            (huge, -1.5, 0.25),
            (0, 2.5, 0.25),
            (huge, -1.5, 0.25),
            (3, 2.5, -0.0),
            (3, 2.5, 0.0),
        ]);
        assert_eq!(sample.counts().collect::<Vec<_>>(), vec![0, 3, huge]);
        assert_eq!(sample.distinct_rows(), 3);
        assert_eq!(sample.u_values(), [-1.5, 2.5]);
        assert_eq!(sample.v_values(), [0.0, 0.25]);
        assert_eq!(sample.weight, [1.0, 2.0, 2.0]);
        assert_eq!(
            (sample.u.as_slice(), sample.v.as_slice()),
            ([2.5, 2.5, -1.5].as_slice(), [0.25, 0.0, 0.25].as_slice())
        );
    }

    /// The logarithm of running products is the sum of logarithms, over enough rows for
    /// several threads and many renormalisations, with weights.
    #[test]
    fn logs_of_products_are_sums_of_logs() {
        let rows: Vec<(u64, f64, f64)> = (0..60_000u32)
            .map(|i| {
                (
                    u64::from(i % 7),
                    f64::from(i % 1_000) / 999.0,
                    f64::from(i % 3),
                )
            })
            .collect();
        let sample = Sample::new(rows);
        assert!(sample.weight.iter().any(|w| *w > 1.0));
        let ([direct], logs) = sample.sum_with_logs(|row| ([(1.0 + row.u).ln()], 1.0 + row.u));
        assert!(direct > 1e4, "{direct}");
        assert!(
            (logs - direct).abs() <= 1e-10 * direct,
            "{logs} against {direct}"
        );
        // A factor of zero makes the sum −∞, as the logarithm would.
        let (_, zero) = sample.sum_with_logs(|row| ([0.0], if row.u == 0.0 { 0.0 } else { 2.0 }));
        assert_eq!(zero, f64::NEG_INFINITY);
    }

    #[test]
    fn radix_sort_sorts() {
        // A multiplicative hash of 0..50,000, kept to 29 bits: no order to start from.
        let keys: Vec<u64> = (0..50_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 35)
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        assert_eq!(super::radix_sort(keys, 29), expected);
    }

    /// A subsample's rows point into tables of their own values, and no value is unused.
    #[test]
    fn subsamples_keep_their_own_tables() {
        let rows: Vec<(u64, f64, f64)> = (0..5_000u32)
            .map(|i| {
                (
                    u64::from(i % 4),
                    f64::from(i % 997) * 0.5,
                    f64::from(i % 13),
                )
            })
            .collect();
        let whole = Sample::new(rows);
        let part = whole.subsample(100).unwrap();
        assert!(part.distinct_rows() <= 110 && part.u_values().len() < whole.u_values().len());
        let [wrong] = part.sum(|row| {
            let u = part.u_values()[row.u_index];
            let v = part.v_values()[row.v_index];
            [f64::from(u8::from(u != row.u || v != row.v))]
        });
        assert_eq!(wrong, 0.0);
        let mut used = vec![false; part.u_values().len()];
        part.u_index.iter().for_each(|i| used[*i as usize] = true);
        assert!(used.into_iter().all(|u| u));
        assert!(whole.subsample(1_000).is_none());
    }
}
