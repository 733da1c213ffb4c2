use crate::common::*;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_status_rule_answers_the_powens_error_body_with_retry_after() {
    let app = spawn_app().await;
    let rule = app
        .add_fault(json!({"action": "status", "status": 503, "retry_after": 7,
                          "match": {"path": "/2.0/connectors"}}))
        .await
        .ok();
    assert_eq!(rule["id"], 1);
    assert_eq!(rule["retry_after"], 7);
    let r = app.get("/connectors", None).await;
    r.assert_error(503, "websiteUnavailable");
    assert_eq!(r.headers["retry-after"], "7");
    assert!(r.headers.contains_key("x-powens-sandbox"));
    assert_eq!(
        r.body["request_id"],
        r.headers["x-request-id"].to_str().unwrap()
    );
    let e = app.last_request().await;
    assert_eq!(e["status"], 503);
    assert_eq!(e["fault"], json!({"id_fault": 1, "kind": "status"}));
    app.get("/currencies", None).await.ok();
}

#[tokio::test]
async fn statuses_429_and_500_answer_their_codes() {
    let app = spawn_app().await;
    app.add_fault(json!({"action": "status", "status": 429, "times": 1}))
        .await
        .ok();
    app.add_fault(json!({"action": "status", "status": 500, "times": 1}))
        .await
        .ok();
    let limited = app.get("/connectors", None).await;
    limited.assert_error(429, "rateLimiting");
    assert_eq!(limited.headers["retry-after"], "1", "the default delay");
    let bug = app.get("/connectors", None).await;
    bug.assert_error(500, "bug");
    assert!(!bug.headers.contains_key("retry-after"));
    app.get("/connectors", None).await.ok();
}

#[tokio::test]
async fn a_latency_rule_delays_the_answer_within_its_range() {
    let app = spawn_app().await;
    app.add_fault(json!({"action": "latency", "latency_ms": [300, 400],
                         "match": {"route": "/2.0/currencies"}}))
        .await
        .ok();
    let started = Instant::now();
    app.get("/currencies", None).await.ok();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
    let e = app.last_request().await;
    assert_eq!(e["status"], 200);
    assert_eq!(e["fault"]["kind"], "latency");
    assert!(e["latency_ms"].as_f64().unwrap() >= 300.0);
    let started = Instant::now();
    app.get("/connectors", None).await.ok();
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "other routes are not delayed"
    );
}

#[tokio::test]
async fn a_drop_rule_closes_the_connection_without_an_answer() {
    let app = spawn_app().await;
    app.add_fault(json!({"action": "drop", "match": {"method": "GET", "path": "/2.0/connectors"}}))
        .await
        .ok();
    let err = app
        .try_call(Method::GET, "/connectors", None)
        .await
        .err()
        .expect("a transport error, not a response");
    assert!(err.status().is_none(), "{err:?}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    let raw = app
        .raw_http("GET /2.0/connectors HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    match raw {
        Ok(bytes) => assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes)),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    let e = app.last_request().await;
    assert_eq!(e["path"], "/2.0/connectors");
    assert_eq!(e["status"], serde_json::Value::Null);
    assert_eq!(e["fault"], json!({"id_fault": 1, "kind": "drop"}));
    // The server goes on serving.
    app.get("/currencies", None).await.ok();
}
