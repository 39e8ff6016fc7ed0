//! CPU-bound work inside one call — a model fit, a basket mining — run on a dedicated thread,
//! so that the query's async workers go on serving other queries meanwhile, and so that a
//! panic of the work reaches the query as an internal error instead of unwinding into the
//! thread that serves the wire.

use datafusion::common::{Result, exec_datafusion_err, internal_err};

/// Runs `work` on a new thread named `function` and hands its result to `answer` there: what
/// `work` returns, or, if it panics, the internal error "`function`: the `what` failed: …".
pub(crate) fn spawn<T: Send + 'static>(
    function: &'static str,
    what: &'static str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
    answer: impl FnOnce(Result<T>) + Send + 'static,
) -> Result<()> {
    std::thread::Builder::new()
        .name(function.to_string())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
                .unwrap_or_else(|panic| {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    internal_err!("{function}: the {what} failed: {message}")
                });
            answer(result);
        })
        .map(drop)
        .map_err(|e| exec_datafusion_err!("{function}: cannot start the {what} thread: {e}"))
}
