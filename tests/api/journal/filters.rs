use crate::common::*;

/// Two users' calls, some before and some after the clock moved on.
async fn traffic() -> (TestApp, i64, String, i64) {
    let app = spawn_frozen().await;
    let (first, token) = app.permanent_user().await;
    let (second, other) = app.permanent_user().await;
    app.get("/users/me", Some(&token)).await.ok();
    app.get("/users/me/connections", Some(&other)).await.ok();
    advance(&app, "1h").await;
    app.get("/users/me/accounts", Some(&token)).await;
    app.delete("/users/me", Some(&other)).await;
    (app, first, token, second)
}

fn paths(list: &serde_json::Value) -> Vec<String> {
    list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn each_filter_narrows_the_list() {
    let (app, first, _, second) = traffic().await;
    let all = app.journal("").await;
    assert_eq!(all["total"], 6, "{all}");
    assert_eq!(
        paths(&app.journal("method=delete").await),
        ["DELETE /2.0/users/me"]
    );
    assert_eq!(
        paths(&app.journal("path=/2.0/users/me/").await),
        [
            "GET /2.0/users/me/accounts",
            "GET /2.0/users/me/connections"
        ]
    );
    assert_eq!(
        paths(&app.journal("route=/2.0/users/{user}").await),
        ["DELETE /2.0/users/me", "GET /2.0/users/me"]
    );
    let by_user = app.journal(&format!("id_user={first}")).await;
    assert_eq!(
        paths(&by_user),
        ["GET /2.0/users/me/accounts", "GET /2.0/users/me"]
    );
    let by_second = app.journal(&format!("id_user={second}")).await;
    assert_eq!(by_second["total"], 2);
    let later = app
        .journal(&format!("since={}", query_value("2026-01-15 11:00:00")))
        .await;
    assert_eq!(
        paths(&later),
        ["DELETE /2.0/users/me", "GET /2.0/users/me/accounts"]
    );
    assert_eq!(app.journal("status=200").await["total"], 5);
    let deleted = app.journal("status=204").await;
    assert_eq!(paths(&deleted), ["DELETE /2.0/users/me"]);
    let limited = app.journal("limit=2").await;
    assert_eq!(limited["requests"].as_array().unwrap().len(), 2);
    assert_eq!(limited["total"], 6, "total counts before the limit");
    let both = app
        .journal(&format!("method=GET&id_user={first}&limit=1"))
        .await;
    assert_eq!(paths(&both), ["GET /2.0/users/me/accounts"]);
}

#[tokio::test]
async fn bad_filters_are_refused_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, param) in [
        ("status=abc", "status"),
        ("status=1000", "status"),
        ("since=yesterday", "since"),
        ("limit=-1", "limit"),
        ("limit=5000", "limit"),
        ("id_user=me", "id_user"),
    ] {
        let r = app.sandbox_get(&format!("/sandbox/requests?{query}")).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(param),
            "{query}: {}",
            r.text
        );
    }
}
