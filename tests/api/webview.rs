//! The webview pages over plain HTTP: entry checks, and the connect, reconnect and manage
//! flows driven with forms and redirects, as a browser without JavaScript would.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn every_entry_parameter_is_checked_on_an_error_page() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "requestAccess").await;
    let (_, other) = app.permanent_user().await;
    let theirs = app
        .create_connection(&other, test_connector_credentials())
        .await;
    let theirs = theirs["id"].to_string();
    let d = ("domain", "sandbox.biapi.pro");
    let c = ("client_id", CLIENT_ID);
    let r = ("redirect_uri", CALLBACK);
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "no domain",
            webview_entry("connect", &[c, r]),
            400,
            "missingParameter",
        ),
        (
            "no client_id",
            webview_entry("connect", &[d, r]),
            400,
            "missingParameter",
        ),
        (
            "unknown client",
            webview_entry("connect", &[d, ("client_id", "1"), r]),
            400,
            "invalidValue",
        ),
        (
            "no redirect_uri",
            webview_entry("connect", &[d, c]),
            400,
            "missingParameter",
        ),
        (
            "redirect_uri not allowed",
            webview_entry(
                "connect",
                &[
                    d,
                    ("client_id", "87654321"),
                    ("redirect_uri", "https://evil.example.com/"),
                ],
            ),
            400,
            "invalidValue",
        ),
        (
            "bad code",
            webview_entry("connect", &[d, c, r, ("code", "nope")]),
            400,
            "invalidValue",
        ),
        (
            "reconnect without code",
            webview_entry("reconnect", &[d, c, r, ("connection_id", "1")]),
            400,
            "missingParameter",
        ),
        (
            "reconnect without connection",
            webview_entry("reconnect", &[d, c, r, ("code", &code)]),
            400,
            "missingParameter",
        ),
        (
            "reconnect of another user's connection",
            webview_entry(
                "reconnect",
                &[d, c, r, ("code", &code), ("connection_id", &theirs)],
            ),
            404,
            "notFound",
        ),
        (
            "manage without code",
            webview_entry("manage", &[d, c]),
            400,
            "missingParameter",
        ),
        (
            "max_connections 0",
            webview_entry("connect", &[d, c, r, ("max_connections", "0")]),
            400,
            "invalidValue",
        ),
        (
            "unknown connector",
            webview_entry("connect", &[d, c, r, ("connector_uuids", "nope")]),
            400,
            "invalidValue",
        ),
        (
            "unknown flow",
            webview_entry("transfer", &[d, c, r]),
            404,
            "notFound",
        ),
        (
            "payment",
            webview_entry("payment", &[d, c, r]),
            400,
            "invalidValue",
        ),
        (
            "unknown language",
            format!("/webview/xx/connect?domain=a&client_id={CLIENT_ID}"),
            404,
            "notFound",
        ),
    ];
    for (why, path, status, code_) in cases {
        let h = hop(&app, &path).await;
        assert_eq!(h.status, status, "{why}: {}", h.text);
        assert_error_page(&h, status, code_);
    }
    // With a language, and on the legacy API-host path.
    let h = hop(
        &app,
        &format!("/webview/fr/connect?domain=a&client_id={CLIENT_ID}&redirect_uri={CALLBACK}"),
    )
    .await;
    assert_eq!(h.status, 302);
    let h = hop(
        &app,
        &format!("/2.0/auth/webview/en/manage?domain=a&client_id={CLIENT_ID}&code={code}"),
    )
    .await;
    assert_eq!(h.status, 302);
}

