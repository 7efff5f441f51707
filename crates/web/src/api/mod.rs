//! The JSON API under `/api/`: the same operations as the pages, for other systems and
//! scripts, described by an OpenAPI 3.1 document at `/api/openapi.json`.
//!
//! - Sessions: `POST /api/session` signs in (the same session cookie as the form, the same
//!   rate limit) and returns the user and the session's form token; `DELETE /api/session`
//!   signs out.
//! - Reads (signed in): the overview's figures, indicators, regions, assessments, plans and
//!   evaluation runs. Assessments are the rows `minsheng assess --format json` prints.
//! - Writes (signed in, and header `X-CSRF-Token` equal to the session's token, checked by
//!   the [`Writer`] extractor and nowhere else): `POST /api/values` (a DHIS2 dataValueSet,
//!   validated by the collect crate as `minsheng import` validates a file, all or nothing)
//!   and `POST /api/review/{region}/{period}` (报送, 审核通过, 退回, 公开).
//! - Public (no sign-in): `/api/public/runs`, published evaluation runs only.
//!
//! Every route is declared through utoipa-axum's [`OpenApiRouter`], which takes each
//! handler's path from its `#[utoipa::path]` description: a route cannot be served without
//! appearing in the document. Errors are [`ApiError`] JSON (`{"error", "code"}`).

use crate::auth::access;
use crate::auth::login::{ClientIp, authenticate};
use crate::auth::session::{self, CurrentUser};
use crate::error::{ApiError, AppError};
use crate::pages::overview::{self, Overview};
use crate::state::{AppState, Monitor};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use minsheng_app::import::DataValueEntry;
use minsheng_assess::{AssessFilter, AssessInput};
use minsheng_model::{Period, ValueSource};
use minsheng_store::{ReviewAction, ReviewBatch, RunFilter, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The header a write carries: the session's form token.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minsheng API",
        description = "民生规划监测评估 — the JSON API of minsheng's web application. Sign in with \
            `POST /api/session`; reads need the session cookie, writes also the header \
            `X-CSRF-Token` with the token the sign-in returned. Values marked `simulated` are \
            模拟数据 (generated demo data)."
    ),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "monitoring", description = "动态监测: indicators, regions, assessments"),
        (name = "plans", description = "规划 and 评估 runs"),
        (name = "reporting", description = "填报 and 审核"),
        (name = "public", description = "公示: no sign-in")
    )
)]
struct ApiDoc;

/// The API's router and its OpenAPI document, built together from the same declarations.
pub fn router_and_document() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(get_overview))
        .routes(routes!(list_indicators))
        .routes(routes!(get_indicator))
        .routes(routes!(get_region))
        .routes(routes!(list_assessments))
        .routes(routes!(list_plans))
        .routes(routes!(get_plan))
        .routes(routes!(list_runs))
        .routes(routes!(get_run))
        .routes(routes!(public_runs))
        .routes(routes!(post_values))
        .routes(routes!(post_review))
        .split_for_parts()
}

/// The OpenAPI document of every route of [`routes`].
pub fn document() -> utoipa::openapi::OpenApi {
    router_and_document().1
}

/// The API's routes, and `/api/openapi.json`.
pub fn routes() -> Router<AppState> {
    let (router, doc) = router_and_document();
    let json: Arc<str> = doc.to_json().unwrap_or_else(|_| "{}".into()).into();
    router.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let json = Arc::clone(&json);
            async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )],
                    json.to_string(),
                )
            }
        }),
    )
}

/// The body of every error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, Chinese first, English in brackets.
    pub error: String,
    /// `unauthorized`, `forbidden`, `not_found`, `bad_request`, `too_many_requests`,
    /// `invalid_values`, `internal`.
    pub code: String,
}

/// A signed-in user with a write's form token: the session cookie and the header
/// `X-CSRF-Token` equal to the session's token (the one place writes are checked).
pub struct Writer(pub CurrentUser);

