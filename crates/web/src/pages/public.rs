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
use minsheng_store::RunFilter;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public", get(public))
        .route("/public/runs/{id}", get(public_run))
}

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

#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
struct PublicPage {
    page: Page,
    plans: Vec<PlanRow>,
    runs: Vec<RunRow>,
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
            published_at: r.published_at.clone().unwrap_or_default(),
            simulated: r.simulated,
        });
    }
    let simulated = runs.iter().any(|r| r.simulated);
    Ok(PublicPage {
        page: Page::new(lang, "public", "public.title", session.as_ref()).simulated(simulated),
        plans,
        runs,
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
