//! 公示: what anyone may read without signing in — the stored plans (public documents) and
//! the evaluation runs the plan owner has published, each run's public summary rendered by
//! the report crate. Nothing unpublished is reachable from here.

use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minsheng_app::report::{ReportFormat, render};
use minsheng_model::Period;
use minsheng_store::{RunFilter, ValueFilter};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public", get(public))
        .route("/public/runs/{id}", get(public_run))
        .route("/public/data/{region}/{period}", get(public_data))
}

/// Strings of the published data pages.
pub const STRINGS: &[crate::i18n::Entry] = &[
    ("public.data", "公开的填报数据", "Published data"),
    (
        "public.no_data",
        "尚无公开的填报数据。",
        "No reported data has been published yet.",
    ),
    ("public.period", "统计期", "Period"),
    ("public.values", "指标数", "Values"),
    ("public.data_title", "公开数据", "Published data"),
    (
        "public.data_lead",
        "经审核并由规划主管公开的数值。",
        "Values reviewed and published by the plan owner.",
    ),
    ("public.indicator", "指标", "Indicator"),
    ("public.value", "数值", "Value"),
    ("public.unit", "单位", "Unit"),
];

/// A stored plan as the public list shows it.
pub struct PlanRow {
    pub title: String,
    pub region: String,
    pub years: String,
    pub version: i64,
    pub targets: usize,
}

/// A published run.
pub struct RunRow {
    pub id: i64,
    pub kind: &'static str,
    pub region: String,
    pub as_of: String,
    pub published_at: String,
    pub simulated: bool,
}

/// A published batch of reported values (a region's period).
pub struct DataRow {
    pub region: String,
    pub region_name: String,
    pub period: String,
    pub values: usize,
    pub simulated: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
struct PublicPage {
    page: Page,
    plans: Vec<PlanRow>,
    runs: Vec<RunRow>,
    data: Vec<DataRow>,
}

/// The published values, by region and period (newest period first); nothing else.
async fn published_batches(state: &AppState) -> Result<Vec<DataRow>, AppError> {
    let store = state.store();
    let mut batches: std::collections::BTreeMap<(String, Period), (usize, bool)> =
        Default::default();
    for v in store.values(&ValueFilter::public()).await? {
        let e = batches.entry((v.region.clone(), v.period)).or_default();
        e.0 += 1;
        e.1 |= v.is_simulated();
    }
    let mut out = Vec::new();
    for ((region, period), (values, simulated)) in batches {
        let region_name = store
            .region(&region)
            .await?
            .map_or_else(|| region.clone(), |r| r.name);
        out.push(DataRow {
            region,
            region_name,
            period: period.to_string(),
            values,
            simulated,
        });
    }
    out.sort_by(|a, b| b.period.cmp(&a.period).then(a.region.cmp(&b.region)));
    Ok(out)
}

async fn public(
    State(state): State<AppState>,
    lang: Lang,
    MaybeUser(session): MaybeUser,
) -> Result<PublicPage, AppError> {
    let store = state.store();
    let name = |code: &str| {
        let code = code.to_string();
        async move {
            Ok::<_, AppError>(
                store
                    .region(&code)
                    .await?
                    .map_or_else(|| code.clone(), |r| r.name),
            )
        }
    };
    let mut plans = Vec::new();
    for p in store.latest_plans().await? {
        plans.push(PlanRow {
            title: p.plan.title.clone(),
            region: name(&p.region_code).await?,
            years: p
                .plan
                .years
                .map_or_else(String::new, |y| format!("{}–{}", y[0], y[1])),
            version: p.version,
            targets: p.plan.targets.len(),
        });
    }
    let filter = RunFilter {
        published_only: true,
        ..RunFilter::default()
    };
    let mut runs = Vec::new();
    for r in store.runs(&filter).await? {
        runs.push(RunRow {
            id: r.id,
            kind: r.kind.label(),
            region: name(&r.plan_region).await?,
            as_of: r.as_of.to_string(),
            published_at: r
                .published_at
                .as_deref()
                .map(super::beijing_time)
                .unwrap_or_default(),
            simulated: r.simulated,
        });
    }
    let data = published_batches(&state).await?;
    let simulated = runs.iter().any(|r| r.simulated) || data.iter().any(|d| d.simulated);
    Ok(PublicPage {
        page: Page::new(lang, "public", "public.title", session.as_ref()).simulated(simulated),
        plans,
        runs,
        data,
    })
}

/// A published run's 公示 summary; an unpublished or missing run is not found.
async fn public_run(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match state.store().run(id).await? {
        Some(run) if run.summary.is_published() => {}
        _ => return Err(AppError::NotFound),
    }
    let (bytes, _) = render(state.store(), id, ReportFormat::Public)
        .await
        .map_err(AppError::internal)?;
    Ok((
        [(header::CONTENT_TYPE, ReportFormat::Public.content_type())],
        bytes,
    )
        .into_response())
}

/// A published value as the public page shows it.
pub struct PublicValue {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub simulated: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "public_data.html")]
struct PublicDataPage {
    page: Page,
    region_name: String,
    period: String,
    values: Vec<PublicValue>,
}

/// The published values of a region's period; none published is not found. Only the
/// store's public filter is read, so nothing unpublished can show.
async fn public_data(
    State(state): State<AppState>,
    lang: Lang,
    MaybeUser(session): MaybeUser,
    Path((region, period)): Path<(String, String)>,
) -> Result<PublicDataPage, AppError> {
    let period = Period::parse(&period).ok_or(AppError::NotFound)?;
    let store = state.store();
    let region = store.region(&region).await?.ok_or(AppError::NotFound)?;
    let filter = ValueFilter {
        region: Some(region.code.clone()),
        from: Some(period),
        to: Some(period),
        ..ValueFilter::public()
    };
    let catalog = minsheng_app::catalog().map_err(AppError::internal)?;
    let values: Vec<PublicValue> = store
        .values(&filter)
        .await?
        .into_iter()
        .filter(|v| v.region == region.code && v.period == period)
        .map(|v| {
            let entry = catalog.get(&v.indicator);
            PublicValue {
                name: entry.map_or_else(|| v.indicator.clone(), |e| e.name.clone()),
                value: crate::pages::number(v.value),
                unit: entry.map(|e| e.unit.clone()).unwrap_or_default(),
                simulated: v.is_simulated(),
            }
        })
        .collect();
    if values.is_empty() {
        return Err(AppError::NotFound);
    }
    let simulated = values.iter().any(|v| v.simulated);
    Ok(PublicDataPage {
        page: Page::new(lang, "public", "public.data_title", session.as_ref()).simulated(simulated),
        region_name: region.name,
        period: period.to_string(),
        values,
    })
}
