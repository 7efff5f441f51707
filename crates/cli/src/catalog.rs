//! `minsheng catalog check|suggest`: the indicator catalog (指标库) and links to it.

use crate::db;
use crate::output::outln;
use clap::Subcommand;
use minsheng_catalog::How;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Check a catalog file and say how many entries it has.
    Check {
        /// The catalog file (default: the built-in data/catalog/indicators.toml).
        file: Option<PathBuf>,
    },
    /// Propose catalog links for plan targets that do not link by name or synonym, with a
    /// similarity score. A person confirms a proposal by adding the wording to the entry's
    /// `synonyms` in data/catalog/indicators.toml.
    Suggest {
        /// Plan documents to read; without any, the plans in the store.
        files: Vec<PathBuf>,
        /// How many proposals per wording.
        #[arg(long, default_value_t = 3)]
        top: usize,
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    match cmd {
        Command::Check { file } => {
            let catalog = db::catalog(file.as_deref())?;
            outln!(
                out,
                "指标库无误：{} 个指标 (catalog is valid: {} indicators)",
                catalog.len(),
                catalog.len()
            );
        }
        Command::Suggest {
            files,
            top,
            catalog,
        } => {
            let catalog = db::catalog(catalog.as_deref())?;
            let plans = if files.is_empty() {
                let store = db::open(url).await?;
                store
                    .latest_plans()
                    .await?
                    .into_iter()
                    .map(|s| s.plan)
                    .collect()
            } else {
                files
                    .iter()
                    .map(|f| minsheng_ingest::ingest_file(f))
                    .collect::<Result<Vec<_>, _>>()?
            };
            let mut seen = std::collections::HashSet::new();
            for plan in &plans {
                outln!(out, "══ {} ══", plan.source);
                for t in &plan.targets {
                    let link = catalog.link(&t.indicator, &t.unit);
                    if link.as_ref().is_some_and(|l| l.how != How::Similar)
                        || !seen.insert((t.indicator.clone(), t.unit.clone()))
                    {
                        continue;
                    }
                    outln!(out, "{}（{}）«{}»", t.indicator, t.unit, t.quote);
                    let suggestions = catalog.suggest(&t.indicator, &t.unit, top);
                    if suggestions.is_empty() {
                        outln!(out, "    — 无相近指标 (nothing close: a new entry?)");
                    }
                    for s in suggestions {
                        let linked = link.as_ref().is_some_and(|l| l.id == s.id);
                        outln!(
                            out,
                            "    {:.2}  {}  {}{}",
                            s.score,
                            s.id,
                            s.name,
                            if linked {
                                "  ← 已自动关联 (linked by similarity)"
                            } else {
                                ""
                            }
                        );
                    }
                }
            }
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
