//! Tenants: a whole sandbox per Powens domain, addressed by `/t/{domain}` or the Host
//! `{domain}.localhost`; the default tenant is the sandbox as it always was.

mod control;

use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn each_tenant_has_its_own_ids_tokens_and_clock() {
    let app = spawn_clock_at("2026-01-05 09:00:00").await;
    let (alpha, beta) = (app.tenant("alpha"), app.tenant("beta"));
    let (id_default, _) = app.permanent_user().await;
    let (id_a, token_a) = alpha.permanent_user().await;
    let (id_b, token_b) = beta.permanent_user().await;
    assert_eq!((id_default, id_a, id_b), (1, 1, 1));
    let (id_a2, _) = alpha.permanent_user().await;
    assert_eq!(id_a2, 2);

    // A token of one tenant is unknown in another, and in the default tenant.
    beta.get("/users/me", Some(&token_a))
        .await
        .assert_error(401, "unauthorized");
    app.get("/users/me", Some(&token_b))
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(alpha.get("/users/me", Some(&token_a)).await.ok()["id"], 1);

    // Connections and accounts have their own ids too.
    let ca = alpha
        .create_connection(&token_a, test_connector_credentials())
        .await;
    let cb = beta
        .create_connection(&token_b, test_connector_credentials())
        .await;
    assert_eq!(ca["id"], 1);
    assert_eq!(cb["id"], 1);
    assert_eq!(beta.all_accounts(&token_b).await[0]["id"], 1);

    // Moving one tenant's clock leaves the others where they were.
    let before = app.sandbox_now().await;
    alpha.advance_clock("30d").await;
    assert_eq!(beta.sandbox_now().await, before);
    assert_eq!(app.sandbox_now().await, before);
    assert_ne!(alpha.sandbox_now().await, before);
}

#[tokio::test]
async fn reset_and_webhooks_stay_in_their_tenant() {
    let app = spawn_app().await;
    let (alpha, beta) = (app.tenant("alpha"), app.tenant("beta"));
    let (_, token_a) = alpha.permanent_user().await;
    let (_, token_b) = beta.permanent_user().await;
    alpha
        .control(
            Method::POST,
            "/sandbox/webhooks/subscriptions",
            Some(json!({ "url": "sink" })),
        )
        .await;
    let subs = |t: &TestApp| {
        let t = TestApp {
            base: t.base.clone(),
            client: t.client.clone(),
        };
        async move { t.sandbox_get("/sandbox/webhooks/subscriptions").await }
    };
    let in_beta = subs(&beta).await;
    assert!(!in_beta.text.contains("sink"), "{}", in_beta.text);
    let in_alpha = subs(&alpha).await;
    assert!(
        in_alpha
            .text
            .contains(&format!("{}/sandbox/webhooks/sink", alpha.base)),
        "the sink URL stays in the tenant: {}",
        in_alpha.text
    );

    alpha.sandbox_post("/sandbox/reset", json!({})).await.ok();
    alpha
        .get("/users/me", Some(&token_a))
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(beta.get("/users/me", Some(&token_b)).await.ok()["id"], 1);
}

#[tokio::test]
async fn webauth_urls_and_their_redirects_stay_in_the_tenant() {
    let app = spawn_app().await;
    let alpha = app.tenant("alpha");
    let (_, token) = alpha.permanent_user().await;
    let r = alpha
        .get(
            &format!("/webauth-url?client_id={CLIENT_ID}&redirect_uri=https://app.example/cb&connector_uuid={TEST_CONNECTOR_UUID}&state=s"),
            Some(&token),
        )
        .await
        .ok();
    let url = r["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/2.0/webauth?", alpha.base)),
        "{url}"
    );
    let res = app.client.get(url).send().await.expect("webauth");
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let absolute = if location.starts_with('/') {
        format!("{}{location}", app.origin())
    } else {
        location.clone()
    };
    assert!(
        absolute.starts_with(&format!("{}/", alpha.base)),
        "the redirect stays in the tenant: {location}"
    );
    // The page it leads to is the tenant's own.
    let page = app.client.get(&absolute).send().await.expect("page");
    assert!(page.status().is_success() || page.status().is_redirection());
}

#[tokio::test]
async fn the_host_form_reaches_the_same_tenant_as_the_prefix() {
    let app = spawn_app().await;
    let host = |h: &str| {
        app.client
            .post(format!("{}/2.0/auth/init", app.origin()))
            .header("host", h)
            .json(&json!({}))
    };
    let first = host("gamma.localhost").send().await.expect("init");
    assert_eq!(first.status(), 200);
    let first: serde_json::Value = first.json().await.unwrap();
    assert_eq!(first["id_user"], 1);
    let token = first["auth_token"].as_str().unwrap();
    // The prefix form reaches the same tenant; the default tenant does not know the user.
    assert_eq!(
        app.tenant("gamma").get("/users/me", Some(token)).await.ok()["id"],
        1
    );
    app.get("/users/me", Some(token))
        .await
        .assert_error(401, "unauthorized");
    let second = host("delta.localhost").send().await.expect("init");
    let second: serde_json::Value = second.json().await.unwrap();
    assert_eq!(second["id_user"], 1);
}

#[tokio::test]
async fn a_bad_domain_is_404_and_the_limit_is_403() {
    let app = spawn_with(|c| c.max_tenants = 1).await;
    let r = app
        .client
        .get(format!("{}/t/Not_A_Domain/2.0/banks", app.base))
        .send()
        .await
        .unwrap();
    let r = TestApp::reply(r).await;
    r.assert_error(404, "notFound");
    assert_eq!(app.tenant("one").permanent_user().await.0, 1);
    let r = app
        .client
        .get(format!("{}/t/two/2.0/banks", app.base))
        .send()
        .await
        .unwrap();
    TestApp::reply(r).await.assert_error(403, "forbidden");
    // The tenant already there and the default tenant still answer.
    assert_eq!(app.tenant("one").permanent_user().await.0, 2);
    assert_eq!(app.permanent_user().await.0, 1);
}
