//! `association_rules(source, min_support, min_confidence [, min_lift, max_len,
//! max_consequent_len])`: "buyers of X also buy Y" — `SELECT * FROM association_rules('SELECT
//! order_id, category FROM order_items', 0.01, 0.3)`.
//!
//! `source` and `min_support` are those of [`frequent_itemsets`](crate::baskets::frequent_itemsets):
//! the rules come from the itemsets in at least ⌈min_support · N⌉ of the N baskets, and a
//! rule's support is that of its antecedent and consequent together. A rule is kept when its
//! confidence is at least `min_confidence` (in [0, 1]) and its lift at least `min_lift`
//! (NULL or left out: any), both compared exactly — a confidence of exactly 4/5 passes 0.8.
//! `max_len` bounds the items of a rule, antecedent and consequent together; a consequent
//! has one item unless `max_consequent_len` allows more (one, as arules and Spark MLlib
//! produce).
//!
//! | column | meaning |
//! |---|---|
//! | `antecedent`, `consequent` BIGINT[] or TEXT[] | the rule's items, each ascending |
//! | `antecedent_support`, `consequent_support`, `support` DOUBLE | shares of the baskets holding them (support: both) |
//! | `confidence` DOUBLE | support / antecedent_support |
//! | `lift` DOUBLE | confidence / consequent_support |
//! | `leverage` DOUBLE | support − antecedent_support · consequent_support |
//! | `conviction` DOUBLE | (1 − consequent_support) / (1 − confidence); `Infinity` when confidence is 1 |
//! | `zhangs_metric` DOUBLE | leverage / max(support · (1 − antecedent_support), antecedent_support · (consequent_support − support)) |
//! | `count` BIGINT | the number of baskets holding antecedent and consequent |
//!
//! The measures are mlxtend's; rules, counts and measures are checked against pyfim (`mode
//! 'o'`) and mlxtend on their reference data.

use std::sync::Arc;

use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, plan_err};

use super::algorithms::rules::RuleLimits;
use super::frequent_itemsets::min_support_argument;
use super::source::{BasketMiningTable, BasketSource, Mining, length_argument, threshold_argument};

const NAME: &str = "association_rules";
const SYNTAX: &str = "association_rules(source, min_support, min_confidence [, min_lift, \
                      max_len, max_consequent_len])";

/// The `association_rules` table function; see the module documentation.
#[derive(Debug, Default)]
pub struct AssociationRulesFunction;

impl TableFunctionImpl for AssociationRulesFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let session = args.session();
        let exprs = args.exprs();
        if !(3..=6).contains(&exprs.len()) {
            return plan_err!(
                "{NAME} takes 3 to 6 arguments ({SYNTAX}), not {}",
                exprs.len()
            );
        }
        let min_support = min_support_argument(NAME, &exprs[1], session)?;
        let min_confidence =
            match threshold_argument(NAME, "min_confidence", exprs.get(2), session)? {
                Some(confidence) if confidence.at_most_one() => confidence,
                Some(confidence) => {
                    return plan_err!("{NAME}: min_confidence must be at most 1, not {confidence}");
                }
                None => return plan_err!("{NAME}: min_confidence must not be NULL"),
            };
        let min_lift = threshold_argument(NAME, "min_lift", exprs.get(3), session)?;
        let max_len = length_argument(NAME, "max_len", exprs.get(4), session)?;
        let max_consequent_len =
            length_argument(NAME, "max_consequent_len", exprs.get(5), session)?.unwrap_or(1);
        let source = BasketSource::new(NAME, SYNTAX, &exprs[0], session)?;
        Ok(Arc::new(BasketMiningTable::new(
            source,
            Mining {
                function: NAME,
                min_support,
                max_len,
                rules: Some(RuleLimits {
                    min_confidence,
                    min_lift,
                    max_consequent_len,
                }),
            },
        )))
    }
}
