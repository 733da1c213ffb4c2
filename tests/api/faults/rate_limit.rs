use crate::common::*;

#[tokio::test]
async fn the_thirty_first_call_of_a_minute_is_refused_until_the_clock_moves_on() {
    let app = spawn_args(&["--rate-limit", "--clock-start", CLOCK_START]).await;
    for i in 0..30 {
        let r = app.get("/connectors", None).await;
        assert_eq!(r.status.as_u16(), 200, "call {}", i + 1);
    }
    // The control plane is not counted, nor limited.
    app.sandbox_get("/sandbox/clock").await.ok();
    let refused = app.get("/connectors", None).await;
    refused.assert_error(429, "rateLimiting");
    assert_eq!(refused.headers["retry-after"], "60");
    let e = app.last_request().await;
    assert_eq!(e["status"], 429);
    assert_eq!(
        e["fault"],
        serde_json::json!({"id_fault": null, "kind": "rate_limit"})
    );
    advance(&app, "30s").await;
    let still = app.get("/connectors", None).await;
    still.assert_error(429, "rateLimiting");
    assert_eq!(still.headers["retry-after"], "30");
    advance(&app, "30s").await;
    app.get("/connectors", None).await.ok();
}

#[tokio::test]
async fn without_the_flag_there_is_no_limit() {
    let app = spawn_frozen().await;
    for _ in 0..40 {
        app.get("/currencies", None).await.ok();
    }
}
