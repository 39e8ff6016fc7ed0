//! Query cancellation: a CancelRequest (from another connection, with the target's backend
//! PID and secret key) and `statement_timeout` both end the running statement with SQLSTATE
//! 57014. The statement's row stream watches the connection's current cancel token; ending
//! the stream drops DataFusion's plan, which stops its work and returns its memory to the pool.
//!
//! pgwire's own handling cancels only a statement still being planned (its `do_query`); this
//! covers the rows being computed and sent after that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

/// One connection's cancel state: a fresh token per statement, so a cancel that arrives
/// between statements does not end the next one (as in PostgreSQL).
#[derive(Debug, Default)]
pub struct QueryCancel {
    current: Mutex<CancellationToken>,
}

impl QueryCancel {
    /// Starts a statement: returns the token a cancel of this statement fires.
    pub fn start(&self) -> CancellationToken {
        let token = CancellationToken::new();
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = token.clone();
        token
    }

    fn cancel(&self) {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .cancel();
    }
}

/// The connections that can be cancelled, by backend PID and secret key.
#[derive(Debug, Default)]
pub struct CancelRegistry {
    connections: Mutex<HashMap<(i32, Bytes), Arc<QueryCancel>>>,
}

impl CancelRegistry {
    /// Registers a connection; it is unregistered when the returned guard is dropped.
    pub fn register(
        self: &Arc<Self>,
        pid: i32,
        secret: Bytes,
    ) -> (Arc<QueryCancel>, CancelRegistration) {
        let cancel = Arc::new(QueryCancel::default());
        self.connections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((pid, secret.clone()), Arc::clone(&cancel));
        (
            cancel,
            CancelRegistration {
                registry: Arc::clone(self),
                key: (pid, secret),
            },
        )
    }

    /// Cancels the running statement of the connection with this PID and secret key, if
    /// both match; an unknown pair is ignored, as PostgreSQL does.
    pub fn cancel(&self, pid: i32, secret: &Bytes) {
        let target = self
            .connections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(pid, secret.clone()))
            .cloned();
        if let Some(target) = target {
            target.cancel();
        }
    }
}

/// Keeps a connection registered for cancellation while it lives.
pub struct CancelRegistration {
    registry: Arc<CancelRegistry>,
    key: (i32, Bytes),
}

impl Drop for CancelRegistration {
    fn drop(&mut self) {
        self.registry
            .connections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}
