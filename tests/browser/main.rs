//! Complete flows in a real (headless) Chromium: the bank's consent page behind `/webauth`,
//! and the webview's connect, reconnect and manage. A failing test leaves a screenshot in
//! `test-artifacts/`.

mod harness;
mod inspector;

use harness::{ensure, query, start, Browser, CLIENT_ID, TEST_CONNECTOR_UUID};
use reqwest::Method;
use serde_json::json;

fn webauth_path(b: &Browser, code: &str, state: &str) -> String {
    format!(
        "/2.0/webauth?{}",
        serde_urlencoded::to_string([
            ("client_id", CLIENT_ID),
            ("redirect_uri", b.callback().as_str()),
            ("token", code),
            ("connector_uuid", TEST_CONNECTOR_UUID),
            ("state", state),
        ])
        .unwrap()
    )
}

#[tokio::test]
async fn webauth_approved_on_the_bank_page_creates_the_connection() {
    let Some(b) = start("webauth_approve", |_| {}).await else {
        return;
    };
    b.run(async |b| {
        let token = b.user().await;
        let code = b.code(&token).await;
        b.goto(&webauth_path(b, &code, "web-1")).await?;
        b.wait_for_url(&b.url("/bank/consent/")).await?;
        let header = b.text_of("header h1").await?;
        ensure(header == "Connecteur de test", || {
            format!("bank header: {header}")
        })?;
        b.fill("#login", "alice").await?;
        b.fill("#password", "secret").await?;
        b.click("#approve").await?;
        let cb = b.wait_for_url(&b.callback()).await?;
        let q = query(&cb);
        ensure(q.get("state").map(String::as_str) == Some("web-1"), || {
            format!("state in {cb}")
        })?;
        let id = q
            .get("id_connection")
            .ok_or(format!("no id_connection in {cb}"))?;
        let c = b
            .api(
                Method::GET,
                &format!("/users/me/connections/{id}"),
                Some(&token),
                None,
            )
            .await;
        ensure(c["state"].is_null(), || format!("connection state: {c}"))
    })
    .await;
}

#[tokio::test]
async fn webauth_refused_on_the_bank_page_returns_access_denied() {
    let Some(b) = start("webauth_refuse", |_| {}).await else {
        return;
    };
    b.run(async |b| {
        let token = b.user().await;
        let code = b.code(&token).await;
        b.goto(&webauth_path(b, &code, "web-2")).await?;
        b.click("#refuse").await?;
        let cb = b.wait_for_url(&b.callback()).await?;
        let q = query(&cb);
        ensure(
            q.get("error").map(String::as_str) == Some("access_denied"),
            || format!("error in {cb}"),
        )?;
        let list = b
            .api(Method::GET, "/users/me/connections", Some(&token), None)
            .await;
        ensure(list["total"] == 0, || format!("no connection: {list}"))
    })
    .await;
}

#[tokio::test]
async fn webview_connect_with_credentials_then_otp() {
    let Some(b) = start("webview_connect_otp", |_| {}).await else {
        return;
    };
    b.run(async |b| {
        let token = b.user().await;
        let code = b.code(&token).await;
        let entry = format!(
            "/webview/en/connect?{}",
            serde_urlencoded::to_string([
                ("domain", "sandbox.biapi.pro"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", b.callback().as_str()),
                ("code", code.as_str()),
                ("state", "wv-1"),
            ])
            .unwrap()
        );
        b.goto(&entry).await?;
        b.fill("#q", "test").await?;
        b.click("form button[type=submit]").await?;
        b.click("#connectors a").await?;
        b.fill("#field-login", "Identifiant").await?;
        b.fill("#field-password", "1234").await?;
        b.select("#field-openapiwebsite", "additionalInformationNeeded")
            .await?;
        b.click("#submit").await?;
        b.fill("#field-otp", "000000").await?;
        b.click("#submit").await?;
        let refused = b.text_of("#error").await?;
        ensure(!refused.is_empty(), || "a wrong code is refused".into())?;
        b.fill("#field-otp", "123456").await?;
        b.click("#submit").await?;
        b.click("#share").await?;
        let cb = b.wait_for_url(&b.callback()).await?;
        let q = query(&cb);
        ensure(q.contains_key("connection_id"), || {
            format!("connection_id in {cb}")
        })?;
        ensure(q.get("state").map(String::as_str) == Some("wv-1"), || {
            format!("state in {cb}")
        })?;
        let accounts = b
            .api(Method::GET, "/users/me/accounts", Some(&token), None)
            .await;
        ensure(accounts["total"].as_i64().unwrap_or(0) > 0, || {
            format!("shared accounts are enabled: {accounts}")
        })
    })
    .await;
}

#[tokio::test]
async fn webview_reconnect_after_the_clock_expired_consent() {
    let Some(b) = start("webview_reconnect", |c| {
        c.clock_start = Some("2026-01-15 10:00:00".into())
    })
    .await
    else {
        return;
    };
    b.run(async |b| {
        let (token, id, _) = b.user_with_bank().await;
        b.api(
            Method::POST,
            "/sandbox/clock",
            Some(harness::CONFIG_TOKEN),
            Some(json!({"advance": "181d"})),
        )
        .await;
        let c = b
            .api(
                Method::PUT,
                &format!("/users/me/connections/{id}?psu_requested=false"),
                Some(&token),
                None,
            )
            .await;
        ensure(c["state"] == "SCARequired", || format!("expired: {c}"))?;
        let code = b.code(&token).await;
        let entry = format!(
            "/webview/reconnect?{}",
            serde_urlencoded::to_string([
                ("domain", "sandbox.biapi.pro"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", b.callback().as_str()),
                ("code", code.as_str()),
                ("connection_id", id.to_string().as_str()),
                ("state", "rc-1"),
            ])
            .unwrap()
        );
        b.goto(&entry).await?;
        b.click("#authenticate").await?;
        let cb = b.wait_for_url(&b.callback()).await?;
        ensure(
            query(&cb).get("state").map(String::as_str) == Some("rc-1"),
            || format!("state in {cb}"),
        )?;
        let c = b
            .api(
                Method::GET,
                &format!("/users/me/connections/{id}"),
                Some(&token),
                None,
            )
            .await;
        ensure(c["state"].is_null(), || format!("reconnected: {c}"))
    })
    .await;
}

#[tokio::test]
async fn webview_manage_stops_sharing_an_account() {
    let Some(b) = start("webview_manage", |_| {}).await else {
        return;
    };
    b.run(async |b| {
        let (token, _, accounts) = b.user_with_bank().await;
        let code = b.code(&token).await;
        let entry = format!(
            "/webview/en/manage?{}",
            serde_urlencoded::to_string([
                ("domain", "sandbox.biapi.pro"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", b.callback().as_str()),
                ("code", code.as_str()),
                ("state", "mg-1"),
            ])
            .unwrap()
        );
        b.goto(&entry).await?;
        let first = accounts[0];
        b.click(&format!("#toggle-{first}")).await?;
        let row = b.text_of(&format!("#account-{first}")).await?;
        ensure(row.contains("not shared"), || format!("account row: {row}"))?;
        let a = b
            .api(
                Method::GET,
                &format!("/users/me/accounts/{first}?all"),
                Some(&token),
                None,
            )
            .await;
        ensure(!a["disabled"].is_null(), || format!("disabled: {a}"))?;
        b.click("#close").await?;
        let cb = b.wait_for_url(&b.callback()).await?;
        ensure(
            query(&cb).get("state").map(String::as_str) == Some("mg-1"),
            || format!("state in {cb}"),
        )
    })
    .await;
}
