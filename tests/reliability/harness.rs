//! The real binary as a child process (so `kill -9` is real), on a database file in a
//! directory of its own and a free loopback port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CLIENT_ID: &str = "12345678";
pub const CLIENT_SECRET: &str = "sandbox-secret";
pub const CONFIG_TOKEN: &str = "sandbox-config-token";
pub const TEST_CONNECTOR_UUID: &str = "338178e6-3d01-564f-9a7b-52ca442459bf";

/// The tests share two cores: they take turns.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Seconds from an environment variable, with a default.
pub fn secs(var: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}

/// The server binary: the one cargo built for this test run, or `RELIABILITY_BINARY`.
pub fn binary() -> PathBuf {
    std::env::var_os("RELIABILITY_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_powens-sandbox")))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p =
            std::env::temp_dir().join(format!("powens-reliability-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(128)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A running server. Dropping it kills the process.
pub struct Server {
    child: Child,
    pub port: u16,
    pub database: PathBuf,
    args: Vec<String>,
    log: PathBuf,
}

impl Server {
    /// Starts the binary on `database` with extra flags and waits for `/health` to answer 200.
    pub async fn start(database: &Path, args: &[String]) -> Server {
        let port = free_port();
        let log = database.with_extension(format!("log-{port}"));
        let out = std::fs::File::create(&log).expect("log file");
        let child = Command::new(binary())
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database")
            .arg(database)
            .args(args)
            .env_remove("POWENS_SANDBOX_LISTEN")
            .env_remove("POWENS_SANDBOX_DATABASE")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .expect("start the server binary");
        let mut s = Server {
            child,
            port,
            database: database.to_path_buf(),
            args: args.to_vec(),
            log,
        };
        s.wait_healthy().await;
        s
    }

    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(self.url("/health")).send().await {
                if r.status() == 200 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited with {status}:\n{}", self.log_tail());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer /health:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The same binary, flags and database, after this one is gone.
    pub async fn restart(self) -> Server {
        let (db, args) = (self.database.clone(), self.args.clone());
        drop(self);
        Server::start(&db, &args).await
    }

    /// SIGKILL: no shutdown, no flush, no checkpoint.
    pub fn kill9(&mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A read-only connection to the database file, for checks behind the server's back.
pub async fn inspect(database: &Path) -> sqlx::SqliteConnection {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;
    SqliteConnectOptions::new()
        .filename(database)
        .read_only(true)
        .connect()
        .await
        .expect("open the database file")
}

/// `PRAGMA integrity_check` of the file: "ok" when sound.
pub async fn integrity_check(database: &Path) -> String {
    let mut conn = inspect(database).await;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .expect("integrity_check");
    rows.join("; ")
}

/// A permanent user: (id, token).
pub async fn new_user(client: &reqwest::Client, server: &Server) -> (i64, String) {
    let r = client
        .post(server.url("/2.0/auth/init"))
        .json(&serde_json::json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}))
        .send()
        .await
        .expect("auth/init");
    assert!(r.status().is_success(), "auth/init: {}", r.status());
    let v: serde_json::Value = r.json().await.expect("auth/init body");
    (
        v["id_user"].as_i64().expect("id_user"),
        v["auth_token"].as_str().expect("auth_token").to_string(),
    )
}

/// Asserts a Powens error body: `{code, description, request_id}`.
pub fn assert_powens_error(status: u16, body: &str, expected_status: u16) {
    assert_eq!(status, expected_status, "status for body {body}");
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("a JSON error body, got {body:?}"));
    assert!(v["code"].is_string(), "code in {body}");
    assert!(v["description"].is_string(), "description in {body}");
    assert!(v["request_id"].is_string(), "request_id in {body}");
}
