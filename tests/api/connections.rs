//! `/users/{user}/connections`: creation with field checks and a first sync, lists and
//! expansions, updates, syncs, hard deletion, sources and logs (§6).

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

const WEBAUTH_ONLY: i64 = 42;
const HIDDEN: i64 = 45;
const RESTRICTED: i64 = 46;

async fn connections_total(app: &TestApp, token: &str) -> i64 {
    let b = app.get("/users/me/connections", Some(token)).await.ok();
    b["total"].as_i64().unwrap()
}

// Creation

#[tokio::test]
async fn creating_a_connection_answers_the_connection_already_synced() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = &r.body;
    assert!(c["id"].is_i64(), "{}", r.text);
    assert_eq!(c["id_user"], id_user);
    assert_eq!(c["id_connector"], 40);
    assert_eq!(c["connector_uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(c["state"], Value::Null);
    assert_eq!(c["error"], Value::Null);
    assert_eq!(c["active"], true);
    assert_eq!(c["created"], CLOCK_START);
    assert_eq!(c["last_update"], CLOCK_START, "the first sync is done");
    assert_eq!(c["next_try"], "2026-01-16 10:00:00");
    for key in [
        "active",
        "connector_uuid",
        "created",
        "error",
        "error_message",
        "expire",
        "id",
        "id_bank",
        "id_connector",
        "id_user",
        "last_push",
        "last_update",
        "next_try",
        "state",
    ] {
        assert!(c.get(key).is_some(), "missing {key} in {}", r.text);
    }
    assert!(c.get("connector").is_none(), "connector only with expand");
    assert!(
        !r.text.contains("1234"),
        "credentials never leak: {}",
        r.text
    );
}

#[tokio::test]
async fn a_connection_can_be_created_with_the_integer_connector_id() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": 40, "login": "Identifiant", "password": "1234"}),
        )
        .await;
    assert_eq!(c["connector_uuid"], TEST_CONNECTOR_UUID);
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": "40", "login": "Identifiant", "password": "1234"}),
        )
        .await;
    assert_eq!(c["id_connector"], 40);
}

#[tokio::test]
async fn a_connection_can_be_created_through_the_users_numeric_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let r = app
        .post(
            &format!("/users/{id_user}/connections"),
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id_user"], id_user);
}

#[tokio::test]
async fn a_connection_can_be_created_from_a_form_body() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let form = app
        .client
        .post(app.url("/users/me/connections"))
        .bearer_auth(&token)
        .form(&[
            ("connector_uuid", TEST_CONNECTOR_UUID),
            ("login", "Identifiant"),
            ("password", "1234"),
        ]);
    let r = TestApp::reply(form.send().await.unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn creating_a_connection_requires_a_token() {
    let app = spawn_frozen().await;
    app.post("/users/me/connections", None, test_connector_credentials())
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn creating_a_connection_for_another_user_is_not_found() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (other, other_token) = app.permanent_user().await;
    app.post(
        &format!("/users/{other}/connections"),
        Some(&token),
        test_connector_credentials(),
    )
    .await
    .assert_error(404, "notFound");
    assert_eq!(connections_total(&app, &other_token).await, 0);
}

#[tokio::test]
async fn creating_without_a_connector_is_a_missing_parameter() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"login": "Identifiant", "password": "1234"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn an_unknown_connector_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for body in [
        json!({"connector_uuid": "00000000-0000-0000-0000-000000000000", "login": "a", "password": "b"}),
        json!({"id_connector": 999999, "login": "a", "password": "b"}),
    ] {
        app.post("/users/me/connections", Some(&token), body)
            .await
            .assert_error(400, "invalidValue");
    }
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn a_missing_required_field_is_a_missing_parameter_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(
        r.body["description"].as_str().unwrap().contains("password"),
        "{}",
        r.text
    );
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"id_connector": HERMELINE, "password": "123456"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(
        r.body["description"].as_str().unwrap().contains("login"),
        "{}",
        r.text
    );
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn an_empty_required_field_is_a_missing_parameter() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant", "password": ""}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"].as_str().unwrap().contains("password"));
}

