//! Frequent itemsets by FP-Growth (Han, Pei and Yin, 2000).
//!
//! The baskets are compressed into a prefix tree, the FP-tree: each basket's frequent items,
//! most frequent first, form a path from the root, and baskets sharing a prefix share its
//! nodes, whose counts add up. The itemsets that end in an item are then mined from the item's
//! *conditional* tree, built from the paths above the item's nodes, recursively, without ever
//! generating a candidate that no basket contains.
//!
//! Items are numbered by rank, 0 for the most frequent. A conditional tree keeps the ranks of
//! its parent tree: the order of items along a path only has to be the same in every basket,
//! and keeping it spares a re-sort at every level.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashMap;

use super::{Account, Baskets, MemoryBudget, OutOfMemory};

/// No node: the end of a sibling list.
const NONE: u32 = u32::MAX;

/// An itemset and the number of baskets that contain it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Itemset {
    /// The items (the callers' ids), ascending.
    pub items: Vec<u32>,
    pub count: u64,
}

impl Itemset {
    /// The bytes an itemset holds, its heap part included.
    pub fn bytes(len: usize) -> usize {
        size_of::<Itemset>() + len * size_of::<u32>()
    }
}

/// The itemsets contained in at least `min_count` baskets, with at most `max_len` items
/// (`None`: any number), single items included; an item listed twice in a basket counts
/// once. The result is sorted by items.
///
/// The trees and the itemsets are taken from `budget` as they grow; when it refuses, the
/// mining stops with [`OutOfMemory`]. The bytes of the itemsets returned stay taken: the
/// budget's owner gives them back with the itemsets.
pub fn frequent_itemsets(
    baskets: &Baskets,
    min_count: u64,
    max_len: Option<usize>,
    budget: &dyn MemoryBudget,
) -> Result<Vec<Itemset>, OutOfMemory> {
    let min_count = min_count.max(1);
    let max_len = max_len.unwrap_or(usize::MAX);
    if max_len == 0 {
        return Ok(Vec::new());
    }
    // Item counts, one per basket that holds the item.
    let universe = baskets.universe();
    let mut counts = vec![0u64; universe];
    let mut seen = vec![usize::MAX; universe];
    for (b, basket) in baskets.iter().enumerate() {
        for &item in basket {
            if seen[item as usize] != b {
                seen[item as usize] = b;
                counts[item as usize] += 1;
            }
        }
    }
    drop(seen);
    // Frequent items by rank: descending count, ties by id.
    let mut ranked: Vec<u32> = (0..universe as u32)
        .filter(|i| counts[*i as usize] >= min_count)
        .collect();
    ranked.sort_by_key(|i| (std::cmp::Reverse(counts[*i as usize]), *i));
    let mut rank_of = vec![NONE; universe];
    for (rank, item) in ranked.iter().enumerate() {
        rank_of[*item as usize] = rank as u32;
    }
    let mut account = Account::new(budget);
    let mut tree = Tree::new(ranked.len());
    let mut path = Vec::new();
    let mut accounted = tree.bytes();
    account.grow(accounted)?;
    for (b, basket) in baskets.iter().enumerate() {
        path.clear();
        path.extend(
            basket
                .iter()
                .map(|i| rank_of[*i as usize])
                .filter(|r| *r != NONE),
        );
        path.sort_unstable();
        path.dedup();
        tree.insert(&path, 1);
        if b % 4096 == 4095 {
            let bytes = tree.bytes();
            account.grow(bytes - accounted)?;
            accounted = bytes;
        }
    }
    account.grow(tree.bytes() - accounted)?;
    let miner = Miner {
        min_count,
        max_len,
        budget,
        stop: AtomicBool::new(false),
    };
    let mut found = miner.mine_in_parallel(&tree)?;
    drop(tree);
    drop(account);
    for itemset in &mut found {
        for item in itemset.items.iter_mut() {
            *item = ranked[*item as usize];
        }
        itemset.items.sort_unstable();
    }
    found.sort_unstable();
    Ok(found)
}

/// What every step of the mining shares.
struct Miner<'a> {
    min_count: u64,
    max_len: usize,
    budget: &'a dyn MemoryBudget,
    /// Set when a thread ran out of memory, so that the others stop too.
    stop: AtomicBool,
}

