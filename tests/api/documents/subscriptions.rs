//! Subscriptions: disabled on discovery, listed with `?all`, enabled by the PSU.

use super::*;

#[tokio::test]
async fn a_provider_connection_finds_its_contracts_disabled_until_the_psu_enables_them() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, onde("camille@example.org"))
        .await;
    let b = app.get("/users/me/subscriptions", Some(&token)).await.ok();
    assert_eq!(b["subscriptions"], json!([]));
    assert_eq!(b["total"], 0);
    let all = app
        .get("/users/me/subscriptions?all", Some(&token))
        .await
        .ok();
    let list = all["subscriptions"].as_array().unwrap();
    assert!(!list.is_empty());
    let s = &list[0];
    assert_eq!(s["id_user"], id_user);
    assert_eq!(s["id_connection"], c["id"]);
    assert_eq!(s["disabled"], CLOCK_START);
    assert_eq!(s["deleted"], Value::Null);
    assert!(s["label"].as_str().unwrap().len() > 3);
    assert!(s["number"].as_str().unwrap().starts_with("ONDE"));
    assert!(s["subscriber"].is_string());
    let id = s["id"].as_i64().unwrap();
    app.get(&format!("/users/me/subscriptions/{id}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    let enabled = app
        .post(
            &format!("/users/me/subscriptions/{id}?all"),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    assert_eq!(enabled["disabled"], Value::Null);
    assert_eq!(enabled["last_update"], CLOCK_START);
    let one = app
        .get(&format!("/users/me/subscriptions/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(one, enabled);
    let via = app
        .get(
            &format!("/users/me/connections/{}/subscriptions/{id}", c["id"]),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(via, enabled);
    let listed = app
        .get(
            &format!("/users/me/connections/{}/subscriptions", c["id"]),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(ids(&listed["subscriptions"]), [id]);
}

#[tokio::test]
async fn every_checking_account_of_a_document_bank_has_a_statements_subscription() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, hermeline("12345678", "123456"))
        .await;
    let all = app
        .get("/users/me/subscriptions?all", Some(&token))
        .await
        .ok();
    let list = all["subscriptions"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{all}");
    assert!(list[0]["label"]
        .as_str()
        .unwrap()
        .starts_with("Relevés de compte"));
    let accounts = app.all_accounts(&token).await;
    let checking = accounts.iter().find(|a| a["type"] == "checking").unwrap();
    let number = app
        .get(
            &format!("/users/me/accounts/{}?all", checking["id"]),
            Some(&token),
        )
        .await
        .ok();
    // A disabled account shows no number; the bank's contract number is the account's.
    assert_eq!(number["number"], Value::Null);
    assert_eq!(list[0]["number"].as_str().unwrap().len(), 11);
}

#[tokio::test]
async fn another_users_subscription_and_bad_bodies_get_the_powens_errors() {
    let app = spawn_frozen().await;
    let (token, connection, subs) = provider_user(&app).await;
    let (_, other) = app.permanent_user().await;
    let path = format!("/users/me/subscriptions/{}", subs[0]);
    app.get(&path, Some(&other))
        .await
        .assert_error(404, "notFound");
    app.post(&path, Some(&other), json!({"disabled": true}))
        .await
        .assert_error(404, "notFound");
    app.get(
        &format!("/users/me/connections/{connection}/subscriptions"),
        Some(&other),
    )
    .await
    .assert_error(404, "notFound");
    app.get("/users/me/subscriptions/abc", Some(&token))
        .await
        .assert_error(404, "notFound");
    app.post(&path, Some(&token), json!({"disabled": "maybe"}))
        .await
        .assert_error(400, "invalidValue");
    app.post(&path, Some(&token), json!({"colour": "red"}))
        .await
        .assert_error(400, "invalidValue");
    app.get("/users/me/subscriptions?limit=0", Some(&token))
        .await
        .assert_error(400, "invalidValue");
    app.get("/users/me/subscriptions", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_connection_expands_its_subscriptions_enabled_or_all() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, onde("camille@example.org"))
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    let all = app
        .get("/users/me/subscriptions?all", Some(&token))
        .await
        .ok();
    assert!(!all["subscriptions"].as_array().unwrap().is_empty());
    let shown = app
        .get(
            &format!("{path}?expand=subscriptions,all_subscriptions"),
            Some(&token),
        )
        .await
        .ok();
    // Found subscriptions wait for the PSU's consent: none is enabled yet.
    assert_eq!(shown["subscriptions"], json!([]));
    assert_eq!(shown["all_subscriptions"], all["subscriptions"]);
    app.enable_all_subscriptions(&token).await;
    let enabled = app.get("/users/me/subscriptions", Some(&token)).await.ok();
    let shown = app
        .get(&format!("{path}?expand=subscriptions"), Some(&token))
        .await
        .ok();
    assert_eq!(shown["subscriptions"], enabled["subscriptions"]);
    assert!(shown.get("all_subscriptions").is_none());
    let listed = app
        .get("/users/me/connections?expand=subscriptions", Some(&token))
        .await
        .ok();
    assert_eq!(
        listed["connections"][0]["subscriptions"],
        enabled["subscriptions"]
    );
}
