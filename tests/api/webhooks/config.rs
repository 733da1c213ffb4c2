//! Subscriptions from the configuration: `--webhook-url` and `WEBHOOK_URLS`.

use super::*;

#[tokio::test]
async fn a_configured_url_receives_every_event_and_an_event_scoped_one_only_its_event() {
    let receiver = Receiver::start().await;
    let scoped = format!("USER_DELETED={}", receiver.url("/deleted"));
    let all = receiver.url("/all");
    let app = spawn_with(move |c| {
        c.webhook_urls = vec![all, scoped];
        c.webhook_retry_ms = RETRY_MS;
    })
    .await;
    let (id_user, token) = app.permanent_user().await;
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    settle(&app).await;

    let hits = receiver.delivered();
    let at = |path: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h.path == path)
            .map(|h| h.event().to_string())
            .collect()
    };
    assert_eq!(at("/all"), ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(at("/deleted"), ["USER_DELETED"]);
    assert!(hits.iter().all(|h| h.json["id"] == id_user));

    let subs = subscriptions(&app).await;
    assert_eq!(subs.len(), 2, "{subs:?}");
    assert!(subs.iter().all(|s| s["origin"] == "config"));
    let events: Vec<&Value> = subs.iter().map(|s| &s["event"]).collect();
    assert_eq!(events, [&Value::Null, &json!("USER_DELETED")]);
}

#[tokio::test]
async fn an_unknown_event_or_a_url_that_is_not_http_in_the_configuration_stops_the_start() {
    for spec in [
        "USER_EXPLODED=http://127.0.0.1:9/hooks",
        "ftp://127.0.0.1/hooks",
        "not a url",
    ] {
        let mut config = Config::for_tests();
        config.webhook_urls = vec![spec.to_string()];
        let started = powens_sandbox::build_state(config).await;
        assert!(started.is_err(), "{spec} was accepted");
    }
}

#[test]
fn the_webhook_url_flag_is_repeatable() {
    use clap::Parser;
    let cli = powens_sandbox::config::Cli::parse_from([
        "powens-sandbox",
        "--webhook-url",
        "http://127.0.0.1:9/all",
        "--webhook-url",
        "ACCOUNT_SYNCED=http://127.0.0.1:9/synced",
    ]);
    assert_eq!(
        cli.config.webhook_urls,
        [
            "http://127.0.0.1:9/all",
            "ACCOUNT_SYNCED=http://127.0.0.1:9/synced"
        ]
    );
}

/// Kills the child process (by its handle) when the test ends, even on a panic.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_webhook_urls_variable_takes_a_comma_separated_list() {
    use std::io::BufRead;
    let receiver = Receiver::start().await;
    let dir = TempDir::new("webhooks-env");
    let mut child = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_powens-sandbox"))
            .env(
                "POWENS_SANDBOX_WEBHOOK_URLS",
                format!(
                    "{},USER_DELETED={}",
                    receiver.url("/all"),
                    receiver.url("/deleted")
                ),
            )
            .env("POWENS_SANDBOX_WEBHOOK_RETRY_MS", "20")
            .env("POWENS_SANDBOX_LISTEN", "127.0.0.1:0")
            .env("POWENS_SANDBOX_DATABASE", dir.file("env.db"))
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server binary"),
    );
    // Read the banner for the base URL, then keep draining the output.
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.trim().strip_prefix("API base URL") {
                let _ = tx.send(url.trim().trim_end_matches("/2.0").to_string());
            }
        }
    });
    let base = tokio::task::spawn_blocking(move || rx.recv_timeout(PATIENCE))
        .await
        .unwrap()
        .expect("the server printed its base URL");
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
    };
    let (_, token) = app.permanent_user().await;
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    let hits = receiver
        .wait_for("USER_DELETED at both URLs", |h| {
            h.iter()
                .filter(|x| x.delivered() && x.event() == "USER_DELETED")
                .count()
                == 2
        })
        .await;
    let at = |path: &str| -> Vec<String> {
        hits.iter()
            .filter(|h| h.path == path)
            .map(|h| h.event().to_string())
            .collect()
    };
    assert_eq!(at("/all"), ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(at("/deleted"), ["USER_DELETED"]);
    drop(child);
}
