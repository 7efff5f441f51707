//! 总览: the nine domains with the status counts of the province's targets, the lagging
//! targets with their lead units, prefectures ranked by the share of their targets achieved
//! or on track, and a chart — at the latest period with approved values.
//!
//! Computed from the cached monitoring inputs ([`AppState::monitor`]) and kept until the
//! store changes, so the page costs one marker lookup and a template render per request.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Page, number};
use crate::state::{AppState, Monitor};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use minsheng_assess::{AssessFilter, AssessInput, Status};
use minsheng_model::{DOMAINS, RegionLevel};
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(overview))
}

/// A domain's status counts, in [`Status::ALL`]'s order.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DomainRow {
    pub name: String,
    pub counts: Vec<usize>,
    pub total: usize,
}

/// A lagging target of the top region.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LagRow {
    pub indicator: String,
    pub name: String,
    pub latest: String,
    pub target: String,
    pub status: &'static str,
    pub lead_units: String,
}

/// A prefecture's place.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RankRow {
    pub rank: usize,
    pub code: String,
    pub name: String,
    /// Targets achieved or on track, of all assessed with data, in the prefecture and its counties.
    pub good: usize,
    pub assessed: usize,
    pub share: String,
}

/// What the page shows, computed once per store change.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub region: String,
    pub region_name: String,
    pub as_of: Option<String>,
    pub statuses: Vec<&'static str>,
    pub domains: Vec<DomainRow>,
    pub totals: Vec<usize>,
    pub total: usize,
    pub good_share: String,
    pub lagging: Vec<LagRow>,
    pub ranking: Vec<RankRow>,
    pub simulated: bool,
}

