//! The browser harness: a sandbox server in-process on 127.0.0.1:0, a chromedriver on a free
//! port, and a headless Chromium with a fresh profile per test. Browser tests run one at a
//! time (two cores, other builds around). Without Chromium, they say so and pass.

#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use powens_sandbox::config::Config;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard};

pub const CLIENT_ID: &str = "12345678";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const CONFIG_TOKEN: &str = "sandbox-config-token";
pub const TEST_CONNECTOR_UUID: &str = "338178e6-3d01-564f-9a7b-52ca442459bf";

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub type Check<T = ()> = Result<T, String>;

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Chromium and its driver, from `CHROME_BIN` / `CHROMEDRIVER` or the PATH.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chrome = std::env::var_os("CHROME_BIN")
        .map(PathBuf::from)
        .or_else(|| which(&["chromium", "chromium-browser", "google-chrome"]))?;
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| which(&["chromedriver"]))?;
    Some((chrome, driver))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A test's browser session and the sandbox it talks to.
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub http: reqwest::Client,
    name: String,
    driver: Child,
    profile: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

/// Starts everything for test `name`, or None (with a message) when Chromium is missing.
pub async fn start(name: &str, tweak: impl FnOnce(&mut Config)) -> Option<Browser> {
    let Some((chrome, driver_bin)) = browser() else {
        eprintln!(
            "SKIPPED browser test {name}: chromium and chromedriver are not installed \
             (run scripts/install-browser.sh as root)"
        );
        return None;
    };
    let turn = ONE_AT_A_TIME.lock().await;
    let mut config = Config::for_tests();
    tweak(&mut config);
    let state = powens_sandbox::build_state(config).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(powens_sandbox::run(state, listener, std::future::pending()));

    let port = free_port();
    let driver = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = std::env::temp_dir().join(format!(
        "powens-sandbox-chromium-{}-{name}-{port}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("profile directory");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chrome,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1024,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    Some(Browser {
        client,
        base,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        name: name.to_string(),
        driver,
        profile,
        _turn: turn,
    })
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Runs a flow; on failure saves a screenshot into `test-artifacts/` and panics.
    pub async fn run(self, flow: impl AsyncFnOnce(&Browser) -> Check) {
        let outcome = flow(&self).await;
        if let Err(why) = outcome {
            let url = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
            let shot = dir.join(format!("{}.png", self.name));
            let saved = match self.client.screenshot().await {
                Ok(png) => std::fs::create_dir_all(&dir)
                    .and_then(|_| std::fs::write(&shot, png))
                    .map(|_| shot.display().to_string())
                    .unwrap_or_else(|e| format!("not saved: {e}")),
                Err(e) => format!("not taken: {e}"),
            };
            let _ = self.client.clone().close().await;
            panic!("{}: {why}\n  at {url}\n  screenshot: {saved}", self.name);
        }
        let _ = self.client.clone().close().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Where the app under test would be called back (a path of the sandbox, so the browser
    /// lands somewhere without a network).
    pub fn callback(&self) -> String {
        self.url("/app/callback")
    }

    pub async fn goto(&self, path: &str) -> Check {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            self.url(path)
        };
        self.client
            .goto(&url)
            .await
            .map_err(|e| format!("goto {url}: {e}"))
    }

    /// Clicks a link or a submit button and waits until the next page replaced this one.
    pub async fn click(&self, css: &str) -> Check {
        let page = self
            .client
            .find(Locator::Css("html"))
            .await
            .map_err(|e| format!("find the page: {e}"))?;
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        // The old document's element goes stale once the browser has navigated.
        while page.tag_name().await.is_ok() {
            if Instant::now() > deadline {
                return Err(format!("clicking {css} did not load a new page"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    pub async fn fill(&self, css: &str, text: &str) -> Check {
        let e = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?;
        e.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        e.send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e}"))
    }

    pub async fn select(&self, css: &str, value: &str) -> Check {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?
            .select_by_value(value)
            .await
            .map_err(|e| format!("select {value} in {css}: {e}"))
    }

    pub async fn text_of(&self, css: &str) -> Check<String> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))?
            .text()
            .await
            .map_err(|e| format!("text of {css}: {e}"))
    }

    /// Saves a screenshot of the window, resized to `width` x `height`, at `path` under the
    /// crate (the README's pictures in `docs/`).
    pub async fn screenshot(&self, path: &str, width: u32, height: u32) -> Check {
        self.client
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("window size: {e}"))?;
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot: {e}"))?;
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&file, png).map_err(|e| format!("{}: {e}", file.display()))
    }

    pub async fn page_text(&self) -> Check<String> {
        self.text_of("body").await
    }

    /// Waits until the browser is at a URL starting with `prefix`; returns that URL.
    pub async fn wait_for_url(&self, prefix: &str) -> Check<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self
                .client
                .current_url()
                .await
                .map_err(|e| format!("current url: {e}"))?
                .to_string();
            if now.starts_with(prefix) {
                return Ok(now);
            }
            if Instant::now() > deadline {
                return Err(format!("expected to reach {prefix}, still at {now}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // The API, over HTTP, to set the scene and check the result.

    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let url = if path.starts_with("/sandbox") {
            self.url(path)
        } else {
            self.url(&format!("/2.0{path}"))
        };
        let mut req = self.http.request(method, &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {v}");
        v
    }

    /// A permanent user: its token.
    pub async fn user(&self) -> String {
        let v = self
            .api(
                reqwest::Method::POST,
                "/auth/init",
                None,
                Some(json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})),
            )
            .await;
        v["auth_token"].as_str().expect("token").to_string()
    }

    pub async fn code(&self, token: &str) -> String {
        let v = self
            .api(
                reqwest::Method::GET,
                "/auth/token/code?type=singleAccess",
                Some(token),
                None,
            )
            .await;
        v["code"].as_str().expect("code").to_string()
    }

    /// A user with one test-connector connection, every account enabled: (token, connection,
    /// account ids).
    pub async fn user_with_bank(&self) -> (String, i64, Vec<i64>) {
        let token = self.user().await;
        let c = self
            .api(
                reqwest::Method::POST,
                "/users/me/connections",
                Some(&token),
                Some(
                    json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant",
                            "password": "1234", "openapiwebsite": "par"}),
                ),
            )
            .await;
        let accounts = self
            .api(
                reqwest::Method::GET,
                "/users/me/accounts?all",
                Some(&token),
                None,
            )
            .await;
        let ids: Vec<i64> = accounts["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .map(|a| a["id"].as_i64().expect("id"))
            .collect();
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.api(
            reqwest::Method::POST,
            &format!("/users/me/accounts/{}?all", list.join(",")),
            Some(&token),
            Some(json!({"disabled": false})),
        )
        .await;
        (token, c["id"].as_i64().expect("id"), ids)
    }
}

/// The query parameters of a URL.
pub fn query(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

pub fn ensure(ok: bool, why: impl FnOnce() -> String) -> Check {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}
