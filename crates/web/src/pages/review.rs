//! 审核: the queue of reported batches (a region's values for a period) awaiting the user —
//! a reviewer's counties' submitted batches, the plan owner's submitted and approved ones —
//! and the steps on them (approve, return with a reason, publish), each through the store's
//! review workflow, which records who, when, from, to and why. Who may take which step is
//! [`crate::auth::access::may_review`] and [`crate::auth::access::may_publish`].

use crate::auth::CurrentUser;
use crate::auth::access::{in_scope, may_publish, may_review};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::reporting::{batch_values, least_state, refusal_text, state_key};
use crate::pages::{Page, number};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minsheng_model::{DataValue, Period, ReviewState};
use minsheng_store::{ReviewAction, ReviewBatch, Role, TransitionFilter, User, ValueFilter};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review", get(queue))
        .route("/review/{region}/{period}", get(detail).post(act))
}

pub const STRINGS: &[crate::i18n::Entry] = &[
    ("review.title", "数据审核", "Review"),
    (
        "review.lead",
        "下级地区报送的数据在此审核：通过，或填写理由退回；审核通过的数据由规划主管公开。",
        "Values submitted by the regions below you are reviewed here: approve, or return with a reason; the plan owner publishes approved values.",
    ),
    ("review.queue", "待处理", "Awaiting your action"),
    (
        "review.empty",
        "暂无待审核的数据。",
        "Nothing awaits your review.",
    ),
    ("review.region", "地区", "Region"),
    ("review.period", "统计期", "Period"),
    ("review.values", "数值", "Values"),
    ("review.state", "状态", "State"),
    ("review.by", "填报人", "Entered by"),
    ("review.at", "时间", "When"),
    ("review.view", "查看数值", "View values"),
    ("review.approve", "审核通过", "Approve"),
    ("review.return", "退回", "Return"),
    ("review.reason", "退回理由", "Reason for returning"),
    (
        "review.reason_hint",
        "退回须说明理由，如：第3项与上期相差过大，请核实",
        "A return needs a reason",
    ),
    ("review.publish", "公开", "Publish"),
    ("review.actions", "操作", "Actions"),
    ("review.indicator", "指标", "Indicator"),
    ("review.value", "数值", "Value"),
    ("review.unit", "单位", "Unit"),
    ("review.nd", "分子 / 分母", "Numerator / denominator"),
    ("review.comment", "备注", "Comment"),
    ("review.source", "来源", "Source"),
    ("review.history", "审核记录", "Review history"),
    (
        "review.no_history",
        "尚无审核记录。",
        "No review steps yet.",
    ),
    ("review.step", "环节", "Step"),
    ("review.actor", "操作人", "By"),
    ("review.why", "理由", "Reason"),
    ("review.back", "返回审核队列", "Back to the queue"),
    ("review.done", "已完成", "Done"),
    ("review.simulated", "模拟数据", "Simulated"),
    (
        "review.simulated_hidden",
        "另有模拟数据批次已审核，未在此列出（模拟数据不公开）。数量：",
        "Approved batches of simulated data are not listed (simulated data is not published). Count: ",
    ),
    (
        "review.no_rights",
        "您的账号不审核数据。审核员审核其辖区下级地区报送的数据。",
        "Your account does not review values. Reviewers review the regions under their scope.",
    ),
];

/// A batch in the queue.
pub struct QueueRow {
    pub region: String,
    pub region_name: String,
    pub period: String,
    pub values: usize,
    pub state: &'static str,
    pub state_class: &'static str,
    pub entered_by: String,
    pub entered_at: String,
    pub may_approve: bool,
    pub may_publish: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "review/queue.html")]
