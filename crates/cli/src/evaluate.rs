//! `minsheng evaluate`: 评估 runs of a stored plan — run (freezing the values used), list,
//! show, compare, verify (recompute from the frozen values), publish (公示), and the import
//! of external scores (群众满意度, 第三方评估).
//!
//! A run reads what `assess` reads (the monitoring inputs of `monitor.rs`), but from a
//! snapshot: the approved and published values of the plan's region and those under it, up
//! to as-of, are taken once, stored with the run, and the computation reads only them, so
//! `verify` can recompute it exactly later.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use minsheng_app::evaluation::RunRequest;
use minsheng_app::monitor::inputs;
use minsheng_assess::Hierarchy;
use minsheng_evaluate::{EvaluationKind, EvaluationResult, OVERALL, parse_external_csv};
use minsheng_model::Period;
use minsheng_store::{RunFilter, Store, StoredRun};

use crate::db;
use crate::monitor::parse_period;
use crate::output::{Format, outln};

/// `minsheng evaluate [--plan P --as-of …] | evaluate <command>`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: Option<RunArgs>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Evaluate a plan at a period and keep the run (also `minsheng evaluate --plan …`).
    Run(RunArgs),
    /// The stored runs, newest first.
    List {
        /// Only published runs (公示).
        #[arg(long)]
        published: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One run: scores and rankings (`--format json`: the result).
    Show {
        id: i64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Two runs side by side: overall scores and ranks, and the changes.
    Compare {
        a: i64,
        b: i64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Recompute a run from its frozen values and say whether it reproduces exactly.
    Verify { id: i64 },
    /// 公示: publish a run, so public pages may show it.
    Publish {
        id: i64,
        /// Who publishes.
        #[arg(long = "as", default_value = "cli")]
        actor: String,
    },
    /// Import 群众满意度 / 第三方评估 scores from a CSV (region,source,score,period); any
    /// error and nothing is imported.
    ImportExternal {
        file: PathBuf,
        /// Who imports.
        #[arg(long = "as", default_value = "cli")]
        actor: String,
    },
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The plan: its region (云南省, 楚雄州) or its key (see `minsheng plan show`).
    #[arg(long)]
    plan: String,
    /// The period evaluated: 2024, 2024Q4, 202412.
    #[arg(long, value_parser = parse_period)]
    as_of: Period,
    /// monitoring (动态监测), midterm (中期) or final (终期).
    #[arg(long, default_value = "monitoring", value_parser = parse_kind)]
    kind: EvaluationKind,
    /// The weights file (TOML: [domains], [indicators], [external]); equal weights without.
    #[arg(long)]
    weights: Option<PathBuf>,
    /// Count draft and submitted values too (default: approved and published only).
    #[arg(long)]
    include_unreviewed: bool,
    /// Who runs it.
    #[arg(long = "as", default_value = "cli")]
    actor: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn parse_kind(text: &str) -> Result<EvaluationKind, String> {
    EvaluationKind::parse(text)
        .ok_or_else(|| format!("not a kind: {text} (write monitoring, midterm or final)"))
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let command = match (args.command, args.run) {
        (Some(c), _) => c,
        (None, Some(r)) => Command::Run(r),
        (None, None) => bail!(
            "say what to evaluate: minsheng evaluate --plan 云南省 --as-of 2024Q4 (or evaluate list | show | compare | verify | publish | import-external)"
        ),
    };
    let store = db::open(url).await?;
    match command {
        Command::Run(r) => run_evaluation(&store, r).await,
        Command::List { published, format } => list(&store, published, format).await,
        Command::Show { id, format } => show(&store, id, format).await,
        Command::Compare { a, b, format } => compare(&store, a, b, format).await,
        Command::Verify { id } => verify(&store, id).await,
        Command::Publish { id, actor } => {
            let s = store.publish_run(id, &actor).await?;
            crate::output::print(&format!(
                "已公示评估 {id}（{} {}）— published by {} at {}\n",
                s.kind.label(),
                s.as_of,
                actor,
                s.published_at.unwrap_or_default()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportExternal { file, actor } => import_external(&store, &file, &actor).await,
    }
}

async fn run_evaluation(store: &Store, args: RunArgs) -> anyhow::Result<ExitCode> {
    let (weights, weights_origin) = match &args.weights {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the weights file {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (String::new(), "(default: equal weights)".to_string()),
    };
    let stored = minsheng_app::evaluation::run(
        store,
        &RunRequest {
            plan: args.plan,
            as_of: args.as_of,
            kind: args.kind,
            weights,
            weights_origin,
            include_unreviewed: args.include_unreviewed,
            actor: args.actor,
        },
    )
    .await?;
    let inputs = inputs(store).await?;
    print_run(&stored, &inputs.hierarchy, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// A table with columns aligned for Chinese text.
fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    use minsheng_assess::report::width;
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let all = std::iter::once(header.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned());
    for row in all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.push_str(&" ".repeat(widths[i].saturating_sub(width(cell))));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn name(h: &Hierarchy, code: &str) -> String {
    h.index_of(code)
        .and_then(|r| h.name(r))
        .map_or_else(|| code.to_string(), |n| n.to_string())
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "—".into(), |s| format!("{s:.2}"))
}

const SIMULATED: &str = "【模拟数据 simulated data】本次评估使用了模拟数据，结果仅供演示 (this run used demo values: for demonstration only)";

fn print_run(run: &StoredRun, h: &Hierarchy, format: Format) -> anyhow::Result<()> {
    let mut out = String::new();
    match format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&run.result)?),
        Format::Table => {
            let s = &run.summary;
            let r = &run.result;
            outln!(
                out,
                "评估 {} (run {}): {} {} — 规划 plan {} v{} ({}), 基期 baseline {}, {} 个数值 values, {} by {}{}",
                s.id,
                r.run_id,
                s.kind.label(),
                s.as_of,
                s.plan_key,
                s.plan_version,
                name(h, &s.plan_region),
                s.baseline.map_or_else(|| "—".into(), |b| b.to_string()),
                s.value_count,
                s.created_at,
                s.created_by,
                s.published_at.as_ref().map_or_else(
                    || "，未公示 (not published)".to_string(),
                    |p| format!("，已公示 published {p}")
                ),
            );
            if s.simulated {
                outln!(out, "{SIMULATED}");
            }
            let mut scopes: BTreeMap<(&str, String), Vec<&minsheng_evaluate::RankingRow>> =
                BTreeMap::new();
            for row in &r.rankings {
                let level = row.level.map_or("", |l| match l {
                    minsheng_model::RegionLevel::Prefecture => "1 州（市）prefectures",
                    _ => "2 县（市、区）counties",
                });
                scopes
                    .entry((row.scope.as_str(), level.to_string()))
                    .or_default()
                    .push(row);
            }
            let domains: HashMap<(&str, &str), Option<f64>> = r
                .scores
                .iter()
                .map(|x| ((x.region.as_str(), x.domain.as_str()), x.score))
                .collect();
            for ((scope, level), rows) in &scopes {
                outln!(out, "\n排名 ranking: {} — {}", name(h, scope), &level[2..]);
                let table: Vec<Vec<String>> = rows
                    .iter()
                    .map(|x| {
                        vec![
                            x.rank.to_string(),
                            name(h, &x.region),
                            format!("{:.2}", x.score),
                            x.previous_rank
                                .map_or_else(|| "—".into(), |p| p.to_string()),
                            x.change.map_or_else(|| "—".into(), |c| format!("{c:+}")),
                            score(
                                domains
                                    .get(&(x.region.as_str(), "群众满意度"))
                                    .copied()
                                    .flatten(),
                            ),
                        ]
                    })
                    .collect();
                out.push_str(&render(
                    &[
                        "名次 rank",
                        "地区 region",
                        "总分 score",
                        "上次 previous",
                        "变化 change",
                        "满意度 satisfaction",
                    ],
                    &table,
                ));
            }
            let own: Vec<Vec<String>> = r
                .scores
                .iter()
                .filter(|x| x.region == s.plan_region)
                .map(|x| {
                    vec![
                        x.domain.clone(),
                        score(x.score),
                        format!("{}/{}", x.n_scored, x.n),
                        x.coverage
                            .map_or_else(|| "—".into(), |c| format!("{:.0}%", c * 100.0)),
                    ]
                })
                .collect();
            if !own.is_empty() {
                outln!(
                    out,
                    "\n{} 各领域得分 domain scores:",
                    name(h, &s.plan_region)
                );
                out.push_str(&render(
                    &[
                        "领域 domain",
                        "得分 score",
                        "有数据 scored/n",
                        "覆盖 coverage",
                    ],
                    &own,
                ));
            }
            if r.rankings.is_empty() && own.is_empty() {
                outln!(
                    out,
                    "没有可评分的目标：先载入数据（minsheng import / demo-data）(nothing scored: load values first)"
                );
            }
            outln!(
                out,
                "\n均等化 equalization: {} 行 rows（--format json 查看 to see them）; 方法 method: docs/evaluation.md",
                r.equalization.len()
            );
        }
    }
    crate::output::print(&out)?;
    Ok(())
}

async fn get_run(store: &Store, id: i64) -> anyhow::Result<StoredRun> {
    Ok(minsheng_app::evaluation::stored_run(store, id).await?)
}

async fn list(store: &Store, published: bool, format: Format) -> anyhow::Result<ExitCode> {
    let runs = store
        .runs(&RunFilter {
            published_only: published,
            ..RunFilter::default()
        })
        .await?;
    let mut out = String::new();
    match format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&runs)?),
        Format::Table => {
            let rows: Vec<Vec<String>> = runs
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.kind.label().to_string(),
                        s.as_of.to_string(),
                        format!("{} v{}", s.plan_key, s.plan_version),
                        s.created_at.clone(),
                        s.created_by.clone(),
                        s.previous_run.map_or_else(|| "—".into(), |p| p.to_string()),
                        if s.is_published() {
                            "已公示 published"
                        } else {
                            "—"
                        }
                        .into(),
                        if s.simulated { "模拟数据" } else { "" }.into(),
                    ]
                })
                .collect();
            if rows.is_empty() {
                outln!(
                    out,
                    "还没有评估 (no evaluation runs yet): minsheng evaluate --plan 云南省 --as-of 2024Q4"
                );
            } else {
                out.push_str(&render(
                    &[
                        "id",
                        "类型 kind",
                        "as_of",
                        "规划 plan",
                        "时间 created",
                        "by",
                        "上次 previous",
                        "公示",
                        "",
                    ],
                    &rows,
                ));
            }
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

async fn show(store: &Store, id: i64, format: Format) -> anyhow::Result<ExitCode> {
    let run = get_run(store, id).await?;
    let inputs = inputs(store).await?;
    print_run(&run, &inputs.hierarchy, format)?;
    Ok(ExitCode::SUCCESS)
}

/// One region's overall score and ranks in a run.
#[derive(serde::Serialize, Default, Clone)]
struct Side {
    score: Option<f64>,
    /// scope → rank.
    ranks: BTreeMap<String, u32>,
}

fn sides(r: &EvaluationResult) -> BTreeMap<String, Side> {
    let mut out: BTreeMap<String, Side> = BTreeMap::new();
    for s in r.scores.iter().filter(|s| s.domain == OVERALL) {
        out.entry(s.region.clone()).or_default().score = s.score;
    }
    for k in &r.rankings {
        out.entry(k.region.clone())
            .or_default()
            .ranks
            .insert(k.scope.clone(), k.rank);
    }
    out
}

async fn compare(store: &Store, a: i64, b: i64, format: Format) -> anyhow::Result<ExitCode> {
    let (ra, rb) = (get_run(store, a).await?, get_run(store, b).await?);
    let (sa, sb) = (sides(&ra.result), sides(&rb.result));
    let mut regions: Vec<&String> = sa.keys().chain(sb.keys()).collect();
    regions.sort();
    regions.dedup();
    let mut out = String::new();
    #[derive(serde::Serialize)]
    struct Row<'a> {
        region: &'a str,
        scope: Option<&'a str>,
        score_a: Option<f64>,
        score_b: Option<f64>,
        score_change: Option<f64>,
        rank_a: Option<u32>,
        rank_b: Option<u32>,
        /// rank_a − rank_b: positive when the region moved up.
        rank_change: Option<i64>,
    }
    let empty = Side::default();
    let mut rows = Vec::new();
    for region in regions {
        let (x, y) = (
            sa.get(region).unwrap_or(&empty),
            sb.get(region).unwrap_or(&empty),
        );
        let mut scopes: Vec<&String> = x.ranks.keys().chain(y.ranks.keys()).collect();
        scopes.sort();
        scopes.dedup();
        let change = x.score.zip(y.score).map(|(p, q)| q - p);
        if scopes.is_empty() {
            rows.push(Row {
                region,
                scope: None,
                score_a: x.score,
                score_b: y.score,
                score_change: change,
                rank_a: None,
                rank_b: None,
                rank_change: None,
            });
        }
        for scope in scopes {
            let (p, q) = (x.ranks.get(scope).copied(), y.ranks.get(scope).copied());
            rows.push(Row {
                region,
                scope: Some(scope),
                score_a: x.score,
                score_b: y.score,
                score_change: change,
                rank_a: p,
                rank_b: q,
                rank_change: p.zip(q).map(|(p, q)| i64::from(p) - i64::from(q)),
            });
        }
    }
    match format {
        Format::Json => outln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"a": a, "b": b, "rows": rows}))?
        ),
        Format::Table => {
            let inputs = inputs(store).await?;
            let h = &inputs.hierarchy;
            outln!(
                out,
                "比较 compare: A = 评估 {a}（{} {}） B = 评估 {b}（{} {}）",
                ra.summary.kind.label(),
                ra.summary.as_of,
                rb.summary.kind.label(),
                rb.summary.as_of
            );
            if ra.summary.simulated || rb.summary.simulated {
                outln!(out, "{SIMULATED}");
            }
            let changed = rows
                .iter()
                .filter(|r| r.rank_change.is_some_and(|c| c != 0))
                .count();
            outln!(out, "{changed} 个名次有变化 ranks changed");
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        name(h, r.region),
                        r.scope.map_or_else(|| "—".into(), |s| name(h, s)),
                        score(r.score_a),
                        score(r.score_b),
                        r.score_change
                            .map_or_else(|| "—".into(), |c| format!("{c:+.2}")),
                        r.rank_a.map_or_else(|| "—".into(), |x| x.to_string()),
                        r.rank_b.map_or_else(|| "—".into(), |x| x.to_string()),
                        r.rank_change
                            .map_or_else(|| "—".into(), |c| format!("{c:+}")),
                    ]
                })
                .collect();
            out.push_str(&render(
                &[
                    "地区 region",
                    "排名范围 scope",
                    "A 总分",
                    "B 总分",
                    "变化 change",
                    "A 名次",
                    "B 名次",
                    "名次变化 rank change",
                ],
                &table,
            ));
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

