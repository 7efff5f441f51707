//! 填报: a region's values for a period — the form, the workbook (template out, filled-in
//! upload in, checked by the collect crate exactly as `minsheng import` checks it, all or
//! nothing), and submission for review (报送). Who may report where is
//! [`crate::auth::access::may_report`].

use crate::auth::CurrentUser;
use crate::auth::access::{in_scope, may_report};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Page, number};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minsheng_catalog::Kind;
use minsheng_collect::{FormRow, ImportReport, Issue, TemplateRequest};
use minsheng_model::{DataValue, Period, ReviewState};
use minsheng_store::{RegionRow, Role, StoreError, ValueFilter};
use serde::Deserialize;

/// The largest workbook accepted (a county's template is a few dozen kB).
const MAX_UPLOAD: usize = 20 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reporting", get(index))
        .route("/reporting/{region}/{period}", get(show).post(save))
        .route("/reporting/{region}/{period}/template.xlsx", get(template))
        .route(
            "/reporting/{region}/{period}/upload",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/reporting/{region}/{period}/submit", post(submit))
}

pub const STRINGS: &[crate::i18n::Entry] = &[
    ("reporting.title", "数据填报", "Reporting"),
    (
        "reporting.lead",
        "选择地区和统计期，在线填写或上传填报表（Excel）。数据保存为草稿，报送后由上级审核。",
        "Choose a region and a period; fill in the form or upload the workbook. Values are saved as drafts and reviewed by the parent region once submitted.",
    ),
    (
        "reporting.choose",
        "选择地区与统计期",
        "Choose region and period",
    ),
    ("reporting.region", "地区", "Region"),
    ("reporting.period", "统计期", "Period"),
    ("reporting.open", "打开", "Open"),
    ("reporting.my_regions", "我的填报", "My reporting"),
    ("reporting.values", "已填数值", "Values entered"),
    ("reporting.state", "状态", "State"),
    ("reporting.none", "尚未填报", "Nothing entered"),
    ("reporting.fill", "填报", "Fill in"),
    (
        "reporting.no_region",
        "您的账号没有可填报的地区。填报员只能填报本地区的数据。",
        "Your account has no region to report for. Reporters report their own region's data.",
    ),
    ("reporting.form", "在线填报", "Form"),
    ("reporting.indicator", "指标", "Indicator"),
    ("reporting.unit", "单位", "Unit"),
    ("reporting.target", "目标", "Target"),
    ("reporting.last", "上期值", "Previous"),
    ("reporting.value", "本期值", "Value"),
    ("reporting.numerator", "分子", "Numerator"),
    ("reporting.denominator", "分母", "Denominator"),
    ("reporting.comment", "备注", "Comment"),
    ("reporting.save", "保存草稿", "Save draft"),
    ("reporting.submit", "报送审核", "Submit for review"),
    (
        "reporting.submit_help",
        "报送后，草稿和退回的数值交上级审核，审核前可修改后重新报送。",
        "Submitting passes drafts and returned values to the parent region for review.",
    ),
    ("reporting.excel", "Excel 填报", "Excel workbook"),
    ("reporting.download", "下载填报表", "Download the template"),
    (
        "reporting.upload",
        "上传已填报表",
        "Upload a filled-in workbook",
    ),
    (
        "reporting.upload_help",
        "支持 .xlsx / .xls / .ods 及 DHIS2 格式 CSV；整份文件校验，有任何错误则不保存任何数据。",
        "xlsx, xls, ods or DHIS2 CSV; the whole file is checked and nothing is saved if anything is wrong.",
    ),
    ("reporting.upload_button", "上传并校验", "Upload and check"),
    ("reporting.errors", "校验未通过", "Checks failed"),
    (
        "reporting.nothing_saved",
        "未保存任何数据：请改正下列错误后重新提交。",
        "Nothing was saved: correct the errors below and try again.",
    ),
    ("reporting.sheet", "工作表", "Sheet"),
    ("reporting.row", "行", "Row"),
    ("reporting.column", "列", "Column"),
    ("reporting.reason", "原因", "Reason"),
    ("reporting.warnings", "提示", "Warnings"),
    ("reporting.saved", "已保存为草稿", "Saved as draft"),
    ("reporting.inserted", "新增", "new"),
    ("reporting.updated", "更新", "updated"),
    ("reporting.unchanged", "未变", "unchanged"),
    (
        "reporting.submitted_notice",
        "已报送审核",
        "Submitted for review",
    ),
    (
        "reporting.nothing_entered",
        "没有填写任何数值，未保存。",
        "No value was entered; nothing was saved.",
    ),
    (
        "reporting.no_rows",
        "该地区的规划未设置需填报的指标。",
        "The region's plans set no indicators to report.",
    ),
    ("reporting.returned", "上级退回", "Returned by the reviewer"),
    ("reporting.back", "返回填报首页", "Back to reporting"),
    ("reporting.simulated", "模拟数据", "Simulated"),
    ("reporting.rows", "个指标", "indicators"),
    (
        "reporting.nothing_to_submit",
        "暂无可报送的草稿：先在线填报或上传填报表。",
        "No drafts to submit: fill in the form or upload the workbook first.",
    ),
    ("state.draft", "草稿", "Draft"),
    ("state.submitted", "已报送", "Submitted"),
    ("state.approved", "已审核", "Approved"),
    ("state.returned", "已退回", "Returned"),
    ("state.published", "已公开", "Published"),
    ("state.empty", "未填", "Empty"),
];

