//! Headless users and scenario documents.

use super::*;

#[tokio::test]
async fn a_sandbox_user_comes_with_a_token_and_connections_with_accounts_enabled() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [
                {"connector": TEST_CONNECTOR_UUID, "login": "bob"},
                {"connector": HERMELINE, "login": "12345678"},
            ]}),
        )
        .await
        .ok();
    let id_user = b["id_user"].as_i64().unwrap();
    let token = b["auth_token"].as_str().unwrap().to_string();
    let me = app.get("/users/me", Some(&token)).await.ok();
    assert_eq!(me["id"], id_user, "{me}");
    let conns = b["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 2, "{b}");
    let listed = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(listed["total"], 2);
    for c in conns {
        assert_eq!(c["state"], Value::Null, "{c}");
        for a in c["accounts"].as_array().unwrap() {
            assert_eq!(a["disabled"], Value::Null, "enabled: {a}");
        }
    }
    let enabled = app.get("/users/me/accounts", Some(&token)).await.ok();
    let all = app.all_accounts(&token).await;
    assert_eq!(enabled["accounts"].as_array().unwrap().len(), all.len());
    assert!(
        !transactions(&app, &token).await.is_empty(),
        "history fetched"
    );
}

#[tokio::test]
async fn a_sandbox_user_without_connections_is_just_a_user() {
    let app = spawn_frozen().await;
    let b = app.sandbox_post("/sandbox/users", json!({})).await.ok();
    let token = b["auth_token"].as_str().unwrap();
    assert_eq!(b["connections"], json!([]));
    let c = app.get("/users/me/connections", Some(token)).await.ok();
    assert_eq!(c["total"], 0);
}

#[tokio::test]
async fn a_sandbox_user_with_refused_credentials_is_not_created() {
    let app = spawn_frozen().await;
    let r = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [{"connector": HERMELINE, "login": "12345678", "password": "666666"}]}),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert_eq!(users_total(&app).await, 0);
    app.sandbox_post("/sandbox/users", json!({"nickname": "x"}))
        .await
        .assert_error(400, "invalidValue");
}

// Scenario documents

#[tokio::test]
async fn a_scenario_document_sets_up_users_connections_accounts_and_the_clock() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post("/sandbox/scenario", readme_scenario("2026-02-01 09:00:00"))
        .await
        .ok();
    assert_eq!(b["now"], "2026-02-01 09:00:00", "{b}");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], "2026-02-01 09:00:00");
    assert_eq!(clock["frozen"], true);

    let user = &b["users"][0];
    let token = user["auth_token"].as_str().unwrap();
    let me = app.get("/users/me", Some(token)).await.ok();
    assert_eq!(me["id"], user["id_user"]);
    let c = &user["connections"][0];
    let id = id_of(c);
    assert_eq!(c["state"], Value::Null, "{c}");
    for a in c["accounts"].as_array().unwrap() {
        match a["type"].as_str().unwrap() {
            "checking" | "savings" => {
                assert_eq!(a["disabled"], Value::Null, "{a}");
                assert_eq!(a["deleted"], Value::Null, "{a}");
            }
            "card" => assert!(a["deleted"].is_string(), "{a}"),
            _ => assert!(a["disabled"].is_string(), "{a}"),
        }
    }
    let listed = app.all_accounts(token).await;
    assert_eq!(listed.len(), c["accounts"].as_array().unwrap().len());
    let list = transactions(&app, token).await;
    let t = list
        .iter()
        .find(|t| t["original_wording"] == "CB TEST")
        .expect("the scenario's transaction");
    assert_eq!(t["value"], json!(-42.5));
    assert_eq!(t["date"], "2026-01-10");
    let checking = c["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "checking")
        .unwrap();
    assert_eq!(t["id_account"], checking["id"]);

    // Consent given 179 days ago: one day left.
    let sources = app.sources_by_name(token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-02-02 09:00:00");
    advance(&app, "1d").await;
    let ran = app.run_due_work().await;
    assert_eq!(ran[0]["state"], "SCARequired", "{ran:?}");
}

#[tokio::test]
async fn a_scenario_puts_connections_in_their_states_with_the_accounts_asked_for() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post(
            "/sandbox/scenario",
            json!({"users": [
                {"connections": [
                    {"connector": HERMELINE, "login": "12345678", "state": "passwordExpired",
                     "accounts": {"enabled": "none"}},
                    {"connector": TEST_CONNECTOR_UUID, "login": "carol", "state": "SCARequired"},
                ]},
                {},
            ]}),
        )
        .await
        .ok();
    let users = b["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_ne!(users[0]["auth_token"], users[1]["auth_token"]);
    assert_eq!(users[1]["connections"], json!([]));
    let token = users[0]["auth_token"].as_str().unwrap();
    let conns = users[0]["connections"].as_array().unwrap();
    assert_eq!(conns[0]["state"], "passwordExpired");
    assert_eq!(conns[1]["state"], "SCARequired");
    let c = app.connection_of(token, id_of(&conns[0])).await;
    assert_connection_state(&c, Some("passwordExpired"));
    for a in conns[0]["accounts"].as_array().unwrap() {
        assert!(a["disabled"].is_string(), "{a}");
    }
    let r = app
        .post(
            &format!("/users/me/connections/{}", id_of(&conns[1])),
            Some(token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(users_total(&app).await, 2);
}

#[tokio::test]
async fn a_scenario_is_all_or_nothing() {
    let app = spawn_frozen().await;
    let mut doc = readme_scenario("2026-03-01 00:00:00");
    doc["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"connections": [{"connector": "no-such-bank"}]}));
    let r = app.sandbox_post("/sandbox/scenario", doc).await;
    r.assert_error(400, "invalidValue");
    assert!(
        r.body["description"].as_str().unwrap().contains("users[1]"),
        "names the faulty part: {}",
        r.text
    );
    assert_eq!(users_total(&app).await, 0, "no user kept");
    assert_eq!(
        app.sandbox_now().await,
        CLOCK_START,
        "nor the document's clock"
    );
}

#[tokio::test]
async fn a_scenario_with_unknown_keys_or_values_is_refused() {
    let app = spawn_frozen().await;
    for doc in [
        json!({"userz": []}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "colour": "red"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "state": "sleepy"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "consent_age": "old"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "accounts": {"deleted": ["yacht"]}}]}]}),
        json!({"clock": {"set": "yesterday"}}),
    ] {
        app.sandbox_post("/sandbox/scenario", doc.clone())
            .await
            .assert_error(400, "invalidValue");
    }
    assert_eq!(users_total(&app).await, 0);
}