#[tokio::test]
async fn a_field_that_does_not_match_its_regex_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            hermeline("abc", "123456"),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("login"));
    // Too short, then too long, for ^[0-9]{8,11}$.
    for login in ["1234567", "123456789012"] {
        app.post(
            "/users/me/connections",
            Some(&token),
            hermeline(login, "123456"),
        )
        .await
        .assert_error(400, "invalidValue");
    }
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            hermeline("12345678", "12345"),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("password"));
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn values_matching_the_connector_regexes_are_accepted() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for login in ["12345678", "12345678901"] {
        let c = app
            .create_connection(&token, hermeline(login, "123456"))
            .await;
        assert_eq!(c["id_connector"], HERMELINE);
        assert_eq!(c["state"], Value::Null);
    }
}

#[tokio::test]
async fn a_list_field_outside_its_values_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["openapiwebsite"] = json!("nosuchscenario");
    let r = app.post("/users/me/connections", Some(&token), body).await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("openapiwebsite"));
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn list_fields_of_other_connectors_are_checked_too() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let body = |espace: &str| json!({"id_connector": 44, "login": "12345678", "password": "123456", "espace": espace});
    let r = app
        .post("/users/me/connections", Some(&token), body("ent2"))
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("espace"));
    let c = app.create_connection(&token, body("ent")).await;
    assert_eq!(c["id_connector"], 44);
}

#[tokio::test]
async fn numeric_field_values_are_read_as_text() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": HERMELINE, "login": 12345678, "password": 123456}),
        )
        .await;
    assert_eq!(c["state"], Value::Null);
}

#[tokio::test]
async fn a_field_value_that_is_not_text_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for bad in [json!(true), json!(["1234"]), json!({"v": "1234"})] {
        let r = app
            .post(
                "/users/me/connections",
                Some(&token),
                json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant", "password": bad}),
            )
            .await;
        r.assert_error(400, "invalidValue");
        assert!(r.body["description"].as_str().unwrap().contains("password"));
    }
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn refused_credentials_answer_wrongpass_and_no_connection_is_kept() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let kept = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    let mut by_password = test_connector_credentials();
    by_password["password"] = json!("wrongpass");
    let mut by_scenario = test_connector_credentials();
    by_scenario["openapiwebsite"] = json!("wrongpass");
    for body in [by_password, by_scenario] {
        let r = app.post("/users/me/connections", Some(&token), body).await;
        r.assert_error(400, "wrongpass");
        assert!(
            r.body["message"].is_string(),
            "the bank's message: {}",
            r.text
        );
    }
    let list = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["connections"][0]["id"], kept["id"]);
    // Nothing of the refused attempts was kept: every account is Hermeline's.
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_connection"], kept["id"], "{a}");
    }
}

#[tokio::test]
async fn refused_credentials_leave_no_accounts_behind() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["password"] = json!("wrongpass");
    app.post("/users/me/connections", Some(&token), body)
        .await
        .assert_error(400, "wrongpass");
    let b = app.get("/users/me/accounts?all", Some(&token)).await.ok();
    assert_eq!(b["total"], 0, "{b}");
}

#[tokio::test]
async fn a_restricted_connector_refuses_new_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.post(
        "/users/me/connections",
        Some(&token),
        json!({"id_connector": RESTRICTED, "login": "12345678", "password": "secret"}),
    )
    .await
    .assert_error(400, "invalidValue");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn a_webauth_only_connector_answers_202_in_webauth_required() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=all_accounts",
            Some(&token),
            json!({"id_connector": WEBAUTH_ONLY}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["state"], "webauthRequired");
    assert_eq!(r.body["error"], "webauthRequired");
    assert_eq!(r.body["last_update"], Value::Null);
    assert_eq!(r.body["all_accounts"], json!([]));
    assert_eq!(connections_total(&app, &token).await, 1);
}

#[tokio::test]
async fn a_hidden_connector_still_accepts_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=sources",
            Some(&token),
            json!({"id_connector": HIDDEN}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    // Its disabled directaccess source is not added.
    let names: Vec<&str> = r.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["openapi"], "{}", r.text);
}

#[tokio::test]
async fn a_new_connection_gets_every_source_in_priority_order() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=sources",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sources = r.body["sources"].as_array().unwrap();
    let summary: Vec<(String, i64, i64)> = sources
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["priority"].as_i64().unwrap(),
                s["id_connector_source"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("openapi".into(), 0, 400), ("directaccess".into(), 2, 401)]
    );
    assert!(sources[0]["id"].as_i64() < sources[1]["id"].as_i64());
    for s in sources {
        assert_eq!(s["id_connection"], r.body["id"]);
        assert_eq!(s["state"], Value::Null);
        assert_eq!(s["disabled"], Value::Null);
        assert_eq!(s["created"], CLOCK_START);
        assert_eq!(s["last_update"], CLOCK_START);
    }
    // Credentials given to the PSD2 source are a consent for 180 days.
    assert_eq!(sources[0]["access_expire"], "2026-07-14 10:00:00");
    assert_eq!(sources[1]["access_expire"], Value::Null);
}

