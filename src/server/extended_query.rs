//! The extended query protocol: Parse (plan, with the client's parameter types), Describe,
//! Bind (parameters decoded by the plan's types) and Execute. Every Execute goes through
//! custlake's own streaming path: rows are sent as DataFusion produces them, and a row limit
//! only counts rows — it never sizes anything (pgwire's own Execute reserves room for the
//! whole limit up front, and a limit of two billion aborted the process).

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ParamValues;
use futures::{Sink, SinkExt, StreamExt};
use pgwire::api::portal::{Format, Portal, PortalExecutionState};
use pgwire::api::query::{ExtendedQueryHandler, send_execution_response};
use pgwire::api::results::{
    DescribePortalResponse, DescribeResponse, DescribeStatementResponse, FieldInfo, QueryResponse,
    Response, Tag,
};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::{Entry, PortalStore};
use pgwire::api::{
    ClientInfo, ClientPortalStore, ConnectionHandle, DEFAULT_NAME, PgWireConnectionState, Type,
};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::extendedquery::{Execute, PortalSuspended};
use pgwire::messages::response::{EmptyQueryResponse, TransactionStatus};

use super::backend::{Backend, cursor_portal, publish_cursor_portals, session_of, stops_of};
use super::copy_out::send_copy_out;
use super::encode::{field_infos, pg_column_type};
use super::error::to_pgwire;
use super::params;
use super::session::{CursorCommand, Planned, Session};
use super::startup::report_changed_settings;
use crate::error::{SqlError, sqlstate};

pub struct Parser;

#[async_trait]
impl QueryParser for Parser {
    type Statement = Planned;

    async fn parse_sql<C>(
        &self,
        client: &C,
        sql: &str,
        types: &[Option<Type>],
    ) -> PgWireResult<Option<Planned>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        let session = session_of(client)?;
        let mut statements = Session::parse(sql).map_err(to_pgwire)?;
        if statements.len() > 1 {
            return Err(to_pgwire(SqlError::new(
                sqlstate::SYNTAX_ERROR,
                "cannot insert multiple commands into a prepared statement",
            )));
        }
        let Some(statement) = statements.pop() else {
            return Ok(None);
        };
        let declared: Vec<Option<DataType>> = types
            .iter()
            .map(|t| t.as_ref().and_then(params::arrow_type_for))
            .collect();
        session
            .plan(statement, &declared)
            .await
            .map(Some)
            .map_err(to_pgwire)
    }

    fn get_parameter_types(&self, statement: &Planned) -> PgWireResult<Vec<Type>> {
        statement
            .parameter_types()
            .iter()
            .map(|t| {
                pg_column_type(t)
                    .map(|c| c.pg_type)
                    .map_err(|e| to_pgwire(e.into()))
            })
            .collect()
    }

    fn get_result_schema(
        &self,
        statement: &Planned,
        format: Option<&Format>,
    ) -> PgWireResult<Vec<FieldInfo>> {
        match statement {
            Planned::Plan {
                plan,
                returns_rows: true,
                ..
            } => {
                let schema = plan.schema().as_arrow().clone();
                field_infos(&schema, format.unwrap_or(&Format::UnifiedText))
                    .map_err(|e| to_pgwire(e.into()))
            }
            Planned::Cursor(CursorCommand::Fetch { schema, .. }) => {
                field_infos(schema, format.unwrap_or(&Format::UnifiedText))
                    .map_err(|e| to_pgwire(e.into()))
            }
            Planned::Session(command) => match command.result_schema() {
                Some(schema) => field_infos(&schema, format.unwrap_or(&Format::UnifiedText))
                    .map_err(|e| to_pgwire(e.into())),
                None => Ok(Vec::new()),
            },
            _ => Ok(Vec::new()),
        }
    }
}

impl Backend {
    /// The columns an Execute of this portal sends (none: it sends no rows), as Describe
    /// gives them; a portal that is an open cursor sends the cursor's.
    fn portal_fields<C: ClientInfo>(
        &self,
        client: &C,
        portal: &Portal<Planned>,
    ) -> PgWireResult<Vec<FieldInfo>> {
        let session = session_of(client)?;
        let cursor = cursor_portal(&session, &portal.name);
        self.parser.get_result_schema(
            cursor.as_ref().unwrap_or(&portal.statement.statement),
            Some(&portal.result_column_format),
        )
    }

