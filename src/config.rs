//! Typed configuration: every setting is a flag and a `POWENS_SANDBOX_*` variable with a
//! documented default, so `cargo run --release` just works and containers configure by env.

use chrono_tz::Tz;
use clap::{Parser, Subcommand, ValueEnum};
use std::fmt;
use std::path::PathBuf;

/// The sandbox's version, sent in `X-Powens-Sandbox`, `/health`, webhook user agents and the
/// OpenAPI document. Here, at the bottom of the layers, so every layer may name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Parser, Clone)]
#[command(
    name = "powens-sandbox",
    version,
    about = "A self-hosted sandbox of the Powens API 2.0"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Subcommand, Clone, Debug)]
pub enum Command {
    /// Probe `/health` and exit 0 when the server answers 200, 1 otherwise.
    Healthcheck {
        /// The URL to probe; defaults to the health URL of `--listen`.
        #[arg(long, env = "POWENS_SANDBOX_HEALTHCHECK_URL")]
        url: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(clap::Args, Clone)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "POWENS_SANDBOX_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: String,
    /// SQLite file (created when missing) or `:memory:`.
    #[arg(
        long,
        env = "POWENS_SANDBOX_DATABASE",
        default_value = "./powens-sandbox.db"
    )]
    pub database: String,
    /// Base URL used in links and redirects; when unset, built from the request's scheme and Host.
    #[arg(long, env = "POWENS_SANDBOX_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// A catalogue directory replacing the built-in one (connectors.json, account_types.json,
    /// currencies.json, client_apps.json).
    #[arg(long, env = "POWENS_SANDBOX_SEED_DIR")]
    pub seed_dir: Option<PathBuf>,
    /// client_id of the default client application.
    #[arg(long, env = "POWENS_SANDBOX_CLIENT_ID", default_value = "12345678")]
    pub client_id: String,
    /// client_secret of the default client application.
    #[arg(
        long,
        env = "POWENS_SANDBOX_CLIENT_SECRET",
        default_value = "sandbox-secret"
    )]
    pub client_secret: String,
    /// The config token (admin: /webhooks/auth, /sandbox/..., any user).
    #[arg(
        long,
        env = "POWENS_SANDBOX_CONFIG_TOKEN",
        default_value = "sandbox-config-token"
    )]
    pub config_token: String,
    /// The users token (`GET /users`).
    #[arg(
        long,
        env = "POWENS_SANDBOX_USERS_TOKEN",
        default_value = "sandbox-users-token"
    )]
    pub users_token: String,
    /// The sandbox seed: keys every piece of generated bank data.
    #[arg(long, env = "POWENS_SANDBOX_SEED", default_value_t = 42)]
    pub seed: u64,
    /// The time zone of the API's zone-less DateTimes (`last_update`, `created`, `expire`...,
    /// the control plane's times, `--clock-start`): an IANA name. Powens writes Europe/Paris
    /// local time; the sandbox clock and the database stay in UTC underneath.
    #[arg(
        long,
        env = "POWENS_SANDBOX_TIMEZONE",
        default_value = "Europe/Paris",
        value_parser = parse_zone
    )]
    pub timezone: Tz,
    /// Start the sandbox clock frozen at this instant (`YYYY-MM-DD HH:MM:SS`, in `--timezone`)
    /// on a new database.
    #[arg(long, env = "POWENS_SANDBOX_CLOCK_START")]
    pub clock_start: Option<String>,
    /// Webhook subscriptions: `URL` for every event or `EVENT=URL` for one. Repeatable; the
    /// variable takes a comma-separated list.
    #[arg(
        long = "webhook-url",
        env = "POWENS_SANDBOX_WEBHOOK_URLS",
        value_delimiter = ','
    )]
    pub webhook_urls: Vec<String>,
    /// Seconds before a webhook delivery attempt is abandoned.
    #[arg(long, env = "POWENS_SANDBOX_WEBHOOK_TIMEOUT", default_value_t = 10)]
    pub webhook_timeout: u64,
    /// First retry delay in milliseconds; doubles on each failure (at most 5 minutes).
    #[arg(long, env = "POWENS_SANDBOX_WEBHOOK_RETRY_MS", default_value_t = 1000)]
    pub webhook_retry_ms: u64,
    /// Seconds between flushes, which resume subscriptions paused after 10 failures.
    #[arg(long, env = "POWENS_SANDBOX_WEBHOOK_FLUSH", default_value_t = 60)]
    pub webhook_flush: u64,
    /// A scenario document (JSON) loaded at start on a database with no users yet.
    #[arg(long, env = "POWENS_SANDBOX_SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// Real seconds between looks for due work (background syncs, purges); 0 turns the
    /// scheduler off, leaving `POST /sandbox/tick` as the only trigger.
    #[arg(long, env = "POWENS_SANDBOX_SCHEDULER_INTERVAL", default_value_t = 1)]
    pub scheduler_interval: u64,
    /// Seconds before a request is abandoned with 503.
    #[arg(long, env = "POWENS_SANDBOX_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// How many requests the journal (`/sandbox/requests`) keeps; 0 turns it off.
    #[arg(long, env = "POWENS_SANDBOX_JOURNAL_SIZE", default_value_t = 1000)]
    pub journal_size: usize,
    /// Powens' fair-usage limits of the sandbox on `/2.0` (30 calls a minute, 86,400 a day,
    /// on the sandbox clock): past them, 429 with `Retry-After`.
    #[arg(long, env = "POWENS_SANDBOX_RATE_LIMIT")]
    pub rate_limit: bool,
    /// How many tenants (`/t/{domain}/...` or the Host `{domain}.localhost`) one process
    /// serves; past it, creating another answers 403.
    #[arg(long, env = "POWENS_SANDBOX_MAX_TENANTS", default_value_t = 1000)]
    pub max_tenants: usize,
    /// Milliseconds a tenant kept in a file may stay idle before its database handles and
    /// workers are released; the next request reopens it with nothing lost. 0 keeps them open.
    #[arg(long, env = "POWENS_SANDBOX_TENANT_IDLE_MS", default_value_t = 600_000)]
    pub tenant_idle_ms: u64,
    /// A Host suffix addressing tenants besides `localhost`: `{domain}.<suffix>`.
    #[arg(long, env = "POWENS_SANDBOX_TENANT_HOST_SUFFIX")]
    pub tenant_host_suffix: Option<String>,
    /// Log format.
    #[arg(
        long,
        env = "POWENS_SANDBOX_LOG_FORMAT",
        value_enum,
        default_value = "pretty"
    )]
    pub log_format: LogFormat,
}

