//! The journal pages: the list with the filters of `GET /sandbox/requests`, newest first and
//! paged, and one entry with its headers and bodies, redacted and escaped.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn the_journal_lists_a_users_calls_newest_first_and_an_entry_shows_its_route_and_status() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    app.get("/users/me", Some(&token)).await;
    app.get("/users/me/accounts?all", Some(&token)).await;
    let last = app.last_request().await;
    let id = last["id"].as_u64().unwrap();
    let me = inspector(&app).await;
    let user = me.get(&format!("/sandbox/inspector/users/{id_user}")).await;
    let link = format!("/sandbox/inspector/requests?id_user={id_user}");
    assert!(user.text.contains(&link), "{}", user.text);
    let overview = me.get("/sandbox/inspector").await;
    assert!(overview
        .text
        .contains("href=\"/sandbox/inspector/requests\""));
    let page = me.get(&link).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let newest = page.text.find(&format!("id=\"request-{id}\"")).unwrap();
    let older = page
        .text
        .find(&format!("id=\"request-{}\"", id - 1))
        .unwrap();
    assert!(newest < older, "newest first");
    assert!(page.text.contains("/2.0/users/{user}/accounts"));
    let entry = me.get(&format!("/sandbox/inspector/requests/{id}")).await;
    assert_eq!(entry.status, 200, "{}", entry.text);
    assert!(entry
        .text
        .contains("<td id=\"route\">/2.0/users/{user}/accounts</td>"));
    assert!(entry.text.contains("<td id=\"status\">200</td>"));
    assert!(entry.text.contains("<code>all</code>"), "the query");
    // The bearer token is redacted, as the journal keeps it.
    assert!(!entry.text.contains(&token), "{}", entry.text);
    assert!(entry.text.contains("authorization"));
    // The JSON answer pretty-printed: one key a line.
    assert!(entry.text.contains("\n  &quot;"), "{}", entry.text);
}

#[tokio::test]
async fn the_journal_filters_by_status_method_and_route_and_pages_by_fifty() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for _ in 0..55 {
        app.get("/users/me", Some(&token)).await;
    }
    app.get("/users/me/nothing-here", Some(&token)).await;
    let me = inspector(&app).await;
    let page = me.get("/sandbox/inspector/requests?status=404").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text.matches("id=\"request-").count(),
        1,
        "{}",
        page.text
    );
    assert!(page.text.contains("/2.0/users/me/nothing-here"));
    let route = "/sandbox/inspector/requests?method=get&route=%2F2.0%2Fusers%2F%7Buser%7D";
    let first = me.get(route).await;
    assert_eq!(first.text.matches("id=\"request-").count(), 50);
    assert!(first.text.contains("of 55"), "{}", first.text);
    assert!(first.text.contains("id=\"next\""));
    let second = me.get(&format!("{route}&offset=50")).await;
    assert_eq!(second.text.matches("id=\"request-").count(), 5);
    assert!(!second.text.contains("id=\"next\""));
    // The control plane's own mistakes, as it answers them.
    let bad = me.get("/sandbox/inspector/requests?status=abc").await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert!(bad.text.contains("<code>invalidValue</code>"));
    let missing = me.get("/sandbox/inspector/requests/999999").await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn a_hostile_path_and_body_recorded_in_the_journal_are_shown_escaped() {
    let app = spawn_frozen().await;
    app.get("/x&y'<b>", None).await;
    let hostile = app.last_request().await;
    let (_, token) = app.permanent_user().await;
    app.post(
        "/users/me/connections",
        Some(&token),
        json!({"connector_uuid": "<script>alert(1)</script>", "name": "<img src=x onerror=alert(2)>"}),
    )
    .await;
    let posted = app.last_request().await;
    let me = inspector(&app).await;
    let list = me.get("/sandbox/inspector/requests").await;
    assert!(!list.text.contains("x&y'"), "{}", list.text);
    assert!(list.text.contains("x&amp;y"), "{}", list.text);
    let entry = me
        .get(&format!("/sandbox/inspector/requests/{}", hostile["id"]))
        .await;
    assert_eq!(entry.status, 200);
    assert!(entry.text.contains("x&amp;y"));
    let entry = me
        .get(&format!("/sandbox/inspector/requests/{}", posted["id"]))
        .await;
    assert_eq!(entry.status, 200);
    assert!(!entry.text.contains("<script>alert"), "{}", entry.text);
    assert!(!entry.text.contains("<img src=x"), "{}", entry.text);
    assert!(
        entry.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        entry.text
    );
}
