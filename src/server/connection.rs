//! One client connection from accept to close: SSL negotiation, the startup timeout, the
//! message loop that hands each frontend message to pgwire's dispatcher, and how a
//! connection ends — a Terminate, the client going away, a FATAL error, or a message that
//! breaks the protocol (answered with 08P01, see [`super::frames`]).
//!
//! The loop is custlake's own rather than pgwire's `process_socket` so that every byte the
//! client sends passes [`FrameGuard`] before pgwire decodes it, and so that a running
//! statement can see whether the client is still there ([`PeerProbe`]).

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pgwire::api::{ClientInfo, PgWireConnectionState, PgWireServerHandlers};
use pgwire::error::ErrorInfo;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use pgwire::tokio::server::{
    PgWireMessageServerCodec, negotiate_tls, process_error, process_message,
};
use tokio::net::TcpStream;
use tokio_util::codec::{Framed, FramedParts};

use super::backend::Handlers;
use super::frames::{FrameGuard, Violation};
use super::session::Planned;
use crate::error::{SqlError, sqlstate};

/// How long a client has to finish its startup (pgwire's and PostgreSQL's default: 60 s).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Tells whether the client has closed its end of the connection, without reading from it:
/// `poll(2)` with `POLLRDHUP` on a duplicate of the socket, as PostgreSQL's
/// `client_connection_check_interval` does. Data the client sent but the server has not
/// read yet does not hide a close.
pub struct PeerProbe {
    socket: OwnedFd,
}

impl PeerProbe {
    fn of(socket: &TcpStream) -> io::Result<PeerProbe> {
        Ok(PeerProbe {
            socket: socket.as_fd().try_clone_to_owned()?,
        })
    }

    /// Whether the client has hung up (or the connection broke).
    pub fn is_closed(&self) -> bool {
        let hung_up = libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR;
        let mut fds = [libc::pollfd {
            fd: self.socket.as_raw_fd(),
            events: hung_up,
            revents: 0,
        }];
        // SAFETY: `fds` is one valid pollfd for the call's duration and the descriptor is
        // owned by `self`, so it stays open; a zero timeout never blocks.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 1, 0) };
        match ready {
            0 => false,
            n if n > 0 => fds[0].revents & hung_up != 0,
            _ => io::Error::last_os_error().kind() != io::ErrorKind::Interrupted,
        }
    }
}

/// Serves one connection until it ends.
pub async fn serve(socket: TcpStream, handlers: Handlers) {
    let peer = socket.peer_addr().ok();
    let probe = match PeerProbe::of(&socket) {
        Ok(probe) => Some(probe),
        Err(e) => {
            log::warn!("cannot watch connection from {peer:?} for a hang-up: {e}");
            None
        }
    };
    let startup_deadline = tokio::time::sleep(STARTUP_TIMEOUT);
    tokio::pin!(startup_deadline);
    let negotiated = tokio::select! {
        _ = &mut startup_deadline => return,
        negotiated = negotiate_tls::<Planned>(socket, None) => negotiated,
    };
    let negotiated = match negotiated {
        Ok(Some(negotiated)) => negotiated,
        // A direct TLS handshake while TLS is not configured: nothing to answer in plain text.
        Ok(None) => return,
        Err(e) => {
            log::debug!("connection from {peer:?} ended during SSL negotiation: {e}");
            return;
        }
    };
    // From here on every message passes the guard; what SSL negotiation already read from
    // the socket is checked first.
    let old = negotiated.into_parts();
    let violation = Violation::default();
    let guard = FrameGuard::new(old.io, old.read_buf, violation.clone());
    let mut parts = FramedParts::new(guard, old.codec);
    parts.write_buf = old.write_buf;
    let mut socket = Framed::from_parts(parts);
    if let Some(probe) = probe {
        socket.session_extensions().insert(probe);
    }
    if let Err(e) = message_loop(&mut socket, &handlers, &violation, startup_deadline).await {
        log::debug!("connection from {peer:?} ended: {e}");
    }
}

type Socket =
    Framed<FrameGuard<pgwire::tokio::server::MaybeTls>, PgWireMessageServerCodec<Planned>>;

async fn message_loop(
    socket: &mut Socket,
    handlers: &Handlers,
    violation: &Violation,
    mut startup_deadline: std::pin::Pin<&mut tokio::time::Sleep>,
) -> io::Result<()> {
    // The backend itself rather than the trait's opaque handlers: pgwire's dispatcher needs
    // to know the statement type of the connection's portal store.
    let backend = &handlers.0;
    let copy = handlers.copy_handler();
    let cancel = handlers.cancel_handler();
    loop {
        let starting = matches!(
            socket.state(),
            PgWireConnectionState::AwaitingStartup
                | PgWireConnectionState::AuthenticationInProgress
        );
        let next = if starting {
            tokio::select! {
                _ = &mut startup_deadline => return Ok(()),
                next = socket.next() => next,
            }
        } else {
            socket.next().await
        };
        let message = match next {
            Some(Ok(message)) => message,
            // pgwire's decoder refused a message the guard let through.
            Some(Err(e)) => {
                let error = SqlError::new(sqlstate::PROTOCOL_VIOLATION, e.to_string());
                return end_with_fatal(socket, error).await;
            }
            None => match violation.take() {
                Some(error) => return end_with_fatal(socket, error).await,
                None => return Ok(()),
            },
        };
        // Terminate: the client is leaving; closing at once also frees clients (asyncpg)
        // that wait for the server to drop the socket.
        if matches!(message, PgWireFrontendMessage::Terminate(_)) {
            return Ok(());
        }
        let extended_query = match socket.state() {
            PgWireConnectionState::CopyInProgress(extended) => extended,
            _ => message.is_extended_query(),
        };
        let cancel_request = matches!(message, PgWireFrontendMessage::CancelRequest(_));
        let outcome = process_message(
            message,
            socket,
            backend.clone(),
            backend.clone(),
            backend.clone(),
            copy.clone(),
            cancel.clone(),
        )
        .await;
        if let Err(e) = outcome {
            let fatal = e.is_fatal();
            process_error(socket, e, extended_query).await?;
            if fatal {
                return Ok(());
            }
        }
        // A CancelRequest comes on a connection of its own, which ends with it.
        if cancel_request {
            return Ok(());
        }
    }
}

/// Sends `error` as FATAL and closes the connection, as PostgreSQL ends a session.
async fn end_with_fatal(socket: &mut Socket, error: SqlError) -> io::Result<()> {
    log::debug!("closing connection: {}", error.message);
    let mut info = ErrorInfo::new("FATAL".to_string(), error.code.to_string(), error.message);
    info.hint = error.hint;
    socket
        .send(PgWireBackendMessage::ErrorResponse(info.into()))
        .await?;
    socket.close().await
}
