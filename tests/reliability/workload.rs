//! The load: clients that create users and connections, enable and disable accounts, sync
//! and page transactions, each remembering what the server acknowledged (a 2xx with its
//! body), so that everything acknowledged can be read back afterwards.

use crate::harness::{Server, CLIENT_ID, CLIENT_SECRET, TEST_CONNECTOR_UUID};
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one account is known to be: `None` once a write to it went unanswered.
#[derive(Debug, Default)]
pub struct AccountAck {
    pub enabled: Option<bool>,
    /// Transactions seen on pages since the account was last enabled.
    pub seen: Vec<i64>,
}

#[derive(Debug, Default)]
pub struct ConnectionAck {
    pub id: i64,
    pub accounts: BTreeMap<i64, AccountAck>,
}

#[derive(Debug)]
pub struct UserAck {
    pub id: i64,
    pub token: String,
    pub connections: Vec<ConnectionAck>,
}

/// Counters and problems shared by the clients.
#[derive(Default)]
pub struct Tally {
    pub requests: AtomicU64,
    pub writes: AtomicU64,
    /// 5xx, `database is locked`, unexpected 4xx: any entry fails the test.
    pub problems: Mutex<Vec<String>>,
    /// Time to each answer, in microseconds.
    pub latencies_us: Mutex<Vec<u64>>,
    /// Requests that got no answer at all.
    pub transport_errors: AtomicU64,
    /// Set before the server is killed: unanswered requests are then expected.
    pub crashing: AtomicBool,
}

impl Tally {
    fn problem(&self, p: String) {
        let mut v = self.problems.lock().unwrap();
        if v.len() < 50 {
            v.push(p);
        }
    }

    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().clone()
    }
}

/// The request could not be completed: the client stops.
struct Stop;

struct Client {
    http: reqwest::Client,
    base: String,
    tally: Arc<Tally>,
    token: String,
}

impl Client {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Stop> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        self.tally.requests.fetch_add(1, Ordering::Relaxed);
        if method != reqwest::Method::GET {
            self.tally.writes.fetch_add(1, Ordering::Relaxed);
        }
        let what = format!("{method} {path}");
        let started = Instant::now();
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) => return Err(self.unanswered(&what, e)),
        };
        let status = res.status().as_u16();
        let text = match res.text().await {
            Ok(t) => t,
            Err(e) => return Err(self.unanswered(&what, e)),
        };
        if text.to_ascii_lowercase().contains("locked") {
            self.tally.problem(format!(
                "{what}: a lock reached the client: {status} {text}"
            ));
        }
        self.tally
            .latencies_us
            .lock()
            .unwrap()
            .push(started.elapsed().as_micros() as u64);
        // Powens' answer to a transaction list when no account is enabled: not a failure.
        if status == 409 && method == reqwest::Method::GET && text.contains("noAccount") {
            return Ok(Value::Null);
        }
        if !(200..300).contains(&status) {
            self.tally.problem(format!("{what}: {status} {text}"));
            return Err(Stop);
        }
        serde_json::from_str(&text).map_err(|_| {
            self.tally.problem(format!("{what}: not JSON: {text}"));
            Stop
        })
    }

    fn unanswered(&self, what: &str, e: reqwest::Error) -> Stop {
        self.tally.transport_errors.fetch_add(1, Ordering::Relaxed);
        if !self.tally.crashing.load(Ordering::Relaxed) {
            self.tally.problem(format!("{what}: no answer: {e}"));
        }
        Stop
    }
}

/// A small deterministic generator, one per client.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One client until `deadline` (or the first request that fails); returns what the server
/// acknowledged.
async fn client_loop(
    n: usize,
    http: reqwest::Client,
    base: String,
    tally: Arc<Tally>,
    deadline: Instant,
) -> Vec<UserAck> {
    let mut users = Vec::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
    let mut round = 0;
    while Instant::now() < deadline {
        round += 1;
        let mut c = Client {
            http: http.clone(),
            base: base.clone(),
            tally: tally.clone(),
            token: String::new(),
        };
        if one_user(&mut c, &mut users, &mut rng, n, round, deadline)
            .await
            .is_err()
        {
            break;
        }
    }
    users
}

