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

// Issue 13, point 8: sources as the seeds describe them.

const TROIS_RIVIERES: i64 = 43;

async fn sources_of(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let b = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(token))
        .await
        .ok();
    b["sources"].as_array().unwrap().clone()
}

fn names(sources: &[Value]) -> Vec<&str> {
    sources
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_connection_source_carries_the_connectors_source_object() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = id_of(&c);
    let connector = app.get("/connectors/40/sources", None).await.ok();
    let sources = sources_of(&app, &token, id).await;
    assert_eq!(names(&sources), ["openapi", "directaccess"]);
    for s in &sources {
        let of = connector["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == s["id_connector_source"])
            .unwrap();
        assert_eq!(&s["source"], of, "{s}");
        assert_eq!(s["source"]["name"], s["name"]);
        assert_eq!(s["source"]["disabled"], Value::Null);
        assert!(s["source"]["auth_mechanism"].is_string(), "{s}");
        assert!(s["source"]["priority"].is_i64(), "{s}");
    }
    let c = app
        .get(
            &format!("/users/me/connections/{id}?expand=sources"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(c["sources"][1]["source"]["name"], "directaccess", "{c}");
    assert_eq!(c["sources"][1]["source"]["auth_mechanism"], "credentials");
}

#[tokio::test]
async fn a_source_added_with_a_query_parameter_joins_in_priority_order_and_syncs() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=directaccess",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let id = id_of(&r.body);
    assert_eq!(names(&sources_of(&app, &token, id).await), ["directaccess"]);

    let now = advance(&app, "2h").await;
    let r = app
        .post(
            &format!("/users/me/connections/{id}?source=openapi&expand=sources"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.body["state"], Value::Null, "{}", r.text);
    let sources = sources_of(&app, &token, id).await;
    assert_eq!(names(&sources), ["openapi", "directaccess"]);
    assert_eq!(r.body["sources"], json!(sources));
    let openapi = &sources[0];
    assert_eq!(openapi["state"], Value::Null);
    assert_eq!(openapi["created"], now);
    assert_eq!(openapi["last_update"], now);
    assert_eq!(openapi["access_expire"], "2026-07-14 13:00:00", "{openapi}");
    assert_eq!(openapi["source"]["name"], "openapi");
}

#[tokio::test]
async fn a_webauth_source_added_in_the_body_waits_for_its_webauth_step() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=directaccess",
            Some(&token),
            json!({"id_connector": TROIS_RIVIERES, "login": "0123456789", "password": "123456"}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let id = id_of(&r.body);
    let r = app
        .post(
            &format!("/users/me/connections/{id}"),
            Some(&token),
            json!({"source": "openapi"}),
        )
        .await;
    assert_eq!(r.status.as_u16(), 202, "{}", r.text);
    assert_eq!(r.body["state"], "webauthRequired", "{}", r.text);
    let sources = sources_of(&app, &token, id).await;
    assert_eq!(names(&sources), ["openapi", "directaccess"]);
    assert_eq!(sources[0]["state"], "webauthRequired");
    assert_eq!(sources[0]["access_expire"], Value::Null);
    assert_eq!(sources[1]["state"], Value::Null);
}

#[tokio::test]
async fn adding_an_unknown_source_is_refused_and_adds_nothing() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=directaccess",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    let id = id_of(&r.body);
    for (path, body) in [
        (format!("/users/me/connections/{id}?source=fax"), json!({})),
        (
            format!("/users/me/connections/{id}"),
            json!({"source": "fax"}),
        ),
    ] {
        let r = app.post(&path, Some(&token), body).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.text);
        assert_eq!(r.body["code"], "invalidValue", "{}", r.text);
        assert!(r.body["request_id"].is_string());
    }
    assert_eq!(names(&sources_of(&app, &token, id).await), ["directaccess"]);
}

#[tokio::test]
async fn logs_filtered_by_source_list_its_successful_syncs() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = id_of(&c);
    app.sync_connection(&token, id).await;
    let openapi = sources_of(&app, &token, id).await[0]["id"].clone();
    let b = app
        .get(
            &format!("/users/me/connections/{id}/logs?id_source={openapi}"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(b["total"], 2, "{b}");
    for l in b["connectionlogs"].as_array().unwrap() {
        assert_eq!(l["id_source"], openapi, "{l}");
        assert_eq!(l["error"], Value::Null, "{l}");
    }
}
