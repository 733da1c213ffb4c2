//! Lists and reads by scope, and updates.

use super::*;

#[tokio::test]
async fn accounts_are_listed_at_user_and_connection_scope() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let other = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    let other_ids = app.enable_all_accounts(&bank.token).await;
    let user_wide = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert_eq!(ids(&user_wide["accounts"]), other_ids);
    let by_id = app
        .get(
            &format!("/users/{}/accounts", bank.id_user),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(by_id, user_wide);
    let first = app
        .get(
            &format!("/users/me/connections/{}/accounts", bank.connection),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(ids(&first["accounts"]), bank.accounts);
    assert_eq!(first["total"], 7);
    let second = app
        .get(
            &format!(
                "/users/{}/connections/{}/accounts",
                bank.id_user, other["id"]
            ),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(second["total"], 6, "Hermeline has six account types");
    for a in second["accounts"].as_array().unwrap() {
        assert_eq!(a["id_connection"], other["id"]);
    }
}

#[tokio::test]
async fn an_account_is_read_at_user_and_connection_scope() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = bank.accounts[2];
    let one = app
        .get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(one["id"], id);
    for path in [
        format!("/users/{}/accounts/{id}", bank.id_user),
        format!("/users/me/connections/{}/accounts/{id}", bank.connection),
        format!(
            "/users/{}/connections/{}/accounts/{id}",
            bank.id_user, bank.connection
        ),
    ] {
        assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), one, "{path}");
    }
}

#[tokio::test]
async fn an_account_of_another_connection_is_not_found_under_this_one() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let other = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    let path = format!(
        "/users/me/connections/{}/accounts/{}",
        other["id"], bank.accounts[0]
    );
    app.get(&path, Some(&bank.token))
        .await
        .assert_error(404, "notFound");
    app.post(&path, Some(&bank.token), json!({"name": "x"}))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn unknown_and_malformed_account_ids_are_not_found() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for id in ["999999", "abc", "1,abc", "-1", "1.5", "1;2"] {
        app.get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
            .await
            .assert_error(404, "notFound");
    }
    // One unknown id in a list fails the whole list and changes nothing.
    let path = format!("/users/me/accounts/{},999999", bank.accounts[0]);
    app.post(&path, Some(&bank.token), json!({"name": "Renamed"}))
        .await
        .assert_error(404, "notFound");
    let a = app
        .get(
            &format!("/users/me/accounts/{}", bank.accounts[0]),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_ne!(a["name"], "Renamed");
}

#[tokio::test]
async fn another_users_accounts_are_not_found_on_every_route() {
    let app = spawn_frozen().await;
    let mine = app.user_with_bank().await;
    let theirs = app.user_with_bank().await;
    let id = theirs.accounts[0];
    for user in ["me".to_string(), theirs.id_user.to_string()] {
        for path in [
            format!("/users/{user}/accounts/{id}"),
            format!("/users/{user}/accounts/{id}?all"),
            format!("/users/{user}/accounts/{},{id}", mine.accounts[0]),
            format!("/users/{user}/connections/{}/accounts", theirs.connection),
            format!(
                "/users/{user}/connections/{}/accounts/{id}",
                theirs.connection
            ),
            format!("/users/{user}/accounts/{id}/transactions?limit=10"),
        ] {
            app.get(&path, Some(&mine.token))
                .await
                .assert_error(404, "notFound");
        }
        app.post(
            &format!("/users/{user}/accounts/{id}?all"),
            Some(&mine.token),
            json!({"disabled": true}),
        )
        .await
        .assert_error(404, "notFound");
    }
    // My list does not show theirs.
    let b = app
        .get("/users/me/accounts?all", Some(&mine.token))
        .await
        .ok();
    assert_eq!(ids(&b["accounts"]), mine.accounts);
    // Theirs is untouched.
    let a = app
        .get(&format!("/users/me/accounts/{id}"), Some(&theirs.token))
        .await
        .ok();
    assert_eq!(a["disabled"], Value::Null);
}

// Updates

#[tokio::test]
async fn name_display_bookmarked_and_usage_are_updated() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    let before = app.get(&path, Some(&bank.token)).await.ok();
    let a = app
        .post(
            &path,
            Some(&bank.token),
            json!({"name": "Compte joint", "display": false, "bookmarked": true, "usage": "ORGA"}),
        )
        .await
        .ok();
    assert_eq!(a["name"], "Compte joint");
    assert_eq!(a["original_name"], before["original_name"]);
    assert_eq!(a["display"], false);
    assert_eq!(a["bookmarked"], 1);
    assert_eq!(a["usage"], "ORGA");
    assert_eq!(a["balance"], before["balance"]);
    assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), a);
    let a = app
        .post(&path, Some(&bank.token), json!({"bookmarked": false}))
        .await
        .ok();
    assert_eq!(a["bookmarked"], 0);
    assert_eq!(a["name"], "Compte joint", "other fields are kept");
}

