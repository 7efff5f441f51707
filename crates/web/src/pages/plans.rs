//! 规划: the stored plans (`/plans`, latest versions), one plan's domains → numbered tasks
//! (牵头/配合 units) → targets with their source quotes (`/plans/{id}`), the plan's kept text
//! with every quote marked where it stands (`/plans/{id}/source#tN`), and a plan's versions
//! (`/plans/{id}/versions`).
//!
//! Quotes are placed by [`minsheng_app::plans::locate_quotes`]; a quote the text does not
//! hold word for word is said so beside its target rather than failing the page.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Page, number};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use minsheng_model::{Op, Plan, RegionLevel, SectionKind, Target, TargetKind};
use minsheng_store::StoredPlan;
use std::ops::Range;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/source", get(source))
        .route("/plans/{id}/versions", get(versions))
}

pub const STRINGS: &[crate::i18n::Entry] = &[
    ("plans.title", "规划", "Plans"),
    (
        "plans.lead",
        "已入库规划（各规划的最新版本）：领域 → 重点任务 → 量化目标，每个目标附原文引文。",
        "Stored plans (latest versions): domains → key tasks → targets, each with its source quote.",
    ),
    ("plans.count", "规划数", "Plans"),
    ("plans.region", "地区", "Region"),
    ("plans.level", "层级", "Level"),
    ("plans.plan", "规划名称", "Plan"),
    ("plans.years", "规划期", "Years"),
    ("plans.version", "版本", "Version"),
    ("plans.loaded_at", "入库时间", "Stored"),
    ("plans.domains", "领域", "Domains"),
    ("plans.tasks", "重点任务", "Key tasks"),
    ("plans.targets", "量化目标", "Targets"),
    ("plans.linked", "已关联指标库", "Linked to catalog"),
    ("plans.linked_short", "已关联", "Linked"),
    ("plans.history", "版本历史", "Versions"),
    (
        "plans.none",
        "还没有入库的规划。可在“规划导入”上传，或用 minsheng plan load 载入。",
        "No plan stored yet. Upload one under Plan import, or load it with minsheng plan load.",
    ),
    ("plans.level.province", "省级", "Province"),
    ("plans.level.prefecture", "州（市）级", "Prefecture"),
    ("plans.level.county", "县级", "County"),
    ("plans.source_doc", "原文", "Source text"),
    ("plans.source_file", "来源文件", "Source file"),
    ("plans.quotes_found", "引文已定位", "Quotes located"),
    (
        "plans.old_version",
        "这是历史版本。最新版本：",
        "This is an earlier version. The latest:",
    ),
    ("plans.general", "总体目标", "Plan-wide targets"),
    ("plans.direction", "提升方向", "Direction"),
    ("plans.goals", "三年目标", "Goals"),
    ("plans.annual_goals", "年度工作目标", "This year's goals"),
    ("plans.domain_targets", "领域目标", "Domain targets"),
    ("plans.task", "任务", "Task"),
    ("plans.lead_units", "牵头", "Lead"),
    ("plans.cooperating", "配合", "Cooperating"),
    ("plans.governments", "实施主体", "Carried out by"),
    ("plans.task_text", "任务内容", "Task text"),
    (
        "plans.no_targets",
        "本任务无量化目标。",
        "No quantified target in this task.",
    ),
    ("plans.untitled", "（无标题）", "(untitled)"),
    ("plans.kind.target", "目标", "Target"),
    ("plans.kind.annual", "年度", "Annual"),
    ("plans.kind.baseline", "基期", "Baseline"),
    ("plans.catalog", "指标库", "Catalog"),
    (
        "plans.unlinked",
        "未关联指标库",
        "Not linked to the catalog",
    ),
    ("plans.at_place", "原文位置", "In the source"),
    (
        "plans.not_found",
        "原文中未逐字找到此引文",
        "This quote is not found word for word in the text",
    ),
    ("plans.repaired", "识别修复", "OCR repaired"),
    ("plans.year_suffix", "年", ""),
    ("plans.scope", "范围", "Scope"),
    ("plans.back", "返回规划", "Back to the plan"),
    (
        "plans.source_lead",
        "规划入库时清理后的全文（已去除页眉页脚、网页杂项和插入的广告；识别受损处保留原样）。每条量化目标的引文以底色标出，点击规划页的“原文位置”跳到对应处。",
        "The plan's text as cleaned when stored (page furniture, web chrome and injected spam removed; OCR damage kept as written). Every target's quote is highlighted; “In the source” on the plan page jumps to it.",
    ),
    (
        "plans.marked",
        "条引文已在原文中标出",
        "quotes highlighted in the text",
    ),
    (
        "plans.unmarked",
        "以下引文未在原文中逐字找到：",
        "These quotes are not found word for word in the text:",
    ),
    (
        "plans.no_text",
        "此版本入库时未保存原文，以下为各部分文本，引文按此定位。",
        "This version was stored without its full text; its sections' text is shown and quotes are placed in it.",
    ),
    ("plans.current", "当前", "current"),
    ("plans.view", "查看", "View"),
];

