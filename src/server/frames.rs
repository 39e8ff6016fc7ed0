//! The frontend's messages, checked whole before pgwire decodes them.
//!
//! pgwire 0.42's decoders trust the lengths and counts inside a message: a truncated Parse or
//! Bind body makes them read past its end and panic. [`FrameGuard`] sits between the socket
//! (after TLS, so it sees the plain protocol) and pgwire's codec. It cuts the byte stream into
//! messages, checks each against the protocol's layout as PostgreSQL reads it
//! (`src/backend/tcop/postgres.c`, `pq_getmsg*`: unsigned 16-bit counts, −1 for a NULL
//! parameter, strings NUL-terminated, nothing left over), and hands pgwire only messages that
//! passed. The first that does not is recorded as a [`Violation`] and the stream ends there;
//! the connection loop then answers it with a FATAL error (08P01) and closes the connection.
//!
//! Memory: a message is buffered as its bytes arrive, never reserved from the length the
//! client announces; lengths are capped as PostgreSQL caps them.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::{SqlError, sqlstate};

/// PostgreSQL's limit for a startup packet (`MAX_STARTUP_PACKET_LENGTH`).
const MAX_STARTUP_LENGTH: usize = 10_000;
/// PostgreSQL's limit for the short messages (`PQ_SMALL_MESSAGE_LIMIT`).
const SMALL_MESSAGE_LIMIT: usize = 10_000;
/// PostgreSQL's limit for authentication messages (`PG_MAX_AUTH_TOKEN_LENGTH`).
const AUTH_MESSAGE_LIMIT: usize = 65_535;
/// PostgreSQL's limit for Query, Parse, Bind, CopyData, FunctionCall (`PQ_LARGE_MESSAGE_LIMIT`).
const LARGE_MESSAGE_LIMIT: usize = (1 << 30) - 2;
/// How much is read from the socket at a time.
const READ_CHUNK: usize = 8 * 1024;

const CANCEL_REQUEST_CODE: u32 = 80_877_102;
const SSL_REQUEST_CODE: u32 = 80_877_103;
const GSSENC_REQUEST_CODE: u32 = 80_877_104;

/// The first message of the frontend that broke the protocol, shared with the connection loop.
#[derive(Clone, Default)]
pub struct Violation(Arc<Mutex<Option<SqlError>>>);

impl Violation {
    fn record(&self, error: SqlError) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(error);
    }

    /// The violation, if the guard saw one.
    pub fn take(&self) -> Option<SqlError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Untyped messages: the startup packet (or a CancelRequest).
    Startup,
    /// Messages with a type byte.
    Typed,
    /// After a CancelRequest or Terminate nothing more may come.
    Done,
}

/// Checks the frontend's messages on their way from `inner` to pgwire; writes pass through.
pub struct FrameGuard<S> {
    inner: S,
    phase: Phase,
    /// Bytes read from the socket that do not yet make a whole message.
    inbox: BytesMut,
    /// Whole, checked messages not yet handed to the reader.
    checked: BytesMut,
    violation: Violation,
    /// Set once the stream has ended (end of input or a violation).
    ended: bool,
}

impl<S> FrameGuard<S> {
    /// A guard over `inner` that starts at the startup packet; `already_read` are bytes read
    /// from the socket before the guard was put in place (during SSL negotiation).
    pub fn new(inner: S, already_read: BytesMut, violation: Violation) -> Self {
        FrameGuard {
            inner,
            phase: Phase::Startup,
            inbox: already_read,
            checked: BytesMut::new(),
            violation,
            ended: false,
        }
    }

