//! Shared fixtures: one small generated lake per test run, and a server started in-process on
//! 127.0.0.1:0 with a tokio-postgres client connected to it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use custlake::config::Config;
use custlake::engine::Engine;
use custlake::lakegen::{CONFIG_FILE_NAME, GenOptions, GenSummary, generate};
use custlake::server::Server;
use tokio::sync::oneshot;

/// The package's directory, as cargo gives it to the running test (not as it was at compile
/// time: a build cache shared by checkouts in different places must not point at another).
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().expect("the current directory"))
}

/// Customers in the shared test lake.
pub const LAKE_CUSTOMERS: u64 = 2_000;

pub struct Lake {
    pub dir: PathBuf,
    pub summary: GenSummary,
}

/// The shared lake, generated once per test run (seed 7) under the target directory's scratch
/// space, replacing the previous run's.
pub fn lake() -> &'static Lake {
    static LAKE: OnceLock<Lake> = OnceLock::new();
    LAKE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("it-lake");
        let mut options = GenOptions::new(dir.clone(), LAKE_CUSTOMERS);
        options.seed = 7;
        let summary = generate(&options).expect("generate the test lake");
        Lake { dir, summary }
    })
}

pub fn lake_config() -> Config {
    Config::load(&lake().dir.join(CONFIG_FILE_NAME)).expect("load the test lake's config")
}

