//! 规划导入: a new plan document uploaded (txt, docx or pdf), ingested by `minsheng-ingest`,
//! and reviewed before it enters the store — the extracted structure (region, title, years,
//! domains → tasks → targets) beside the cleaned source text with every target's quote
//! highlighted, the cleaning report, each target correctable (indicator wording, comparison,
//! value, unit, year) or removable; approval stores it as a new version of its region's plan
//! (`minsheng_app::plans::save`).
//!
//! Between upload and approval the draft lives in the store (`plan_drafts`), so a review
//! survives a restart and works across server processes. Uploading, correcting and approving
//! are the plan owner's ([`may_publish`]); everyone signed in may read the drafts. A file that
//! cannot be read, or whose region cannot be told, is refused in plain words with nothing
//! stored.

use crate::auth::CurrentUser;
use crate::auth::access::may_publish;
use crate::error::AppError;
use crate::i18n::{Entry, Lang};
use crate::pages::Page;
use crate::pages::beijing_time;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minsheng_ingest::IngestError;
use minsheng_model::{CleaningKind, Op, Plan, Target, TargetKind};
use minsheng_store::{NewPlanDraft, PlanDraft, StoreError};
use serde::Deserialize;

/// The largest document accepted.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/ingest",
            get(list)
                .post(upload)
                // The document plus the form around it.
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/ingest/{id}", get(review).post(decide))
}

pub const STRINGS: &[Entry] = &[
    ("ingest.title", "规划导入", "Plan ingestion"),
    ("ingest.upload", "上传规划文件", "Upload a plan document"),
    (
        "ingest.upload_help",
        "支持 .txt（UTF-8、GB18030）、.docx 和 .pdf，不超过 20 MB。系统自动识别地区、年限、领域、任务和量化目标，审核无误后再入库。",
        "A .txt (UTF-8, GB18030), .docx or .pdf file up to 20 MB. Region, years, domains, tasks and quantified targets are extracted for you to check before anything is stored.",
    ),
    ("ingest.file", "文件", "File"),
    ("ingest.submit", "上传并识别", "Upload and extract"),
    (
        "ingest.only_owner",
        "只有规划主管可以导入规划。",
        "Only the plan owner loads plans.",
    ),
    ("ingest.drafts", "待审核的规划", "Drafts under review"),
    ("ingest.approved_list", "已入库", "Approved"),
    ("ingest.none", "没有待审核的规划。", "No draft is waiting."),
    ("ingest.region", "地区", "Region"),
    ("ingest.plan_title", "标题", "Title"),
    ("ingest.years", "年限", "Years"),
    ("ingest.targets", "目标", "Targets"),
    ("ingest.tasks", "任务", "Tasks"),
    ("ingest.uploaded", "上传", "Uploaded"),
    ("ingest.status", "状态", "Status"),
    ("ingest.under_review", "待审核", "Under review"),
    ("ingest.approved_as", "已入库，版本", "Approved as version"),
    ("ingest.structure", "识别结果", "Extracted structure"),
    ("ingest.source", "原文（清理后）", "Source text (cleaned)"),
    (
        "ingest.source_help",
        "黄色标记为识别出的目标原文，点击目标编号可跳转。",
        "Highlighted: each target's words; click a target's number to jump to them.",
    ),
    ("ingest.cleaning", "清理记录", "Cleaning report"),
    (
        "ingest.no_cleaning",
        "原文无需清理。",
        "Nothing needed cleaning.",
    ),
    ("ingest.times", "次", "times"),
    ("ingest.removed", "（删除）", "(removed)"),
    ("ingest.indicator", "指标表述", "Indicator wording"),
    ("ingest.op", "比较", "Comparison"),
    ("ingest.value", "数值", "Value"),
    ("ingest.unit", "单位", "Unit"),
    ("ingest.year", "年份", "Year"),
    ("ingest.delete", "删除", "Delete"),
    ("ingest.linked", "指标库", "Catalog"),
    ("ingest.unlinked", "未关联指标库", "Not in the catalog"),
    (
        "ingest.not_found",
        "原文中未定位",
        "Not located in the text",
    ),
    ("ingest.lead", "牵头", "Lead"),
    ("ingest.general", "总体目标", "Plan-wide"),
    (
        "ingest.other_targets",
        "领域内其他目标",
        "Other targets of the domain",
    ),
    ("ingest.save", "保存修改", "Save corrections"),
    ("ingest.approve", "批准入库", "Approve into the store"),
    (
        "ingest.approve_help",
        "入库后作为该地区规划的新版本保存，旧版本保留。",
        "Stored as a new version of the region's plan; earlier versions are kept.",
    ),
    ("ingest.saved", "修改已保存。", "Corrections saved."),
    (
        "ingest.done",
        "已入库。该规划现为此版本：",
        "Approved. The plan is now version ",
    ),
    ("ingest.back", "返回规划导入", "Back to plan ingestion"),
    ("ingest.kind.target", "目标", "target"),
    ("ingest.kind.annual", "年度目标", "annual"),
    ("ingest.kind.baseline", "基数", "baseline"),
    ("ingest.op.ge", "≥ 不低于", "≥ at least"),
    ("ingest.op.le", "≤ 不高于", "≤ at most"),
    ("ingest.op.eq", "= 等于", "= equal"),
    ("ingest.clean.encoding", "编码转换", "Encoding"),
    ("ingest.clean.characters", "字符规范化", "Characters"),
    ("ingest.clean.whitespace", "空白合并", "White space"),
    ("ingest.clean.page_footer", "页眉页脚", "Page footers"),
    (
        "ingest.clean.repeated_header",
        "重复表头",
        "Repeated headers",
    ),
    ("ingest.clean.web_chrome", "网页杂项", "Web page chrome"),
    ("ingest.clean.spam", "垃圾广告", "Spam"),
    ("ingest.clean.ocr_repair", "识别错误修复", "OCR repair"),
];