struct QueuePage {
    page: Page,
    rows: Vec<QueueRow>,
    hidden_simulated: usize,
    notice: Option<String>,
    reviews: bool,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(done): Query<Done>,
) -> Result<QueuePage, AppError> {
    let me = user.user();
    let monitor = state.monitor().await?;
    let h = &monitor.inputs.hierarchy;
    let reviews = matches!(me.role, Role::Reviewer | Role::PlanOwner);
    let mut rows = Vec::new();
    let mut hidden_simulated = 0;
    if reviews {
        let read = |states: Vec<ReviewState>, simulated: Option<bool>| ValueFilter {
            region: me.region_code.clone(),
            states,
            simulated,
            ..ValueFilter::default()
        };
        let mut pending = state
            .store()
            .values(&read(vec![ReviewState::Submitted], None))
            .await?;
        if me.role == Role::PlanOwner {
            // Approved real values await publication; simulated ones are never published, and
            // reading every demo value would make the queue slow.
            pending.extend(
                state
                    .store()
                    .values(&read(vec![ReviewState::Approved], Some(false)))
                    .await?,
            );
        }
        // The batches' other values (draft, returned) in one read: they hold a batch back.
        let unfinished = state
            .store()
            .values(&ValueFilter {
                region: me.region_code.clone(),
                states: vec![ReviewState::Draft, ReviewState::Returned],
                ..ValueFilter::default()
            })
            .await?;
        let mut batches: BTreeMap<(String, Period), Vec<&DataValue>> = BTreeMap::new();
        for v in &pending {
            batches
                .entry((v.region.clone(), v.period))
                .or_default()
                .push(v);
        }
        for v in &unfinished {
            if let Some(of) = batches.get_mut(&(v.region.clone(), v.period)) {
                of.push(v);
            }
        }
        let names: std::collections::HashMap<String, String> = state
            .store()
            .list_regions(me.region_code.as_deref(), None)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect();
        for ((region, period), of) in batches {
            if may_review(h, me, &region).is_err() {
                continue;
            }
            let Some(st) = least_state(&of) else { continue };
            let submitted = of.iter().any(|v| v.state == ReviewState::Submitted);
            let publishable = st == ReviewState::Approved;
            let awaits_publication = publishable && me.role == Role::PlanOwner;
            if !submitted && !awaits_publication {
                continue;
            }
            if !submitted && of.iter().all(|v| v.is_simulated()) {
                hidden_simulated += 1;
                continue;
            }
            let latest = of.iter().max_by(|a, b| a.entered_at.cmp(&b.entered_at));
            let region_name = names
                .get(&region)
                .cloned()
                .unwrap_or_else(|| region.clone());
            rows.push(QueueRow {
                region_name,
                period: period.to_string(),
                values: of.len(),
                state: state_key(st),
                state_class: st.as_str(),
                entered_by: latest.map(|v| v.entered_by.clone()).unwrap_or_default(),
                entered_at: latest
                    .map(|v| super::beijing_time(&v.entered_at))
                    .unwrap_or_default(),
                may_approve: submitted,
                may_publish: publishable && may_publish(me).is_ok(),
                region,
            });
        }
    }
    let page = Page::new(lang, "review", "review.title", Some(&user.0));
    let notice = done
        .done
        .as_deref()
        .map(|d| format!("{}：{d}", page.tr.t("review.done")));
    Ok(QueuePage {
        page,
        rows,
        hidden_simulated,
        notice,
        reviews,
    })
}

/// A value as the review page shows it.
pub struct ValueRow {
    pub indicator: String,
    pub name: String,
    pub value: String,
    pub unit: String,
    pub nd: String,
    pub comment: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub source: String,
    pub entered_by: String,
    pub simulated: bool,
}

/// A recorded step.
pub struct StepRow {
    pub at: String,
    pub actor: String,
    pub from: &'static str,
    pub to: &'static str,
    pub values: i64,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "review/detail.html")]
struct DetailPage {
    page: Page,
    region: String,
    region_name: String,
    period: String,
    values: Vec<ValueRow>,
    steps: Vec<StepRow>,
    may_approve: bool,
    may_publish: bool,
}

/// May `user` see a batch of `region` for review: a reviewer above it, or the plan owner.
fn may_see(h: &minsheng_assess::Hierarchy, user: &User, region: &str) -> Result<(), AppError> {
    match user.role {
        Role::PlanOwner if in_scope(h, user, region) => Ok(()),
        _ => may_review(h, user, region),
    }
}

