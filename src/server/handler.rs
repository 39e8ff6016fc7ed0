//! The pgwire handlers: startup, the simple and the extended query protocol. Each statement is
//! planned by the connection's [`Session`], run by DataFusion, and its batches are encoded into
//! DataRows as they arrive — no step holds a whole result.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ParamValues;
use datafusion::execution::SendableRecordBatchStream;
use futures::{Sink, SinkExt, Stream, StreamExt};
use pgwire::api::auth::{
    DefaultServerParameterProvider, ServerParameterProvider, StartupHandler, finish_authentication,
    protocol_negotiation, save_startup_parameters_to_metadata,
};
use pgwire::api::portal::{Format, Portal, PortalExecutionState};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::{
    DescribePortalResponse, DescribeResponse, DescribeStatementResponse, FieldInfo, QueryResponse,
    Response, Tag,
};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::{Entry, PortalStore};
use pgwire::api::{
    ClientInfo, ClientPortalStore, ConnectionHandle, ConnectionManager, DEFAULT_NAME,
    PgWireConnectionState, PgWireServerHandlers, PidSecretKeyGenerator,
    RandomPidSecretKeyGenerator, Type,
};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::data::DataRow;
use pgwire::messages::extendedquery::Execute;
use pgwire::messages::response::TransactionStatus;
use pgwire::messages::startup::ParameterStatus;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use tokio::sync::{Notify, OwnedSemaphorePermit};
use tokio_util::sync::CancellationToken;

use super::cancel::{CancelRegistry, QueryCancel};
use super::cursor::FetchCount;
use super::encode::{BatchEncoder, field_infos, pg_column_type};
use super::error::to_pgwire;
use super::params;
use super::session::{CursorCommand, Planned, Session, TransactionCommand};
use crate::engine::Engine;
use crate::error::{SqlError, sqlstate};

/// What the server reports as its version in ParameterStatus: PostgreSQL-shaped, so drivers
/// that parse it are content. The number is `pgcompat`'s (`SHOW server_version`, `version()`).
pub const SERVER_VERSION: &str = concat!("16.6 (custlake ", env!("CARGO_PKG_VERSION"), ")");

// The ParameterStatus version must start with the version the catalog reports.
const _: () = {
    let reported = SERVER_VERSION.as_bytes();
    let number = crate::pgcompat::settings::SERVER_VERSION.as_bytes();
    let mut i = 0;
    while i < number.len() {
        assert!(reported[i] == number[i]);
        i += 1;
    }
};

/// Counts statements that are running (planned and not yet fully sent), so shutdown can wait
/// for them.
#[derive(Default)]
pub struct InFlight {
    running: AtomicUsize,
    idle: Notify,
}

impl InFlight {
    pub fn count(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Resolves once no statement is running.
    pub async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.count() == 0 {
                return;
            }
            notified.await;
        }
    }

    fn enter(self: &Arc<Self>) -> InFlightGuard {
        self.running.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(Arc::clone(self))
    }
}

struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// Everything the handlers share: the engine, shutdown signalling and the cancel registry.
pub struct Backend {
    engine: Engine,
    in_flight: Arc<InFlight>,
    /// Fired when the shutdown grace period is over: running statements end with 57P01.
    terminate: CancellationToken,
    connections: Arc<ConnectionManager>,
    /// One generator for the server, so backend PIDs are distinct across connections.
    pids: RandomPidSecretKeyGenerator,
    parser: Arc<Parser>,
    parameters: DefaultServerParameterProvider,
    cancels: Arc<CancelRegistry>,
}

impl Backend {
    pub fn new(engine: Engine, in_flight: Arc<InFlight>, terminate: CancellationToken) -> Self {
        let mut parameters = DefaultServerParameterProvider::default();
        parameters.server_version = SERVER_VERSION.to_string();
        parameters.time_zone = "UTC".to_string();
        parameters.date_style = "ISO, MDY".to_string();
        parameters.interval_style = "postgres".to_string();
        Backend {
            engine,
            in_flight,
            terminate,
            connections: Arc::new(ConnectionManager::new()),
            pids: RandomPidSecretKeyGenerator::default(),
            parser: Arc::new(Parser),
            parameters,
            cancels: Arc::new(CancelRegistry::default()),
        }
    }
}