fn kind_key(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Target => "ingest.kind.target",
        TargetKind::Annual => "ingest.kind.annual",
        TargetKind::Baseline => "ingest.kind.baseline",
    }
}

fn cleaning_key(k: CleaningKind) -> &'static str {
    match k {
        CleaningKind::Encoding => "ingest.clean.encoding",
        CleaningKind::Characters => "ingest.clean.characters",
        CleaningKind::Whitespace => "ingest.clean.whitespace",
        CleaningKind::PageFooter => "ingest.clean.page_footer",
        CleaningKind::RepeatedHeader => "ingest.clean.repeated_header",
        CleaningKind::WebChrome => "ingest.clean.web_chrome",
        CleaningKind::Spam => "ingest.clean.spam",
        CleaningKind::OcrRepair => "ingest.clean.ocr_repair",
    }
}

// ---------------------------------------------------------------------------------------
// The list and the upload.

pub struct DraftRow {
    pub id: i64,
    pub file_name: String,
    pub title: String,
    pub region: String,
    pub years: String,
    pub targets: usize,
    pub created: String,
    pub created_by: String,
    pub version: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "ingest/list.html")]
pub struct ListPage {
    page: Page,
    may_upload: bool,
    drafts: Vec<DraftRow>,
    approved: Vec<DraftRow>,
    error: Option<String>,
}

fn years(plan: &Plan) -> String {
    plan.years
        .map_or("–".into(), |y| format!("{}–{}", y[0], y[1]))
}

async fn region_name(state: &AppState, code: &str) -> String {
    match state.store().region(code).await {
        Ok(Some(r)) => r.name,
        _ => code.to_string(),
    }
}