impl Config {
    /// Defaults for tests and embedding: an in-memory database on a free port.
    pub fn for_tests() -> Self {
        let cli = Cli::parse_from(["powens-sandbox", "--database", ":memory:"]);
        let mut c = cli.config;
        c.listen = "127.0.0.1:0".into();
        c.scheduler_interval = 0;
        c
    }
}

/// An IANA zone name (`Europe/Paris`, `UTC`, `America/New_York`); anything else refuses to start.
fn parse_zone(s: &str) -> Result<Tz, String> {
    s.trim().parse::<Tz>().map_err(|_| {
        format!("unknown time zone {s:?}: expected an IANA name such as Europe/Paris or UTC")
    })
}

/// Secrets are shown in full while they are the documented sandbox defaults (the banner is
/// where a newcomer reads them) and shortened once someone set their own.
fn redact(s: &str, default: &str) -> String {
    if s == default {
        s.to_string()
    } else if s.len() <= 4 {
        "****".into()
    } else {
        format!("{}…", &s[..4])
    }
}

impl Config {
    /// The effective configuration as (name, shown value) rows, secrets masked: what the
    /// start banner prints, in text or as one JSON object.
    pub fn effective(&self) -> [(&'static str, String); 17] {
        [
            ("listen", self.listen.clone()),
            ("database", self.database.clone()),
            (
                "public_url",
                self.public_url
                    .clone()
                    .unwrap_or_else(|| "(from request Host)".into()),
            ),
            (
                "seed_dir",
                self.seed_dir
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "(built-in)".into()),
            ),
            ("client_id", self.client_id.clone()),
            (
                "client_secret",
                redact(&self.client_secret, "sandbox-secret"),
            ),
            (
                "config_token",
                redact(&self.config_token, "sandbox-config-token"),
            ),
            (
                "users_token",
                redact(&self.users_token, "sandbox-users-token"),
            ),
            ("seed", self.seed.to_string()),
            ("timezone", self.timezone.name().to_string()),
            (
                "clock_start",
                self.clock_start
                    .clone()
                    .unwrap_or_else(|| "(real time)".into()),
            ),
            ("scheduler", format!("every {}s", self.scheduler_interval)),
            (
                "webhooks",
                if self.webhook_urls.is_empty() {
                    "(none configured)".into()
                } else {
                    self.webhook_urls.join(", ")
                },
            ),
            ("request_timeout", format!("{}s", self.request_timeout)),
            (
                "journal",
                match self.journal_size {
                    0 => "off".into(),
                    n => format!("last {n} requests"),
                },
            ),
            (
                "rate_limit",
                if self.rate_limit {
                    "30 calls a minute, 86400 a day".into()
                } else {
                    "off".into()
                },
            ),
            (
                "log_format",
                format!("{:?}", self.log_format).to_lowercase(),
            ),
        ]
    }
}

impl fmt::Display for Config {
    /// The effective configuration, printed at start.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, v) in self.effective() {
            writeln!(f, "  {k:<16} {v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_zone_defaults_to_paris_and_takes_any_iana_name() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.config.timezone);
        assert_eq!(
            parse(&["powens-sandbox"]).unwrap(),
            chrono_tz::Europe::Paris
        );
        assert_eq!(
            parse(&["powens-sandbox", "--timezone", "UTC"]).unwrap(),
            Tz::UTC
        );
        assert_eq!(
            parse(&["powens-sandbox", "--timezone", "America/New_York"]).unwrap(),
            chrono_tz::America::New_York
        );
        let err = parse(&["powens-sandbox", "--timezone", "Mars/Olympus"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("unknown time zone \"Mars/Olympus\""), "{err}");
    }
}
