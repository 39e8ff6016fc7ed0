//! Per-connection state: the connection's own DataFusion session (its settings are its own), and
//! turning SQL text into plans the handler can describe, bind and run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use custlake_udfs::interrupt::Interrupt;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::execution::SendableRecordBatchStream;
use datafusion::logical_expr::expr::{Cast, Placeholder, TryCast};
use datafusion::logical_expr::{Expr, LogicalPlan, Statement as PlanStatement};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::{DFParser, Statement as DFStatement};
use datafusion::sql::sqlparser::ast::Statement as SqlStatement;
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;

use super::cursor::{Cursors, FetchCount};
use super::encode::copy::CopyOptions;
use crate::engine::{CpuRuntime, check_read_only, interruptible};
use crate::error::{SqlError, sqlstate};
use crate::pgcompat::commands::{self, Command};
use crate::pgcompat::{PgSettings, rewrite};

/// One client connection's view of the engine.
pub struct Session {
    ctx: SessionContext,
    /// Where the session's plans run (the engine's, shared).
    cpu: Arc<CpuRuntime>,
    /// The options a new session starts with: what `RESET` and `DISCARD ALL` return to.
    defaults: ConfigOptions,
    transaction: Mutex<TransactionState>,
    cursors: Cursors,
    /// The cursors the portal store holds a portal for (see `handler::publish_cursor_portals`).
    cursor_portals: Mutex<std::collections::BTreeSet<String>>,
    /// The rows of the COPY being sent, counted as they are encoded, for its `COPY n` tag.
    copy_rows: Mutex<Option<Arc<std::sync::atomic::AtomicU64>>>,
    /// The values of the reported settings the client was last told (ParameterStatus).
    reported: Mutex<Vec<(&'static str, String)>>,
}

#[derive(Debug, Default)]
struct TransactionState {
    open: bool,
    /// The options before the transaction's first `SET LOCAL`, restored when it ends.
    before_local_settings: Option<ConfigOptions>,
}

/// Read under the state's lock rather than from a copy of the state: this runs after every
/// statement.
fn reported_settings_of(ctx: &SessionContext) -> Vec<(&'static str, String)> {
    ctx.state_ref()
        .read()
        .config_options()
        .extensions
        .get::<PgSettings>()
        .map(PgSettings::reported)
        .unwrap_or_default()
}

/// Transaction control is accepted and tracked for the protocol's sake; custlake is read-only,
/// so there is nothing to commit or roll back. What a transaction does own here is its
/// cursors (closed at its end unless `WITH HOLD`) and its `SET LOCAL` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionCommand {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    RollbackToSavepoint,
}

impl TransactionCommand {
    pub fn tag(self) -> &'static str {
        match self {
            TransactionCommand::Begin => "BEGIN",
            TransactionCommand::Commit => "COMMIT",
            TransactionCommand::Rollback | TransactionCommand::RollbackToSavepoint => "ROLLBACK",
            TransactionCommand::Savepoint => "SAVEPOINT",
            TransactionCommand::Release => "RELEASE",
        }
    }
}

/// `DECLARE`, `FETCH` and `CLOSE`.
#[derive(Debug, Clone)]
pub enum CursorCommand {
    Declare {
        name: String,
        plan: Box<LogicalPlan>,
        hold: bool,
        /// Types of `$1 … $n` in the cursor's query (psycopg binds them).
        parameter_types: Vec<DataType>,
    },
    Fetch {
        name: String,
        count: FetchCount,
        schema: datafusion::arrow::datatypes::SchemaRef,
    },
    Close(Option<String>),
}

impl CursorCommand {
    pub fn tag(&self) -> &'static str {
        match self {
            CursorCommand::Declare { .. } => "DECLARE CURSOR",
            CursorCommand::Fetch { .. } => "FETCH",
            CursorCommand::Close(Some(_)) => "CLOSE CURSOR",
            CursorCommand::Close(None) => "CLOSE CURSOR ALL",
        }
    }
}