#[tokio::test]
async fn connect_with_credentials_then_otp_then_accounts_returns_to_the_app() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let (session, picker) = visit(
        &app,
        "connect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("code", &code),
            ("state", "st-1"),
        ],
    )
    .await;
    assert_eq!(picker.status, 200);
    assert!(picker.text.contains("Connecteur de test"));
    assert!(
        !picker.text.contains("Banque Vermeil"),
        "restricted connectors are not offered"
    );
    let search = hop(&app, &format!("{session}/connectors?q=hermel")).await;
    assert!(search.text.contains("Banque Hermeline"));
    assert!(!search.text.contains("Connecteur de test"));
    let form_path = format!("{session}/connectors/{TEST_CONNECTOR_UUID}");
    let form = hop(&app, &form_path).await;
    assert!(
        form.text.contains("name=\"openapiwebsite\""),
        "fields from the connector"
    );
    // Refused credentials show the form again and keep nothing.
    let refused = hop_form(
        &app,
        &form_path,
        &[("login", "Identifiant"), ("password", "wrongpass")],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("id=\"error\""));
    assert_eq!(
        app.get("/users/me/connections", Some(&token)).await.ok()["total"],
        0
    );
    let created = hop_form(
        &app,
        &form_path,
        &[
            ("login", "Identifiant"),
            ("password", "1234"),
            ("openapiwebsite", "additionalInformationNeeded"),
            ("directaccesswebsite", ""),
        ],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.text);
    let conn_path = created.location.clone().unwrap();
    let otp_page = follow(&app, created).await;
    assert!(otp_page.text.contains("name=\"otp\""), "{}", otp_page.text);
    let wrong = hop_form(&app, &format!("{conn_path}/otp"), &[("otp", "000000")]).await;
    assert_eq!(wrong.status, 400);
    let ok = hop_form(&app, &format!("{conn_path}/otp"), &[("otp", "123456")]).await;
    assert_eq!(ok.status, 303);
    let accounts = follow(&app, ok).await;
    let ids = account_ids(&accounts.text);
    assert!(ids.len() >= 2, "{}", accounts.text);
    let id_conn: i64 = conn_path.rsplit('/').next().unwrap().parse().unwrap();
    let done = hop_form(
        &app,
        &format!("{conn_path}/accounts"),
        &[("account", ids[0].as_str())],
    )
    .await;
    assert_eq!(done.status, 303);
    let cb = done.location.unwrap();
    assert!(cb.starts_with(&format!("{CALLBACK}?")), "{cb}");
    let q = query(&cb);
    assert_eq!(q["connection_id"], id_conn.to_string());
    assert_eq!(q["connection_ids"], id_conn.to_string());
    assert_eq!(q["state"], "st-1");
    assert!(!q.contains_key("code"), "the app gave a code: none back");
    let all = app.all_accounts(&token).await;
    for a in &all {
        let chosen = a["id"].as_i64() == ids[0].parse::<i64>().ok();
        assert_eq!(a["disabled"].is_null(), chosen, "{a}");
    }
    let txs = app
        .get("/users/me/transactions?limit=10", Some(&token))
        .await
        .ok();
    assert!(
        !txs["transactions"].as_array().unwrap().is_empty(),
        "history fetched"
    );
    // The visit has ended.
    assert_error_page(&hop(&app, &session).await, 400, "invalidValue");
}

#[tokio::test]
async fn connect_without_a_code_creates_a_user_whose_code_exchanges_for_a_token() {
    let app = spawn_app().await;
    let (session, form) = visit(
        &app,
        "connect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("connector_uuids", TEST_CONNECTOR_UUID),
        ],
    )
    .await;
    assert!(
        form.text.contains("name=\"login\""),
        "one connector: no picker"
    );
    let created = hop_form(
        &app,
        &format!("{session}/connectors/{TEST_CONNECTOR_UUID}"),
        &[
            ("login", "Identifiant"),
            ("password", "1234"),
            ("openapiwebsite", "par"),
        ],
    )
    .await;
    let accounts = follow(&app, created).await;
    let ids = account_ids(&accounts.text);
    let conn_path = format!(
        "{session}/connections/{}",
        accounts
            .text
            .split("/connections/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
    );
    let pairs: Vec<(&str, &str)> = ids.iter().map(|i| ("account", i.as_str())).collect();
    let done = hop_form(&app, &format!("{conn_path}/accounts"), &pairs).await;
    let q = query(&done.location.unwrap());
    let code = &q["code"];
    let r = exchange_code(&app, code).await.ok();
    let token = r["access_token"].as_str().unwrap();
    let list = app.get("/users/me/connections", Some(token)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["connections"][0]["id"].to_string(), q["connection_id"]);
}

