//! The category tree and the lists of categories in use.

use super::*;

#[tokio::test]
async fn banks_categories_serves_the_whole_tree_with_roots_pointing_to_themselves() {
    let app = spawn_app().await;
    let b = app.get("/banks/categories", None).await.ok();
    let list = b["bank_category"].as_array().unwrap();
    assert_eq!(b["total"].as_u64().unwrap() as usize, list.len());
    let by_id = |id: &Value| list.iter().find(|c| c["id"] == *id).unwrap();
    for c in list {
        assert!(c["name"].is_string() && c["code"].is_string(), "{c}");
        assert_eq!(c["color"].as_str().unwrap().len(), 6, "{c}");
        let parent = by_id(&c["id_parent_category"]);
        assert_eq!(
            parent["id_parent_category"], parent["id"],
            "two levels: {c}"
        );
    }
    let undefined = by_id(&json!(9998));
    assert_eq!(undefined["name"], "Indéfini");
    assert_eq!(undefined["income"], Value::Null);
    let salary = list.iter().find(|c| c["code"] == "salary").unwrap();
    assert_eq!(salary["income"], true);
    assert_eq!(by_id(&salary["id_parent_category"])["code"], "income");
    let rent = list.iter().find(|c| c["code"] == "rent").unwrap();
    assert_eq!(rent["income"], false);
}

#[tokio::test]
async fn get_categories_is_a_404_as_on_live_servers() {
    let app = spawn_app().await;
    app.get("/categories", None)
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_full_tree_of_a_user_comes_under_categorys() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let full = app
        .get("/users/me/categories/full", Some(&token))
        .await
        .ok();
    let tree = app.get("/banks/categories", None).await.ok();
    assert_eq!(full["categorys"], tree["bank_category"]);
    assert_eq!(full["total"], tree["total"]);
    app.get("/users/me/categories/full", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn the_categories_in_use_are_listed_for_the_user_and_for_each_account() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let txs = categorized(&app, token).await;
    let mut used: Vec<i64> = txs
        .iter()
        .map(|t| t["id_category"].as_i64().unwrap())
        .collect();
    used.sort();
    used.dedup();
    let mine = app.get("/users/me/categories", Some(token)).await.ok();
    assert_eq!(ids(&mine["categories"]), used);
    assert_eq!(mine["total"], used.len());
    assert!(
        used.len() >= 10,
        "a household's spending is varied: {used:?}"
    );

    let checking = app
        .all_accounts(token)
        .await
        .into_iter()
        .find(|a| a["type"] == "checking")
        .unwrap();
    let id = id_of(&checking);
    let mut in_checking: Vec<i64> = txs
        .iter()
        .filter(|t| t["id_account"] == id)
        .map(|t| t["id_category"].as_i64().unwrap())
        .collect();
    in_checking.sort();
    in_checking.dedup();
    let one = app
        .get(&format!("/users/me/accounts/{id}/categories"), Some(token))
        .await
        .ok();
    assert_eq!(ids(&one["categories"]), in_checking);
    let aliased = app
        .get(
            &format!(
                "/users/me/connections/{}/accounts/{id}/categories",
                bank.connection
            ),
            Some(token),
        )
        .await
        .ok();
    assert_eq!(aliased, one);

    // Another user's account, a wrong connection, a malformed id: 404.
    let (_, other) = app.permanent_user().await;
    app.get(&format!("/users/me/accounts/{id}/categories"), Some(&other))
        .await
        .assert_error(404, "notFound");
    app.get(
        &format!(
            "/users/me/connections/{}/accounts/{id}/categories",
            bank.connection + 1000
        ),
        Some(token),
    )
    .await
    .assert_error(404, "notFound");
    app.get("/users/me/accounts/abc/categories", Some(token))
        .await
        .assert_error(404, "notFound");
    let none = app.get("/users/me/categories", Some(&other)).await.ok();
    assert_eq!(none, json!({"categories": [], "total": 0}));
}
