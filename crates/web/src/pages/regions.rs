//! 地区: the drill-down province → prefecture → county. For a region: its applicable
//! targets with status, R, projection, method and whose plan's target applies; its
//! children with status counts, rank among siblings and reporting completeness (填报完整性);
//! its tasks' progress; and a map of the province's counties coloured by the share of their
//! targets achieved or on track, or by the status of one indicator.
//!
//! Every region's figures are computed once per store change ([`AppState::cached`]) from one
//! assessment of the top region's subtree. Shares are counts over counts — a region's share
//! of good targets sums its own and its regions' counts, never averages their shares.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Page, number, overview::top_region};
use crate::state::{AppState, Monitor};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use minsheng_assess::{AssessFilter, AssessInput, Method, Note, Status};
use minsheng_model::{Op, RegionLevel};
use minsheng_store::TaskFilter;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions", get(index))
        .route("/regions/{code}", get(region))
}

/// The number of statuses ([`Status::ALL`]).
const N: usize = 6;

fn status_index(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(N - 1)
}

/// Status counts in [`Status::ALL`]'s order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts(pub [usize; N]);

impl Counts {
    /// Achieved or on track.
    pub fn good(&self) -> usize {
        self.0[0] + self.0[1]
    }
    /// Assessed with data (every status but no_data).
    pub fn with_data(&self) -> usize {
        self.0[..N - 1].iter().sum()
    }
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
    fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
    /// The share of good targets among those with data, in percent.
    pub fn share(&self) -> Option<f64> {
        let n = self.with_data();
        (n > 0).then(|| 100.0 * self.good() as f64 / n as f64)
    }
    /// [`Counts::share`] as text, `–` without data.
    pub fn share_text(&self) -> String {
        self.share()
            .map_or("–".into(), |s| format!("{}%", number(s)))
    }
}

/// One applicable target of a region, assessed.
#[derive(Debug, Clone)]
pub struct TargetRow {
    pub indicator: String,
    pub name: String,
    pub domain: String,
    pub status: Status,
    pub latest: String,
    pub latest_period: String,
    pub target: String,
    pub ratio: String,
    pub projected: String,
    pub method: &'static str,
    pub note: Option<&'static str>,
    /// The region whose plan sets the target: this one, or an ancestor.
    pub target_region: String,
    pub target_region_name: String,
    pub own: bool,
    pub simulated: bool,
    pub incomplete: bool,
}

impl TargetRow {
    pub fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
}

/// One region of the top region's subtree.
#[derive(Debug, Clone)]
pub struct RegionStat {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent: Option<String>,
    pub children: Vec<String>,
    /// Its own targets' statuses.
    pub own: Counts,
    /// Its own and every region's below it.
    pub counts: Counts,
    /// 填报完整性 over itself and the regions below it: indicators due for the period,
    /// and how many have an approved value for it.
    pub expected: u32,
    pub reported: u32,
    pub targets: Vec<TargetRow>,
}

impl RegionStat {
    pub fn completeness(&self) -> String {
        if self.expected == 0 {
            "–".into()
        } else {
            format!(
                "{}%",
                number(100.0 * f64::from(self.reported) / f64::from(self.expected))
            )
        }
    }
}

/// Every region's figures at the latest period.
pub struct Regions {
    pub top: Option<String>,
    pub as_of: Option<String>,
    pub regions: HashMap<String, RegionStat>,
    /// Indicators assessed at some county, for the map's choice: (id, name).
    pub county_indicators: Vec<(String, String)>,
    pub simulated: bool,
}

fn op_sign(op: Op) -> &'static str {
    match op {
        Op::AtLeast => "≥",
        Op::AtMost => "≤",
        Op::Equal => "=",
    }
}

fn method_key(m: Method) -> &'static str {
    match m {
        Method::OpenSdgRatio => "regions.method.open_sdg_ratio",
        Method::Linear => "regions.method.linear",
        Method::AchievedCheck => "regions.method.achieved_check",
        Method::None => "regions.method.none",
    }
}

fn note_key(n: Note) -> &'static str {
    match n {
        Note::NoBaseline => "regions.note.no_baseline",
        Note::NoLatest => "regions.note.no_latest",
        Note::LatestNotAfterBaseline => "regions.note.latest_not_after_baseline",
        Note::TargetNotAfterBaseline => "regions.note.target_not_after_baseline",
        Note::BaselineMetTarget => "regions.note.baseline_met_target",
        Note::TargetYearPassed => "regions.note.target_year_passed",
        Note::ZeroOrSignChange => "regions.note.zero_or_sign_change",
        Note::IncompleteSum => "regions.note.incomplete_sum",
    }
}

