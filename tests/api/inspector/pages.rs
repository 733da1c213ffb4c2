//! What the inspector pages show: counts and subscriptions, users, a connection's accounts
//! in each status and its transactions page by page, a delivery pretty-printed, and every
//! value escaped.

use super::scene;
use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_overview_shows_the_clock_the_counts_and_the_subscriptions() {
    let (app, _, _) = scene().await;
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector").await;
    assert_eq!(page.status, 200);
    let t = &page.text;
    assert!(t.contains("id=\"now\">2026-01-15 10:00:00<"), "{t}");
    assert!(t.contains("id=\"frozen\""), "{t}");
    assert!(t.contains("id=\"count-users\">1<"), "{t}");
    assert!(t.contains("id=\"count-connections\">1<"), "{t}");
    assert!(
        t.contains("/sandbox/webhooks/sink"),
        "the subscription: {t}"
    );
    for form in ["advance-form", "set-form", "freeze-form", "tick-form"] {
        assert!(t.contains(&format!("id=\"{form}\"")), "{form} in {t}");
    }
    assert!(!t.contains("<script"), "no script: {t}");
    assert!(
        !t.contains("http://") || !t.contains("<link"),
        "no external asset"
    );
}

#[tokio::test]
async fn the_users_page_links_each_user_and_their_connections() {
    let (app, bank, _) = scene().await;
    let (other, _) = app.permanent_user().await;
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector/users").await;
    assert_eq!(page.status, 200);
    for id in [bank.id_user, other] {
        assert!(
            page.text
                .contains(&format!("href=\"/sandbox/inspector/users/{id}\"")),
            "{}",
            page.text
        );
    }
    let page = me
        .get(&format!("/sandbox/inspector/users/{}", bank.id_user))
        .await;
    assert!(page.text.contains(&format!(
        "href=\"/sandbox/inspector/connections/{}\"",
        bank.connection
    )));
    // The PSD2 source's consent, 180 days ahead (in summer time).
    assert!(page.text.contains("2026-07-14 11:00:00"), "{}", page.text);
    assert!(page.text.contains("(in 180 d 0 h)"), "{}", page.text);
    let missing = me.get("/sandbox/inspector/users/99999").await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn a_connection_page_shows_enabled_disabled_and_deleted_accounts() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    assert!(bank.accounts.len() >= 3, "{:?}", bank.accounts);
    let (off, gone) = (bank.accounts[0], bank.accounts[1]);
    app.post(
        &format!("/users/me/accounts/{off}"),
        Some(&bank.token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let r = app
        .call(
            Method::DELETE,
            &format!(
                "/sandbox/connections/{}/bank/accounts/{gone}",
                bank.connection
            ),
            Some(CONFIG_TOKEN),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    app.sandbox_post(
        &format!("/sandbox/connections/{}/sync", bank.connection),
        json!({}),
    )
    .await
    .ok();
    let me = inspector(&app).await;
    let page = me
        .get(&format!(
            "/sandbox/inspector/connections/{}",
            bank.connection
        ))
        .await;
    assert_eq!(page.status, 200);
    let row = |id: i64| {
        let start = page
            .text
            .find(&format!("id=\"account-{id}\""))
            .unwrap_or_else(|| panic!("account {id} in {}", page.text));
        page.text[start..]
            .split("</tr>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(row(off).contains("disabled 2026-01-15"), "{}", row(off));
    assert!(row(gone).contains("deleted 2026-01-15"), "{}", row(gone));
    assert!(
        row(bank.accounts[2]).contains(">enabled<"),
        "{}",
        row(bank.accounts[2])
    );
}

#[tokio::test]
async fn the_transactions_of_a_connection_come_page_by_page() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let all = app
        .get(
            &format!(
                "/users/me/connections/{}/transactions?limit=1000",
                bank.connection
            ),
            Some(&bank.token),
        )
        .await
        .ok();
    let total = all["transactions"].as_array().unwrap().len();
    assert!(total > 50, "more than a page: {total}");
    let me = inspector(&app).await;
    let base = format!("/sandbox/inspector/connections/{}", bank.connection);
    let first = me.get(&base).await;
    let second = me.get(&format!("{base}?offset=50")).await;
    let ids = |text: &str| -> Vec<String> {
        text.split("id=\"transaction-")
            .skip(1)
            .map(|r| r.split('"').next().unwrap().to_string())
            .collect()
    };
    let (a, b) = (ids(&first.text), ids(&second.text));
    assert_eq!(a.len(), 50);
    assert!(!b.is_empty());
    assert!(a.iter().all(|id| !b.contains(id)), "pages do not overlap");
    assert!(first.text.contains(&format!("href=\"{base}?offset=50\"")));
    assert!(second.text.contains(&format!("href=\"{base}?offset=0\"")));
    let bad = me.get(&format!("{base}?offset=-1")).await;
    assert_eq!(bad.status, 400, "{}", bad.text);
}

#[tokio::test]
async fn a_delivery_shows_its_headers_and_payload_pretty_printed() {
    let (app, bank, delivery) = scene().await;
    let me = inspector(&app).await;
    let list = me
        .get(&format!(
            "/sandbox/inspector/webhooks?id_user={}",
            bank.id_user
        ))
        .await;
    assert_eq!(list.status, 200);
    assert!(
        list.text.contains(&format!("id=\"delivery-{delivery}\"")),
        "{}",
        list.text
    );
    let page = me
        .get(&format!("/sandbox/inspector/webhooks/{delivery}"))
        .await;
    assert_eq!(page.status, 200);
    let t = &page.text;
    assert!(t.contains("<code>CONNECTION_SYNCED</code>"), "{t}");
    assert!(t.contains("id=\"status\">delivered<"), "{t}");
    // Pretty-printed (one key a line) and escaped (quotes as entities).
    assert!(
        t.contains(&format!("\n  &quot;id_webhook_data&quot;: {delivery}")),
        "{t}"
    );
    assert!(t.contains("id=\"headers\""), "{t}");
    assert!(t.to_ascii_lowercase().contains("content-type"), "{t}");
    let bad = me.get("/sandbox/inspector/webhooks?status=lost").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn hostile_logins_and_messages_are_shown_escaped() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let hostile = "<script>alert(1)</script>";
    let mut body = test_connector_credentials();
    body["login"] = json!(hostile);
    let c = app.create_connection(&token, body).await;
    let id = c["id"].as_i64().unwrap();
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/state"),
        json!({"state": "actionNeeded", "error_message": "<img src=x onerror=alert(2)>"}),
    )
    .await
    .ok();
    let me = inspector(&app).await;
    for path in [
        format!("/sandbox/inspector/users/{id_user}"),
        format!("/sandbox/inspector/connections/{id}"),
    ] {
        let page = me.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.text.contains("<script>alert"),
            "{path}: {}",
            page.text
        );
        assert!(!page.text.contains("<img src=x"), "{path}: {}", page.text);
        assert!(
            page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}"
        );
        assert!(
            page.text.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{path}"
        );
    }
}