impl Miner<'_> {
    /// The top level of [`mine`](Self::mine), its items dealt out to the cores in turn (the
    /// least frequent items have the smallest conditional trees, so dealing in turn balances
    /// the work).
    fn mine_in_parallel(&self, tree: &Tree) -> Result<Vec<Itemset>, OutOfMemory> {
        let threads = crate::common::cores();
        let items = tree.items();
        let share = |ranks: &mut dyn Iterator<Item = usize>| {
            let mut account = Account::new(self.budget);
            let mut found = Vec::new();
            for rank in ranks {
                if self.stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Err(e) = self.mine(
                    tree,
                    rank..rank + 1,
                    &mut Vec::new(),
                    &mut found,
                    &mut account,
                ) {
                    self.stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
            account.keep();
            Ok(found)
        };
        if threads < 2 || tree.nodes() < 10_000 {
            return share(&mut (0..items).rev());
        }
        let shares: Vec<Result<Vec<Itemset>, OutOfMemory>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| scope.spawn(move || share(&mut (t..items).step_by(threads))))
                .collect();
            handles
                .into_iter()
                // A panic in a share is a bug: pass it on rather than lose that share's
                // itemsets.
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut found = Vec::new();
        let mut refused = None;
        for share in shares {
            match share {
                Ok(itemsets) => found.extend(itemsets),
                Err(e) => refused = Some(e),
            }
        }
        match refused {
            // The other shares kept their itemsets' bytes; nobody will hold them now.
            Some(e) => {
                let kept = found.iter().map(|s| Itemset::bytes(s.items.len())).sum();
                self.budget.shrink(kept);
                Err(e)
            }
            None => Ok(found),
        }
    }

    /// Appends to `found` every frequent itemset of `tree` whose least frequent item has a
    /// rank in `ranks`, joined with `suffix` (the items the tree is conditional on).
    fn mine(
        &self,
        tree: &Tree,
        ranks: Range<usize>,
        suffix: &mut Vec<u32>,
        found: &mut Vec<Itemset>,
        account: &mut Account,
    ) -> Result<(), OutOfMemory> {
        let mut base_counts = Vec::new();
        let mut path = Vec::new();
        for rank in ranks.rev() {
            let nodes = &tree.heads[rank];
            let support: u64 = nodes.iter().map(|n| tree.count[*n as usize]).sum();
            if support < self.min_count {
                continue;
            }
            suffix.push(rank as u32);
            account.grow(Itemset::bytes(suffix.len()))?;
            found.push(Itemset {
                items: suffix.clone(),
                count: support,
            });
            if suffix.len() < self.max_len && rank > 0 {
                // The conditional pattern base: the path above each node, weighted by its
                // count. Only more frequent items (lower ranks) lie above.
                base_counts.clear();
                base_counts.resize(rank, 0u64);
                for &node in nodes {
                    let count = tree.count[node as usize];
                    let mut above = tree.parent[node as usize];
                    while above != 0 {
                        base_counts[tree.item[above as usize] as usize] += count;
                        above = tree.parent[above as usize];
                    }
                }
                let mut conditional = Tree::new(rank);
                for &node in nodes {
                    path.clear();
                    let mut above = tree.parent[node as usize];
                    while above != 0 {
                        let item = tree.item[above as usize];
                        if base_counts[item as usize] >= self.min_count {
                            path.push(item);
                        }
                        above = tree.parent[above as usize];
                    }
                    path.reverse();
                    conditional.insert(&path, tree.count[node as usize]);
                }
                if conditional.nodes() > 1 {
                    let bytes = conditional.bytes();
                    account.grow(bytes)?;
                    self.mine(&conditional, 0..rank, suffix, found, account)?;
                    account.shrink(bytes);
                }
            }
            suffix.pop();
        }
        Ok(())
    }
}

/// An FP-tree over items ranked 0..items, in arrays; node 0 is the root.
struct Tree {
    item: Vec<u32>,
    count: Vec<u64>,
    parent: Vec<u32>,
    /// Each node's child for an item. A hash map, because nodes near the root of a store's
    /// baskets have thousands of children, and a list scan there was three quarters of the
    /// time.
    children: FxHashMap<(u32, u32), u32>,
    /// The nodes of each item.
    heads: Vec<Vec<u32>>,
}

impl Tree {
    fn new(items: usize) -> Self {
        Tree {
            item: vec![NONE],
            count: vec![0],
            parent: vec![0],
            children: FxHashMap::default(),
            heads: vec![Vec::new(); items],
        }
    }

    fn items(&self) -> usize {
        self.heads.len()
    }

    fn nodes(&self) -> usize {
        self.item.len()
    }

    /// The heap bytes the tree holds (a hash map entry taken as its key, value and control
    /// byte).
    fn bytes(&self) -> usize {
        self.item.capacity() * (size_of::<u32>() * 2 + size_of::<u64>())
            + self.children.capacity() * (size_of::<((u32, u32), u32)>() + 1)
            + self.heads.len() * size_of::<Vec<u32>>()
            + self.item.len() * size_of::<u32>()
    }