    /// Moves every whole message at the front of the inbox to `checked`; `Err` on a violation.
    fn check_messages(&mut self) -> Result<(), SqlError> {
        while let Some(length) = next_message(&self.inbox, &mut self.phase)? {
            // Usually `checked` is empty here and this moves the bytes without a copy.
            self.checked.unsplit(self.inbox.split_to(length));
        }
        Ok(())
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FrameGuard<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if !this.checked.is_empty() {
                let n = this.checked.len().min(buf.remaining());
                buf.put_slice(&this.checked[..n]);
                this.checked.advance(n);
                return Poll::Ready(Ok(()));
            }
            if this.ended {
                return Poll::Ready(Ok(()));
            }
            if let Err(violation) = this.check_messages() {
                this.violation.record(violation);
                this.ended = true;
                continue;
            }
            if !this.checked.is_empty() {
                continue;
            }
            this.inbox.reserve(READ_CHUNK);
            match tokio_util::io::poll_read_buf(Pin::new(&mut this.inner), cx, &mut this.inbox) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                // End of input: whatever part of a message is left is dropped with the
                // connection, as PostgreSQL does when a client goes away mid-message.
                Poll::Ready(Ok(0)) => this.ended = true,
                Poll::Ready(Ok(_)) => {}
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FrameGuard<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

fn violation(message: impl Into<String>) -> SqlError {
    SqlError::new(sqlstate::PROTOCOL_VIOLATION, message)
}

/// The length of the whole message at the front of `bytes` once it has arrived and passed
/// its checks (`Ok(None)`: not all there yet). Advances `phase` past it.
fn next_message(bytes: &[u8], phase: &mut Phase) -> Result<Option<usize>, SqlError> {
    match *phase {
        Phase::Done if bytes.is_empty() => Ok(None),
        Phase::Done => Err(violation("data after the end of the session's messages")),
        Phase::Startup => {
            let Some(length) = read_u32(bytes, 0) else {
                return Ok(None);
            };
            let length = length as usize;
            if !(8..=MAX_STARTUP_LENGTH).contains(&length) {
                return Err(violation("invalid length of startup packet"));
            }
            let Some(packet) = bytes.get(4..length) else {
                return Ok(None);
            };
            *phase = check_startup_packet(packet)?;
            Ok(Some(length))
        }
        Phase::Typed => {
            let (Some(&kind), Some(length)) = (bytes.first(), read_u32(bytes, 1)) else {
                return Ok(None);
            };
            let length = length as usize;
            let limit = match kind {
                b'Q' | b'P' | b'B' | b'd' | b'F' => LARGE_MESSAGE_LIMIT,
                b'p' => AUTH_MESSAGE_LIMIT,
                _ => SMALL_MESSAGE_LIMIT,
            };
            if length < 4 || length > limit {
                return Err(violation(format!(
                    "invalid message length {length} for message type \"{}\"",
                    char::from(kind).escape_default()
                )));
            }
            let Some(body) = bytes.get(5..1 + length) else {
                return Ok(None);
            };
            check_typed_body(kind, body)?;
            if kind == b'X' {
                *phase = Phase::Done;
            }
            Ok(Some(1 + length))
        }
    }
}

/// Checks an untyped packet (without its length) and says what comes after it.
fn check_startup_packet(packet: &[u8]) -> Result<Phase, SqlError> {
    let mut body = Body::new(packet);
    let code = body.u32()?;
    match code {
        CANCEL_REQUEST_CODE => {
            // Process ID and a secret key of 4 bytes (protocol 3.0) up to 256 (3.2).
            body.u32()?;
            if !(4..=256).contains(&body.rest().len()) {
                return Err(violation("invalid length of cancel request packet"));
            }
            Ok(Phase::Done)
        }
        SSL_REQUEST_CODE | GSSENC_REQUEST_CODE => Err(violation(
            "SSL or GSS negotiation is only allowed as a connection's first message",
        )),
        _ if code >> 16 == 3 => {
            // Name/value pairs, each a NUL-terminated string, ended by an empty name.
            loop {
                let name = body.cstring()?;
                if name.is_empty() {
                    break;
                }
                body.cstring()?;
            }
            body.end()?;
            Ok(Phase::Typed)
        }
        _ => Err(SqlError::new(
            sqlstate::FEATURE_NOT_SUPPORTED,
            format!(
                "unsupported frontend protocol {}.{}: server supports 3.0 to 3.2",
                code >> 16,
                code & 0xffff
            ),
        )),
    }
}

/// Checks a typed message's body against its layout.
fn check_typed_body(kind: u8, bytes: &[u8]) -> Result<(), SqlError> {
    let mut body = Body::new(bytes);
    match kind {
        // Query: the query string.
        b'Q' => {
            body.cstring()?;
        }
        // Parse: statement name, query, parameter type OIDs.
        b'P' => {
            body.cstring()?;
            body.cstring()?;
            let types = body.u16()?;
            body.bytes(usize::from(types) * 4)?;
        }
        // Bind: portal, statement, parameter formats, parameters, result formats.
        b'B' => {
            body.cstring()?;
            body.cstring()?;
            let formats = body.u16()?;
            body.bytes(usize::from(formats) * 2)?;
            let parameters = body.u16()?;
            if formats > 1 && formats != parameters {
                return Err(violation(format!(
                    "bind message has {formats} parameter formats but {parameters} parameters"
                )));
            }
            body.values(parameters)?;
            let results = body.u16()?;
            body.bytes(usize::from(results) * 2)?;
        }
        // Describe and Close: 'S' or 'P', then a name.
        b'D' | b'C' => {
            let target = body.u8()?;
            if target != b'S' && target != b'P' {
                return Err(violation(format!(
                    "invalid {} message subtype {target}",
                    if kind == b'D' { "DESCRIBE" } else { "CLOSE" }
                )));
            }
            body.cstring()?;
        }
        // Execute: portal name and row limit.
        b'E' => {
            body.cstring()?;
            body.i32()?;
        }
        // Sync, Flush, Terminate, CopyDone: nothing.
        b'S' | b'H' | b'X' | b'c' => {}
        // CopyFail: a message.
        b'f' => {
            body.cstring()?;
        }
        // CopyData and the authentication family: their bytes are read by their handlers.
        b'd' | b'p' => return Ok(()),
        // FunctionCall: OID, argument formats, arguments, result format.
        b'F' => {
            body.u32()?;
            let formats = body.u16()?;
            body.bytes(usize::from(formats) * 2)?;
            let arguments = body.u16()?;
            body.values(arguments)?;
            body.u16()?;
        }
        _ => {
            return Err(violation(format!("invalid frontend message type {kind}")));
        }
    }
    body.end()
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let word = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes([word[0], word[1], word[2], word[3]]))
}

/// A message body read front to back, as PostgreSQL's `pq_getmsg*` read it.
struct Body<'a> {
    rest: &'a [u8],
}

