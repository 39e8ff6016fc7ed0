//! The one integration-test binary (each extra binary links DataFusion again). Modules:
//! - `common`: a small generated lake shared by the tests, and an in-process server on 127.0.0.1:0;
//! - `rows`: reading query results (typed rows, simple-query text) in one way for every module;
//! - `wire`: the PostgreSQL protocol through tokio-postgres;
//! - `catalog`: pg_catalog, information_schema, psql's meta-commands, per-connection settings;
//! - `clients`: real drivers (psycopg 3, asyncpg, SQLAlchemy/pandas, pgjdbc, node-postgres) run as
//!   subprocesses against the server, asserting values computed from the Parquet files;
//! - `cli`: the built `custlake` binary — `query`, and a scripted psql session against `serve`;
//! - `lake`: config and table registration, start-up errors, refresh of new files;
//! - `params`: bind parameters decoded from text and binary format;
//! - `copy`: COPY … TO STDOUT through psql's `\copy` and tokio-postgres, in every format;
//! - `pgdiff`: the corpus `tests/pgdiff/*.sql` on custlake and on a real PostgreSQL, compared;
//! - `lakegen`: the demo-lake generator;
//! - `encode`: Arrow → Postgres text and binary encodings;
//! - `saved_queries`: `queries/*.sql` as views in schema `segments`: errors, reload, SIGHUP;
//! - `segments`: each saved query (`queries/*.sql`) against an independent Rust computation on the lake;
//! - `time_zones`: the session's TimeZone: SET, the startup packet, timestamptz in its zone;
//! - `sqllogic`: `tests/slt/*.slt`, SQL behaviour (PostgreSQL's forms custlake rewrites) over the wire;
//! - `reference`: the analytics against independent reference implementations (CDNOW RFM vs DuckDB);
//! - `baskets`: association rules over the wire: the planted associations, the memory pool;
//! - `robustness`: what one client can do to the server (malformed messages, row limits,
//!   statements that do not yield, hang-ups), with the others kept being served.

mod baskets;
mod catalog;
mod cli;
mod clients;
mod common;
mod copy;
mod encode;
mod lake;
mod lakegen;
mod params;
mod pgdiff;
mod reference;
mod robustness;
mod rows;
mod saved_queries;
mod segments;
mod sqllogic;
mod time_zones;
mod wire;
