//! Where the webauth is (issue 13, point 18): a connection in `webauthRequired` carries in
//! `error_message` the URL the PSU must visit ("Redirecting to https://..."), which leads
//! through this sandbox's webauth flow for that connection to the bank's consent page.

mod entering;
mod following;

use crate::common::*;
use serde_json::{json, Value};

/// Célestine Banque: a single PSD2 source the PSU authorises in the bank's own pages.
const WEBAUTH_ONLY: i64 = 42;

/// A user and a connection on the webauth-only bank created through the API: no consent was
/// ever given, so it waits in `webauthRequired` (202).
async fn waiting_connection(app: &TestApp) -> (String, Value) {
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"id_connector": WEBAUTH_ONLY}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("webauthRequired"));
    (token, r.body)
}

/// A connection on the webauth-only bank whose consent the PSU gave through `/webauth`.
async fn consented_connection(app: &TestApp) -> (String, i64) {
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(app, &token, "singleAccess").await;
    let params = [
        ("client_id", CLIENT_ID),
        ("redirect_uri", CALLBACK),
        ("token", code.as_str()),
        ("connector_uuid", WEBAUTH_ONLY_UUID),
    ];
    let start = format!(
        "/2.0/webauth?{}",
        serde_urlencoded::to_string(params).unwrap()
    );
    let bank = hop(app, &start).await.location.expect("to the bank");
    let back = hop(app, &format!("{bank}?outcome=approve")).await;
    let id = query(&back.location.expect("back to the app"))["id_connection"]
        .parse()
        .expect("the new connection");
    assert_connection_state(&app.connection_of(&token, id).await, None);
    (token, id)
}

/// What the PSU does with the URL: opens it (a redirect to the bank's consent page), reads
/// the page, approves in its form, and lands on the page telling the outcome.
async fn renew_through(app: &TestApp, url: &str) -> Hop {
    let to_bank = hop(app, url).await;
    assert_eq!(to_bank.status, 302, "{}", to_bank.text);
    let bank = to_bank.location.expect("to the bank");
    assert!(
        bank.starts_with(&format!("{}/bank/consent/", app.base)),
        "{bank}"
    );
    let page = hop(app, &bank).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"approve\""), "{}", page.text);
    let answered = hop_form(
        app,
        &bank,
        &[
            ("login", "alice"),
            ("password", "secret"),
            ("decision", "approve"),
        ],
    )
    .await;
    assert_eq!(answered.status, 303, "{}", answered.text);
    follow(
        app,
        hop(app, &answered.location.expect("the outcome")).await,
    )
    .await
}

/// The connection's URL, checked to point at this sandbox.
fn url_of(app: &TestApp, connection: &Value) -> String {
    let url = webauth_url_in(connection);
    assert!(url.starts_with(&app.base), "{url} on {}", app.base);
    url
}
