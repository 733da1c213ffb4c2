//! PSD2 consent (180 days) and per-source states.

use super::*;

#[tokio::test]
async fn psd2_sources_carry_180_days_of_consent_from_the_credentials() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let sources = app.sources_by_name(&token, id_of(&c)).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    assert_eq!(
        sources["directaccess"]["access_expire"],
        Value::Null,
        "not a PSD2 source"
    );
    let h = connect(&app, &token, hermeline("12345678", "123456"), 200).await;
    let sources = app.sources_by_name(&token, id_of(&h)).await;
    assert_eq!(sources["directaccess"]["access_expire"], Value::Null);
}

#[tokio::test]
async fn one_second_before_180_days_a_background_sync_succeeds() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    let now = advance(&app, "179d23h59m59s").await;
    assert_eq!(now, "2026-07-14 10:59:59");
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id)[0]["state"], Value::Null, "{ran:?}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["last_update"], now);
    assert_eq!(
        sources["openapi"]["access_expire"], "2026-07-14 11:00:00",
        "a background sync does not renew consent"
    );
}

#[tokio::test]
async fn at_exactly_180_days_a_background_sync_ends_in_sca_required_for_the_psd2_source_only() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    enable_all(&app, &token).await;
    let before = transactions_total(&app, &token).await;
    let now = advance(&app, "180d").await;
    assert_eq!(now, "2026-07-14 11:00:00");
    let ran = app.run_due_work().await;
    let jobs = syncs_of(&ran, id);
    assert_eq!(jobs[0]["state"], "SCARequired", "{ran:?}");
    assert_eq!(jobs[0]["new_transactions"], 0, "nothing fetched: {ran:?}");

    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("SCARequired"));
    assert!(has_message(&c), "{c}");
    assert_eq!(c["last_update"], CLOCK_START, "{c}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired");
    assert_eq!(sources["openapi"]["last_update"], CLOCK_START);
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    assert_eq!(
        sources["directaccess"]["state"],
        Value::Null,
        "the other source still syncs"
    );
    assert_eq!(sources["directaccess"]["last_update"], now);
    assert_eq!(transactions_total(&app, &token).await, before);
    for a in app.all_accounts(&token).await {
        assert_eq!(a["last_update"], CLOCK_START, "{a}");
    }
}

#[tokio::test]
async fn the_consent_boundary_is_exact_for_a_sync_without_the_psu() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "179d23h59m59s").await;
    let r = put_sync(&app, &token, id, false).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    advance(&app, "1s").await;
    let r = put_sync(&app, &token, id, false).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("SCARequired"));
}

#[tokio::test]
async fn with_the_psu_present_the_sca_starts_and_performing_it_renews_consent_for_180_days() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    enable_all(&app, &token).await;
    let now = advance(&app, "200d").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("SCARequired"));
    let before = transactions_total(&app, &token).await;

    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 202, "a sync does not renew consent: {}", r.text);
    assert_connection_state(&r.body, Some("SCARequired"));
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-30 10:00:00");
    assert!(
        transactions_total(&app, &token).await > before,
        "the accounts are fetched again"
    );
    // The renewed consent holds for background syncs.
    advance(&app, "1d").await;
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id)[0]["state"], Value::Null, "{ran:?}");
}

#[tokio::test]
async fn an_empty_post_after_expiry_renews_consent() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "180d").await;
    app.run_due_work().await;
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 10:00:00");
}

#[tokio::test]
async fn refresh_auth_renews_consent_before_it_expires() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "100d").await;
    let r = update(&app, &token, id, json!({"refresh_auth": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-10-22 11:00:00");
    advance(&app, "80d").await;
    let ran = app.run_due_work().await;
    assert_eq!(
        syncs_of(&ran, id)[0]["state"],
        Value::Null,
        "the old deadline has passed harmlessly: {ran:?}"
    );
}

#[tokio::test]
async fn an_expired_consent_renewed_with_the_psu_goes_through_the_logins_otp() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndOTP"), 202).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({})).await;
    update(&app, &token, id, json!({"otp": "123456"}))
        .await
        .ok();
    advance(&app, "180d").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("SCARequired"));

    let now = advance(&app, "1h").await;
    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("additionalInformationNeeded"));
    assert_eq!(field_names(&r.body), ["otp"]);
    let r = update(&app, &token, id, json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 11:00:00");
}

#[tokio::test]
async fn refresh_auth_with_a_decoupled_login_waits_for_the_bank_app() {
    let app = spawn_frozen().await;
    let (token, id, resumed) = validated_decoupled_connection(&app).await;
    resumed.ok();
    advance(&app, "90d").await;
    let r = update(&app, &token, id, json!({"refresh_auth": true})).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("decoupled"));
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let r = update(&app, &token, id, json!({"resume": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-10-12 11:00:00");
}

// Per-source states

#[tokio::test]
async fn the_connection_shows_the_first_failing_source_by_priority() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    // directaccess (priority 2) needs the PSU to act on the bank's site.
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/state"),
        json!({"state": "actionNeeded", "source": "directaccess"}),
    )
    .await
    .ok();
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("actionNeeded"));
    // Then openapi (priority 0) loses its consent: it is the one shown.
    advance(&app, "180d").await;
    app.run_due_work().await;
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("SCARequired"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired");
    assert_eq!(sources["directaccess"]["state"], "actionNeeded");
    // The PSU renews consent: directaccess's state shows again.
    let r = put_sync(&app, &token, id, true).await;
    assert_connection_state(&r.body, Some("SCARequired"));
    let r = update(&app, &token, id, json!({})).await;
    assert_connection_state(&r.body, Some("actionNeeded"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 10:00:00");
}

// Point 4: no sync renews consent without the PSU performing an SCA.

#[tokio::test]
async fn a_put_181_days_after_consent_starts_the_sca_and_keeps_the_old_deadline() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "181d").await;
    let r = app
        .put(&format!("/users/me/connections/{id}"), Some(&token), None)
        .await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("SCARequired"));
    assert!(has_message(&r.body), "{}", r.text);
    assert_eq!(r.body["last_update"], CLOCK_START);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired");
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    // Syncing again, with or without the PSU, changes nothing.
    for psu in [true, false] {
        let r = put_sync(&app, &token, id, psu).await;
        assert_eq!(status(&r), 202, "{}", r.text);
        assert_connection_state(&r.body, Some("SCARequired"));
    }
    let ran = {
        advance(&app, "1d").await;
        app.run_due_work().await
    };
    assert_eq!(syncs_of(&ran, id)[0]["state"], "SCARequired", "{ran:?}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
}

#[tokio::test]
async fn after_expiry_a_decoupled_login_renews_consent_only_through_resume() {
    let app = spawn_frozen().await;
    let (token, id, resumed) = validated_decoupled_connection(&app).await;
    assert_connection_state(&resumed.body, None);
    advance(&app, "181d").await;
    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("decoupled"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let r = update(&app, &token, id, json!({"resume": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-11 10:00:00");
}
