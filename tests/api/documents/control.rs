//! The control plane puts documents at the provider; the next sync stores them with a file.

use super::*;
use reqwest::Method;

#[tokio::test]
async fn an_injected_document_arrives_with_the_next_sync_and_its_own_pdf() {
    let app = spawn_frozen().await;
    let (token, connection, subs) = provider_user(&app).await;
    let path = format!("/sandbox/connections/{connection}/bank/documents");
    let body = json!({"id_subscription": subs[0], "documents": [
        {"name": "Avoir geste commercial", "date": "2026-01-14", "total_amount": 15, "income": true, "number": "AV-1"}
    ]});
    let b = app.control(Method::POST, &path, Some(body)).await.ok();
    assert_eq!(b["injected"], 1);
    let before = documents(&app, &token, "").await["total"].as_i64().unwrap();
    app.sync_connection(&token, connection).await;
    let after = documents(&app, &token, "?min_date=2026-01-14&max_date=2026-01-14").await;
    let d = after["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == "AV-1")
        .expect("the injected document")
        .clone();
    assert_eq!(documents(&app, &token, "").await["total"], before + 1);
    assert_eq!(d["income"], true);
    assert_eq!(d["total_amount"], 15);
    assert_eq!(d["date"], "2026-01-14 00:00:00");
    let (_, ct, bytes) = app.download(d["url"].as_str().unwrap(), &token).await;
    assert_eq!(ct, "application/pdf");
    let text = pdf_text(&bytes);
    assert!(
        text.contains("Avoir geste commercial") && text.contains("15,00 €"),
        "{text}"
    );

    app.control(
        Method::POST,
        &path,
        Some(json!({"id_subscription": subs[0], "documents": [{"date": "2026-01-14"}]})),
    )
    .await
    .assert_error(400, "missingParameter");
    app.control(
        Method::POST,
        &path,
        Some(json!({"id_subscription": 999, "documents": [{"name": "x", "date": "2026-01-14"}]})),
    )
    .await
    .assert_error(404, "notFound");
    app.post(
        &path,
        Some(&token),
        json!({"id_subscription": subs[0], "documents": []}),
    )
    .await
    .assert_error(401, "unauthorized");
}