#[tokio::test]
async fn a_scenario_file_is_loaded_at_start() {
    let dir = TempDir::new("scenario");
    let file = dir.path.join("scenario.json");
    std::fs::write(&file, readme_scenario("2026-02-01 09:00:00").to_string()).unwrap();
    let path = file.clone();
    let app = spawn_with(move |c| {
        c.clock_start = Some(CLOCK_START.into());
        c.scenario = Some(path);
    })
    .await;
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], "2026-02-01 09:00:00", "{clock}");
    assert_eq!(clock["frozen"], true);
    let users = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(users["total"], 1, "{users}");
    let id_user = users["users"][0]["id"].as_i64().unwrap();
    // The config token acts for any user.
    let conns = app
        .get(&format!("/users/{id_user}/connections"), Some(CONFIG_TOKEN))
        .await
        .ok();
    assert_eq!(conns["total"], 1, "{conns}");
    let accounts = app
        .get(&format!("/users/{id_user}/accounts"), Some(CONFIG_TOKEN))
        .await
        .ok();
    let mut kinds: Vec<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["checking", "savings"], "{accounts}");
}

#[tokio::test]
async fn a_scenario_file_is_not_loaded_again_on_a_database_in_use() {
    let dir = TempDir::new("scenario-restart");
    let file = dir.path.join("scenario.json");
    std::fs::write(&file, readme_scenario("2026-02-01 09:00:00").to_string()).unwrap();
    let database = dir.file("sandbox.db");
    for _ in 0..2 {
        let (db, path) = (database.clone(), file.clone());
        let app = spawn_with(move |c| {
            c.database = db;
            c.clock_start = Some(CLOCK_START.into());
            c.scenario = Some(path);
        })
        .await;
        assert_eq!(users_total(&app).await, 1);
    }
}

#[tokio::test]
async fn a_broken_scenario_file_stops_the_start() {
    let dir = TempDir::new("scenario-broken");
    let file = dir.path.join("scenario.json");
    std::fs::write(
        &file,
        "{\"users\": [{\"connections\": [{\"connector\": 1}]}]}",
    )
    .unwrap();
    let mut config = powens_sandbox::config::Config::for_tests();
    config.scenario = Some(file);
    assert!(powens_sandbox::build_state(config).await.is_err());
}

