//! `custlake query "SQL"`: run one statement against a lake and print an aligned table.

use clap::Args;
use datafusion::arrow::util::pretty::pretty_format_batches;
use futures::TryStreamExt;

use super::LakeArgs;
use crate::engine::{Engine, check_read_only};
use crate::error::SqlError;

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    lake: LakeArgs,
    /// The SQL statement to run
    sql: String,
}

pub async fn run(args: QueryArgs) -> Result<(), String> {
    let config = args.lake.load()?;
    let engine = Engine::build(&config).await.map_err(|e| e.to_string())?;
    let table = run_sql(&engine, &args.sql)
        .await
        .map_err(|e| format!("ERROR: {e} (SQLSTATE {})", e.code))?;
    println!("{table}");
    Ok(())
}

/// Runs one statement and renders the result as an aligned table, with a row count below it.
pub async fn run_sql(engine: &Engine, sql: &str) -> Result<String, SqlError> {
    let ctx = engine.session();
    let state = ctx.state();
    let mut statements = datafusion::sql::parser::DFParser::parse_sql_with_dialect(
        sql,
        &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
    )?;
    let (Some(mut statement), None) = (statements.pop_front(), statements.pop_front()) else {
        return Err(SqlError::new(
            crate::error::sqlstate::SYNTAX_ERROR,
            "custlake query runs exactly one statement",
        ));
    };
    crate::pgcompat::rewrite::rewrite(&mut statement, &state)?;
    let plan = state.statement_to_plan(statement).await?;
    check_read_only(&plan)?;
    let batches: Vec<_> = ctx
        .execute_logical_plan(plan)
        .await?
        .execute_stream()
        .await?
        .try_collect()
        .await?;
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let table =
        pretty_format_batches(&batches).map_err(datafusion::error::DataFusionError::from)?;
    Ok(format!(
        "{table}\n({rows} row{})",
        if rows == 1 { "" } else { "s" }
    ))
}
