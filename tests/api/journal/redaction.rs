use crate::common::*;
use serde_json::json;

/// Every secret of these calls, which no journal answer may contain.
fn assert_absent(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s} is in the journal: {text}");
    }
}

#[tokio::test]
async fn passwords_client_secrets_tokens_and_the_authorization_header_are_redacted() {
    let app = spawn_frozen().await;
    let init = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        )
        .await
        .ok();
    let token = init["auth_token"].as_str().unwrap().to_string();
    let mut credentials = test_connector_credentials();
    credentials["password"] = json!("s3cret-pass-9876");
    app.create_connection(&token, credentials).await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let access = exchange_code(&app, &code).await.ok();
    let permanent = access["access_token"].as_str().unwrap().to_string();
    app.get("/users/me", Some(&permanent)).await.ok();

    let list = app.journal("").await;
    let text = list.to_string();
    assert_absent(
        &text,
        &[&token, CLIENT_SECRET, "s3cret-pass-9876", &code, &permanent],
    );
    assert_eq!(list["total"], 5);

    let by_route = |route: &str| {
        list["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["route"] == route)
            .unwrap_or_else(|| panic!("no {route} in {list}"))
            .clone()
    };
    let init_entry = by_route("/2.0/auth/init");
    let sent: serde_json::Value =
        serde_json::from_str(init_entry["request"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["client_id"], CLIENT_ID, "the rest is kept");
    assert_eq!(sent["client_secret"], "[redacted]");
    let answered: serde_json::Value =
        serde_json::from_str(init_entry["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answered["auth_token"], "[redacted]");
    assert_eq!(answered["type"], "permanent");

    let created = by_route("/2.0/users/{user}/connections");
    let sent: serde_json::Value =
        serde_json::from_str(created["request"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["password"], "[redacted]");
    assert_eq!(sent["login"], "Identifiant");
    assert_eq!(created["request"]["headers"]["authorization"], "[redacted]");

    let code_entry = by_route("/2.0/auth/token/code");
    assert_eq!(code_entry["query"], "type=singleAccess");
    let answered: serde_json::Value =
        serde_json::from_str(code_entry["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answered["code"], "[redacted]");
    let exchanged = by_route("/2.0/auth/token/access");
    let answered: serde_json::Value =
        serde_json::from_str(exchanged["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answered["access_token"], "[redacted]");
    assert_eq!(answered["token_type"], "Bearer");
}

#[tokio::test]
async fn form_bodies_and_queries_are_redacted_and_error_codes_kept() {
    let app = spawn_app().await;
    post_form(
        &app,
        "/auth/init",
        None,
        &[("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)],
    )
    .await
    .ok();
    app.get("/users/me?access_token=leaky-token-1&x=1", None)
        .await
        .assert_error(401, "unauthorized");
    let list = app.journal("").await;
    assert_absent(&list.to_string(), &[CLIENT_SECRET, "leaky-token-1"]);
    let refused = &list["requests"][0];
    assert_eq!(refused["query"], "access_token=[redacted]&x=1");
    let answered: serde_json::Value =
        serde_json::from_str(refused["response"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        answered["code"], "unauthorized",
        "an error code is no secret"
    );
    let form = &list["requests"][1];
    assert_eq!(
        form["request"]["body"],
        format!("client_id={CLIENT_ID}&client_secret=[redacted]")
    );
}
