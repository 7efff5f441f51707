//! 指标: the indicator catalog (指标库) by domain with how many plan targets link to each and
//! the status counts at the latest period (`/indicators`), and one indicator
//! (`/indicators/{id}`): its targets in every level's plan, the alignment verdicts (对标),
//! its values per region against the top region's target trajectory (chart and table), and
//! the status method's figures per region.
//!
//! Values come from the cached monitoring inputs ([`AppState::monitor`]); regions above the
//! counties get theirs made from below by [`minsheng_assess::aggregate`] (a rate from summed
//! numerators and denominators, never an average of rates).

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::overview::top_region;
use crate::pages::plans::op_symbol;
use crate::pages::{Page, number};
use crate::state::{AppState, Monitor};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use minsheng_align::AlignRow;
use minsheng_assess::{AssessFilter, AssessInput, Method, PeriodKey, Status};
use minsheng_catalog::Indicator;
use minsheng_model::{DOMAINS, Op, Period, RegionLevel, TargetKind};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(list))
        .route("/indicators/{id}", get(show))
}

pub const STRINGS: &[crate::i18n::Entry] = &[
    ("ind.title", "指标库", "Indicator catalog"),
    (
        "ind.lead",
        "各规划的量化目标关联到统一的指标库，按指标监测和对标。",
        "Plan targets link to one catalog; monitoring and alignment work per indicator.",
    ),
    ("ind.count", "指标数", "Indicators"),
    (
        "ind.used",
        "有规划目标的指标",
        "Indicators with plan targets",
    ),
    ("ind.as_of", "监测期", "As of"),
    ("ind.name", "指标", "Indicator"),
    ("ind.unit", "单位", "Unit"),
    ("ind.polarity", "属性", "Polarity"),
    ("ind.kind", "类型", "Kind"),
    ("ind.aggregation", "汇总方式", "Aggregation"),
    ("ind.linked", "规划目标", "Plan targets"),
    ("ind.statuses", "各地区状态", "Status across regions"),
    ("ind.other_domain", "其他", "Other"),
    ("ind.polarity.higher_is_better", "正向", "Higher is better"),
    ("ind.polarity.lower_is_better", "逆向", "Lower is better"),
    ("ind.kind.rate", "率/占比", "Rate"),
    ("ind.kind.per_mille", "千分率", "Per mille"),
    ("ind.kind.per_capita", "人均", "Per capita"),
    ("ind.kind.ratio", "倍数", "Ratio"),
    ("ind.kind.count", "数量", "Count"),
    ("ind.kind.amount", "金额", "Amount"),
    ("ind.agg.sum", "加总", "Sum"),
    ("ind.agg.ratio", "重算比率", "Recomputed ratio"),
    ("ind.agg.none", "不可汇总", "Not aggregable"),
    ("ind.numerator", "分子", "Numerator"),
    ("ind.denominator", "分母", "Denominator"),
    ("ind.synonyms", "同义表述", "Other wordings"),
    ("ind.note", "说明", "Note"),
    (
        "ind.targets",
        "各级规划目标",
        "Targets in every level's plan",
    ),
    (
        "ind.no_targets",
        "没有规划目标关联到此指标。",
        "No plan target links to this indicator.",
    ),
    ("ind.level", "层级", "Level"),
    ("ind.region", "地区", "Region"),
    ("ind.plan", "规划", "Plan"),
    ("ind.target_kind", "类别", "Kind"),
    ("ind.target", "目标值", "Target"),
    ("ind.year", "年份", "Year"),
    ("ind.quote", "原文", "Source words"),
    (
        "ind.alignment",
        "对标结果",
        "Alignment with the parent's plan",
    ),
    (
        "ind.alignment_lead",
        "下级规划的目标与上级规划同一指标的目标相比。",
        "Each lower plan's target held against its parent region's target for the indicator.",
    ),
    (
        "ind.no_alignment",
        "此指标没有可对标的上下级目标。",
        "No pair of plans sets this indicator at two levels.",
    ),
    ("ind.parent", "上级", "Parent"),
    ("ind.own", "本级目标", "Own target"),
    ("ind.parent_target", "上级目标", "Parent's target"),
    ("ind.verdict", "结论", "Verdict"),
    ("verdict.stricter", "高于上级", "Stricter"),
    ("verdict.equal", "持平", "Equal"),
    ("verdict.weaker", "低于上级", "Weaker"),
    ("verdict.missing", "缺少目标", "Missing"),
    ("verdict.not_comparable", "不可比", "Not comparable"),
    (
        "ind.series",
        "走势与目标轨迹",
        "Values and the target trajectory",
    ),
    (
        "ind.series_lead",
        "省级及各州（市）的数值（上级数值由下级汇总），虚线为省级目标从基期到目标年的轨迹。",
        "The province's and each prefecture's values (made from those below where not reported); the dashed line is the province's path from its baseline to its target.",
    ),
    ("ind.no_values", "暂无数值。", "No values yet."),
    ("ind.trajectory", "目标轨迹", "Target trajectory"),
    ("ind.period", "期别", "Period"),
    ("ind.method_title", "进度测算", "Progress measurement"),
    (
        "ind.method_text",
        "按 Open SDG（加拿大统计局）进度测算方法：以基期到最新值的年均增长率，比实现目标所需的年均增长率，得比值 R。最新值已达目标为“已达标”；R≥0.95 进度正常，0.60≤R<0.95 需加快进度，0≤R<0.60 进展有限，R<0 倒退。累计新增和跨零的数据用年均变化量（线性法）。详见",
        "Open SDG's (Statistics Canada's) progress method: the yearly growth from baseline to latest over the yearly growth the target needs gives R. A latest value that meets the target is achieved; R≥0.95 on track, 0.60≤R<0.95 needs acceleration, 0≤R<0.60 limited progress, R<0 regressing. Running totals and series through zero use yearly change (linear). Details:",
    ),
    ("ind.baseline", "基期值", "Baseline"),
    ("ind.latest", "最新值", "Latest"),
    ("ind.ratio", "R 值", "R"),
    ("ind.projected", "预计目标年值", "Projected"),
    ("ind.status", "状态", "Status"),
    ("ind.method", "方法", "Method"),
    ("ind.whose", "目标来源", "Whose target"),
    ("ind.own_plan", "本级规划", "Own plan"),
    ("ind.counties", "区县", "Counties"),
    ("ind.simulated", "模拟", "Simulated"),
    ("ind.aggregated", "汇总", "From below"),
    (
        "ind.no_assessment",
        "暂无评估结果。",
        "Nothing assessed yet.",
    ),
    ("ind.top_status", "省级状态", "Province status"),
    ("method.open_sdg_ratio", "增长率比值法", "Growth-rate ratio"),
    ("method.linear", "线性法", "Linear"),
    ("method.achieved_check", "达标判定", "Achieved check"),
    ("method.none", "—", "—"),
    ("note.no_baseline", "无基期值", "No baseline"),
    ("note.no_latest", "截至评估期无填报", "Nothing reported yet"),
    (
        "note.latest_not_after_baseline",
        "仅有基期数据",
        "Only the baseline",
    ),
    (
        "note.target_not_after_baseline",
        "目标年不晚于基期",
        "Target year not after baseline",
    ),
    (
        "note.baseline_met_target",
        "基期已达目标后回落",
        "Fell back from a met target",
    ),
    (
        "note.target_year_passed",
        "目标年已过",
        "Target year passed",
    ),
    (
        "note.zero_or_sign_change",
        "零值或变号，用线性法",
        "Zero or sign change: linear",
    ),
    (
        "note.incomplete_sum",
        "下级填报不全",
        "Lower regions missing",
    ),
];