/// A server on a free loopback port, stopped (gracefully) when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The served engine (shared with the server), for what only the engine can tell.
    pub engine: Engine,
    /// The server's health counters (connection tasks that panicked).
    pub stats: std::sync::Arc<custlake::server::ServerStats>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start(config: &Config) -> TestServer {
        let engine = Engine::build(config).await.expect("engine");
        let server = Server::bind(
            engine.clone(),
            "127.0.0.1:0".parse().unwrap(),
            Duration::from_secs(2),
        )
        .await
        .expect("bind");
        let addr = server.local_addr();
        let stats = server.stats();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run_until(async move {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            engine,
            stats,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn start_on_lake() -> TestServer {
        Self::start(&lake_config()).await
    }

    /// Sends a CancelRequest and waits until the server has answered it. A driver's cancel
    /// only sends the request (as libpq's does), so a query sent right after it may start
    /// before the server has read it, and be the one cancelled — in PostgreSQL too.
    pub async fn cancel(&self, token: &tokio_postgres::CancelToken) {
        use std::sync::atomic::Ordering;
        let before = self.stats.cancel_requests.load(Ordering::Relaxed);
        token.cancel_query(tokio_postgres::NoTls).await.unwrap();
        for _ in 0..200 {
            if self.stats.cancel_requests.load(Ordering::Relaxed) > before {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the server did not answer the CancelRequest within 2 s");
    }

    pub async fn connect(&self) -> tokio_postgres::Client {
        connect_to(self.addr, "tester").await
    }

    /// Stops the server and waits until it has shut down.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A tokio-postgres client connected to `addr` as `user` (its connection runs in a task).
pub async fn connect_to(addr: SocketAddr, user: &str) -> tokio_postgres::Client {
    let conn = format!(
        "host={} port={} user={user} dbname=custlake",
        addr.ip(),
        addr.port()
    );
    let (client, connection) = tokio_postgres::connect(&conn, tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// The portal of a billion-row query, suspended after its first 3 rows: a statement still
/// running, which holds its turn until the portal is closed.
pub async fn suspended_portal(
    transaction: &tokio_postgres::Transaction<'_>,
) -> tokio_postgres::Portal {
    let statement = transaction
        .prepare("SELECT value FROM generate_series(1, 1000000000)")
        .await
        .unwrap();
    let portal = transaction.bind(&statement, &[]).await.unwrap();
    let first = transaction.query_portal(&portal, 3).await.unwrap();
    assert_eq!(first.len(), 3);
    portal
}

/// Reads every row of a Parquet table directory into batches (independent of the SQL engine).
pub fn read_table(dir: &Path) -> Vec<datafusion::arrow::record_batch::RecordBatch> {
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("table dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    let mut batches = Vec::new();
    for file in files {
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&file).expect("open"))
                .expect("parquet")
                .build()
                .expect("reader");
        for batch in reader {
            batches.push(batch.expect("batch"));
        }
    }
    batches
}

/// The one Int64 value of `sql` (its first row's first column), run on a new session of
/// `engine` (without the wire).
pub async fn scalar_i64(engine: &Engine, sql: &str) -> i64 {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Int64Type;
    let batches = engine
        .session()
        .sql(sql)
        .await
        .expect(sql)
        .collect()
        .await
        .expect(sql);
    batches[0].column(0).as_primitive::<Int64Type>().value(0)
}

/// The SQLSTATE of a tokio-postgres error (panics if the error did not come from the server).
pub fn sqlstate(error: &tokio_postgres::Error) -> String {
    error
        .as_db_error()
        .unwrap_or_else(|| panic!("not a server error: {error:?}"))
        .code()
        .code()
        .to_string()
}

/// The connection still answers queries, with the lake's contents.
pub async fn assert_answers(client: &tokio_postgres::Client) {
    let n: i64 = client
        .query_one("SELECT count(*) FROM customers", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, LAKE_CUSTOMERS as i64);
}

/// The statement ended with 57014 and PostgreSQL's message for why.
pub fn assert_canceled(error: &tokio_postgres::Error, message: &str) {
    assert_eq!(sqlstate(error), "57014", "{error}");
    assert_eq!(error.as_db_error().unwrap().message(), message);
}

/// Reading the columns of Arrow batches (of the lake's Parquet files and of query results).
pub mod columns {
    use chrono::{DateTime, NaiveDate};
    use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
    use datafusion::arrow::compute::cast;
    use datafusion::arrow::datatypes::{
        DataType, Date32Type, Decimal128Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    };

    pub fn column<'a>(batch: &'a RecordBatch, name: &str) -> &'a ArrayRef {
        batch
            .column_by_name(name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", batch.schema()))
    }

    /// Any integer column, as i64.
    pub fn ints(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
        let values = cast(column(batch, name), &DataType::Int64).expect("integer column");
        values.as_primitive::<Int64Type>().iter().collect()
    }

    /// Any string column (Utf8, Utf8View, LargeUtf8).
    pub fn texts(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let values = cast(column(batch, name), &DataType::Utf8).expect("text column");
        values
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    }

    pub fn bools(batch: &RecordBatch, name: &str) -> Vec<Option<bool>> {
        column(batch, name).as_boolean().iter().collect()
    }

    pub fn dates(batch: &RecordBatch, name: &str) -> Vec<Option<NaiveDate>> {
        let values = cast(column(batch, name), &DataType::Date32).expect("date column");
        values
            .as_primitive::<Date32Type>()
            .iter()
            .map(|d| {
                d.map(|d| {
                    DateTime::from_timestamp(i64::from(d) * 86_400, 0)
                        .expect("a date in chrono's range")
                        .date_naive()
                })
            })
            .collect()
    }

    /// Microseconds since the epoch.
    pub fn timestamps(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
        let values = cast(
            column(batch, name),
            &DataType::Timestamp(TimeUnit::Microsecond, None),
        )
        .expect("timestamp column");
        values
            .as_primitive::<TimestampMicrosecondType>()
            .iter()
            .collect()
    }

    /// A decimal column as integers at `scale` (which must be the column's scale).
    pub fn decimals(batch: &RecordBatch, name: &str, scale: i8) -> Vec<Option<i128>> {
        let values = column(batch, name);
        match values.data_type() {
            DataType::Decimal128(_, s) if *s == scale => {}
            other => panic!("{name}: expected a decimal with scale {scale}, got {other}"),
        }
        values.as_primitive::<Decimal128Type>().iter().collect()
    }
}

/// The value of an environment variable `tests/run.sh` sets, or a failure that says so.
pub fn required_env(name: &str, what: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{name} is not set: it names {what}. Run the tests with ./tests/run.sh, which \
             installs the client and sets it (or set it yourself)."
        ),
    }
}

pub fn existing(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{} does not exist: {what}. ./tests/run.sh installs it.",
        path.display()
    );
    path
}
