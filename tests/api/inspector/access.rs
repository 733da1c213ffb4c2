//! Who may see the inspector: nothing without signing in, the config token only, a cookie
//! that never holds the token, and forms that need their guard field.

use super::scene;
use crate::common::*;

fn assert_sent_to_sign_in(h: &Hop, what: &str) {
    assert_eq!(h.status, 303, "{what}: {}", h.text);
    let to = h.location.as_deref().unwrap_or_default();
    assert!(
        to.starts_with("/sandbox/inspector/sign-in"),
        "{what} goes to the sign-in page, not {to}"
    );
    assert!(h.text.is_empty(), "{what} shows nothing: {}", h.text);
}

#[tokio::test]
async fn without_signing_in_every_page_and_form_leads_to_the_sign_in_page_and_changes_nothing() {
    let (app, bank, delivery) = scene().await;
    let before = app.sandbox_now().await;
    let forged = "inspector_session=00ff.99999999999.deadbeef";
    for path in inspector_pages(bank.id_user, bank.connection, delivery) {
        assert_sent_to_sign_in(&hop(&app, &path).await, &path);
        let res = app
            .client
            .get(absolute(&app, &path))
            .header("cookie", forged)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{path} with a forged cookie");
        // A user's own token is not the config token.
        let res = app
            .client
            .get(absolute(&app, &path))
            .bearer_auth(&bank.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{path} with a user token");
    }
    for path in inspector_forms(bank.connection, delivery) {
        let h = hop_form(&app, &path, &[("advance", "181d"), ("state", "bug")]).await;
        assert_sent_to_sign_in(&h, &path);
    }
    assert_eq!(app.sandbox_now().await, before, "the clock did not move");
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, None);
}

#[tokio::test]
async fn a_page_asked_for_before_signing_in_is_where_signing_in_returns() {
    let app = spawn_app().await;
    let h = hop(&app, "/sandbox/inspector/users?offset=0").await;
    let to = h.location.unwrap();
    assert_eq!(
        query(&to).get("next").map(String::as_str),
        Some("/sandbox/inspector/users?offset=0")
    );
    let page = hop(&app, &to).await;
    assert_eq!(page.status, 200);
    assert!(page
        .text
        .contains("value=\"/sandbox/inspector/users?offset=0\""));
    let res = app
        .client
        .post(format!("{}/sandbox/inspector/sign-in", app.base))
        .form(&[
            ("token", CONFIG_TOKEN),
            ("next", "/sandbox/inspector/users?offset=0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        "/sandbox/inspector/users?offset=0"
    );
    // Anywhere else is not: the overview.
    for elsewhere in ["https://evil.example/", "//evil.example", "/2.0/users/me"] {
        let res = app
            .client
            .post(format!("{}/sandbox/inspector/sign-in", app.base))
            .form(&[("token", CONFIG_TOKEN), ("next", elsewhere)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["location"],
            "/sandbox/inspector",
            "{elsewhere}"
        );
    }
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_sets_no_cookie() {
    let app = spawn_app().await;
    for wrong in ["", "sandbox-config-toke", "sandbox-users-token", "x"] {
        let res = inspector_sign_in_with(&app, wrong).await;
        assert_eq!(res.status().as_u16(), 401, "{wrong:?}");
        assert!(res.headers().get("set-cookie").is_none(), "{wrong:?}");
        let text = res.text().await.unwrap();
        assert!(text.contains("id=\"error\""), "{text}");
        assert!(text.contains("id=\"sign-in\""), "the form again: {text}");
    }
}

#[tokio::test]
async fn signing_in_sets_an_http_only_strict_cookie_that_does_not_hold_the_token() {
    let app = spawn_app().await;
    let res = inspector_sign_in_with(&app, CONFIG_TOKEN).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/sandbox/inspector");
    let set = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.starts_with("inspector_session="), "{set}");
    assert!(set.contains("; HttpOnly"), "{set}");
    assert!(set.contains("; SameSite=Strict"), "{set}");
    assert!(set.contains("; Path=/sandbox/inspector"), "{set}");
    assert!(!set.contains(CONFIG_TOKEN), "{set}");
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector").await;
    assert!(page.content_type.starts_with("text/html"));
    assert!(
        !page.text.contains(CONFIG_TOKEN),
        "never the token in a page"
    );
    assert!(page.text.contains("id=\"clock\""));
}

#[tokio::test]
async fn the_config_token_in_authorization_opens_the_pages_without_a_form_guard() {
    let app = spawn_frozen().await;
    let before = app.sandbox_now().await;
    let res = app
        .client
        .get(format!("{}/sandbox/inspector", app.base))
        .bearer_auth(CONFIG_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let res = app
        .client
        .post(format!("{}/sandbox/inspector/clock", app.base))
        .bearer_auth(CONFIG_TOKEN)
        .form(&[("advance", "1d")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_ne!(app.sandbox_now().await, before);
}

#[tokio::test]
async fn a_form_without_its_guard_field_or_with_another_sessions_changes_nothing() {
    let app = spawn_frozen().await;
    let before = app.sandbox_now().await;
    let me = inspector(&app).await;
    let other = inspector(&app).await;
    assert_ne!(me.csrf, other.csrf, "each session has its own guard");
    let h = me
        .post_raw("/sandbox/inspector/clock", &[("advance", "1d")])
        .await;
    assert_eq!(h.status, 403, "{}", h.text);
    let h = me
        .post_raw(
            "/sandbox/inspector/clock",
            &[("csrf", &other.csrf), ("advance", "1d")],
        )
        .await;
    assert_eq!(h.status, 403, "{}", h.text);
    assert_eq!(app.sandbox_now().await, before);
}

#[tokio::test]
async fn signing_out_clears_the_cookie() {
    let app = spawn_app().await;
    let me = inspector(&app).await;
    let res = app
        .client
        .post(format!("{}/sandbox/inspector/sign-out", app.base))
        .header("cookie", &me.cookie)
        .form(&[("csrf", me.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/sandbox/inspector/sign-in");
    let set = res.headers()["set-cookie"].to_str().unwrap();
    assert!(set.starts_with("inspector_session=;"), "{set}");
    assert!(set.contains("Max-Age=0"), "{set}");
}