/// A statement ready to run: a plan whose placeholders all have a type, or a transaction command.
#[derive(Debug, Clone)]
pub enum Planned {
    Plan {
        plan: Box<LogicalPlan>,
        /// The command tag PostgreSQL would send (`SELECT`, `SHOW`, `EXPLAIN`, `SET` …).
        tag: &'static str,
        returns_rows: bool,
        /// Types of `$1 … $n`, in order.
        parameter_types: Vec<DataType>,
    },
    Transaction(TransactionCommand),
    /// `SET`, `SHOW`, `RESET`, `DISCARD` of PostgreSQL's settings.
    Session(Command),
    Cursor(CursorCommand),
    /// `COPY (query) TO STDOUT`: the query's rows as CopyData.
    CopyOut {
        plan: Box<LogicalPlan>,
        options: CopyOptions,
    },
}

impl Planned {
    /// Types of `$1 … $n`, in order (none for transaction commands).
    pub fn parameter_types(&self) -> &[DataType] {
        match self {
            Planned::Plan {
                parameter_types, ..
            } => parameter_types,
            Planned::Cursor(CursorCommand::Declare {
                parameter_types, ..
            }) => parameter_types,
            Planned::Transaction(_)
            | Planned::Session(_)
            | Planned::Cursor(_)
            | Planned::CopyOut { .. } => &[],
        }
    }
}

impl Session {
    /// A session on `ctx` whose plans run on `cpu`, connected as `user` with backend process ID `backend_pid`;
    /// `startup` are the settings of the client's startup packet (`application_name`,
    /// `DateStyle` …), which become the session's reset values. Values custlake cannot honour
    /// are left at custlake's own (which the server reports in ParameterStatus).
    pub fn new(
        ctx: SessionContext,
        cpu: Arc<CpuRuntime>,
        user: Option<String>,
        backend_pid: i32,
        startup: &[(String, String)],
    ) -> Self {
        let defaults = ctx.state().config_options().as_ref().clone();
        {
            let state = ctx.state_ref();
            let mut state = state.write();
            let options = state.config_mut().options_mut();
            if let Some(settings) = options.extensions.get_mut::<PgSettings>() {
                settings.user = user;
                settings.backend_pid = backend_pid;
                for (name, value) in startup {
                    if let Err(e) = settings.set_reset_value(name, value) {
                        log::debug!("startup parameter {name}={value} not applied: {e}");
                    }
                }
            }
            if let Err(e) = crate::pgcompat::commands::apply_time_zone(&mut state) {
                log::warn!("the session's time zone was not applied: {e}");
            }
        }
        let reported = Mutex::new(reported_settings_of(&ctx));
        Session {
            ctx,
            cpu,
            defaults,
            transaction: Mutex::new(TransactionState::default()),
            cursors: Cursors::default(),
            cursor_portals: Mutex::default(),
            copy_rows: Mutex::default(),
            reported,
        }
    }

    /// The session's values of the settings reported to the client (ParameterStatus).
    pub fn reported_settings(&self) -> Vec<(&'static str, String)> {
        reported_settings_of(&self.ctx)
    }

    /// The reported settings whose value changed since the client was last told (by `SET`,
    /// `RESET`, `DISCARD ALL`, `set_config` or the end of a transaction with `SET LOCAL`),
    /// now counted as told: what the server sends as ParameterStatus. (PostgreSQL sends it
    /// just before ReadyForQuery; here it comes before the statement's result, which clients
    /// accept as well — ParameterStatus may arrive at any time.)
    pub fn take_changed_settings(&self) -> Vec<(&'static str, String)> {
        let now = self.reported_settings();
        let mut told = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let changed = now
            .iter()
            .filter(|setting| !told.contains(setting))
            .cloned()
            .collect();
        *told = now;
        changed
    }

    /// The names of the cursors published as protocol portals.
    pub fn published_cursor_portals(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::BTreeSet<String>> {
        self.cursor_portals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// A counter for the rows of the COPY about to be sent.
    pub fn count_copy_rows(&self) -> Arc<std::sync::atomic::AtomicU64> {
        let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
        *self.copy_rows.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&counter));
        counter
    }