async fn draft_row(state: &AppState, d: &PlanDraft) -> DraftRow {
    DraftRow {
        id: d.id,
        file_name: d.file_name.clone(),
        title: d.plan.title.clone(),
        region: region_name(state, &d.region_code).await,
        years: years(&d.plan),
        targets: d.plan.targets.len(),
        created: beijing_time(&d.created_at),
        created_by: d.created_by.clone(),
        version: d.plan_version,
    }
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let all = state.store().plan_drafts(true).await?;
    let mut drafts = Vec::new();
    let mut approved = Vec::new();
    for d in &all {
        let row = draft_row(state, d).await;
        if d.is_approved() {
            if approved.len() < 10 {
                approved.push(row);
            }
        } else {
            drafts.push(row);
        }
    }
    Ok(ListPage {
        page: Page::new(lang, "ingest", "ingest.title", Some(&user.0)),
        may_upload: may_publish(user.user()).is_ok(),
        drafts,
        approved,
        error,
    })
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ListPage, AppError> {
    list_page(&state, lang, &user, None).await
}

/// Why a document could not be read, in words for the person who uploaded it.
pub fn unreadable(name: &str, e: &IngestError) -> String {
    match e {
        IngestError::Empty { .. } => format!("文件“{name}”是空的，请检查后重新上传。"),
        IngestError::Unsupported { .. } => format!(
            "文件“{name}”不是可以识别的规划文件。请上传 .txt（UTF-8 或 GB18030 编码）、.docx 或 .pdf 格式的规划文本。"
        ),
        IngestError::Damaged { .. } => {
            format!("文件“{name}”已损坏或不完整，请重新导出或重新上传。")
        }
        IngestError::Undecodable { .. } => format!(
            "文件“{name}”的文字编码无法识别，请另存为 UTF-8 编码的 .txt 或 .docx 后再上传。"
        ),
        IngestError::Io { .. } => format!("无法读取文件“{name}”，请重新上传。"),
    }
}

/// POST /ingest (multipart: `csrf` first, then `file`): ingests the document and keeps it as a
/// draft; shows the review page. Refused with a plain reason, nothing stored, when the file
/// cannot be read or its region cannot be told.
async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let too_big = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BadRequest(format!(
                "文件超过 {} MB，无法上传。请压缩或拆分后再试。",
                MAX_UPLOAD_BYTES / (1024 * 1024)
            ))
        } else {
            AppError::BadRequest("上传未完成，请重新选择文件上传。".into())
        }
    };
    // The form token comes first, so nothing of the file is read for a forged request.
    let first = multipart.next_field().await.map_err(too_big)?;
    let csrf = match first {
        Some(f) if f.name() == Some("csrf") => f.text().await.map_err(too_big)?,
        _ => String::new(),
    };
    user.check_csrf(&csrf)?;
    may_publish(user.user())?;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(too_big)? {
        if field.name() == Some("file") {
            let name = field
                .file_name()
                .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "未命名文件".to_string());
            let bytes = field.bytes().await.map_err(too_big)?;
            file = Some((name, bytes));
        }
    }
    let refuse = |message: String| async {
        let page = list_page(&state, lang, &user, Some(message)).await?;
        Ok::<_, AppError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse("请选择要上传的规划文件（文件不能为空）。".into()).await;
    };
    let doc = std::path::Path::new(&name);
    let ingested = match tokio::task::spawn_blocking({
        let bytes = bytes.clone();
        let doc = doc.to_path_buf();
        move || minsheng_ingest::ingest_bytes(&doc, &bytes)
    })
    .await
    .map_err(AppError::internal)?
    {
        Ok(i) => i,
        Err(e) => return refuse(unreadable(&name, &e)).await,
    };
    let plan = ingested.plan;
    let Some(region_name) = plan.region.clone() else {
        return refuse(format!(
            "未能从文件“{name}”的标题中识别规划所属地区（标题应写明地区，如“云南省基本公共服务提升三年行动计划”），未保存任何内容。"
        ))
        .await;
    };
    let region = match state.store().resolve_region(&region_name).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            return refuse(format!(
                "文件“{name}”的规划地区“{region_name}”不在地区列表中，未保存任何内容。"
            ))
            .await;
        }
        Err(StoreError::AmbiguousRegion { candidates, .. }) => {
            return refuse(format!(
                "文件“{name}”的规划地区“{region_name}”有重名（{}），请在标题中写明全称后再上传，未保存任何内容。",
                candidates.join("、")
            ))
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let id = state
        .store()
        .save_plan_draft(&NewPlanDraft {
            file_name: &name,
            region_code: &region.code,
            plan: &plan,
            source_text: &ingested.cleaned_text,
            created_by: &user.user().username,
        })
        .await?;
    Ok(Redirect::to(&format!("/ingest/{id}")).into_response())
}

// ---------------------------------------------------------------------------------------
// The review.

/// A piece of the source text, marked when it is a target's quote.
pub struct Segment {
    pub text: String,
    /// The target (index) whose quote this is.
    pub mark: Option<usize>,
}

