//! `/2.0/webauth-url`, `/2.0/webauth`, the bank's consent page and `/sandbox/webauth`:
//! every parameter check, and the outcomes a CI job can choose without a browser.

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// A credentials-only connector (Banque Hermeline).
const CREDENTIALS_ONLY: &str = HERMELINE_UUID;
/// A restricted connector (Banque Vermeil Gestion Privée).
const RESTRICTED: &str = "b5eca4d7-7910-4a78-b7ae-ca9123d90713";

fn webauth_path(params: &[(&str, &str)]) -> String {
    format!(
        "/2.0/webauth?{}",
        serde_urlencoded::to_string(params).unwrap()
    )
}

/// A user and a single-use code for it.
async fn user_and_code(app: &TestApp) -> (String, String) {
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(app, &token, "singleAccess").await;
    (token, code)
}

/// Opens a flow on the test connector and returns the bank page's URL.
async fn open_flow(app: &TestApp, code: &str, extra: &[(&str, &str)]) -> String {
    let mut p = vec![
        ("client_id", CLIENT_ID),
        ("redirect_uri", CALLBACK),
        ("token", code),
    ];
    if !extra
        .iter()
        .any(|(k, _)| *k == "id_connection" || *k == "connector_uuid")
    {
        p.push(("connector_uuid", TEST_CONNECTOR_UUID));
    }
    p.extend_from_slice(extra);
    let h = hop(app, &webauth_path(&p)).await;
    assert_eq!(h.status, 302, "webauth redirects: {}", h.text);
    let bank = h.location.expect("location");
    assert!(
        bank.starts_with(&format!("{}/bank/consent/", app.base)),
        "to the bank page: {bank}"
    );
    bank
}

#[tokio::test]
async fn webauth_url_points_at_this_servers_webauth_with_a_single_use_code() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .get(
            &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri={CALLBACK}&connector_uuid={TEST_CONNECTOR_UUID}&state=xyz"),
            Some(&token),
        )
        .await
        .ok();
    let url = r["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/2.0/webauth?", app.base)),
        "{url}"
    );
    let q = query(url);
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["redirect_uri"], CALLBACK);
    assert_eq!(q["state"], "xyz");
    assert_eq!(q["connector_uuid"], TEST_CONNECTOR_UUID);
    // The URL opens one flow; its code is then used up.
    let first = hop(&app, url).await;
    assert_eq!(first.status, 302);
    let again = hop(&app, url).await;
    assert_error_page(&again, 400, "invalidValue");
}

#[tokio::test]
async fn webauth_url_follows_the_configured_public_url() {
    let app = spawn_with(|c| c.public_url = Some("https://sandbox.example.com/".into())).await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .get(
            &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri={CALLBACK}&id_connector=40"),
            Some(&token),
        )
        .await
        .ok();
    let url = r["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://sandbox.example.com/2.0/webauth?"),
        "{url}"
    );
    assert_eq!(query(url)["id_connector"], "40");
}

