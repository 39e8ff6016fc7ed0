//! `frequent_itemsets(source, min_support [, max_len])`: the itemsets bought together in at
//! least a share of the baskets — `SELECT * FROM frequent_itemsets('SELECT order_id,
//! category FROM order_items', 0.01)`.
//!
//! `source` is a table name or a query yielding `(basket_id, item)` rows (see
//! `baskets::source` for how its columns are found and read).
//! `min_support` is the share of baskets, in (0, 1], an itemset must be in: ⌈min_support ·
//! N⌉ of the N baskets, compared exactly. `max_len` (≥ 1, NULL for no limit) bounds the
//! number of items in an itemset.
//!
//! | column | meaning |
//! |---|---|
//! | `itemset` BIGINT[] or TEXT[] | the items, ascending; single items are itemsets too |
//! | `size` BIGINT | the number of items |
//! | `count` BIGINT | the number of baskets holding every item of the itemset |
//! | `support` DOUBLE | `count` / N |
//!
//! Rows come sorted by `itemset`. Mined by FP-Growth; the itemsets and counts are those of
//! pyfim and mlxtend on their reference data.

use std::sync::Arc;

use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, plan_err};

use super::source::{BasketMiningTable, BasketSource, Mining, length_argument, threshold_argument};

const NAME: &str = "frequent_itemsets";
const SYNTAX: &str = "frequent_itemsets(source, min_support [, max_len])";

/// The `frequent_itemsets` table function; see the module documentation.
#[derive(Debug, Default)]
pub struct FrequentItemsetsFunction;

impl TableFunctionImpl for FrequentItemsetsFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let session = args.session();
        let exprs = args.exprs();
        if !(2..=3).contains(&exprs.len()) {
            return plan_err!(
                "{NAME} takes 2 or 3 arguments ({SYNTAX}), not {}",
                exprs.len()
            );
        }
        let min_support = min_support_argument(NAME, &exprs[1], session)?;
        let max_len = length_argument(NAME, "max_len", exprs.get(2), session)?;
        let source = BasketSource::new(NAME, SYNTAX, &exprs[0], session)?;
        Ok(Arc::new(BasketMiningTable::new(
            source,
            Mining {
                function: NAME,
                min_support,
                max_len,
                rules: None,
            },
        )))
    }
}

/// The `min_support` argument: a share of the baskets in (0, 1].
pub(crate) fn min_support_argument(
    function: &str,
    argument: &datafusion::logical_expr::Expr,
    session: &dyn datafusion::catalog::Session,
) -> Result<super::algorithms::threshold::Threshold> {
    match threshold_argument(function, "min_support", Some(argument), session)? {
        Some(support) if !support.is_zero() && support.at_most_one() => Ok(support),
        Some(support) => plan_err!(
            "{function}: min_support is a share of the baskets, above 0 and at most 1, \
             not {support}"
        ),
        None => plan_err!("{function}: min_support must not be NULL"),
    }
}
