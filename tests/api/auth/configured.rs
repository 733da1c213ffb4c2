use super::*;

const MY_ID: &str = "87654321";
const MY_SECRET: &str = "another-secret";

/// A sandbox whose client pair is the catalogue's strict application's id with another secret.
async fn spawn_configured() -> TestApp {
    spawn_with(|c| {
        c.client_id = MY_ID.into();
        c.client_secret = MY_SECRET.into();
    })
    .await
}

async fn init_with(app: &TestApp, id: &str, secret: &str) -> Reply {
    app.post(
        "/auth/init",
        None,
        json!({"client_id": id, "client_secret": secret}),
    )
    .await
}

#[tokio::test]
async fn a_configured_pair_wins_over_a_catalogue_application_with_the_same_id() {
    let app = spawn_configured().await;
    let b = init_with(&app, MY_ID, MY_SECRET).await.ok();
    assert!(b["auth_token"].is_string(), "{b}");
    assert_eq!(b["type"], "permanent");
    // The catalogue's secret for that id no longer opens it.
    init_with(&app, MY_ID, STRICT_CLIENT_SECRET)
        .await
        .assert_error(401, "unauthorized");
    // Nor does the default application it replaced.
    init_with(&app, CLIENT_ID, CLIENT_SECRET)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_configured_client_exchanges_codes_and_renews_with_any_redirect_uri() {
    let app = spawn_configured().await;
    let b = init_with(&app, MY_ID, MY_SECRET).await.ok();
    let (id_user, token) = (
        b["id_user"].as_i64().unwrap(),
        b["auth_token"].as_str().unwrap(),
    );
    let code = temporary_code(&app, token, "singleAccess").await;
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"client_id": MY_ID, "client_secret": MY_SECRET, "code": code,
                   "redirect_uri": "https://anything.example.org/cb"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app
        .post(
            "/auth/renew",
            None,
            json!({"grant_type": "client_credentials", "client_id": MY_ID,
                   "client_secret": MY_SECRET, "id_user": id_user}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["access_token"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn a_configured_client_opens_webauth_and_the_webview_with_any_redirect_uri() {
    let app = spawn_configured().await;
    let b = init_with(&app, MY_ID, MY_SECRET).await.ok();
    let token = b["auth_token"].as_str().unwrap();
    let r = app
        .get(
            &format!("/webauth-url?client_id={MY_ID}&redirect_uri=https://elsewhere.example.net/cb&connector_uuid={TEST_CONNECTOR_UUID}"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let url = r.body["url"].as_str().unwrap().to_string();
    assert_eq!(hop(&app, &url).await.status, 302);
    let h = hop(
        &app,
        &format!("/webview/connect?domain=a&client_id={MY_ID}&redirect_uri=https://elsewhere.example.net/cb"),
    )
    .await;
    assert_eq!(h.status, 302, "{}", h.text);
}

#[tokio::test]
async fn the_catalogues_other_applications_keep_working_beside_a_configured_client() {
    let app = spawn_with(|c| {
        c.client_id = "11112222".into();
        c.client_secret = MY_SECRET.into();
    })
    .await;
    assert_eq!(init_with(&app, "11112222", MY_SECRET).await.status, 200);
    let r = init_with(&app, STRICT_CLIENT_ID, STRICT_CLIENT_SECRET).await;
    assert_eq!(r.status, 200, "{}", r.text);
}