#[tokio::test]
async fn an_account_update_accepts_put_and_a_form_body() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    let a = app
        .put(&path, Some(&bank.token), Some(json!({"name": "Par PUT"})))
        .await
        .ok();
    assert_eq!(a["name"], "Par PUT");
    let form = app
        .client
        .post(app.url(&path))
        .bearer_auth(&bank.token)
        .form(&[("display", "false"), ("usage", "PRIV")]);
    let a = TestApp::reply(form.send().await.unwrap()).await.ok();
    assert_eq!(a["display"], false);
}

#[tokio::test]
async fn a_hidden_account_stays_in_lists_with_display_false() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.post(
        &format!("/users/me/accounts/{}", bank.accounts[0]),
        Some(&bank.token),
        json!({"display": false}),
    )
    .await
    .ok();
    let b = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert_eq!(b["total"], 7);
    assert_eq!(b["accounts"][0]["display"], false);
}

#[tokio::test]
async fn an_update_of_several_accounts_answers_accounts_and_total() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let b = app
        .post(
            &format!(
                "/users/me/accounts/{},{},{}",
                bank.accounts[0], bank.accounts[1], bank.accounts[2]
            ),
            Some(&bank.token),
            json!({"usage": "ORGA"}),
        )
        .await
        .ok();
    assert_eq!(b["total"], 3);
    for a in b["accounts"].as_array().unwrap() {
        assert_eq!(a["usage"], "ORGA");
    }
    let list = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    let orga = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["usage"] == "ORGA")
        .count();
    assert_eq!(orga, 3);
}

#[tokio::test]
async fn invalid_update_values_are_refused_naming_the_field() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    for (body, field) in [
        (json!({"usage": "FAMILY"}), "usage"),
        (json!({"name": "  "}), "name"),
        (json!({"display": "often"}), "display"),
        (json!({"bookmarked": "yes please"}), "bookmarked"),
        (json!({"disabled": [1]}), "disabled"),
    ] {
        let r = app.post(&path, Some(&bank.token), body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{}",
            r.text
        );
    }
    let a = app.get(&path, Some(&bank.token)).await.ok();
    assert_eq!(a["usage"], "PRIV");
    assert_eq!(a["disabled"], Value::Null);
}

// Offset pagination, as py-powens' iterator reads the list

#[tokio::test]
async fn the_accounts_list_honours_limit_and_offset_with_the_full_total() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let whole = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    for path in [
        "/users/me/accounts".to_string(),
        format!("/users/me/connections/{}/accounts", bank.connection),
    ] {
        let walked = app.walk_offsets(&bank.token, &path, "accounts", 3, 7).await;
        assert_eq!(walked, bank.accounts, "{path}");
        let page = app
            .get(&format!("{path}?limit=2&offset=1"), Some(&bank.token))
            .await
            .ok();
        assert_eq!(ids(&page["accounts"]), bank.accounts[1..3], "{path}");
        assert_eq!(page["total"], 7);
        // The sums are those of every account, whatever the page.
        for key in ["balance", "balances", "coming_balances"] {
            assert_eq!(page[key], whole[key], "{key} on {path}");
        }
        let past = app
            .get(&format!("{path}?offset=50"), Some(&bank.token))
            .await
            .ok();
        assert_eq!(past["accounts"], json!([]));
        assert_eq!(past["total"], 7);
    }
}

#[tokio::test]
async fn the_accounts_list_pages_disabled_accounts_with_all() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let walked = app
        .walk_offsets(&token, "/users/me/accounts?all", "accounts", 2, 7)
        .await;
    assert_eq!(walked, accounts.iter().map(id_of).collect::<Vec<_>>());
}

#[tokio::test]
async fn bad_limit_or_offset_values_on_the_accounts_list_are_refused() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.assert_refuses_bad_pages(&bank.token, "/users/me/accounts")
        .await;
    app.assert_refuses_bad_pages(
        &bank.token,
        &format!("/users/me/connections/{}/accounts", bank.connection),
    )
    .await;
}