#[tokio::test]
async fn the_same_scenario_on_two_fresh_servers_gives_the_same_bytes() {
    let start = |c: &mut powens_sandbox::config::Config| {
        c.clock_start = Some(CLOCK_START.into());
        c.public_url = Some("http://sandbox.test".into());
    };
    let mut bodies = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let app = spawn_with(start).await;
        let b = app
            .sandbox_post("/sandbox/scenario", readme_scenario(CLOCK_START))
            .await
            .ok();
        let token = b["users"][0]["auth_token"].as_str().unwrap().to_string();
        let accounts = app.get("/users/me/accounts", Some(&token)).await;
        let list = app
            .get("/users/me/transactions?limit=100", Some(&token))
            .await;
        assert!(accounts.status.is_success() && list.status.is_success());
        assert_eq!(list.body["transactions"].as_array().unwrap().len(), 100);
        let mut without_token = b.clone();
        without_token["users"][0]["auth_token"] = Value::Null;
        bodies.push((without_token, accounts.text, list.text));
        tokens.push(token);
    }
    assert_ne!(tokens[0], tokens[1], "tokens differ");
    assert_eq!(bodies[0].0, bodies[1].0, "ids equal");
    assert_eq!(bodies[0].1, bodies[1].1, "accounts");
    assert_eq!(bodies[0].2, bodies[1].2, "transactions");
}

#[tokio::test]
async fn a_sandbox_user_takes_the_connection_request_body_of_the_api() {
    let app = spawn_frozen().await;
    // The body that works on `POST /users/me/connections`, pasted as it is.
    let mut request = test_connector_credentials();
    request["source"] = json!("openapi");
    let b = app
        .sandbox_post("/sandbox/users", json!({"connections": [request.clone()]}))
        .await
        .ok();
    let token = b["auth_token"].as_str().unwrap().to_string();
    let id = b["connections"][0]["id"].as_i64().unwrap();
    assert_eq!(b["connections"][0]["state"], Value::Null, "{b}");
    let c = app.connection_of(&token, id).await;
    assert_eq!(c["connector_uuid"], TEST_CONNECTOR_UUID, "{c}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(
        sources.keys().collect::<Vec<_>>(),
        ["openapi"],
        "only the source asked for"
    );
    let accounts = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert!(accounts["total"].as_i64().unwrap() > 0, "{accounts}");
    // Or the request alone, at the top: one user with that connection.
    let b = app.sandbox_post("/sandbox/users", request).await.ok();
    assert_eq!(b["connections"].as_array().unwrap().len(), 1, "{b}");
    // `id_connector` works too, as on the API.
    let b = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [hermeline("12345678", "123456")]}),
        )
        .await
        .ok();
    assert_eq!(b["connections"][0]["id_connector"], HERMELINE, "{b}");
}

#[tokio::test]
async fn a_pasted_connection_request_reads_the_connectors_own_fields() {
    let app = spawn_frozen().await;
    // `openapiwebsite` picks the bank's scenario, as on the API: this one refuses the login.
    let r = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [test_connector("wrongpass")]}),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.text.contains("refused by the bank"), "{}", r.text);
    // A field the connector validates is checked as the API checks it.
    app.sandbox_post(
        "/sandbox/users",
        json!({"connections": [hermeline("bob", "123456")]}),
    )
    .await
    .assert_error(400, "invalidValue");
    // A required field missing, as the API says it.
    app.sandbox_post(
        "/sandbox/users",
        json!({"connections": [{"id_connector": HERMELINE, "login": "12345678"}]}),
    )
    .await
    .assert_error(400, "missingParameter");
    assert_eq!(users_total(&app).await, 0, "nothing kept");
}

#[tokio::test]
async fn a_scenario_connection_request_refuses_an_unknown_field_by_name() {
    let app = spawn_frozen().await;
    let mut request = test_connector_credentials();
    request["colour"] = json!("red");
    for (path, body) in [
        ("/sandbox/users", json!({"connections": [request.clone()]})),
        (
            "/sandbox/scenario",
            json!({"users": [{"connections": [request.clone()]}]}),
        ),
        ("/sandbox/users", request.clone()),
    ] {
        let r = app.sandbox_post(path, body).await;
        r.assert_error(400, "invalidValue");
        assert!(r.text.contains("colour"), "{path}: {}", r.text);
    }
    // The scenario's own keys go with the request.
    let mut request = test_connector_credentials();
    request["state"] = json!("SCARequired");
    request["accounts"] = json!({"enabled": "none"});
    let b = app
        .sandbox_post(
            "/sandbox/scenario",
            json!({"users": [{"connections": [request]}]}),
        )
        .await
        .ok();
    let c = &b["users"][0]["connections"][0];
    assert_eq!(c["state"], "SCARequired", "{b}");
    assert!(c["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["disabled"].is_string()));
}