#[tokio::test]
async fn leaving_the_webview_gives_access_denied_or_tos_declined() {
    let app = spawn_app().await;
    let params = [
        ("domain", "x"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", CALLBACK),
        ("state", "s"),
    ];
    let (session, _) = visit(&app, "connect", &params).await;
    let h = hop_form(
        &app,
        &format!("{session}/cancel"),
        &[("error", "access_denied")],
    )
    .await;
    let q = query(&h.location.unwrap());
    assert_eq!(
        (q["error"].as_str(), q["state"].as_str()),
        ("access_denied", "s")
    );
    let (session, _) = visit(&app, "connect", &params).await;
    let h = hop_form(
        &app,
        &format!("{session}/cancel"),
        &[("error", "tos_declined")],
    )
    .await;
    assert_eq!(query(&h.location.unwrap())["error"], "tos_declined");
}

#[tokio::test]
async fn connect_through_the_banks_webauth_with_the_headless_setting() {
    let app = spawn_app().await;
    app.sandbox_post("/sandbox/webauth", json!({"auto": "approve"}))
        .await
        .ok();
    let (session, page) = visit(
        &app,
        "connect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("connector_uuids", WEBAUTH_ONLY_UUID),
        ],
    )
    .await;
    assert!(page.text.contains("id=\"webauth\""), "{}", page.text);
    let h = hop_form(
        &app,
        &format!("{session}/connectors/{WEBAUTH_ONLY_UUID}/webauth"),
        &[],
    )
    .await;
    assert_eq!(h.status, 303);
    let accounts = follow(&app, h).await;
    assert!(!account_ids(&accounts.text).is_empty(), "{}", accounts.text);
    // A bank failure goes back to the app as server_error.
    app.sandbox_post("/sandbox/webauth", json!({"auto": "server_error"}))
        .await
        .ok();
    let (session, _) = visit(
        &app,
        "connect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("connector_uuids", WEBAUTH_ONLY_UUID),
        ],
    )
    .await;
    let h = hop_form(
        &app,
        &format!("{session}/connectors/{WEBAUTH_ONLY_UUID}/webauth"),
        &[],
    )
    .await;
    let out = follow(&app, h).await;
    assert_eq!(
        query(&absolute(&app, &out.location.unwrap()))["error"],
        "server_error"
    );
}

#[tokio::test]
async fn reconnect_renews_consent_the_clock_expired() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.advance_clock("181d").await;
    let c = app.sync_connection(&bank.token, bank.connection).await;
    assert_connection_state(&c, Some("SCARequired"));
    let code = temporary_code(&app, &bank.token, "singleAccess").await;
    let (session, page) = visit(
        &app,
        "reconnect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("code", &code),
            ("connection_id", &bank.connection.to_string()),
            ("state", "r1"),
        ],
    )
    .await;
    assert!(page.text.contains("id=\"authenticate\""), "{}", page.text);
    let h = hop_form(
        &app,
        &format!("{session}/connections/{}/sca", bank.connection),
        &[],
    )
    .await;
    let out = follow(&app, h).await;
    let cb = out.location.unwrap();
    assert!(cb.starts_with(CALLBACK), "{cb}");
    assert_eq!(query(&cb)["state"], "r1");
    assert_connection_state(&app.connection_of(&bank.token, bank.connection).await, None);
    let sources = app.sources_by_name(&bank.token, bank.connection).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-11 10:00:00");
}

