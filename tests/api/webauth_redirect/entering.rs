//! Every way into `webauthRequired` writes the URL, wherever the connection is shown: the
//! API, its sources, its logs and the webhook payloads.

use super::*;

#[tokio::test]
async fn a_connection_created_without_consent_says_where_to_give_it() {
    let app = spawn_frozen().await;
    let (token, c) = waiting_connection(&app).await;
    let id = id_of(&c);
    let message = c["error_message"].as_str().unwrap();
    assert!(message.starts_with("Redirecting to "), "{message}");
    let url = url_of(&app, &c);
    assert!(
        url.starts_with(&format!("{}/bank/webauth/{id}/", app.base)),
        "{url}"
    );
    // The same message wherever the connection is read, and on its waiting source.
    let again = app.connection_of(&token, id).await;
    assert_eq!(again["error_message"], c["error_message"]);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "webauthRequired");
    assert_eq!(sources["openapi"]["error_message"], c["error_message"]);
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["connectionlogs"][0]["error"], "webauthRequired");
    assert_eq!(
        logs["connectionlogs"][0]["error_message"],
        c["error_message"]
    );
}

#[tokio::test]
async fn a_lapsed_consent_found_by_a_background_sync_says_where_to_renew_it() {
    let app = spawn_frozen().await;
    let (token, id) = consented_connection(&app).await;
    assert_eq!(
        app.connection_of(&token, id).await["error_message"],
        Value::Null
    );
    app.advance_clock("181d").await;
    // The scheduler's sync: no request, so no Host to build the URL from.
    let ran = app.run_due_work().await;
    assert!(
        ran.iter()
            .any(|j| j["job"] == "sync" && j["id_connection"] == id),
        "{ran:?}"
    );
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("webauthRequired"));
    let url = url_of(&app, &c);
    assert!(url.contains(&format!("/bank/webauth/{id}/")), "{url}");
    // A sync with the PSU present finds the same state and gives the same URL.
    let synced = app.sync_connection(&token, id).await;
    assert_connection_state(&synced, Some("webauthRequired"));
    assert_eq!(webauth_url_in(&synced), url);
}

#[tokio::test]
async fn the_webauth_step_of_a_login_scenario_and_a_forced_state_give_the_url_too() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["password"] = json!("121212");
    let r = app.post("/users/me/connections", Some(&token), body).await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("webauthRequired"));
    url_of(&app, &r.body);

    // Forced by the control plane: the URL, unless the script gives its own message.
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = id_of(&c);
    let force = |body: Value| {
        let app = &app;
        async move {
            app.sandbox_post(&format!("/sandbox/connections/{id}/state"), body)
                .await
                .ok()
        }
    };
    force(json!({"state": "webauthRequired"})).await;
    let forced = app.connection_of(&token, id).await;
    assert_connection_state(&forced, Some("webauthRequired"));
    assert!(
        url_of(&app, &forced).contains(&format!("/bank/webauth/{id}/")),
        "{forced}"
    );
    force(json!({"state": null})).await;
    force(json!({"state": "webauthRequired", "error_message": "Go to your bank."})).await;
    let own = app.connection_of(&token, id).await;
    assert_eq!(own["error_message"], "Go to your bank.");
}

#[tokio::test]
async fn the_url_follows_the_configured_public_url() {
    let app = spawn_with(|c| {
        c.clock_start = Some(CLOCK_START.into());
        c.public_url = Some("https://sandbox.example.com/".into());
    })
    .await;
    let (_, c) = waiting_connection(&app).await;
    let url = webauth_url_in(&c);
    assert!(
        url.starts_with(&format!(
            "https://sandbox.example.com/bank/webauth/{}/",
            id_of(&c)
        )),
        "{url}"
    );
}

#[tokio::test]
async fn the_webhook_payloads_carry_the_message() {
    let app = spawn_frozen().await;
    app.sandbox_post("/sandbox/webhooks/subscriptions", json!({"url": "sink"}))
        .await
        .ok();
    let (token, id) = consented_connection(&app).await;
    app.advance_clock("181d").await;
    app.run_due_work().await;
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("webauthRequired"));
    let b = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/deliveries?event=CONNECTION_SYNCED&id_connection={id}&limit=100"
        ))
        .await
        .ok();
    let payloads: Vec<&Value> = b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["payload"]["connection"])
        .filter(|p| p["state"] == "webauthRequired")
        .collect();
    assert_eq!(payloads.len(), 1, "{b}");
    assert_eq!(payloads[0]["id"], id);
    assert_eq!(payloads[0]["error_message"], c["error_message"]);
    assert_eq!(webauth_url_in(payloads[0]), webauth_url_in(&c));
}

#[tokio::test]
async fn two_fresh_servers_give_the_same_message_to_the_same_requests() {
    let mut messages = Vec::new();
    for _ in 0..2 {
        let app = spawn_frozen().await;
        let (_, c) = waiting_connection(&app).await;
        let (_, second) = waiting_connection(&app).await;
        messages.push((
            c["error_message"]
                .as_str()
                .unwrap()
                .replace(&app.base, "BASE"),
            second["error_message"]
                .as_str()
                .unwrap()
                .replace(&app.base, "BASE"),
        ));
    }
    assert_eq!(messages[0], messages[1]);
    assert_ne!(messages[0].0, messages[0].1, "one URL per connection");
}