/// The handler set pgwire asks for on each connection.
pub struct Handlers(pub Arc<Backend>);

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl SimpleQueryHandler> {
        self.0.clone()
    }
    fn extended_query_handler(&self) -> Arc<impl ExtendedQueryHandler> {
        self.0.clone()
    }
    fn startup_handler(&self) -> Arc<impl StartupHandler> {
        self.0.clone()
    }
    fn cancel_handler(&self) -> Arc<impl pgwire::api::cancel::CancelHandler> {
        Arc::new(Canceller {
            connections: self.0.connections.clone(),
            cancels: self.0.cancels.clone(),
        })
    }
}

/// Answers CancelRequests: pgwire's connection manager cancels a statement still being
/// planned, the registry one whose rows are being computed and sent.
struct Canceller {
    connections: Arc<ConnectionManager>,
    cancels: Arc<CancelRegistry>,
}

#[async_trait]
impl pgwire::api::cancel::CancelHandler for Canceller {
    async fn on_cancel_request(&self, request: pgwire::messages::cancel::CancelRequest) {
        self.cancels
            .cancel(request.pid, &request.secret_key.to_bytes());
        self.connections
            .cancel(request.pid, &request.secret_key)
            .await;
    }
}

/// SQL cursors are portals to the protocol too: psycopg describes a named cursor as a portal,
/// and Execute of such a portal fetches from the cursor. After each statement of the extended
/// protocol, the portal store holds one portal per open cursor and none for a closed one.
/// (pgwire builds stored statements only from Parse messages, so a cursor's portal carries
/// the statement that declared it; Describe and Execute of it go by the cursor's name.)
fn publish_cursor_portals<P: PortalStore<Statement = Planned>>(
    store: &P,
    session: &Session,
    declaring: &Arc<StoredStatement<Planned>>,
) {
    let open: std::collections::BTreeSet<String> = session
        .cursors()
        .list()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut published = session.published_cursor_portals();
    published.retain(|name| {
        let still_open = open.contains(name);
        if !still_open {
            store.rm_portal(name);
        }
        still_open
    });
    for name in open {
        if published.insert(name.clone()) {
            store.put_portal(Arc::new(Portal::new_cursor(name, Arc::clone(declaring))));
        }
    }
}

/// For a portal that is an open SQL cursor: what Describe and Execute of it mean (FETCH ALL).
fn cursor_portal(session: &Session, portal_name: &str) -> Option<Planned> {
    if !session.published_cursor_portals().contains(portal_name) {
        return None;
    }
    let schema = session.cursors().schema(portal_name).ok()?;
    Some(Planned::Cursor(CursorCommand::Fetch {
        name: portal_name.to_string(),
        count: FetchCount::All,
        schema,
    }))
}

fn query_cancel_of<C: ClientInfo>(client: &C) -> PgWireResult<Arc<QueryCancel>> {
    client
        .session_extensions()
        .get::<Arc<QueryCancel>>()
        .map(|c| (*c).clone())
        .ok_or_else(|| {
            to_pgwire(SqlError::new(
                sqlstate::PROTOCOL_VIOLATION,
                "query before the session was set up",
            ))
        })
}

fn session_of<C: ClientInfo>(client: &C) -> PgWireResult<Arc<Session>> {
    client.session_extensions().get::<Session>().ok_or_else(|| {
        to_pgwire(SqlError::new(
            sqlstate::PROTOCOL_VIOLATION,
            "query before the session was set up",
        ))
    })
}

