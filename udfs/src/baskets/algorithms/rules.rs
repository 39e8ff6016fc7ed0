//! Association rules from frequent itemsets, and their measures.
//!
//! Every frequent itemset `S` of two or more items gives the rules `A → C` with `C` a
//! non-empty subset of `S` of at most `max_consequent_len` items and `A = S \ C`. The rule's
//! support is that of `S` (pyfim's `mode='o'`, mlxtend, arules), so `A` and `C`, subsets of
//! a frequent itemset, are frequent too and their counts are among the itemsets.
//!
//! The measures are mlxtend's (`association_rules`), with `N` baskets and `n(X)` the number
//! of baskets holding all of `X`:
//!
//! | measure | definition |
//! |---|---|
//! | support | n(A ∪ C) / N |
//! | confidence | n(A ∪ C) / n(A) |
//! | lift | confidence / support(C) |
//! | leverage | support − support(A) · support(C) |
//! | conviction | (1 − support(C)) / (1 − confidence); +∞ when confidence is 1 |
//! | zhangs_metric | leverage / max(support · (1 − support(A)), support(A) · (support(C) − support)); 0 when that is 0 |

use rustc_hash::FxHashMap;

use super::fpgrowth::Itemset;
use super::threshold::Threshold;
use super::{Account, MemoryBudget, OutOfMemory};

/// A rule `antecedent → consequent` with the counts its measures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The antecedent's items, ascending.
    pub antecedent: Vec<u32>,
    /// The consequent's items, ascending.
    pub consequent: Vec<u32>,
    /// Baskets holding both (the rule's support count).
    pub count: u64,
    /// Baskets holding the antecedent.
    pub antecedent_count: u64,
    /// Baskets holding the consequent.
    pub consequent_count: u64,
}

/// A rule's measures (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub antecedent_support: f64,
    pub consequent_support: f64,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
    pub leverage: f64,
    pub conviction: f64,
    pub zhangs_metric: f64,
}

impl Rule {
    /// The measures of the rule among `baskets` baskets.
    pub fn measures(&self, baskets: u64) -> Measures {
        let n = baskets as f64;
        let antecedent_support = self.antecedent_count as f64 / n;
        let consequent_support = self.consequent_count as f64 / n;
        let support = self.count as f64 / n;
        let confidence = self.count as f64 / self.antecedent_count as f64;
        let lift = confidence / consequent_support;
        let leverage = support - antecedent_support * consequent_support;
        let conviction = if self.count == self.antecedent_count {
            f64::INFINITY
        } else {
            (1.0 - consequent_support) / (1.0 - confidence)
        };
        let zhang_denominator = (support * (1.0 - antecedent_support))
            .max(antecedent_support * (consequent_support - support));
        let zhangs_metric = if zhang_denominator == 0.0 {
            0.0
        } else {
            leverage / zhang_denominator
        };
        Measures {
            antecedent_support,
            consequent_support,
            support,
            confidence,
            lift,
            leverage,
            conviction,
            zhangs_metric,
        }
    }

    /// The bytes a rule of `len` items in all holds, its heap part included.
    pub fn bytes(len: usize) -> usize {
        size_of::<Rule>() + len * size_of::<u32>()
    }
}

/// Which rules are kept.
#[derive(Debug, Clone)]
pub struct RuleLimits {
    /// Confidence at least this, compared exactly.
    pub min_confidence: Threshold,
    /// Lift at least this, compared exactly (`None`: any lift).
    pub min_lift: Option<Threshold>,
    /// At most this many items in a consequent (1 as arules and Spark MLlib produce).
    pub max_consequent_len: usize,
}

