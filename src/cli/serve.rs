//! `custlake serve`: build the engine for a lake and serve it until SIGINT/SIGTERM.

use std::net::SocketAddr;

use clap::Args;

use super::LakeArgs;
use crate::engine::Engine;
use crate::server::Server;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    lake: LakeArgs,
    /// Address to listen on (overrides the config's server.listen)
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
}

pub async fn run(args: ServeArgs) -> Result<(), String> {
    let mut config = args.lake.load()?;
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    let engine = Engine::build(&config).await.map_err(|e| e.to_string())?;
    let server = Server::bind(engine, config.server.listen, config.server.shutdown_grace)
        .await
        .map_err(|e| e.to_string())?;
    let addr = server.local_addr();
    log::info!("custlake listening on {addr}");
    eprintln!(
        "custlake is serving {} table(s) on {addr}\n  psql -h {} -p {} -U custlake custlake",
        config.tables.len(),
        addr.ip(),
        addr.port()
    );
    server.run_until_stopped().await;
    Ok(())
}