/// Computes every region's figures (the cached value).
pub fn compute(m: &Monitor) -> Result<Regions, AppError> {
    let h = &m.inputs.hierarchy;
    let top = top_region(m);
    let mut out = Regions {
        top: top.clone(),
        as_of: m.latest.map(|p| p.to_string()),
        regions: HashMap::new(),
        county_indicators: Vec::new(),
        simulated: m.simulated,
    };
    let Some(root) = top.as_deref().and_then(|t| h.index_of(t)) else {
        return Ok(out);
    };
    let subtree = h.subtree(root);
    for &r in subtree {
        let code = h.code(r).to_string();
        out.regions.insert(
            code.clone(),
            RegionStat {
                name: h.name(r).unwrap_or(&code).to_string(),
                code,
                level: h.level(r),
                parent: h.parent(r).map(|p| h.code(p).to_string()),
                children: h
                    .children(r)
                    .iter()
                    .map(|&c| h.code(c).to_string())
                    .collect(),
                own: Counts::default(),
                counts: Counts::default(),
                expected: 0,
                reported: 0,
                targets: Vec::new(),
            },
        );
    }
    let Some(as_of) = m.latest else {
        return Ok(out);
    };
    let input = AssessInput {
        hierarchy: h,
        indicators: &m.inputs.indicators,
        table: &m.table,
        targets: &m.inputs.targets,
    };
    let filter = AssessFilter {
        region: top.clone(),
        ..AssessFilter::default()
    };
    let rows = minsheng_assess::assess(&input, as_of, &filter).map_err(AppError::internal)?;
    let catalog = &m.inputs.catalog;
    let mut county_indicators: Vec<String> = Vec::new();
    for a in &rows {
        let Some(stat) = out.regions.get_mut(a.region) else {
            continue;
        };
        let entry = catalog.get(a.indicator);
        let unit = entry.map_or("", |e| e.unit.as_str());
        let with_unit = |v: f64| format!("{}{unit}", number(v));
        stat.own.0[status_index(a.status)] += 1;
        if stat.level == RegionLevel::County && !county_indicators.iter().any(|i| i == a.indicator)
        {
            county_indicators.push(a.indicator.to_string());
        }
        let target_region_name = h
            .index_of(a.target_region)
            .and_then(|i| h.name(i))
            .unwrap_or(a.target_region)
            .to_string();
        stat.targets.push(TargetRow {
            indicator: a.indicator.to_string(),
            name: entry.map_or(a.indicator, |e| e.name.as_str()).to_string(),
            domain: entry.and_then(|e| e.domain.clone()).unwrap_or_default(),
            status: a.status,
            latest: a.latest.map_or("–".into(), with_unit),
            latest_period: a.latest_period.map(|p| p.to_string()).unwrap_or_default(),
            target: format!(
                "{} {}（{}）",
                op_sign(a.op),
                with_unit(a.target),
                a.target_year
            ),
            ratio: a.ratio.map_or("–".into(), |r| format!("{r:.2}")),
            projected: a.projected.map_or("–".into(), with_unit),
            method: method_key(a.method),
            note: a.note.map(note_key),
            own: a.target_region == a.region,
            target_region: a.target_region.to_string(),
            target_region_name,
            simulated: a.simulated,
            incomplete: a.incomplete,
        });
    }
    let completeness =
        minsheng_assess::completeness(&input, as_of, top.as_deref()).map_err(AppError::internal)?;
    for c in completeness {
        if let Some(stat) = out.regions.get_mut(h.code(c.region)) {
            stat.expected += c.expected;
            stat.reported += c.reported;
        }
    }
    // Sums up the tree: the subtree is in depth-first order, so every region comes after
    // its parent; walking it backwards adds each region's totals to its parent's.
    for stat in out.regions.values_mut() {
        stat.counts = stat.own;
    }
    for &r in subtree.iter().rev() {
        let Some(p) = h.parent(r).filter(|_| r != root) else {
            continue;
        };
        let Some((counts, expected, reported)) = out
            .regions
            .get(h.code(r))
            .map(|s| (s.counts, s.expected, s.reported))
        else {
            continue;
        };
        if let Some(parent) = out.regions.get_mut(h.code(p)) {
            parent.counts.add(&counts);
            parent.expected += expected;
            parent.reported += reported;
        }
    }
    out.county_indicators = county_indicators
        .into_iter()
        .map(|id| {
            let name = catalog.get(&id).map_or(id.clone(), |e| e.name.clone());
            (id, name)
        })
        .collect();
    Ok(out)
}

