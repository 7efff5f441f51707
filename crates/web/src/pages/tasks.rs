//! 任务: the plans' tasks per lead unit (牵头单位) — what a unit leads and cooperates on
//! (配合), each task's progress per region (not started, in progress, done, delayed), due
//! dates, overdue flags and evidence files (佐证材料, downloadable, with their SHA-256);
//! and the form to report progress, for those [`may_update_task`] allows.
//!
//! The task list with its progress is computed once per store change; the form posts
//! multipart (evidence files) to `/tasks/progress`, which checks the form token and the
//! user's right before anything is stored, and records through
//! [`minsheng_app::tasks::record`] (the same operation as `minsheng task set`).

use crate::auth::CurrentUser;
use crate::auth::access::{may_update_task, unit_matches};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minsheng_model::Period;
use minsheng_store::{EvidenceFile, MAX_EVIDENCE_BYTES, Role, TaskFilter, TaskKey, TaskUpdate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(tasks))
        .route(
            "/tasks/progress",
            post(report).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + (1 << 20))),
        )
        .route("/tasks/evidence/{id}", get(evidence))
}

/// One region's latest reported progress on a task, for one period.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    pub region: String,
    pub region_name: String,
    pub period: String,
    pub status: &'static str,
    pub narrative: String,
    pub due: Option<String>,
    pub simulated: bool,
    pub updated_by: String,
    pub updated_at: String,
    pub evidence: Vec<EvidenceFile>,
}

impl ProgressRow {
    /// Not done, and due before `today` (`YYYY-MM-DD`).
    pub fn overdue(&self, today: &str) -> bool {
        self.status != "done" && self.due.as_deref().is_some_and(|d| d < today)
    }
}

/// A task of a stored plan.
#[derive(Debug, Clone)]
pub struct TaskEntry {
    pub plan_region: String,
    pub plan_region_name: String,
    pub plan_key: String,
    pub domain: String,
    pub number: u32,
    pub title: String,
    /// 牵头单位.
    pub lead: Vec<String>,
    /// 配合单位.
    pub cooperating: Vec<String>,
    pub progress: Vec<ProgressRow>,
}

impl TaskEntry {
    /// The anchor of the task on the page.
    pub fn anchor(&self) -> String {
        format!(
            "t-{}-{}-{}",
            self.plan_region,
            minsheng_model::domain_index(&self.domain).unwrap_or(9),
            self.number
        )
    }

    fn units(&self) -> Vec<String> {
        self.lead.iter().chain(&self.cooperating).cloned().collect()
    }
}

/// Every task of the stored plans with its progress (the cached value).
pub struct TaskData {
    pub tasks: Vec<TaskEntry>,
    /// Every unit named as lead or cooperating, with how many tasks it leads and
    /// cooperates on, most leading first.
    pub units: Vec<(String, usize, usize)>,
    pub simulated: bool,
}

async fn compute(state: AppState) -> Result<TaskData, AppError> {
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let name_of = |code: &str| {
        h.index_of(code)
            .and_then(|i| h.name(i))
            .unwrap_or(code)
            .to_string()
    };
    let mut tasks = Vec::new();
    for stored in &m.inputs.plans {
        for d in &stored.plan.domains {
            for t in &d.tasks {
                tasks.push(TaskEntry {
                    plan_region: stored.region_code.clone(),
                    plan_region_name: name_of(&stored.region_code),
                    plan_key: stored.plan_key.clone(),
                    domain: d.name.clone(),
                    number: t.number,
                    title: if t.title.is_empty() {
                        t.text.chars().take(60).collect()
                    } else {
                        t.title.clone()
                    },
                    lead: t.responsibility.lead.clone(),
                    cooperating: t.responsibility.cooperating.clone(),
                    progress: Vec::new(),
                });
            }
        }
    }
    let store = state.store();
    let mut simulated = false;
    for p in store.task_progress(&TaskFilter::default()).await? {
        let Some(task) = tasks.iter_mut().find(|t| {
            t.plan_region == p.key.plan_region
                && t.plan_key == p.key.plan_key
                && t.domain == p.key.domain
                && t.number == p.key.task
        }) else {
            continue;
        };
        simulated |= p.simulated;
        let evidence = store.evidence(&p.key).await?;
        task.progress.push(ProgressRow {
            region_name: name_of(&p.key.region),
            region: p.key.region.clone(),
            period: p.key.period.to_string(),
            status: p.status.as_str(),
            narrative: p.narrative.clone(),
            due: p.due_date.clone(),
            simulated: p.simulated,
            updated_by: p.updated_by.clone(),
            updated_at: p.updated_at.clone(),
            evidence,
        });
    }
    let mut units: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for t in &tasks {
        for u in &t.lead {
            units.entry(u).or_default().0 += 1;
        }
        for u in &t.cooperating {
            units.entry(u).or_default().1 += 1;
        }
    }
    let mut units: Vec<(String, usize, usize)> = units
        .into_iter()
        .map(|(u, (l, c))| (u.to_string(), l, c))
        .collect();
    units.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    Ok(TaskData {
        tasks,
        units,
        simulated,
    })
}