impl FromRequestParts<AppState> for Writer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        user.check_csrf(token).map_err(|_| {
            ApiError(AppError::Forbidden(
                "缺少或错误的 X-CSRF-Token 请求头 (the X-CSRF-Token header is missing or wrong: \
                 send the csrf returned by POST /api/session)"
                    .into(),
            ))
            .into_response()
        })?;
        Ok(Writer(user))
    }
}

/// A JSON body, or a 400 [`ApiError`] saying what is wrong with it.
fn body<T>(json: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    json.map(|Json(t)| t).map_err(|e| {
        ApiError(AppError::BadRequest(format!(
            "请求内容不是所需的 JSON (the body is not the JSON expected): {}",
            e.body_text()
        )))
    })
}

fn period(text: &str) -> Result<Period, ApiError> {
    Period::parse(text).ok_or_else(|| {
        ApiError(AppError::BadRequest(format!(
            "“{text}”不是统计期；请写 2024、2024Q1 或 202401 (not a period: write 2024, 2024Q1 or 202401)"
        )))
    })
}

/// JSON kept as bytes, for answers cached until the store changes.
fn json_bytes(value: &impl Serialize) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value).map_err(AppError::internal)
}

fn json_response(bytes: &[u8]) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes.to_vec(),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------
// Sessions

#[derive(Deserialize, ToSchema)]
struct Credentials {
    username: String,
    password: String,
}

/// The signed-in account.
#[derive(Serialize, ToSchema)]
struct UserInfo {
    username: String,
    display_name: String,
    /// plan_owner, department, reporter, reviewer, viewer.
    role: String,
    /// The scope: a region code; none for the whole hierarchy.
    region_code: Option<String>,
    unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct SessionInfo {
    user: UserInfo,
    /// Send it as header `X-CSRF-Token` with every write.
    csrf: String,
}

/// Signs in: sets the session cookie (as the sign-in form does) and returns the user and the
/// session's form token. Failed attempts count towards the same limit as the form's.
#[utoipa::path(post, path = "/api/session", tag = "session",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionInfo),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins", body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    json: Result<Json<Credentials>, JsonRejection>,
) -> Result<Response, ApiError> {
    let c = body(json)?;
    let name = c.username.trim().to_string();
    let Some(user) = authenticate(&state, &name, c.password, &ip).await? else {
        return Err(ApiError(AppError::WrongCredentials));
    };
    let (cookie, csrf) = session::open_with_csrf(&state, &user).await?;
    let info = SessionInfo {
        user: UserInfo {
            username: user.username,
            display_name: user.display_name,
            role: user.role.as_str().to_string(),
            region_code: user.region_code,
            unit: user.unit,
        },
        csrf,
    };
    Ok((jar.add(cookie), Json(info)).into_response())
}

/// Signs out: ends the session and removes the cookie.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    params(("X-CSRF-Token" = String, Header, description = "The session's form token")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "X-CSRF-Token missing or wrong", body = ErrorBody)))]
async fn sign_out(
    State(state): State<AppState>,
    _writer: Writer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    if let Some(token) = jar.get(session::COOKIE).map(|c| c.value().to_string()) {
        state.store().delete_session(&token).await?;
    }
    Ok((jar.remove(session::removal()), StatusCode::NO_CONTENT).into_response())
}

// ---------------------------------------------------------------------------------------
// Reads

