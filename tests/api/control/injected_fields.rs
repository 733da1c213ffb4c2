//! Injected transactions take Powens' field names, and the control plane refuses fields it
//! does not know instead of dropping them.

use super::*;

async fn inject(app: &TestApp, id: i64, body: Value) -> Reply {
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/transactions"),
        body,
    )
    .await
}

#[tokio::test]
async fn an_injected_transaction_keeps_powens_field_names() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    inject(
        &app,
        id,
        json!({"id_account": account, "transactions": [{
            "date": "2026-01-14", "rdate": "2026-01-13", "vdate": "2026-01-16",
            "value": -42.5, "original_wording": "PRLV SEPA EDF CLIENTS",
            "simplified_wording": "EDF", "wording": "Électricité",
            "type": "order", "coming": false,
            "counterparty": {"label": "EDF", "account_scheme_name": "iban",
                "account_identification": "FR7630001007941234567890185", "type": "creditor"},
        }]}),
    )
    .await
    .ok();
    sync_now(&app, id, json!({})).await;
    let list = transactions(&app, &token).await;
    let t = list
        .iter()
        .find(|t| t["original_wording"] == "PRLV SEPA EDF CLIENTS")
        .expect("the injected transaction under its original_wording");
    assert_eq!(t["simplified_wording"], "EDF", "{t}");
    assert_eq!(t["wording"], "Électricité", "{t}");
    assert_eq!(t["rdate"], "2026-01-13");
    assert_eq!(t["vdate"], "2026-01-16");
    assert_eq!(t["date"], "2026-01-14");
    assert_eq!(t["type"], "order");
    assert_eq!(t["counterparty"]["label"], "EDF");
    assert_eq!(t["counterparty"]["type"], "creditor");
    assert_eq!(
        t["counterparty"]["account_identification"],
        "FR7630001007941234567890185"
    );
}

#[tokio::test]
async fn an_injected_card_payment_carries_a_masked_card_number() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    inject(
        &app,
        id,
        json!({"id_account": account, "transactions": [
            {"date": "2026-01-14", "value": -9.9, "original_wording": "CB PHARMACIE", "type": "card"},
            {"date": "2026-01-14", "value": -5, "original_wording": "CB KIOSQUE", "type": "card",
                "card": "4974012345678901"},
        ]}),
    )
    .await
    .ok();
    sync_now(&app, id, json!({})).await;
    let list = transactions(&app, &token).await;
    let by = |w: &str| list.iter().find(|t| t["original_wording"] == w).unwrap();
    let card = by("CB PHARMACIE")["card"].as_str().expect("a card number");
    assert!(
        card.len() == 16 && card.starts_with("XXXXXXXXXXXX"),
        "masked: {card}"
    );
    // The PSU's own card, as the bank's other card payments show it.
    let generated = list
        .iter()
        .find(|t| {
            t["type"] == "card"
                && t["original_wording"].as_str().unwrap().starts_with("CB ")
                && t["original_wording"] != "CB PHARMACIE"
                && t["original_wording"] != "CB KIOSQUE"
        })
        .map(|t| t["card"].clone());
    if let Some(g) = generated {
        assert_eq!(g, json!(card));
    }
    assert_eq!(by("CB KIOSQUE")["card"], "XXXXXXXXXXXX8901");
}

#[tokio::test]
async fn an_unknown_field_of_an_injected_transaction_is_refused_by_name() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    for (body, field) in [
        (
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -1, "original_wording": "A"},
                {"date": "2026-01-14", "value": -1, "label": "B"},
            ]}),
            "transactions[1].label",
        ),
        (
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -1, "counterparty": {"name": "EDF"}},
            ]}),
            "transactions[0].counterparty.name",
        ),
        (
            json!({"id_account": account, "accountt": "x", "transactions": [
                {"date": "2026-01-14", "value": -1},
            ]}),
            "accountt",
        ),
    ] {
        let r = inject(&app, id, body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "names {field}: {}",
            r.text
        );
    }
    sync_now(&app, id, json!({})).await;
    assert!(
        !transactions(&app, &token)
            .await
            .iter()
            .any(|t| t["original_wording"] == "A"),
        "nothing of a refused body is kept"
    );
}

#[tokio::test]
async fn every_control_plane_body_refuses_an_unknown_field_by_name() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let (id_user, _) = app.permanent_user().await;
    for (path, body) in [
        (
            "/sandbox/clock".to_string(),
            json!({"advance": "1h", "speed": 2}),
        ),
        (
            format!("/sandbox/connections/{id}/sync"),
            json!({"speed": 2}),
        ),
        (
            format!("/sandbox/connections/{id}/state"),
            json!({"state": "SCARequired", "speed": 2}),
        ),
        (
            format!("/sandbox/connections/{id}/bank/accounts"),
            json!({"type": "savings", "speed": 2}),
        ),
        (
            format!("/sandbox/connections/{id}/bank/outage"),
            json!({"state": "bug", "speed": 2}),
        ),
        (
            "/sandbox/webauth".to_string(),
            json!({"auto": "approve", "speed": 2}),
        ),
        (
            "/sandbox/webhooks/subscriptions".to_string(),
            json!({"url": "sink", "speed": 2}),
        ),
        (
            "/sandbox/webhooks/test".to_string(),
            json!({"event": "USER_CREATED", "id_user": id_user, "speed": 2}),
        ),
        ("/sandbox/users".to_string(), json!({"speed": 2})),
        (
            "/sandbox/scenario".to_string(),
            json!({"users": [], "speed": 2}),
        ),
        (
            "/sandbox/scenario".to_string(),
            json!({"users": [{"connections": [{
                "connector": TEST_CONNECTOR_UUID, "login": "alice", "password": "1234",
                "transactions": [{"account": "checking", "date": "2026-01-10", "value": -1, "speed": 2}],
            }]}]}),
        ),
    ] {
        let r = app.sandbox_post(&path, body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains("speed"),
            "{path} names the field: {}",
            r.text
        );
    }
    assert_eq!(
        app.sandbox_now().await,
        CLOCK_START,
        "the clock did not move"
    );
}
