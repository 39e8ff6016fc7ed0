use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("custlake=info"))
        .init();
    custlake::cli::run(custlake::cli::Cli::parse())
}