/// The rules of `itemsets` (every frequent itemset of `baskets` baskets, as
/// [`frequent_itemsets`](super::fpgrowth::frequent_itemsets) returns them) within `limits`,
/// in the order of their itemsets and, within one, of their consequents. `baskets` must be
/// at most `u32::MAX`, so that products of two counts are exact in a `u64`.
///
/// The rules are taken from `budget` as they are found, and stay taken as
/// [`frequent_itemsets`](super::fpgrowth::frequent_itemsets)' itemsets do.
pub fn association_rules(
    itemsets: &[Itemset],
    baskets: u64,
    limits: &RuleLimits,
    budget: &dyn MemoryBudget,
) -> Result<Vec<Rule>, OutOfMemory> {
    assert!(
        baskets <= u64::from(u32::MAX),
        "too many baskets: {baskets}"
    );
    let mut lookup_account = Account::new(budget);
    lookup_account.grow(itemsets.len() * (size_of::<(&[u32], u64)>() + 1))?;
    let counts: FxHashMap<&[u32], u64> = itemsets
        .iter()
        .map(|set| (set.items.as_slice(), set.count))
        .collect();
    let count_of = |items: &[u32]| -> u64 {
        *counts
            .get(items)
            .expect("a subset of a frequent itemset is a frequent itemset")
    };

    let mut account = Account::new(budget);
    let mut rules = Vec::new();
    let mut chosen = Vec::new();
    let (mut antecedent, mut consequent) = (Vec::new(), Vec::new());
    for set in itemsets.iter().filter(|set| set.items.len() >= 2) {
        let n = set.items.len();
        for len in 1..=limits.max_consequent_len.min(n - 1) {
            // Every choice of `len` positions out of `n`, in lexicographic order.
            chosen.clear();
            chosen.extend(0..len);
            loop {
                consequent.clear();
                antecedent.clear();
                let mut next = chosen.iter().peekable();
                for (position, &item) in set.items.iter().enumerate() {
                    if next.peek() == Some(&&position) {
                        next.next();
                        consequent.push(item);
                    } else {
                        antecedent.push(item);
                    }
                }
                let antecedent_count = count_of(&antecedent);
                let consequent_count = count_of(&consequent);
                let confident = limits.min_confidence.admits(set.count, antecedent_count);
                // lift = n(S) · N / (n(A) · n(C)); both products fit (counts ≤ u32::MAX).
                let lifted = limits.min_lift.as_ref().is_none_or(|min_lift| {
                    min_lift.admits(set.count * baskets, antecedent_count * consequent_count)
                });
                if confident && lifted {
                    account.grow(Rule::bytes(n))?;
                    rules.push(Rule {
                        antecedent: antecedent.clone(),
                        consequent: consequent.clone(),
                        count: set.count,
                        antecedent_count,
                        consequent_count,
                    });
                }
                if !next_combination(&mut chosen, n) {
                    break;
                }
            }
        }
    }
    account.keep();
    Ok(rules)
}

