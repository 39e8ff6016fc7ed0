//! A statement's stop flag, for work that runs outside DataFusion's streams.
//!
//! DataFusion stops a plan by dropping its streams, which only takes effect where a stream
//! yields. Work that runs inside one call — a model fit in an aggregate's `evaluate`, a join's
//! probe loop — needs to be told. The engine gives every statement an [`Interrupt`]; whatever
//! polls the plan on the statement's behalf makes it [`current`] for the duration of the poll
//! ([`scope`]), so code deep inside an operator can find it without any argument passed down.
//! [`Interrupt::fire`] is called on cancel, statement_timeout, a closed client connection and
//! shutdown.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One statement's stop flag; clones share it.
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks everything running for the statement to stop.
    pub fn fire(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_fired(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Interrupt>> = const { RefCell::new(None) };
}

/// Runs `f` with `interrupt` as this thread's [`current`] one; the previous one (scopes nest
/// as operators do) is restored afterwards, also when `f` panics.
pub fn scope<R>(interrupt: &Interrupt, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Interrupt>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|current| *current.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|current| current.borrow_mut().replace(interrupt.clone()));
    let _restore = Restore(previous);
    f()
}

/// The interrupt of the statement this thread is working for, if any.
pub fn current() -> Option<Interrupt> {
    CURRENT.with(|current| current.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_and_restore() {
        assert!(current().is_none());
        let outer = Interrupt::new();
        let inner = Interrupt::new();
        scope(&outer, || {
            scope(&inner, || {
                inner.fire();
                assert!(current().is_some_and(|i| i.is_fired()));
            });
            assert!(current().is_some_and(|i| !i.is_fired()));
        });
        assert!(current().is_none());
        let caught = std::panic::catch_unwind(|| scope(&outer, || panic!("inside")));
        assert!(caught.is_err());
        assert!(
            current().is_none(),
            "a panic inside the scope restores the previous one"
        );
    }
}
