use crate::common::*;

#[tokio::test]
async fn the_journal_keeps_the_latest_journal_size_requests() {
    let app = spawn_args(&["--journal-size", "3"]).await;
    for _ in 0..5 {
        app.get("/connectors", None).await.ok();
    }
    let list = app.journal("").await;
    assert_eq!(list["capacity"], 3);
    assert_eq!(list["total"], 3);
    let ids: Vec<i64> = list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [5, 4, 3]);
    app.sandbox_get("/sandbox/requests/1")
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn clearing_empties_the_journal_and_ids_go_on() {
    let app = spawn_app().await;
    app.get("/connectors", None).await.ok();
    app.get("/connectors", None).await.ok();
    let cleared = app.delete("/sandbox/requests", Some(CONFIG_TOKEN)).await;
    assert_eq!(cleared.status.as_u16(), 204);
    assert_eq!(app.journal("").await["total"], 0);
    app.get("/currencies", None).await.ok();
    let list = app.journal("").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["requests"][0]["id"], 3);
}

#[tokio::test]
async fn a_journal_size_of_zero_records_nothing() {
    let app = spawn_args(&["--journal-size", "0"]).await;
    app.get("/connectors", None).await.ok();
    let list = app.journal("").await;
    assert_eq!(list["capacity"], 0);
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn a_large_answer_is_sent_whole_and_recorded_cut_at_64_kib() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let reply = app
        .get("/users/me/transactions?limit=1000", Some(&bank.token))
        .await;
    let whole = reply.text.len();
    assert!(whole > 64 * 1024, "the page is {whole} bytes");
    assert!(
        reply.body["transactions"].is_array(),
        "the client got valid JSON"
    );
    let e = app.last_request().await;
    assert_eq!(e["response"]["size"], whole);
    assert_eq!(e["response"]["truncated"], true);
    let kept = e["response"]["body"].as_str().unwrap();
    assert!(
        kept.len() <= 64 * 1024 && kept.len() > 60 * 1024,
        "{}",
        kept.len()
    );
    assert!(reply.text.starts_with(kept));
}
