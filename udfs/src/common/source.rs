//! What the table functions share: reading a `source` argument (a table name or a query) and
//! constant arguments, and planning a source while the calling query is planned.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use datafusion::arrow::array::RecordBatch;
use datafusion::catalog::Session;
use datafusion::common::{DFSchema, Result, ScalarValue, plan_datafusion_err, plan_err};
use datafusion::execution::SessionState;
use datafusion::logical_expr::{ColumnarValue, Expr, LogicalPlan};
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::Statement;
use datafusion::sql::sqlparser::dialect::dialect_from_str;
use datafusion::sql::sqlparser::parser::Parser;
use datafusion::sql::sqlparser::tokenizer::Token;

/// The query that reads the `source` argument of `function` (called as `syntax`): the query
/// itself, or `SELECT * FROM` the table name as the parser understood it (re-quoted, so a
/// name cannot smuggle in more SQL).
pub(crate) fn source_query(
    function: &str,
    syntax: &str,
    source: &Expr,
    session: &dyn Session,
) -> Result<String> {
    let text = match source {
        Expr::Literal(
            ScalarValue::Utf8(Some(text))
            | ScalarValue::Utf8View(Some(text))
            | ScalarValue::LargeUtf8(Some(text)),
            _,
        ) => text,
        other => {
            return plan_err!(
                "{function}: source must be a text literal naming a table or holding a query, \
                 not {other} ({syntax})"
            );
        }
    };
    let dialect_name = session.config().options().sql_parser.dialect.to_string();
    let dialect = dialect_from_str(&dialect_name)
        .ok_or_else(|| plan_datafusion_err!("{function}: unknown SQL dialect {dialect_name}"))?;
    let query_error = match DFParser::parse_sql_with_dialect(text, dialect.as_ref()) {
        Ok(statements) => match statements.front() {
            Some(DfStatement::Statement(statement))
                if statements.len() == 1 && matches!(**statement, Statement::Query(_)) =>
            {
                return Ok(text.to_string());
            }
            _ => None,
        },
        Err(e) => Some(e),
    };
    let mut parser = Parser::new(dialect.as_ref())
        .try_with_sql(text)
        .map_err(|e| plan_datafusion_err!("{function}: source: {e}"))?;
    if let Ok(name) = parser.parse_object_name(false)
        && parser.peek_token().token == Token::EOF
    {
        return Ok(format!("SELECT * FROM {name}"));
    }
    match query_error {
        Some(e) => {
            plan_err!("{function}: source is neither a table name nor a valid query: {e}")
        }
        None => {
            plan_err!("{function}: source must be a table name or one SELECT query, got '{text}'")
        }
    }
}

/// The session a table function was called in, as the `SessionState` that can plan SQL.
pub(crate) fn session_state<'a>(
    function: &str,
    session: &'a dyn Session,
) -> Result<&'a SessionState> {
    session
        .as_any()
        .downcast_ref::<SessionState>()
        .ok_or_else(|| {
            plan_datafusion_err!("{function}: needs a DataFusion SessionState to plan its source")
        })
}

/// Plans `query` while the calling statement is being planned, when a table function must
/// know its source's columns to say what it returns.
///
/// Planning SQL is async only because a catalog may look tables up over the network; the
/// catalogs of a lake answer at once. The planning is polled once: a source whose tables
/// would have to be waited for gets a clear error instead of blocking the planner.
pub(crate) fn plan_source_now(
    function: &str,
    state: &SessionState,
    query: &str,
) -> Result<LogicalPlan> {
    let planning = pin!(state.create_logical_plan(query));
    match poll_once(planning) {
        Some(plan) => plan,
        None => plan_err!(
            "{function}: the source's tables could not be looked up without waiting (a \
             catalog that loads tables remotely); register the table in the lake first"
        ),
    }
}

/// The output of `future` if it is ready at the first poll.
fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// The value of `argument`, which must be constant (a literal, or an expression of literals
/// such as `-1` or `CAST('0.5' AS DOUBLE)`).
pub(crate) fn constant_argument(
    function: &str,
    name: &str,
    argument: &Expr,
    session: &dyn Session,
) -> Result<ScalarValue> {
    if let Expr::Literal(value, _) = argument {
        return Ok(value.clone());
    }
    if !argument.column_refs().is_empty() {
        return plan_err!("{function}: {name} must be a constant, not {argument}");
    }
    let expression = session.create_physical_expr(argument.clone(), &DFSchema::empty())?;
    let one_row = RecordBatch::try_new_with_options(
        std::sync::Arc::new(datafusion::arrow::datatypes::Schema::empty()),
        vec![],
        &datafusion::arrow::array::RecordBatchOptions::new().with_row_count(Some(1)),
    )?;
    match expression.evaluate(&one_row)? {
        ColumnarValue::Scalar(value) => Ok(value),
        ColumnarValue::Array(array) => ScalarValue::try_from_array(&array, 0),
    }
}