#[async_trait]
impl StartupHandler for Backend {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // No users are configured in this version, and the server only listens on loopback
        // then (checked at bind): any user name is accepted without a password.
        if let PgWireFrontendMessage::Startup(ref startup) = message {
            protocol_negotiation(client, startup).await?;
            save_startup_parameters_to_metadata(client, startup);
            let (pid, secret_key) = self.pids.generate(client);
            client.set_pid_and_secret_key(pid, secret_key.clone());
            let (cancel, registration) = self.cancels.register(pid, secret_key.to_bytes());
            client.session_extensions().insert(cancel);
            client.session_extensions().insert(registration);
            let (handle, guard) = self.connections.register(pid, secret_key);
            client
                .session_extensions()
                .insert::<Arc<ConnectionHandle>>(handle);
            client.session_extensions().insert(guard);
            let metadata = client.metadata();
            let user = metadata.get(pgwire::api::METADATA_USER).cloned();
            let startup: Vec<(String, String)> = metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let session = Session::new(self.engine.session(), user, pid, &startup);
            let parameters = StartupParameters {
                server: &self.parameters,
                session: session.reported_settings(),
            };
            client.session_extensions().insert(session);
            finish_authentication(client, &parameters).await?;
        }
        Ok(())
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
    ) -> PgWireResult<QueryResponse>
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
        let response = match cancelled {
            Some(cancelled) => match futures::future::select(Box::pin(query), cancelled).await {
                futures::future::Either::Left((response, _)) => response,
                futures::future::Either::Right(_) => Err(PgWireError::QueryCanceled),
            },
            None => query.await,
        }?;
        match response {
            Response::Query(results) => Ok(results),
            _ => Err(to_pgwire(SqlError::new(
                sqlstate::INTERNAL_ERROR,
                "a statement described with rows returned none",
            ))),
        }
    }

    /// Runs a planned statement and turns it into the response pgwire sends.
    async fn respond(
        &self,
        session: &Session,
        cancel: &QueryCancel,
        transaction_failed: bool,
        planned: Planned,
        parameters: Option<ParamValues>,
        formats: &Format,
    ) -> Result<Response, SqlError> {
        let (plan, tag, returns_rows) = match planned {
            // In a failed transaction block only its end is accepted, and COMMIT rolls back.
            Planned::Transaction(TransactionCommand::Commit | TransactionCommand::Rollback)
                if transaction_failed =>
            {
                session.transaction_command(TransactionCommand::Rollback);
                return Ok(Response::TransactionEnd(Tag::new("ROLLBACK")));
            }
            Planned::Transaction(TransactionCommand::RollbackToSavepoint) if transaction_failed => {
                return Err(SqlError::new(
                    sqlstate::FEATURE_NOT_SUPPORTED,
                    "ROLLBACK TO SAVEPOINT after an error is not supported: roll back the transaction",
                ));
            }
            _ if transaction_failed => {
                return Err(SqlError::new(
                    sqlstate::IN_FAILED_SQL_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block",
                ));
            }
            Planned::Transaction(
                command @ (TransactionCommand::Savepoint
                | TransactionCommand::Release
                | TransactionCommand::RollbackToSavepoint),
            ) if !session.in_transaction() => {
                return Err(SqlError::new(
                    sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                    format!(
                        "{} can only be used in transaction blocks",
                        match command {
                            TransactionCommand::Savepoint => "SAVEPOINT",
                            TransactionCommand::Release => "RELEASE SAVEPOINT",
                            _ => "ROLLBACK TO SAVEPOINT",
                        }
                    ),
                ));
            }
            Planned::Transaction(command) => {
                session.transaction_command(command);
                let tag = Tag::new(command.tag());
                return Ok(match command {
                    TransactionCommand::Begin => Response::TransactionStart(tag),
                    TransactionCommand::Commit | TransactionCommand::Rollback => {
                        Response::TransactionEnd(tag)
                    }
                    TransactionCommand::Savepoint
                    | TransactionCommand::Release
                    | TransactionCommand::RollbackToSavepoint => Response::Execution(tag),
                });
            }
            Planned::Cursor(command) => {
                let tag = command.tag();
                return match command {
                    CursorCommand::Declare {
                        name, plan, hold, ..
                    } => {
                        if !hold && !session.in_transaction() {
                            return Err(SqlError::new(
                                sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                                "DECLARE CURSOR can only be used in transaction blocks",
                            ));
                        }
                        let plan = match parameters {
                            Some(values) => plan.with_param_values(values)?,
                            None => *plan,
                        };
                        let stream = session.execute(plan).await?;
                        session.cursors().declare(&name, stream, hold)?;
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                    CursorCommand::Fetch { name, count, .. } => {
                        let rows = session.cursors().fetch(&name, count)?;
                        let guard = self.in_flight.enter();
                        let stop = StatementStop::new(session, cancel);
                        self.rows_response(rows, formats, tag, (guard, None), stop)
                    }
                    CursorCommand::Close(Some(name)) => {
                        session.cursors().close(&name)?;
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                    CursorCommand::Close(None) => {
                        session.cursors().close_all();
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                };
            }
            Planned::Session(command) => {
                return match session.run_command(&command)? {
                    Some(rows) => {
                        let guard = self.in_flight.enter();
                        let stop = StatementStop::new(session, cancel);
                        self.rows_response(rows, formats, command.tag(), (guard, None), stop)
                    }
                    None => Ok(Response::Execution(Tag::new(command.tag()))),
                };
            }
            Planned::Plan {
                plan,
                tag,
                returns_rows,
                ..
            } => (plan, tag, returns_rows),
        };
        let plan = match parameters {
            Some(values) => plan.with_param_values(values)?,
            None => *plan,
        };
        let guard = self.in_flight.enter();
        let stop = StatementStop::new(session, cancel);
        // Waiting for a turn to run counts against statement_timeout and can be cancelled.
        let turn = tokio::select! {
            turn = self.engine.admit() => turn.map_err(|e| {
                SqlError::new(sqlstate::ADMIN_SHUTDOWN, e.to_string())
            })?,
            stopped = stop.stopped() => return Err(stopped),
        };
        let stream = session.execute(plan).await?;
        if !returns_rows {
            return Ok(Response::Execution(Tag::new(tag)));
        }
        self.rows_response(stream, formats, tag, (guard, Some(turn)), stop)
    }

    /// A response that encodes `stream`'s batches into DataRows as pgwire writes them.
    fn rows_response(
        &self,
        stream: SendableRecordBatchStream,
        formats: &Format,
        tag: &str,
        guard: (InFlightGuard, Option<OwnedSemaphorePermit>),
        stop: StatementStop,
    ) -> Result<Response, SqlError> {
        let schema = stream.schema();
        let fields = field_infos(&schema, formats)?;
        let column_formats = fields.iter().map(FieldInfo::format).collect();
        let encoder = BatchEncoder::new(schema, column_formats)?;
        let rows =
            RowStream::new(stream, encoder, guard, self.terminate.clone(), stop).into_stream();
        let mut response = QueryResponse::new(Arc::new(fields), rows);
        response.set_command_tag(tag);
        Ok(Response::Query(response))
    }
}

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
        let cancel = query_cancel_of(client)?;
        let mut transaction_failed = client.transaction_status() == TransactionStatus::Error;
        let statements = Session::parse(query).map_err(to_pgwire)?;
        if statements.is_empty() {
            return Ok(vec![Response::EmptyQuery]);
        }
        let mut responses = Vec::with_capacity(statements.len());
        for statement in statements {
            // Statements run in order and the first failure ends the query string, as in
            // PostgreSQL; later statements are not even planned (they may depend on a SET).
            let outcome = match session.plan(statement, &[]).await {
                Ok(planned) => {
                    self.respond(
                        &session,
                        &cancel,
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
                    responses.push(Response::Error(Box::new(super::error::to_error_info(e))));
                    break;
                }
            }
        }
        report_changed_settings(client, &session).await?;
        Ok(responses)
    }
}

/// The ParameterStatus values sent at startup: the server's own, with the session's values
/// of the settings it reports (startup-packet values applied), so that the client starts
/// from what `SHOW` would say.
struct StartupParameters<'a> {
    server: &'a DefaultServerParameterProvider,
    session: Vec<(&'static str, String)>,
}

impl ServerParameterProvider for StartupParameters<'_> {
    fn server_parameters<C>(&self, client: &C) -> Option<std::collections::HashMap<String, String>>
    where
        C: ClientInfo,
    {
        let mut parameters = self.server.server_parameters(client)?;
        for (name, value) in &self.session {
            parameters.insert(name.to_string(), value.clone());
        }
        Some(parameters)
    }
}

