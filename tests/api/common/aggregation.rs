//! Aggregation helpers: connectors' credentials, connections, accounts, transactions and the
//! sandbox clock.

use super::{id_of, spawn_with, Reply, TestApp, CONFIG_TOKEN, TEST_CONNECTOR_UUID};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The instant aggregation tests freeze the sandbox clock at, so generated ledgers and every
/// timestamp are reproducible.
pub const CLOCK_START: &str = "2026-01-15 10:00:00";

/// A server whose sandbox clock starts frozen at [`CLOCK_START`].
pub async fn spawn_frozen() -> TestApp {
    spawn_with(|c| c.clock_start = Some(CLOCK_START.into())).await
}

/// Credentials the test connector accepts (its `par` scenario).
/// A permanent user with a test-connector connection: (token, the connection's
/// `/users/me/connections/{id}` path).
pub async fn user_with_connection_path(app: &TestApp) -> (String, String) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    (token, format!("/users/me/connections/{}", c["id"]))
}

pub fn test_connector_credentials() -> Value {
    test_connector("par")
}

/// The test connector's credentials with this `openapiwebsite` scenario.
pub fn test_connector(website: &str) -> Value {
    json!({
        "connector_uuid": TEST_CONNECTOR_UUID,
        "login": "Identifiant",
        "password": "1234",
        "openapiwebsite": website,
    })
}

/// "Banque Hermeline", a credentials connector (login `^[0-9]{8,11}$`, password `^[0-9]{6}$`).
pub const HERMELINE: i64 = 41;
/// Banque Hermeline's connector uuid.
pub const HERMELINE_UUID: &str = "5e589249-eb2f-46f2-9e5f-f427a6ee55e1";

/// A connection body for Banque Hermeline with these credentials.
pub fn hermeline(login: &str, password: &str) -> Value {
    json!({"id_connector": HERMELINE, "login": login, "password": password})
}

/// Moves the sandbox clock forward (`"31m"`, `"400d"`) and returns its new `now`.
pub async fn advance(app: &TestApp, by: &str) -> String {
    let b = app.advance_clock(by).await;
    b["now"].as_str().unwrap().to_string()
}

/// Enables every account of the user, enabled ones included, in one request (the PSU's
/// consent to share them), and returns their ids.
pub async fn enable_all(app: &TestApp, token: &str) -> Vec<i64> {
    let ids: Vec<i64> = app.all_accounts(token).await.iter().map(id_of).collect();
    assert!(!ids.is_empty(), "no account to enable");
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    app.post(
        &format!("/users/me/accounts/{}?all", list.join(",")),
        Some(token),
        json!({"disabled": false}),
    )
    .await
    .ok();
    ids
}

/// A user with one test-connector connection whose accounts are all enabled.
pub struct Bank {
    pub id_user: i64,
    pub token: String,
    pub connection: i64,
    /// Every account of the connection, in id order.
    pub accounts: Vec<i64>,
}

