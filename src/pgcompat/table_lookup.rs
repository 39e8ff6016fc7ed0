//! Looking a table up from code DataFusion calls synchronously (a scalar function's invoke, the
//! statement rewrite), where `SchemaProvider::table` is async: the lookup waits for the
//! provider's answer, so a provider that is not ready on the first poll is still found.
//!
//! A ready future (memory schemas, `pg_catalog`) is answered on its first poll, as before.
//! Otherwise the wait must not stall the runtime the caller runs on:
//! - on a worker of a multi-thread tokio runtime (the server's), `block_in_place` hands the
//!   worker's other tasks to another thread and the runtime's own handle drives the future, so
//!   providers that need the runtime's I/O or timers are answered;
//! - elsewhere (a current-thread runtime, whose only thread is the caller, or no runtime at
//!   all) no thread of the caller's runtime can drive the future, so it runs to completion on
//!   a helper thread with a runtime of its own; the caller waits for that thread.

use std::future::Future;
use std::sync::Arc;

use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::common::{DataFusionError, Result};
use futures::FutureExt;
use tokio::runtime::{Handle, RuntimeFlavor};

/// `schema.table(name)`, waited for; `Ok(None)` only when the provider has no such table.
pub fn table(schema: &dyn SchemaProvider, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
    wait_for(schema.table(name))
}

