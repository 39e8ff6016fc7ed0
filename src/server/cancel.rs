//! Stopping a running statement. Four things end one early:
//! - a CancelRequest (from another connection, with the target's backend PID and secret
//!   key) and `statement_timeout`: SQLSTATE 57014;
//! - the client closing its connection, noticed within [`PEER_CHECK_INTERVAL`] as
//!   PostgreSQL's `client_connection_check_interval` notices it;
//! - the end of the shutdown grace period: 57P01.
//!
//! Each statement gets a [`StatementStop`]: a task of its own watches the four and, when one
//! fires, records why and fires the statement's [`Interrupt`], which stops every operator of
//! its plan at its next batch — also when the connection's own task is busy inside the plan.
//! The row stream then ends with the recorded reason, and dropping the plan returns its
//! memory and its turn to run.
//!
//! pgwire's own handling cancels only a statement still being planned (its `do_query`); this
//! covers the rows being computed and sent after that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use custlake_udfs::interrupt::Interrupt;
use tokio_util::sync::CancellationToken;

use super::connection::PeerProbe;
use crate::error::{SqlError, sqlstate};

/// How often a running statement checks that its client is still connected.
pub const PEER_CHECK_INTERVAL: Duration = Duration::from_millis(250);

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

/// What may stop the statements of one connection, besides shutdown.
pub struct ConnectionStops {
    pub cancel: Arc<QueryCancel>,
    /// Tells whether the client hung up (none where the socket could not be duplicated).
    pub peer: Option<Arc<PeerProbe>>,
}

/// The sources a statement's watchdog listens to.
pub struct StopSources {
    pub cancel: CancellationToken,
    pub timeout: Option<Duration>,
    pub terminate: CancellationToken,
    pub peer: Option<Arc<PeerProbe>>,
}

struct StopState {
    reason: OnceLock<SqlError>,
    stopped: CancellationToken,
}

/// One statement's stop: why it was stopped, once it has been.
pub struct StatementStop {
    state: Arc<StopState>,
    watchdog: tokio::task::JoinHandle<()>,
}

pub fn cancelled() -> SqlError {
    SqlError::new(
        sqlstate::QUERY_CANCELED,
        "canceling statement due to user request",
    )
}

pub fn timed_out() -> SqlError {
    SqlError::new(
        sqlstate::QUERY_CANCELED,
        "canceling statement due to statement timeout",
    )
}

pub fn shutting_down() -> SqlError {
    SqlError::new(
        sqlstate::ADMIN_SHUTDOWN,
        "terminating statement: the server is shutting down",
    )
}

fn client_gone() -> SqlError {
    SqlError::new(sqlstate::CONNECTION_FAILURE, "connection to client lost")
}

impl StatementStop {
    /// Starts watching `sources` for the statement that `interrupt` stops.
    pub fn start(sources: StopSources, interrupt: Interrupt) -> Self {
        let state = Arc::new(StopState {
            reason: OnceLock::new(),
            stopped: CancellationToken::new(),
        });
        let watched = Arc::clone(&state);
        let watchdog = tokio::spawn(async move {
            let deadline = async {
                match sources.timeout {
                    Some(timeout) => tokio::time::sleep(timeout).await,
                    None => std::future::pending().await,
                }
            };
            let hang_up = async {
                let Some(peer) = sources.peer else {
                    return std::future::pending().await;
                };
                let mut every = tokio::time::interval(PEER_CHECK_INTERVAL);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    if peer.is_closed() {
                        return;
                    }
                }
            };
            let reason = tokio::select! {
                biased;
                _ = sources.terminate.cancelled() => shutting_down(),
                _ = sources.cancel.cancelled() => cancelled(),
                _ = deadline => timed_out(),
                _ = hang_up => client_gone(),
            };
            if watched.reason.set(reason).is_ok() {
                interrupt.fire();
                watched.stopped.cancel();
            }
        });
        StatementStop { state, watchdog }
    }

    /// Why the statement was stopped, if it has been.
    pub fn already_stopped(&self) -> Option<SqlError> {
        self.state.reason.get().cloned()
    }

    /// Resolves with the reason once the statement is stopped.
    pub async fn stopped(&self) -> SqlError {
        self.state.stopped.cancelled().await;
        self.already_stopped().unwrap_or_else(cancelled)
    }
}

impl Drop for StatementStop {
    fn drop(&mut self) {
        self.watchdog.abort();
    }
}
