//! The region and task pages through the router, as a signed-in browser uses them: a
//! county's targets set by its prefecture's or plan's plan, reporting completeness as
//! counts, and task progress with evidence — who may report it, the form token, and the
//! evidence file coming back byte for byte.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use minsheng_assess::IndicatorSet;
use minsheng_model::{DataValue, Period, RegionLevel, ReviewState, ValueSource};
use minsheng_store::{NewUser, Role, Store, TaskFilter};
use minsheng_web::{AppState, Config, router};
use tower::ServiceExt;

const PASSWORD: &str = "test-password";

/// A store with the plan's and 楚雄州's bundled plans and three accounts: 楚雄州's health
/// and education departments, and a viewer.
async fn state() -> (AppState, Store) {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let catalog = minsheng_app::catalog().unwrap();
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await
        .unwrap();
    for (name, text) in minsheng_app::plans::BUNDLED {
        if name.starts_with("000_") || name.starts_with("002_") {
            let plan = minsheng_app::plans::ingest_bundled(name, text);
            minsheng_app::plans::save(&store, &catalog, &plan, name)
                .await
                .unwrap();
        }
    }
    let hash = minsheng_web::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    for (username, role, unit) in [
        ("wsjk", Role::Department, Some("州卫生健康委")),
        ("jyt", Role::Department, Some("州教育体育局")),
        ("guest", Role::Viewer, None),
    ] {
        store
            .create_user(&NewUser {
                username: username.into(),
                display_name: username.into(),
                password_hash: hash.clone(),
                role,
                region_code: Some("532300".into()),
                unit: unit.map(Into::into),
                demo: false,
            })
            .await
            .unwrap();
    }
    (AppState::new(store.clone(), Config::default()), store)
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

async fn body_bytes(resp: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap()
        .to_vec()
}

async fn page(state: &AppState, uri: &str, cookie: &str) -> String {
    let resp = router(state.clone())
        .oneshot(get(uri, cookie))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{uri}");
    String::from_utf8(body_bytes(resp).await).unwrap()
}

async fn sign_in(state: &AppState, username: &str) -> String {
    let resp = router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "username={username}&password={PASSWORD}&next=/"
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{username} signs in");
    resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string()
}

fn value(indicator: &str, region: &str, period: Period, v: f64) -> DataValue {
    DataValue {
        indicator: indicator.into(),
        region: region.into(),
        period,
        value: v,
        numerator: None,
        denominator: None,
        source: ValueSource::Form,
        entered_by: "test".into(),
        entered_at: "2025-01-10T09:00:00Z".into(),
        comment: None,
        state: ReviewState::Approved,
    }
}

/// Stores values as a county reports them: imported, submitted, approved by the prefecture.
async fn report(store: &Store, values: &[DataValue]) {
    store
        .import_values(values, "test", "fixture")
        .await
        .unwrap();
    let mut batches: Vec<(String, Period)> = values
        .iter()
        .map(|v| (v.region.clone(), v.period))
        .collect();
    batches.sort();
    batches.dedup();
    for (region, period) in batches {
        store.submit(&region, period, "test").await.unwrap();
        store.approve(&region, period, "reviewer").await.unwrap();
    }
}

/// The reported/due figures shown after `label` (a KPI's "r/e").
fn counts_after(html: &str, label: &str) -> (u32, u32) {
    let rest = html.split(label).nth(1).unwrap();
    let text = rest
        .split("<span class=\"muted small\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    let (r, e) = text.split_once('/').unwrap();
    (r.trim().parse().unwrap(), e.trim().parse().unwrap())
}

#[tokio::test]
async fn a_county_shows_its_ancestors_target_and_completeness_counts() {
    let (state, store) = state().await;
    let inputs = minsheng_app::monitor::inputs(&store).await.unwrap();
    let set = IndicatorSet::from_catalog(inputs.catalog.entries());
    // Two indicators the plan's or the prefecture's plan sets targets for that a
    // county is held to as well (rates and the like).
    let mut picked: Vec<&minsheng_assess::TargetRef> = Vec::new();
    for t in &inputs.targets {
        let info = set.get(set.index_of(&t.indicator).unwrap());
        if info.inherits_to(RegionLevel::County)
            && t.year >= 2024
            && !picked.iter().any(|p| p.indicator == t.indicator)
        {
            picked.push(t);
        }
    }
    assert!(picked.len() >= 2, "the plans set rate targets");
    let (a, b) = (picked[0], picked[1]);
    // The target met in 2024Q4 (a 2022 value before it for a baseline).
    let met = match a.op {
        minsheng_model::Op::AtLeast => a.value + 1.0,
        minsheng_model::Op::AtMost => (a.value - 1.0).max(0.0),
        minsheng_model::Op::Equal => a.value,
    };
    let q4 = Period::Quarter(2024, 4);
    report(
        &store,
        &[
            value(&a.indicator, "532301", Period::Year(2022), met),
            value(&a.indicator, "532301", q4, met),
            value(&a.indicator, "532322", q4, met),
        ],
    )
    .await;

    let cookie = sign_in(&state, "guest").await;
    let html = page(&state, "/regions/532301", &cookie).await;
    let name = &inputs.catalog.get(&a.indicator).unwrap().name;
    let row = html
        .split("<tr>")
        .find(|r| r.contains(&format!("/indicators/{}\"", a.indicator)))
        .unwrap_or_else(|| panic!("{name} is listed: {html}"));
    assert!(row.contains("上级规划"), "an ancestor's target: {row}");
    let ancestor = if a.region == "530000" {
        "云南省"
    } else {
        "楚雄"
    };
    assert!(row.contains(ancestor), "{ancestor} named: {row}");
    assert!(row.contains("badge st-achieved"), "met, so achieved: {row}");
    assert!(
        html.contains("› <a href=\"/regions/532300\">"),
        "breadcrumb to the prefecture"
    );
    let label = "填报完整性 · 2024Q4";
    let (reported, due) = counts_after(&html, label);
    assert_eq!(reported, 1, "one indicator reported for 2024Q4");
    assert!(due >= 2, "both picked indicators are due: {due}");
    let pref = page(&state, "/regions/532300", &cookie).await;
    let (pref_reported, pref_due) = counts_after(&pref, label);
    assert_eq!(pref_reported, 2, "the two counties' reports, summed");

    // A second indicator reported: one more, of the same number due.
    report(&store, &[value(&b.indicator, "532301", q4, 1.0)]).await;
    let html = page(&state, "/regions/532301", &cookie).await;
    assert_eq!(counts_after(&html, label), (2, due));
    let pref = page(&state, "/regions/532300", &cookie).await;
    assert_eq!(counts_after(&pref, label), (3, pref_due));

    // The drill-down starts at the plan, with its prefectures and the map.
    let index = page(&state, "/regions", &cookie).await;
    assert!(index.contains("/regions/532300"), "楚雄州 listed");
    assert!(index.contains("data-geo=\"/assets/yunnan-counties.json\""));
    let resp = router(state.clone())
        .oneshot(get("/regions/999999", &cookie))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

/// A multipart body: text fields, then one file.
fn multipart(fields: &[(&str, String)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----minsheng-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_progress(
    state: &AppState,
    cookie: &str,
    fields: &[(&str, String)],
    file: Option<(&str, &[u8])>,
) -> StatusCode {
    let (content_type, body) = multipart(fields, file);
    let resp = router(state.clone())
        .oneshot(
            Request::post("/tasks/progress")
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    resp.status()
}

#[tokio::test]
async fn a_department_reports_progress_on_its_task_and_others_are_refused() {
    let (state, store) = state().await;
    // A task of 楚雄州's plan its health commission leads and education has no part in.
    let plans = store.latest_plans().await.unwrap();
    let plan = plans.iter().find(|p| p.region_code == "532300").unwrap();
    let (domain, task) = plan
        .plan
        .domains
        .iter()
        .flat_map(|d| d.tasks.iter().map(move |t| (d, t)))
        .find(|(_, t)| {
            let r = &t.responsibility;
            r.lead.iter().any(|u| u.contains("卫生健康"))
                && !r
                    .lead
                    .iter()
                    .chain(&r.cooperating)
                    .any(|u| u.contains("教育"))
        })
        .expect("the health commission leads a task");
    let number = task.number.to_string();

    let wsjk = sign_in(&state, "wsjk").await;
    let html = page(&state, "/tasks", &wsjk).await;
    assert!(html.contains("州卫生健康委"), "its own unit first");
    assert!(
        html.contains("action=\"/tasks/progress\""),
        "the form for its tasks"
    );
    let csrf = csrf_of(&html);
    let evidence: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let fields = |csrf: &str, period: &str| -> Vec<(&'static str, String)> {
        [
            ("csrf", csrf),
            ("plan_region", "532300"),
            ("plan_key", plan.plan_key.as_str()),
            ("domain", domain.name.as_str()),
            ("task", number.as_str()),
            ("region", "532300"),
            ("period", period),
            ("status", "in_progress"),
            ("narrative", "已完成全省摸底"),
            ("due", "2025-12-31"),
            ("unit", "州卫生健康委"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
    };

    // Without the form token: refused, nothing stored.
    let status = post_progress(
        &state,
        &wsjk,
        &fields("", "2025Q3"),
        Some(("摸底报告.pdf", &evidence)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        store
            .task_progress(&TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Another department: refused, nothing stored.
    let jyt = sign_in(&state, "jyt").await;
    let jyt_csrf = csrf_of(&page(&state, "/tasks", &jyt).await);
    let status = post_progress(
        &state,
        &jyt,
        &fields(&jyt_csrf, "2025Q3"),
        Some(("摸底报告.pdf", &evidence)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        store
            .task_progress(&TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // The health commission: stored, with the evidence file.
    let status = post_progress(
        &state,
        &wsjk,
        &fields(&csrf, "2025Q3"),
        Some(("摸底报告.pdf", &evidence)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let progress = store.task_progress(&TaskFilter::default()).await.unwrap();
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0].status.as_str(), "in_progress");
    assert_eq!(progress[0].due_date.as_deref(), Some("2025-12-31"));
    assert_eq!(progress[0].updated_by, "wsjk");
    let files = store.evidence(&progress[0].key).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256, minsheng_store::sha256_hex(&evidence));

    // The page lists it with its checksum; the download gives back the same bytes.
    let html = page(
        &state,
        "/tasks?unit=%E5%B7%9E%E5%8D%AB%E7%94%9F%E5%81%A5%E5%BA%B7%E5%A7%94",
        &wsjk,
    )
    .await;
    assert!(html.contains(&files[0].sha256), "checksum shown");
    assert!(html.contains("已完成全省摸底"));
    let resp = router(state.clone())
        .oneshot(get(&format!("/tasks/evidence/{}", files[0].id), &wsjk))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["x-checksum-sha256"],
        files[0].sha256.as_str()
    );
    assert!(
        resp.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(body_bytes(resp).await, evidence);

    // A bad period is refused in plain Chinese, and nothing changes.
    let bad = fields(&csrf, "明年");
    let (content_type, body) = multipart(&bad, None);
    let resp = router(state.clone())
        .oneshot(
            Request::post("/tasks/progress")
                .header(header::COOKIE, &wsjk)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let text = String::from_utf8(body_bytes(resp).await).unwrap();
    assert!(text.contains("统计期"), "{text}");
    assert_eq!(
        store
            .task_progress(&TaskFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
}
