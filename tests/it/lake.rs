//! Config and table registration: readable start-up errors that name the table, lakes without
//! the CRM tables, Hive partitions, and files that land after start-up.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use custlake::config::{ByteSize, Config};
use custlake::engine::Engine;
use datafusion::arrow::array::{Int64Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::parquet::arrow::ArrowWriter;

use crate::common::{lake, scalar_i64};

fn write_parquet(path: &Path, values: &[i64]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(Int64Array::from(values.to_vec()))],
    )
    .unwrap();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(path).unwrap(), schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

async fn build_error(toml: &str, base: &Path) -> String {
    let config = Config::load_from_str(toml, base).expect("valid config");
    Engine::build(&config)
        .await
        .expect_err("start-up must fail")
        .to_string()
}

#[test]
fn config_rejects_unknown_keys_and_bad_values() {
    let base = Path::new(".");
    let error = Config::load_from_str("[server]\nlisen = \"127.0.0.1:1\"\n", base)
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown field `lisen`"), "{error}");
    let error = Config::load_from_str("[server]\nlisten = \"localhost\"\n", base)
        .unwrap_err()
        .to_string();
    assert!(error.contains("server.listen = 'localhost'"), "{error}");
    let error = Config::load_from_str("[[tables]]\nname = \"Bad Name\"\nlocation = \"x\"\n", base)
        .unwrap_err()
        .to_string();
    assert!(error.contains("table name 'Bad Name'"), "{error}");
    let error = Config::load_from_str(
        "[[tables]]\nname = \"t\"\nlocation = \"a\"\n[[tables]]\nname = \"t\"\nlocation = \"b\"\n",
        base,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("table 't' is configured twice"), "{error}");
    let error = Config::load_from_str("[[tables]]\nname = \"t\"\nlocation = \"ftp://x/y\"\n", base)
        .unwrap_err()
        .to_string();
    assert!(error.contains("scheme 'ftp' is not supported"), "{error}");
    let error = Config::load_from_str(
        "[[tables]]\nname = \"t\"\nlocation = \"x\"\nformat = \"csv\"\n",
        base,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("format 'csv' is not supported"), "{error}");
}

#[test]
fn config_resolves_defaults_sizes_and_locations() {
    let config = Config::load_from_str(
        "[engine]\nmemory_limit = \"512MiB\"\nrefresh_interval_secs = 5\n\
         [[tables]]\nname = \"orders\"\nlocation = \"lake/orders/\"\n\
         [[tables]]\nname = \"remote\"\nlocation = \"s3://bucket/path/\"\n",
        Path::new("/srv/custlake"),
    )
    .unwrap();
    assert_eq!(config.server.listen, "127.0.0.1:5433".parse().unwrap());
    assert_eq!(config.engine.memory_limit, 512 << 20);
    assert_eq!(config.engine.refresh_interval, Duration::from_secs(5));
    assert_eq!(
        config.tables[0].location.as_str(),
        "file:///srv/custlake/lake/orders/"
    );
    assert_eq!(config.tables[1].location.as_str(), "s3://bucket/path/");
    assert_eq!("4GiB".parse::<ByteSize>().unwrap(), ByteSize(4 << 30));
    assert_eq!("1.5k".parse::<ByteSize>().unwrap(), ByteSize(1500));
    assert!("12 parsecs".parse::<ByteSize>().is_err());
}

#[tokio::test]
async fn start_up_errors_name_the_table_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();

    let error = build_error(
        "[[tables]]\nname = \"ghost\"\nlocation = \"missing/\"\n",
        base,
    )
    .await;
    assert!(error.starts_with("table 'ghost'"), "{error}");
    assert!(error.contains("location does not exist"), "{error}");

    std::fs::create_dir_all(base.join("empty")).unwrap();
    let error = build_error(
        "[[tables]]\nname = \"hollow\"\nlocation = \"empty\"\n",
        base,
    )
    .await;
    assert!(error.starts_with("table 'hollow'"), "{error}");
    assert!(error.contains("no Parquet files found"), "{error}");

    std::fs::create_dir_all(base.join("csv")).unwrap();
    std::fs::write(base.join("csv/data.parquet"), "a,b\n1,2\n").unwrap();
    let error = build_error(
        "[[tables]]\nname = \"notparquet\"\nlocation = \"csv\"\n",
        base,
    )
    .await;
    assert!(error.starts_with("table 'notparquet'"), "{error}");
    assert!(error.contains("cannot read as Parquet"), "{error}");

    // The generator writes exactly the CRM tables, so its lakes are checked against the contract.
    assert_eq!(custlake::lakegen::TABLE_NAMES, custlake::engine::CRM_TABLES);
    // A table with a CRM name must fit the CRM schema…
    let customers = lake().dir.join("customers");
    let toml = format!(
        "[[tables]]\nname = \"orders\"\nlocation = \"{}\"\n",
        customers.display()
    );
    let error = build_error(&toml, base).await;
    assert!(error.starts_with("table 'orders'"), "{error}");
    assert!(error.contains("column 'order_id' is missing"), "{error}");
    assert!(error.contains("column 'order_ts' is missing"), "{error}");
    // …unless told not to check.
    let config = Config::load_from_str(&format!("{toml}check_schema = false\n"), base).unwrap();
    let engine = Engine::build(&config).await.unwrap();
    assert_eq!(
        scalar_i64(&engine, "SELECT count(*) FROM orders").await,
        crate::common::LAKE_CUSTOMERS as i64
    );
}