#[tokio::test]
async fn the_source_parameter_adds_only_that_source() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=directaccess&expand=sources",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let names: Vec<&str> = r.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["directaccess"]);
    // Its accounts come from that source.
    let source_id = r.body["sources"][0]["id"].clone();
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_source"], source_id, "{a}");
    }
}

#[tokio::test]
async fn an_unknown_source_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=nosuchsource",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("source"));
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn the_first_sync_discovers_the_accounts_and_writes_a_log() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=accounts,all_accounts",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Discovered accounts are disabled: not in `accounts`, all in `all_accounts`.
    assert_eq!(r.body["accounts"], json!([]));
    let all = r.body["all_accounts"].as_array().unwrap();
    let types: Vec<&str> = all.iter().map(|a| a["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "checking",
            "savings",
            "card",
            "loan",
            "market",
            "livret_a",
            "lifeinsurance"
        ]
    );
    for a in all {
        assert_eq!(a["disabled"], CLOCK_START, "{a}");
    }
    let id = r.body["id"].as_i64().unwrap();
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 1, "{logs}");
}

#[tokio::test]
async fn an_unknown_expansion_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.get("/users/me/connections?expand=nonsense", Some(&token))
        .await
        .assert_error(400, "invalidValue");
    app.get(
        &format!("/users/me/connections/{id}?expand=nonsense"),
        Some(&token),
    )
    .await
    .assert_error(400, "invalidValue");
}

// Lists and reads

#[tokio::test]
async fn the_list_has_the_users_connections_and_a_total() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let empty = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(empty, json!({"connections": [], "total": 0}));
    let a = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    for path in [
        "/users/me/connections".to_string(),
        format!("/users/{id_user}/connections"),
    ] {
        let list = app.get(&path, Some(&token)).await.ok();
        assert_eq!(list["total"], 2);
        assert_eq!(
            ids(&list["connections"]),
            [a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap()]
        );
        assert_eq!(list["connections"][0], a, "the list shows the same object");
    }
}

#[tokio::test]
async fn the_list_shows_only_the_users_own_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (_, other) = app.permanent_user().await;
    app.create_connection(&other, test_connector_credentials())
        .await;
    assert_eq!(connections_total(&app, &token).await, 0);
    assert_eq!(connections_total(&app, &other).await, 1);
}

