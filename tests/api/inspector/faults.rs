//! Fault rules on the overview: the forms add and remove rules as `/sandbox/faults` shows,
//! with their hit counts, and the overview says whether `--rate-limit` is on.

use crate::common::*;
use serde_json::json;

fn assert_back_to_overview(h: &Hop) {
    assert_eq!(h.status, 303, "{}", h.text);
    assert_eq!(
        h.location.as_deref(),
        Some("/sandbox/inspector"),
        "{}",
        h.text
    );
}

#[tokio::test]
async fn the_fault_form_adds_a_status_rule_the_api_answers_and_the_overview_counts() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let me = inspector(&app).await;
    let h = me
        .post(
            "/sandbox/inspector/faults",
            &[
                ("action", "status"),
                ("method", "get"),
                ("path", "/2.0/users/*"),
                ("status", "503"),
                ("latency_ms", ""),
                ("times", "1"),
                ("probability", ""),
            ],
        )
        .await;
    assert_back_to_overview(&h);
    let rules = app.sandbox_get("/sandbox/faults").await.ok();
    assert_eq!(rules["total"], 1);
    let rule = &rules["faults"][0];
    assert_eq!(rule["action"], "status");
    assert_eq!(rule["status"], 503);
    assert_eq!(rule["retry_after"], 1);
    assert_eq!(rule["times"], 1);
    assert_eq!(
        rule["match"],
        json!({"method": "GET", "path": "/2.0/users/*", "route": null, "id_user": null, "id_connection": null})
    );
    let reply = app.get("/users/me", Some(&token)).await;
    reply.assert_error(503, "websiteUnavailable");
    assert_eq!(reply.headers["retry-after"], "1");
    // Spent after one hit: no longer listed as active on the overview.
    let page = me.get("/sandbox/inspector").await;
    assert!(page.text.contains("id=\"no-faults\""), "{}", page.text);
}

#[tokio::test]
async fn the_overview_lists_active_rules_with_hits_and_the_remove_button_removes_one() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let id = app
        .add_fault(
            json!({"action": "latency", "latency_ms": [1, 2], "match": {"path": "/2.0/users/*"}}),
        )
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    app.get("/users/me", Some(&token)).await;
    app.get("/users/me", Some(&token)).await;
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector").await;
    assert!(
        page.text.contains(&format!("id=\"fault-{id}\"")),
        "{}",
        page.text
    );
    assert!(page.text.contains("latency 1–2 ms"));
    assert!(
        page.text.contains("<td class=\"num hits\">2</td>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("id=\"rate-limit\""));
    assert!(
        page.text.contains(">off<"),
        "the rate limit is off by default"
    );
    let h = me
        .post(&format!("/sandbox/inspector/faults/{id}/remove"), &[])
        .await;
    assert_back_to_overview(&h);
    assert_eq!(app.sandbox_get("/sandbox/faults").await.ok()["total"], 0);
    // Removing it again: the control plane's 404.
    let h = me
        .post(&format!("/sandbox/inspector/faults/{id}/remove"), &[])
        .await;
    assert_eq!(h.status, 404, "{}", h.text);
}

#[tokio::test]
async fn a_wrong_rule_from_the_form_is_refused_with_the_control_planes_error_and_adds_nothing() {
    let app = spawn_frozen().await;
    let me = inspector(&app).await;
    for form in [
        vec![("action", "status"), ("status", "")],
        vec![("action", "status"), ("status", "200")],
        vec![("action", "latency"), ("latency_ms", "fast")],
        vec![("action", "drop"), ("probability", "2")],
        vec![("action", "explode")],
    ] {
        let h = me.post("/sandbox/inspector/faults", &form).await;
        assert_eq!(h.status, 400, "{form:?}: {}", h.text);
    }
    assert_eq!(app.sandbox_get("/sandbox/faults").await.ok()["total"], 0);
    let h = me
        .post(
            "/sandbox/inspector/faults",
            &[("action", "drop"), ("probability", "0.5")],
        )
        .await;
    assert_back_to_overview(&h);
    let rules = app.sandbox_get("/sandbox/faults").await.ok();
    assert_eq!(rules["faults"][0]["probability"], 0.5);
}

#[tokio::test]
async fn the_overview_says_when_the_rate_limit_is_on() {
    let app = spawn_args(&["--rate-limit"]).await;
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector").await;
    assert!(page.text.contains("30 calls a minute"), "{}", page.text);
}
