//! 审计: who changed what and when — the audit log ([`Store::audit`]) filtered by actor,
//! entity, key prefix and dates, a page of 100 at a time, each change's before and after shown
//! field by field; and the review transitions (审核流转: submit, approve, return, publish).
//!
//! Who sees what: the plan owner sees the whole log; a reviewer the entries whose key lies in
//! its region (keys start with the region code, so 532300's scope is the prefix `5323`); every
//! other role (department, reporter, viewer) only its own actions. The rule is
//! [`visible_filter`].
//!
//! [`Store::audit`]: minsheng_store::Store::audit

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::i18n::{Entry, Lang};
use crate::pages::beijing_time;
use crate::pages::{Page, number};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use minsheng_store::{AuditEntry, AuditFilter, Role, TransitionFilter, User};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}

/// Entries a page shows.
pub const PAGE_SIZE: i64 = 100;

/// Transitions the page shows (the newest).
const TRANSITIONS_SHOWN: usize = 50;

pub const STRINGS: &[Entry] = &[
    ("audit.title", "审计", "Audit"),
    ("audit.log", "变更记录", "Change log"),
    ("audit.transitions", "审核流转", "Review steps"),
    ("audit.actor", "操作人", "Actor"),
    ("audit.entity", "对象", "Entity"),
    ("audit.key", "编码前缀", "Key prefix"),
    (
        "audit.key_help",
        "如 5323（楚雄州及所属县）",
        "e.g. 5323 (a prefecture and its counties)",
    ),
    ("audit.since", "起始日期", "From"),
    ("audit.until", "截止日期", "To"),
    ("audit.all", "全部", "All"),
    ("audit.filter", "筛选", "Filter"),
    ("audit.reset", "清除", "Clear"),
    ("audit.at", "时间", "When"),
    ("audit.action", "操作", "Action"),
    ("audit.change", "变更内容", "Change"),
    ("audit.note", "说明", "Note"),
    ("audit.none", "没有符合条件的记录。", "No entries match."),
    ("audit.prev", "上一页", "Previous"),
    ("audit.next", "下一页", "Next"),
    ("audit.page", "页", "Page"),
    (
        "audit.scope.all",
        "您可查看全部审计记录。",
        "You see the whole log.",
    ),
    (
        "audit.scope.region",
        "您可查看本辖区的审计记录：编码以此开头：",
        "You see the entries of your region: keys starting with ",
    ),
    (
        "audit.scope.own",
        "您可查看本人的操作记录。",
        "You see your own actions.",
    ),
    ("audit.region", "地区", "Region"),
    ("audit.period", "期别", "Period"),
    ("audit.from_to", "状态", "State"),
    ("audit.count", "条数", "Values"),
    ("audit.reason", "原因", "Reason"),
    (
        "audit.no_transitions",
        "还没有审核流转。",
        "No review steps yet.",
    ),
    ("audit.more", "其余字段", "more fields"),
    ("audit.simulated", "模拟数据", "Simulated data"),
    (
        "audit.bad_date",
        "日期请写成 2025-11-22：",
        "Write dates as 2025-11-22: ",
    ),
    ("audit.entity.import", "数据导入", "Import"),
    ("audit.entity.data_value", "填报数据", "Reported value"),
    ("audit.entity.review", "审核", "Review"),
    ("audit.entity.task_progress", "任务进展", "Task progress"),
    ("audit.entity.evidence", "佐证材料", "Evidence"),
    ("audit.entity.evaluation_run", "评估", "Evaluation"),
    ("audit.entity.external_score", "外部评分", "External score"),
    ("audit.entity.plan_draft", "规划导入", "Plan draft"),
    ("audit.action.import", "导入", "import"),
    ("audit.action.insert", "新增", "insert"),
    ("audit.action.update", "修改", "update"),
    ("audit.action.submit", "报送", "submit"),
    ("audit.action.approve", "审核通过", "approve"),
    ("audit.action.return", "退回", "return"),
    ("audit.action.publish", "公开", "publish"),
    ("audit.state.draft", "草稿", "draft"),
    ("audit.state.submitted", "已报送", "submitted"),
    ("audit.state.approved", "已审核", "approved"),
    ("audit.state.returned", "已退回", "returned"),
    ("audit.state.published", "已公开", "published"),
    ("audit.key_col", "对象编码", "Key"),
    ("audit.field.published_at", "公示时间", "published at"),
    ("audit.field.published_by", "公示人", "published by"),
    ("audit.field.as_of", "评估时点", "as of"),
    ("audit.field.kind", "类型", "kind"),
    ("audit.field.plan_key", "规划", "plan"),
    ("audit.field.previous_run", "上次评估", "previous run"),
    ("audit.field.values", "数据条数", "values"),
    ("audit.field.entered_by", "填报人", "entered by"),
    ("audit.field.entered_at", "填报时间", "entered at"),
    ("audit.field.value", "数值", "value"),
    ("audit.field.state", "状态", "state"),
    ("audit.field.period", "期别", "period"),
    ("audit.field.indicator", "指标", "indicator"),
    ("audit.field.region", "地区", "region"),
    ("audit.field.count", "数量", "count"),
    ("audit.field.status", "进展状态", "status"),
    ("audit.field.comment", "备注", "comment"),
    ("audit.field.inserted", "新增", "inserted"),
    ("audit.field.updated", "更新", "updated"),
    ("audit.field.unchanged", "未变", "unchanged"),
    ("audit.field.targets", "目标", "targets"),
    ("audit.field.title", "标题", "title"),
    ("audit.field.plan_version", "规划版本", "plan version"),
];

