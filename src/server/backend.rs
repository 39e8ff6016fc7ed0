//! What the protocol phases share: the [`Backend`] (engine, shutdown signalling, cancel
//! registry), the handler set pgwire asks for, and [`Backend::respond`], which runs one
//! planned statement — taking its turn, watching what may stop it — and turns it into the
//! response pgwire sends.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use custlake_udfs::interrupt::Interrupt;
use datafusion::common::ParamValues;
use datafusion::execution::SendableRecordBatchStream;
use pgwire::api::auth::{DefaultServerParameterProvider, StartupHandler};
use pgwire::api::portal::{Format, Portal};
use pgwire::api::query::{ExtendedQueryHandler, SimpleQueryHandler};
use pgwire::api::results::{CopyResponse, FieldInfo, QueryResponse, Response, Tag};
use pgwire::api::stmt::StoredStatement;
use pgwire::api::store::PortalStore;
use pgwire::api::{
    ClientInfo, ConnectionManager, PgWireServerHandlers, RandomPidSecretKeyGenerator,
};
use pgwire::error::PgWireResult;
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::sync::CancellationToken;

use super::ServerStats;
use super::cancel::{CancelRegistry, ConnectionStops, StatementStop, StopSources};
use super::cursor::FetchCount;
use super::encode::copy::CopyEncoder;
use super::encode::{BatchEncoder, field_infos};
use super::error::to_pgwire;
use super::extended_query::Parser;
use super::row_stream::{CopyFrames, RowStream, Running};
use super::session::{CursorCommand, Planned, Session};
use super::shutdown::InFlight;
use super::transaction;
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

/// Everything the handlers share: the engine, shutdown signalling and the cancel registry.
pub struct Backend {
    pub(super) engine: Engine,
    pub(super) in_flight: Arc<InFlight>,
    /// Fired when the shutdown grace period is over: running statements end with 57P01.
    pub(super) terminate: CancellationToken,
    pub(super) connections: Arc<ConnectionManager>,
    /// One generator for the server, so backend PIDs are distinct across connections.
    pub(super) pids: RandomPidSecretKeyGenerator,
    pub(super) parser: Arc<Parser>,
    pub(super) parameters: DefaultServerParameterProvider,
    pub(super) cancels: Arc<CancelRegistry>,
    pub(super) stats: Arc<ServerStats>,
}

impl Backend {
    pub fn new(
        engine: Engine,
        in_flight: Arc<InFlight>,
        terminate: CancellationToken,
        stats: Arc<ServerStats>,
    ) -> Self {
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
            stats,
        }
    }
}

/// The handler set pgwire asks for on each connection.
#[derive(Clone)]
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
            stats: self.0.stats.clone(),
        })
    }
}

/// Answers CancelRequests: pgwire's connection manager cancels a statement still being
/// planned, the registry one whose rows are being computed and sent.
struct Canceller {
    connections: Arc<ConnectionManager>,
    cancels: Arc<CancelRegistry>,
    stats: Arc<ServerStats>,
}

#[async_trait]
impl pgwire::api::cancel::CancelHandler for Canceller {
    async fn on_cancel_request(&self, request: pgwire::messages::cancel::CancelRequest) {
        self.cancels
            .cancel(request.pid, &request.secret_key.to_bytes());
        self.connections
            .cancel(request.pid, &request.secret_key)
            .await;
        self.stats.cancel_requests.fetch_add(1, Ordering::Relaxed);
    }
}

fn not_set_up() -> pgwire::error::PgWireError {
    to_pgwire(SqlError::new(
        sqlstate::PROTOCOL_VIOLATION,
        "query before the session was set up",
    ))
}

pub(super) fn session_of<C: ClientInfo>(client: &C) -> PgWireResult<Arc<Session>> {
    client
        .session_extensions()
        .get::<Session>()
        .ok_or_else(not_set_up)
}

pub(super) fn stops_of<C: ClientInfo>(client: &C) -> PgWireResult<Arc<ConnectionStops>> {
    client
        .session_extensions()
        .get::<ConnectionStops>()
        .ok_or_else(not_set_up)
}