/// Where each quote stands in `text` (byte ranges), matched with white space ignored (the
/// quotes come from the text with line breaks joined). Quotes are searched in order from
/// where the previous one was found, then from the start.
pub fn locate(text: &str, quotes: &[&str]) -> Vec<Option<std::ops::Range<usize>>> {
    // The text without white space, and each kept character's range in the original.
    let mut stripped = String::with_capacity(text.len());
    let mut spans: Vec<(usize, usize, usize)> = Vec::new(); // (stripped start, start, end)
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            spans.push((stripped.len(), at, at + c.len_utf8()));
            stripped.push(c);
        }
    }
    let mut cursor = 0;
    quotes
        .iter()
        .map(|q| {
            let q: String = q.chars().filter(|c| !c.is_whitespace()).collect();
            if q.is_empty() {
                return None;
            }
            let found = stripped
                .get(cursor..)
                .and_then(|rest| rest.find(&q).map(|i| i + cursor))
                .or_else(|| stripped.find(&q))?;
            let first = spans.binary_search_by_key(&found, |s| s.0).ok()?;
            let last_start = found + q.len() - q.chars().last().map_or(0, char::len_utf8);
            let last = spans.binary_search_by_key(&last_start, |s| s.0).ok()?;
            cursor = found;
            Some(spans[first].1..spans[last].2)
        })
        .collect()
}

/// The text cut into plain and marked pieces; overlapping quotes keep the first.
pub fn segments(text: &str, ranges: &[Option<std::ops::Range<usize>>]) -> Vec<Segment> {
    let mut marks: Vec<(usize, std::ops::Range<usize>)> = ranges
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.clone().map(|r| (i, r)))
        .collect();
    marks.sort_by_key(|(i, r)| (r.start, *i));
    let mut out = Vec::new();
    let mut at = 0;
    for (i, r) in marks {
        if r.start < at {
            continue;
        }
        if r.start > at {
            out.push(Segment {
                text: text[at..r.start].to_string(),
                mark: None,
            });
        }
        out.push(Segment {
            text: text[r.clone()].to_string(),
            mark: Some(i),
        });
        at = r.end;
    }
    if at < text.len() {
        out.push(Segment {
            text: text[at..].to_string(),
            mark: None,
        });
    }
    out
}

pub struct TargetView {
    pub i: usize,
    pub kind: &'static str,
    pub indicator: String,
    pub op: &'static str,
    pub value: String,
    pub unit: String,
    pub year: String,
    pub quote: String,
    /// The anchor of its highlighted quote, if located.
    pub anchor: Option<usize>,
    pub linked: Option<String>,
}

pub struct TaskView {
    pub number: u32,
    pub title: String,
    pub lead: String,
    pub targets: Vec<TargetView>,
}

pub struct DomainView {
    pub name: String,
    pub tasks: Vec<TaskView>,
    /// Targets of the domain outside any task.
    pub loose: Vec<TargetView>,
}

pub struct NoteView {
    pub kind: &'static str,
    pub original: String,
    pub replacement: String,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "ingest/review.html")]
pub struct ReviewPage {
    page: Page,
    id: i64,
    file_name: String,
    title: String,
    region: String,
    years: String,
    created: String,
    created_by: String,
    version: Option<i64>,
    editable: bool,
    general: Vec<TargetView>,
    domains: Vec<DomainView>,
    target_count: usize,
    task_count: usize,
    segments: Vec<Segment>,
    notes: Vec<NoteView>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReviewQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    approved: Option<String>,
}

fn short(text: &str, n: usize) -> String {
    if text.chars().count() > n {
        format!("{}…", text.chars().take(n).collect::<String>())
    } else {
        text.to_string()
    }
}