/// Steps `chosen` (ascending positions below `n`) to the next combination in lexicographic
/// order; false after the last.
fn next_combination(chosen: &mut [usize], n: usize) -> bool {
    let k = chosen.len();
    let Some(i) = (0..k).rev().find(|&i| chosen[i] < n - k + i) else {
        return false;
    };
    chosen[i] += 1;
    for j in i + 1..k {
        chosen[j] = chosen[j - 1] + 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baskets::algorithms::fpgrowth::frequent_itemsets;
    use crate::baskets::algorithms::{Baskets, Unbounded};

    fn limits(
        min_confidence: &str,
        min_lift: Option<&str>,
        max_consequent_len: usize,
    ) -> RuleLimits {
        RuleLimits {
            min_confidence: Threshold::parse(min_confidence).unwrap(),
            min_lift: min_lift.map(|t| Threshold::parse(t).unwrap()),
            max_consequent_len,
        }
    }

    #[test]
    fn combinations_in_order() {
        let mut chosen = vec![0, 1];
        let mut seen = vec![chosen.clone()];
        while next_combination(&mut chosen, 4) {
            seen.push(chosen.clone());
        }
        assert_eq!(
            seen,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
    }

    /// Five baskets over a (0), b (1), c (2): rules, counts and measures by hand.
    #[test]
    fn a_small_example_by_hand() {
        let baskets: Baskets = [vec![0, 1], vec![0, 1, 2], vec![0, 2], vec![1], vec![0, 1]]
            .into_iter()
            .collect();
        let itemsets = frequent_itemsets(&baskets, 2, None, &Unbounded).unwrap();
        // a:4 b:4 c:2 ab:3 ac:2; bc and abc only once.
        let rules = association_rules(&itemsets, 5, &limits("0", None, 1), &Unbounded).unwrap();
        let listed: Vec<(Vec<u32>, Vec<u32>, u64)> = rules
            .iter()
            .map(|r| (r.antecedent.clone(), r.consequent.clone(), r.count))
            .collect();
        assert_eq!(
            listed,
            vec![
                (vec![1], vec![0], 3),
                (vec![0], vec![1], 3),
                (vec![2], vec![0], 2),
                (vec![0], vec![2], 2),
            ]
        );
        // c → a: confidence 1, so conviction is infinite.
        let c_a = rules[2].measures(5);
        assert_eq!((c_a.support, c_a.confidence), (0.4, 1.0));
        assert_eq!(c_a.lift, 1.0 / 0.8);
        assert!((c_a.leverage - (0.4 - 0.4 * 0.8)).abs() < 1e-15);
        assert_eq!(c_a.conviction, f64::INFINITY);
        // zhang: leverage 0.08 / max(0.4 · 0.6, 0.4 · (0.8 − 0.4)) = 0.08 / 0.24.
        assert!((c_a.zhangs_metric - 0.08 / 0.24).abs() < 1e-15);
        // b → a: confidence 3/4, lift 0.75 / 0.8, conviction 0.2 / 0.25.
        let b_a = rules[0].measures(5);
        assert_eq!(b_a.confidence, 0.75);
        assert!((b_a.lift - 0.9375).abs() < 1e-15);
        assert!((b_a.conviction - 0.8).abs() < 1e-15);
        // leverage 0.6 − 0.64 < 0: zhang = −0.04 / max(0.6 · 0.2, 0.8 · (0.8 − 0.6)).
        assert!((b_a.zhangs_metric - (-0.04 / 0.16)).abs() < 1e-15);

        // Exact thresholds: 3/4 passes 0.75, not 0.7500001; lift 1.25 passes 1.25.
        let kept = |l| {
            association_rules(&itemsets, 5, &l, &Unbounded)
                .unwrap()
                .len()
        };
        assert_eq!(kept(limits("0.75", None, 1)), 3);
        assert_eq!(kept(limits("0.7500001", None, 1)), 1);
        assert_eq!(kept(limits("0", Some("1.25"), 1)), 2);
        assert_eq!(kept(limits("0", Some("1.2500001"), 1)), 0);
    }

    #[test]
    fn larger_consequents_when_asked() {
        let baskets: Baskets = [vec![0, 1, 2], vec![0, 1, 2], vec![0, 1], vec![2]]
            .into_iter()
            .collect();
        let itemsets = frequent_itemsets(&baskets, 2, None, &Unbounded).unwrap();
        let rules = association_rules(&itemsets, 4, &limits("0", None, 2), &Unbounded).unwrap();
        let from_abc: Vec<(Vec<u32>, Vec<u32>)> = rules
            .iter()
            .filter(|r| r.antecedent.len() + r.consequent.len() == 3)
            .map(|r| (r.antecedent.clone(), r.consequent.clone()))
            .collect();
        assert_eq!(
            from_abc,
            vec![
                (vec![1, 2], vec![0]),
                (vec![0, 2], vec![1]),
                (vec![0, 1], vec![2]),
                (vec![2], vec![0, 1]),
                (vec![1], vec![0, 2]),
                (vec![0], vec![1, 2]),
            ]
        );
        let one = association_rules(&itemsets, 4, &limits("0", None, 1), &Unbounded).unwrap();
        assert!(one.iter().all(|r| r.consequent.len() == 1));
        assert_eq!(rules.len(), one.len() + 3);
    }

    /// Measures agree when equal, both infinite, or within 1e-12 of each other relatively
    /// (pyfim's and mlxtend's arithmetic differs from this module's in the last bits).
    fn close(ours: f64, theirs: f64) -> bool {
        ours == theirs || (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1e-300)
    }

    /// The rules of the four reference data sets at seven thresholds, 5,771 rules (72 of
    /// them exactly at their confidence threshold), are pyfim's and mlxtend's: items, counts
    /// and every measure (`udfs/tests/data/baskets/pyfim_rules.py` records them).
    #[test]
    fn matches_pyfim_and_mlxtend() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/baskets/pyfim_rules.csv"
        );
        let text = std::fs::read_to_string(path).unwrap();
        // Per case (file, min_count, min_confidence): the rule lines, keyed by their items.
        type Case = (String, u64, String);
        let mut cases: Vec<(Case, Vec<Vec<String>>)> = Vec::new();
        for line in text.lines().skip(1) {
            let fields: Vec<String> = line.split(',').map(str::to_string).collect();
            assert_eq!(fields.len(), 16, "{line}");
            let case = (
                fields[0].clone(),
                fields[1].parse().unwrap(),
                fields[2].clone(),
            );
            match cases.last_mut() {
                Some((last, rows)) if *last == case => rows.push(fields),
                _ => cases.push((case, vec![fields])),
            }
        }
        assert_eq!(cases.len(), 7);
        for ((file, min_count, min_confidence), expected) in cases {
            let (baskets, names) = crate::baskets::algorithms::read_reference_baskets(&file);
            let n = baskets.len() as u64;
            let itemsets = frequent_itemsets(&baskets, min_count, None, &Unbounded).unwrap();
            let rules =
                association_rules(&itemsets, n, &limits(&min_confidence, None, 1), &Unbounded)
                    .unwrap();
            let mut ours: Vec<(String, String, &Rule)> = rules
                .iter()
                .map(|r| {
                    (
                        crate::baskets::algorithms::reference_listing(&r.antecedent, &names),
                        crate::baskets::algorithms::reference_listing(&r.consequent, &names),
                        r,
                    )
                })
                .collect();
            ours.sort_by(|a, b| {
                (a.0.as_bytes(), a.1.as_bytes()).cmp(&(b.0.as_bytes(), b.1.as_bytes()))
            });
            let case = format!("{file} at {min_count}, confidence {min_confidence}");
            assert_eq!(ours.len(), expected.len(), "{case}");
            for ((antecedent, consequent, rule), row) in ours.iter().zip(&expected) {
                let counts = (rule.count, rule.antecedent_count, rule.consequent_count);
                let listed: (u64, u64, u64) = (
                    row[5].parse().unwrap(),
                    row[6].parse().unwrap(),
                    row[7].parse().unwrap(),
                );
                assert_eq!(
                    (antecedent.as_str(), consequent.as_str(), counts),
                    (row[3].as_str(), row[4].as_str(), listed),
                    "{case}"
                );
                let m = rule.measures(n);
                let values = [
                    m.antecedent_support,
                    m.consequent_support,
                    m.support,
                    m.confidence,
                    m.lift,
                    m.leverage,
                    m.conviction,
                    m.zhangs_metric,
                ];
                for (ours, theirs) in values.iter().zip(&row[8..]) {
                    let theirs: f64 = theirs.parse().unwrap();
                    assert!(
                        close(*ours, theirs),
                        "{case}: {antecedent} -> {consequent}: {ours} vs {theirs} ({values:?} vs {:?})",
                        &row[8..]
                    );
                }
            }
        }
    }
}