    /// The rows the last COPY sent.
    pub fn copied_rows(&self) -> u64 {
        self.copy_rows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .map_or(0, |rows| rows.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// The session's cursors.
    pub fn cursors(&self) -> &Cursors {
        &self.cursors
    }

    /// `statement_timeout` in milliseconds (0: none).
    pub fn statement_timeout_ms(&self) -> u64 {
        let state = self.ctx.state_ref();
        let state = state.read();
        state
            .config_options()
            .extensions
            .get::<PgSettings>()
            .map_or(0, PgSettings::statement_timeout_ms)
    }

    /// Whether a transaction block is open.
    pub fn in_transaction(&self) -> bool {
        self.transaction
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .open
    }

    /// Notes a BEGIN, COMMIT or ROLLBACK; at the end of a transaction the settings of its
    /// `SET LOCAL`s are undone.
    pub fn transaction_command(&self, command: TransactionCommand) {
        let mut transaction = self.transaction.lock().unwrap_or_else(|e| e.into_inner());
        match command {
            TransactionCommand::Begin => transaction.open = true,
            TransactionCommand::Savepoint
            | TransactionCommand::Release
            | TransactionCommand::RollbackToSavepoint => {}
            TransactionCommand::Commit | TransactionCommand::Rollback => {
                transaction.open = false;
                self.cursors.close_transaction_cursors();
                if let Some(before) = transaction.before_local_settings.take() {
                    let state = self.ctx.state_ref();
                    let mut state = state.write();
                    *state.config_mut().options_mut() = before;
                    if let Err(e) = crate::pgcompat::commands::apply_time_zone(&mut state) {
                        log::warn!("the session's time zone was not restored: {e}");
                    }
                }
            }
        }
    }

    /// Runs a session command; returns the rows of `SHOW` as a stream.
    pub fn run_command(
        &self,
        command: &Command,
    ) -> Result<Option<SendableRecordBatchStream>, SqlError> {
        let mut transaction = self.transaction.lock().unwrap_or_else(|e| e.into_inner());
        let transaction = &mut *transaction;
        let saved = transaction
            .open
            .then_some(&mut transaction.before_local_settings);
        let rows = commands::execute(command, &self.ctx, &self.defaults, saved)?;
        if *command == Command::DiscardAll {
            self.cursors.close_all();
        }
        Ok(rows.map(|batch| {
            let schema = batch.schema();
            Box::pin(RecordBatchStreamAdapter::new(
                schema,
                futures::stream::once(async move { Ok(batch) }),
            )) as SendableRecordBatchStream
        }))
    }

    /// Splits a query string into statements (PostgreSQL dialect). A COPY is read by
    /// sqlparser's grammar, PostgreSQL's (`COPY (query) TO STDOUT WITH (FORMAT csv)`), not by
    /// DataFusion's, whose COPY writes files.
    pub fn parse(sql: &str) -> Result<Vec<DFStatement>, SqlError> {
        use datafusion::sql::sqlparser::keywords::Keyword;
        use datafusion::sql::sqlparser::tokenizer::Token;
        let dialect = PostgreSqlDialect {};
        let mut parser = datafusion::sql::parser::DFParserBuilder::new(sql)
            .with_dialect(&dialect)
            .build()?;
        let mut statements = Vec::new();
        let mut expecting_delimiter = false;
        loop {
            while parser.parser.consume_token(&Token::SemiColon) {
                expecting_delimiter = false;
            }
            let next = parser.parser.peek_token();
            if next.token == Token::EOF {
                return Ok(statements);
            }
            if expecting_delimiter {
                return Err(SqlError::new(
                    sqlstate::SYNTAX_ERROR,
                    format!(
                        "syntax error at or near \"{next}\": expected the end of the statement"
                    ),
                ));
            }
            let statement = match next.token {
                Token::Word(word) if word.keyword == Keyword::COPY => DFStatement::Statement(
                    Box::new(parser.parser.parse_statement().map_err(|e| {
                        SqlError::from(datafusion::error::DataFusionError::SQL(Box::new(e), None))
                    })?),
                ),
                _ => parser.parse_statement()?,
            };
            statements.push(statement);
            expecting_delimiter = true;
        }
    }

    /// Plans one statement. `declared` are the parameter types the client named in its Parse
    /// message (`None` where it left the choice to the server).
    pub async fn plan(
        &self,
        mut statement: DFStatement,
        declared: &[Option<DataType>],
    ) -> Result<Planned, SqlError> {
        if let Some(command) = commands::classify_statement(&statement) {
            return Ok(Planned::Session(command));
        }
        if let DFStatement::Statement(s) = &statement {
            let mut transaction = self.transaction.lock().unwrap_or_else(|e| e.into_inner());
            let transaction = &mut *transaction;
            let saved = transaction
                .open
                .then_some(&mut transaction.before_local_settings);
            commands::apply_set_config_calls(s, &self.ctx, &self.defaults, saved)?;
        }
        rewrite::rewrite(&mut statement, &self.ctx.state())?;
        let (tag, returns_rows) = match &statement {
            DFStatement::Statement(s) => match s.as_ref() {
                SqlStatement::StartTransaction { .. } => {
                    return Ok(Planned::Transaction(TransactionCommand::Begin));
                }
                SqlStatement::Commit { .. } => {
                    return Ok(Planned::Transaction(TransactionCommand::Commit));
                }
                SqlStatement::Rollback {
                    savepoint: Some(_), ..
                } => {
                    return Ok(Planned::Transaction(
                        TransactionCommand::RollbackToSavepoint,
                    ));
                }
                SqlStatement::Rollback { .. } => {
                    return Ok(Planned::Transaction(TransactionCommand::Rollback));
                }
                SqlStatement::Savepoint { .. } => {
                    return Ok(Planned::Transaction(TransactionCommand::Savepoint));
                }
                SqlStatement::ReleaseSavepoint { .. } => {
                    return Ok(Planned::Transaction(TransactionCommand::Release));
                }
                SqlStatement::Declare { stmts } => {
                    return self
                        .plan_declare(stmts, declared)
                        .await
                        .map(Planned::Cursor);
                }
                SqlStatement::Fetch {
                    name, direction, ..
                } => {
                    let name = folded(name);
                    let count = fetch_count(direction)?;
                    let schema = self.cursors.schema(&name)?;
                    return Ok(Planned::Cursor(CursorCommand::Fetch {
                        name,
                        count,
                        schema,
                    }));
                }
                SqlStatement::Close { cursor } => {
                    return Ok(Planned::Cursor(CursorCommand::Close(match cursor {
                        datafusion::sql::sqlparser::ast::CloseCursor::All => None,
                        datafusion::sql::sqlparser::ast::CloseCursor::Specific { name } => {
                            Some(folded(name))
                        }
                    })));
                }
                SqlStatement::Copy {
                    source,
                    to,
                    target,
                    options,
                    legacy_options,
                    ..
                } => {
                    return self
                        .plan_copy(source, *to, target, options, legacy_options)
                        .await;
                }
                other => command_tag(other),
            },
            DFStatement::Explain(_) => ("EXPLAIN", true),
            DFStatement::CopyTo(_) => ("COPY", false),
            DFStatement::CreateExternalTable(_) => ("CREATE EXTERNAL TABLE", false),
            _ => ("SELECT", true),
        };
        let state = self.ctx.state();
        let plan = state.statement_to_plan(statement).await?;
        check_read_only(&plan)?;
        let (plan, parameter_types) = assign_parameter_types(plan, declared)?;
        let returns_rows =
            returns_rows && !matches!(plan, LogicalPlan::Statement(PlanStatement::SetVariable(_)));
        Ok(Planned::Plan {
            plan: Box::new(plan),
            tag,
            returns_rows,
            parameter_types,
        })
    }

    /// `COPY (query) TO STDOUT` and `COPY table [(columns)] TO STDOUT`: the query planned as
    /// a SELECT is (rewritten, read-only), its options read. COPY FROM, and COPY to a file
    /// or a program on the server, are refused.
    async fn plan_copy(
        &self,
        source: &datafusion::sql::sqlparser::ast::CopySource,
        to: bool,
        target: &datafusion::sql::sqlparser::ast::CopyTarget,
        options: &[datafusion::sql::sqlparser::ast::CopyOption],
        legacy_options: &[datafusion::sql::sqlparser::ast::CopyLegacyOption],
    ) -> Result<Planned, SqlError> {
        use datafusion::sql::sqlparser::ast::{CopySource, CopyTarget};
        if !to {
            return Err(SqlError::new(
                sqlstate::READ_ONLY_SQL_TRANSACTION,
                "cannot execute COPY FROM in a read-only transaction: custlake's tables are read-only",
            ));
        }
        if !matches!(target, CopyTarget::Stdout) {
            // PostgreSQL's answer to a user who is not a superuser.
            return Err(SqlError::new(
                sqlstate::INSUFFICIENT_PRIVILEGE,
                "must be superuser or have privileges of the pg_write_server_files role to COPY to a file",
            )
            .with_hint("custlake writes no files on the server: use COPY … TO STDOUT (psql's \\copy), which writes them on the client."));
        }
        let query = match source {
            CopySource::Query(query) => query.as_ref().clone(),
            CopySource::Table {
                table_name,
                columns,
            } => {
                let list = match columns.is_empty() {
                    true => "*".to_string(),
                    false => columns
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                let sql = format!("SELECT {list} FROM {table_name}");
                let mut parsed = DFParser::parse_sql_with_dialect(&sql, &PostgreSqlDialect {})?;
                match parsed.pop_front() {
                    Some(DFStatement::Statement(statement)) => match *statement {
                        SqlStatement::Query(query) => *query,
                        _ => {
                            return Err(SqlError::new(
                                sqlstate::SYNTAX_ERROR,
                                "COPY names a table",
                            ));
                        }
                    },
                    _ => return Err(SqlError::new(sqlstate::SYNTAX_ERROR, "COPY names a table")),
                }
            }
        };
        let mut statement = DFStatement::Statement(Box::new(SqlStatement::Query(Box::new(query))));
        let state = self.ctx.state();
        rewrite::rewrite(&mut statement, &state)?;
        let plan = state.statement_to_plan(statement).await?;
        check_read_only(&plan)?;
        if plan.schema().fields().is_empty() {
            return Err(SqlError::new(
                sqlstate::SYNTAX_ERROR,
                "COPY of a query without columns",
            ));
        }
        let columns: Vec<String> = plan
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let options = CopyOptions::read(options, legacy_options, &columns)?;
        Ok(Planned::CopyOut {
            plan: Box::new(plan),
            options,
        })
    }

    async fn plan_declare(
        &self,
        stmts: &[datafusion::sql::sqlparser::ast::Declare],
        declared: &[Option<DataType>],
    ) -> Result<CursorCommand, SqlError> {
        use datafusion::sql::sqlparser::ast::DeclareType;
        let [declare] = stmts else {
            return Err(SqlError::new(
                sqlstate::SYNTAX_ERROR,
                "DECLARE declares one cursor at a time",
            ));
        };
        let (Some(DeclareType::Cursor), Some(query), [name]) = (
            &declare.declare_type,
            &declare.for_query,
            declare.names.as_slice(),
        ) else {
            return Err(SqlError::new(
                sqlstate::SYNTAX_ERROR,
                "DECLARE must declare a cursor: DECLARE name CURSOR FOR query",
            ));
        };
        if declare.scroll == Some(true) {
            return Err(SqlError::new(
                sqlstate::FEATURE_NOT_SUPPORTED,
                "SCROLL cursors are not supported: custlake cursors move forward only",
            ));
        }
        let mut statement = DFStatement::Statement(Box::new(SqlStatement::Query(query.clone())));
        let state = self.ctx.state();
        rewrite::rewrite(&mut statement, &state)?;
        let plan = state.statement_to_plan(statement).await?;
        check_read_only(&plan)?;
        let (plan, parameter_types) = assign_parameter_types(plan, declared)?;
        Ok(CursorCommand::Declare {
            name: folded(name),
            plan: Box::new(plan),
            hold: declare.hold == Some(true),
            parameter_types,
        })
    }

    /// Starts a plan; rows arrive batch by batch as the returned stream is polled. Firing
    /// `interrupt` stops every operator of the plan at its next batch (see
    /// [`crate::engine::interruptible`]).
    pub async fn execute(
        &self,
        plan: LogicalPlan,
        interrupt: &Interrupt,
    ) -> Result<SendableRecordBatchStream, SqlError> {
        let frame = self.ctx.execute_logical_plan(plan).await?;
        let task = Arc::new(frame.task_ctx());
        let physical = interruptible(frame.create_physical_plan().await?, interrupt)?;
        let zone = task.session_config().options().execution.time_zone.clone();
        let stream = self.cpu.run(physical, task);
        Ok(match zone {
            Some(zone) => crate::pgcompat::session_zone::results_in_zone(stream, &zone),
            None => stream,
        })
    }
}

/// An identifier as PostgreSQL folds it: quoted as written, unquoted in lower case.
pub(super) fn folded(ident: &datafusion::sql::sqlparser::ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    }
}

/// The rows a FETCH direction asks for; only forward directions (cursors are NO SCROLL).
fn fetch_count(
    direction: &datafusion::sql::sqlparser::ast::FetchDirection,
) -> Result<FetchCount, SqlError> {
    use datafusion::sql::sqlparser::ast::FetchDirection as D;
    let number = |limit: &datafusion::sql::sqlparser::ast::ValueWithSpan| {
        limit.value.to_string().parse::<u64>().map_err(|_| {
            SqlError::new(
                sqlstate::SYNTAX_ERROR,
                format!(
                    "FETCH count must be a non-negative integer, not {}",
                    limit.value
                ),
            )
        })
    };
    match direction {
        D::Next | D::Forward { limit: None } => Ok(FetchCount::Rows(1)),
        D::Count { limit } | D::Forward { limit: Some(limit) } => {
            number(limit).map(FetchCount::Rows)
        }
        D::All | D::ForwardAll => Ok(FetchCount::All),
        _ => Err(SqlError::new(
            sqlstate::OBJECT_NOT_IN_PREREQUISITE_STATE,
            "cursor can only scan forward",
        )
        .with_hint("custlake cursors are NO SCROLL: FETCH NEXT, FORWARD n or ALL.")),
    }
}

fn command_tag(statement: &SqlStatement) -> (&'static str, bool) {
    match statement {
        SqlStatement::Query(_) => ("SELECT", true),
        SqlStatement::Set(_) => ("SET", false),
        SqlStatement::ShowVariable { .. }
        | SqlStatement::ShowTables { .. }
        | SqlStatement::ShowColumns { .. }
        | SqlStatement::ShowVariables { .. }
        | SqlStatement::ShowFunctions { .. } => ("SHOW", true),
        SqlStatement::Explain { .. } | SqlStatement::ExplainTable { .. } => ("EXPLAIN", true),
        SqlStatement::Insert(_) => ("INSERT", false),
        SqlStatement::Update(_) => ("UPDATE", false),
        SqlStatement::Delete(_) => ("DELETE", false),
        SqlStatement::CreateView(_) => ("CREATE VIEW", false),
        SqlStatement::CreateTable(_) => ("CREATE TABLE", false),
        SqlStatement::Drop { .. } => ("DROP", false),
        _ => ("SELECT", true),
    }
}

/// Gives every placeholder a type, so that Describe can tell the client what to send and Bind
/// knows what to decode. In order of precedence: the type the client declared; the type
/// DataFusion inferred from context (`customer_id = $1`); the target of a cast (`$1::date`);
/// and otherwise `text`, as PostgreSQL resolves an unknown-typed parameter.
fn assign_parameter_types(
    plan: LogicalPlan,
    declared: &[Option<DataType>],
) -> Result<(LogicalPlan, Vec<DataType>), SqlError> {
    let inferred = plan.get_parameter_types()?;
    if inferred.is_empty() {
        return Ok((plan, Vec::new()));
    }
    let mut count = 0;
    for id in inferred.keys() {
        count = count.max(placeholder_index(id)? + 1);
    }
    let mut types: Vec<Option<DataType>> = vec![None; count];
    for (id, data_type) in &inferred {
        types[placeholder_index(id)?] = data_type.clone();
    }
    for (slot, declared) in types.iter_mut().zip(declared) {
        if let Some(declared) = declared {
            *slot = Some(declared.clone());
        }
    }
    collect_cast_targets(&plan, &mut types)?;
    let types: Vec<DataType> = types
        .into_iter()
        .map(|t| t.unwrap_or(DataType::Utf8))
        .collect();

    let by_id: HashMap<String, DataType> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("${}", i + 1), t.clone()))
        .collect();
    let plan = plan
        .transform_up_with_subqueries(|node| {
            let node = node.map_expressions(|expr| {
                expr.transform_up(|expr| match expr {
                    Expr::Placeholder(Placeholder { id, field }) => {
                        let data_type = by_id.get(&id).cloned().unwrap_or(DataType::Utf8);
                        let same = field.as_ref().is_some_and(|f| f.data_type() == &data_type);
                        let field = Some(Arc::new(Field::new(&id, data_type, true)));
                        Ok(if same {
                            Transformed::no(Expr::Placeholder(Placeholder { id, field }))
                        } else {
                            Transformed::yes(Expr::Placeholder(Placeholder { id, field }))
                        })
                    }
                    other => Ok(Transformed::no(other)),
                })
            })?;
            if node.transformed {
                node.map_data(|plan| plan.recompute_schema())
            } else {
                Ok(node)
            }
        })?
        .data;
    Ok((plan, types))
}

