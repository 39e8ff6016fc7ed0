//! The simple query protocol: a query string of one or more statements, run in order, each
//! one's rows sent before the next is planned; the first failure ends the string, as in
//! PostgreSQL.
//!
//! pgwire's own `on_query` first collects every statement's response, then sends them. A
//! response holds its statement's turn to run until its rows are sent, so a string of more
//! statements than `engine.max_running_statements` waited for a turn that its own earlier
//! statements held — the connection hung, holding every turn of the server.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::portal::Format;
use pgwire::api::query::{
    SimpleQueryHandler, send_execution_response, send_query_response, send_ready_for_query,
};
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, ConnectionHandle, PgWireConnectionState};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::response::{EmptyQueryResponse, TransactionStatus};
use pgwire::messages::simplequery::Query;
use std::sync::Arc;

use super::backend::{Backend, session_of, stops_of};
use super::cancel::ConnectionStops;
use super::copy_out::send_copy_out;
use super::error::{to_error_info, to_pgwire};
use super::session::Session;
use super::startup::report_changed_settings;
use crate::error::SqlError;

impl Backend {
    /// Plans and starts one statement of a query string.
    async fn run_statement(
        &self,
        session: &Session,
        stops: &ConnectionStops,
        transaction_failed: bool,
        statement: datafusion::sql::parser::Statement,
    ) -> Result<Response, SqlError> {
        let planned = session.plan(statement, &[]).await?;
        self.respond(
            session,
            stops,
            transaction_failed,
            planned,
            None,
            &Format::UnifiedText,
        )
        .await
    }
}

#[async_trait]
impl SimpleQueryHandler for Backend {
    /// Runs the statements one after another, sending each one's response (its rows as they
    /// are computed) before the next is planned.
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
            return Err(PgWireError::NotReadyForQuery);
        }
        let session = session_of(client)?;
        let stops = stops_of(client)?;
        let mut status = client.transaction_status();
        client.set_state(PgWireConnectionState::QueryInProgress);
        let statements = Session::parse(&query.query).map_err(to_pgwire)?;
        if statements.is_empty() {
            client
                .feed(PgWireBackendMessage::EmptyQueryResponse(
                    EmptyQueryResponse::new(),
                ))
                .await?;
        }
        for statement in statements {
            // A CancelRequest while the statement is planned or waits for its turn ends it,
            // as pgwire's own handling does.
            let cancelled = match client.session_extensions().get::<Arc<ConnectionHandle>>() {
                Some(handle) => Some(handle.start_query().await),
                None => None,
            };
            let running = self.run_statement(
                &session,
                &stops,
                status == TransactionStatus::Error,
                statement,
            );
            let outcome = match cancelled {
                Some(cancelled) => {
                    match futures::future::select(Box::pin(running), cancelled).await {
                        futures::future::Either::Left((outcome, _)) => outcome,
                        futures::future::Either::Right(_) => Err(super::cancel::cancelled()),
                    }
                }
                None => running.await,
            };
            report_changed_settings(client, &session).await?;
            match outcome {
                Ok(Response::Query(results)) => send_query_response(client, results, true).await?,
                Ok(Response::EmptyQuery) => {
                    client
                        .feed(PgWireBackendMessage::EmptyQueryResponse(
                            EmptyQueryResponse::new(),
                        ))
                        .await?
                }
                Ok(Response::Execution(tag)) => send_execution_response(client, tag).await?,
                Ok(Response::TransactionStart(tag)) => {
                    send_execution_response(client, tag).await?;
                    status = status.to_in_transaction_state();
                }
                Ok(Response::TransactionEnd(tag)) => {
                    send_execution_response(client, tag).await?;
                    status = status.to_idle_state();
                }
                Ok(Response::Error(error)) => {
                    client
                        .feed(PgWireBackendMessage::ErrorResponse((*error).into()))
                        .await?;
                    status = status.to_error_state();
                    break;
                }
                Ok(Response::CopyOut(copy)) => send_copy_out(client, copy, &session).await?,
                Ok(Response::CopyIn(_) | Response::CopyBoth(_)) => {
                    return Err(to_pgwire(SqlError::new(
                        crate::error::sqlstate::INTERNAL_ERROR,
                        "a statement answered with COPY, which custlake does not serve",
                    )));
                }
                // Later statements are not even planned after a failure (they may depend
                // on a SET).
                Err(e) => {
                    client
                        .feed(PgWireBackendMessage::ErrorResponse(to_error_info(e).into()))
                        .await?;
                    status = status.to_error_state();
                    break;
                }
            }
        }
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(status);
        send_ready_for_query(client, status).await
    }

    /// The statements' responses, collected: pgwire's interface for callers that want them
    /// all at once. The server itself answers through [`Self::on_query`], which sends each
    /// statement's rows before running the next.
    async fn do_query<C>(&self, client: &mut C, query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session_of(client)?;
        let stops = stops_of(client)?;
        let mut transaction_failed = client.transaction_status() == TransactionStatus::Error;
        let statements = Session::parse(query).map_err(to_pgwire)?;
        if statements.is_empty() {
            return Ok(vec![Response::EmptyQuery]);
        }
        let mut responses = Vec::with_capacity(statements.len());
        for statement in statements {
            match self
                .run_statement(&session, &stops, transaction_failed, statement)
                .await
            {
                Ok(response) => {
                    if matches!(response, Response::TransactionEnd(_)) {
                        transaction_failed = false;
                    }
                    responses.push(response)
                }
                Err(e) => {
                    responses.push(Response::Error(Box::new(to_error_info(e))));
                    break;
                }
            }
        }
        report_changed_settings(client, &session).await?;
        Ok(responses)
    }
}
