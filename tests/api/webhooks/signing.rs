//! HMAC auth providers and signatures, and the headers of the default authorization.

use super::*;

#[tokio::test]
async fn an_auth_provider_shows_its_secret_once_and_is_listed_and_deleted() {
    let app = spawn_app().await;
    let made = auth_provider(&app, "my-listener").await;
    assert_eq!(made["type"], "hmac_signature");
    assert_eq!(made["name"], "my-listener");
    let secret = made["config"]["secret_key"].as_str().expect("secret_key");
    assert!(secret.len() >= 32, "{secret}");

    // As Formance sends it: type and name as query parameters.
    let by_query = app
        .call(
            Method::POST,
            "/webhooks/auth?type=hmac_signature&name=formance",
            Some(CONFIG_TOKEN),
            None,
        )
        .await
        .ok();
    assert_eq!(by_query["name"], "formance");
    assert_ne!(
        by_query["config"]["secret_key"],
        made["config"]["secret_key"]
    );

    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 2);
    assert_eq!(
        list["authproviders"][0],
        json!({"id": made["id"], "type": "hmac_signature", "name": "my-listener"}),
        "the secret is not shown again"
    );
    assert!(!list.to_string().contains(secret));

    let path = format!("/webhooks/auth/{}", made["id"]);
    assert_eq!(app.delete(&path, Some(CONFIG_TOKEN)).await.status, 204);
    app.delete(&path, Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["authproviders"][0]["id"], by_query["id"]);
}