fn status_index(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

fn good(s: Status) -> bool {
    matches!(s, Status::Achieved | Status::OnTrack)
}

/// The top region pages show: the province whose plan is stored (the first plan at
/// province level), else the first plan's region.
pub fn top_region(m: &Monitor) -> Option<String> {
    let h = &m.inputs.hierarchy;
    m.inputs
        .plans
        .iter()
        .find(|p| {
            h.index_of(&p.region_code)
                .is_some_and(|i| h.level(i) == RegionLevel::Province)
        })
        .or(m.inputs.plans.first())
        .map(|p| p.region_code.clone())
}

fn compute(m: &Monitor) -> Result<Overview, AppError> {
    let h = &m.inputs.hierarchy;
    let region = top_region(m).unwrap_or_default();
    let region_name = h
        .index_of(&region)
        .and_then(|i| h.name(i))
        .unwrap_or(&region)
        .to_string();
    let statuses: Vec<&'static str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let empty = Overview {
        region: region.clone(),
        region_name: region_name.clone(),
        as_of: None,
        statuses: statuses.clone(),
        domains: Vec::new(),
        totals: vec![0; Status::ALL.len()],
        total: 0,
        good_share: "–".into(),
        lagging: Vec::new(),
        ranking: Vec::new(),
        simulated: m.simulated,
    };
    let (Some(as_of), Some(root)) = (m.latest, h.index_of(&region)) else {
        return Ok(empty);
    };
    let input = AssessInput {
        hierarchy: h,
        indicators: &m.inputs.indicators,
        table: &m.table,
        targets: &m.inputs.targets,
    };
    let filter = AssessFilter {
        region: Some(region.clone()),
        ..AssessFilter::default()
    };
    let rows = minsheng_assess::assess(&input, as_of, &filter).map_err(AppError::internal)?;
    let catalog = &m.inputs.catalog;
    let domain_of = |id: &str| catalog.get(id).and_then(|e| e.domain.clone());

    // The top region's own assessments, per domain.
    let mut domains: Vec<DomainRow> = DOMAINS
        .iter()
        .map(|d| DomainRow {
            name: (*d).to_string(),
            counts: vec![0; Status::ALL.len()],
            total: 0,
        })
        .collect();
    let mut lagging = Vec::new();
    for a in rows.iter().filter(|a| a.region == region) {
        let Some(d) = domain_of(a.indicator).and_then(|d| domains.iter().position(|r| r.name == d))
        else {
            continue;
        };
        domains[d].counts[status_index(a.status)] += 1;
        domains[d].total += 1;
        if matches!(
            a.status,
            Status::NeedsAcceleration | Status::LimitedProgress | Status::Regressing
        ) {
            let entry = catalog.get(a.indicator);
            let unit = entry.map_or("", |e| e.unit.as_str());
            let target_ref = m.inputs.targets.get(a.target_index as usize);
            lagging.push(LagRow {
                indicator: a.indicator.to_string(),
                name: entry.map_or(a.indicator, |e| e.name.as_str()).to_string(),
                latest: a
                    .latest
                    .map_or("–".into(), |v| format!("{}{unit}", number(v))),
                target: format!("{} {}{unit}", a.op.as_str(), number(a.target)),
                status: a.status.as_str(),
                lead_units: target_ref.map_or(String::new(), |t| t.lead_units.join("、")),
            });
        }
    }
    let mut totals = vec![0; Status::ALL.len()];
    for d in &domains {
        for (t, c) in totals.iter_mut().zip(&d.counts) {
            *t += c;
        }
    }
    let total: usize = totals.iter().sum();
    let good_total = totals[0] + totals[1];
    let with_data = total - totals[status_index(Status::NoData)];
    let good_share = if with_data == 0 {
        "–".into()
    } else {
        format!("{}%", number(100.0 * good_total as f64 / with_data as f64))
    };

    // Prefectures: counts over their own and their counties' assessments (a share of counts,
    // not an average of shares).
    let mut ranking: Vec<RankRow> = h
        .children(root)
        .iter()
        .map(|&p| {
            let (mut g, mut n) = (0, 0);
            for a in &rows {
                if a.status == Status::NoData {
                    continue;
                }
                if h.index_of(a.region).is_some_and(|r| h.is_within(r, p)) {
                    n += 1;
                    g += usize::from(good(a.status));
                }
            }
            RankRow {
                rank: 0,
                code: h.code(p).to_string(),
                name: h.name(p).unwrap_or(h.code(p)).to_string(),
                good: g,
                assessed: n,
                share: if n == 0 {
                    "–".into()
                } else {
                    format!("{}%", number(100.0 * g as f64 / n as f64))
                },
            }
        })
        .filter(|r| r.assessed > 0)
        .collect();
    ranking.sort_by(|a, b| {
        let (x, y) = (a.good * b.assessed, b.good * a.assessed);
        y.cmp(&x).then_with(|| a.code.cmp(&b.code))
    });
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(Overview {
        as_of: Some(as_of.to_string()),
        domains,
        totals,
        total,
        good_share,
        lagging,
        ranking,
        ..empty
    })
}

/// The chart: status counts per domain as stacked bars (ECharts option JSON).
fn chart(o: &Overview, page: &Page) -> String {
    let colors = [
        "#1a7f37", "#2da44e", "#d4a72c", "#e16f24", "#cf222e", "#8c959f",
    ];
    let series: Vec<_> = o
        .statuses
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "name": page.tr.t(&format!("status.{s}")).to_string(),
                "type": "bar",
                "stack": "all",
                "itemStyle": {"color": colors[i % colors.len()]},
                "data": o.domains.iter().map(|d| d.counts[i]).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 8, "top": 16, "bottom": 56, "containLabel": true},
        "xAxis": {"type": "category", "data": o.domains.iter().map(|d| page.tr.domain(&d.name).to_string()).collect::<Vec<_>>(),
                  "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    })
    .to_string()
}

/// The overview's figures, computed once per store change (the page and `GET /api/overview`).
pub async fn data(state: &AppState) -> Result<Arc<Overview>, AppError> {
    state
        .cached("overview", |s| async move {
            let m = s.monitor().await?;
            compute(&m)
        })
        .await
}

#[derive(Template, WebTemplate)]
#[template(path = "overview.html")]
struct OverviewPage {
    page: Page,
    o: Arc<Overview>,
    chart: String,
}

async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<OverviewPage, AppError> {
    let o = data(&state).await?;
    let page = Page::new(lang, "overview", "overview.title", Some(&user.0)).simulated(o.simulated);
    let chart = chart(&o, &page);
    Ok(OverviewPage { page, o, chart })
}
