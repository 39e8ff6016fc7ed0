//! What the functions of every domain share: argument coercion and calendar arithmetic
//! (`args`), the session settings ([`options`], with [`as_of`], the function that reads the
//! as-of date), the `source` argument of the table functions (`source`), the accumulators
//! of the aggregates that collect each group's values into a list (`group_lists`), a
//! statement's stop flag ([`interrupt`]), and work run on a thread of its own
//! (`own_thread`).
//!
//! | function | kind | returns |
//! |---|---|---|
//! | [`as_of()`](as_of::AsOf) | scalar | DATE: the session's `custlake.as_of`, else today (UTC) |

pub(crate) mod args;
pub mod as_of;
pub(crate) mod group_lists;
pub mod interrupt;
pub mod options;
pub(crate) mod own_thread;
pub(crate) mod source;

use std::sync::OnceLock;

/// The number of threads a computation may use (the likelihood sums of
/// [`crate::clv::models`], FP-Growth in [`crate::baskets::algorithms`]). Asked once:
/// `available_parallelism` reads the cgroup files on Linux, which cost as much as summing a
/// few thousand rows.
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