#[tokio::test]
async fn manage_stops_sharing_an_account_and_deletes_a_connection() {
    let app = spawn_app().await;
    let bank = app.user_with_bank().await;
    let code = temporary_code(&app, &bank.token, "requestAccess").await;
    let (session, page) = visit_in(
        &app,
        "en",
        "manage",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            ("code", &code),
            ("state", "m"),
        ],
    )
    .await;
    let first = bank.accounts[0];
    assert!(
        page.text.contains(&format!("id=\"toggle-{first}\"")),
        "{}",
        page.text
    );
    let h = hop_form(
        &app,
        &format!("{session}/accounts/{first}"),
        &[("disabled", "true")],
    )
    .await;
    assert_eq!(h.status, 303);
    let a = app
        .get(
            &format!("/users/me/accounts/{first}?all"),
            Some(&bank.token),
        )
        .await
        .ok();
    assert!(!a["disabled"].is_null());
    let page = follow(&app, h).await;
    assert!(page.text.contains("not shared"));
    let h = hop_form(
        &app,
        &format!("{session}/connections/{}/delete", bank.connection),
        &[],
    )
    .await;
    assert_eq!(h.status, 303);
    app.get(
        &format!("/users/me/connections/{}", bank.connection),
        Some(&bank.token),
    )
    .await
    .assert_error(404, "notFound");
    let h = hop_form(&app, &format!("{session}/finish"), &[]).await;
    let q = query(&h.location.unwrap());
    assert_eq!(q["connection_deleted"], "true");
    assert_eq!(q["connection_id"], bank.connection.to_string());
    assert_eq!(q["state"], "m");
}

#[tokio::test]
async fn an_expired_visit_sends_session_expired_to_the_app() {
    let app = spawn_frozen().await;
    let (session, _) = visit(
        &app,
        "connect",
        &[
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    app.advance_clock("2h").await;
    let h = hop(&app, &session).await;
    assert_eq!(h.status, 303);
    assert_eq!(query(&h.location.unwrap())["error"], "session_expired");
}

/// The test connector's id in the catalogue (seed/connectors.json).
const TEST_CONNECTOR_ID: &str = "40";

#[tokio::test]
async fn a_single_connector_id_skips_the_picker_as_a_single_uuid_does() {
    let app = spawn_app().await;
    let params = |key: &'static str, value: &'static str| {
        vec![
            ("domain", "x"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", CALLBACK),
            (key, value),
        ]
    };
    for (key, value) in [
        ("connector_ids", TEST_CONNECTOR_ID),
        ("connector_uuids", TEST_CONNECTOR_UUID),
    ] {
        let (session, form) = visit(&app, "connect", &params(key, value)).await;
        assert_eq!(form.status, 200);
        assert!(
            form.text.contains("name=\"login\"") && !form.text.contains("id=\"connectors\""),
            "{key}: the form, no picker: {}",
            form.text
        );
        assert!(form.text.contains(&format!(
            "action=\"{session}/connectors/{TEST_CONNECTOR_UUID}\""
        )));
    }
    // Two ids: the picker, with those two only.
    let (_, picker) = visit(&app, "connect", &params("connector_ids", "40,41")).await;
    assert!(picker.text.contains("id=\"connectors\""), "{}", picker.text);
    assert!(picker.text.contains("Connecteur de test"));
    assert!(picker.text.contains("Banque Hermeline"));
    assert!(!picker.text.contains("Célestine Banque"));
    // Unknown ids are refused at the entry, as unknown uuids are.
    for bad in ["999999", "abc"] {
        let h = hop(
            &app,
            &webview_entry(
                "connect",
                &[
                    ("domain", "x"),
                    ("client_id", CLIENT_ID),
                    ("redirect_uri", CALLBACK),
                    ("connector_ids", bad),
                ],
            ),
        )
        .await;
        assert_error_page(&h, 400, "invalidValue");
    }
}