async fn one_user(
    c: &mut Client,
    users: &mut Vec<UserAck>,
    rng: &mut Rng,
    n: usize,
    round: usize,
    deadline: Instant,
) -> Result<(), Stop> {
    use reqwest::Method;
    let init = c
        .send(
            Method::POST,
            "/2.0/auth/init",
            Some(json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})),
        )
        .await?;
    c.token = init["auth_token"].as_str().unwrap_or_default().to_string();
    users.push(UserAck {
        id: init["id_user"].as_i64().unwrap_or_default(),
        token: c.token.clone(),
        connections: Vec::new(),
    });
    let user = users.last_mut().unwrap();
    let conn = c
        .send(
            Method::POST,
            "/2.0/users/me/connections",
            Some(json!({
                "connector_uuid": TEST_CONNECTOR_UUID,
                "login": format!("load-{n}-{round}"),
                "password": "1234",
                "openapiwebsite": "par",
            })),
        )
        .await?;
    let id_connection = conn["id"].as_i64().unwrap_or_default();
    user.connections.push(ConnectionAck {
        id: id_connection,
        accounts: BTreeMap::new(),
    });
    let ack = user.connections.last_mut().unwrap();
    let list = c
        .send(
            Method::GET,
            &format!("/2.0/users/me/connections/{id_connection}/accounts?all"),
            None,
        )
        .await?;
    for a in list["accounts"].as_array().into_iter().flatten() {
        ack.accounts.insert(
            a["id"].as_i64().unwrap_or_default(),
            AccountAck {
                enabled: Some(a["disabled"].is_null()),
                seen: Vec::new(),
            },
        );
    }
    let ids: Vec<i64> = ack.accounts.keys().copied().collect();
    if ids.is_empty() {
        c.tally
            .problem(format!("connection {id_connection}: no accounts found"));
        return Err(Stop);
    }
    // The PSU consents to two accounts.
    let first: Vec<i64> = ids.iter().take(2).copied().collect();
    set_enabled(c, ack, &first, true).await?;
    for _ in 0..3 {
        if Instant::now() >= deadline {
            return Ok(());
        }
        c.send(
            Method::PUT,
            &format!("/2.0/users/me/connections/{id_connection}?psu_requested=false"),
            None,
        )
        .await?;
        let one = ids[rng.below(ids.len())];
        let enabled = ack.accounts[&one].enabled == Some(true);
        set_enabled(c, ack, &[one], !enabled).await?;
        page(c, ack).await?;
    }
    Ok(())
}

async fn set_enabled(
    c: &Client,
    ack: &mut ConnectionAck,
    ids: &[i64],
    enabled: bool,
) -> Result<(), Stop> {
    for id in ids {
        ack.accounts.entry(*id).or_default().enabled = None;
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    c.send(
        reqwest::Method::POST,
        &format!("/2.0/users/me/accounts/{}?all", list.join(",")),
        Some(json!({"disabled": !enabled})),
    )
    .await?;
    for id in ids {
        let a = ack.accounts.entry(*id).or_default();
        a.enabled = Some(enabled);
        if !enabled {
            a.seen.clear();
        }
    }
    Ok(())
}

/// Up to three pages of the user's transactions through `_links.next`.
async fn page(c: &Client, ack: &mut ConnectionAck) -> Result<(), Stop> {
    let mut path = "/2.0/users/me/transactions?limit=50".to_string();
    for _ in 0..3 {
        let b = c.send(reqwest::Method::GET, &path, None).await?;
        for t in b["transactions"].as_array().into_iter().flatten() {
            let (Some(id), Some(acc)) = (t["id"].as_i64(), t["id_account"].as_i64()) else {
                continue;
            };
            if let Some(a) = ack.accounts.get_mut(&acc) {
                if a.enabled == Some(true) && a.seen.len() < 3 {
                    a.seen.push(id);
                }
            }
        }
        match b["_links"]["next"]["href"].as_str() {
            // Absolute links: keep the path and query.
            Some(next) => {
                path = next
                    .split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                    .unwrap_or_else(|| next.to_string())
            }
            None => break,
        }
    }
    Ok(())
}

/// Runs `clients` clients against `server` until `duration` is over; `during` runs beside them
/// (the crash test kills the server there). Returns every user the server acknowledged.
pub async fn run(
    server_base: String,
    clients: usize,
    duration: Duration,
    tally: Arc<Tally>,
) -> Vec<UserAck> {
    let http = crate::harness::client();
    let deadline = Instant::now() + duration;
    let handles: Vec<_> = (0..clients)
        .map(|n| {
            tokio::spawn(client_loop(
                n,
                http.clone(),
                server_base.clone(),
                tally.clone(),
                deadline,
            ))
        })
        .collect();
    let mut users = Vec::new();
    for h in handles {
        users.extend(h.await.expect("a client task"));
    }
    users
}

/// Reads back every acknowledged write; returns what is missing or different.
pub async fn verify(server: &Server, users: &[UserAck]) -> Vec<String> {
    let http = crate::harness::client();
    let problems: Vec<Vec<String>> = stream::iter(users)
        .map(|u| verify_user(&http, server, u))
        .buffer_unordered(16)
        .collect()
        .await;
    problems.into_iter().flatten().collect()
}

async fn get(http: &reqwest::Client, server: &Server, token: &str, path: &str) -> (u16, Value) {
    match http.get(server.url(path)).bearer_auth(token).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(Value::Null))
        }
        Err(e) => (0, json!(e.to_string())),
    }
}

