//! The `minsheng` binary: parses the command line and hands each subcommand to its module.

mod align;
mod catalog;
mod db;
mod ingest;
mod output;
mod plan;
mod regions;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// minsheng (民生): plans, monitoring and evaluation of basic public services.
#[derive(Parser)]
#[command(name = "minsheng", version, about)]
struct Cli {
    /// The store: a SQLite file (the default, created when missing) or postgres://user@host/db.
    #[arg(long, env = "MINSHENG_DB", global = true, default_value = db::DEFAULT_DB)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read plan documents and print their structure and targets (读取规划文件).
    Ingest(ingest::Args),
    /// The administrative divisions (行政区划): load and list.
    #[command(subcommand)]
    Regions(regions::Command),
    /// The indicator catalog (指标库): check it, propose links for plan wordings.
    #[command(subcommand)]
    Catalog(catalog::Command),
    /// Plans in the store: load documents, show what is stored.
    #[command(subcommand)]
    Plan(plan::Command),
    /// 对标: each plan's 2025 targets against its parent region's plan.
    Align(align::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Regions(cmd) => db::block_on(regions::run(&cli.db, cmd)),
        Command::Catalog(cmd) => db::block_on(catalog::run(&cli.db, cmd)),
        Command::Plan(cmd) => db::block_on(plan::run(&cli.db, cmd)),
        Command::Align(args) => db::block_on(align::run(&cli.db, args)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