/// The entities the filter offers.
const ENTITIES: &[&str] = &[
    "import",
    "data_value",
    "review",
    "task_progress",
    "evidence",
    "evaluation_run",
    "external_score",
    "plan_draft",
];

/// The key prefix of a region's scope: 532300 → 5323, 530000 → 53, 532301 → 532301.
pub fn scope_prefix(code: &str) -> String {
    let mut p = code.trim();
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p.to_string()
}

/// What `user` may see of the log, as a filter to narrow further; and what the page says.
pub fn visible_filter(user: &User) -> (AuditFilter, &'static str, Option<String>) {
    let mut f = AuditFilter {
        limit: Some(PAGE_SIZE + 1),
        ..AuditFilter::default()
    };
    match (user.role, user.region_code.as_deref()) {
        (Role::PlanOwner, _) | (Role::Reviewer, None) => (f, "audit.scope.all", None),
        (Role::Reviewer, Some(code)) => {
            let prefix = scope_prefix(code);
            f.key_prefix = Some(prefix.clone());
            (f, "audit.scope.region", Some(prefix))
        }
        _ => {
            f.actor = Some(user.username.clone());
            (f, "audit.scope.own", None)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: Option<i64>,
}

/// One field that changed.
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct EntryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub key: String,
    pub changes: Vec<FieldChange>,
    pub more: usize,
    pub note: String,
    pub simulated: bool,
}

pub struct TransitionRow {
    pub at: String,
    pub actor: String,
    pub region: String,
    pub period: String,
    pub indicator: String,
    pub from: String,
    pub to: String,
    pub values: i64,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    page: Page,
    q: AuditQuery,
    entities: Vec<(&'static str, String)>,
    scope_key: &'static str,
    scope_prefix: Option<String>,
    actor_fixed: bool,
    rows: Vec<EntryRow>,
    transitions: Vec<TransitionRow>,
    page_no: i64,
    prev: Option<String>,
    next: Option<String>,
    error: Option<String>,
}

fn label(lang: Lang, key: &str, fallback: &str) -> String {
    match crate::i18n::lookup(key) {
        Some((zh, en)) => if lang == Lang::Zh { zh } else { en }.to_string(),
        None => fallback.to_string(),
    }
}

fn show(v: Option<&serde_json::Value>) -> String {
    let text = match v {
        None | Some(serde_json::Value::Null) => "–".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.as_f64().map_or(n.to_string(), number),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        Some(serde_json::Value::Array(a)) => format!("[{} 项]", a.len()),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(80).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The fields that differ between `before` and `after` (all of them when one side is
/// missing), at most `max`, and how many more there were.
pub fn changes(
    lang: Lang,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
    max: usize,
) -> (Vec<FieldChange>, usize) {
    let empty = serde_json::Map::new();
    fn as_map(
        v: Option<&serde_json::Value>,
    ) -> Option<&serde_json::Map<String, serde_json::Value>> {
        v.and_then(|v| v.as_object())
    }
    let mut out = Vec::new();
    match (as_map(before), as_map(after)) {
        (None, None) if before.is_none() && after.is_none() => {}
        (None, None) => out.push(FieldChange {
            field: String::new(),
            before: show(before),
            after: show(after),
        }),
        (b, a) => {
            let (b, a) = (b.unwrap_or(&empty), a.unwrap_or(&empty));
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (x, y) = (b.get(k), a.get(k));
                if x == y {
                    continue;
                }
                out.push(FieldChange {
                    field: label(lang, &format!("audit.field.{k}"), k),
                    // Nothing before (a field that was empty): only the new value.
                    before: match x {
                        Some(v) if !v.is_null() && before.is_some() => show(x),
                        _ => String::new(),
                    },
                    after: if after.is_some() {
                        show(y)
                    } else {
                        String::new()
                    },
                });
            }
        }
    }
    let more = out.len().saturating_sub(max);
    out.truncate(max);
    (out, more)
}

fn entry_row(lang: Lang, e: &AuditEntry) -> EntryRow {
    let (changes, more) = changes(lang, e.before.as_ref(), e.after.as_ref(), 6);
    EntryRow {
        at: beijing_time(&e.at),
        actor: e.actor.clone(),
        action: label(lang, &format!("audit.action.{}", e.action), &e.action),
        entity: label(lang, &format!("audit.entity.{}", e.entity), &e.entity),
        key: e.key.clone(),
        changes,
        more,
        note: e.note.clone().unwrap_or_default(),
        simulated: e.simulated,
    }
}

/// A date the form gave (Beijing time) as the UTC time the log compares with: the day's
/// start for `since`, its last second for `until`.
fn day_bound(text: &str, end: bool) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| text.to_string())?;
    let time = if end {
        date.at(23, 59, 59, 0)
    } else {
        date.at(0, 0, 0, 0)
    };
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let ts = time.to_zoned(tz).map_err(|_| text.to_string())?.timestamp();
    Ok(Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A link to page `n` with the same filters.
fn page_link(q: &AuditQuery, n: i64) -> String {
    let pairs = [
        ("actor", q.actor.as_str()),
        ("entity", q.entity.as_str()),
        ("key", q.key.as_str()),
        ("since", q.since.as_str()),
        ("until", q.until.as_str()),
    ];
    let mut url = format!("/audit?page={n}");
    for (k, v) in pairs {
        if !v.trim().is_empty() {
            let v =
                percent_encoding::utf8_percent_encode(v.trim(), percent_encoding::NON_ALPHANUMERIC);
            url.push_str(&format!("&{k}={v}"));
        }
    }
    url
}

async fn audit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, AppError> {
    let (mut filter, scope_key, prefix) = visible_filter(user.user());
    let actor_fixed = filter.actor.is_some();
    if !actor_fixed {
        filter.actor = non_empty(&q.actor);
    }
    filter.entity = non_empty(&q.entity);
    if let Some(key) = non_empty(&q.key) {
        filter.key_prefix = match &filter.key_prefix {
            // Inside the scope: the narrower of the two.
            Some(scope) if key.starts_with(scope.as_str()) => Some(key),
            Some(scope) if scope.starts_with(key.as_str()) => Some(scope.clone()),
            // Outside it: nothing to show.
            Some(_) => Some("\u{0}".into()),
            None => Some(key),
        };
    }
    let mut error = None;
    match (day_bound(&q.since, false), day_bound(&q.until, true)) {
        (Ok(since), Ok(until)) => {
            filter.since = since;
            filter.until = until;
        }
        (Err(bad), _) | (_, Err(bad)) => {
            error = Some(format!(
                "{}{bad}",
                label(lang, "audit.bad_date", "audit.bad_date")
            ));
        }
    }
    let page_no = q.page.unwrap_or(1).max(1);
    filter.offset = Some((page_no - 1) * PAGE_SIZE);
    let mut entries = if error.is_none() {
        state.store().audit(&filter).await?
    } else {
        Vec::new()
    };
    let has_next = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let simulated = entries.iter().any(|e| e.simulated);
    let rows = entries.iter().map(|e| entry_row(lang, e)).collect();

    // Review transitions in the same scope, newest first.
    let tf = TransitionFilter {
        region: match (user.user().role, &user.user().region_code) {
            (Role::Reviewer, Some(code)) => Some(code.clone()),
            _ => None,
        },
        actor: filter.actor.clone(),
        ..TransitionFilter::default()
    };
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let all = state.store().transitions(&tf).await?;
    let transitions = all
        .iter()
        .rev()
        .take(TRANSITIONS_SHOWN)
        .map(|t| TransitionRow {
            at: beijing_time(&t.at),
            actor: t.actor.clone(),
            region: h
                .index_of(&t.region_code)
                .and_then(|i| h.name(i))
                .unwrap_or(&t.region_code)
                .to_string(),
            period: t.period.to_string(),
            indicator: t.indicator.clone().unwrap_or_default(),
            from: label(
                lang,
                &format!("audit.state.{}", t.from_state.as_str()),
                t.from_state.zh(),
            ),
            to: label(
                lang,
                &format!("audit.state.{}", t.to_state.as_str()),
                t.to_state.zh(),
            ),
            values: t.values,
            reason: t.reason.clone().unwrap_or_default(),
        })
        .collect();

    let page = Page::new(lang, "audit", "audit.title", Some(&user.0)).simulated(simulated);
    let entities = ENTITIES
        .iter()
        .map(|e| (*e, label(lang, &format!("audit.entity.{e}"), e)))
        .collect();
    let mut q = q;
    if actor_fixed {
        q.actor = user.user().username.clone();
    }
    Ok(AuditPage {
        prev: (page_no > 1).then(|| page_link(&q, page_no - 1)),
        next: has_next.then(|| page_link(&q, page_no + 1)),
        page,
        entities,
        scope_key,
        scope_prefix: prefix,
        actor_fixed,
        rows,
        transitions,
        page_no,
        error,
        q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_the_code_without_trailing_zero_pairs() {
        assert_eq!(scope_prefix("532300"), "5323");
        assert_eq!(scope_prefix("530000"), "53");
        assert_eq!(scope_prefix("532301"), "532301");
    }

    #[test]
    fn only_changed_fields_are_shown() {
        let before = serde_json::json!({"value": 4.5, "state": "draft", "region": "532301"});
        let after = serde_json::json!({"value": 4.0, "state": "draft", "region": "532301"});
        let (c, more) = changes(Lang::Zh, Some(&before), Some(&after), 6);
        assert_eq!(more, 0);
        assert_eq!(c.len(), 1);
        assert_eq!(
            (
                c[0].field.as_str(),
                c[0].before.as_str(),
                c[0].after.as_str()
            ),
            ("数值", "4.5", "4")
        );
    }

    #[test]
    fn dates_are_beijing_days() {
        assert_eq!(
            day_bound("2025-11-22", false).unwrap().as_deref(),
            Some("2025-11-21T16:00:00Z")
        );
        assert_eq!(
            day_bound("2025-11-22", true).unwrap().as_deref(),
            Some("2025-11-22T15:59:59Z")
        );
        assert!(day_bound("22/11/2025", false).is_err());
    }
}