/// The string key of a region level.
fn level_key(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "plans.level.province",
        RegionLevel::Prefecture => "plans.level.prefecture",
        RegionLevel::County => "plans.level.county",
    }
}

fn level_rank(level: RegionLevel) -> u8 {
    match level {
        RegionLevel::Province => 0,
        RegionLevel::Prefecture => 1,
        RegionLevel::County => 2,
    }
}

/// `2023—2025`, or a dash.
fn years(plan: &Plan) -> String {
    plan.years.map_or("–".into(), |[a, b]| format!("{a}—{b}"))
}

/// The date part of an RFC 3339 time.
fn date(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_string()
}

/// The text quotes are placed in: the kept text, else (plans stored before it was kept)
/// the sections' titles and text.
fn plan_text(plan: &Plan) -> (String, bool) {
    if !plan.text.trim().is_empty() {
        return (plan.text.clone(), true);
    }
    let mut out = String::new();
    for s in &plan.sections {
        out.push_str(&s.title);
        out.push('\n');
        out.push_str(&s.text);
        out.push_str("\n\n");
    }
    (out, false)
}

fn locate(plan: &Plan) -> (String, bool, Vec<Option<Range<usize>>>) {
    let (text, kept) = plan_text(plan);
    let quotes: Vec<&str> = plan.targets.iter().map(|t| t.quote.as_str()).collect();
    let found = minsheng_app::plans::locate_quotes(&text, &quotes);
    (text, kept, found)
}

// ---------------------------------------------------------------------------------------
// /plans

/// A stored plan in the list.
pub struct PlanRow {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub level: &'static str,
    pub title: String,
    pub years: String,
    pub version: i64,
    pub loaded_at: String,
    pub domains: usize,
    pub tasks: usize,
    pub targets: usize,
    pub linked: usize,
}

pub struct PlanList {
    pub rows: Vec<PlanRow>,
    pub targets: usize,
    pub linked: usize,
}