impl TestApp {
    /// Sends a request to the control plane with the config token.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call(method, path, Some(CONFIG_TOKEN), body).await
    }

    /// Moves the sandbox clock forward through the control plane (`"36h"`, `"30d"`, `"90m"`)
    /// and returns the clock as it answers.
    pub async fn advance_clock(&self, by: &str) -> Value {
        self.control(
            Method::POST,
            "/sandbox/clock",
            Some(json!({ "advance": by })),
        )
        .await
        .ok()
    }

    /// Creates a connection for the user of `token` and returns it; panics unless it is 200.
    pub async fn create_connection(&self, token: &str, body: Value) -> Value {
        let r = self.post("/users/me/connections", Some(token), body).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "creating a connection: {}",
            r.text
        );
        r.body
    }

    /// Syncs a connection as a background refresh (`PUT ...?psu_requested=false`) and returns it.
    pub async fn sync_connection(&self, token: &str, id_connection: i64) -> Value {
        self.put(
            &format!("/users/me/connections/{id_connection}?psu_requested=false"),
            Some(token),
            None,
        )
        .await
        .ok()
    }

    /// Every account of the user (`?all`: disabled and deleted ones too).
    pub async fn all_accounts(&self, token: &str) -> Vec<Value> {
        let b = self.get("/users/me/accounts?all", Some(token)).await.ok();
        b["accounts"].as_array().cloned().unwrap_or_default()
    }

    /// Enables these accounts (the PSU's consent: their history is fetched at once).
    pub async fn enable_accounts(&self, token: &str, ids: &[i64]) -> Value {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.post(
            &format!("/users/me/accounts/{}?all", list.join(",")),
            Some(token),
            json!({"disabled": false}),
        )
        .await
        .ok()
    }

    /// Enables every disabled account of the user and returns the ids of all its accounts.
    pub async fn enable_all_accounts(&self, token: &str) -> Vec<i64> {
        let all: Vec<Value> = self.all_accounts(token).await;
        let disabled: Vec<i64> = all
            .iter()
            .filter(|a| !a["disabled"].is_null())
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        if !disabled.is_empty() {
            self.enable_accounts(token, &disabled).await;
        }
        all.iter().map(|a| a["id"].as_i64().unwrap()).collect()
    }

    /// A new permanent user with one test-connector connection and every account enabled.
    pub async fn user_with_bank(&self) -> Bank {
        let (id_user, token) = self.permanent_user().await;
        let c = self
            .create_connection(&token, test_connector_credentials())
            .await;
        let accounts = self.enable_all_accounts(&token).await;
        Bank {
            id_user,
            token,
            connection: c["id"].as_i64().unwrap(),
            accounts,
        }
    }

    /// Reads `path` page by page as py-powens' offset iterator does (`limit`, then `offset`
    /// moved on by each page's length until a page is empty) and returns the ids under `key`
    /// in the order they came; every page's `total` must be `total`.
    pub async fn walk_offsets(
        &self,
        token: &str,
        path: &str,
        key: &str,
        limit: i64,
        total: i64,
    ) -> Vec<i64> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        loop {
            let url = format!("{path}{sep}limit={limit}&offset={}", out.len());
            let b = self.get(&url, Some(token)).await.ok();
            assert_eq!(b["total"], total, "the full count on every page: {url}");
            let page = super::ids(&b[key]);
            assert!(page.len() as i64 <= limit, "{url}: {b}");
            if page.is_empty() {
                return out;
            }
            out.extend(page);
            assert!(out.len() <= 10_000, "the walk does not end");
        }
    }

    /// `limit` and `offset` values a list refuses with `400 invalidValue` naming them, as
    /// the transactions list does.
    pub async fn assert_refuses_bad_pages(&self, token: &str, path: &str) {
        let sep = if path.contains('?') { '&' } else { '?' };
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=-1", "limit"),
            ("limit=1001", "limit"),
            ("limit=ten", "limit"),
            ("offset=-1", "offset"),
            ("offset=x", "offset"),
        ] {
            let r = self.get(&format!("{path}{sep}{query}"), Some(token)).await;
            r.assert_error(400, "invalidValue");
            let d = r.body["description"].as_str().unwrap_or_default();
            assert!(d.contains(field), "{path}{sep}{query}: {}", r.text);
        }
    }

    /// Follows `_links.next` from `path` until it is null and returns every page's
    /// transactions in the order they came.
    pub async fn walk_transactions(&self, token: &str, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut next = Some(path.to_string());
        let mut pages = 0;
        while let Some(url) = next {
            pages += 1;
            assert!(pages <= 10_000, "the walk does not end");
            let b = self.get(&url, Some(token)).await.ok();
            out.extend(b["transactions"].as_array().unwrap().iter().cloned());
            next = b["_links"]["next"]["href"].as_str().map(str::to_owned);
        }
        out
    }
}

/// "Onde Télécom", a telecom provider (capability `document`): contracts billed monthly.
pub const ONDE: i64 = 49;

/// A connection body for Onde Télécom.
pub fn onde(login: &str) -> Value {
    json!({"id_connector": ONDE, "login": login, "password": "secret"})
}

impl TestApp {
    /// Downloads `path` with the user's token: (status, content type, bytes).
    pub async fn download(&self, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, ct, res.bytes().await.expect("body").to_vec())
    }

    /// Enables every subscription of the user (the PSU's consent) and returns their ids.
    pub async fn enable_all_subscriptions(&self, token: &str) -> Vec<i64> {
        let all = self
            .get("/users/me/subscriptions?all", Some(token))
            .await
            .ok();
        let ids = super::ids(&all["subscriptions"]);
        for id in &ids {
            self.post(
                &format!("/users/me/subscriptions/{id}?all"),
                Some(token),
                json!({"disabled": false}),
            )
            .await
            .ok();
        }
        ids
    }
}
