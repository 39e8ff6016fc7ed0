//! `custlake serve`: build the engine for a lake and serve it until SIGINT/SIGTERM; SIGHUP
//! reloads the saved queries.

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
    reload_on_hangup(engine.clone());
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

/// SIGHUP, the daemon convention for "re-read your files", reloads the saved queries; the
/// lake's tables follow their files by themselves (listing refresh).
fn reload_on_hangup(engine: Engine) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(e) => {
                log::warn!("cannot listen for SIGHUP, saved queries load only at start-up: {e}");
                return;
            }
        };
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                log::info!("SIGHUP: reloading saved queries");
                engine.reload_saved_queries().await;
            }
        });
    }
    #[cfg(not(unix))]
    let _ = engine;
}
