//! The test harness: `spawn_app()` starts a real server on port 0 with a fresh in-memory
//! database and returns a client that knows its base URL. Every helper a test module needs
//! lives here once, by topic in the submodules below, and `use crate::common::*` brings
//! them all.

// Not every test module uses every helper.
#![allow(dead_code)]

mod aggregation;
mod auth;
mod control;
mod inspector;
mod pages;
mod process;
mod traffic;
mod values;

pub use aggregation::*;
pub use auth::*;
pub use control::*;
pub use inspector::*;
pub use pages::*;
pub use process::*;
pub use traffic::*;
pub use values::*;

use powens_sandbox::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const CLIENT_ID: &str = "12345678";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const CONFIG_TOKEN: &str = "sandbox-config-token";
pub const USERS_TOKEN: &str = "sandbox-users-token";
pub const TEST_CONNECTOR_UUID: &str = "338178e6-3d01-564f-9a7b-52ca442459bf";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
}

/// A response as the user sees it: status, headers and the JSON body (Null when empty).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// Asserts a Powens error body with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status for body {}",
            self.text
        );
        assert_eq!(self.body["code"], code, "code in {}", self.text);
        assert!(
            self.body["description"].is_string(),
            "description in {}",
            self.text
        );
        assert!(
            self.body["request_id"].is_string(),
            "request_id in {}",
            self.text
        );
    }

    /// Asserts an error whose description speaks of `about` (a parameter's name, usually).
    pub fn assert_error_about(&self, status: u16, code: &str, about: &str) {
        self.assert_error(status, code);
        let description = self.body["description"].as_str().unwrap_or_default();
        assert!(description.contains(about), "about {about}: {}", self.text);
    }

    /// Asserts a 400 with this code whose description names `field` (a path such as
    /// `transactions[0].value`) as Powens names a parameter.
    pub fn assert_names(&self, code: &str, field: &str) {
        self.assert_error(400, code);
        let description = self.body["description"].as_str().unwrap_or_default();
        assert!(
            description.contains(&format!("'{field}'")),
            "names {field}: {}",
            self.text
        );
    }

    pub fn ok(self) -> Value {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.text
        );
        self.body
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts a server with a tweaked configuration.
pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests();
    tweak(&mut config);
    let state = powens_sandbox::build_state(config).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(powens_sandbox::run(state, listener, std::future::pending()));
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else if path.starts_with("/sandbox")
            || path.starts_with("/health")
            || path.starts_with("/openapi")
            || path.starts_with("/webview")
        {
            format!("{}{}", self.base, path)
        } else {
            format!("{}/2.0{}", self.base, path)
        }
    }

    /// Sends a request; `token` is a bearer token, `body` JSON when Some.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let url = self.url(path);
        let mut req = self.client.request(method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let reply = Self::reply(req.send().await.expect("request")).await;
        crate::conformance::check(&method, &url, &reply);
        reply
    }

    pub async fn reply(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call(Method::PUT, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }

    /// A new permanent user: (id, token).
    pub async fn permanent_user(&self) -> (i64, String) {
        let b = self
            .post(
                "/auth/init",
                None,
                json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
            )
            .await
            .ok();
        (
            b["id_user"].as_i64().unwrap(),
            b["auth_token"].as_str().unwrap().to_string(),
        )
    }
}

impl TestApp {
    /// The same server seen through the tenant `domain`'s path prefix (`/t/{domain}`).
    pub fn tenant(&self, domain: &str) -> TestApp {
        TestApp {
            base: format!("{}/t/{domain}", self.base),
            client: self.client.clone(),
        }
    }

    /// The server's own address, without any tenant prefix.
    pub fn origin(&self) -> String {
        match self.base.find("/t/") {
            Some(i) => self.base[..i].to_string(),
            None => self.base.clone(),
        }
    }
}