/// A review state's string key (`state.draft`).
pub fn state_key(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Draft => "state.draft",
        ReviewState::Submitted => "state.submitted",
        ReviewState::Approved => "state.approved",
        ReviewState::Returned => "state.returned",
        ReviewState::Published => "state.published",
    }
}

/// The periods offered by default: this year's quarters so far, last year's, and the last
/// three years, newest first.
fn recent_periods() -> Vec<Period> {
    let now = jiff::Zoned::now();
    let (y, m) = (i32::from(now.year()), now.month() as u8);
    let q = (m - 1) / 3 + 1;
    let mut out: Vec<Period> = (1..=q).rev().map(|q| Period::Quarter(y, q)).collect();
    out.push(Period::Year(y - 1));
    out.extend((1..=4).rev().map(|q| Period::Quarter(y - 1, q)));
    out.push(Period::Year(y - 2));
    out.push(Period::Year(y - 3));
    out
}

/// One region × period the user may report, with where its values stand.
pub struct Batch {
    pub region: String,
    pub region_name: String,
    pub period: String,
    pub values: usize,
    pub state: Option<&'static str>,
    /// The state as a CSS class suffix (`draft`).
    pub state_class: &'static str,
}

pub struct RegionOption {
    pub code: String,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reporting/index.html")]
struct IndexPage {
    page: Page,
    batches: Vec<Batch>,
    regions: Vec<RegionOption>,
    periods: Vec<String>,
}

#[derive(Deserialize)]
struct Choose {
    region: Option<String>,
    period: Option<String>,
}

/// The stored values of one region (not those under it) and one period: a batch as it is
/// reported and reviewed.
pub(crate) async fn batch_values(
    store: &minsheng_store::Store,
    region: &str,
    period: Period,
) -> Result<Vec<DataValue>, AppError> {
    Ok(store
        .values(&ValueFilter {
            region: Some(region.to_string()),
            from: Some(period),
            to: Some(period),
            ..ValueFilter::default()
        })
        .await?
        .into_iter()
        .filter(|v| v.region == region && v.period == period)
        .collect())
}

/// The least advanced state of a batch's values (draft and returned first).
pub(crate) fn least_state(values: &[&DataValue]) -> Option<ReviewState> {
    let rank = |s: ReviewState| match s {
        ReviewState::Returned => 0,
        ReviewState::Draft => 1,
        ReviewState::Submitted => 2,
        ReviewState::Approved => 3,
        ReviewState::Published => 4,
    };
    values.iter().map(|v| v.state).min_by_key(|s| rank(*s))
}

/// The regions `user` may report for: a reporter its own; the plan owner every province,
/// prefecture and county in its scope.
async fn reportable(
    state: &AppState,
    user: &minsheng_store::User,
) -> Result<Vec<RegionRow>, AppError> {
    let monitor = state.monitor().await?;
    let h = &monitor.inputs.hierarchy;
    Ok(match user.role {
        Role::Reporter => match &user.region_code {
            Some(code) => state.store().region(code).await?.into_iter().collect(),
            None => Vec::new(),
        },
        Role::PlanOwner => state
            .store()
            .list_regions(user.region_code.as_deref(), None)
            .await?
            .into_iter()
            .filter(|r| in_scope(h, user, &r.code))
            .collect(),
        _ => Vec::new(),
    })
}

async fn index(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(choose): Query<Choose>,
) -> Result<Response, AppError> {
    if let (Some(region), Some(period)) = (&choose.region, &choose.period) {
        let period = Period::parse(period.trim()).ok_or_else(|| {
            AppError::BadRequest(format!("统计期“{period}”无法识别 (unknown period)"))
        })?;
        let region = region.trim();
        return Ok(Redirect::to(&format!("/reporting/{region}/{period}")).into_response());
    }
    let regions = reportable(&state, user.user()).await?;
    let periods = recent_periods();
    let mut batches = Vec::new();
    // The regions the user reports for day to day: a reporter's own; the plan owner's scope.
    for r in regions.iter().take(1) {
        let values = state
            .store()
            .values(&ValueFilter {
                region: Some(r.code.clone()),
                ..ValueFilter::default()
            })
            .await?;
        for p in &periods {
            let of: Vec<&DataValue> = values
                .iter()
                .filter(|v| v.region == r.code && v.period == *p)
                .collect();
            batches.push(Batch {
                region: r.code.clone(),
                region_name: r.name.clone(),
                period: p.to_string(),
                values: of.len(),
                state: least_state(&of).map(state_key),
                state_class: least_state(&of).map_or("empty", |s| s.as_str()),
            });
        }
    }
    let page = Page::new(lang, "reporting", "reporting.title", Some(&user.0));
    Ok(IndexPage {
        page,
        batches,
        regions: regions
            .into_iter()
            .map(|r| RegionOption {
                code: r.code,
                name: r.name,
            })
            .collect(),
        periods: periods.iter().map(ToString::to_string).collect(),
    }
    .into_response())
}

/// One indicator's row of the form.
pub struct FormRowView {
    pub n: usize,
    pub id: String,
    pub name: String,
    pub unit: String,
    pub rate: bool,
    pub target: String,
    pub last: String,
    /// The period of [`FormRowView::last`].
    pub last_period: String,
    pub value: String,
    pub numerator: String,
    pub denominator: String,
    pub comment: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub simulated: bool,
}

/// An issue as the page lists it.
pub struct IssueView {
    pub sheet: String,
    pub row: String,
    pub column: String,
    pub zh: String,
    pub en: String,
}

impl IssueView {
    fn of(i: &Issue) -> IssueView {
        IssueView {
            sheet: i.sheet.clone().unwrap_or_default(),
            row: if i.row == 0 {
                String::new()
            } else {
                i.row.to_string()
            },
            column: i.column.clone(),
            zh: i.message_zh.clone(),
            en: i.message_en.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reporting/form.html")]
struct FormPage {
    page: Page,
    region: String,
    region_name: String,
    period: String,
    period_label: String,
    rows: Vec<FormRowView>,
    /// Some value is draft or returned: it can be submitted.
    can_submit: bool,
    counts: Vec<(&'static str, &'static str, usize)>,
    returned_reason: Option<String>,
    errors: Vec<IssueView>,
    error_count: usize,
    warnings: Vec<IssueView>,
    notice: Option<String>,
    alert: Option<String>,
}

/// What the form page is built from.
struct Loaded {
    region: RegionRow,
    period: Period,
    request: TemplateRequest,
    values: Vec<DataValue>,
}

fn parse_period(text: &str) -> Result<Period, AppError> {
    Period::parse(text).ok_or_else(|| {
        AppError::BadRequest(format!(
            "统计期“{text}”无法识别，请写成 2026Q1、2025 或 202601 (unknown period)"
        ))
    })
}

/// The region and period of the URL, checked against the user's rights, with the rows to
/// report and the values stored.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    region: &str,
    period: &str,
) -> Result<Loaded, AppError> {
    let period = parse_period(period)?;
    let region = state
        .store()
        .region(region)
        .await?
        .ok_or(AppError::NotFound)?;
    let monitor = state.monitor().await?;
    may_report(&monitor.inputs.hierarchy, user.user(), &region.code)?;
    let request = minsheng_app::collect::template_request(
        state.store(),
        &monitor.inputs,
        &region,
        period,
        None,
    )
    .await
    .map_err(AppError::internal)?;
    let values = batch_values(state.store(), &region.code, period).await?;
    Ok(Loaded {
        region,
        period,
        request,
        values,
    })
}

/// What the user typed, by indicator id, to show again after a refused save.
type Typed = std::collections::HashMap<String, FormRow>;

async fn form_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    loaded: Loaded,
    typed: Option<&Typed>,
) -> Result<FormPage, AppError> {
    let Loaded {
        region,
        period,
        request,
        values,
    } = loaded;
    let mut rows = Vec::new();
    for (i, r) in request.rows.iter().enumerate() {
        let stored = values.iter().find(|v| v.indicator == r.indicator_id);
        let shown = |f: Option<f64>| f.map(number).unwrap_or_default();
        let (value, numerator, denominator, comment) =
            match typed.and_then(|t| t.get(&r.indicator_id)) {
                Some(t) => (
                    t.value.clone(),
                    t.numerator.clone(),
                    t.denominator.clone(),
                    t.comment.clone(),
                ),
                None => (
                    shown(stored.map(|v| v.value)),
                    shown(stored.and_then(|v| v.numerator)),
                    shown(stored.and_then(|v| v.denominator)),
                    stored.and_then(|v| v.comment.clone()).unwrap_or_default(),
                ),
            };
        let state = stored.map(|v| v.state);
        rows.push(FormRowView {
            n: i + 1,
            id: r.indicator_id.clone(),
            name: r.indicator_name.clone(),
            unit: r.unit.clone(),
            rate: matches!(r.kind, Kind::Rate | Kind::PerMille),
            target: r
                .target
                .as_ref()
                .map(|t| minsheng_collect::template::target_text(t, &r.unit))
                .unwrap_or_default(),
            last: r.last_value.map(|(_, v)| number(v)).unwrap_or_default(),
            last_period: r.last_value.map(|(p, _)| p.to_string()).unwrap_or_default(),
            value,
            numerator,
            denominator,
            comment,
            state: state.map_or("state.empty", state_key),
            state_class: state.map_or("empty", |s| s.as_str()),
            simulated: stored.is_some_and(DataValue::is_simulated),
        });
    }
    let mut counts = Vec::new();
    for s in [
        ReviewState::Draft,
        ReviewState::Returned,
        ReviewState::Submitted,
        ReviewState::Approved,
        ReviewState::Published,
    ] {
        let n = values.iter().filter(|v| v.state == s).count();
        if n > 0 {
            counts.push((state_key(s), s.as_str(), n));
        }
    }
    let can_submit = values
        .iter()
        .any(|v| matches!(v.state, ReviewState::Draft | ReviewState::Returned));
    let returned_reason = if values.iter().any(|v| v.state == ReviewState::Returned) {
        state
            .store()
            .transitions(&minsheng_store::TransitionFilter {
                region: Some(region.code.clone()),
                period: Some(period),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|t| t.region_code == region.code && t.to_state == ReviewState::Returned)
            .max_by(|a, b| a.at.cmp(&b.at))
            .and_then(|t| t.reason.map(|r| format!("{r}（{}，{}）", t.actor, t.at)))
    } else {
        None
    };
    let simulated = values.iter().any(DataValue::is_simulated);
    Ok(FormPage {
        page: Page::new(lang, "reporting", "reporting.title", Some(&user.0)).simulated(simulated),
        region: region.code.clone(),
        region_name: region.name.clone(),
        period: period.to_string(),
        period_label: minsheng_collect::template::period_label(period),
        rows,
        can_submit,
        counts,
        returned_reason,
        errors: Vec::new(),
        error_count: 0,
        warnings: Vec::new(),
        notice: None,
        alert: None,
    })
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Result<FormPage, AppError> {
    let loaded = load(&state, &user, &region, &period).await?;
    let mut page = form_page(&state, lang, &user, loaded, None).await?;
    if done.done.as_deref() == Some("submitted") {
        page.notice = Some(page.page.tr.t("reporting.submitted_notice").to_string());
    }
    Ok(page)
}

/// A store refusal the user can act on (a published value changed, a step out of order) as
/// its message; anything else is internal.
pub fn refusal_text(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::PublishedValue { .. }
        | StoreError::InvalidTransition { .. }
        | StoreError::ReasonRequired { .. }
        | StoreError::InvalidValues { .. }
        | StoreError::UnknownRegion { .. }
        | StoreError::UnknownIndicator { .. } => Ok(e.to_string()),
        other => Err(AppError::from(other)),
    }
}

/// Stores a checked import's rows for the page's region and period, or shows why not (422).
async fn store_report(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    loaded: Loaded,
    mut report: ImportReport,
    typed: Option<&Typed>,
) -> Result<Response, AppError> {
    let (region, period) = (loaded.region.code.clone(), loaded.period);
    // Every row must be the page's region and period: a file for a neighbour is refused whole.
    let mut foreign: Vec<(String, Period)> = report
        .rows
        .iter()
        .filter(|v| v.region != region || v.period != period)
        .map(|v| (v.region.clone(), v.period))
        .collect();
    foreign.sort();
    foreign.dedup();
    for (r, p) in foreign {
        report.errors.push(Issue {
            file: report.file.clone(),
            sheet: None,
            row: 0,
            column: String::new(),
            field: minsheng_collect::Field::Region,
            message_zh: format!(
                "文件中有地区 {r}、统计期 {p} 的数据，本页只能填报地区 {region}、统计期 {period}"
            ),
            message_en: format!(
                "the file holds values of region {r}, period {p}; this page reports region {region}, period {period} only"
            ),
        });
        report.error_count += 1;
    }
    let mut stored = None;
    if report.errors.is_empty() && !report.rows.is_empty() {
        let note = format!("web {} {region} {period}", report.file);
        match state
            .store()
            .import_values(&report.rows, &user.user().username, &note)
            .await
        {
            Ok(outcome) => stored = Some(outcome),
            Err(e) => {
                let text = refusal_text(e)?;
                report.errors.push(Issue {
                    file: report.file.clone(),
                    sheet: None,
                    row: 0,
                    column: String::new(),
                    field: minsheng_collect::Field::Value,
                    message_zh: format!("数据库拒绝保存：{text}"),
                    message_en: text,
                });
                report.error_count += 1;
            }
        }
    }
    let failed = !report.errors.is_empty();
    let loaded = if stored.is_some() {
        load(state, user, &region, &period.to_string()).await?
    } else {
        loaded
    };
    let mut page = form_page(state, lang, user, loaded, if failed { typed } else { None }).await?;
    page.errors = report.errors.iter().map(IssueView::of).collect();
    page.error_count = report.error_count;
    page.warnings = report.warnings.iter().map(IssueView::of).collect();
    if failed {
        page.alert = Some(page.page.tr.t("reporting.nothing_saved").to_string());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    page.notice = Some(match stored {
        Some(o) => {
            let t = |k| page.page.tr.t(k);
            format!(
                "{}：{} {}，{} {}，{} {}，{} {}",
                t("reporting.saved"),
                report.rows.len(),
                t("reporting.rows"),
                t("reporting.inserted"),
                o.inserted,
                t("reporting.updated"),
                o.updated,
                t("reporting.unchanged"),
                o.unchanged
            )
        }
        None => page.page.tr.t("reporting.nothing_entered").to_string(),
    });
    Ok(page.into_response())
}

async fn save(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    user.check_csrf(csrf)?;
    let loaded = load(&state, &user, &region, &period).await?;
    let get = |prefix: &str, id: &str| {
        let key = format!("{prefix}:{id}");
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: Vec<FormRow> = loaded
        .request
        .rows
        .iter()
        .map(|r| FormRow {
            indicator_id: r.indicator_id.clone(),
            value: get("v", &r.indicator_id),
            numerator: get("n", &r.indicator_id),
            denominator: get("d", &r.indicator_id),
            comment: get("c", &r.indicator_id),
        })
        .collect();
    let mut ctx = minsheng_app::import::context(
        state.store(),
        &state.monitor().await?.inputs.catalog,
        &user.user().username,
        minsheng_collect::DEFAULT_JUMP_THRESHOLD,
    )
    .await
    .map_err(AppError::internal)?;
    ctx.previous = minsheng_app::import::previous_of_region(
        state.store(),
        &ctx,
        &loaded.region.code,
        loaded.period,
    )
    .await
    .map_err(AppError::internal)?;
    let report = minsheng_collect::read_form(
        "网页填报",
        &loaded.region.code,
        &loaded.period.to_string(),
        &rows,
        &ctx,
    );
    let typed: Typed = rows
        .into_iter()
        .map(|r| (r.indicator_id.clone(), r))
        .collect();
    store_report(&state, lang, &user, loaded, report, Some(&typed)).await
}

async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!(
            "上传的内容无法读取 (the upload could not be read): {e}"
        ))
    };
    let mut csrf_ok = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => {
                let token = field.text().await.map_err(bad)?;
                user.check_csrf(&token)?;
                csrf_ok = true;
            }
            Some("file") if csrf_ok => {
                let name = field.file_name().unwrap_or("upload.xlsx").to_string();
                let bytes = field.bytes().await.map_err(bad)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !csrf_ok {
        user.check_csrf("")?;
    }
    let loaded = load(&state, &user, &region, &period).await?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::BadRequest(
            "请选择要上传的填报表文件 (choose a file to upload)".into(),
        ));
    };
    let ctx = minsheng_app::import::context(
        state.store(),
        &state.monitor().await?.inputs.catalog,
        &user.user().username,
        minsheng_collect::DEFAULT_JUMP_THRESHOLD,
    )
    .await
    .map_err(AppError::internal)?;
    let report = minsheng_app::import::read(state.store(), &name, &bytes, &ctx)
        .await
        .map_err(AppError::internal)?;
    store_report(&state, lang, &user, loaded, report, None).await
}

async fn template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, &region, &period).await?;
    if loaded.request.rows.is_empty() {
        return Err(AppError::BadRequest(
            "该地区的规划未设置需填报的指标 (no indicators to report)".into(),
        ));
    }
    let bytes = minsheng_collect::template::write(&loaded.request).map_err(AppError::internal)?;
    let file = format!("template-{}-{}.xlsx", loaded.region.code, loaded.period);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    let loaded = load(&state, &user, &region, &period).await?;
    state
        .store()
        .submit(&loaded.region.code, loaded.period, &user.user().username)
        .await
        .map_err(|e| match refusal_text(e) {
            Ok(text) => AppError::BadRequest(text),
            Err(e) => e,
        })?;
    Ok(Redirect::to(&format!(
        "/reporting/{}/{}?done=submitted",
        loaded.region.code, loaded.period
    ))
    .into_response())
}
