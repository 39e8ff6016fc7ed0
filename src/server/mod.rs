//! The PostgreSQL wire protocol in front of the engine, and nothing about CRM.
//!
//! [`Server::bind`] opens the listener (port 0 picks a free port, see [`Server::local_addr`]);
//! [`Server::run_until`] accepts connections until its shutdown future resolves, then stops
//! accepting, lets running statements finish within the grace period, ends those still running
//! with SQLSTATE 57P01, and closes the connections.

mod backend;
mod cancel;
mod connection;
mod copy_out;
mod cursor;
pub mod encode;
pub mod error;
mod extended_query;
mod frames;
pub mod params;
mod row_stream;
pub mod session;
mod shutdown;
mod simple_query;
mod startup;
mod transaction;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::engine::Engine;
pub use backend::SERVER_VERSION;
use backend::{Backend, Handlers};
use shutdown::InFlight;

/// How long connections get to deliver the 57P01 error before they are closed.
const TERMINATE_DELIVERY: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "refusing to listen on {0}: no users are configured, so only a loopback address (127.0.0.1, ::1) may be used"
    )]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Counters of the server's own health, shared with whoever holds [`Server::stats`].
#[derive(Debug, Default)]
pub struct ServerStats {
    /// Connection tasks that ended in a panic: a bug, since no client input may cause one.
    pub connection_panics: AtomicU64,
    /// CancelRequests answered (whether or not they matched a connection). A client's cancel
    /// is done, as far as the server goes, once this has counted it.
    pub cancel_requests: AtomicU64,
}

pub struct Server {
    stats: Arc<ServerStats>,
    listener: TcpListener,
    backend: Arc<Backend>,
    in_flight: Arc<InFlight>,
    terminate: CancellationToken,
    grace: Duration,
}

impl Server {
    /// Binds the listener. Without users configured any user name is let in without a
    /// password, so only loopback addresses are allowed.
    pub async fn bind(
        engine: Engine,
        addr: SocketAddr,
        grace: Duration,
    ) -> Result<Server, ServerError> {
        if !addr.ip().is_loopback() {
            return Err(ServerError::NotLoopback(addr));
        }
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        let in_flight = Arc::new(InFlight::default());
        let terminate = CancellationToken::new();
        let stats = Arc::<ServerStats>::default();
        let backend = Arc::new(Backend::new(
            engine,
            in_flight.clone(),
            terminate.clone(),
            stats.clone(),
        ));
        Ok(Server {
            stats,
            listener,
            backend,
            in_flight,
            terminate,
            grace,
        })
    }

    /// The server's health counters; they stay readable after the server has stopped.
    pub fn stats(&self) -> Arc<ServerStats> {
        Arc::clone(&self.stats)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// Serves until `shutdown` resolves, then shuts down gracefully.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        let Server {
            stats,
            listener,
            backend,
            in_flight,
            terminate,
            grace,
        } = self;
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((socket, _peer)) => {
                        let _ = socket.set_nodelay(true);
                        connections.spawn(connection::serve(socket, Handlers(backend.clone())));
                    }
                    // Out of file descriptors and the like: keep serving the others.
                    Err(e) => {
                        log::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                Some(ended) = connections.join_next(), if !connections.is_empty() => {
                    if let Err(e) = ended
                        && e.is_panic()
                    {
                        stats.connection_panics.fetch_add(1, Ordering::Relaxed);
                        log::error!("a connection task panicked: {e}");
                    }
                }
            }
        }
        drop(listener);
        let running = in_flight.count();
        if running > 0 {
            log::info!("shutting down: waiting up to {grace:?} for {running} running statement(s)");
        }
        if tokio::time::timeout(grace, in_flight.wait_idle())
            .await
            .is_err()
        {
            log::warn!(
                "grace period over: cancelling {} statement(s)",
                in_flight.count()
            );
            terminate.cancel();
            let _ = tokio::time::timeout(TERMINATE_DELIVERY, in_flight.wait_idle()).await;
        }
        connections.shutdown().await;
        log::info!("server stopped");
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run_until_stopped(self) {
        self.run_until(shutdown_signal()).await
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    log::info!("shutdown requested");
}
