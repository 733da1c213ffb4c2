//! The inspector in a real browser: signing in, moving the clock from the overview until
//! consent runs out, forcing a state, redelivering a webhook; and nothing without signing in.
//! The README's pictures of the overview and of a connection page are taken here.

use crate::harness::{ensure, start, Browser, Check, CONFIG_TOKEN};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

const FROZEN_AT: &str = "2026-01-15 10:00:00";

async fn sign_in(b: &Browser) -> Check {
    b.goto("/sandbox/inspector").await?;
    b.wait_for_url(&b.url("/sandbox/inspector/sign-in")).await?;
    b.fill("#token", CONFIG_TOKEN).await?;
    b.click("#submit").await?;
    let at = b.wait_for_url(&b.url("/sandbox/inspector")).await?;
    ensure(!at.contains("sign-in"), || format!("signed in, at {at}"))
}

async fn delivery(b: &Browser, id: i64) -> serde_json::Value {
    b.api(
        Method::GET,
        &format!("/sandbox/webhooks/deliveries/{id}"),
        Some(CONFIG_TOKEN),
        None,
    )
    .await
}

#[tokio::test]
async fn inspector_expires_consent_from_the_overview_then_forces_a_state_and_redelivers() {
    let Some(b) = start("inspector_flow", |c| c.clock_start = Some(FROZEN_AT.into())).await else {
        return;
    };
    b.run(async |b| {
        let (token, id, _) = b.user_with_bank().await;
        sign_in(b).await?;
        // Before the built-in receiver is subscribed: its URL holds this run's port, and the
        // picture stays the same from run to run.
        b.screenshot("docs/inspector-overview.png", 1000, 860)
            .await?;
        b.api(
            Method::POST,
            "/sandbox/webhooks/subscriptions",
            Some(CONFIG_TOKEN),
            Some(json!({"url": "sink"})),
        )
        .await;

        b.fill("#advance-by", "181d").await?;
        b.click("#advance").await?;
        let now = b.text_of("#now").await?;
        ensure(now == "2026-07-15 11:00:00", || format!("clock now {now}"))?;
        b.click("#tick").await?;
        b.click("a[href^='/sandbox/inspector/users']").await?;
        b.click("#users a").await?;
        let state = b.text_of(&format!("#connection-{id} .conn-state")).await?;
        ensure(state == "SCARequired", || {
            format!("connection state: {state}")
        })?;

        b.click(&format!("a[href='/sandbox/inspector/connections/{id}']"))
            .await?;
        b.screenshot("docs/inspector-connection.png", 1000, 1000)
            .await?;
        b.select("#force-state", "actionNeeded").await?;
        b.fill("#force-message", "Call your bank").await?;
        b.click("#force").await?;
        let shown = b.text_of("#state").await?;
        ensure(shown == "actionNeeded", || format!("page state: {shown}"))?;
        let c = b
            .api(
                Method::GET,
                &format!("/users/me/connections/{id}"),
                Some(&token),
                None,
            )
            .await;
        ensure(
            c["state"] == "actionNeeded" && c["error_message"] == "Call your bank",
            || format!("API connection: {c}"),
        )?;

        b.goto("/sandbox/inspector/webhooks?status=delivered")
            .await?;
        b.click("#deliveries a").await?;
        let url = b.client.current_url().await.map_err(|e| e.to_string())?;
        let delivery_id: i64 = url
            .path()
            .rsplit('/')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or(format!("a delivery page: {url}"))?;
        let before = delivery(b, delivery_id).await["attempts"]
            .as_i64()
            .unwrap_or(0);
        let payload = b.text_of("#payload").await?;
        ensure(payload.contains("\"id_webhook_data\""), || payload.clone())?;
        b.click("#redeliver").await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let d = delivery(b, delivery_id).await;
            if d["status"] == "delivered" && d["attempts"].as_i64() == Some(before + 1) {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!("not redelivered: {d}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn inspector_pages_are_refused_to_a_browser_that_did_not_sign_in() {
    let Some(b) = start("inspector_refused", |_| {}).await else {
        return;
    };
    b.run(async |b| {
        let (_, id, _) = b.user_with_bank().await;
        for path in [
            "/sandbox/inspector".to_string(),
            "/sandbox/inspector/users".into(),
            "/sandbox/inspector/users/1".into(),
            format!("/sandbox/inspector/connections/{id}"),
            "/sandbox/inspector/webhooks".into(),
            "/sandbox/inspector/webhooks/1".into(),
            "/sandbox/inspector/requests".into(),
            "/sandbox/inspector/requests/1".into(),
        ] {
            b.goto(&path).await?;
            b.wait_for_url(&b.url("/sandbox/inspector/sign-in")).await?;
            let text = b.page_text().await?;
            ensure(text.contains("Config token"), || format!("{path}: {text}"))?;
            ensure(!text.contains("Identifiant"), || {
                format!("{path} leaks: {text}")
            })?;
        }
        // A wrong token stays on the sign-in page.
        b.fill("#token", "not-the-token").await?;
        b.click("#submit").await?;
        let error = b.text_of("#error").await?;
        ensure(!error.is_empty(), || "a wrong token is refused".into())
    })
    .await;
}

#[tokio::test]
async fn inspector_reads_a_journal_entry_of_an_api_call() {
    let Some(b) = start("inspector_journal", |c| {
        c.clock_start = Some(FROZEN_AT.into())
    })
    .await
    else {
        return;
    };
    b.run(async |b| {
        let (token, _, _) = b.user_with_bank().await;
        sign_in(b).await?;
        b.api(Method::GET, "/users/me/accounts?all", Some(&token), None)
            .await;
        b.click("#journal-link").await?;
        b.fill("input[name='path']", "/2.0/users/me/accounts")
            .await?;
        b.click("#journal-filter button").await?;
        b.click("#requests a").await?;
        let route = b.text_of("#route").await?;
        ensure(route == "/2.0/users/{user}/accounts", || {
            format!("route: {route}")
        })?;
        let status = b.text_of("#status").await?;
        ensure(status == "200", || format!("status: {status}"))?;
        let body = b.text_of("#response-body").await?;
        ensure(body.contains("\"accounts\""), || body.clone())
    })
    .await;
}