async fn review_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    draft: &PlanDraft,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<ReviewPage, AppError> {
    let plan = &draft.plan;
    let catalog = minsheng_app::catalog().map_err(AppError::internal)?;
    let links = minsheng_app::plans::link_targets(&catalog, plan);
    let quotes: Vec<&str> = plan.targets.iter().map(|t| t.quote.as_str()).collect();
    let ranges = locate(&draft.source_text, &quotes);
    let segments = segments(&draft.source_text, &ranges);
    let shown: std::collections::HashSet<usize> = segments.iter().filter_map(|s| s.mark).collect();
    let view = |i: usize, t: &Target| TargetView {
        i,
        kind: kind_key(t.kind),
        indicator: t.indicator.clone(),
        op: t.op.as_str(),
        value: format!("{}", t.value),
        unit: t.unit.clone(),
        year: t.year.map(|y| y.to_string()).unwrap_or_default(),
        quote: short(&t.quote, 60),
        anchor: shown.contains(&i).then_some(i),
        linked: links
            .get(i)
            .cloned()
            .flatten()
            .map(|id| catalog.get(&id).map_or(id.clone(), |e| e.name.clone())),
    };
    let mut placed = vec![false; plan.targets.len()];
    let domains: Vec<DomainView> = plan
        .domains
        .iter()
        .map(|d| {
            let tasks = d
                .tasks
                .iter()
                .map(|task| TaskView {
                    number: task.number,
                    title: if task.title.is_empty() {
                        short(&task.text, 40)
                    } else {
                        task.title.clone()
                    },
                    lead: task.responsibility.lead.join("、"),
                    targets: plan
                        .targets
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| t.domain == d.name && t.task == Some(task.number))
                        .map(|(i, t)| {
                            placed[i] = true;
                            view(i, t)
                        })
                        .collect(),
                })
                .collect();
            let loose_at: Vec<usize> = plan
                .targets
                .iter()
                .enumerate()
                .filter(|(i, t)| t.domain == d.name && !placed[*i])
                .map(|(i, _)| i)
                .collect();
            let loose = loose_at
                .into_iter()
                .map(|i| {
                    placed[i] = true;
                    view(i, &plan.targets[i])
                })
                .collect();
            DomainView {
                name: d.name.clone(),
                tasks,
                loose,
            }
        })
        .collect();
    let general = plan
        .targets
        .iter()
        .enumerate()
        .filter(|(i, _)| !placed[*i])
        .map(|(i, t)| view(i, t))
        .collect();
    let notes = plan
        .cleaning
        .iter()
        .map(|n| NoteView {
            kind: cleaning_key(n.kind),
            original: short(&n.original, 40),
            replacement: short(&n.replacement, 40),
            count: n.count,
        })
        .collect();
    Ok(ReviewPage {
        page: Page::new(lang, "ingest", "ingest.title", Some(&user.0)),
        id: draft.id,
        file_name: draft.file_name.clone(),
        title: plan.title.clone(),
        region: region_name(state, &draft.region_code).await,
        years: years(plan),
        created: beijing_time(&draft.created_at),
        created_by: draft.created_by.clone(),
        version: draft.plan_version,
        editable: !draft.is_approved() && may_publish(user.user()).is_ok(),
        general,
        task_count: plan.domains.iter().map(|d| d.tasks.len()).sum(),
        target_count: plan.targets.len(),
        domains,
        segments,
        notes,
        notice,
        error,
    })
}