fn status_index(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn level_key(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "plans.level.province",
        RegionLevel::Prefecture => "plans.level.prefecture",
        RegionLevel::County => "plans.level.county",
    }
}

// ---------------------------------------------------------------------------------------
// /indicators

pub struct CatalogRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub polarity: &'static str,
    pub kind: &'static str,
    pub aggregation: &'static str,
    /// Plan targets (not baselines) linked, across the stored plans' latest versions.
    pub linked: usize,
    /// Status counts over every assessed region, in [`Status::ALL`]'s order.
    pub counts: Vec<usize>,
    pub assessed: usize,
}

impl CatalogRow {
    /// Whether any region has the status at `i` of [`Status::ALL`] (a reference: what
    /// templates pass).
    pub fn has(&self, i: &usize) -> bool {
        self.counts.get(*i).is_some_and(|c| *c > 0)
    }
}

pub struct DomainGroup {
    pub anchor: String,
    pub name: String,
    pub rows: Vec<CatalogRow>,
}

pub struct CatalogView {
    pub groups: Vec<DomainGroup>,
    pub count: usize,
    pub used: usize,
    pub as_of: Option<String>,
    pub statuses: Vec<&'static str>,
    pub simulated: bool,
}

fn catalog_view(m: &Monitor) -> Result<CatalogView, AppError> {
    let catalog = &m.inputs.catalog;
    let mut linked: HashMap<&str, usize> = HashMap::new();
    for p in &m.inputs.plans {
        for (t, id) in p.plan.targets.iter().zip(&p.indicator_ids) {
            if let (Some(id), false) = (id, t.kind == TargetKind::Baseline) {
                *linked.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    let mut counts: HashMap<&str, Vec<usize>> = HashMap::new();
    if let Some(as_of) = m.latest {
        let input = AssessInput {
            hierarchy: &m.inputs.hierarchy,
            indicators: &m.inputs.indicators,
            table: &m.table,
            targets: &m.inputs.targets,
        };
        let rows = minsheng_assess::assess(&input, as_of, &AssessFilter::default())
            .map_err(AppError::internal)?;
        for a in &rows {
            counts
                .entry(a.indicator)
                .or_insert_with(|| vec![0; Status::ALL.len()])[status_index(a.status)] += 1;
        }
    }
    let row = |e: &Indicator| {
        let c = counts
            .get(e.id.as_str())
            .cloned()
            .unwrap_or_else(|| vec![0; Status::ALL.len()]);
        CatalogRow {
            id: e.id.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            polarity: e.polarity.as_str(),
            kind: e.kind.as_str(),
            aggregation: e.aggregation.as_str(),
            linked: linked.get(e.id.as_str()).copied().unwrap_or(0),
            assessed: c.iter().sum(),
            counts: c,
        }
    };
    let mut groups: Vec<DomainGroup> = DOMAINS
        .iter()
        .enumerate()
        .map(|(i, d)| DomainGroup {
            anchor: format!("d{}", i + 1),
            name: (*d).to_string(),
            rows: catalog
                .entries()
                .iter()
                .filter(|e| e.domain.as_deref() == Some(*d))
                .map(row)
                .collect(),
        })
        .collect();
    let other: Vec<CatalogRow> = catalog
        .entries()
        .iter()
        .filter(|e| e.domain.as_deref().is_none_or(|d| !DOMAINS.contains(&d)))
        .map(row)
        .collect();
    if !other.is_empty() {
        groups.push(DomainGroup {
            anchor: "other".into(),
            name: String::new(),
            rows: other,
        });
    }
    groups.retain(|g| !g.rows.is_empty());
    Ok(CatalogView {
        count: catalog.len(),
        used: linked.len(),
        groups,
        as_of: m.latest.map(|p| p.to_string()),
        statuses: Status::ALL.iter().map(|s| s.as_str()).collect(),
        simulated: m.simulated,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/list.html")]
struct ListPage {
    page: Page,
    c: Arc<CatalogView>,
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ListPage, AppError> {
    let c = state
        .cached("indicators-list", |s| async move {
            let m = s.monitor().await?;
            catalog_view(&m)
        })
        .await?;
    let page = Page::new(lang, "indicators", "ind.title", Some(&user.0)).simulated(c.simulated);
    Ok(ListPage { page, c })
}

// ---------------------------------------------------------------------------------------
// /indicators/{id}

/// A plan's statement about the indicator.
pub struct TargetRow {
    pub level: &'static str,
    pub region_code: String,
    pub region_name: String,
    pub plan_id: i64,
    pub plan_title: String,
    pub n: usize,
    pub kind: &'static str,
    pub op: &'static str,
    pub value: String,
    pub unit: String,
    pub year: String,
    pub quote: String,
}

pub struct AlignView {
    pub region: String,
    pub parent: String,
    pub own: String,
    pub parent_target: String,
    pub verdict: &'static str,
    pub quote: String,
    pub parent_quote: String,
}

/// One region's status figures.
pub struct StatusRow {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub target: String,
    /// The name of the region whose plan set the target, when not the region's own.
    pub whose: Option<String>,
    pub baseline: String,
    pub latest: String,
    pub ratio: String,
    pub projected: String,
    pub status: &'static str,
    pub method: &'static str,
    pub note: Option<&'static str>,
    pub simulated: bool,
    pub aggregated: bool,
}

/// One line of the table under the chart.
pub struct SeriesRow {
    pub name: String,
    pub code: String,
    pub top: bool,
    pub cells: Vec<String>,
    pub simulated: bool,
}

fn value_unit(v: Option<f64>, unit: &str) -> String {
    v.map_or("–".into(), |v| format!("{}{unit}", number(v)))
}

fn with_period(v: Option<f64>, p: Option<Period>, unit: &str) -> String {
    match (v, p) {
        (Some(v), Some(p)) => format!("{}{unit} ({p})", number(v)),
        (Some(v), None) => format!("{}{unit}", number(v)),
        _ => "–".into(),
    }
}

/// The period after `p`, of the same length.
fn next_period(p: Period) -> Period {
    match p {
        Period::Year(y) => Period::Year(y + 1),
        Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
        Period::Quarter(y, q) => Period::Quarter(y, q + 1),
        Period::Month(y, 12) => Period::Month(y + 1, 1),
        Period::Month(y, m) => Period::Month(y, m + 1),
    }
}

/// The path from (t0, y0) to (t1, y1) at time t: compound growth where the growth-rate
/// method applies (both ends of one sign, neither zero), else a straight line.
fn trajectory(t0: f64, y0: f64, t1: f64, y1: f64, t: f64, compound: bool) -> Option<f64> {
    if t < t0 - 1e-9 || t > t1 + 1e-9 || t1 <= t0 {
        return None;
    }
    let f = (t - t0) / (t1 - t0);
    if compound && y0 != 0.0 && y1 / y0 > 0.0 {
        Some(y0 * (y1 / y0).powf(f))
    } else {
        Some(y0 + (y1 - y0) * f)
    }
}

pub struct IndicatorView {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub domain: Option<String>,
    pub polarity: &'static str,
    pub kind: &'static str,
    pub aggregation: &'static str,
    /// The string keys of polarity, kind and aggregation.
    pub polarity_key: String,
    pub kind_key: String,
    pub agg_key: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub synonyms: String,
    pub note: Option<String>,
    pub targets: Vec<TargetRow>,
    pub alignment: Vec<AlignView>,
    pub as_of: Option<String>,
    pub top_name: String,
    pub top: Option<StatusRow>,
    pub statuses: Vec<StatusRow>,
    pub counties: Vec<StatusRow>,
    pub periods: Vec<String>,
    pub series: Vec<SeriesRow>,
    pub trajectory: Option<SeriesRow>,
    pub chart: String,
    pub simulated: bool,
}

fn target_rows(m: &Monitor, id: &str) -> Vec<TargetRow> {
    let h = &m.inputs.hierarchy;
    let mut out: Vec<(u8, u8, TargetRow)> = Vec::new();
    for p in &m.inputs.plans {
        let idx = h.index_of(&p.region_code);
        let level = idx.map_or(RegionLevel::County, |i| h.level(i));
        let name = idx
            .and_then(|i| h.name(i))
            .unwrap_or(&p.region_code)
            .to_string();
        for (n, (t, tid)) in p.plan.targets.iter().zip(&p.indicator_ids).enumerate() {
            if tid.as_deref() != Some(id) {
                continue;
            }
            let value = match t.value_max {
                Some(max) => format!("{}—{}", number(t.value), number(max)),
                None => number(t.value),
            };
            let kind_rank = match t.kind {
                TargetKind::Target => 0,
                TargetKind::Annual => 1,
                TargetKind::Baseline => 2,
            };
            let level_rank = match level {
                RegionLevel::Province => 0,
                RegionLevel::Prefecture => 1,
                RegionLevel::County => 2,
            };
            out.push((
                level_rank,
                kind_rank,
                TargetRow {
                    level: level_key(level),
                    region_code: p.region_code.clone(),
                    region_name: name.clone(),
                    plan_id: p.id,
                    plan_title: p.plan.title.clone(),
                    n,
                    kind: t.kind.as_str(),
                    op: op_symbol(t.op),
                    value,
                    unit: t.unit.clone(),
                    year: t.year.map_or("–".into(), |y| y.to_string()),
                    quote: t.quote.clone(),
                },
            ));
        }
    }
    out.sort_by(|a, b| {
        (a.0, &a.2.region_code, a.1, a.2.n).cmp(&(b.0, &b.2.region_code, b.1, b.2.n))
    });
    out.into_iter().map(|(_, _, r)| r).collect()
}

fn align_rows(rows: &[AlignRow], id: &str) -> Vec<AlignView> {
    let target = |op: Option<Op>, v: Option<f64>, unit: Option<&str>| match (op, v) {
        (Some(op), Some(v)) => format!("{} {}{}", op_symbol(op), number(v), unit.unwrap_or("")),
        _ => "—".into(),
    };
    rows.iter()
        .filter(|r| r.indicator.id == id)
        .map(|r| AlignView {
            region: r.region.name.clone(),
            parent: r.parent_region.name.clone(),
            own: target(r.op, r.value, r.unit.as_deref()),
            parent_target: target(
                Some(r.parent_op),
                Some(r.parent_value),
                Some(&r.parent_unit),
            ),
            verdict: r.verdict.as_str(),
            quote: r.quote.clone().unwrap_or_default(),
            parent_quote: r.parent_quote.clone(),
        })
        .collect()
}

fn indicator_view(
    m: &Monitor,
    entry: &Indicator,
    alignment: &[AlignRow],
    page: &Page,
) -> Result<IndicatorView, AppError> {
    let h = &m.inputs.hierarchy;
    let id = entry.id.as_str();
    let unit = entry.unit.as_str();
    let top_code = top_region(m).unwrap_or_default();
    let root = h.index_of(&top_code);
    let name_of = |code: &str| {
        h.index_of(code)
            .and_then(|i| h.name(i))
            .unwrap_or(code)
            .to_string()
    };
    let mut view = IndicatorView {
        id: entry.id.clone(),
        name: entry.name.clone(),
        name_en: entry.name_en.clone(),
        unit: entry.unit.clone(),
        domain: entry.domain.clone(),
        polarity: entry.polarity.as_str(),
        kind: entry.kind.as_str(),
        aggregation: entry.aggregation.as_str(),
        polarity_key: format!("ind.polarity.{}", entry.polarity.as_str()),
        kind_key: format!("ind.kind.{}", entry.kind.as_str()),
        agg_key: format!("ind.agg.{}", entry.aggregation.as_str()),
        numerator: entry.numerator.clone(),
        denominator: entry.denominator.clone(),
        synonyms: entry.synonyms.join("、"),
        note: entry.note.clone(),
        targets: target_rows(m, id),
        alignment: align_rows(alignment, id),
        as_of: m.latest.map(|p| p.to_string()),
        top_name: name_of(&top_code),
        top: None,
        statuses: Vec::new(),
        counties: Vec::new(),
        periods: Vec::new(),
        series: Vec::new(),
        trajectory: None,
        chart: String::new(),
        simulated: false,
    };
    let (Some(root), Some(as_of)) = (root, m.latest) else {
        return Ok(view);
    };

    // Status figures per region.
    let input = AssessInput {
        hierarchy: h,
        indicators: &m.inputs.indicators,
        table: &m.table,
        targets: &m.inputs.targets,
    };
    let filter = AssessFilter {
        region: Some(top_code.clone()),
        indicator: Some(id.to_string()),
        ..AssessFilter::default()
    };
    let rows = minsheng_assess::assess(&input, as_of, &filter).map_err(AppError::internal)?;
    let mut top_assessment = None;
    for a in &rows {
        let level = h
            .index_of(a.region)
            .map_or(RegionLevel::County, |i| h.level(i));
        if a.region == top_code {
            top_assessment = Some(a.clone());
        }
        let row = StatusRow {
            code: a.region.to_string(),
            name: name_of(a.region),
            level,
            target: format!(
                "{} {}{unit} ({})",
                op_symbol(a.op),
                number(a.target),
                a.target_year
            ),
            whose: (a.target_region != a.region).then(|| name_of(a.target_region)),
            baseline: with_period(a.baseline, a.baseline_period, unit),
            latest: with_period(a.latest, a.latest_period, unit),
            ratio: a.ratio.map_or("–".into(), |r| format!("{r:.2}")),
            projected: value_unit(a.projected, unit),
            status: a.status.as_str(),
            method: a.method.as_str(),
            note: a.note.map(|n| n.as_str()),
            simulated: a.simulated,
            aggregated: a.aggregated,
        };
        view.simulated |= a.simulated;
        match level {
            RegionLevel::County => view.counties.push(row),
            _ if a.region == top_code => view.top = Some(row),
            _ => view.statuses.push(row),
        }
    }

    // Values per region: the top region and its prefectures, each period any region below
    // reported, then on to the end of the target year so the trajectory shows whole.
    let Some(ind) = m.inputs.indicators.index_of(id) else {
        return Ok(view);
    };
    let mut keys: BTreeSet<PeriodKey> = BTreeSet::new();
    for &r in h.subtree(root) {
        keys.extend(m.table.series(r, ind).periods.iter().copied());
    }
    let mut periods: Vec<Period> = keys.iter().map(|k| k.period()).collect();
    let Some(&last) = periods.last() else {
        return Ok(view);
    };
    let target_end = top_assessment
        .as_ref()
        .map(|a| f64::from(a.target_year + 1));
    let mut next = last;
    while let Some(end) = target_end {
        if PeriodKey::of(next).end_years() >= end - 1e-9 || periods.len() > 400 {
            break;
        }
        next = next_period(next);
        periods.push(next);
    }
    let mut regions = vec![root];
    regions.extend(h.children(root).iter().copied());
    let mut lines: Vec<(String, bool, Vec<Option<f64>>)> = Vec::new();
    for &r in &regions {
        let code = h.code(r);
        let mut simulated = false;
        let cells: Vec<Option<f64>> = periods
            .iter()
            .map(|&p| {
                let agg =
                    minsheng_assess::aggregate(&m.table, h, &m.inputs.indicators, code, id, p).ok();
                simulated |= agg
                    .as_ref()
                    .is_some_and(|a| a.simulated && a.value.is_some());
                agg.and_then(|a| a.value)
            })
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        view.simulated |= simulated;
        view.series.push(SeriesRow {
            name: name_of(code),
            code: code.to_string(),
            top: r == root,
            cells: cells.iter().map(|v| v.map_or("–".into(), number)).collect(),
            simulated,
        });
        lines.push((name_of(code), r == root, cells));
    }
    let path: Option<Vec<Option<f64>>> = top_assessment.as_ref().and_then(|a| {
        let (y0, p0) = (a.baseline?, a.baseline_period?);
        let t0 = PeriodKey::of(p0).end_years();
        let t1 = f64::from(a.target_year + 1);
        let compound = a.method != Method::Linear;
        Some(
            periods
                .iter()
                .map(|&p| trajectory(t0, y0, t1, a.target, PeriodKey::of(p).end_years(), compound))
                .collect(),
        )
    });
    if let Some(path) = &path {
        view.trajectory = Some(SeriesRow {
            name: format!("{} · {}", page.tr.t("ind.trajectory"), view.top_name),
            code: String::new(),
            top: false,
            cells: path.iter().map(|v| v.map_or("".into(), number)).collect(),
            simulated: false,
        });
    }
    view.periods = periods.iter().map(|p| p.to_string()).collect();
    view.chart = chart(&view, &lines, path.as_deref(), page);
    Ok(view)
}

/// Rounded for the chart (two decimals), `null` where there is no value.
fn json_values(values: &[Option<f64>]) -> Vec<serde_json::Value> {
    values
        .iter()
        .map(|v| {
            v.map_or(serde_json::Value::Null, |v| {
                ((v * 100.0).round() / 100.0).into()
            })
        })
        .collect()
}

/// The line chart (ECharts option JSON): the top region bold, its prefectures thin, the
/// target trajectory dashed.
fn chart(
    view: &IndicatorView,
    lines: &[(String, bool, Vec<Option<f64>>)],
    path: Option<&[Option<f64>]>,
    page: &Page,
) -> String {
    let mut series: Vec<serde_json::Value> = lines
        .iter()
        .map(|(name, top, values)| {
            if *top {
                serde_json::json!({
                    "name": name, "type": "line", "data": json_values(values), "connectNulls": true,
                    "z": 5, "symbolSize": 6, "lineStyle": {"width": 3, "color": "#1f4e8c"},
                    "itemStyle": {"color": "#1f4e8c"},
                })
            } else {
                serde_json::json!({
                    "name": name, "type": "line", "data": json_values(values), "connectNulls": true,
                    "symbol": "circle", "symbolSize": 3, "lineStyle": {"width": 1.2, "opacity": 0.75},
                })
            }
        })
        .collect();
    if let (Some(path), Some(t)) = (path, &view.trajectory) {
        series.push(serde_json::json!({
            "name": t.name, "type": "line", "data": json_values(path), "connectNulls": true,
            "symbol": "none", "z": 6,
            "lineStyle": {"width": 2, "type": "dashed", "color": "#cf222e"},
            "itemStyle": {"color": "#cf222e"},
        }));
    }
    serde_json::json!({
        "tooltip": {"trigger": "axis", "confine": true},
        "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 8, "right": 30, "top": 28, "bottom": 40, "containLabel": true},
        "xAxis": {"type": "category", "boundaryGap": false, "data": view.periods},
        "yAxis": {"type": "value", "scale": true, "name": view.unit,
                  "splitLine": {"lineStyle": {"color": "#eef1f4"}}},
        "series": series,
        "aria": {"enabled": true},
        "title": {"show": false, "text": page.tr.t("ind.series")},
    })
    .to_string()
}

#[derive(Template, WebTemplate)]
#[template(path = "indicators/show.html")]
struct ShowPage {
    page: Page,
    v: IndicatorView,
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ShowPage, AppError> {
    let m = state.monitor().await?;
    let entry = m.inputs.catalog.get(&id).ok_or(AppError::NotFound)?;
    let alignment = state
        .cached("alignment", |s| async move {
            let m = s.monitor().await?;
            minsheng_app::align::rows_of(s.store(), &m.inputs.plans, &m.inputs.catalog)
                .await
                .map_err(AppError::internal)
        })
        .await?;
    let page = Page::new(lang, "indicators", "ind.title", Some(&user.0));
    let v = indicator_view(&m, entry, &alignment, &page)?;
    let page = page.simulated(v.simulated);
    Ok(ShowPage { page, v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trajectory_runs_from_baseline_to_target_and_nowhere_else() {
        // 90 at the end of 2022 to 95 by the end of 2025.
        let at = |t, compound| trajectory(2023.0, 90.0, 2026.0, 95.0, t, compound);
        assert_eq!(at(2022.5, true), None, "before the baseline");
        assert_eq!(at(2026.5, true), None, "after the target year");
        assert_eq!(at(2023.0, true), Some(90.0));
        let end = at(2026.0, true).unwrap();
        assert!((end - 95.0).abs() < 1e-9);
        let mid_linear = at(2024.5, false).unwrap();
        assert!((mid_linear - 92.5).abs() < 1e-9);
        let mid_compound = at(2024.5, true).unwrap();
        assert!((mid_compound - (90.0f64 * 95.0).sqrt()).abs() < 1e-9);
        // Through zero the compound path cannot run: straight line.
        assert_eq!(
            trajectory(2023.0, 0.0, 2026.0, 30.0, 2024.0, true),
            Some(10.0)
        );
    }

    #[test]
    fn periods_follow_on_in_their_own_length() {
        assert_eq!(
            next_period(Period::Quarter(2024, 4)),
            Period::Quarter(2025, 1)
        );
        assert_eq!(
            next_period(Period::Quarter(2024, 2)),
            Period::Quarter(2024, 3)
        );
        assert_eq!(next_period(Period::Month(2024, 12)), Period::Month(2025, 1));
        assert_eq!(next_period(Period::Year(2024)), Period::Year(2025));
    }
}