fn insufficient() -> SqlError {
    violation("insufficient data left in message")
}

impl<'a> Body<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Body { rest: bytes }
    }

    fn rest(&self) -> &'a [u8] {
        self.rest
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], SqlError> {
        if n > self.rest.len() {
            return Err(insufficient());
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8, SqlError> {
        Ok(self.bytes(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, SqlError> {
        let b = self.bytes(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, SqlError> {
        let b = self.bytes(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i32(&mut self) -> Result<i32, SqlError> {
        self.u32().map(|n| n as i32)
    }

    /// `count` values, each an int32 length (−1: NULL) and that many bytes.
    fn values(&mut self, count: u16) -> Result<(), SqlError> {
        for _ in 0..count {
            let length = self.i32()?;
            if length < -1 {
                return Err(violation(format!("invalid value length {length}")));
            }
            if length > 0 {
                self.bytes(length as usize)?;
            }
        }
        Ok(())
    }

    /// A NUL-terminated string, without its NUL.
    fn cstring(&mut self) -> Result<&'a [u8], SqlError> {
        let Some(end) = self.rest.iter().position(|&b| b == 0) else {
            return Err(violation("invalid string in message"));
        };
        let text = self.bytes(end)?;
        self.bytes(1)?;
        Ok(text)
    }

    fn end(&self) -> Result<(), SqlError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(violation("invalid message format"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut message = vec![kind];
        message.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        message.extend_from_slice(body);
        message
    }

    fn check(bytes: &[u8]) -> Result<Option<usize>, SqlError> {
        next_message(bytes, &mut Phase::Typed)
    }

    #[test]
    fn whole_messages_pass_and_partial_ones_wait() {
        let parse = typed(b'P', b"s1\0select $1\0\x00\x01\x00\x00\x00\x17");
        assert_eq!(check(&parse).unwrap(), Some(parse.len()));
        assert_eq!(check(&parse[..parse.len() - 1]).unwrap(), None);
        assert_eq!(check(&parse[..3]).unwrap(), None);
        let bind = typed(
            b'B',
            b"\0s1\0\x00\x01\x00\x00\x00\x01\x00\x00\x00\x0242\x00\x00",
        );
        assert_eq!(check(&bind).unwrap(), Some(bind.len()));
        let null_parameter = typed(b'B', b"\0\0\x00\x00\x00\x01\xff\xff\xff\xff\x00\x00");
        assert_eq!(check(&null_parameter).unwrap(), Some(null_parameter.len()));
    }

    #[test]
    fn truncated_and_overlong_bodies_are_violations() {
        for message in [
            // Parse announcing one parameter type but carrying none.
            typed(b'P', b"\0select 1\0\x00\x01"),
            // Parse without its count.
            typed(b'P', b"\0select 1\0"),
            // Bind whose parameter is longer than the message.
            typed(b'B', b"\0\0\x00\x00\x00\x01\x00\x00\x10\x00ab\x00\x00"),
            // Bind with two formats for three parameters.
            typed(
                b'B',
                b"\0\0\x00\x02\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00",
            ),
            // A parameter length below -1.
            typed(b'B', b"\0\0\x00\x00\x00\x01\xff\xff\xff\xfe\x00\x00"),
            // Execute without its row limit; Describe of an unknown kind.
            typed(b'E', b"\0"),
            typed(b'D', b"Xname\0"),
            // Bytes after the end of a Sync; a query without its NUL.
            typed(b'S', b"x"),
            typed(b'Q', b"select 1"),
            typed(b'?', b""),
        ] {
            let error = check(&message).unwrap_err();
            assert_eq!(error.code, sqlstate::PROTOCOL_VIOLATION, "{message:?}");
        }
        // A length below 4, or past the limit, is refused before the body arrives.
        assert!(check(b"Q\x00\x00\x00\x02").is_err());
        assert!(check(b"S\x7f\x00\x00\x00").is_err());
        assert!(check(b"Q\x7f\x00\x00\x00").is_err());
    }

    fn untyped(code: u32, rest: &[u8]) -> Vec<u8> {
        let mut message = ((rest.len() + 8) as u32).to_be_bytes().to_vec();
        message.extend_from_slice(&code.to_be_bytes());
        message.extend_from_slice(rest);
        message
    }

    #[test]
    fn startup_packets() {
        let startup = |bytes: &[u8]| {
            let mut phase = Phase::Startup;
            next_message(bytes, &mut phase).map(|length| (length, phase))
        };
        let good = untyped(196_608, b"user\0alice\0database\0lake\0\0");
        assert_eq!(startup(&good).unwrap(), (Some(good.len()), Phase::Typed));
        assert_eq!(startup(&good[..good.len() - 1]).unwrap().0, None);
        // The list of settings must end with an empty name.
        let unterminated = untyped(196_608, b"user\0alice\0");
        assert_eq!(
            startup(&unterminated).unwrap_err().code,
            sqlstate::PROTOCOL_VIOLATION
        );
        // A length past PostgreSQL's limit is refused before the packet arrives.
        assert!(startup(&1_000_000u32.to_be_bytes()).is_err());
        let version_2 = untyped(2 << 16, b"user\0a\0\0");
        assert_eq!(
            startup(&version_2).unwrap_err().code,
            sqlstate::FEATURE_NOT_SUPPORTED
        );
        let cancel = untyped(CANCEL_REQUEST_CODE, b"\0\0\0\x07abcd");
        assert_eq!(startup(&cancel).unwrap(), (Some(16), Phase::Done));
        let second_ssl = untyped(SSL_REQUEST_CODE, b"");
        assert!(startup(&second_ssl).is_err());
    }
}