fn collect_cast_targets(
    plan: &LogicalPlan,
    types: &mut [Option<DataType>],
) -> Result<(), SqlError> {
    let mut found: Vec<(usize, DataType)> = Vec::new();
    plan.apply_with_subqueries(|node| {
        node.apply_expressions(|expr| {
            expr.apply(|e| {
                let target = match e {
                    Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) => {
                        match expr.as_ref() {
                            Expr::Placeholder(Placeholder { id, field: None }) => {
                                Some((id.clone(), field.data_type().clone()))
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some((id, data_type)) = target
                    && let Ok(index) = placeholder_index(&id)
                {
                    found.push((index, data_type));
                }
                Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
            })
        })
    })?;
    for (index, data_type) in found {
        if let Some(slot) = types.get_mut(index)
            && slot.is_none()
        {
            *slot = Some(data_type);
        }
    }
    Ok(())
}

/// The highest parameter number: a Bind message counts its parameters in 16 bits.
pub const MAX_PARAMETER_NUMBER: usize = 65_535;

/// The 0-based index of placeholder `$n`. Numbers past [`MAX_PARAMETER_NUMBER`] are refused
/// before anything is sized by them (`$1000000000` would otherwise size the type list).
fn placeholder_index(id: &str) -> Result<usize, SqlError> {
    let number = id
        .strip_prefix('$')
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            SqlError::new(
                sqlstate::SYNTAX_ERROR,
                format!("parameter {id} is not of the form $1, $2, …"),
            )
        })?;
    match number.parse::<usize>() {
        Ok(n) if (1..=MAX_PARAMETER_NUMBER).contains(&n) => Ok(n - 1),
        _ => Err(SqlError::new(
            sqlstate::UNDEFINED_PARAMETER,
            format!("there is no parameter {id}"),
        )
        .with_hint(format!(
            "Parameters are numbered $1 to ${MAX_PARAMETER_NUMBER}, the most a Bind message carries."
        ))),
    }
}
