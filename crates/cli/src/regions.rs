//! `minsheng regions load|list`: the administrative divisions (行政区划).

use crate::db;
use crate::output::Format;
use crate::output::outln;
use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use minsheng_store::{Level, RegionRow};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Load the hierarchy (the national one built in, or a regions.csv of the same columns).
    Load {
        /// A CSV with columns code,name,level,parent,kind.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// List regions.
    List {
        /// Only regions under this one (a name such as 云南省 or 楚雄州, or a code).
        #[arg(long)]
        under: Option<String>,
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Province,
    Prefecture,
    County,
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    match cmd {
        Command::Load { file } => {
            let store = minsheng_store::Store::open(url).await?;
            let rows = match &file {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    minsheng_store::regions_csv(&text)
                        .with_context(|| format!("{} has a bad row", path.display()))?
                }
                None => minsheng_store::regions_csv(minsheng_store::REGIONS_CSV)?,
            };
            let n = store.load_regions(&rows).await?;
            outln!(out, "已载入行政区划 {n} 条 (loaded {n} regions)");
        }
        Command::List {
            under,
            level,
            format,
        } => {
            let store = db::open(url).await?;
            let under_code = match &under {
                Some(name) => Some(
                    store
                        .resolve_region(name)
                        .await?
                        .with_context(|| format!("no region is called {name}"))?
                        .code,
                ),
                None => None,
            };
            let level = level.map(|l| match l {
                LevelArg::Province => Level::Province,
                LevelArg::Prefecture => Level::Prefecture,
                LevelArg::County => Level::County,
            });
            let rows = store.list_regions(under_code.as_deref(), level).await?;
            match format {
                Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&json_rows(&rows))?),
                Format::Table => {
                    for r in &rows {
                        outln!(
                            out,
                            "{}  {:<10}  {:<12}  {}",
                            r.code,
                            level_str(r.level),
                            r.kind.map_or("", |k| k.as_str()),
                            r.name
                        );
                    }
                    eprintln!("{} 条 (regions)", rows.len());
                }
            }
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn level_str(level: Level) -> &'static str {
    match level {
        Level::Province => "province",
        Level::Prefecture => "prefecture",
        Level::County => "county",
    }
}

/// The JSON contract: `[{"code", "name", "level", "parent", "kind"}]`.
fn json_rows(rows: &[RegionRow]) -> serde_json::Value {
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code,
                "name": r.name,
                "level": level_str(r.level),
                "parent": r.parent,
                "kind": r.kind.map(|k| k.as_str()),
            })
        })
        .collect()
}
