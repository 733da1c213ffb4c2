//! Following the URL: it leads through the webauth flow to the bank's consent page, stays
//! valid while the connection waits, and approving there renews consent and syncs.

use super::*;

#[tokio::test]
async fn following_the_url_of_a_new_connection_gives_it_consent_and_syncs_it() {
    let app = spawn_frozen().await;
    let (token, c) = waiting_connection(&app).await;
    let id = id_of(&c);
    let done = renew_through(&app, &url_of(&app, &c)).await;
    assert_eq!(done.status, 200);
    assert!(done.text.contains("Access renewed"), "{}", done.text);
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    assert_eq!(c["error_message"], Value::Null);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    assert!(
        !app.all_accounts(&token).await.is_empty(),
        "synced: the bank's accounts are found"
    );
}

#[tokio::test]
async fn following_the_url_after_consent_lapsed_renews_it_for_180_days() {
    let app = spawn_frozen().await;
    let (token, id) = consented_connection(&app).await;
    app.advance_clock("181d").await;
    app.run_due_work().await;
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("webauthRequired"));
    let done = renew_through(&app, &url_of(&app, &c)).await;
    assert!(done.text.contains("Access renewed"), "{}", done.text);
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    assert_eq!(c["error_message"], Value::Null);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-11 10:00:00");
}

#[tokio::test]
async fn the_url_stays_valid_while_the_connection_waits_and_not_after() {
    let app = spawn_frozen().await;
    let (token, c) = waiting_connection(&app).await;
    let id = id_of(&c);
    let url = url_of(&app, &c);
    // Each visit opens a flow of its own; an unanswered one changes nothing.
    assert_eq!(hop(&app, &url).await.status, 302);
    // Days of background syncs later, the same URL, still working.
    app.advance_clock("3d").await;
    app.run_due_work().await;
    let later = app.connection_of(&token, id).await;
    assert_connection_state(&later, Some("webauthRequired"));
    assert_eq!(webauth_url_in(&later), url);
    // Refusing at the bank leaves the connection waiting, with its URL.
    let bank = hop(&app, &url).await.location.unwrap();
    let refused = hop(&app, &format!("{bank}?outcome=refuse")).await;
    let outcome = follow(&app, hop(&app, &refused.location.unwrap()).await).await;
    assert!(
        outcome.text.contains("Access not renewed"),
        "{}",
        outcome.text
    );
    assert!(outcome.text.contains("access_denied"), "{}", outcome.text);
    let still = app.connection_of(&token, id).await;
    assert_connection_state(&still, Some("webauthRequired"));
    assert_eq!(webauth_url_in(&still), url);
    // Renewed: the URL has nothing left to do.
    renew_through(&app, &url).await;
    assert_connection_state(&app.connection_of(&token, id).await, None);
    assert_error_page(&hop(&app, &url).await, 400, "invalidValue");
}

#[tokio::test]
async fn a_url_with_a_wrong_key_or_connection_leads_nowhere() {
    let app = spawn_frozen().await;
    let (_, first) = waiting_connection(&app).await;
    let (_, second) = waiting_connection(&app).await;
    let url = url_of(&app, &first);
    let (prefix, key) = url.rsplit_once('/').unwrap();
    let other_key = url_of(&app, &second)
        .rsplit_once('/')
        .unwrap()
        .1
        .to_string();
    let mut wrong = key.to_string();
    wrong.replace_range(..1, if key.starts_with('0') { "1" } else { "0" });
    for bad in [
        format!("{prefix}/{wrong}"),
        format!("{prefix}/{other_key}"),
        format!("{prefix}/short"),
        format!("{}/bank/webauth/999/{key}", app.base),
        format!("{}/bank/webauth/abc/{key}", app.base),
    ] {
        assert_error_page(&hop(&app, &bad).await, 404, "notFound");
    }
}