    /// Runs a portal's statement (`do_query`), ending it on a CancelRequest while it is planned
    /// or waits for its turn, as pgwire's own Execute does.
    async fn start_portal<C>(
        &self,
        client: &mut C,
        portal: &Portal<Planned>,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Planned>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let cancelled = match client.session_extensions().get::<Arc<ConnectionHandle>>() {
            Some(handle) => Some(handle.start_query().await),
            None => None,
        };
        let query = ExtendedQueryHandler::do_query(self, client, portal, 0);
        match cancelled {
            Some(cancelled) => match futures::future::select(Box::pin(query), cancelled).await {
                futures::future::Either::Left((response, _)) => response,
                futures::future::Either::Right(_) => Err(PgWireError::QueryCanceled),
            },
            None => query.await,
        }
    }
}

#[async_trait]
impl ExtendedQueryHandler for Backend {
    type Statement = Planned;
    type QueryParser = Parser;

    fn query_parser(&self) -> Arc<Parser> {
        self.parser.clone()
    }

    /// Runs a new portal, or goes on with one suspended by an earlier row-limited Execute,
    /// sending at most `max_rows` rows (zero or less: all, as in PostgreSQL). A portal that
    /// reached its limit is suspended with its stream where it stands; one that is finished
    /// answers with no rows.
    async fn on_execute<C>(&self, client: &mut C, message: Execute) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
            return Err(PgWireError::NotReadyForQuery);
        }
        let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
        let limit = usize::try_from(message.max_rows).ok().filter(|&n| n > 0);
        let portal = match client.portal_store().get_portal(name) {
            Some(Entry::Value(portal)) => portal,
            Some(Entry::Empty) => {
                client
                    .feed(PgWireBackendMessage::EmptyQueryResponse(
                        EmptyQueryResponse::new(),
                    ))
                    .await?;
                return Ok(());
            }
            None => return Err(PgWireError::PortalNotFound(name.to_owned())),
        };
        let mut transaction_status = client.transaction_status();
        client.set_state(PgWireConnectionState::QueryInProgress);
        let state = {
            let state = portal.state();
            let mut state = state.lock().await;
            std::mem::replace(&mut *state, PortalExecutionState::Finished)
        };
        let results = match state {
            PortalExecutionState::Initial => match self.start_portal(client, &portal).await? {
                Response::Query(results) => Some(results),
                other => {
                    send_statement_response(client, other, &mut transaction_status).await?;
                    None
                }
            },
            PortalExecutionState::Suspended(results) => Some(results),
            PortalExecutionState::Finished => Some(QueryResponse::new(
                Arc::new(Vec::new()),
                futures::stream::empty(),
            )),
        };
        if let Some(mut results) = results {
            let mut sent = 0usize;
            let mut suspended = false;
            {
                let rows = results.data_rows();
                loop {
                    if limit.is_some_and(|limit| sent >= limit) {
                        suspended = true;
                        break;
                    }
                    let Some(row) = rows.next().await else {
                        break;
                    };
                    client.feed(PgWireBackendMessage::DataRow(row?)).await?;
                    sent += 1;
                }
            }
            if suspended {
                client
                    .send(PgWireBackendMessage::PortalSuspended(PortalSuspended::new()))
                    .await?;
                *portal.state().lock().await = PortalExecutionState::Suspended(results);
            } else {
                let tag = Tag::new(results.command_tag()).with_rows(sent);
                client
                    .send(PgWireBackendMessage::CommandComplete(tag.into()))
                    .await?;
            }
        }
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(transaction_status);
        Ok(())
    }

    async fn do_describe_statement<C>(
        &self,
        _client: &mut C,
        target: &StoredStatement<Planned>,
    ) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // The types the client declared in Parse are the ones it gets back (pgjdbc insists),
        // the server's choice only where it left one open.
        let parameters = self
            .parser
            .get_parameter_types(&target.statement)?
            .into_iter()
            .enumerate()
            .map(
                |(i, chosen)| match target.parameter_types.get(i).cloned().flatten() {
                    Some(declared) if declared != Type::UNKNOWN => declared,
                    _ => chosen,
                },
            )
            .collect();
        // Before Bind the result formats are unknown; PostgreSQL describes them as text.
        let fields = self.parser.get_result_schema(&target.statement, None)?;
        Ok(DescribeStatementResponse::new(parameters, fields))
    }

    async fn do_describe_portal<C>(
        &self,
        client: &mut C,
        portal: &Portal<Planned>,
    ) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let fields = self.portal_fields(client, portal)?;
        if fields.is_empty() {
            return Ok(DescribePortalResponse::no_data());
        }
        Ok(DescribePortalResponse::new(fields))
    }

    async fn do_query<C>(
        &self,
        client: &mut C,
        portal: &Portal<Planned>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session_of(client)?;
        // Execute of a portal that is an open cursor fetches from it.
        if let Some(fetch) = cursor_portal(&session, &portal.name) {
            let stops = stops_of(client)?;
            let transaction_failed = client.transaction_status() == TransactionStatus::Error;
            return self
                .respond(
                    &session,
                    &stops,
                    transaction_failed,
                    fetch,
                    None,
                    &portal.result_column_format,
                )
                .await
                .map_err(to_pgwire);
        }
        let prepared = &portal.statement.statement;
        let parameter_types = prepared.parameter_types();
        if portal.parameters.len() != parameter_types.len() {
            return Err(to_pgwire(SqlError::new(
                sqlstate::PROTOCOL_VIOLATION,
                format!(
                    "bind message supplies {} parameters, but prepared statement requires {}",
                    portal.parameters.len(),
                    parameter_types.len()
                ),
            )));
        }
        let parameters = if parameter_types.is_empty() {
            None
        } else {
            let declared = &portal.statement.parameter_types;
            let mut values = Vec::with_capacity(parameter_types.len());
            for (index, target) in parameter_types.iter().enumerate() {
                // The wire type is what the client declared, else what we described.
                let wire_type = match declared.get(index).cloned().flatten() {
                    Some(t) if t != Type::UNKNOWN => t,
                    _ => pg_column_type(target)
                        .map(|c| c.pg_type)
                        .unwrap_or(Type::TEXT),
                };
                let value = params::decode(
                    index,
                    portal.parameters[index].as_deref(),
                    &wire_type,
                    portal.parameter_format.format_for(index),
                    target,
                )
                .map_err(to_pgwire)?;
                values.push(value.into());
            }
            Some(ParamValues::List(values))
        };
        let stops = stops_of(client)?;
        let transaction_failed = client.transaction_status() == TransactionStatus::Error;
        let response = self
            .respond(
                &session,
                &stops,
                transaction_failed,
                prepared.clone(),
                parameters,
                &portal.result_column_format,
            )
            .await
            .map_err(to_pgwire);
        publish_cursor_portals(client.portal_store(), &session, &portal.statement);
        report_changed_settings(client, &session).await?;
        response
    }
}