#[tokio::test]
async fn a_lake_without_crm_tables_serves_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    write_parquet(&dir.path().join("events/a.parquet"), &[1, 2, 3]);
    // A single file is a table too, whatever its extension.
    write_parquet(&dir.path().join("single.bin"), &[10, 20]);
    let config = Config::load_from_str(
        "[[tables]]\nname = \"events\"\nlocation = \"events\"\n[[tables]]\nname = \"single\"\nlocation = \"single.bin\"\n",
        dir.path(),
    )
    .unwrap();
    let engine = Engine::build(&config).await.unwrap();
    assert_eq!(scalar_i64(&engine, "SELECT sum(x) FROM events").await, 6);
    assert_eq!(scalar_i64(&engine, "SELECT sum(x) FROM single").await, 30);
    let names: Vec<&str> = engine.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["events", "single"]);
}

#[tokio::test]
async fn hive_partitions_become_columns() {
    let dir = tempfile::tempdir().unwrap();
    write_parquet(
        &dir.path().join("sales/region=North/part-0.parquet"),
        &[1, 2],
    );
    write_parquet(&dir.path().join("sales/region=South/part-0.parquet"), &[30]);
    let config = Config::load_from_str(
        "[[tables]]\nname = \"sales\"\nlocation = \"sales\"\n",
        dir.path(),
    )
    .unwrap();
    let engine = Engine::build(&config).await.unwrap();
    assert_eq!(
        engine.tables()[0].partition_columns,
        vec!["region".to_string()]
    );
    assert_eq!(
        scalar_i64(&engine, "SELECT sum(x) FROM sales WHERE region = 'South'").await,
        30
    );
    assert_eq!(
        scalar_i64(&engine, "SELECT sum(x) FROM sales WHERE region = 'North'").await,
        3
    );
}

#[tokio::test]
async fn files_that_land_later_become_visible_after_the_refresh_interval() {
    let dir = tempfile::tempdir().unwrap();
    write_parquet(&dir.path().join("feed/part-0.parquet"), &[1, 1, 1]);
    let config = Config::load_from_str(
        "[engine]\nrefresh_interval_secs = 1\n[[tables]]\nname = \"feed\"\nlocation = \"feed\"\n",
        dir.path(),
    )
    .unwrap();
    let engine = Engine::build(&config).await.unwrap();
    assert_eq!(scalar_i64(&engine, "SELECT count(*) FROM feed").await, 3);
    write_parquet(&dir.path().join("feed/part-1.parquet"), &[2, 2]);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(scalar_i64(&engine, "SELECT count(*) FROM feed").await, 5);
    assert_eq!(scalar_i64(&engine, "SELECT sum(x) FROM feed").await, 7);
}

/// A local S3 (moto) on a free loopback port, stopped on drop. tests/run.sh installs moto into
/// a virtual environment and names its `moto_server` in CUSTLAKE_MOTO_SERVER.
struct LocalS3 {
    child: std::process::Child,
    endpoint: String,
}

impl LocalS3 {
    fn start() -> LocalS3 {
        let program =
            std::env::var("CUSTLAKE_MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program} (run tests/run.sh, which installs moto): {e}")
            });
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        LocalS3 {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Creates a bucket (moto accepts unsigned requests).
    fn create_bucket(&self, bucket: &str) {
        use std::io::{Read, Write};
        let mut stream =
            std::net::TcpStream::connect(self.endpoint.trim_start_matches("http://")).unwrap();
        write!(stream, "PUT /{bucket} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }
}

impl Drop for LocalS3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn tables_on_s3_with_options_from_the_config() {
    use object_store::ObjectStoreExt;
    let s3 = LocalS3::start();
    s3.create_bucket("lake");
    let options = [
        ("aws_endpoint", s3.endpoint.as_str()),
        ("aws_allow_http", "true"),
        ("aws_access_key_id", "test"),
        ("aws_secret_access_key", "test"),
        ("aws_region", "us-east-1"),
    ];
    let (store, _) =
        object_store::parse_url_opts(&url::Url::parse("s3://lake/").unwrap(), options).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, values) in [("a.parquet", vec![1i64, 2, 3]), ("b.parquet", vec![40])] {
        let local = dir.path().join(name);
        write_parquet(&local, &values);
        let path = object_store::path::Path::from(format!("events/{name}"));
        store
            .put(&path, std::fs::read(&local).unwrap().into())
            .await
            .unwrap();
    }
    let option_lines: String = options
        .iter()
        .map(|(k, v)| format!("{k} = \"{v}\", "))
        .collect();
    let toml = format!(
        "[[tables]]\nname = \"events\"\nlocation = \"s3://lake/events/\"\n\
         [[object_stores]]\nurl = \"s3://lake\"\noptions = {{ {} }}\n",
        option_lines.trim_end_matches(", ")
    );
    let config = Config::load_from_str(&toml, dir.path()).unwrap();
    let engine = Engine::build(&config).await.unwrap();
    assert_eq!(scalar_i64(&engine, "SELECT sum(x) FROM events").await, 46);
    assert_eq!(scalar_i64(&engine, "SELECT count(*) FROM events").await, 4);

    // A location in the bucket that holds nothing is reported at start-up.
    let toml = toml.replace("s3://lake/events/", "s3://lake/nothing/");
    let error = build_error(&toml, dir.path()).await;
    assert!(
        error.starts_with("table 'events' (s3://lake/nothing/)"),
        "{error}"
    );
    assert!(error.contains("no Parquet files found"), "{error}");
}
