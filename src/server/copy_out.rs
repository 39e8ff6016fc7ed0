//! Sending `COPY … TO STDOUT` (planned in [`super::session`], encoded by
//! [`super::encode::copy`]), in the simple and the extended protocol alike.

use std::fmt::Debug;

use futures::{Sink, SinkExt, StreamExt};
use pgwire::api::results::{CopyResponse, Tag};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::copy::{CopyDone, CopyOutResponse};

use super::session::Session;

/// Sends a COPY TO STDOUT: CopyOutResponse, a CopyData per row as the rows are computed,
/// CopyDone and `COPY n`. A failure while the rows are computed ends it with the error, as a
/// failing query's rows do (PostgreSQL sends an ErrorResponse in the middle of a COPY too).
pub async fn send_copy_out<C>(
    client: &mut C,
    copy: CopyResponse,
    session: &Session,
) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let column_formats = copy.column_formats();
    let CopyResponse {
        format,
        columns,
        mut data_stream,
        ..
    } = copy;
    client
        .send(PgWireBackendMessage::CopyOutResponse(CopyOutResponse::new(
            format,
            columns as i16,
            column_formats,
        )))
        .await?;
    while let Some(data) = data_stream.next().await {
        client.feed(PgWireBackendMessage::CopyData(data?)).await?;
    }
    client
        .feed(PgWireBackendMessage::CopyDone(CopyDone::new()))
        .await?;
    let tag = Tag::new("COPY").with_rows(session.copied_rows() as usize);
    client
        .send(PgWireBackendMessage::CommandComplete(tag.into()))
        .await?;
    Ok(())
}