#[tokio::test]
async fn webauth_url_needs_a_user_token_and_checks_its_parameters() {
    let app = spawn_app().await;
    app.get(
        &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri={CALLBACK}&id_connector=40"),
        None,
    )
    .await
    .assert_error(401, "unauthorized");
    let (_, token) = app.permanent_user().await;
    app.get(
        &format!("/webauth-url?client_id={CLIENT_ID}&id_connector=40"),
        Some(&token),
    )
    .await
    .assert_error(400, "missingParameter");
    app.get(
        &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri={CALLBACK}&id_connector=41"),
        Some(&token),
    )
    .await
    .assert_error(400, "invalidValue");
    app.get(
        &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri={CALLBACK}&id_connection=999"),
        Some(&token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn every_webauth_parameter_is_checked_before_any_redirect() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let (_, other_token) = app.permanent_user().await;
    let other = app
        .create_connection(&other_token, test_connector_credentials())
        .await;
    let synced = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let other_id = other["id"].to_string();
    let synced_id = synced["id"].to_string();
    let base = |over: &[(&'static str, &str)], drop: &[&str]| -> String {
        let mut p: Vec<(&str, String)> = vec![
            ("client_id", CLIENT_ID.into()),
            ("redirect_uri", CALLBACK.into()),
            ("token", code.clone()),
            ("connector_uuid", TEST_CONNECTOR_UUID.into()),
        ];
        p.retain(|(k, _)| !drop.contains(k) && !over.iter().any(|(o, _)| o == k));
        p.extend(over.iter().map(|(k, v)| (*k, v.to_string())));
        format!("/2.0/webauth?{}", serde_urlencoded::to_string(&p).unwrap())
    };
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "no client_id",
            base(&[], &["client_id"]),
            400,
            "missingParameter",
        ),
        (
            "unknown client_id",
            base(&[("client_id", "99999999")], &[]),
            400,
            "invalidValue",
        ),
        (
            "no redirect_uri",
            base(&[], &["redirect_uri"]),
            400,
            "missingParameter",
        ),
        (
            "redirect_uri with a query",
            base(
                &[("redirect_uri", "https://app.example.com/callback?x=1")],
                &[],
            ),
            400,
            "invalidValue",
        ),
        (
            "relative redirect_uri",
            base(&[("redirect_uri", "/callback")], &[]),
            400,
            "invalidValue",
        ),
        (
            "redirect_uri the strict app does not allow",
            base(
                &[
                    ("client_id", "87654321"),
                    ("redirect_uri", "https://evil.example.com/cb"),
                ],
                &[],
            ),
            400,
            "invalidValue",
        ),
        ("no token", base(&[], &["token"]), 400, "missingParameter"),
        (
            "unknown token",
            base(&[("token", "nope")], &[]),
            400,
            "invalidValue",
        ),
        (
            "an access token is not a code",
            base(&[("token", &token)], &[]),
            400,
            "invalidValue",
        ),
        (
            "no connector nor connection",
            base(&[], &["connector_uuid"]),
            400,
            "missingParameter",
        ),
        (
            "unknown connector",
            base(
                &[("connector_uuid", "00000000-0000-0000-0000-000000000000")],
                &[],
            ),
            404,
            "notFound",
        ),
        (
            "credentials-only connector",
            base(&[("connector_uuid", CREDENTIALS_ONLY)], &[]),
            400,
            "invalidValue",
        ),
        (
            "restricted connector",
            base(&[("connector_uuid", RESTRICTED)], &[]),
            400,
            "invalidValue",
        ),
        (
            "source that is not webauth",
            base(&[("source", "directaccess")], &[]),
            400,
            "invalidValue",
        ),
        (
            "unknown source",
            base(&[("source", "nosuch")], &[]),
            400,
            "invalidValue",
        ),
        (
            "another user's connection",
            base(&[("id_connection", &other_id)], &["connector_uuid"]),
            404,
            "notFound",
        ),
        (
            "a connection that needs nothing",
            base(&[("id_connection", &synced_id)], &["connector_uuid"]),
            400,
            "invalidValue",
        ),
        (
            "both a connector and a connection",
            base(&[("id_connection", &synced_id)], &[]),
            400,
            "invalidValue",
        ),
    ];
    for (why, path, status, code_) in cases {
        let h = hop(&app, &path).await;
        assert_eq!(h.status, status, "{why}: {}", h.text);
        assert_error_page(&h, status, code_);
    }
    // The first failing check is reported: the client before the token.
    let h = hop(
        &app,
        &base(&[("client_id", "99999999"), ("token", "nope")], &[]),
    )
    .await;
    assert!(h.text.contains("client_id"), "{}", h.text);
    // None of these used the single-use code up: it still opens a flow.
    assert_eq!(hop(&app, &base(&[], &[])).await.status, 302);
    // The strict app's own callbacks pass.
    let code2 = temporary_code(&app, &token, "singleAccess").await;
    let ok = hop(
        &app,
        &webauth_path(&[
            ("client_id", "87654321"),
            ("redirect_uri", "http://localhost:8080/callback"),
            ("token", &code2),
            ("id_connector", "40"),
        ]),
    )
    .await;
    assert_eq!(ok.status, 302, "{}", ok.text);
}

#[tokio::test]
async fn approving_creates_a_connection_with_180_days_of_consent() {
    let app = spawn_frozen().await;
    let (token, code) = user_and_code(&app).await;
    let bank = open_flow(&app, &code, &[("state", "opaque value")]).await;
    let page = hop(&app, &bank).await;
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(
        page.text.contains("Connecteur de test"),
        "the connector's name"
    );
    assert!(page.text.contains("#5c2963"), "the connector's colour");
    let h = hop(&app, &format!("{bank}?outcome=approve")).await;
    assert_eq!(h.status, 302);
    let cb = h.location.unwrap();
    assert!(cb.starts_with(&format!("{CALLBACK}?")), "{cb}");
    let q = query(&cb);
    assert_eq!(q["state"], "opaque value");
    let id: i64 = q["id_connection"].parse().unwrap();
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    assert!(
        !sources.contains_key("directaccess"),
        "only the webauth source"
    );
    assert!(!app.all_accounts(&token).await.is_empty(), "a sync ran");
    // A flow is answered once.
    assert_error_page(
        &hop(&app, &format!("{bank}?outcome=approve")).await,
        400,
        "invalidValue",
    );
}

#[tokio::test]
async fn refusing_sends_access_denied_and_creates_nothing() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let bank = open_flow(&app, &code, &[("state", "s1")]).await;
    let h = hop_form(&app, &bank, &[("decision", "refuse")]).await;
    assert_eq!(h.status, 303);
    let q = query(&h.location.unwrap());
    assert_eq!(q["error"], "access_denied");
    assert!(!q["error_description"].is_empty());
    assert_eq!(q["state"], "s1");
    let list = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn the_bank_fails_with_server_error_on_demand() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let bank = open_flow(&app, &code, &[]).await;
    let h = hop(&app, &format!("{bank}?outcome=server_error")).await;
    assert_eq!(query(&h.location.unwrap())["error"], "server_error");
    // The documented magic login on the consent form.
    let code = temporary_code(&app, &token, "singleAccess").await;
    let bank = open_flow(&app, &code, &[]).await;
    let h = hop_form(
        &app,
        &bank,
        &[
            ("login", "bankfailure"),
            ("password", "x"),
            ("decision", "approve"),
        ],
    )
    .await;
    assert_eq!(h.status, 303);
    assert_eq!(query(&h.location.unwrap())["error"], "server_error");
    // An unknown outcome is a page error, not a redirect.
    let code = temporary_code(&app, &token, "singleAccess").await;
    let bank = open_flow(&app, &code, &[]).await;
    assert_error_page(
        &hop(&app, &format!("{bank}?outcome=maybe")).await,
        400,
        "invalidValue",
    );
    assert_error_page(
        &hop(&app, "/bank/consent/nosuchflow").await,
        404,
        "notFound",
    );
}

