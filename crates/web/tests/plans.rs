//! The plan and indicator pages through the router, signed in as a viewer: a bundled plan's
//! tasks with their lead units and targets with their quotes, the source text with each
//! quote marked, a quote the text lacks said so, versions, an indicator's targets and status,
//! 404s for unknown ids, and the sign-in every page needs.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use minsheng_model::{DataValue, Op, Period, ReviewState, TargetKind, ValueSource};
use minsheng_store::{NewUser, Role};
use minsheng_web::{AppState, Config, router};
use tower::ServiceExt;

/// The bundled plans stored: the province's three-year plan, and 普洱's (OCR-damaged, with
/// lead units per task).
const PROVINCE: usize = 0;
const PUER: usize = 3;

/// The state and the stored ids of the province's and 普洱's plans.
async fn state() -> (AppState, i64, i64) {
    let (store, _) = minsheng_app::open("sqlite::memory:").await.unwrap();
    let catalog = minsheng_app::catalog().unwrap();
    store
        .save_indicators(&minsheng_app::indicator_rows(&catalog))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for which in [PROVINCE, PUER] {
        let (name, text) = minsheng_app::plans::BUNDLED[which];
        let plan = minsheng_app::plans::ingest_bundled(name, text);
        minsheng_app::plans::save(&store, &catalog, &plan, name)
            .await
            .unwrap();
        let key = minsheng_store::plan_key(&plan);
        let stored = store.latest_plans().await.unwrap();
        ids.push(stored.iter().find(|p| p.plan_key == key).unwrap().id);
    }
    let hash = minsheng_web::auth::password::hash("viewer-secret".into())
        .await
        .unwrap();
    store
        .create_user(&NewUser {
            username: "guest".into(),
            display_name: "访客".into(),
            password_hash: hash,
            role: Role::Viewer,
            region_code: None,
            unit: None,
            demo: false,
        })
        .await
        .unwrap();
    (AppState::new(store, Config::default()), ids[0], ids[1])
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

async fn sign_in(state: &AppState) -> String {
    let resp = router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=guest&password=viewer-secret&next=/"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()[header::SET_COOKIE].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

/// The page's status and body.
async fn page(state: &AppState, uri: &str, cookie: &str) -> (StatusCode, String) {
    let resp = router(state.clone())
        .oneshot(get(uri, Some(cookie)))
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Text as the templates escape it.
fn html(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .unwrap()
        .to_string()
}

/// The text of `html` from `from` on, tags and white space dropped.
fn text_after(html: &str, from: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[from..].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

/// A target of the plan in a task with lead units: (target index, the lead units).
fn with_lead(stored: &minsheng_store::StoredPlan) -> (usize, Vec<String>) {
    let plan = &stored.plan;
    plan.targets
        .iter()
        .enumerate()
        .find_map(|(n, t)| {
            let task = plan
                .domains
                .iter()
                .find(|d| d.name == t.domain)?
                .tasks
                .iter()
                .find(|k| Some(k.number) == t.task)?;
            (!task.responsibility.lead.is_empty()).then(|| (n, task.responsibility.lead.clone()))
        })
        .expect("普洱's plan has a target in a task with a lead unit")
}

/// A target of the plan linked to a rate indicator in its own unit, with a floor or a
/// ceiling: (target index, indicator id).
fn linked_rate(stored: &minsheng_store::StoredPlan) -> (usize, String) {
    let catalog = minsheng_app::catalog().unwrap();
    stored
        .plan
        .targets
        .iter()
        .enumerate()
        .find_map(|(n, t)| {
            let id = stored.indicator_ids[n].clone()?;
            let entry = catalog.get(&id)?;
            (t.kind == TargetKind::Target
                && t.op != Op::Equal
                && entry.unit == t.unit
                && entry.kind == minsheng_catalog::Kind::Rate)
                .then_some((n, id))
        })
        .expect("the provincial plan has a linked rate target")
}

#[tokio::test]
async fn the_plan_page_shows_tasks_lead_units_and_quotes_and_the_source_marks_them() {
    let (state, _, id) = state().await;
    let cookie = sign_in(&state).await;
    let stored = state.store().plan_by_id(id).await.unwrap().unwrap();
    let (n, lead) = with_lead(&stored);
    let target = &stored.plan.targets[n];

    let (status, list) = page(&state, "/plans", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&html(&stored.plan.title)));
    assert!(list.contains(&format!("href=\"/plans/{id}\"")));

    let (status, show) = page(&state, &format!("/plans/{id}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(show.contains(&html(&lead[0])), "the lead unit {}", lead[0]);
    assert!(
        show.contains(&html(&target.quote)),
        "the quote {}",
        target.quote
    );
    assert!(show.contains(&format!("href=\"/plans/{id}/source#t{n}\"")));
    match &stored.indicator_ids[n] {
        Some(indicator) => assert!(show.contains(&format!("href=\"/indicators/{indicator}\""))),
        None => assert!(show.contains("未关联指标库")),
    }
    assert!(
        !show.contains("原文中未逐字找到此引文"),
        "every quote is found, the OCR-damaged ones too"
    );

    let (status, source) = page(&state, &format!("/plans/{id}/source"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let at = source
        .find(&format!("<mark class=\"q\" id=\"t{n}\""))
        .expect("the target's quote is marked");
    let squeezed: String = target
        .quote
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        text_after(&source, at).starts_with(&squeezed),
        "the mark holds the quote {squeezed}"
    );
    let total = stored.plan.targets.len();
    assert!(source.contains(&format!("{total} / {total}")), "all marked");
}

#[tokio::test]
async fn a_quote_the_text_lacks_is_said_so_and_the_older_version_points_to_the_newer() {
    let (state, old, _) = state().await;
    let cookie = sign_in(&state).await;
    let stored = state.store().plan_by_id(old).await.unwrap().unwrap();
    let mut plan = stored.plan.clone();
    plan.targets[0].quote = "这句话不在原文里".into();
    let catalog = minsheng_app::catalog().unwrap();
    let saved = minsheng_app::plans::save(state.store(), &catalog, &plan, "edited")
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    let new = state
        .store()
        .latest_plans()
        .await
        .unwrap()
        .iter()
        .find(|p| p.region_code == "530000")
        .unwrap()
        .id;

    let (_, show) = page(&state, &format!("/plans/{new}"), &cookie).await;
    assert!(show.contains("原文中未逐字找到此引文"));
    assert!(
        !show.contains("/source#t0\""),
        "no link to a place that is not there"
    );
    let (_, source) = page(&state, &format!("/plans/{new}/source"), &cookie).await;
    assert!(source.contains("这句话不在原文里"), "listed as not found");
    assert!(!source.contains("id=\"t0\""));

    let (_, older) = page(&state, &format!("/plans/{old}"), &cookie).await;
    assert!(
        older.contains(&format!("href=\"/plans/{new}\"")),
        "points to v2"
    );
    let (status, versions) = page(&state, &format!("/plans/{new}/versions"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(versions.contains(&format!("href=\"/plans/{old}\"")));
    assert!(versions.contains("v2") && versions.contains("v1"));
}

#[tokio::test]
async fn an_indicator_page_lists_the_province_target_and_its_status() {
    let (state, id, _) = state().await;
    let cookie = sign_in(&state).await;
    let stored = state.store().plan_by_id(id).await.unwrap().unwrap();
    let (n, indicator) = linked_rate(&stored);
    let target = &stored.plan.targets[n];
    // A baseline before the plan and a latest value that meets the target: demo values (the
    // store keeps their approved state; reported ones start as drafts).
    let (before, latest) = match target.op {
        Op::AtMost => (target.value + 2.0, target.value - 0.5),
        _ => (target.value - 2.0, target.value + 0.5),
    };
    let value = |period, value| DataValue {
        indicator: indicator.clone(),
        region: "530000".into(),
        period,
        value,
        numerator: None,
        denominator: None,
        source: ValueSource::Demo,
        entered_by: "tester".into(),
        entered_at: "2025-01-01T00:00:00Z".into(),
        comment: None,
        state: ReviewState::Approved,
    };
    state
        .store()
        .import_values(
            &[
                value(Period::Year(2022), before),
                value(Period::Year(2024), latest),
            ],
            "模拟数据",
            "fixture",
        )
        .await
        .unwrap();

    let (status, show) = page(&state, &format!("/indicators/{indicator}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(show.contains("云南省"));
    assert!(show.contains(&html(&target.quote)), "the province's target");
    assert!(show.contains(&format!("href=\"/plans/{id}#q{n}\"")));
    assert!(
        show.contains("badge big st-achieved"),
        "the province's status: the latest value meets the target"
    );
    assert!(show.contains("data-option="), "the chart");
    assert!(show.contains("banner-sim"), "the page says 模拟数据");

    let (status, list) = page(&state, "/indicators", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("href=\"/indicators/{indicator}\"")));
    assert!(
        list.contains("st-achieved"),
        "status counts at the latest period"
    );
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_every_page_needs_a_sign_in() {
    let (state, id, _) = state().await;
    let cookie = sign_in(&state).await;
    for uri in [
        "/plans/999999".to_string(),
        "/plans/abc".into(),
        "/plans/999999/source".into(),
        "/plans/999999/versions".into(),
        "/indicators/no_such_indicator".into(),
    ] {
        let (status, _) = page(&state, &uri, &cookie).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
    for uri in [
        "/plans".to_string(),
        format!("/plans/{id}"),
        format!("/plans/{id}/source"),
        format!("/plans/{id}/versions"),
        "/indicators".into(),
        "/indicators/infant_mortality".into(),
    ] {
        let resp = router(state.clone())
            .oneshot(get(&uri, None))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{uri}");
        assert!(
            resp.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/login"),
            "{uri}"
        );
    }
}