#[tokio::test]
async fn a_connection_is_read_by_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let me = app
        .get(&format!("/users/me/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(me, c);
    let by_id = app
        .get(&format!("/users/{id_user}/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(by_id, c);
}

#[tokio::test]
async fn unknown_and_malformed_connection_ids_are_not_found() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for path in [
        "/users/me/connections/999999",
        "/users/me/connections/abc",
        "/users/me/connections/999999/sources",
        "/users/me/connections/999999/logs",
        "/users/me/connections/999999/accounts",
    ] {
        app.get(path, Some(&token))
            .await
            .assert_error(404, "notFound");
    }
    app.put("/users/me/connections/999999", Some(&token), None)
        .await
        .assert_error(404, "notFound");
    app.post("/users/me/connections/999999", Some(&token), json!({}))
        .await
        .assert_error(404, "notFound");
    app.delete("/users/me/connections/999999", Some(&token))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn expand_connector_embeds_the_connector() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let b = app
        .get(
            &format!("/users/me/connections/{id}?expand=connector"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(b["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(b["connector"]["id"], 40);
    assert_eq!(b["connector"]["name"], "Connecteur de test");
    let list = app
        .get("/users/me/connections?expand=connector", Some(&token))
        .await
        .ok();
    assert_eq!(
        list["connections"][0]["connector"]["uuid"],
        TEST_CONNECTOR_UUID
    );
}

#[tokio::test]
async fn expand_accounts_shows_enabled_accounts_and_all_accounts_shows_every_one() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let all = app.all_accounts(&token).await;
    let checking = all[0]["id"].as_i64().unwrap();
    app.enable_accounts(&token, &[checking]).await;
    let b = app
        .get(
            &format!("/users/me/connections/{id}?expand=accounts,all_accounts,sources"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(ids(&b["accounts"]), [checking]);
    assert_eq!(b["all_accounts"].as_array().unwrap().len(), all.len());
    assert_eq!(b["sources"].as_array().unwrap().len(), 2);
    assert_eq!(b["accounts"][0]["type"], "checking");
    assert!(
        b["accounts"][0]["balance"].is_number(),
        "an enabled account has its balance: {b}"
    );
    let list = app
        .get("/users/me/connections?expand=accounts", Some(&token))
        .await
        .ok();
    assert_eq!(ids(&list["connections"][0]["accounts"]), [checking]);
}

#[tokio::test]
async fn expansions_accept_brackets_and_spaces() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .get(
            "/users/me/connections?expand=sources,%20connector[countries]",
            Some(&token),
        )
        .await
        .ok();
    let c = &b["connections"][0];
    assert!(c["sources"].is_array(), "{b}");
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID, "{b}");
}

// Updates and syncs

#[tokio::test]
async fn deactivating_a_connection_stops_its_automatic_syncs_without_syncing() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let path = format!("/users/me/connections/{id}");
    let b = app
        .post(&path, Some(&token), json!({"active": false}))
        .await
        .ok();
    assert_eq!(b["active"], false);
    assert_eq!(b["next_try"], Value::Null);
    let read = app.get(&path, Some(&token)).await.ok();
    assert_eq!(read["active"], false);
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 1, "a settings change is not a sync: {logs}");
    let b = app
        .post(&path, Some(&token), json!({"active": true}))
        .await
        .ok();
    assert_eq!(b["active"], true);
    assert!(b["next_try"].is_string(), "{b}");
}

#[tokio::test]
async fn the_expire_date_can_be_set() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    let b = app
        .post(
            &path,
            Some(&token),
            json!({"expire": "2026-06-01 00:00:00"}),
        )
        .await
        .ok();
    assert_eq!(b["expire"], "2026-06-01 00:00:00");
    assert_eq!(
        app.get(&path, Some(&token)).await.ok()["expire"],
        "2026-06-01 00:00:00"
    );
    let r = app
        .post(&path, Some(&token), json!({"expire": "next week"}))
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("expire"));
}

#[tokio::test]
async fn active_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    let r = app
        .post(&path, Some(&token), json!({"active": "sometimes"}))
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("active"));
}

#[tokio::test]
async fn new_field_values_are_checked_and_trigger_a_sync() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    let r = app
        .post(&path, Some(&token), json!({"openapiwebsite": "nope"}))
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("openapiwebsite"));
    let b = app
        .post(&path, Some(&token), json!({"password": "5678"}))
        .await
        .ok();
    assert_eq!(b["state"], Value::Null);
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

#[tokio::test]
async fn an_empty_update_syncs_the_connection() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    app.post(&path, Some(&token), json!({})).await.ok();
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

#[tokio::test]
async fn refused_new_credentials_answer_wrongpass_and_the_connection_asks_for_them_again() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    // The connection is kept, in wrongpass, with the fields to prompt.
    let b = app.get(&path, Some(&token)).await.ok();
    assert_eq!(b["state"], "wrongpass");
    assert_eq!(b["error"], "wrongpass");
    assert!(b["error_message"].is_string(), "{b}");
    let names: Vec<&str> = b["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields in {b}"))
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"password"), "{b}");
    // Good credentials bring it back.
    let b = app
        .post(&path, Some(&token), json!({"password": "1234"}))
        .await
        .ok();
    assert_eq!(b["state"], Value::Null);
    assert!(b.get("fields").is_none_or(Value::is_null), "{b}");
}

#[tokio::test]
async fn a_put_syncs_the_connection_and_writes_one_log() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let b = app.sync_connection(&token, id).await;
    assert_eq!(b["id"], id);
    assert_eq!(b["state"], Value::Null);
    assert_eq!(b["last_update"], CLOCK_START);
    let r = app
        .put(&format!("/users/me/connections/{id}"), Some(&token), None)
        .await;
    assert_eq!(r.status, 200, "psu_requested defaults to true: {}", r.text);
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 3, "{logs}");
}