#[tokio::test]
async fn approving_in_the_form_keeps_the_login_and_id() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let bank = open_flow(&app, &code, &[]).await;
    let h = hop_form(
        &app,
        &bank,
        &[
            ("login", "alice"),
            ("password", "secret"),
            ("decision", "approve"),
        ],
    )
    .await;
    assert_eq!(h.status, 303);
    let id: i64 = query(&h.location.unwrap())["id_connection"]
        .parse()
        .unwrap();
    let c = app
        .sandbox_get(&format!("/sandbox/connections/{id}"))
        .await
        .ok();
    assert_eq!(c["sandbox"]["login"], "alice");
    assert_eq!(
        c["id_user"],
        app.get("/users/me", Some(&token)).await.ok()["id"]
    );
}

#[tokio::test]
async fn a_webauth_required_connection_is_resumed_by_approving() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let mut body = test_connector_credentials();
    body["password"] = json!("121212");
    let r = app.post("/users/me/connections", Some(&token), body).await;
    let id = r.body["id"].as_i64().unwrap();
    assert_connection_state(&r.body, Some("webauthRequired"));
    let bank = open_flow(&app, &code, &[("id_connection", &id.to_string())]).await;
    let h = hop(&app, &format!("{bank}?outcome=approve")).await;
    assert_eq!(query(&h.location.unwrap())["id_connection"], id.to_string());
    assert_connection_state(&app.connection_of(&token, id).await, None);
}