async fn load(state: &AppState, id: i64) -> Result<PlanDraft, AppError> {
    state
        .store()
        .plan_draft(id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn review(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> Result<ReviewPage, AppError> {
    let draft = load(&state, id).await?;
    let notice = if q.approved.is_some() {
        Some("ingest.done")
    } else if q.saved.is_some() {
        Some("ingest.saved")
    } else {
        None
    };
    review_page(&state, lang, &user, &draft, notice, None).await
}

/// The reviewer's corrections applied to `plan`: fields `t{i}.indicator`, `t{i}.op`,
/// `t{i}.value`, `t{i}.unit`, `t{i}.year`, `t{i}.delete`. A field not sent leaves the target
/// as it was. All or nothing: the first mistake is returned, naming the target.
pub fn apply_edits(plan: &Plan, fields: &[(String, String)]) -> Result<Plan, String> {
    let get = |i: usize, name: &str| {
        let key = format!("t{i}.{name}");
        fields
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    let mut out = plan.clone();
    let mut kept = Vec::with_capacity(plan.targets.len());
    for (i, t) in plan.targets.iter().enumerate() {
        let n = i + 1;
        if get(i, "delete").is_some() {
            continue;
        }
        let mut t = t.clone();
        if let Some(indicator) = get(i, "indicator") {
            if indicator.is_empty() {
                return Err(format!("第 {n} 条目标的指标表述不能为空。"));
            }
            t.indicator = indicator;
        }
        if let Some(op) = get(i, "op") {
            t.op = match op.as_str() {
                ">=" => Op::AtLeast,
                "<=" => Op::AtMost,
                "=" => Op::Equal,
                other => return Err(format!("第 {n} 条目标的比较方式“{other}”无法识别。")),
            };
        }
        if let Some(value) = get(i, "value") {
            let v: f64 = value
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| format!("第 {n} 条目标的数值“{value}”不是数字。"))?;
            if v != t.value {
                t.value = v;
                t.value_max = t.value_max.filter(|m| *m >= v);
            }
        }
        if let Some(unit) = get(i, "unit") {
            t.unit = unit;
        }
        if let Some(year) = get(i, "year") {
            t.year = if year.is_empty() {
                None
            } else {
                Some(
                    year.parse::<i32>()
                        .ok()
                        .filter(|y| (1949..=2100).contains(y))
                        .ok_or_else(|| {
                            format!("第 {n} 条目标的年份“{year}”不是有效年份（如 2025）。")
                        })?,
                )
            };
        }
        kept.push(t);
    }
    out.targets = kept;
    Ok(out)
}

/// POST /ingest/{id}: save the corrections (`action=save`) or save them and approve the plan
/// into the store (`action=approve`). Plan owner only.
async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    user.check_csrf(field("csrf"))?;
    may_publish(user.user())?;
    let draft = load(&state, id).await?;
    if draft.is_approved() {
        return Err(AppError::BadRequest(format!(
            "该规划草稿已入库（版本 {}），不能再修改。",
            draft.plan_version.unwrap_or_default()
        )));
    }
    let refuse = |message: String| async {
        let page = review_page(&state, lang, &user, &draft, None, Some(message)).await?;
        Ok::<_, AppError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let plan = match apply_edits(&draft.plan, &fields) {
        Ok(p) => p,
        Err(message) => return refuse(format!("{message}未保存任何修改。")).await,
    };
    let actor = &user.user().username;
    let approve = field("action") == "approve";
    if approve {
        let catalog = minsheng_app::catalog().map_err(AppError::internal)?;
        // Stored first, then the draft marked: a failure in between leaves the draft open to
        // approve again (a second version, never a lost one).
        let loaded =
            match minsheng_app::plans::save(state.store(), &catalog, &plan, &draft.file_name).await
            {
                Ok(l) => l,
                Err(minsheng_app::AppError::Refused(m)) => {
                    return refuse(format!("无法入库：{m}")).await;
                }
                Err(e) => return Err(AppError::internal(e)),
            };
        if plan != draft.plan {
            state.store().update_plan_draft(id, &plan, actor).await?;
        }
        state
            .store()
            .approve_plan_draft(id, loaded.version, actor)
            .await?;
        Ok(Redirect::to(&format!("/ingest/{id}?approved=1")).into_response())
    } else {
        if plan != draft.plan {
            state.store().update_plan_draft(id, &plan, actor).await?;
        }
        Ok(Redirect::to(&format!("/ingest/{id}?saved=1")).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_across_line_breaks() {
        let text = "一、目标\n到2025年，婴儿死亡率\n控制在4.5‰以下。孕产妇死亡率控制在10/10万。";
        let ranges = locate(
            text,
            &["婴儿死亡率控制在4.5‰以下", "不存在的句子", "孕产妇死亡率"],
        );
        let r = ranges[0].clone().unwrap();
        assert_eq!(&text[r], "婴儿死亡率\n控制在4.5‰以下");
        assert!(ranges[1].is_none());
        let segs = segments(text, &ranges);
        let marked: Vec<_> = segs.iter().filter(|s| s.mark.is_some()).collect();
        assert_eq!(marked.len(), 2);
        assert_eq!(marked[1].text, "孕产妇死亡率");
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text, "nothing of the text is lost");
    }

    #[test]
    fn edits_apply_all_or_nothing() {
        let t = |indicator: &str, value: f64| Target {
            domain: "病有所医".into(),
            task: None,
            kind: TargetKind::Target,
            indicator: indicator.into(),
            op: Op::AtMost,
            value,
            value_max: None,
            unit: "‰".into(),
            year: Some(2025),
            scope: None,
            quote: String::new(),
            repaired: false,
        };
        let plan = Plan {
            targets: vec![t("婴儿死亡率", 4.5), t("孕产妇死亡率", 10.0)],
            ..Plan::default()
        };
        let f = |k: &str, v: &str| (k.to_string(), v.to_string());
        let edited = apply_edits(
            &plan,
            &[f("t0.value", "4.2"), f("t0.op", ">="), f("t1.delete", "on")],
        )
        .unwrap();
        assert_eq!(edited.targets.len(), 1);
        assert_eq!(edited.targets[0].value, 4.2);
        assert_eq!(edited.targets[0].op, Op::AtLeast);
        let err = apply_edits(&plan, &[f("t0.value", "4.2"), f("t1.year", "二〇二五")]);
        assert!(err.unwrap_err().contains("第 2 条"));
    }
}
