//! The baseline of the load benchmark: a bare axum server that answers the three benchmarked
//! routes with fixed JSON bytes (captured from the real server by the benchmark), on the same
//! tokio runtime settings as `powens-sandbox`. No database, no layers, no authentication: the
//! ratio of the sandbox's rate to this one is what the sandbox's own work costs.
//!
//!     bare-axum --listen 127.0.0.1:4000 --dir DIR
//!
//! DIR holds `accounts.json` (GET /2.0/users/me/accounts), `transactions.json`
//! (GET /2.0/users/me/transactions), `auth_init.json` (POST /2.0/auth/init),
//! `account_update.json` (POST /2.0/users/me/accounts/{id}) and `connection_sync.json`
//! (PUT /2.0/users/me/connections/{id}).

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post, put};
use axum::Router;
use std::path::PathBuf;

fn main() {
    let mut listen = "127.0.0.1:4000".to_string();
    let mut dir = PathBuf::from(".");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().expect("--listen ADDR"),
            "--dir" => dir = PathBuf::from(args.next().expect("--dir DIR")),
            other => {
                eprintln!("bare-axum: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let read = |name: &str| -> Bytes {
        let path = dir.join(name);
        std::fs::read(&path)
            .unwrap_or_else(|e| panic!("bare-axum: {}: {e}", path.display()))
            .into()
    };
    let (accounts, transactions, auth_init) = (
        read("accounts.json"),
        read("transactions.json"),
        read("auth_init.json"),
    );
    let (account_update, connection_sync) =
        (read("account_update.json"), read("connection_sync.json"));
    // A write: the request body is read, as the sandbox reads it.
    let written = |b: Bytes| {
        move |_body: Bytes| std::future::ready(([(CONTENT_TYPE, "application/json")], b))
    };
    let json = |b: Bytes| move || std::future::ready(([(CONTENT_TYPE, "application/json")], b));
    let app = Router::new()
        .route("/2.0/users/me/accounts", get(json(accounts)))
        .route("/2.0/users/me/transactions", get(json(transactions)))
        // The request body is read, as the sandbox reads its credentials.
        .route(
            "/2.0/auth/init",
            post(move |_body: Bytes| {
                std::future::ready(([(CONTENT_TYPE, "application/json")], auth_init))
            }),
        )
        .route("/2.0/users/me/accounts/{id}", post(written(account_update)))
        .route(
            "/2.0/users/me/connections/{id}",
            put(written(connection_sync)),
        )
        .route("/health", get(|| async { "ok" }));
    // The same runtime as the sandbox's `main`: multi-threaded, one worker per core.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .unwrap_or_else(|e| panic!("bare-axum: cannot listen on {listen}: {e}"));
        axum::serve(listener, app).await.expect("serve");
    });
}