/// 总览: the overview page's figures for the top region at the latest period with approved
/// values.
#[utoipa::path(get, path = "/api/overview", tag = "monitoring",
    responses(
        (status = 200, description = "The overview", body = Overview),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn get_overview(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Arc<Overview>>, ApiError> {
    Ok(Json(overview::data(&state).await?))
}

/// An indicator of the list.
#[derive(Serialize, ToSchema)]
struct IndicatorSummary {
    id: String,
    name: String,
    unit: String,
    domain: Option<String>,
    /// How many stored targets (all levels) name it.
    targets: usize,
}

/// 指标: every indicator of the catalog, with how many stored targets name it.
#[utoipa::path(get, path = "/api/indicators", tag = "monitoring",
    responses(
        (status = 200, description = "The catalog's indicators", body = Vec<IndicatorSummary>),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_indicators(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Response, ApiError> {
    let bytes = state
        .cached("api-indicators", |s| async move {
            let m = s.monitor().await?;
            let list: Vec<IndicatorSummary> = m
                .inputs
                .catalog
                .entries()
                .iter()
                .map(|e| IndicatorSummary {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    unit: e.unit.clone(),
                    domain: e.domain.clone(),
                    targets: m
                        .inputs
                        .targets
                        .iter()
                        .filter(|t| t.indicator == e.id)
                        .count(),
                })
                .collect();
            json_bytes(&list)
        })
        .await?;
    Ok(json_response(&bytes))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AsOf {
    /// The period assessed at (2024, 2024Q4, 202412); default: the latest with approved values.
    as_of: Option<String>,
}

/// The period asked for, or the latest with approved values.
fn as_of(m: &Monitor, asked: Option<&str>) -> Result<Option<Period>, ApiError> {
    match asked.filter(|s| !s.trim().is_empty()) {
        Some(text) => Ok(Some(period(text.trim())?)),
        None => Ok(m.latest),
    }
}

/// Assessments as `minsheng assess --format json` prints them (approved and published values).
fn assess_json(
    m: &Monitor,
    as_of: Option<Period>,
    filter: &AssessFilter,
    only_region: Option<&str>,
) -> Result<serde_json::Value, AppError> {
    let Some(as_of) = as_of else {
        return Ok(serde_json::Value::Array(Vec::new()));
    };
    let input = AssessInput {
        hierarchy: &m.inputs.hierarchy,
        indicators: &m.inputs.indicators,
        table: &m.table,
        targets: &m.inputs.targets,
    };
    let mut rows = minsheng_assess::assess(&input, as_of, filter).map_err(AppError::internal)?;
    if let Some(code) = only_region {
        rows.retain(|a| a.region == code);
    }
    serde_json::to_value(&rows).map_err(AppError::internal)
}

/// 指标详情: the catalog entry, its targets at every level, and its assessment in every
/// region at the latest period with approved values or at `as_of`.
#[utoipa::path(get, path = "/api/indicators/{id}", tag = "monitoring",
    params(("id" = String, Path, description = "The catalog id"), AsOf),
    responses(
        (status = 200, description = "`indicator` (the catalog entry), `as_of`, `targets`, \
            `assessments` (the fields of `minsheng assess --format json`)", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such indicator", body = ErrorBody)))]
async fn get_indicator(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Response, ApiError> {
    let m = state.monitor().await?;
    if m.inputs.catalog.get(&id).is_none() {
        return Err(ApiError(AppError::NotFound));
    }
    let at = as_of(&m, q.as_of.as_deref())?;
    let key = format!(
        "api-indicator/{id}/{}",
        at.map_or_else(String::new, |p| p.to_string())
    );
    let bytes = state
        .cached_by(key, move |s| async move {
            let m = s.monitor().await?;
            let entry = m.inputs.catalog.get(&id).ok_or(AppError::NotFound)?;
            let targets: Vec<_> = m
                .inputs
                .targets
                .iter()
                .filter(|t| t.indicator == id)
                .collect();
            let filter = AssessFilter {
                indicator: Some(id.clone()),
                ..AssessFilter::default()
            };
            let assessments = assess_json(&m, at, &filter, None)?;
            json_bytes(&serde_json::json!({
                "indicator": entry,
                "as_of": at.map(|p| p.to_string()),
                "simulated": m.simulated,
                "targets": targets,
                "assessments": assessments,
            }))
        })
        .await?;
    Ok(json_response(&bytes))
}

/// 地区: the region, its parent and the regions directly under it, its own targets, and its
/// own assessments at the latest period or `as_of`.
#[utoipa::path(get, path = "/api/regions/{code}", tag = "monitoring",
    params(("code" = String, Path, description = "GB/T 2260 code, 6 digits"), AsOf),
    responses(
        (status = 200, description = "`region`, `parent`, `children`, `targets`, `as_of`, \
            `assessments`", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such region", body = ErrorBody)))]
async fn get_region(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let store = state.store();
    let region = store.region(&code).await?.ok_or(AppError::NotFound)?;
    let parent = match &region.parent {
        Some(p) => store.region(p).await?,
        None => None,
    };
    let children: Vec<_> = store
        .list_regions(Some(&code), None)
        .await?
        .into_iter()
        .filter(|r| r.parent.as_deref() == Some(code.as_str()))
        .collect();
    let m = state.monitor().await?;
    let at = as_of(&m, q.as_of.as_deref())?;
    let targets: Vec<_> = m
        .inputs
        .targets
        .iter()
        .filter(|t| t.region == code)
        .collect();
    let filter = AssessFilter {
        region: Some(code.clone()),
        ..AssessFilter::default()
    };
    let assessments = assess_json(&m, at, &filter, Some(&code))?;
    Ok(Json(serde_json::json!({
        "region": region,
        "parent": parent,
        "children": children,
        "targets": targets,
        "as_of": at.map(|p| p.to_string()),
        "simulated": m.simulated,
        "assessments": assessments,
    })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AssessQuery {
    /// The period assessed at; default: the latest with approved values.
    as_of: Option<String>,
    /// A region code: that region and every region under it.
    region: Option<String>,
    /// A catalog id.
    indicator: Option<String>,
}

/// 评估: assessments (approved and published values), as `minsheng assess --format json`.
#[utoipa::path(get, path = "/api/assessments", tag = "monitoring",
    params(AssessQuery),
    responses(
        (status = 200, description = "Rows of `minsheng assess --format json`", body = Vec<Object>),
        (status = 400, description = "A bad period", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_assessments(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<AssessQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let m = state.monitor().await?;
    let at = as_of(&m, q.as_of.as_deref())?;
    let filter = AssessFilter {
        region: q.region.filter(|s| !s.is_empty()),
        indicator: q.indicator.filter(|s| !s.is_empty()),
        ..AssessFilter::default()
    };
    Ok(Json(assess_json(&m, at, &filter, None)?))
}

/// A stored plan in the list.
#[derive(Serialize, ToSchema)]
struct PlanSummary {
    id: i64,
    region_code: String,
    plan_key: String,
    version: i64,
    title: String,
    loaded_at: String,
    targets: usize,
}

/// 规划: the latest version of every stored plan.
#[utoipa::path(get, path = "/api/plans", tag = "plans",
    responses(
        (status = 200, description = "The plans", body = Vec<PlanSummary>),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_plans(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    let m = state.monitor().await?;
    Ok(Json(
        m.inputs
            .plans
            .iter()
            .map(|p| PlanSummary {
                id: p.id,
                region_code: p.region_code.clone(),
                plan_key: p.plan_key.clone(),
                version: p.version,
                title: p.plan.title.clone(),
                loaded_at: p.loaded_at.clone(),
                targets: p.plan.targets.len(),
            })
            .collect(),
    ))
}

/// 规划详情: a stored plan version with its document and each target's indicator.
#[utoipa::path(get, path = "/api/plans/{id}", tag = "plans",
    params(("id" = i64, Path, description = "The plan version's id")),
    responses(
        (status = 200, description = "The stored plan", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such plan", body = ErrorBody)))]
async fn get_plan(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<minsheng_store::StoredPlan>, ApiError> {
    let plan = state
        .store()
        .plan_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(plan))
}

/// 评估运行: every stored evaluation run (summaries).
#[utoipa::path(get, path = "/api/runs", tag = "plans",
    responses(
        (status = 200, description = "Run summaries", body = Vec<Object>),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list_runs(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<minsheng_store::RunSummary>>, ApiError> {
    Ok(Json(state.store().runs(&RunFilter::default()).await?))
}

/// 评估结果: a stored run with its weights, result and inputs.
#[utoipa::path(get, path = "/api/runs/{id}", tag = "plans",
    params(("id" = i64, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such run", body = ErrorBody)))]
async fn get_run(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<minsheng_store::StoredRun>, ApiError> {
    let run = state.store().run(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(run))
}

/// 公示: the published evaluation runs (summaries); no sign-in.
#[utoipa::path(get, path = "/api/public/runs", tag = "public",
    responses((status = 200, description = "Published run summaries", body = Vec<Object>)))]
async fn public_runs(
    State(state): State<AppState>,
) -> Result<Json<Vec<minsheng_store::RunSummary>>, ApiError> {
    let filter = RunFilter {
        published_only: true,
        ..RunFilter::default()
    };
    Ok(Json(state.store().runs(&filter).await?))
}

// ---------------------------------------------------------------------------------------
// Writes

/// A DHIS2 dataValueSet.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct DataValueSet {
    #[schema(value_type = Vec<DataValueSchema>)]
    data_values: Vec<DataValueEntry>,
}

/// One value (DHIS2 names).
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "camelCase")]
struct DataValueSchema {
    /// The indicator: catalog id, name or synonym.
    data_element: String,
    /// 2024, 2024Q1 or 202401.
    period: String,
    /// The region: code or name.
    org_unit: String,
    /// The number (text or JSON number).
    value: String,
    comment: Option<String>,
}

/// One problem with the values sent.
#[derive(Serialize, ToSchema)]
struct ValueIssue {
    /// The position in `dataValues` (from 0); none when it concerns the whole set.
    index: Option<usize>,
    /// The field: indicator, region, period, value …
    field: String,
    message_zh: String,
    message_en: String,
}

impl ValueIssue {
    fn of(i: &minsheng_collect::Issue) -> ValueIssue {
        ValueIssue {
            index: i.row.checked_sub(2),
            field: serde_json::to_value(i.field)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            message_zh: i.message_zh.clone(),
            message_en: i.message_en.clone(),
        }
    }
}

/// Values refused: nothing was stored.
#[derive(Serialize, ToSchema)]
struct ValuesRejected {
    error: String,
    /// `invalid_values`.
    code: String,
    /// How many problems in all (at most 10,000 listed).
    error_count: usize,
    errors: Vec<ValueIssue>,
}

/// Values stored as drafts.
#[derive(Serialize, ToSchema)]
struct ValuesStored {
    stored: usize,
    inserted: usize,
    updated: usize,
    unchanged: usize,
    /// Things the reviewer will see (a jump from the previous period, a replaced value).
    warnings: Vec<ValueIssue>,
}

/// 填报: stores values as drafts (草稿), checked as `minsheng import` checks a file — all or
/// nothing. A reporter writes only its own region's values.
#[utoipa::path(post, path = "/api/values", tag = "reporting",
    request_body = DataValueSet,
    params(("X-CSRF-Token" = String, Header, description = "The session's form token")),
    responses(
        (status = 200, description = "Stored as drafts", body = ValuesStored),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "X-CSRF-Token missing or wrong, or a region outside the \
            account's scope; nothing stored", body = ErrorBody),
        (status = 422, description = "Invalid values; nothing stored", body = ValuesRejected)))]
async fn post_values(
    State(state): State<AppState>,
    Writer(user): Writer,
    json: Result<Json<DataValueSet>, JsonRejection>,
) -> Result<Response, ApiError> {
    let set = body(json)?;
    let actor = user.user().username.clone();
    let store = state.store();
    let m = state.monitor().await?;
    let csv =
        minsheng_app::import::data_value_set_csv(&set.data_values).map_err(AppError::internal)?;
    let ctx = minsheng_app::import::context(
        store,
        &m.inputs.catalog,
        &actor,
        minsheng_collect::DEFAULT_JUMP_THRESHOLD,
    )
    .await
    .map_err(AppError::internal)?;
    let report = minsheng_app::import::read(store, "dataValues", &csv, &ctx)
        .await
        .map_err(AppError::internal)?;
    if !report.is_ok() {
        let rejected = ValuesRejected {
            error: format!(
                "{} 处错误，未保存任何数据 ({} errors: nothing was stored)",
                report.error_count, report.error_count
            ),
            code: "invalid_values".into(),
            error_count: report.error_count,
            errors: report.errors.iter().map(ValueIssue::of).collect(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(rejected)).into_response());
    }
    let mut regions: Vec<&str> = report.rows.iter().map(|v| v.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    for region in regions {
        access::may_report(&m.inputs.hierarchy, user.user(), region)?;
    }
    let mut rows = report.rows.clone();
    for v in &mut rows {
        v.source = ValueSource::Api;
    }
    let outcome = store
        .import_values(&rows, &actor, "api dataValueSet")
        .await?;
    Ok(Json(ValuesStored {
        stored: rows.len(),
        inserted: outcome.inserted,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        warnings: report.warnings.iter().map(ValueIssue::of).collect(),
    })
    .into_response())
}

/// A review step.
#[derive(Deserialize, ToSchema)]
struct ReviewRequest {
    /// submit (报送), approve (审核通过), return (退回), publish (公开).
    #[schema(value_type = String)]
    action: ReviewAction,
    /// Why values are returned (required for return).
    #[serde(default)]
    reason: Option<String>,
}

/// 报送 / 审核 / 公开: moves a region's values of a period one step. A reporter submits its
/// own region's; a reviewer approves or returns the regions under it; the plan owner
/// publishes.
#[utoipa::path(post, path = "/api/review/{region}/{period}", tag = "reporting",
    request_body = ReviewRequest,
    params(
        ("region" = String, Path, description = "GB/T 2260 code"),
        ("period" = String, Path, description = "2024, 2024Q1 or 202401"),
        ("X-CSRF-Token" = String, Header, description = "The session's form token")),
    responses(
        (status = 200, description = "The transitions made", body = Vec<Object>),
        (status = 400, description = "The step cannot be taken (nothing to submit, no reason)", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not this account's step or region", body = ErrorBody),
        (status = 404, description = "No such region", body = ErrorBody)))]
async fn post_review(
    State(state): State<AppState>,
    Writer(user): Writer,
    Path((region, period_text)): Path<(String, String)>,
    json: Result<Json<ReviewRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let req = body(json)?;
    let at = period(&period_text)?;
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    if h.index_of(&region).is_none() {
        return Err(ApiError(AppError::NotFound));
    }
    let u = user.user();
    match req.action {
        ReviewAction::Submit => access::may_report(h, u, &region)?,
        ReviewAction::Approve | ReviewAction::Return => access::may_review(h, u, &region)?,
        ReviewAction::Publish => access::may_publish(u)?,
    }
    let reason = req.reason.as_deref().filter(|r| !r.trim().is_empty());
    let done = state
        .store()
        .review(
            &ReviewBatch::new(region.clone(), at),
            req.action,
            &u.username,
            reason,
        )
        .await
        .map_err(|e| match e {
            StoreError::InvalidTransition { .. } | StoreError::ReasonRequired { .. } => {
                ApiError(AppError::BadRequest(e.to_string()))
            }
            StoreError::UnknownRegion { .. } => ApiError(AppError::NotFound),
            e => ApiError::from(e),
        })?;
    Ok(Json(done).into_response())
}