#[tokio::test]
async fn psu_requested_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    app.put(
        &format!("/users/me/connections/{}?psu_requested=perhaps", c["id"]),
        Some(&token),
        None,
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn another_users_connection_is_not_found_on_every_route() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (other_id, other) = app.permanent_user().await;
    let c = app
        .create_connection(&other, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let sources = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&other))
        .await
        .ok();
    let sid = sources["sources"][0]["id"].as_i64().unwrap();
    for user in ["me".to_string(), other_id.to_string()] {
        let base = format!("/users/{user}/connections/{id}");
        for path in [
            base.clone(),
            format!("{base}/sources"),
            format!("{base}/sources/{sid}"),
            format!("{base}/logs"),
            format!("{base}/accounts"),
            format!("{base}/transactions?limit=10"),
        ] {
            app.get(&path, Some(&token))
                .await
                .assert_error(404, "notFound");
        }
        app.post(&base, Some(&token), json!({"active": false}))
            .await
            .assert_error(404, "notFound");
        app.post(
            &format!("{base}/sources/{sid}"),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .assert_error(404, "notFound");
        app.put(&base, Some(&token), None)
            .await
            .assert_error(404, "notFound");
        app.delete(&base, Some(&token))
            .await
            .assert_error(404, "notFound");
    }
    // Untouched.
    let b = app
        .get(&format!("/users/me/connections/{id}"), Some(&other))
        .await
        .ok();
    assert_eq!(b["active"], true);
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&other))
        .await
        .ok();
    assert_eq!(logs["total"], 1);
    let s = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&other))
        .await
        .ok();
    assert_eq!(s["total"], 2);
}

// Deletion

#[tokio::test]
async fn deleting_a_connection_answers_204_and_it_is_gone() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    let r = app.delete(&path, Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty(), "{}", r.text);
    app.get(&path, Some(&token))
        .await
        .assert_error(404, "notFound");
    app.delete(&path, Some(&token))
        .await
        .assert_error(404, "notFound");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn a_connection_is_deleted_through_the_users_numeric_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let r = app
        .delete(
            &format!("/users/{id_user}/connections/{}", c["id"]),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(connections_total(&app, &token).await, 0);
}

// Sources

