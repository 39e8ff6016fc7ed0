//! The mining of baskets, free of DataFusion: frequent itemsets by FP-Growth ([`fpgrowth`]),
//! association rules and their measures from those itemsets ([`rules`]), and thresholds
//! compared exactly with counts ([`threshold`]).
//!
//! The SQL functions number the items of the baskets they read, hand them over as
//! [`Baskets`], and account for the memory the mining takes through a [`MemoryBudget`] (in
//! the server, DataFusion's memory pool), so that a mining too large for the pool stops with
//! [`OutOfMemory`] instead of being killed.

pub mod fpgrowth;
pub mod rules;
pub mod threshold;

use std::fmt;

/// Baskets of items numbered densely from 0, stored one after another (compressed rows): a
/// basket is a slice of `items`, and millions of baskets take no allocation each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baskets {
    /// Where each basket starts in `items`, and one more entry for the end of the last.
    starts: Vec<usize>,
    items: Vec<u32>,
}

impl Baskets {
    /// The baskets of `pairs` `(basket, item)`, baskets numbered densely below `baskets`, in
    /// any order. An item listed twice for a basket is kept twice; the mining counts it once.
    pub fn from_pairs(baskets: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> Self {
        // A counting sort by basket: count, turn the counts into starts, place.
        let mut starts = vec![0usize; baskets + 1];
        for (basket, _) in pairs.clone() {
            starts[basket as usize + 1] += 1;
        }
        for b in 0..baskets {
            starts[b + 1] += starts[b];
        }
        let mut items = vec![0u32; starts[baskets]];
        let mut next = starts.clone();
        for (basket, item) in pairs {
            let at = &mut next[basket as usize];
            items[*at] = item;
            *at += 1;
        }
        Baskets { starts, items }
    }

    /// The number of baskets.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The baskets, each as the slice of its items.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.starts.windows(2).map(|w| &self.items[w[0]..w[1]])
    }

    /// One more than the largest item id (0 without items).
    pub fn universe(&self) -> usize {
        self.items.iter().max().map_or(0, |i| *i as usize + 1)
    }

    /// The heap bytes the baskets hold.
    pub fn bytes(&self) -> usize {
        self.starts.capacity() * size_of::<usize>() + self.items.capacity() * size_of::<u32>()
    }
}

impl<B: AsRef<[u32]>> FromIterator<B> for Baskets {
    fn from_iter<I: IntoIterator<Item = B>>(baskets: I) -> Self {
        let mut starts = vec![0];
        let mut items = Vec::new();
        for basket in baskets {
            items.extend_from_slice(basket.as_ref());
            starts.push(items.len());
        }
        Baskets { starts, items }
    }
}

/// Where the mining asks for the memory it is about to hold: its trees, itemsets and rules.
/// Shared by the mining threads.
pub trait MemoryBudget: Sync {
    /// Takes `bytes` more; false if they are not available (the mining then stops).
    fn try_grow(&self, bytes: usize) -> bool;
    /// Gives back `bytes` taken earlier.
    fn shrink(&self, bytes: usize);
}

/// No limit: for callers that bound memory otherwise (and tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct Unbounded;

impl MemoryBudget for Unbounded {
    fn try_grow(&self, _bytes: usize) -> bool {
        true
    }
    fn shrink(&self, _bytes: usize) {}
}

/// The mining stopped because its [`MemoryBudget`] refused more memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory {
    /// The bytes asked for when the budget refused.
    pub requested: usize,
}

impl fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the memory budget refused {} more bytes", self.requested)
    }
}

impl std::error::Error for OutOfMemory {}

/// Memory taken from a [`MemoryBudget`] in steps of at least `STEP` bytes, so that the
/// budget (a lock in the server) is asked rarely; everything taken is given back on drop.
pub(crate) struct Account<'a> {
    budget: &'a dyn MemoryBudget,
    /// Bytes in use.
    used: usize,
    /// Bytes taken from the budget (at least `used`).
    taken: usize,
}

impl<'a> Account<'a> {
    const STEP: usize = 1 << 20;

    pub(crate) fn new(budget: &'a dyn MemoryBudget) -> Self {
        Account {
            budget,
            used: 0,
            taken: 0,
        }
    }

    /// Records `bytes` more in use, asking the budget when they exceed what was taken.
    pub(crate) fn grow(&mut self, bytes: usize) -> Result<(), OutOfMemory> {
        self.used += bytes;
        if self.used > self.taken {
            let step = (self.used - self.taken).max(Self::STEP);
            if !self.budget.try_grow(step) {
                self.used -= bytes;
                return Err(OutOfMemory { requested: step });
            }
            self.taken += step;
        }
        Ok(())
    }

    /// Records `bytes` no longer in use (kept taken for the next [`grow`](Self::grow)).
    pub(crate) fn shrink(&mut self, bytes: usize) {
        self.used -= bytes.min(self.used);
    }

