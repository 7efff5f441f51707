//! The `minsheng` binary: parses the command line and hands each subcommand to its module.

mod ingest;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// minsheng (民生): plans, monitoring and evaluation of basic public services.
#[derive(Parser)]
#[command(name = "minsheng", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read plan documents and print their structure and targets (读取规划文件).
    Ingest(ingest::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