/// A task as the page shows it for the chosen unit.
pub struct TaskView {
    pub t: TaskEntry,
    /// The chosen unit leads it (else it cooperates).
    pub leads: bool,
    /// Regions the user may report for (empty: no form).
    pub regions: Vec<(String, String)>,
    pub overdue: usize,
}

/// A unit's line in the index.
pub struct UnitRow {
    pub name: String,
    pub leads: usize,
    pub cooperates: usize,
    pub reported: usize,
    pub done: usize,
    pub overdue: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_matches_its_counterparts_at_other_levels() {
        assert!(same_unit("州卫生健康委", "省卫生健康委"));
        assert!(same_unit("省卫生健康委", "省卫生健康委"));
        assert!(!same_unit("州教育体育局", "省卫生健康委"));
        assert_eq!(unit_stem("省"), "省");
    }

    #[test]
    fn reports_made_today_are_for_the_current_quarter() {
        assert_eq!(current_quarter("2025-11-30"), "2025Q4");
        assert_eq!(current_quarter("2026-01-01"), "2026Q1");
        assert_eq!(current_quarter("2026-06-30"), "2026Q2");
    }
}

#[derive(Deserialize)]
pub struct TasksQuery {
    pub unit: Option<String>,
    pub saved: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/index.html")]
struct TasksPage {
    page: Page,
    unit: String,
    units: Vec<(String, usize, usize)>,
    index: Vec<UnitRow>,
    views: Vec<TaskView>,
    today: String,
    period: String,
    saved: bool,
    statuses: [&'static str; 4],
}

const TASK_STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "delayed"];

/// The period a report made today is for: the current quarter in China.
fn current_quarter(today: &str) -> String {
    let year = today.get(..4).unwrap_or("2025");
    let month: u32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{year}Q{}", month.div_ceil(3))
}

async fn tasks(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<TasksQuery>,
) -> Result<TasksPage, AppError> {
    let data: Arc<TaskData> = state.cached("tasks", compute).await?;
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let u = user.user();
    // A department sees its own unit unless it asks for another (or for all: ?unit=).
    let unit = match q.unit {
        Some(unit) => unit.trim().to_string(),
        None if u.role == Role::Department => u.unit.clone().unwrap_or_default(),
        None => String::new(),
    };
    let today = minsheng_store::today_in_china();
    let mut views = Vec::new();
    let mut index = Vec::new();
    if unit.is_empty() {
        for (name, leads, cooperates) in &data.units {
            let mine: Vec<&TaskEntry> = data
                .tasks
                .iter()
                .filter(|t| t.units().iter().any(|x| x == name))
                .collect();
            index.push(UnitRow {
                name: name.clone(),
                leads: *leads,
                cooperates: *cooperates,
                reported: mine.iter().filter(|t| !t.progress.is_empty()).count(),
                done: mine
                    .iter()
                    .filter(|t| t.progress.iter().any(|p| p.status == "done"))
                    .count(),
                overdue: mine
                    .iter()
                    .filter(|t| t.progress.iter().any(|p| p.overdue(&today)))
                    .count(),
            });
        }
    } else {
        for t in &data.tasks {
            let leads = t.lead.iter().any(|l| same_unit(l, &unit));
            if !leads && !t.cooperating.iter().any(|c| same_unit(c, &unit)) {
                continue;
            }
            let units = t.units();
            let regions = h
                .index_of(&t.plan_region)
                .map(|r| {
                    std::iter::once(r)
                        .chain(h.children(r).iter().copied())
                        .filter(|&c| may_update_task(h, u, &units, h.code(c)).is_ok())
                        .map(|c| (h.code(c).to_string(), h.name(c).unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            views.push(TaskView {
                overdue: t.progress.iter().filter(|p| p.overdue(&today)).count(),
                t: t.clone(),
                leads,
                regions,
            });
        }
        // What the unit leads first.
        views.sort_by_key(|v| !v.leads);
    }
    let page = Page::new(lang, "tasks", "tasks.title", Some(&user.0)).simulated(data.simulated);
    let mut units = data.units.clone();
    if !unit.is_empty() && !units.iter().any(|u| u.0 == unit) {
        units.insert(0, (unit.clone(), 0, 0));
    }
    Ok(TasksPage {
        page,
        unit,
        units,
        index,
        views,
        period: current_quarter(&today),
        today,
        saved: q.saved.is_some(),
        statuses: TASK_STATUSES,
    })
}

/// A unit's name without its level (省卫生健康委 → 卫生健康委), so that a department sees
/// the tasks its counterparts lead in the prefectures' plans (reporting on them is still
/// for those [`may_update_task`] allows).
fn unit_stem(unit: &str) -> &str {
    let unit = unit.trim();
    match unit.strip_prefix(['省', '州', '市', '县', '区']) {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => unit,
    }
}

/// Whether a unit a plan names is the chosen one, or its counterpart at another level.
fn same_unit(named: &str, chosen: &str) -> bool {
    unit_matches(named, chosen) || unit_matches(unit_stem(named), unit_stem(chosen))
}

/// What the progress form sends, read from its multipart body.
#[derive(Default)]
struct ProgressForm {
    csrf: String,
    plan_region: String,
    plan_key: String,
    domain: String,
    task: String,
    region: String,
    period: String,
    status: String,
    narrative: String,
    due: String,
    unit: String,
    files: Vec<minsheng_app::tasks::Evidence>,
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::BadRequest(message.into())
}

async fn read_form(mut multipart: Multipart) -> Result<ProgressForm, AppError> {
    let too_big = || {
        bad(format!(
            "上传的内容过大：每次最多 {} MB，请压缩或分次上传佐证材料",
            MAX_EVIDENCE_BYTES / 1024 / 1024
        ))
    };
    let mut form = ProgressForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let content = field.bytes().await.map_err(|_| too_big())?;
            if file_name.trim().is_empty() && content.is_empty() {
                continue; // the file input left empty
            }
            if content.len() > MAX_EVIDENCE_BYTES {
                return Err(too_big());
            }
            if content.is_empty() {
                return Err(bad(format!("佐证材料“{file_name}”是空文件，请重新选择")));
            }
            form.files.push(minsheng_app::tasks::Evidence {
                file_name,
                content: content.to_vec(),
            });
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| bad("表单内容无法读取，请刷新页面后重试"))?;
        let slot = match name.as_str() {
            "csrf" => &mut form.csrf,
            "plan_region" => &mut form.plan_region,
            "plan_key" => &mut form.plan_key,
            "domain" => &mut form.domain,
            "task" => &mut form.task,
            "region" => &mut form.region,
            "period" => &mut form.period,
            "status" => &mut form.status,
            "narrative" => &mut form.narrative,
            "due" => &mut form.due,
            "unit" => &mut form.unit,
            _ => continue,
        };
        *slot = text;
    }
    Ok(form)
}

/// `POST /tasks/progress`: records a region's progress on a task, with evidence files.
async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let form = read_form(multipart).await?;
    user.check_csrf(&form.csrf)?;
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let number: u32 = form
        .task
        .trim()
        .parse()
        .map_err(|_| bad("找不到该任务，请刷新页面后重试"))?;
    let task = minsheng_app::tasks::find_task(
        &m.inputs.plans,
        form.plan_region.trim(),
        form.plan_key.trim(),
        form.domain.trim(),
        number,
    )
    .ok_or_else(|| bad("找不到该任务：规划可能已更新，请刷新页面后重试"))?;
    let region = form.region.trim();
    if h.index_of(region).is_none() {
        return Err(bad(format!("没有代码为“{region}”的地区，请从列表中选择")));
    }
    let units: Vec<String> = task
        .responsibility
        .lead
        .iter()
        .chain(&task.responsibility.cooperating)
        .cloned()
        .collect();
    may_update_task(h, user.user(), &units, region)?;
    let Some(status) = minsheng_store::TaskStatus::parse(form.status.trim()) else {
        return Err(bad("请选择任务状态：未启动、推进中、已完成或滞后"));
    };
    let Some(period) = Period::parse(form.period.trim()) else {
        return Err(bad(format!(
            "统计期“{}”无法识别，请写成 2025Q4（季度）、2025（年）或 202511（月）",
            form.period.trim()
        )));
    };
    let due = form.due.trim();
    if !due.is_empty() && minsheng_store::check_date("the due date", due).is_err() {
        return Err(bad(format!(
            "完成时限“{due}”不是有效日期，请写成 2025-12-31"
        )));
    }
    let key = TaskKey {
        plan_region: form.plan_region.trim().to_string(),
        plan_key: form.plan_key.trim().to_string(),
        domain: form.domain.trim().to_string(),
        task: number,
        region: region.to_string(),
        period,
    };
    let update = TaskUpdate {
        status,
        narrative: form.narrative.trim().to_string(),
        due_date: (!due.is_empty()).then(|| due.to_string()),
        simulated: false,
    };
    minsheng_app::tasks::record(
        state.store(),
        &key,
        &update,
        &form.files,
        &user.user().username,
    )
    .await
    .map_err(|e| bad(format!("保存失败，请检查填写的内容（{e}）")))?;
    let anchor = TaskEntry {
        plan_region: key.plan_region.clone(),
        plan_region_name: String::new(),
        plan_key: key.plan_key.clone(),
        domain: key.domain.clone(),
        number,
        title: String::new(),
        lead: Vec::new(),
        cooperating: Vec::new(),
        progress: Vec::new(),
    }
    .anchor();
    let unit =
        percent_encoding::utf8_percent_encode(form.unit.trim(), percent_encoding::NON_ALPHANUMERIC);
    Ok(Redirect::to(&format!("/tasks?unit={unit}&saved=1#{anchor}")).into_response())
}

/// `GET /tasks/evidence/{id}`: an evidence file as stored (its checksum checked by the
/// store), with its SHA-256 in a header.
async fn evidence(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some((file, content)) = state.store().evidence_file(id).await? else {
        return Err(AppError::NotFound);
    };
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let utf8 =
        percent_encoding::utf8_percent_encode(&file.file_name, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}");
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-checksum-sha256"),
                file.sha256.clone(),
            ),
        ],
        content,
    )
        .into_response())
}