#[tokio::test]
async fn expired_consent_on_a_webauth_bank_is_renewed_through_webauth() {
    let app = spawn_frozen().await;
    let (token, code) = user_and_code(&app).await;
    let bank = open_flow(&app, &code, &[("connector_uuid", WEBAUTH_ONLY_UUID)]).await;
    let h = hop(&app, &format!("{bank}?outcome=approve")).await;
    let id: i64 = query(&h.location.unwrap())["id_connection"]
        .parse()
        .unwrap();
    app.advance_clock("181d").await;
    let c = app.sync_connection(&token, id).await;
    assert_connection_state(&c, Some("webauthRequired"));
    let code = temporary_code(&app, &token, "singleAccess").await;
    let bank = open_flow(&app, &code, &[("id_connection", &id.to_string())]).await;
    let h = hop(&app, &format!("{bank}?outcome=approve")).await;
    assert_eq!(query(&h.location.unwrap())["id_connection"], id.to_string());
    assert_connection_state(&app.connection_of(&token, id).await, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-11 10:00:00");
}

#[tokio::test]
async fn an_outage_at_the_bank_ends_a_resume_in_server_error() {
    let app = spawn_app().await;
    let (token, code) = user_and_code(&app).await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/state"),
        json!({"state": "SCARequired"}),
    )
    .await
    .ok();
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/outage"),
        json!({"state": "websiteUnavailable", "duration": "2h"}),
    )
    .await
    .ok();
    let bank = open_flow(&app, &code, &[("id_connection", &id.to_string())]).await;
    let h = hop(&app, &format!("{bank}?outcome=approve")).await;
    assert_eq!(query(&h.location.unwrap())["error"], "server_error");
}

#[tokio::test]
async fn the_control_plane_answers_the_next_flows_without_a_browser() {
    let app = spawn_app().await;
    let (token, _) = user_and_code(&app).await;
    let none = app.sandbox_get("/sandbox/webauth").await.ok();
    assert_eq!(none, json!({"auto": null, "count": null}));
    let set = app
        .sandbox_post("/sandbox/webauth", json!({"auto": "refuse", "count": 1}))
        .await
        .ok();
    assert_eq!(set, json!({"auto": "refuse", "count": 1}));
    let code = temporary_code(&app, &token, "singleAccess").await;
    let bank = open_flow(&app, &code, &[]).await;
    let h = hop(&app, &bank).await;
    assert_eq!(h.status, 302);
    assert_eq!(query(&h.location.unwrap())["error"], "access_denied");
    // Used up: the next flow shows the form again.
    let code = temporary_code(&app, &token, "singleAccess").await;
    let bank = open_flow(&app, &code, &[]).await;
    assert_eq!(hop(&app, &bank).await.status, 200);
    // Without a count, every flow until cleared.
    app.sandbox_post("/sandbox/webauth", json!({"auto": "approve"}))
        .await
        .ok();
    for _ in 0..2 {
        let code = temporary_code(&app, &token, "singleAccess").await;
        let bank = open_flow(&app, &code, &[]).await;
        let h = hop(&app, &bank).await;
        assert!(query(&h.location.unwrap()).contains_key("id_connection"));
    }
    let cleared = app
        .sandbox_post("/sandbox/webauth", json!({"auto": null}))
        .await
        .ok();
    assert_eq!(cleared["auto"], Value::Null);
    app.sandbox_post("/sandbox/webauth", json!({"auto": "maybe"}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post("/sandbox/webauth", json!({"auto": "approve", "count": 0}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post("/sandbox/webauth", json!({}))
        .await
        .assert_error(400, "missingParameter");
    app.call(
        Method::POST,
        "/sandbox/webauth",
        Some(&token),
        Some(json!({"auto": null})),
    )
    .await
    .assert_error(401, "unauthorized");
}