fn plan_list(plans: &[StoredPlan], m: &crate::state::Monitor) -> PlanList {
    let h = &m.inputs.hierarchy;
    let mut rows: Vec<(u8, PlanRow)> = plans
        .iter()
        .map(|s| {
            let idx = h.index_of(&s.region_code);
            let level = idx.map_or(RegionLevel::County, |i| h.level(i));
            let row = PlanRow {
                id: s.id,
                region_code: s.region_code.clone(),
                region_name: idx
                    .and_then(|i| h.name(i))
                    .or(s.plan.region.as_deref())
                    .unwrap_or(&s.region_code)
                    .to_string(),
                level: level_key(level),
                title: s.plan.title.clone(),
                years: years(&s.plan),
                version: s.version,
                loaded_at: date(&s.loaded_at),
                domains: s
                    .plan
                    .domains
                    .iter()
                    .filter(|d| !d.tasks.is_empty())
                    .count(),
                tasks: s.plan.domains.iter().map(|d| d.tasks.len()).sum(),
                targets: s.plan.targets.len(),
                linked: s.indicator_ids.iter().flatten().count(),
            };
            (level_rank(level), row)
        })
        .collect();
    rows.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.region_code.cmp(&b.1.region_code))
            .then_with(|| a.1.title.cmp(&b.1.title))
    });
    let rows: Vec<PlanRow> = rows.into_iter().map(|(_, r)| r).collect();
    PlanList {
        targets: rows.iter().map(|r| r.targets).sum(),
        linked: rows.iter().map(|r| r.linked).sum(),
        rows,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/list.html")]
struct ListPage {
    page: Page,
    list: Arc<PlanList>,
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ListPage, AppError> {
    let list = state
        .cached("plans-list", |s| async move {
            let m = s.monitor().await?;
            Ok(plan_list(&m.inputs.plans, &m))
        })
        .await?;
    let page = Page::new(lang, "plans", "plans.title", Some(&user.0));
    Ok(ListPage { page, list })
}

// ---------------------------------------------------------------------------------------
// /plans/{id}

/// One target as the plan page shows it.
pub struct TargetView {
    /// Its position in the plan's targets: the `tN` of the source page.
    pub n: usize,
    pub kind: &'static str,
    pub indicator: String,
    pub op: &'static str,
    pub value: String,
    pub unit: String,
    pub year: Option<i32>,
    pub scope: Option<String>,
    /// The catalog entry it links to: (id, name).
    pub catalog: Option<(String, String)>,
    pub quote: String,
    /// The quote was found in the text.
    pub found: bool,
    pub repaired: bool,
}

pub struct TaskView {
    pub number: u32,
    pub title: String,
    pub text: String,
    pub lead: Vec<String>,
    pub cooperating: Vec<String>,
    pub governments: Vec<String>,
    pub goals: Option<String>,
    pub annual_goals: Option<String>,
    pub targets: Vec<TargetView>,
}

pub struct DomainView {
    /// `d1`…: the anchor.
    pub anchor: String,
    pub name: String,
    pub direction: Option<String>,
    pub goals: Option<String>,
    /// Targets in the domain but outside any task.
    pub targets: Vec<TargetView>,
    pub tasks: Vec<TaskView>,
}

/// 达到 ≥, 不超过 ≤, =.
pub fn op_symbol(op: Op) -> &'static str {
    match op {
        Op::AtLeast => "≥",
        Op::AtMost => "≤",
        Op::Equal => "=",
    }
}

fn kind_key(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Target => "target",
        TargetKind::Annual => "annual",
        TargetKind::Baseline => "baseline",
    }
}

fn target_view(
    n: usize,
    t: &Target,
    id: Option<&String>,
    found: bool,
    catalog: &minsheng_catalog::Catalog,
) -> TargetView {
    let value = match t.value_max {
        Some(max) => format!("{}—{}", number(t.value), number(max)),
        None => number(t.value),
    };
    TargetView {
        n,
        kind: kind_key(t.kind),
        indicator: t.indicator.clone(),
        op: op_symbol(t.op),
        value,
        unit: t.unit.clone(),
        year: t.year,
        scope: t.scope.clone(),
        catalog: id.map(|id| {
            let name = catalog.get(id).map_or(id.as_str(), |e| e.name.as_str());
            (id.clone(), name.to_string())
        }),
        quote: t.quote.clone(),
        found,
        repaired: t.repaired,
    }
}

/// The first words of a task that has no title sentence.
fn opening(text: &str) -> String {
    let first = text.split(['。', '；', ';']).next().unwrap_or(text).trim();
    let short: String = first.chars().take(40).collect();
    if short.chars().count() < first.chars().count() {
        format!("{short}…")
    } else {
        short
    }
}

pub struct PlanView {
    pub id: i64,
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    pub years: String,
    pub version: i64,
    pub loaded_at: String,
    pub source: String,
    /// The latest version's id when this is an earlier one.
    pub latest: Option<(i64, i64)>,
    pub tasks: usize,
    pub targets: usize,
    pub linked: usize,
    pub found: usize,
    pub general: Vec<TargetView>,
    pub goals_text: Option<String>,
    pub domains: Vec<DomainView>,
}

