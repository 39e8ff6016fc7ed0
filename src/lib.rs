//! custlake: a SQL analytics engine for customer data. It turns a lake of Parquet files about
//! customers (customers, orders, order lines, products, interactions, referrals — on local disk
//! or an object store) into a database that speaks the PostgreSQL wire protocol.
//!
//! How the parts fit (imports point down only):
//! - [`cli`] parses the command line and hands over to `serve`, `query` or `gen`;
//! - [`server`] is the wire: pgwire handlers, Arrow → Postgres encoding, SQLSTATE errors; it asks
//!   the engine for a session per connection and knows nothing of CRM;
//! - [`engine`] is the one seam from [`config`] to a DataFusion session state: tables, object
//!   stores, the functions of `custlake-udfs`, memory pool, settings, an optimizer rule for
//!   date filters, and the saved queries (`queries/*.sql`) as views in schema `segments`;
//! - [`pgcompat`] is PostgreSQL's SQL surface over DataFusion — pg_catalog,
//!   information_schema, system functions, session settings, name resolution — knowing
//!   neither the wire nor CRM; the engine installs it, the server applies it per statement;
//! - [`lakegen`] writes the demo lake (Arrow/Parquet only);
//! - [`error`] is the one error type queries end in, with its SQLSTATE.
//!
//! Serving a lake from code (what `custlake serve --data DIR` does, and what the integration
//! tests do on a free port):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use custlake::{config::Config, engine::Engine, server::Server};
//! let config = Config::load(std::path::Path::new("data/demo/custlake.toml"))?;
//! let engine = Engine::build(&config).await?;
//! let server = Server::bind(engine, "127.0.0.1:0".parse()?, config.server.shutdown_grace).await?;
//! println!("listening on {}", server.local_addr());
//! server.run_until_stopped().await;
//! # Ok(()) }
//! ```

pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod lakegen;
pub mod pgcompat;
pub mod server;
