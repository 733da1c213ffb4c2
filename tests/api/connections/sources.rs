//! Connection sources.

use super::*;

#[tokio::test]
async fn the_sources_of_a_connection_are_listed_and_read() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let list = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&token))
        .await
        .ok();
    assert_eq!(list["total"], 2, "{list}");
    let first = &list["sources"][0];
    for key in [
        "id",
        "id_connection",
        "id_connector_source",
        "name",
        "last_update",
        "disabled",
        "created",
        "state",
        "access_expire",
        "expire",
        "next_try",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    let sid = first["id"].as_i64().unwrap();
    for path in [
        format!("/users/me/connections/{id}/sources/{sid}"),
        format!("/users/{id_user}/connections/{id}/sources/{sid}"),
    ] {
        let one = app.get(&path, Some(&token)).await.ok();
        assert_eq!(&one, first);
    }
    app.get(
        &format!("/users/me/connections/{id}/sources/999999"),
        Some(&token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_source_of_another_connection_is_not_found_under_this_one() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let a = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    let b_sources = app
        .get(
            &format!("/users/me/connections/{}/sources", b["id"]),
            Some(&token),
        )
        .await
        .ok();
    let sid = b_sources["sources"][0]["id"].as_i64().unwrap();
    app.get(
        &format!("/users/me/connections/{}/sources/{sid}", a["id"]),
        Some(&token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_disabled_source_is_hidden_unless_all_is_given() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/sources", c["id"]);
    let list = app.get(&base, Some(&token)).await.ok();
    let sid = list["sources"][1]["id"].as_i64().unwrap();
    let b = app
        .post(
            &format!("{base}/{sid}"),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    assert_eq!(b["disabled"], CLOCK_START);
    let list = app.get(&base, Some(&token)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["sources"][0]["name"], "openapi");
    for all in ["?all", "?all=", "?all=true"] {
        let list = app.get(&format!("{base}{all}"), Some(&token)).await.ok();
        assert_eq!(list["total"], 2, "{all}");
    }
    app.get(&format!("{base}/{sid}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    let one = app
        .get(&format!("{base}/{sid}?all"), Some(&token))
        .await
        .ok();
    assert_eq!(one["disabled"], CLOCK_START);
    // Re-enabling addresses the disabled source with ?all.
    let b = app
        .post(
            &format!("{base}/{sid}?all"),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    assert_eq!(b["disabled"], Value::Null);
    assert_eq!(app.get(&base, Some(&token)).await.ok()["total"], 2);
}

#[tokio::test]
async fn source_disabled_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/sources", c["id"]);
    let sid = app.get(&base, Some(&token)).await.ok()["sources"][0]["id"].clone();
    app.post(
        &format!("{base}/{sid}"),
        Some(&token),
        json!({"disabled": "maybe"}),
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn accounts_move_to_the_next_source_when_the_first_is_disabled() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let list = app.get(&base, Some(&token)).await.ok();
    let openapi = list["sources"][0]["id"].as_i64().unwrap();
    let directaccess = list["sources"][1]["id"].as_i64().unwrap();
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_source"], openapi, "{a}");
    }
    app.post(
        &format!("{base}/{openapi}"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    app.sync_connection(&token, id).await;
    for a in app.all_accounts(&token).await {
        assert_eq!(
            a["id_source"], directaccess,
            "the sync skipped openapi: {a}"
        );
        assert_eq!(a["deleted"], Value::Null, "{a}");
    }
}

#[tokio::test]
async fn a_sync_with_every_source_disabled_deletes_no_account() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let list = app.get(&base, Some(&token)).await.ok();
    for s in list["sources"].as_array().unwrap() {
        app.post(
            &format!("{base}/{}", s["id"]),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    }
    app.sync_connection(&token, id).await;
    for a in app.all_accounts(&token).await {
        assert_eq!(a["deleted"], Value::Null, "{a}");
    }
}
