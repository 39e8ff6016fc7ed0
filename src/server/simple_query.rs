//! The simple query protocol: a query string of one or more statements, run in order; the
//! first failure ends the string, as in PostgreSQL.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::portal::Format;
use pgwire::api::query::SimpleQueryHandler;
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::response::TransactionStatus;

use super::backend::{Backend, session_of, stops_of};
use super::error::{to_error_info, to_pgwire};
use super::session::Session;
use super::startup::report_changed_settings;

#[async_trait]
impl SimpleQueryHandler for Backend {
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
            // Later statements are not even planned after a failure (they may depend on a SET).
            let outcome = match session.plan(statement, &[]).await {
                Ok(planned) => {
                    self.respond(
                        &session,
                        &stops,
                        transaction_failed,
                        planned,
                        None,
                        &Format::UnifiedText,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            match outcome {
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
