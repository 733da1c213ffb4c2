//! Each inspector form changes the sandbox as the control plane would: the API shows it.

use super::{delivered, scene};
use crate::common::*;

fn assert_back_to(h: &Hop, to: &str) {
    assert_eq!(h.status, 303, "{}", h.text);
    assert_eq!(h.location.as_deref(), Some(to), "{}", h.text);
}

#[tokio::test]
async fn advancing_the_clock_181_days_then_ticking_ends_consent_in_sca_required() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let me = inspector(&app).await;
    let h = me
        .post("/sandbox/inspector/clock", &[("advance", "181d")])
        .await;
    assert_back_to(&h, "/sandbox/inspector");
    // Summer time in Paris by then.
    assert_eq!(app.sandbox_now().await, "2026-07-15 11:00:00");
    let h = me.post("/sandbox/inspector/tick", &[]).await;
    assert_eq!(h.status, 303);
    assert!(h.location.unwrap().starts_with("/sandbox/inspector?ran="));
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, Some("SCARequired"));
    let page = me
        .get(&format!("/sandbox/inspector/users/{}", bank.id_user))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("SCARequired"), "{}", page.text);
    assert!(page.text.contains("expired "), "consent shown as expired");
}

#[tokio::test]
async fn the_clock_forms_set_and_freeze_as_the_control_plane_and_refuse_what_it_refuses() {
    let app = spawn_frozen().await;
    app.user_with_bank().await;
    let me = inspector(&app).await;
    let h = me
        .post(
            "/sandbox/inspector/clock",
            &[("set", "2026-02-01 08:00:00")],
        )
        .await;
    assert_back_to(&h, "/sandbox/inspector");
    assert_eq!(app.sandbox_now().await, "2026-02-01 08:00:00");
    // The past, once users exist: refused with the control plane's error, nothing moved.
    let h = me
        .post(
            "/sandbox/inspector/clock",
            &[("set", "2025-01-01 00:00:00")],
        )
        .await;
    assert_eq!(h.status, 400, "{}", h.text);
    assert!(h.text.contains("<code>invalidValue</code>"), "{}", h.text);
    let h = me
        .post("/sandbox/inspector/clock", &[("advance", "soon")])
        .await;
    assert_eq!(h.status, 400, "{}", h.text);
    assert_eq!(app.sandbox_now().await, "2026-02-01 08:00:00");
    let h = me
        .post("/sandbox/inspector/clock", &[("freeze", "false")])
        .await;
    assert_back_to(&h, "/sandbox/inspector");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["frozen"], false);
}

#[tokio::test]
async fn forcing_a_state_shows_in_the_api_and_the_blank_choice_clears_it() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let me = inspector(&app).await;
    let form = format!("/sandbox/inspector/connections/{}/state", bank.connection);
    let back = format!("/sandbox/inspector/connections/{}", bank.connection);
    let h = me
        .post(&form, &[("state", "SCARequired"), ("error_message", "")])
        .await;
    assert_back_to(&h, &back);
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, Some("SCARequired"));
    let h = me
        .post(
            &form,
            &[
                ("state", "actionNeeded"),
                ("error_message", "Call the bank"),
            ],
        )
        .await;
    assert_back_to(&h, &back);
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, Some("actionNeeded"));
    assert_eq!(c["error_message"], "Call the bank");
    let h = me.post(&form, &[("state", "")]).await;
    assert_back_to(&h, &back);
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, None);
    // Not a state: the control plane's 400, nothing changed.
    let h = me.post(&form, &[("state", "sleepy")]).await;
    assert_eq!(h.status, 400, "{}", h.text);
    let h = me.post(&form, &[("state", "bug"), ("color", "red")]).await;
    assert_eq!(h.status, 400, "an unknown field is refused: {}", h.text);
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, None);
}

