//! Control-plane bodies are read into the types `/openapi.json` describes: a refused body
//! names the field by its path (`transactions[0].value`) in a Powens error body, and a form
//! is read like JSON.

use crate::common::*;
use serde_json::{json, Value};

fn scenario_with(transaction: Value) -> Value {
    json!({"users": [{"connections": [{
        "connector": TEST_CONNECTOR_UUID, "login": "alice", "password": "1234",
        "transactions": [transaction],
    }]}]})
}

async fn users_total(app: &TestApp) -> i64 {
    app.get("/users", Some(USERS_TOKEN)).await.ok()["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_refused_by_its_path() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    let (id_user, _) = app.permanent_user().await;
    let cases = [
        (
            format!("/sandbox/connections/{id}/bank/transactions"),
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -1},
                {"date": "2026-01-14", "value": true},
            ]}),
            "transactions[1].value",
        ),
        (
            format!("/sandbox/connections/{id}/bank/transactions"),
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -1, "counterparty": {"label": 7}},
            ]}),
            "transactions[0].counterparty.label",
        ),
        (
            format!("/sandbox/connections/{id}/bank/accounts"),
            json!({"type": "savings", "balance": [100]}),
            "balance",
        ),
        (
            format!("/sandbox/connections/{id}/state"),
            json!({"state": "SCARequired", "source": {"name": "openapi"}}),
            "source",
        ),
        (
            format!("/sandbox/connections/{id}/sync"),
            json!({"psu_requested": "maybe"}),
            "psu_requested",
        ),
        (
            "/sandbox/webhooks/test".to_string(),
            json!({"event": "USER_CREATED", "id_user": id_user, "count": "many"}),
            "count",
        ),
        (
            "/sandbox/scenario".to_string(),
            scenario_with(json!({"account": "checking", "date": 20260110, "value": -1})),
            "users[0].connections[0].transactions[0].date",
        ),
        (
            "/sandbox/scenario".to_string(),
            json!({"clock": {"freeze": "soon"}}),
            "clock.freeze",
        ),
    ];
    let before = transactions_of(&app, &token).await;
    for (path, body, field) in cases {
        app.sandbox_post(&path, body)
            .await
            .assert_names("invalidValue", field);
    }
    app.sandbox_post(&format!("/sandbox/connections/{id}/sync"), json!({}))
        .await
        .ok();
    assert_eq!(
        transactions_of(&app, &token).await,
        before,
        "nothing of a refused body is kept"
    );
}

async fn transactions_of(app: &TestApp, token: &str) -> usize {
    let r = app
        .get("/users/me/transactions?limit=1000", Some(token))
        .await
        .ok();
    r["transactions"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_nested_unknown_field_is_refused_by_its_path() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let cases = [
        (
            "/sandbox/scenario".to_string(),
            json!({"users": [{"connections": [{
                "connector": TEST_CONNECTOR_UUID, "accounts": {"enabled": "all", "hidden": []},
            }]}]}),
            "users[0].connections[0].accounts.hidden",
        ),
        (
            "/sandbox/scenario".to_string(),
            scenario_with(
                json!({"account": "checking", "date": "2026-01-10", "value": -1,
                "counterparty": {"label": "EDF", "iban": "FR76"}}),
            ),
            "users[0].connections[0].transactions[0].counterparty.iban",
        ),
        (
            "/sandbox/scenario".to_string(),
            json!({"clock": {"set": "2026-01-10 00:00:00", "frozen": true}}),
            "clock.frozen",
        ),
        (
            "/sandbox/users".to_string(),
            json!({"connections": [{"connector": TEST_CONNECTOR_UUID,
                "accounts": {"deleted": [], "closed": []}}]}),
            "connections[0].accounts.closed",
        ),
        (
            format!("/sandbox/connections/{id}/bank/transactions"),
            json!({"account": "x", "transactions": [
                {"date": "2026-01-14", "value": -1, "counterparty": {"bic": "X"}},
            ]}),
            "transactions[0].counterparty.bic",
        ),
    ];
    for (path, body, field) in cases {
        app.sandbox_post(&path, body)
            .await
            .assert_names("invalidValue", field);
    }
    assert_eq!(users_total(&app).await, 1, "no scenario user kept");
}

#[tokio::test]
async fn a_missing_nested_field_is_a_missing_parameter_named_by_its_path() {
    let app = spawn_frozen().await;
    for (transaction, field) in [
        (
            json!({"date": "2026-01-10", "value": -1}),
            "users[0].connections[0].transactions[0].account",
        ),
        (
            json!({"account": "checking", "value": -1}),
            "users[0].connections[0].transactions[0].date",
        ),
        (
            json!({"account": "checking", "date": "2026-01-10", "value": null}),
            "users[0].connections[0].transactions[0].value",
        ),
    ] {
        app.sandbox_post("/sandbox/scenario", scenario_with(transaction))
            .await
            .assert_names("missingParameter", field);
    }
    assert_eq!(users_total(&app).await, 0);
}

#[tokio::test]
async fn a_form_body_is_read_into_the_same_type() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/accounts");
    let form = [
        ("type", "savings"),
        ("name", "Livret"),
        ("balance", "12.50"),
    ];
    let r = post_form(&app, &path, Some(CONFIG_TOKEN), &form).await.ok();
    assert_eq!(r["type"], "savings", "{r}");
    assert_eq!(r["name"], "Livret", "{r}");
    let sync = format!("/sandbox/connections/{id}/sync");
    post_form(&app, &sync, Some(CONFIG_TOKEN), &[("psu_requested", "yes")])
        .await
        .assert_names("invalidValue", "psu_requested");
    let r = post_form(&app, &sync, Some(CONFIG_TOKEN), &[("psu_requested", "1")])
        .await
        .ok();
    assert_eq!(r["sync"]["found"].as_array().unwrap().len(), 1, "{r}");
}

#[tokio::test]
async fn a_delivery_filter_of_the_wrong_type_is_refused_by_name() {
    let app = spawn_frozen().await;
    for query in ["id_user=abc", "after=1.5", "id_connection=x"] {
        let field = query.split('=').next().unwrap();
        app.sandbox_get(&format!("/sandbox/webhooks/deliveries?{query}"))
            .await
            .assert_names("invalidValue", field);
    }
    let r = app
        .sandbox_get("/sandbox/webhooks/deliveries?id_user=&status=")
        .await
        .ok();
    assert!(r["total"].is_number(), "blank filters are no filter: {r}");
}
