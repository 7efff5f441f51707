//! `minsheng plan load|show`: plan documents into the store, and back out.

use crate::db;
use crate::output::Format;
use crate::output::outln;
use anyhow::{Context, bail};
use clap::Subcommand;
use minsheng_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Read plan documents and store them, each target linked to the indicator catalog.
    /// Loading a corrected plan again makes a new version; the old one stays.
    Load {
        /// Plan documents: .txt, .docx or .pdf.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// An indicator catalog to link with instead of the built-in one.
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
    /// Print the latest stored plan of a region.
    Show {
        /// The region: 云南省, 楚雄州, 普洱市 … or a code.
        region: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Load { files, catalog } => load(url, &files, catalog.as_deref()).await,
        Command::Show { region, format } => show(url, &region, format).await,
    }
}

async fn load(
    url: &str,
    files: &[PathBuf],
    catalog: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let catalog = db::catalog(catalog)?;
    let store = db::open(url).await?;
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await?;
    let mut failed = 0;
    for file in files {
        match load_one(&store, &catalog, file).await {
            Ok(line) => crate::output::print(&format!("{line}\n"))?,
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Ingests, links and saves one document; says what was stored.
async fn load_one(
    store: &Store,
    catalog: &minsheng_catalog::Catalog,
    file: &std::path::Path,
) -> anyhow::Result<String> {
    let plan = minsheng_ingest::ingest_file(file)?;
    let loaded =
        minsheng_app::plans::save(store, catalog, &plan, &file.display().to_string()).await?;
    Ok(format!(
        "{} → {}（{}）版本 v{}：{} 项任务，{} 个指标，{} 个关联指标库 (tasks, targets, linked to the catalog)",
        file.display(),
        loaded.region.name,
        loaded.region.code,
        loaded.version,
        loaded.tasks,
        loaded.targets,
        loaded.linked
    ))
}

async fn show(url: &str, region: &str, format: Format) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let store = db::open(url).await?;
    let row = store
        .resolve_region(region)
        .await?
        .with_context(|| format!("no region is called {region}"))?;
    let Some(stored) = store.plan_for_region(&row.code).await? else {
        bail!(
            "{}（{}）has no stored plan: load one with `minsheng plan load FILE`",
            row.name,
            row.code
        );
    };
    match format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&stored.plan)?),
        Format::Table => {
            outln!(
                out,
                "{}（{}）版本 v{}，载入于 {} (version, loaded at)",
                row.name,
                row.code,
                stored.version,
                stored.loaded_at
            );
            out.push_str(&crate::ingest::render_table(&stored.plan));
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