/// The output of `future`, however long it takes (see the module documentation).
fn wait_for<T: Send>(future: impl Future<Output = Result<T>> + Send) -> Result<T> {
    let mut future = Box::pin(future);
    if let Some(ready) = (&mut future).now_or_never() {
        return ready;
    }
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| handle.block_on(future))
        }
        _ => std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| DataFusionError::External(Box::new(e)))?
                        .block_on(future)
                })
                .join()
                .unwrap_or_else(|_| {
                    Err(DataFusionError::Execution(
                        "a catalog lookup panicked".to_string(),
                    ))
                })
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use async_trait::async_trait;
    use datafusion::arrow::array::{Array, BooleanArray, Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::catalog::MemorySchemaProvider;
    use datafusion::datasource::MemTable;
    use datafusion::prelude::SessionContext;
    use datafusion::sql::parser::DFParser;
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;

    use super::*;
    use crate::pgcompat::{functions, rewrite, virtual_schema::Shared};

    /// A schema whose `table()` is not ready on its first poll, as an async provider's (one
    /// that reads a remote catalog) may not be.
    #[derive(Debug)]
    struct SlowSchema(MemorySchemaProvider);

    #[async_trait]
    impl SchemaProvider for SlowSchema {
        fn table_names(&self) -> Vec<String> {
            self.0.table_names()
        }

        async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
            tokio::task::yield_now().await;
            self.0.table(name).await
        }

        fn register_table(
            &self,
            name: String,
            table: Arc<dyn TableProvider>,
        ) -> Result<Option<Arc<dyn TableProvider>>> {
            self.0.register_table(name, table)
        }

        fn table_exist(&self, name: &str) -> bool {
            self.0.table_exist(name)
        }
    }

    /// A session with schemas `slow` (see [`SlowSchema`]) and `ready` (a memory schema), each
    /// with tables `p (n, ids)` and `r (id)` and view `v`, and the compatibility functions.
    async fn session() -> SessionContext {
        let ctx = SessionContext::new();
        let catalog = ctx.catalog("datafusion").expect("the default catalog");
        catalog
            .register_schema("slow", Arc::new(SlowSchema(MemorySchemaProvider::new())))
            .expect("schema slow");
        catalog
            .register_schema("ready", Arc::new(MemorySchemaProvider::new()))
            .expect("schema ready");
        let p = Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int32, true),
            Field::new("ids", DataType::new_list(DataType::Int32, true), true),
        ]));
        let r = Arc::new(Schema::new(vec![Field::new("id", DataType::Int32, true)]));
        for schema in ["slow", "ready"] {
            for (name, columns) in [("p", &p), ("r", &r)] {
                let table = MemTable::try_new(Arc::clone(columns), vec![vec![]]).expect("table");
                ctx.register_table(format!("{schema}.{name}"), Arc::new(table))
                    .expect("register");
            }
            ctx.sql(&format!("CREATE VIEW {schema}.v AS SELECT 1 AS a"))
                .await
                .expect("create view");
        }
        let state = ctx.state();
        for function in functions::all(
            Arc::clone(state.catalog_list()),
            Arc::new(Shared::default()),
        ) {
            ctx.register_udf(function);
        }
        ctx
    }

    /// What the functions that look a relation up answer for `schema`'s relations.
    async fn relation_answers(ctx: &SessionContext, schema: &str) -> (bool, String, i64) {
        let sql = format!(
            "SELECT pg_relation_is_publishable(regclass_oid('{schema}.p')) AS publishable, \
             pg_get_viewdef(regclass_oid('{schema}.v')) AS definition, \
             pg_table_size(regclass_oid('{schema}.v')) AS view_size"
        );
        let batches = ctx
            .sql(&sql)
            .await
            .expect("plans")
            .collect()
            .await
            .expect("runs");
        let batch = &batches[0];
        let column = |i: usize| batch.column(i).as_any();
        let publishable = column(0).downcast_ref::<BooleanArray>().expect("bool");
        let definition = column(1).downcast_ref::<StringArray>().expect("text");
        let size = column(2).downcast_ref::<Int64Array>().expect("int8");
        assert!(
            publishable.is_valid(0) && definition.is_valid(0) && size.is_valid(0),
            "a relation of {schema} was taken for missing"
        );
        (
            publishable.value(0),
            definition.value(0).to_string(),
            size.value(0),
        )
    }

    async fn functions_find_relations_of_a_slow_schema() {
        let ctx = session().await;
        let slow = relation_answers(&ctx, "slow").await;
        let (publishable, definition, size) = relation_answers(&ctx, "ready").await;
        assert_eq!(
            slow,
            (publishable, definition.replace("ready.", "slow."), size)
        );
        assert!(slow.0);
        assert!(slow.1.contains("SELECT 1 AS a"), "{}", slow.1);
        assert_eq!(slow.2, 0);
    }

    #[tokio::test]
    async fn functions_wait_for_a_slow_schema_on_a_current_thread_runtime() {
        functions_find_relations_of_a_slow_schema().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn functions_wait_for_a_slow_schema_on_a_multi_thread_runtime() {
        functions_find_relations_of_a_slow_schema().await;
    }

    fn rewritten(ctx: &SessionContext, sql: &str) -> String {
        let mut statements: VecDeque<_> =
            DFParser::parse_sql_with_dialect(sql, &PostgreSqlDialect {}).expect("parses");
        let mut statement = statements.pop_front().expect("one statement");
        rewrite::rewrite(&mut statement, &ctx.state()).expect("rewrites");
        statement.to_string()
    }

    /// `ids` is qualified as `p.ids` only when both tables' columns are known; the aggregate
    /// subquery then becomes a join over the distinct values of `p.ids`.
    async fn rewrite_reads_columns_of_a_slow_schema() {
        let ctx = session().await;
        let query = |schema: &str| {
            format!(
                "SELECT p.n, (SELECT count(*) FROM {schema}.r WHERE r.id = ANY(ids)) FROM {schema}.p"
            )
        };
        let slow = rewritten(&ctx, &query("slow"));
        let ready = rewritten(&ctx, &query("ready"));
        assert!(
            ready.contains("SELECT DISTINCT p.ids AS __key_1"),
            "{ready}"
        );
        assert_eq!(slow, ready.replace("ready.", "slow."));
    }

    #[tokio::test]
    async fn rewrite_waits_for_a_slow_schema_on_a_current_thread_runtime() {
        rewrite_reads_columns_of_a_slow_schema().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rewrite_waits_for_a_slow_schema_on_a_multi_thread_runtime() {
        rewrite_reads_columns_of_a_slow_schema().await;
    }

    #[test]
    fn waits_without_a_runtime() {
        let answer = wait_for(async {
            tokio::task::yield_now().await;
            Ok(7)
        });
        assert_eq!(answer.ok(), Some(7));
    }
}