fn plan_view(
    stored: &StoredPlan,
    region_name: String,
    latest: Option<(i64, i64)>,
    catalog: &minsheng_catalog::Catalog,
) -> PlanView {
    let plan = &stored.plan;
    let (_, _, found) = locate(plan);
    let mut views: Vec<Option<TargetView>> = plan
        .targets
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let id = stored.indicator_ids.get(n).and_then(|i| i.as_ref());
            Some(target_view(
                n,
                t,
                id,
                found.get(n).is_some_and(Option::is_some),
                catalog,
            ))
        })
        .collect();
    let mut take = |pred: &dyn Fn(&Target) -> bool| -> Vec<TargetView> {
        plan.targets
            .iter()
            .enumerate()
            .filter(|(_, t)| pred(t))
            .filter_map(|(n, _)| views.get_mut(n).and_then(Option::take))
            .collect()
    };
    let mut domains = Vec::new();
    for (i, d) in plan.domains.iter().enumerate() {
        let tasks = d
            .tasks
            .iter()
            .map(|task| TaskView {
                number: task.number,
                title: if task.title.trim().is_empty() {
                    opening(&task.text)
                } else {
                    task.title.clone()
                },
                text: task.text.clone(),
                lead: task.responsibility.lead.clone(),
                cooperating: task.responsibility.cooperating.clone(),
                governments: task.responsibility.governments.clone(),
                goals: task.goals.clone(),
                annual_goals: task.annual_goals.clone(),
                targets: take(&|t: &Target| t.domain == d.name && t.task == Some(task.number)),
            })
            .collect();
        let targets = take(&|t: &Target| t.domain == d.name);
        domains.push(DomainView {
            anchor: format!("d{}", i + 1),
            name: d.name.clone(),
            direction: d.direction.clone(),
            goals: d.goals.clone(),
            targets,
            tasks,
        });
    }
    // Whatever stands outside the plan's domains: plan-wide goals (总体).
    let general = take(&|_: &Target| true);
    let goals_text = plan
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Goals)
        .map(|s| s.text.clone())
        .filter(|t| !t.trim().is_empty());
    PlanView {
        id: stored.id,
        title: plan.title.clone(),
        region_code: stored.region_code.clone(),
        region_name,
        years: years(plan),
        version: stored.version,
        loaded_at: date(&stored.loaded_at),
        source: plan.source.clone(),
        latest,
        tasks: plan.domains.iter().map(|d| d.tasks.len()).sum(),
        targets: plan.targets.len(),
        linked: stored.indicator_ids.iter().flatten().count(),
        found: found.iter().flatten().count(),
        general,
        goals_text,
        domains,
    }
}

