//! 评估 pages through the router: who may start and publish a run, what a run shows, its
//! reports as named downloads, and verification.

mod web_fixture;

use axum::http::{StatusCode, header};
use minsheng_store::RunFilter;
use web_fixture::*;

#[tokio::test]
async fn a_non_owner_can_neither_start_nor_publish_a_run() {
    let (state, store) = state().await;
    values(&store, "fgw", "values.xlsx", 1.0).await;
    let (cookie, csrf) = sign_in(&state, "lufeng").await;
    let html = text(send(&state, get("/evaluations", &cookie)).await).await;
    assert!(
        html.contains("只有规划主管可以发起评估"),
        "no form for a reporter"
    );

    let form = format!("csrf={csrf}&plan=云南省&as_of=2024&kind=monitoring&weights=");
    let resp = send(&state, post_form("/evaluations", &cookie, &form)).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(store.runs(&RunFilter::default()).await.unwrap().is_empty());

    // The owner runs one; the reporter still cannot publish it.
    let (owner, owner_csrf) = sign_in(&state, "fgw").await;
    let form = format!("csrf={owner_csrf}&plan=云南省&as_of=2024&kind=midterm&weights=");
    let resp = send(&state, post_form("/evaluations", &owner, &form)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let runs = store.runs(&RunFilter::default()).await.unwrap();
    assert_eq!(runs.len(), 1);
    let id = runs[0].id;
    assert_eq!(location(&resp), format!("/evaluations/{id}"));

    let publish = format!("/evaluations/{id}/publish");
    let resp = send(
        &state,
        post_form(&publish, &cookie, &format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!store.run(id).await.unwrap().unwrap().summary.is_published());

    // Without the form token even the owner is refused.
    let resp = send(&state, post_form(&publish, &owner, "csrf=wrong")).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!store.run(id).await.unwrap().unwrap().summary.is_published());

    let resp = send(
        &state,
        post_form(&publish, &owner, &format!("csrf={owner_csrf}")),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let run = store.run(id).await.unwrap().unwrap();
    assert_eq!(run.summary.published_by.as_deref(), Some("fgw"));
}

#[tokio::test]
async fn the_owner_runs_an_evaluation_sees_it_verifies_it_and_downloads_its_reports() {
    let (state, store) = state().await;
    values(&store, "fgw", "values.xlsx", 1.0).await;
    let (owner, csrf) = sign_in(&state, "fgw").await;

    // A period that cannot be read is refused in words, and nothing is stored.
    let form = format!("csrf={csrf}&plan=云南省&as_of=2024年底&kind=monitoring&weights=");
    let resp = send(&state, post_form("/evaluations", &owner, &form)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(text(resp).await.contains("评估时点“2024年底”无法识别"));
    assert!(store.runs(&RunFilter::default()).await.unwrap().is_empty());

    let form = format!("csrf={csrf}&plan=云南省&as_of=2024&kind=final&weights=");
    let resp = send(&state, post_form("/evaluations", &owner, &form)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let page = location(&resp);
    let id = store.runs(&RunFilter::default()).await.unwrap()[0].id;

    let html = text(send(&state, get(&page, &owner)).await).await;
    assert!(html.contains("终期评估"), "the kind");
    // Rates without numerators do not add up to prefectures: the counties are ranked.
    assert!(html.contains("县（市、区）排名"), "counties ranked");
    assert!(html.contains("楚雄市") && html.contains("思茅区"));
    assert!(html.contains("class=\"chart\""), "a chart");
    assert!(html.contains("均等化程度"));
    assert!(html.contains("公示"), "the owner may publish");
    let list = text(send(&state, get("/evaluations", &owner)).await).await;
    assert!(list.contains(&format!("/evaluations/{id}")));

    let html = text(send(&state, get(&format!("{page}?verify=1"), &owner)).await).await;
    assert!(html.contains("校验通过"), "the run reproduces");

    let resp = send(&state, get(&format!("{page}/report.docx"), &owner)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let cd = resp.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert!(
        cd.contains(&format!("evaluation-{id}-final-2024.docx")),
        "{cd}"
    );
    // 云南省 percent-encoded in the UTF-8 name.
    assert!(
        cd.contains("filename*=UTF-8''%E4%BA%91%E5%8D%97%E7%9C%81"),
        "{cd}"
    );
    let docx = bytes(resp).await;
    assert!(docx.starts_with(b"PK"), "a docx is a zip");

    let resp = send(&state, get(&format!("{page}/report.xlsx"), &owner)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(bytes(resp).await.starts_with(b"PK"));
    let resp = send(&state, get(&format!("{page}/report.pdf"), &owner)).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let resp = send(&state, get("/evaluations/999/report.docx", &owner)).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}