    /// Adds `count` baskets whose frequent items are `path` (ascending ranks).
    fn insert(&mut self, path: &[u32], count: u64) {
        let mut node = 0u32;
        for &item in path {
            let next = self.item.len() as u32;
            let child = *self.children.entry((node, item)).or_insert(next);
            if child == next {
                self.item.push(item);
                self.count.push(count);
                self.parent.push(node);
                self.heads[item as usize].push(child);
            } else {
                self.count[child as usize] += count;
            }
            node = child;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baskets::algorithms::Unbounded;

    /// [`frequent_itemsets`] without a memory limit.
    fn mine(baskets: &[Vec<u32>], min_count: u64, max_len: Option<usize>) -> Vec<Itemset> {
        let baskets: Baskets = baskets.iter().collect();
        frequent_itemsets(&baskets, min_count, max_len, &Unbounded).unwrap()
    }

    /// Every itemset over a small universe, counted by brute force.
    fn brute_force(
        baskets: &[Vec<u32>],
        universe: u32,
        min_count: u64,
        max_len: usize,
    ) -> Vec<Itemset> {
        let masks: Vec<u32> = baskets
            .iter()
            .map(|b| b.iter().fold(0, |m, i| m | 1 << i))
            .collect();
        let mut found = Vec::new();
        for set in 1u32..1 << universe {
            if set.count_ones() as usize > max_len {
                continue;
            }
            let count = masks.iter().filter(|m| *m & set == set).count() as u64;
            if count >= min_count {
                let items = (0..universe).filter(|i| set & 1 << i != 0).collect();
                found.push(Itemset { items, count });
            }
        }
        found.sort_unstable();
        found
    }

    #[test]
    fn agrees_with_brute_force() {
        // A fixed pseudo-random generator: baskets of 1 to 8 items out of 12, some repeated.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let baskets: Vec<Vec<u32>> = (0..300)
            .map(|_| (0..1 + next(8)).map(|_| next(12) as u32).collect())
            .collect();
        for (min_count, max_len) in [(1, 12), (5, 12), (20, 3), (60, 12), (301, 12)] {
            assert_eq!(
                mine(&baskets, min_count, Some(max_len)),
                brute_force(&baskets, 12, min_count, max_len),
                "min_count {min_count}, max_len {max_len}"
            );
        }
        assert!(mine(&baskets, 1, Some(0)).is_empty());
    }

    /// The textbook example (Han et al.): five baskets, minimum support 3.
    #[test]
    fn the_textbook_example() {
        // f=0 c=1 a=2 b=3 m=4 p=5, and items below support.
        let baskets = vec![
            vec![0, 2, 1, 10, 11, 4, 5],
            vec![2, 3, 1, 0, 12, 4, 13],
            vec![3, 0, 14, 15, 13],
            vec![3, 1, 16, 17, 5],
            vec![2, 0, 1, 18, 12, 5, 4, 19],
        ];
        let found = mine(&baskets, 3, None);
        let count = |items: &[u32]| found.iter().find(|s| s.items == items).map(|s| s.count);
        assert_eq!(count(&[0, 1, 2, 4]), Some(3));
        assert_eq!(count(&[1, 5]), Some(3));
        assert_eq!(count(&[3]), Some(3));
        assert_eq!(count(&[0, 5]), None);
        // The 6 single items, the 11 larger subsets of {f, c, a, m}, and {c, p}.
        assert_eq!(found.len(), 6 + 11 + 1);
    }

    /// A budget too small stops the mining with an error and gets all its memory back; a
    /// large enough one keeps the bytes of the itemsets returned.
    #[test]
    fn stops_when_the_budget_refuses() {
        let (baskets, _) = crate::baskets::algorithms::read_reference_baskets("mushroom.dat");
        let small = crate::baskets::algorithms::Limited::new(4 << 20);
        let refused = frequent_itemsets(&baskets, 1000, None, &small);
        assert!(refused.is_err(), "{:?}", refused.map(|f| f.len()));
        assert_eq!(small.in_use(), 0);
        let large = crate::baskets::algorithms::Limited::new(1 << 30);
        let found = frequent_itemsets(&baskets, 1000, None, &large).unwrap();
        let bytes: usize = found.iter().map(|s| Itemset::bytes(s.items.len())).sum();
        assert!(found.len() > 100_000, "{}", found.len());
        assert_eq!(large.in_use(), bytes);
    }

    /// FNV-1a, 64 bits: the hash `pyfim_reference.py` records.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// The frequent itemsets of the four reference data sets at nine thresholds, items and
    /// counts, are pyfim's and mlxtend's (`udfs/tests/data/baskets/pyfim_reference.py` records them; pyfim leaves out
    /// an item that is in every basket, mlxtend and this module do not).
    #[test]
    fn matches_pyfim_and_mlxtend() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/baskets/");
        let reference = std::fs::read_to_string(format!("{dir}pyfim_itemsets.csv")).unwrap();
        let mut checked = 0;
        for line in reference.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let [file, min_count, itemsets, count_sum, hash, _] = fields[..] else {
                panic!("{line}");
            };
            let (baskets, names) = crate::baskets::algorithms::read_reference_baskets(file);
            let found =
                frequent_itemsets(&baskets, min_count.parse().unwrap(), None, &Unbounded).unwrap();
            let mut lines: Vec<String> = found
                .iter()
                .map(|set| {
                    format!(
                        "{}\t{}\n",
                        crate::baskets::algorithms::reference_listing(&set.items, &names),
                        set.count
                    )
                })
                .collect();
            lines.sort_unstable();
            let sum: u64 = found.iter().map(|s| s.count).sum();
            assert_eq!(
                (
                    found.len().to_string(),
                    sum.to_string(),
                    format!("{:016x}", fnv1a(lines.concat().as_bytes()))
                ),
                (
                    itemsets.to_string(),
                    count_sum.to_string(),
                    hash.to_string()
                ),
                "{file} at {min_count}"
            );
            checked += 1;
        }
        assert_eq!(checked, 9);
    }
}