/// The stored plan `id`, its region's name, and the latest version of the same plan when
/// this one is older: (id, version).
async fn load(
    state: &AppState,
    id: &str,
) -> Result<(StoredPlan, String, Option<(i64, i64)>), AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let stored = state
        .store()
        .plan_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let region_name = h
        .index_of(&stored.region_code)
        .and_then(|i| h.name(i))
        .unwrap_or(&stored.region_code)
        .to_string();
    let latest = m
        .inputs
        .plans
        .iter()
        .find(|p| p.region_code == stored.region_code && p.plan_key == stored.plan_key)
        .filter(|p| p.id != stored.id)
        .map(|p| (p.id, p.version));
    Ok((stored, region_name, latest))
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/show.html")]
struct ShowPage {
    page: Page,
    p: PlanView,
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ShowPage, AppError> {
    let (stored, region_name, latest) = load(&state, &id).await?;
    let catalog = &state.monitor().await?.inputs.catalog;
    let p = plan_view(&stored, region_name, latest, catalog);
    let page = Page::new(lang, "plans", "plans.title", Some(&user.0));
    Ok(ShowPage { page, p })
}

// ---------------------------------------------------------------------------------------
// /plans/{id}/source

/// A stretch of the text, marked when some quote covers it. `marks` holds one entry per
/// `<mark>` to open: the target number that starts here (its anchor `tN`), or `None` for a
/// stretch inside a quote that started earlier.
pub struct Piece {
    pub text: String,
    pub marks: Vec<Option<usize>>,
    /// The targets covering this stretch, for its tooltip (目标 3、4).
    pub covering: String,
}

/// The text cut at every quote's start and end.
fn pieces(text: &str, found: &[Option<Range<usize>>]) -> Vec<Piece> {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for r in found.iter().flatten() {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let Some(stretch) = text.get(a..b) else {
            continue;
        };
        let covering: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, r)| r.as_ref().is_some_and(|r| r.start <= a && b <= r.end))
            .map(|(n, _)| n)
            .collect();
        let starting: Vec<Option<usize>> = covering
            .iter()
            .filter(|n| found[**n].as_ref().is_some_and(|r| r.start == a))
            .map(|n| Some(*n))
            .collect();
        let marks = if covering.is_empty() {
            Vec::new()
        } else if starting.is_empty() {
            vec![None]
        } else {
            starting
        };
        out.push(Piece {
            text: stretch.to_string(),
            marks,
            covering: covering
                .iter()
                .map(|n| (n + 1).to_string())
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    out
}

/// A quote the text does not hold.
pub struct Unfound {
    pub n: usize,
    pub indicator: String,
    pub quote: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/source.html")]
struct SourcePage {
    page: Page,
    id: i64,
    title: String,
    region_name: String,
    version: i64,
    kept: bool,
    total: usize,
    marked: usize,
    unfound: Vec<Unfound>,
    pieces: Vec<Piece>,
}

async fn source(
    State(state): State<AppState>,
    Path(id): Path<String>,
    lang: Lang,
    user: CurrentUser,
) -> Result<SourcePage, AppError> {
    let (stored, region_name, _) = load(&state, &id).await?;
    let plan = &stored.plan;
    let (text, kept, found) = locate(plan);
    let unfound = plan
        .targets
        .iter()
        .zip(&found)
        .enumerate()
        .filter(|(_, (_, f))| f.is_none())
        .map(|(n, (t, _))| Unfound {
            n,
            indicator: t.indicator.clone(),
            quote: t.quote.clone(),
        })
        .collect();
    let page = Page::new(lang, "plans", "plans.source_doc", Some(&user.0));
    Ok(SourcePage {
        page,
        id: stored.id,
        title: plan.title.clone(),
        region_name,
        version: stored.version,
        kept,
        total: plan.targets.len(),
        marked: found.iter().flatten().count(),
        unfound,
        pieces: pieces(&text, &found),
    })
}

// ---------------------------------------------------------------------------------------
// /plans/{id}/versions

pub struct VersionRow {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub source: String,
    pub loaded_at: String,
    pub targets: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/versions.html")]
struct VersionsPage {
    page: Page,
    id: i64,
    title: String,
    region_name: String,
    rows: Vec<VersionRow>,
}

async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    lang: Lang,
    user: CurrentUser,
) -> Result<VersionsPage, AppError> {
    let (stored, region_name, _) = load(&state, &id).await?;
    let mut rows: Vec<VersionRow> = state
        .store()
        .plan_versions(&stored.region_code)
        .await?
        .into_iter()
        .filter(|v| v.plan_key == stored.plan_key)
        .map(|v| VersionRow {
            id: v.id,
            version: v.version,
            title: v.title,
            source: v.source,
            loaded_at: v
                .loaded_at
                .replace('T', " ")
                .trim_end_matches('Z')
                .to_string(),
            targets: v.targets,
        })
        .collect();
    rows.sort_by(|a, b| b.version.cmp(&a.version));
    let page = Page::new(lang, "plans", "plans.history", Some(&user.0));
    Ok(VersionsPage {
        page,
        id: stored.id,
        title: stored.plan.title.clone(),
        region_name,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_quotes_nest_their_marks_and_each_start_gets_its_anchor() {
        let text = "甲乙丙丁戊";
        // 乙丙 and 乙丙丁 start together; 戊 stands alone; one quote is missing.
        let found = vec![Some(3..9), Some(3..12), None, Some(12..15)];
        let got = pieces(text, &found);
        let shown: Vec<(&str, Vec<Option<usize>>)> = got
            .iter()
            .map(|p| (p.text.as_str(), p.marks.clone()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("甲", vec![]),
                ("乙丙", vec![Some(0), Some(1)]),
                ("丁", vec![None]),
                ("戊", vec![Some(3)]),
            ]
        );
        assert_eq!(got[1].covering, "1、2");
        let joined: String = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text, "nothing lost or doubled");
    }

    #[test]
    fn a_task_without_title_is_named_by_its_opening_words() {
        assert_eq!(opening("加强托育服务。其余"), "加强托育服务");
        let long = "一".repeat(50);
        assert_eq!(opening(&long).chars().count(), 41);
    }
}