/// The strings of the task pages.
pub const STRINGS: &[crate::i18n::Entry] = &[
    ("tasks.title", "任务", "Tasks"),
    ("tasks.unit", "牵头单位", "Lead unit"),
    ("tasks.choose_unit", "选择单位", "Choose a unit"),
    ("tasks.all_units", "全部单位", "All units"),
    ("tasks.show", "查看", "Show"),
    (
        "tasks.index_hint",
        "各单位牵头和配合的规划任务。选择一个单位查看其任务、进展和佐证材料。",
        "The plans' tasks each unit leads or cooperates on. Choose a unit to see its tasks, progress and evidence.",
    ),
    ("tasks.leads", "牵头任务", "Leads"),
    ("tasks.cooperates", "配合任务", "Cooperates"),
    ("tasks.reported", "已报进展", "With progress"),
    ("tasks.done", "已完成", "Done"),
    ("tasks.overdue", "逾期", "Overdue"),
    ("tasks.role_lead", "牵头", "Lead"),
    ("tasks.role_cooperate", "配合", "Cooperating"),
    ("tasks.plan", "规划", "Plan"),
    ("tasks.lead_units", "牵头单位", "Lead units"),
    ("tasks.cooperating_units", "配合单位", "Cooperating units"),
    (
        "tasks.no_progress",
        "尚未报送进展",
        "No progress reported yet",
    ),
    ("tasks.region", "地区", "Region"),
    ("tasks.period", "统计期", "Period"),
    ("tasks.status", "状态", "Status"),
    ("tasks.due", "完成时限", "Due"),
    ("tasks.narrative", "进展情况", "What was done"),
    ("tasks.evidence", "佐证材料", "Evidence"),
    ("tasks.checksum", "校验值 SHA-256", "SHA-256"),
    ("tasks.updated_by", "报送人", "Reported by"),
    ("tasks.update", "报送进展", "Report progress"),
    ("tasks.save", "保存进展", "Save progress"),
    (
        "tasks.evidence_hint",
        "可多选；单个文件不超过 100 MB，保存时记录 SHA-256 校验值。",
        "Several files allowed, each up to 100 MB; their SHA-256 is kept.",
    ),
    ("tasks.saved", "进展已保存。", "Progress saved."),
    (
        "tasks.none",
        "没有找到该单位牵头或配合的任务。",
        "No tasks led or shared by this unit.",
    ),
    ("tasks.count", "项任务", "tasks"),
    ("tasks.simulated", "模拟数据", "模拟数据"),
    (
        "tasks.period_hint",
        "如 2025Q4、2025 或 202511",
        "e.g. 2025Q4, 2025 or 202511",
    ),
];