/// Sends the response of a statement that returns no rows, and notes what it does to the
/// transaction state.
async fn send_statement_response<C>(
    client: &mut C,
    response: Response,
    transaction_status: &mut TransactionStatus,
) -> PgWireResult<()>
where
    C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::PortalStore: PortalStore<Statement = Planned>,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    match response {
        Response::EmptyQuery => {
            client
                .feed(PgWireBackendMessage::EmptyQueryResponse(
                    EmptyQueryResponse::new(),
                ))
                .await?;
        }
        Response::Execution(tag) => send_execution_response(client, tag).await?,
        Response::TransactionStart(tag) => {
            send_execution_response(client, tag).await?;
            *transaction_status = transaction_status.to_in_transaction_state();
        }
        Response::TransactionEnd(tag) => {
            send_execution_response(client, tag).await?;
            *transaction_status = transaction_status.to_idle_state();
            // The unnamed portal ends with the transaction.
            client.portal_store().rm_portal(DEFAULT_NAME);
        }
        Response::Error(error) => {
            client
                .send(PgWireBackendMessage::ErrorResponse((*error).into()))
                .await?;
            *transaction_status = transaction_status.to_error_state();
        }
        Response::CopyOut(copy) => {
            let session = session_of(client)?;
            send_copy_out(client, copy, &session).await?;
        }
        Response::Query(_) | Response::CopyIn(_) | Response::CopyBoth(_) => {
            return Err(to_pgwire(SqlError::new(
                sqlstate::INTERNAL_ERROR,
                "a statement answered with rows or COPY where none were expected",
            )));
        }
    }
    Ok(())
}