async fn verify(store: &Store, id: i64) -> anyhow::Result<ExitCode> {
    let run = get_run(store, id).await?;
    let (again, frozen) = minsheng_app::evaluation::recompute(store, &run).await?;
    let stored = &run.result;
    if &again == stored {
        crate::output::print(&format!(
            "评估 {id} 可复现 (reproduces exactly): 从冻结的 {} 个数值重新计算，{} 个得分、{} 个排名、{} 个均等化结果完全一致\n",
            frozen,
            stored.scores.len(),
            stored.rankings.len(),
            stored.equalization.len()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let differ = |a: usize, b: usize, same: usize| format!("{a} → {b}, {same} equal");
    let same_scores = stored
        .scores
        .iter()
        .zip(&again.scores)
        .filter(|(x, y)| x == y)
        .count();
    let same_ranks = stored
        .rankings
        .iter()
        .zip(&again.rankings)
        .filter(|(x, y)| x == y)
        .count();
    let same_eq = stored
        .equalization
        .iter()
        .zip(&again.equalization)
        .filter(|(x, y)| x == y)
        .count();
    crate::output::print(&format!(
        "评估 {id} 不能复现 (does NOT reproduce) from its {} frozen values: scores {}; rankings {}; equalization {}; targets {}\n",
        frozen,
        differ(stored.scores.len(), again.scores.len(), same_scores),
        differ(stored.rankings.len(), again.rankings.len(), same_ranks),
        differ(stored.equalization.len(), again.equalization.len(), same_eq),
        if stored.targets == again.targets {
            "equal"
        } else {
            "differ"
        },
    ))?;
    Ok(ExitCode::FAILURE)
}

async fn import_external(
    store: &Store,
    file: &std::path::Path,
    actor: &str,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{}: not UTF-8 text; save it as CSV UTF-8 (另存为 CSV UTF-8)",
            file.display()
        )
    })?;
    let scores = parse_external_csv(&text)
        .with_context(|| format!("{}: nothing was imported", file.display()))?;
    let note = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let outcome = store
        .import_external_scores(&scores, actor, &note)
        .await
        .with_context(|| file.display().to_string())?;
    crate::output::print(&format!(
        "外部评价 external scores from {}: {} 个 — 新增 {}，更新 {}，未变 {} (inserted, updated, unchanged)\n",
        file.display(),
        scores.len(),
        outcome.inserted,
        outcome.updated,
        outcome.unchanged
    ))?;
    Ok(ExitCode::SUCCESS)
}
