use clap::Parser;
use powens_sandbox::config::{Cli, Command, Config, LogFormat};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match cli.command {
        Some(Command::Healthcheck { url }) => runtime.block_on(healthcheck(&cli.config, url)),
        None => runtime.block_on(serve(cli.config)),
    }
}

async fn serve(config: Config) -> ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // Colours only on a terminal: a CI job reading a pipe gets plain `key=value` text.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let json = config.log_format == LogFormat::Json;
    if json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    // With `--log-format json` every line is JSON, failures included.
    let fail = |message: String| {
        if json {
            tracing::error!("{message}");
        } else {
            eprintln!("powens-sandbox: {message}");
        }
        ExitCode::FAILURE
    };
    let started = std::time::Instant::now();
    let effective = config.effective();
    let state = match powens_sandbox::build_state(config).await {
        Ok(s) => s,
        Err(e) => return fail(format!("cannot start: {e}")),
    };
    let listener = match tokio::net::TcpListener::bind(&state.config.listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", state.config.listen)),
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    // Show a URL one can open: the public URL, else loopback for a wildcard address.
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        format!(
            "http://{}",
            addr.replace("0.0.0.0", "127.0.0.1")
                .replace("[::]", "[::1]")
        )
    });
    let api_base = format!("{}/2.0", base.trim_end_matches('/'));
    let replaced = state
        .catalogue
        .replaced_client_app(&state.config.client_id)
        .map(|name| {
            format!(
                "{} replaces the catalogue's \"{name}\"",
                state.config.client_id
            )
        });
    let ready_ms = started.elapsed().as_millis();
    if json {
        println!(
            "{}",
            json_banner(&effective, replaced.as_deref(), &api_base, ready_ms)
        );
    } else {
        let mut banner = format!(
            "powens-sandbox {} ready in {ready_ms} ms\n",
            powens_sandbox::ops::VERSION
        );
        for (k, v) in &effective {
            banner.push_str(&format!("  {k:<16} {v}\n"));
        }
        if let Some(r) = &replaced {
            banner.push_str(&format!("  {:<16} {r}\n", "client_app"));
        }
        println!("{banner}  API base URL     {api_base}\n");
    }
    match powens_sandbox::run(state, listener, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("server error: {e}")),
    }
}

/// The start banner as one JSON line, shaped like the other log lines: the effective
/// configuration (secrets masked) under `fields.config`.
fn json_banner(
    effective: &[(&'static str, String)],
    replaced: Option<&str>,
    api_base: &str,
    ready_ms: u128,
) -> serde_json::Value {
    let mut config = serde_json::Map::new();
    for (k, v) in effective {
        config.insert((*k).to_string(), serde_json::Value::String(v.clone()));
    }
    if let Some(r) = replaced {
        config.insert("client_app".into(), serde_json::Value::String(r.into()));
    }
    serde_json::json!({
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "level": "INFO",
        "fields": {
            "message": "powens-sandbox ready",
            "version": powens_sandbox::ops::VERSION,
            "ready_ms": ready_ms as u64,
            "api_base_url": api_base,
            "config": config,
        },
        "target": "powens_sandbox",
    })
}

/// SIGINT or SIGTERM: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// `powens-sandbox healthcheck`: a plain HTTP/1.1 GET over TCP, so the image needs no curl.
async fn healthcheck(config: &Config, url: Option<String>) -> ExitCode {
    let target = url.unwrap_or_else(|| {
        let listen = config
            .listen
            .replace("0.0.0.0", "127.0.0.1")
            .replace("[::]", "[::1]");
        format!("http://{listen}/health")
    });
    match probe(&target).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unhealthy: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn probe(url: &str) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let fut = async {
        let mut s = tokio::net::TcpStream::connect(host)
            .await
            .map_err(|e| e.to_string())?;
        let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.map_err(|e| e.to_string())?;
        let head = String::from_utf8_lossy(&buf[..buf.len().min(64)]).to_string();
        if head.starts_with("HTTP/1.1 200") {
            Ok(())
        } else {
            Err(format!(
                "unexpected answer: {}",
                head.lines().next().unwrap_or("")
            ))
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(3), fut)
        .await
        .map_err(|_| "timed out".to_string())?
}
