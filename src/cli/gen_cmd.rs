//! `custlake gen`: write a demo lake and the custlake.toml that serves it.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::lakegen::{GenOptions, generate};

#[derive(Debug, Args)]
pub struct GenArgs {
    /// Directory to write the lake into (created if missing; its tables are replaced)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Number of customers (ids 1..=N)
    #[arg(long, value_name = "N")]
    customers: u64,
    /// Random seed: the same seed gives the same lake
    #[arg(long, value_name = "S", default_value_t = 42)]
    seed: u64,
    /// The day the history ends (YYYY-MM-DD)
    #[arg(long = "as-of", value_name = "DATE", default_value = "2024-06-30")]
    as_of: NaiveDate,
}

pub fn run(args: GenArgs) -> Result<(), String> {
    let mut options = GenOptions::new(args.out, args.customers);
    options.seed = args.seed;
    options.as_of = args.as_of;
    options.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let summary = generate(&options).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} customers, {} orders, {} order items, {} products, {} interactions, {} referrals to {} in {:.1?}",
        summary.customers,
        summary.orders,
        summary.order_items,
        summary.products,
        summary.interactions,
        summary.referrals,
        options.out.display(),
        summary.elapsed
    );
    Ok(())
}