    /// Ends the account but leaves the bytes in use taken from the budget: they belong to
    /// what the mining returns, and the budget's owner gives them back with it.
    pub(crate) fn keep(mut self) {
        self.budget.shrink(self.taken - self.used);
        self.taken = 0;
    }
}

impl Drop for Account<'_> {
    fn drop(&mut self) {
        self.budget.shrink(self.taken);
    }
}

/// A reference data set of `udfs/tests/data/baskets/`, its items numbered in order of first
/// appearance, with their names. `.csv` files are split on commas only (two item names of
/// groceries.csv end in a space), `.dat` files on spaces.
#[cfg(test)]
pub(crate) fn read_reference_baskets(file: &str) -> (Baskets, Vec<String>) {
    use std::io::Read;
    let path = format!("{}/tests/data/baskets/{file}", env!("CARGO_MANIFEST_DIR"));
    // The two large files are kept as `<file>.gz`.
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => {
            let gz = format!("{path}.gz");
            let file = std::fs::File::open(&gz).unwrap_or_else(|e| panic!("{gz}: {e}"));
            let mut text = String::new();
            flate2::read::GzDecoder::new(file)
                .read_to_string(&mut text)
                .unwrap_or_else(|e| panic!("{gz}: {e}"));
            text
        }
    };
    let separator = if file.ends_with(".csv") { ',' } else { ' ' };
    let mut names: Vec<String> = Vec::new();
    let mut ids = std::collections::HashMap::new();
    let baskets = text
        .split('\n')
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split(separator)
                .filter(|item| !item.is_empty())
                .map(|item| {
                    *ids.entry(item.to_string()).or_insert_with(|| {
                        names.push(item.to_string());
                        names.len() as u32 - 1
                    })
                })
                .collect::<Vec<u32>>()
        })
        .collect();
    (baskets, names)
}

/// The names of `items`, in byte order, joined by spaces: how the reference scripts list an
/// itemset.
#[cfg(test)]
pub(crate) fn reference_listing(items: &[u32], names: &[String]) -> String {
    let mut named: Vec<&str> = items.iter().map(|i| names[*i as usize].as_str()).collect();
    named.sort_unstable();
    named.join(" ")
}

/// A budget of `limit` bytes, for tests.
#[cfg(test)]
pub(crate) struct Limited {
    pub in_use: std::sync::Mutex<usize>,
    pub limit: usize,
}

#[cfg(test)]
impl Limited {
    pub fn new(limit: usize) -> Self {
        Limited {
            in_use: std::sync::Mutex::new(0),
            limit,
        }
    }
    pub fn in_use(&self) -> usize {
        *self.in_use.lock().unwrap()
    }
}

#[cfg(test)]
impl MemoryBudget for Limited {
    fn try_grow(&self, bytes: usize) -> bool {
        let mut in_use = self.in_use.lock().unwrap();
        if *in_use + bytes > self.limit {
            return false;
        }
        *in_use += bytes;
        true
    }
    fn shrink(&self, bytes: usize) {
        *self.in_use.lock().unwrap() -= bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baskets_from_pairs_in_any_order() {
        let pairs = [(2u32, 7u32), (0, 1), (2, 3), (0, 4), (2, 7)];
        let baskets = Baskets::from_pairs(4, pairs.iter().copied());
        let listed: Vec<&[u32]> = baskets.iter().collect();
        assert_eq!(listed, vec![&[1, 4][..], &[], &[7, 3, 7], &[]]);
        assert_eq!(baskets.len(), 4);
        assert_eq!(baskets.universe(), 8);
        let same: Baskets = [vec![1, 4], vec![], vec![7, 3, 7], vec![]]
            .into_iter()
            .collect();
        assert_eq!(same, baskets);
    }

    #[test]
    fn an_account_asks_in_steps_and_gives_everything_back() {
        let budget = Limited::new(3 << 20);
        {
            let mut account = Account::new(&budget);
            account.grow(10).unwrap();
            assert_eq!(budget.in_use(), 1 << 20);
            account.grow((1 << 20) - 10).unwrap();
            assert_eq!(budget.in_use(), 1 << 20);
            account.grow(1).unwrap();
            assert_eq!(budget.in_use(), 2 << 20);
            assert_eq!(
                account.grow(2 << 20),
                Err(OutOfMemory {
                    requested: (1 << 20) + 1
                })
            );
            account.shrink(1 << 20);
            account.grow(1 << 20).unwrap();
            assert_eq!(budget.in_use(), 2 << 20);
        }
        assert_eq!(budget.in_use(), 0);
        let mut account = Account::new(&budget);
        account.grow(100).unwrap();
        account.grow(1 << 20).unwrap();
        account.shrink(100);
        account.keep();
        assert_eq!(budget.in_use(), 1 << 20);
    }
}
