use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_rule_for_n_requests_then_lets_them_through_and_counts() {
    let app = spawn_app().await;
    app.add_fault(json!({"action": "status", "status": 500, "times": 2,
                         "match": {"path": "/2.0/connectors"}}))
        .await
        .ok();
    let statuses = {
        let mut s = vec![];
        for _ in 0..4 {
            s.push(app.get("/connectors", None).await.status.as_u16());
        }
        s
    };
    assert_eq!(statuses, [500, 500, 200, 200]);
    app.get("/currencies", None).await.ok();
    let listed = app.sandbox_get("/sandbox/faults").await.ok();
    assert_eq!(listed["total"], 1);
    let rule = &listed["faults"][0];
    assert_eq!(rule["hits"], 2);
    assert_eq!(rule["matched"], 2);
    assert_eq!(rule["active"], false);
    assert_eq!(rule["times"], 2);
}

/// The pattern of faulted requests (true: faulted) over 24 calls, on a new server.
async fn pattern(seed: &str) -> (Vec<bool>, Value) {
    let app = spawn_args(&["--seed", seed]).await;
    app.add_fault(json!({"action": "status", "status": 503, "probability": 0.5}))
        .await
        .ok();
    let mut hits = vec![];
    for _ in 0..24 {
        hits.push(app.get("/connectors", None).await.status.as_u16() == 503);
    }
    let rule = app.sandbox_get("/sandbox/faults").await.ok()["faults"][0].clone();
    (hits, rule)
}

#[tokio::test]
async fn a_probability_drawn_from_the_seed_gives_the_same_pattern_twice() {
    let (first, rule) = pattern("42").await;
    let (again, _) = pattern("42").await;
    assert_eq!(first, again);
    assert!(first.contains(&true) && first.contains(&false), "{first:?}");
    let hits = first.iter().filter(|h| **h).count();
    assert_eq!(rule["hits"], hits);
    assert_eq!(rule["matched"], 24);
    assert_eq!(rule["active"], true);
    let (other, _) = pattern("43").await;
    assert_ne!(first, other, "another seed, another pattern");
}

#[tokio::test]
async fn rules_match_on_method_route_user_and_connection() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let (_, other) = app.permanent_user().await;
    let c = bank.connection;
    app.add_fault(json!({"action": "status", "status": 500,
                         "match": {"method": "put", "id_connection": c}}))
        .await
        .ok();
    app.add_fault(json!({"action": "status", "status": 503,
                         "match": {"route": "/2.0/users/{user}/accounts", "id_user": bank.id_user}}))
        .await
        .ok();
    app.get(&format!("/users/me/connections/{c}"), Some(&bank.token))
        .await
        .ok();
    app.put(
        &format!("/users/me/connections/{c}"),
        Some(&bank.token),
        None,
    )
    .await
    .assert_error(500, "bug");
    app.get("/users/me/accounts", Some(&bank.token))
        .await
        .assert_error(503, "websiteUnavailable");
    app.get("/users/me/accounts", Some(&other)).await.ok();
    let by_id = format!("/users/{}/accounts", bank.id_user);
    app.get(&by_id, Some(CONFIG_TOKEN))
        .await
        .assert_error(503, "websiteUnavailable");
}

#[tokio::test]
async fn the_control_plane_health_and_the_document_are_never_faulted() {
    let app = spawn_app().await;
    app.add_fault(json!({"action": "drop"})).await.ok();
    app.add_fault(json!({"action": "status", "status": 500, "match": {"path": "/**"}}))
        .await
        .ok();
    app.get("/health", None).await.ok();
    app.get("/openapi.json", None).await.ok();
    app.sandbox_get("/sandbox/clock").await.ok();
    app.sandbox_get("/sandbox/requests").await.ok();
    assert!(app
        .try_call(Method::GET, "/connectors", None)
        .await
        .is_err());
    let listed = app.sandbox_get("/sandbox/faults").await.ok();
    assert_eq!(listed["faults"][0]["hits"], 1, "{listed}");
    assert_eq!(listed["faults"][1]["matched"], 0, "the first rule decided");
}

#[tokio::test]
async fn rules_are_removed_one_by_one_or_all_at_once() {
    let app = spawn_app().await;
    let first = app
        .add_fault(json!({"action": "status", "status": 500, "match": {"path": "/2.0/connectors"}}))
        .await
        .ok();
    app.add_fault(json!({"action": "status", "status": 503, "match": {"path": "/2.0/currencies"}}))
        .await
        .ok();
    let gone = app
        .delete(
            &format!("/sandbox/faults/{}", first["id"]),
            Some(CONFIG_TOKEN),
        )
        .await;
    assert_eq!(gone.status.as_u16(), 204);
    app.get("/connectors", None).await.ok();
    app.get("/currencies", None)
        .await
        .assert_error(503, "websiteUnavailable");
    app.delete("/sandbox/faults/1", Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    let cleared = app.delete("/sandbox/faults", Some(CONFIG_TOKEN)).await;
    assert_eq!(cleared.status.as_u16(), 204);
    app.get("/currencies", None).await.ok();
    assert_eq!(app.sandbox_get("/sandbox/faults").await.ok()["total"], 0);
}

#[tokio::test]
async fn bad_rules_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({}), "missingParameter", "action"),
        (json!({"action": "explode"}), "invalidValue", "action"),
        (json!({"action": "status"}), "missingParameter", "status"),
        (
            json!({"action": "status", "status": 200}),
            "invalidValue",
            "status",
        ),
        (
            json!({"action": "status", "status": 500, "retry_after": 3}),
            "invalidValue",
            "retry_after",
        ),
        (
            json!({"action": "latency"}),
            "missingParameter",
            "latency_ms",
        ),
        (
            json!({"action": "latency", "latency_ms": [50, 10]}),
            "invalidValue",
            "latency_ms",
        ),
        (
            json!({"action": "latency", "latency_ms": "slow"}),
            "invalidValue",
            "latency_ms",
        ),
        (
            json!({"action": "drop", "status": 500}),
            "invalidValue",
            "status",
        ),
        (
            json!({"action": "drop", "probability": 1.5}),
            "invalidValue",
            "probability",
        ),
        (
            json!({"action": "drop", "probability": 0}),
            "invalidValue",
            "probability",
        ),
        (
            json!({"action": "drop", "times": 0}),
            "invalidValue",
            "times",
        ),
        (
            json!({"action": "drop", "match": {"paht": "/2.0"}}),
            "invalidValue",
            "match.paht",
        ),
        (
            json!({"action": "drop", "match": {"path": "2.0"}}),
            "invalidValue",
            "match.path",
        ),
        (
            json!({"action": "drop", "match": {"id_user": "me"}}),
            "invalidValue",
            "match.id_user",
        ),
        (
            json!({"action": "drop", "match": "all"}),
            "invalidValue",
            "match",
        ),
        (
            json!({"action": "drop", "when": "now"}),
            "invalidValue",
            "when",
        ),
    ];
    for (body, code, field) in cases {
        let r = app.add_fault(body.clone()).await;
        r.assert_error(400, code);
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{body}: {}",
            r.text
        );
    }
    assert_eq!(app.sandbox_get("/sandbox/faults").await.ok()["total"], 0);
}
