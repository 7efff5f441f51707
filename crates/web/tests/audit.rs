//! 审计 page through the router: filtering by actor, and who sees what.

mod web_fixture;

use axum::http::StatusCode;
use web_fixture::*;

#[tokio::test]
async fn the_audit_page_filters_by_actor_and_shows_others_only_their_own() {
    let (state, store) = state().await;
    values(&store, "alice", "alice-2024.xlsx", 1.0).await;
    // bob corrects the same cells: updates with before and after.
    values(&store, "bob", "bob-correction.xlsx", 1.1).await;

    let (owner, _) = sign_in(&state, "fgw").await;
    let all = text(send(&state, get("/audit", &owner)).await).await;
    assert!(all.contains("alice-2024.xlsx") && all.contains("bob-correction.xlsx"));

    let resp = send(&state, get("/audit?actor=alice", &owner)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = text(resp).await;
    assert!(html.contains("alice-2024.xlsx"));
    assert!(
        !html.contains("bob-correction.xlsx"),
        "bob's entries filtered out"
    );

    let html = text(send(&state, get("/audit?actor=bob&entity=import", &owner)).await).await;
    assert!(html.contains("bob-correction.xlsx"));
    assert!(!html.contains("alice-2024.xlsx"));

    // A bad date is said plainly.
    let html = text(send(&state, get("/audit?since=22/11/2025", &owner)).await).await;
    assert!(html.contains("日期请写成 2025-11-22"));

    // A reporter sees only its own actions, whatever it asks for.
    let (reporter, _) = sign_in(&state, "lufeng").await;
    let html = text(send(&state, get("/audit?actor=alice", &reporter)).await).await;
    assert!(html.contains("您可查看本人的操作记录"));
    assert!(!html.contains("alice-2024.xlsx"));
}