#[tokio::test]
async fn auth_providers_need_the_config_token_and_a_supported_type_and_name() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let body = json!({"type": "hmac_signature", "name": "x"});
    app.post("/webhooks/auth", Some(&token), body.clone())
        .await
        .assert_error(401, "unauthorized");
    app.post("/webhooks/auth", None, body)
        .await
        .assert_error(401, "unauthorized");
    app.get("/webhooks/auth", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    app.delete("/webhooks/auth/1", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    for bad in [
        json!({"name": "x"}),
        json!({"type": "hmac_signature"}),
        json!({"type": "basic", "name": "x"}),
        json!({"type": "hmac_signature", "name": ""}),
        json!({"type": "hmac_signature", "name": "a/b"}),
        json!({"type": "hmac_signature", "name": "x".repeat(65)}),
    ] {
        let r = app
            .post("/webhooks/auth", Some(CONFIG_TOKEN), bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    let list = app.get("/webhooks/auth", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn a_subscription_with_an_hmac_provider_signs_method_path_date_and_body() {
    let receiver = Receiver::start().await;
    receiver.fail_first(1);
    let app = spawn_clock_at(CLOCK_START).await;
    let provider = auth_provider(&app, "listener").await;
    let secret = provider["config"]["secret_key"]
        .as_str()
        .unwrap()
        .to_string();
    let url = receiver.url("/v1/webhook-listener?tenant=7");
    let s = subscribe(&app, json!({"url": url, "id_auth": provider["id"]})).await;
    assert_eq!(s["id_auth"], provider["id"]);

    let (id_user, _) = app.permanent_user().await;
    receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2, "a failure, then the retry");
    for h in &hits {
        assert_eq!(h.path, "/v1/webhook-listener");
        assert_eq!(h.query.as_deref(), Some("tenant=7"));
        assert_eq!(h.json["id"], id_user);
        assert!(
            h.header("authorization").is_none(),
            "no Bearer with a signature"
        );
        let date = h.header("bi-signature-date").expect("BI-Signature-Date");
        // UTC ISO-8601 with microseconds, on the sandbox clock (CLOCK_START is Paris time).
        assert!(
            chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S%.fZ").is_ok(),
            "{date}"
        );
        assert_eq!(date.len(), "2022-06-27T11:08:52.577831Z".len(), "{date}");
        assert!(date.starts_with("2026-01-15T09:00:00."), "{date}");
        // The path only: no host, no query.
        let expected = hmac_base64(
            &secret,
            &format!("POST./v1/webhook-listener.{date}.{}", h.body),
        );
        assert_eq!(h.header("bi-signature"), Some(expected.as_str()));
        let with_query = hmac_base64(
            &secret,
            &format!("POST./v1/webhook-listener?tenant=7.{date}.{}", h.body),
        );
        assert_ne!(h.header("bi-signature"), Some(with_query.as_str()));
    }
    assert_eq!(hits[0].body, hits[1].body, "a retry sends the same body");

    // The delivery log shows the headers that were sent.
    let d = delivery(&app, hits[1].id()).await;
    assert_eq!(
        d["headers"]["BI-Signature"].as_str(),
        hits[1].header("bi-signature")
    );
}

// Headers of the default authorization.

#[tokio::test]
async fn the_default_authorization_is_a_bearer_token_of_the_user_with_json_and_a_user_agent() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    app.create_connection(&token, par()).await;
    settle(&app).await;
    let hits = receiver.delivered();
    assert!(hits.len() > 2, "{:?}", summary(&hits));
    let bearer = hits[0].header("authorization").unwrap().to_string();
    for h in &hits {
        assert_eq!(h.path, "/hooks");
        assert_eq!(
            h.header("authorization"),
            Some(bearer.as_str()),
            "one token for all the user's events"
        );
        assert_eq!(
            h.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert!(
            h.header("user-agent")
                .is_some_and(|u| u.starts_with("Budgea API/2.0")),
            "{:?}",
            h.header("user-agent")
        );
        assert!(h.header("bi-signature").is_none());
    }
    let t = bearer.strip_prefix("Bearer ").expect("Bearer");
    let me = app.get("/users/me", Some(t)).await.ok();
    assert_eq!(me["id"], id_user);
    let connections = app.get("/users/me/connections", Some(t)).await.ok();
    assert_eq!(connections["connections"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn after_the_users_tokens_are_revoked_later_webhooks_carry_a_token_that_works() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    let first = receiver.wait_delivered(1).await.remove(0);
    let old = first
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap()
        .to_string();
    // A new token that revokes every other one, the webhooks' among them.
    let renewed = app
        .post(
            "/auth/renew",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "id_user": id_user, "revoke_previous": true}),
        )
        .await
        .ok();
    let token = renewed["access_token"].as_str().unwrap();
    app.get("/users/me", Some(&old))
        .await
        .assert_error(401, "unauthorized");

    app.create_connection(token, par()).await;
    settle(&app).await;
    let later = receiver.delivered();
    assert!(later.len() > 1);
    for h in &later[1..] {
        let bearer = h
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap();
        let me = app.get("/users/me", Some(bearer)).await;
        assert_eq!(
            me.status,
            200,
            "{} carried a revoked token: {}",
            h.event(),
            me.text
        );
        assert_eq!(me.body["id"], id_user);
    }
}

// The token a delivery carries is the one the app was given.

/// The Bearer token of a delivery, without its prefix.
fn bearer_of(h: &Hit) -> Option<String> {
    h.header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(str::to_owned)
}

#[tokio::test]
async fn a_webhook_carries_the_permanent_token_the_app_got_from_auth_init() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, par()).await;
    settle(&app).await;
    let hits = receiver.delivered();
    assert!(hits.len() > 1, "{:?}", summary(&hits));
    for h in &hits {
        assert_eq!(
            bearer_of(h).as_deref(),
            Some(token.as_str()),
            "{}",
            h.event()
        );
    }
}

#[tokio::test]
async fn after_a_renewal_webhooks_carry_the_users_latest_token() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    let renewed = app
        .post(
            "/auth/renew",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "id_user": id_user}),
        )
        .await
        .ok();
    let latest = renewed["access_token"].as_str().unwrap().to_string();
    settle(&app).await;
    let before = receiver.delivered().len();
    app.create_connection(&token, par()).await;
    settle(&app).await;
    let later = receiver.delivered();
    assert!(later.len() > before);
    for h in &later[before..] {
        assert_eq!(
            bearer_of(h).as_deref(),
            Some(latest.as_str()),
            "{}",
            h.event()
        );
    }
    // Revoking the latest leaves the older one, still valid, to be sent.
    let r = app.delete("/auth/token", Some(&latest)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let c = app.get("/users/me/connections", Some(&token)).await.ok();
    let id = c["connections"][0]["id"].as_i64().unwrap();
    app.sync_connection(&token, id).await;
    settle(&app).await;
    let last = receiver.delivered();
    assert!(last.len() > later.len());
    assert_eq!(
        bearer_of(last.last().unwrap()).as_deref(),
        Some(token.as_str())
    );
}

#[tokio::test]
async fn a_user_with_no_token_left_gets_webhooks_without_authorization_and_the_log_says_why() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    settle(&app).await;
    let r = app.delete("/auth/token", Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let before = receiver.delivered().len();
    // The config token acts for the user: a connection made for them emits events.
    app.post(
        &format!("/users/{id_user}/connections"),
        Some(CONFIG_TOKEN),
        par(),
    )
    .await
    .ok();
    settle(&app).await;
    let hits = receiver.delivered();
    assert!(hits.len() > before, "{:?}", summary(&hits));
    for h in &hits[before..] {
        assert!(h.header("authorization").is_none(), "{}", h.event());
        let d = delivery(&app, h.id()).await;
        assert!(d["headers"].get("Authorization").is_none(), "{d}");
        assert!(
            d["note"]
                .as_str()
                .is_some_and(|n| n.contains("no valid permanent token")),
            "{d}"
        );
    }
    // A delivery with a token has no note.
    let d = delivery(&app, hits[0].id()).await;
    assert!(d["note"].is_null(), "{d}");
}