/// A child region's row: counts, share, rank among its siblings, completeness.
pub struct ChildRow {
    pub code: String,
    pub name: String,
    pub counts: Counts,
    pub share: String,
    pub rank: usize,
    pub completeness: String,
    pub expected: u32,
    pub reported: u32,
    /// Width of the share bar, 0–100.
    pub bar: usize,
}

/// The children of `parent`, ranked by the share of their targets achieved or on track
/// (compared as counts: a/b > c/d as a·d > c·b), those without data last.
fn ranked_children(data: &Regions, parent: &RegionStat) -> Vec<ChildRow> {
    let mut rows: Vec<ChildRow> = parent
        .children
        .iter()
        .filter_map(|c| data.regions.get(c))
        .map(|s| ChildRow {
            code: s.code.clone(),
            name: s.name.clone(),
            counts: s.counts,
            share: s.counts.share_text(),
            rank: 0,
            completeness: s.completeness(),
            expected: s.expected,
            reported: s.reported,
            bar: s.counts.share().map_or(0, |v| v.round() as usize),
        })
        .collect();
    rows.sort_by(|a, b| {
        let (ag, an) = (a.counts.good(), a.counts.with_data());
        let (bg, bn) = (b.counts.good(), b.counts.with_data());
        (bn > 0)
            .cmp(&(an > 0))
            .then_with(|| (bg * an).cmp(&(ag * bn)))
            .then_with(|| a.code.cmp(&b.code))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        if r.counts.with_data() > 0 {
            r.rank = i + 1;
        }
    }
    rows
}

/// The rank of `stat` among its siblings (1 = best), and how many siblings have data.
fn rank_among_siblings(data: &Regions, stat: &RegionStat) -> Option<(usize, usize)> {
    let parent = data.regions.get(stat.parent.as_deref()?)?;
    let rows = ranked_children(data, parent);
    let of = rows.iter().filter(|r| r.rank > 0).count();
    rows.iter()
        .find(|r| r.code == stat.code && r.rank > 0)
        .map(|r| (r.rank, of))
}

/// A county of the map's table.
pub struct MapRow {
    pub code: String,
    pub name: String,
    pub prefecture: String,
    /// Share of good targets, or the chosen indicator's status.
    pub share: String,
    pub good: usize,
    pub with_data: usize,
    pub status: Option<&'static str>,
    pub highlighted: bool,
}

const STATUS_COLORS: [&str; N] = [
    "#1a7f37", "#2da44e", "#d4a72c", "#e16f24", "#cf222e", "#8c959f",
];

/// The map's option and its table: every county of the top region, coloured by its share of
/// good targets, or by `indicator`'s status; `highlight`'s counties outlined, the others faded.
fn county_map(
    data: &Regions,
    page: &Page,
    indicator: Option<&str>,
    highlight: Option<&str>,
) -> (String, Vec<MapRow>) {
    let mut rows = Vec::new();
    let mut items = Vec::new();
    let Some(top) = data.top.as_deref().and_then(|t| data.regions.get(t)) else {
        return (String::new(), rows);
    };
    for pref in top.children.iter().filter_map(|c| data.regions.get(c)) {
        let counties: Vec<&RegionStat> = if pref.children.is_empty() {
            vec![pref]
        } else {
            pref.children
                .iter()
                .filter_map(|c| data.regions.get(c))
                .collect()
        };
        for c in counties {
            let highlighted = highlight.is_some_and(|h| h == pref.code || h == c.code);
            let status = indicator.and_then(|i| {
                c.targets
                    .iter()
                    .find(|t| t.indicator == i)
                    .map(|t| t.status)
            });
            let value = match indicator {
                Some(_) => status.map(|s| status_index(s) as f64),
                None => c.own.share(),
            };
            let mut item = serde_json::json!({ "name": c.name, "value": value });
            if highlight.is_some() {
                item["itemStyle"] = if highlighted {
                    serde_json::json!({"borderColor": "#0b2545", "borderWidth": 1.6})
                } else {
                    serde_json::json!({"opacity": 0.35})
                };
            }
            items.push(item);
            rows.push(MapRow {
                code: c.code.clone(),
                name: c.name.clone(),
                prefecture: pref.name.clone(),
                share: c.own.share_text(),
                good: c.own.good(),
                with_data: c.own.with_data(),
                status: status.map(Status::as_str),
                highlighted,
            });
        }
    }
    // The colour scale spans the shares shown, in whole tens, so that differences show.
    let shares = rows
        .iter()
        .filter(|r| r.with_data > 0)
        .map(|r| 100.0 * r.good as f64 / r.with_data as f64);
    let (lo, hi) = shares.fold((100.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo > hi {
        (0, 100)
    } else {
        let lo = ((lo / 10.0).floor() * 10.0) as i64;
        let hi = ((hi / 10.0).ceil() * 10.0) as i64;
        (lo, hi.max(lo + 10))
    };
    let visual = match indicator {
        Some(_) => serde_json::json!({
            "type": "piecewise", "left": 4, "bottom": 4, "itemWidth": 12, "itemHeight": 10,
            "textStyle": {"fontSize": 11},
            "pieces": Status::ALL.iter().enumerate().map(|(i, s)| serde_json::json!({
                "value": i,
                "label": page.tr.t(&format!("status.{}", s.as_str())),
                "color": STATUS_COLORS[i],
            })).collect::<Vec<_>>(),
        }),
        None => serde_json::json!({
            "type": "continuous", "min": lo, "max": hi, "left": 4, "bottom": 4,
            "itemHeight": 110, "calculable": false,
            "text": [format!("{hi}%"), format!("{lo}%")], "textStyle": {"fontSize": 11},
            "inRange": {"color": ["#cf222e", "#e16f24", "#d4a72c", "#2da44e", "#1a7f37"]},
        }),
    };
    let option = serde_json::json!({
        "tooltip": {"trigger": "item", "formatter": if indicator.is_some() { "{b}" } else { "{b}<br/>{c}%" }},
        "visualMap": visual,
        "series": [{
            "type": "map", "map": "yunnan", "roam": false,
            "aspectScale": 0.9, "layoutCenter": ["55%", "50%"], "layoutSize": "96%",
            "itemStyle": {"areaColor": "#e5e9ef", "borderColor": "#fff", "borderWidth": 0.5},
            "emphasis": {"label": {"show": true, "fontSize": 11}, "itemStyle": {"areaColor": "#8fb3de"}},
            "select": {"disabled": true},
            "data": items,
        }],
    });
    (option.to_string(), rows)
}

/// A task's progress as the region page lists it.
pub struct TaskRow {
    pub region: String,
    pub title: String,
    pub domain: String,
    pub task: u32,
    pub period: String,
    pub status: &'static str,
    pub due: String,
    pub overdue: bool,
    pub simulated: bool,
}

#[derive(Deserialize)]
pub struct MapQuery {
    pub indicator: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/index.html")]
struct IndexPage {
    page: Page,
    top: Option<RegionStat>,
    as_of: String,
    statuses: Vec<&'static str>,
    children: Vec<ChildRow>,
    map: String,
    map_rows: Vec<MapRow>,
    indicators: Vec<(String, String)>,
    indicator: String,
    base: String,
}

async fn regions(state: &AppState) -> Result<Arc<Regions>, AppError> {
    state
        .cached("regions", |s| async move {
            let m = s.monitor().await?;
            compute(&m)
        })
        .await
}

fn statuses() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.as_str()).collect()
}

/// The chosen indicator, if it is one the map can show.
fn chosen(data: &Regions, q: &MapQuery) -> Option<String> {
    q.indicator
        .as_deref()
        .filter(|i| data.county_indicators.iter().any(|(id, _)| id == i))
        .map(str::to_string)
}

async fn index(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<MapQuery>,
) -> Result<IndexPage, AppError> {
    let data = regions(&state).await?;
    let page = Page::new(lang, "regions", "regions.title", Some(&user.0)).simulated(data.simulated);
    let top = data
        .top
        .as_deref()
        .and_then(|t| data.regions.get(t))
        .cloned();
    let children = top
        .as_ref()
        .map(|t| ranked_children(&data, t))
        .unwrap_or_default();
    let indicator = chosen(&data, &q);
    let (map, map_rows) = county_map(&data, &page, indicator.as_deref(), None);
    Ok(IndexPage {
        page,
        top,
        as_of: data.as_of.clone().unwrap_or_default(),
        statuses: statuses(),
        children,
        map,
        map_rows,
        indicators: data.county_indicators.clone(),
        indicator: indicator.unwrap_or_default(),
        base: "/regions".into(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/region.html")]
struct RegionPage {
    page: Page,
    r: RegionStat,
    level_key: &'static str,
    crumbs: Vec<(String, String)>,
    as_of: String,
    statuses: Vec<&'static str>,
    rank: Option<(usize, usize)>,
    children: Vec<ChildRow>,
    map: String,
    map_rows: Vec<MapRow>,
    indicators: Vec<(String, String)>,
    indicator: String,
    base: String,
    tasks: Vec<TaskRow>,
    tasks_total: usize,
}

fn level_key(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "regions.level.province",
        RegionLevel::Prefecture => "regions.level.prefecture",
        RegionLevel::County => "regions.level.county",
    }
}

/// How many task rows the region page lists.
const TASKS_SHOWN: usize = 30;

async fn region(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<MapQuery>,
) -> Result<RegionPage, AppError> {
    let data = regions(&state).await?;
    let Some(r) = data.regions.get(code.trim()).cloned() else {
        return Err(AppError::NotFound);
    };
    let page = Page::new(lang, "regions", "regions.title", Some(&user.0)).simulated(data.simulated);
    let mut crumbs = Vec::new();
    let mut at = r.parent.clone();
    while let Some(c) = at {
        let Some(s) = data.regions.get(&c) else { break };
        crumbs.push((s.code.clone(), s.name.clone()));
        at = s.parent.clone();
    }
    crumbs.reverse();
    let children = ranked_children(&data, &r);
    let rank = rank_among_siblings(&data, &r);
    let indicator = chosen(&data, &q);
    let (map, map_rows) = if r.level == RegionLevel::County {
        (String::new(), Vec::new())
    } else {
        let highlight = (r.level == RegionLevel::Prefecture).then_some(r.code.as_str());
        let (map, rows) = county_map(&data, &page, indicator.as_deref(), highlight);
        let rows = rows
            .into_iter()
            .filter(|m| highlight.is_none() || m.highlighted)
            .collect();
        (map, rows)
    };

    // Tasks reported by this region and those below it.
    let m = state.monitor().await?;
    let progress = state
        .store()
        .task_progress(&TaskFilter {
            region: Some(r.code.clone()),
            ..TaskFilter::default()
        })
        .await?;
    let today = minsheng_store::today_in_china();
    let h = &m.inputs.hierarchy;
    let tasks_total = progress.len();
    let tasks = progress
        .iter()
        .take(TASKS_SHOWN)
        .map(|p| {
            let task = minsheng_app::tasks::find_task(
                &m.inputs.plans,
                &p.key.plan_region,
                &p.key.plan_key,
                &p.key.domain,
                p.key.task,
            );
            TaskRow {
                region: h
                    .index_of(&p.key.region)
                    .and_then(|i| h.name(i))
                    .unwrap_or(&p.key.region)
                    .to_string(),
                title: task.map(|t| t.title.clone()).unwrap_or_default(),
                domain: p.key.domain.clone(),
                task: p.key.task,
                period: p.key.period.to_string(),
                status: p.status.as_str(),
                due: p.due_date.clone().unwrap_or_default(),
                overdue: p.is_overdue(&today),
                simulated: p.simulated,
            }
        })
        .collect();
    Ok(RegionPage {
        page,
        level_key: level_key(r.level),
        base: format!("/regions/{}", r.code),
        r,
        crumbs,
        as_of: data.as_of.clone().unwrap_or_default(),
        statuses: statuses(),
        rank,
        children,
        map,
        map_rows,
        indicators: data.county_indicators.clone(),
        indicator: indicator.unwrap_or_default(),
        tasks,
        tasks_total,
    })
}

/// The strings of the region pages.
pub const STRINGS: &[crate::i18n::Entry] = &[
    ("regions.title", "地区", "Regions"),
    ("regions.as_of", "监测期", "As of"),
    ("regions.level.province", "省", "Province"),
    ("regions.level.prefecture", "州（市）", "Prefecture"),
    ("regions.level.county", "县（市、区）", "County"),
    ("regions.open", "查看全省详情", "Open the province"),
    ("regions.targets", "适用目标", "Applicable targets"),
    (
        "regions.assessed",
        "目标评估项（含下辖地区）",
        "Assessed targets (with lower regions)",
    ),
    (
        "regions.good_share",
        "达标或进度正常",
        "Achieved or on track",
    ),
    (
        "regions.good_share_hint",
        "本级及下辖地区合计，按目标个数计算",
        "Own and lower regions together, counted over targets",
    ),
    (
        "regions.completeness",
        "填报完整性",
        "Reporting completeness",
    ),
    (
        "regions.completeness_hint",
        "应报指标中已有该期审核通过数值的比例（本级及下辖合计）",
        "Share of the indicators due with an approved value for the period (own and lower regions together)",
    ),
    ("regions.period", "统计期", "Period"),
    ("regions.rank", "同级排名", "Rank among siblings"),
    ("regions.rank_of", "共", "of"),
    ("regions.children", "下辖地区", "Regions below"),
    ("regions.prefectures", "各州（市）", "Prefectures"),
    ("regions.region", "地区", "Region"),
    (
        "regions.share",
        "达标或进度正常占比",
        "Achieved or on track",
    ),
    ("regions.reported", "已报/应报", "Reported / due"),
    ("regions.indicator", "指标", "Indicator"),
    ("regions.domain", "领域", "Domain"),
    ("regions.status", "状态", "Status"),
    ("regions.latest", "最新值", "Latest"),
    ("regions.target", "目标值（年）", "Target (year)"),
    ("regions.ratio", "R值", "R"),
    ("regions.projected", "预计到期值", "Projected"),
    ("regions.method", "方法", "Method"),
    ("regions.applies", "适用目标来源", "Target set by"),
    ("regions.own_target", "本级规划", "Own plan"),
    ("regions.inherited", "上级规划", "Ancestor's plan"),
    (
        "regions.no_targets",
        "该地区没有适用的量化目标。",
        "No targets apply to this region.",
    ),
    (
        "regions.empty",
        "还没有可评估的目标：请先载入规划和数据。",
        "Nothing to assess yet: load plans and values first.",
    ),
    (
        "regions.map",
        "全省县（市、区）目标进展地图",
        "Map of the province's counties",
    ),
    (
        "regions.map_hint_share",
        "颜色：各县达标或进度正常的目标占比",
        "Colour: each county's share of targets achieved or on track",
    ),
    (
        "regions.map_hint_indicator",
        "颜色：所选指标在各县的状态",
        "Colour: the chosen indicator's status in each county",
    ),
    ("regions.map_by", "着色依据", "Colour by"),
    ("regions.map_share", "达标或进度正常占比", "Share on track"),
    ("regions.show", "显示", "Show"),
    ("regions.map_table", "地图数据", "The map's numbers"),
    ("regions.county", "县（市、区）", "County"),
    ("regions.prefecture", "州（市）", "Prefecture"),
    ("regions.tasks", "任务进展", "Task progress"),
    (
        "regions.no_tasks",
        "暂无任务进展记录。",
        "No task progress reported yet.",
    ),
    ("regions.task", "任务", "Task"),
    ("regions.due", "完成时限", "Due"),
    ("regions.overdue", "逾期", "Overdue"),
    ("regions.shown_of", "显示前", "Showing the first"),
    ("regions.all_tasks", "全部任务", "All tasks"),
    ("regions.simulated", "模拟数据", "模拟数据"),
    ("regions.incomplete", "下级填报不全", "incomplete"),
    (
        "regions.method.open_sdg_ratio",
        "增速比法",
        "Growth-rate ratio",
    ),
    ("regions.method.linear", "线性法", "Linear"),
    (
        "regions.method.achieved_check",
        "已达标判定",
        "Achieved check",
    ),
    ("regions.method.none", "无法计算", "Not computable"),
    ("regions.note.no_baseline", "无基期值", "No baseline"),
    (
        "regions.note.no_latest",
        "截至评估期无填报",
        "Nothing reported",
    ),
    (
        "regions.note.latest_not_after_baseline",
        "仅有基期数据",
        "Only the baseline",
    ),
    (
        "regions.note.target_not_after_baseline",
        "目标年不晚于基期",
        "Target year not after the baseline",
    ),
    (
        "regions.note.baseline_met_target",
        "基期已达目标但现已偏离",
        "Baseline met the target, now off it",
    ),
    (
        "regions.note.target_year_passed",
        "目标年已过且未达标",
        "Target year passed, not met",
    ),
    (
        "regions.note.zero_or_sign_change",
        "含零值或正负变化，改用线性法",
        "Zero or sign change: linear method",
    ),
    (
        "regions.note.incomplete_sum",
        "下级填报不全，无法加总",
        "Lower regions incomplete: no sum",
    ),
    ("task_status.not_started", "未启动", "Not started"),
    ("task_status.in_progress", "推进中", "In progress"),
    ("task_status.done", "已完成", "Done"),
    ("task_status.delayed", "滞后", "Delayed"),
];
