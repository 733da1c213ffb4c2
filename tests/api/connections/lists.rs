//! Lists and reads of connections.

use super::*;

#[tokio::test]
async fn the_list_has_the_users_connections_and_a_total() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let empty = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(empty, json!({"connections": [], "total": 0}));
    let a = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    for path in [
        "/users/me/connections".to_string(),
        format!("/users/{id_user}/connections"),
    ] {
        let list = app.get(&path, Some(&token)).await.ok();
        assert_eq!(list["total"], 2);
        assert_eq!(
            ids(&list["connections"]),
            [a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap()]
        );
        assert_eq!(list["connections"][0], a, "the list shows the same object");
    }
}

#[tokio::test]
async fn the_list_shows_only_the_users_own_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (_, other) = app.permanent_user().await;
    app.create_connection(&other, test_connector_credentials())
        .await;
    assert_eq!(connections_total(&app, &token).await, 0);
    assert_eq!(connections_total(&app, &other).await, 1);
}

#[tokio::test]
async fn a_connection_is_read_by_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let me = app
        .get(&format!("/users/me/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(me, c);
    let by_id = app
        .get(&format!("/users/{id_user}/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(by_id, c);
}

#[tokio::test]
async fn unknown_and_malformed_connection_ids_are_not_found() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for path in [
        "/users/me/connections/999999",
        "/users/me/connections/abc",
        "/users/me/connections/999999/sources",
        "/users/me/connections/999999/logs",
        "/users/me/connections/999999/accounts",
    ] {
        app.get(path, Some(&token))
            .await
            .assert_error(404, "notFound");
    }
    app.put("/users/me/connections/999999", Some(&token), None)
        .await
        .assert_error(404, "notFound");
    app.post("/users/me/connections/999999", Some(&token), json!({}))
        .await
        .assert_error(404, "notFound");
    app.delete("/users/me/connections/999999", Some(&token))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn expand_connector_embeds_the_connector() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let b = app
        .get(
            &format!("/users/me/connections/{id}?expand=connector"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(b["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(b["connector"]["id"], 40);
    assert_eq!(b["connector"]["name"], "Connecteur de test");
    let list = app
        .get("/users/me/connections?expand=connector", Some(&token))
        .await
        .ok();
    assert_eq!(
        list["connections"][0]["connector"]["uuid"],
        TEST_CONNECTOR_UUID
    );
}

#[tokio::test]
async fn expand_accounts_shows_enabled_accounts_and_all_accounts_shows_every_one() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let all = app.all_accounts(&token).await;
    let checking = all[0]["id"].as_i64().unwrap();
    app.enable_accounts(&token, &[checking]).await;
    let b = app
        .get(
            &format!("/users/me/connections/{id}?expand=accounts,all_accounts,sources"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(ids(&b["accounts"]), [checking]);
    assert_eq!(b["all_accounts"].as_array().unwrap().len(), all.len());
    assert_eq!(b["sources"].as_array().unwrap().len(), 2);
    assert_eq!(b["accounts"][0]["type"], "checking");
    assert!(
        b["accounts"][0]["balance"].is_number(),
        "an enabled account has its balance: {b}"
    );
    let list = app
        .get("/users/me/connections?expand=accounts", Some(&token))
        .await
        .ok();
    assert_eq!(ids(&list["connections"][0]["accounts"]), [checking]);
}

#[tokio::test]
async fn expansions_accept_brackets_and_spaces() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, test_connector_credentials())
        .await;
    let b = app
        .get(
            "/users/me/connections?expand=sources,%20connector[countries]",
            Some(&token),
        )
        .await
        .ok();
    let c = &b["connections"][0];
    assert!(c["sources"].is_array(), "{b}");
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID, "{b}");
}

#[tokio::test]
async fn the_connections_list_honours_limit_and_offset_with_the_full_total() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut created = Vec::new();
    for login in ["12345678", "23456789", "34567890"] {
        let c = app
            .create_connection(&token, hermeline(login, "123456"))
            .await;
        created.push(id_of(&c));
    }
    let walked = app
        .walk_offsets(&token, "/users/me/connections", "connections", 2, 3)
        .await;
    assert_eq!(walked, created);
    let page = app
        .get("/users/me/connections?limit=1&offset=1", Some(&token))
        .await
        .ok();
    assert_eq!(ids(&page["connections"]), [created[1]]);
    assert_eq!(page["total"], 3);
    let expanded = app
        .get(
            "/users/me/connections?limit=1&offset=2&expand=accounts",
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(ids(&expanded["connections"]), [created[2]]);
    assert!(expanded["connections"][0]["accounts"].is_array());
}

#[tokio::test]
async fn bad_limit_or_offset_values_on_the_connections_list_are_refused() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.assert_refuses_bad_pages(&token, "/users/me/connections")
        .await;
}