async fn detail(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
) -> Result<DetailPage, AppError> {
    let period = Period::parse(&period).ok_or(AppError::NotFound)?;
    let region = state
        .store()
        .region(&region)
        .await?
        .ok_or(AppError::NotFound)?;
    let monitor = state.monitor().await?;
    may_see(&monitor.inputs.hierarchy, user.user(), &region.code)?;
    let catalog = &monitor.inputs.catalog;
    let all = batch_values(state.store(), &region.code, period).await?;
    let values: Vec<ValueRow> = all
        .iter()
        .map(|v| {
            let entry = catalog.get(&v.indicator);
            ValueRow {
                indicator: v.indicator.clone(),
                name: entry.map_or_else(|| v.indicator.clone(), |e| e.name.clone()),
                value: number(v.value),
                unit: entry.map(|e| e.unit.clone()).unwrap_or_default(),
                nd: match (v.numerator, v.denominator) {
                    (Some(n), Some(d)) => format!("{} / {}", number(n), number(d)),
                    _ => String::new(),
                },
                comment: v.comment.clone().unwrap_or_default(),
                state: state_key(v.state),
                state_class: v.state.as_str(),
                source: format!("{:?}", v.source).to_lowercase(),
                entered_by: v.entered_by.clone(),
                simulated: v.is_simulated(),
            }
        })
        .collect();
    let steps = state
        .store()
        .transitions(&TransitionFilter {
            region: Some(region.code.clone()),
            period: Some(period),
            ..TransitionFilter::default()
        })
        .await?
        .into_iter()
        .filter(|t| t.region_code == region.code)
        .map(|t| StepRow {
            at: t.at,
            actor: t.actor,
            from: state_key(t.from_state),
            to: state_key(t.to_state),
            values: t.values,
            reason: t.reason.unwrap_or_default(),
        })
        .collect();
    let refs: Vec<&DataValue> = all.iter().collect();
    let st = least_state(&refs);
    let me = user.user();
    let simulated = all.iter().any(DataValue::is_simulated);
    let may_approve = all.iter().any(|v| v.state == ReviewState::Submitted)
        && may_review(&monitor.inputs.hierarchy, me, &region.code).is_ok();
    Ok(DetailPage {
        page: Page::new(lang, "review", "review.title", Some(&user.0)).simulated(simulated),
        region_name: region.name.clone(),
        region: region.code,
        period: period.to_string(),
        values,
        steps,
        may_approve,
        may_publish: st == Some(ReviewState::Approved) && may_publish(me).is_ok(),
    })
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    action: String,
    #[serde(default)]
    reason: String,
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((region, period)): Path<(String, String)>,
    axum::Form(form): axum::Form<ActForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    let period = Period::parse(&period).ok_or(AppError::NotFound)?;
    let region = state
        .store()
        .region(&region)
        .await?
        .ok_or(AppError::NotFound)?;
    let monitor = state.monitor().await?;
    let h = &monitor.inputs.hierarchy;
    let me = user.user();
    let reason = form.reason.trim();
    let action = match form.action.as_str() {
        "approve" => {
            may_review(h, me, &region.code)?;
            ReviewAction::Approve
        }
        "return" => {
            may_review(h, me, &region.code)?;
            if reason.is_empty() {
                return Err(AppError::BadRequest(
                    "退回须填写理由，说明哪里需要改正 (a return needs a reason)".into(),
                ));
            }
            ReviewAction::Return
        }
        "publish" => {
            may_publish(me)?;
            if !in_scope(h, me, &region.code) {
                return Err(AppError::Forbidden(format!(
                    "您的账号（{}）无权公开地区 {} 的数据 (outside your scope)",
                    me.display_name, region.code
                )));
            }
            ReviewAction::Publish
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "未知的审核操作“{other}” (unknown action)"
            )));
        }
    };
    state
        .store()
        .review(
            &ReviewBatch::new(region.code.clone(), period),
            action,
            &me.username,
            (action == ReviewAction::Return).then_some(reason),
        )
        .await
        .map_err(|e| match refusal_text(e) {
            Ok(text) => AppError::BadRequest(text),
            Err(e) => e,
        })?;
    Ok(Redirect::to(&format!(
        "/review?done={}-{}-{}",
        action.as_str(),
        region.code,
        period
    ))
    .into_response())
}