async fn verify_user(http: &reqwest::Client, server: &Server, u: &UserAck) -> Vec<String> {
    let mut out = Vec::new();
    let (s, me) = get(http, server, &u.token, "/2.0/users/me").await;
    if s != 200 || me["id"].as_i64() != Some(u.id) {
        out.push(format!("user {}: GET /users/me -> {s} {me}", u.id));
        return out;
    }
    if u.connections.is_empty() {
        return out;
    }
    let (s, list) = get(http, server, &u.token, "/2.0/users/me/accounts?all").await;
    if s != 200 {
        out.push(format!(
            "user {}: GET /users/me/accounts?all -> {s} {list}",
            u.id
        ));
        return out;
    }
    let disabled: BTreeMap<i64, bool> = list["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| Some((a["id"].as_i64()?, !a["disabled"].is_null())))
        .collect();
    for c in &u.connections {
        let (s, body) = get(
            http,
            server,
            &u.token,
            &format!("/2.0/users/me/connections/{}", c.id),
        )
        .await;
        if s != 200 {
            out.push(format!("user {}: connection {} -> {s} {body}", u.id, c.id));
            continue;
        }
        for (id, a) in &c.accounts {
            let Some(enabled) = a.enabled else { continue };
            match disabled.get(id) {
                None => out.push(format!("user {}: account {id} is gone", u.id)),
                Some(d) if *d == enabled => out.push(format!(
                    "user {}: account {id} acknowledged {} but reads {}",
                    u.id,
                    if enabled { "enabled" } else { "disabled" },
                    if *d { "disabled" } else { "enabled" },
                )),
                _ => {}
            }
            if enabled {
                for t in &a.seen {
                    let (s, body) = get(
                        http,
                        server,
                        &u.token,
                        &format!("/2.0/users/me/transactions/{t}"),
                    )
                    .await;
                    if s != 200 {
                        out.push(format!("user {}: transaction {t} -> {s} {body}", u.id));
                    }
                }
            }
        }
    }
    out
}

/// A one-line summary of a load run.
pub fn summary(users: &[UserAck], tally: &Tally, took: Duration) -> String {
    let requests = tally.requests.load(Ordering::Relaxed);
    let mut lat = tally.latencies_us.lock().unwrap().clone();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    format!(
        "{} users, {} connections acknowledged; {requests} requests ({} writes) in {:.1} s, {:.0}/s; latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} unanswered",
        users.len(),
        users.iter().map(|u| u.connections.len()).sum::<usize>(),
        tally.writes.load(Ordering::Relaxed),
        took.as_secs_f64(),
        requests as f64 / took.as_secs_f64(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        tally.transport_errors.load(Ordering::Relaxed),
    )
}