/// SQL cursors are portals to the protocol too: psycopg describes a named cursor as a portal,
/// and Execute of such a portal fetches from the cursor. After each statement of the extended
/// protocol, the portal store holds one portal per open cursor and none for a closed one.
/// (pgwire builds stored statements only from Parse messages, so a cursor's portal carries
/// the statement that declared it; Describe and Execute of it go by the cursor's name.)
pub(super) fn publish_cursor_portals<P: PortalStore<Statement = Planned>>(
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
pub(super) fn cursor_portal(session: &Session, portal_name: &str) -> Option<Planned> {
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

impl Backend {
    /// Watches what may stop a statement that `interrupt` stops.
    fn statement_stop(
        &self,
        session: &Session,
        stops: &ConnectionStops,
        interrupt: Interrupt,
    ) -> StatementStop {
        let timeout_ms = session.statement_timeout_ms();
        StatementStop::start(
            StopSources {
                cancel: stops.cancel.start(),
                timeout: (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms)),
                terminate: self.terminate.clone(),
                peer: stops.peer.clone(),
            },
            interrupt,
        )
    }

    /// Waits for a turn to run (at most `engine.max_running_statements` at once); the wait
    /// counts against statement_timeout and can be cancelled.
    async fn take_turn(&self, stop: &StatementStop) -> Result<OwnedSemaphorePermit, SqlError> {
        tokio::select! {
            turn = self.engine.admit() => turn.map_err(|e| {
                SqlError::new(sqlstate::ADMIN_SHUTDOWN, e.to_string())
            }),
            stopped = stop.stopped() => Err(stopped),
        }
    }

    /// Runs a planned statement and turns it into the response pgwire sends.
    pub(super) async fn respond(
        &self,
        session: &Session,
        stops: &ConnectionStops,
        transaction_failed: bool,
        planned: Planned,
        parameters: Option<ParamValues>,
        formats: &Format,
    ) -> Result<Response, SqlError> {
        let planned = match transaction::respond(session, transaction_failed, planned) {
            transaction::Outcome::Answered(response) => return response,
            transaction::Outcome::Run(planned) => planned,
        };
        let bind = |plan: datafusion::logical_expr::LogicalPlan| match &parameters {
            Some(values) => plan.with_param_values(values.clone()),
            None => Ok(plan),
        };
        match planned {
            Planned::Cursor(command) => {
                let tag = command.tag();
                match command {
                    CursorCommand::Declare {
                        name, plan, hold, ..
                    } => {
                        if !hold && !session.in_transaction() {
                            return Err(SqlError::new(
                                sqlstate::NO_ACTIVE_SQL_TRANSACTION,
                                "DECLARE CURSOR can only be used in transaction blocks",
                            ));
                        }
                        // The cursor keeps the plan; its turn ends with the DECLARE.
                        let (stream, _running, interrupt) =
                            self.start(session, stops, bind(*plan)?).await?;
                        session.cursors().declare(&name, stream, hold, interrupt)?;
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                    CursorCommand::Fetch { name, count, .. } => {
                        // A stopped FETCH stops the cursor's plan too.
                        let interrupt = session.cursors().interrupt(&name)?;
                        let rows = session.cursors().fetch(&name, count)?;
                        let running = self.in_flight.enter();
                        let stop = self.statement_stop(session, stops, interrupt);
                        let turn = self.take_turn(&stop).await?;
                        let running = Running::new(running, Some(turn), stop);
                        self.rows_response(rows, formats, tag, running)
                    }
                    CursorCommand::Close(Some(name)) => {
                        session.cursors().close(&name)?;
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                    CursorCommand::Close(None) => {
                        session.cursors().close_all();
                        Ok(Response::Execution(Tag::new(tag)))
                    }
                }
            }
            Planned::Session(command) => match session.run_command(&command)? {
                Some(rows) => {
                    let running = self.in_flight.enter();
                    let stop = self.statement_stop(session, stops, Interrupt::new());
                    let running = Running::new(running, None, stop);
                    self.rows_response(rows, formats, command.tag(), running)
                }
                None => Ok(Response::Execution(Tag::new(command.tag()))),
            },
            Planned::Plan {
                plan,
                tag,
                returns_rows,
                ..
            } => {
                let (stream, running, _) = self.start(session, stops, bind(*plan)?).await?;
                if !returns_rows {
                    return Ok(Response::Execution(Tag::new(tag)));
                }
                self.rows_response(stream, formats, tag, running)
            }
            Planned::CopyOut { plan, options } => {
                let (stream, running, _) = self.start(session, stops, *plan).await?;
                let encoder = CopyEncoder::new(stream.schema(), options)?;
                let (format, columns) = encoder.response_format();
                let frames = CopyFrames {
                    encoder,
                    rows: session.count_copy_rows(),
                };
                let data_stream = RowStream::new(stream, frames, running).into_stream();
                // Made as text, whose stream pgwire leaves as it is: the encoder writes binary's
                // trailer itself (with the header, when there are no rows, as PostgreSQL does).
                let mut response = CopyResponse::new(0, columns, data_stream);
                response.format = format;
                Ok(Response::CopyOut(response))
            }
            Planned::Transaction(_) => Err(SqlError::new(
                sqlstate::INTERNAL_ERROR,
                "a transaction command was not answered",
            )),
        }
    }

    /// Starts `plan` as a statement: counted as running, watched for what may stop it, after
    /// its turn to run; returns its stream, what it holds while it runs, and its interrupt.
    async fn start(
        &self,
        session: &Session,
        stops: &ConnectionStops,
        plan: datafusion::logical_expr::LogicalPlan,
    ) -> Result<(SendableRecordBatchStream, Running, Interrupt), SqlError> {
        let interrupt = Interrupt::new();
        let in_flight = self.in_flight.enter();
        let stop = self.statement_stop(session, stops, interrupt.clone());
        let turn = self.take_turn(&stop).await?;
        let stream = tokio::select! {
            started = session.execute(plan, &interrupt) => started?,
            stopped = stop.stopped() => return Err(stopped),
        };
        Ok((stream, Running::new(in_flight, Some(turn), stop), interrupt))
    }

    /// A response that encodes `stream`'s batches into DataRows as pgwire writes them.
    fn rows_response(
        &self,
        stream: SendableRecordBatchStream,
        formats: &Format,
        tag: &str,
        running: Running,
    ) -> Result<Response, SqlError> {
        let schema = stream.schema();
        let fields = field_infos(&schema, formats)?;
        let column_formats = fields.iter().map(FieldInfo::format).collect();
        let encoder = BatchEncoder::new(schema, column_formats)?;
        let rows = RowStream::new(stream, encoder, running).into_stream();
        let mut response = QueryResponse::new(Arc::new(fields), rows);
        response.set_command_tag(tag);
        Ok(Response::Query(response))
    }
}