#[tokio::test]
async fn the_sources_of_a_connection_are_listed_and_read() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let list = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&token))
        .await
        .ok();
    assert_eq!(list["total"], 2, "{list}");
    let first = &list["sources"][0];
    for key in [
        "id",
        "id_connection",
        "id_connector_source",
        "name",
        "last_update",
        "disabled",
        "created",
        "state",
        "access_expire",
        "expire",
        "next_try",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    let sid = first["id"].as_i64().unwrap();
    for path in [
        format!("/users/me/connections/{id}/sources/{sid}"),
        format!("/users/{id_user}/connections/{id}/sources/{sid}"),
    ] {
        let one = app.get(&path, Some(&token)).await.ok();
        assert_eq!(&one, first);
    }
    app.get(
        &format!("/users/me/connections/{id}/sources/999999"),
        Some(&token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_source_of_another_connection_is_not_found_under_this_one() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let a = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    let b_sources = app
        .get(
            &format!("/users/me/connections/{}/sources", b["id"]),
            Some(&token),
        )
        .await
        .ok();
    let sid = b_sources["sources"][0]["id"].as_i64().unwrap();
    app.get(
        &format!("/users/me/connections/{}/sources/{sid}", a["id"]),
        Some(&token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_disabled_source_is_hidden_unless_all_is_given() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/sources", c["id"]);
    let list = app.get(&base, Some(&token)).await.ok();
    let sid = list["sources"][1]["id"].as_i64().unwrap();
    let b = app
        .post(
            &format!("{base}/{sid}"),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    assert_eq!(b["disabled"], CLOCK_START);
    let list = app.get(&base, Some(&token)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["sources"][0]["name"], "openapi");
    for all in ["?all", "?all=", "?all=true"] {
        let list = app.get(&format!("{base}{all}"), Some(&token)).await.ok();
        assert_eq!(list["total"], 2, "{all}");
    }
    app.get(&format!("{base}/{sid}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    let one = app
        .get(&format!("{base}/{sid}?all"), Some(&token))
        .await
        .ok();
    assert_eq!(one["disabled"], CLOCK_START);
    // Re-enabling addresses the disabled source with ?all.
    let b = app
        .post(
            &format!("{base}/{sid}?all"),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    assert_eq!(b["disabled"], Value::Null);
    assert_eq!(app.get(&base, Some(&token)).await.ok()["total"], 2);
}

#[tokio::test]
async fn source_disabled_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/sources", c["id"]);
    let sid = app.get(&base, Some(&token)).await.ok()["sources"][0]["id"].clone();
    app.post(
        &format!("{base}/{sid}"),
        Some(&token),
        json!({"disabled": "maybe"}),
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn accounts_move_to_the_next_source_when_the_first_is_disabled() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let list = app.get(&base, Some(&token)).await.ok();
    let openapi = list["sources"][0]["id"].as_i64().unwrap();
    let directaccess = list["sources"][1]["id"].as_i64().unwrap();
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_source"], openapi, "{a}");
    }
    app.post(
        &format!("{base}/{openapi}"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    app.sync_connection(&token, id).await;
    for a in app.all_accounts(&token).await {
        assert_eq!(
            a["id_source"], directaccess,
            "the sync skipped openapi: {a}"
        );
        assert_eq!(a["deleted"], Value::Null, "{a}");
    }
}

#[tokio::test]
async fn a_sync_with_every_source_disabled_deletes_no_account() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let list = app.get(&base, Some(&token)).await.ok();
    for s in list["sources"].as_array().unwrap() {
        app.post(
            &format!("{base}/{}", s["id"]),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    }
    app.sync_connection(&token, id).await;
    for a in app.all_accounts(&token).await {
        assert_eq!(a["deleted"], Value::Null, "{a}");
    }
}

// Logs

#[tokio::test]
async fn logs_have_one_row_per_sync_newest_first() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.sync_connection(&token, id).await;
    app.sync_connection(&token, id).await;
    let b = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    for k in ["connectionlogs", "total", "first_date", "last_date"] {
        assert!(keys.iter().any(|x| *x == k), "missing {k} in {b}");
    }
    assert_eq!(b["total"], 3);
    let logs = b["connectionlogs"].as_array().unwrap();
    assert_eq!(logs.len(), 3);
    let log_ids: Vec<i64> = logs.iter().map(|l| l["id"].as_i64().unwrap()).collect();
    let mut sorted = log_ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(log_ids, sorted, "newest first");
    for l in logs {
        assert_eq!(l["id_user"], id_user);
        assert_eq!(l["id_connection"], id);
        assert_eq!(l["id_connector"], 40);
        assert_eq!(l["timestamp"], CLOCK_START);
        assert_eq!(l["error"], Value::Null);
        assert_eq!(l["nb_accounts"], 7, "{l}");
        for key in ["id_source", "start", "next_try", "error_message"] {
            assert!(l.get(key).is_some(), "missing {key} in {l}");
        }
    }
    assert_eq!(b["first_date"], CLOCK_START);
    assert_eq!(b["last_date"], CLOCK_START);
}

#[tokio::test]
async fn logs_are_paginated_with_limit_and_offset() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    for _ in 0..4 {
        app.sync_connection(&token, id).await;
    }
    let base = format!("/users/me/connections/{id}/logs");
    let all = app.get(&base, Some(&token)).await.ok();
    let all_ids: Vec<Value> = all["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].clone())
        .collect();
    assert_eq!(all_ids.len(), 5);
    let page = app
        .get(&format!("{base}?limit=2&offset=1"), Some(&token))
        .await
        .ok();
    assert_eq!(page["total"], 5, "total counts every match");
    let page_ids: Vec<Value> = page["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].clone())
        .collect();
    assert_eq!(page_ids, all_ids[1..3]);
    let past = app
        .get(&format!("{base}?offset=10"), Some(&token))
        .await
        .ok();
    assert_eq!(past["connectionlogs"], json!([]));
    assert_eq!(past["total"], 5);
    for bad in ["limit=abc", "limit=-1", "offset=-3", "limit=1001"] {
        app.get(&format!("{base}?{bad}"), Some(&token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn logs_are_filtered_by_date_inclusively() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/logs", c["id"]);
    for (query, total) in [
        ("min_date=2026-01-15", 1),
        ("max_date=2026-01-15", 1),
        ("min_date=2026-01-15&max_date=2026-01-15", 1),
        ("min_date=2026-01", 1),
        ("max_date=2026", 1),
        ("min_date=2026-01-16", 0),
        ("max_date=2026-01-14", 0),
        ("max_date=2025-12", 0),
        ("min_date=2027", 0),
    ] {
        let b = app.get(&format!("{base}?{query}"), Some(&token)).await.ok();
        assert_eq!(b["total"], total, "{query}: {b}");
        assert_eq!(
            b["connectionlogs"].as_array().unwrap().len(),
            total as usize,
            "{query}"
        );
    }
    for bad in [
        "min_date=15/01/2026",
        "max_date=2026-13",
        "min_date=yesterday",
    ] {
        app.get(&format!("{base}?{bad}"), Some(&token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn logs_are_filtered_by_source() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let path = format!("/users/me/connections/{id}");
    // One failing sync, blamed on the source that refused the credentials.
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    let all = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(all["total"], 2);
    let failing = all["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["error"] == "wrongpass")
        .unwrap_or_else(|| panic!("a wrongpass log in {all}"))
        .clone();
    let sid = failing["id_source"]
        .as_i64()
        .unwrap_or_else(|| panic!("the failing log names its source: {failing}"));
    let sources = app.get(&format!("{path}/sources"), Some(&token)).await.ok();
    assert!(sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == sid));
    let b = app
        .get(&format!("{path}/logs?id_source={sid}"), Some(&token))
        .await
        .ok();
    assert!(b["total"].as_i64().unwrap() >= 1, "{b}");
    for l in b["connectionlogs"].as_array().unwrap() {
        assert_eq!(l["id_source"], sid, "{l}");
    }
    let none = app
        .get(&format!("{path}/logs?id_source=999999"), Some(&token))
        .await
        .ok();
    assert_eq!(none["total"], 0);
    app.get(&format!("{path}/logs?id_source=abc"), Some(&token))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn a_failing_sync_log_carries_the_state() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    let b = app
        .get(&format!("{path}/logs?limit=1"), Some(&token))
        .await
        .ok();
    let l = &b["connectionlogs"][0];
    assert_eq!(l["error"], "wrongpass", "{b}");
    assert!(l["error_message"].is_string(), "{b}");
}

// The control plane

#[tokio::test]
async fn a_disabled_source_is_not_updated_by_later_syncs() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let sid = app.get(&base, Some(&token)).await.ok()["sources"][1]["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("{base}/{sid}"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let now = app.advance_clock("36h").await;
    assert_eq!(now["now"], "2026-01-16 22:00:00", "{now}");
    app.sync_connection(&token, id).await;
    let list = app.get(&format!("{base}?all"), Some(&token)).await.ok();
    let by_name = |name: &str| {
        list["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("openapi")["last_update"], "2026-01-16 22:00:00");
    assert_eq!(
        by_name("directaccess")["last_update"],
        CLOCK_START,
        "skipped by the sync: {list}"
    );
    let c = app
        .get(&format!("/users/me/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(c["last_update"], "2026-01-16 22:00:00");
}

#[tokio::test]
async fn logs_follow_the_sandbox_clock_and_filter_on_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.advance_clock("2d").await;
    app.sync_connection(&token, id).await;
    app.advance_clock("2d").await;
    app.sync_connection(&token, id).await;
    let base = format!("/users/me/connections/{id}/logs");
    let b = app.get(&base, Some(&token)).await.ok();
    assert_eq!(b["total"], 3);
    assert_eq!(b["first_date"], CLOCK_START);
    assert_eq!(b["last_date"], "2026-01-19 10:00:00");
    let stamps: Vec<&str> = b["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["timestamp"].as_str().unwrap())
        .collect();
    assert_eq!(
        stamps,
        [
            "2026-01-19 10:00:00",
            "2026-01-17 10:00:00",
            "2026-01-15 10:00:00"
        ]
    );
    let mid = app
        .get(
            &format!("{base}?min_date=2026-01-16&max_date=2026-01-17"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(mid["total"], 1, "{mid}");
    assert_eq!(mid["connectionlogs"][0]["timestamp"], "2026-01-17 10:00:00");
}

#[tokio::test]
async fn the_control_plane_refuses_user_tokens() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .call(
            Method::POST,
            "/sandbox/clock",
            Some(&token),
            Some(json!({"advance": "1d"})),
        )
        .await;
    assert!(
        r.status == 401 || r.status == 403,
        "status {} {}",
        r.status,
        r.text
    );
    let clock = app.control(Method::GET, "/sandbox/clock", None).await.ok();
    assert_eq!(clock["now"], CLOCK_START, "{clock}");
    assert_eq!(clock["frozen"], true, "{clock}");
}