/// Tells the client of each reported setting (`TimeZone`, `application_name`, …) whose value
/// the statement changed, as PostgreSQL does: drivers keep these to decode values and show
/// the session's state.
async fn report_changed_settings<C>(client: &mut C, session: &Session) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin + Send,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    for (name, value) in session.take_changed_settings() {
        client
            .feed(PgWireBackendMessage::ParameterStatus(ParameterStatus::new(
                name.to_string(),
                value,
            )))
            .await?;
    }
    Ok(())
}

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

#[async_trait]
impl ExtendedQueryHandler for Backend {
    type Statement = Planned;
    type QueryParser = Parser;

    fn query_parser(&self) -> Arc<Parser> {
        self.parser.clone()
    }

    /// An Execute without a row limit sends the portal's rows as DataFusion produces them, for
    /// a new portal and for the rest of one suspended by a row-limited Execute. pgwire's own
    /// Execute first collects every row it is to send (`Portal::fetch`), which holds a whole
    /// result in memory outside the pool: 10M orders took 1.1 GiB. Row-limited Executes,
    /// finished portals and statements without rows take pgwire's way, where what is held is
    /// bounded by the client's row limit.
    async fn on_execute<C>(&self, client: &mut C, message: Execute) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
        let portal = match client.portal_store().get_portal(name) {
            Some(Entry::Value(portal))
                if message.max_rows == 0
                    && matches!(client.state(), PgWireConnectionState::ReadyForQuery) =>
            {
                portal
            }
            _ => return self._on_execute(client, message).await,
        };
        // A portal suspended by an earlier row-limited Execute: the rest of its rows.
        let suspended = {
            let state = portal.state();
            let mut state = state.lock().await;
            match std::mem::replace(&mut *state, PortalExecutionState::Finished) {
                PortalExecutionState::Suspended(results) => Some(results),
                other => {
                    *state = other;
                    None
                }
            }
        };
        let transaction_status = client.transaction_status();
        let mut results = match suspended {
            Some(results) => {
                client.set_state(PgWireConnectionState::QueryInProgress);
                results
            }
            None => {
                let initial = matches!(*portal.state().lock().await, PortalExecutionState::Initial);
                if !initial || self.portal_fields(client, &portal)?.is_empty() {
                    return self._on_execute(client, message).await;
                }
                client.set_state(PgWireConnectionState::QueryInProgress);
                let results = self.start_portal(client, &portal).await?;
                *portal.state().lock().await = PortalExecutionState::Finished;
                results
            }
        };
        let tag = results.command_tag().to_owned();
        let mut rows = 0;
        let data_rows = results.data_rows();
        while let Some(row) = data_rows.next().await {
            client.feed(PgWireBackendMessage::DataRow(row?)).await?;
            rows += 1;
        }
        client
            .send(PgWireBackendMessage::CommandComplete(
                Tag::new(&tag).with_rows(rows).into(),
            ))
            .await?;
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
            let cancel = query_cancel_of(client)?;
            let transaction_failed = client.transaction_status() == TransactionStatus::Error;
            return self
                .respond(
                    &session,
                    &cancel,
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
        let cancel = query_cancel_of(client)?;
        let transaction_failed = client.transaction_status() == TransactionStatus::Error;
        let response = self
            .respond(
                &session,
                &cancel,
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

/// What ends a statement early besides shutdown: a CancelRequest, or its statement_timeout.
struct StatementStop {
    cancel: CancellationToken,
    deadline: Option<tokio::time::Instant>,
}

impl StatementStop {
    fn new(session: &Session, cancel: &QueryCancel) -> Self {
        let timeout_ms = session.statement_timeout_ms();
        StatementStop {
            cancel: cancel.start(),
            deadline: (timeout_ms > 0).then(|| {
                tokio::time::Instant::now() + std::time::Duration::from_millis(timeout_ms)
            }),
        }
    }

    fn cancelled() -> SqlError {
        SqlError::new(
            sqlstate::QUERY_CANCELED,
            "canceling statement due to user request",
        )
    }

    fn timed_out() -> SqlError {
        SqlError::new(
            sqlstate::QUERY_CANCELED,
            "canceling statement due to statement timeout",
        )
    }

    /// The error to end the statement with, if it is to end now (checked per row: a
    /// suspended portal may sit on the rest of an encoded batch).
    fn already_stopped(&self) -> Option<SqlError> {
        if self.cancel.is_cancelled() {
            return Some(Self::cancelled());
        }
        self.deadline
            .is_some_and(|d| tokio::time::Instant::now() >= d)
            .then(Self::timed_out)
    }

    /// Resolves with the error to end the statement with.
    async fn stopped(&self) -> SqlError {
        let deadline = async {
            match self.deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = self.cancel.cancelled() => Self::cancelled(),
            _ = deadline => Self::timed_out(),
        }
    }
}

/// DataFusion batches → DataRows, one batch at a time, pulled by pgwire as it writes to the socket.
struct RowStream {
    batches: SendableRecordBatchStream,
    encoder: BatchEncoder,
    pending: std::vec::IntoIter<DataRow>,
    terminate: CancellationToken,
    stop: StatementStop,
    /// Held until the rows are sent or the statement ends: the server's count of running
    /// statements, and the statement's turn to run (none for SHOW's rows).
    _in_flight: (InFlightGuard, Option<OwnedSemaphorePermit>),
    done: bool,
}

impl RowStream {
    fn new(
        batches: SendableRecordBatchStream,
        encoder: BatchEncoder,
        in_flight: (InFlightGuard, Option<OwnedSemaphorePermit>),
        terminate: CancellationToken,
        stop: StatementStop,
    ) -> Self {
        RowStream {
            batches,
            encoder,
            pending: Vec::new().into_iter(),
            terminate,
            stop,
            _in_flight: in_flight,
            done: false,
        }
    }

    fn into_stream(self) -> impl Stream<Item = PgWireResult<DataRow>> + Send + 'static {
        futures::stream::unfold(self, |mut rows| async move {
            let item = rows.next_row().await?;
            Some((item, rows))
        })
    }

    async fn next_row(&mut self) -> Option<PgWireResult<DataRow>> {
        let terminated = || {
            Some(Err(to_pgwire(SqlError::new(
                sqlstate::ADMIN_SHUTDOWN,
                "terminating statement: the server is shutting down",
            ))))
        };
        loop {
            if self.done {
                return None;
            }
            // Checked per row too: a suspended portal may sit on the rest of an encoded batch.
            if self.terminate.is_cancelled() {
                self.done = true;
                return terminated();
            }
            if let Some(error) = self.stop.already_stopped() {
                self.done = true;
                return Some(Err(to_pgwire(error)));
            }
            if let Some(row) = self.pending.next() {
                return Some(Ok(row));
            }
            let next = tokio::select! {
                biased;
                _ = self.terminate.cancelled() => {
                    self.done = true;
                    return terminated();
                }
                error = self.stop.stopped() => {
                    // Dropping the batches stops DataFusion's plan and frees its memory now,
                    // not when the portal is closed.
                    self.done = true;
                    self.batches = Box::pin(datafusion::physical_plan::EmptyRecordBatchStream::new(
                        self.batches.schema(),
                    ));
                    return Some(Err(to_pgwire(error)));
                }
                next = self.batches.next() => next,
            };
            match next {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(to_pgwire(SqlError::from(e))));
                }
                Some(Ok(batch)) => {
                    let mut rows = Vec::with_capacity(batch.num_rows());
                    if let Err(e) = self.encoder.encode(&batch, &mut rows) {
                        self.done = true;
                        return Some(Err(to_pgwire(e.into())));
                    }
                    self.pending = rows.into_iter();
                }
            }
        }
    }
}