#[tokio::test]
async fn an_outage_fails_the_next_sync_until_it_ends() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let me = inspector(&app).await;
    let at = |op: &str| format!("/sandbox/inspector/connections/{}/{op}", bank.connection);
    let h = me
        .post(
            &at("outage"),
            &[("state", "rateLimiting"), ("duration", "")],
        )
        .await;
    assert_eq!(h.status, 303, "{}", h.text);
    let page = me
        .get(&format!(
            "/sandbox/inspector/connections/{}",
            bank.connection
        ))
        .await;
    assert!(page.text.contains("id=\"end-outage\""), "{}", page.text);
    me.post(&at("sync"), &[]).await;
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, Some("rateLimiting"));
    me.post(&at("end-outage"), &[]).await;
    let h = me.post(&at("sync"), &[("psu_requested", "true")]).await;
    assert_eq!(h.status, 303, "{}", h.text);
    let c = app.connection_of(&bank.token, bank.connection).await;
    assert_connection_state(&c, None);
}

#[tokio::test]
async fn validating_the_decoupled_step_completes_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            hermeline("12345678", "333333"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.text);
    let c = r.body;
    assert_connection_state(&c, Some("decoupled"));
    let id = c["id"].as_i64().unwrap();
    let me = inspector(&app).await;
    let page = me
        .get(&format!("/sandbox/inspector/connections/{id}"))
        .await;
    assert!(
        page.text.contains("<code>decoupled</code>"),
        "the pending step: {}",
        page.text
    );
    let h = me
        .post(
            &format!("/sandbox/inspector/connections/{id}/validate"),
            &[],
        )
        .await;
    assert_eq!(h.status, 303, "{}", h.text);
    let page = me
        .get(&format!("/sandbox/inspector/connections/{id}"))
        .await;
    assert!(
        page.text
            .contains("validated by the bank's app at 2026-01-15 10:00:00"),
        "{}",
        page.text
    );
    // The PSU's resume finds it validated: done at once.
    let r = app
        .post(
            &format!("/users/me/connections/{id}"),
            Some(&token),
            serde_json::json!({"resume": true}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_connection_state(&app.connection_of(&token, id).await, None);
    // Nothing to validate any more: the control plane's refusal, as a page.
    let h = me
        .post(
            &format!("/sandbox/inspector/connections/{id}/validate"),
            &[],
        )
        .await;
    assert!(h.status >= 400 && h.status < 500, "{} {}", h.status, h.text);
}

#[tokio::test]
async fn deleting_a_connection_removes_it_and_queues_connection_deleted() {
    let (app, bank, _) = scene().await;
    let me = inspector(&app).await;
    let h = me
        .post(
            &format!("/sandbox/inspector/connections/{}/delete", bank.connection),
            &[],
        )
        .await;
    assert_back_to(&h, &format!("/sandbox/inspector/users/{}", bank.id_user));
    let r = app
        .get(
            &format!("/users/me/connections/{}", bank.connection),
            Some(&bank.token),
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
    delivered(
        &app,
        &format!("event=CONNECTION_DELETED&id_user={}", bank.id_user),
    )
    .await;
    let page = me
        .get(&format!(
            "/sandbox/inspector/connections/{}",
            bank.connection
        ))
        .await;
    assert_eq!(page.status, 404);
    assert!(page.text.contains("<code>notFound</code>"));
}

#[tokio::test]
async fn redelivering_sends_the_same_webhook_again() {
    let (app, _, delivery) = scene().await;
    let me = inspector(&app).await;
    let before = app
        .sandbox_get(&format!("/sandbox/webhooks/deliveries/{delivery}"))
        .await
        .ok();
    let h = me
        .post(
            &format!("/sandbox/inspector/webhooks/{delivery}/redeliver"),
            &[],
        )
        .await;
    assert_back_to(&h, &format!("/sandbox/inspector/webhooks/{delivery}"));
    let mut after = before.clone();
    for _ in 0..200 {
        after = app
            .sandbox_get(&format!("/sandbox/webhooks/deliveries/{delivery}"))
            .await
            .ok();
        if after["status"] == "delivered" && after["attempts"] != before["attempts"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(after["status"], "delivered", "{after}");
    assert_eq!(
        after["attempts"].as_i64().unwrap(),
        before["attempts"].as_i64().unwrap() + 1,
        "{after}"
    );
    assert_eq!(after["payload"], before["payload"]);
    let h = me
        .post("/sandbox/inspector/webhooks/999999/redeliver", &[])
        .await;
    assert_eq!(h.status, 404);
}
