//! The one cheap-to-clone application state handed to every handler.

use crate::catalogue::Catalogue;
use crate::clock::Clock;
use crate::config::Config;
use crate::store::Db;
use axum::http::HeaderMap;
use std::sync::{Arc, OnceLock};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub catalogue: Arc<Catalogue>,
    /// Wakes the webhook worker after a commit.
    pub webhooks: crate::webhooks::Wakeup,
    /// The request journal, fault rules and rate limiter.
    pub traffic: Arc<crate::traffic::Traffic>,
    /// The address the server was bound to (`http://host:port`), known once it serves.
    pub bound: Arc<OnceLock<String>>,
    /// The tenant's path prefix (`/t/{domain}`), empty for the default tenant: every URL the
    /// sandbox builds goes through [`AppState::base_url`] or [`AppState::public_base`], which
    /// end with it, so links and redirects stay inside the tenant.
    pub prefix: Arc<str>,
}

impl AppState {
    /// The base URL clients reached us at: the configured public URL, else the request's
    /// scheme (`X-Forwarded-Proto`, default http) and `Host`. Used for absolute links.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(u) = &self.config.public_url {
            return format!("{}{}", u.trim_end_matches('/'), self.prefix);
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let scheme = header("x-forwarded-proto")
            .filter(|s| *s == "http" || *s == "https")
            .unwrap_or("http");
        let host = header("x-forwarded-host")
            .or_else(|| header("host"))
            .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
            .unwrap_or(&self.config.listen);
        format!("{scheme}://{host}{}", self.prefix)
    }

    /// The base URL of the URLs the engine writes with no request to take a Host from (a
    /// background sync, a webhook): the configured public URL, else the address the server
    /// listens on, a wildcard one shown as loopback.
    pub fn public_base(&self) -> String {
        if let Some(u) = &self.config.public_url {
            return format!("{}{}", u.trim_end_matches('/'), self.prefix);
        }
        let origin = match self.bound.get() {
            Some(b) => b.clone(),
            None => origin_of(&self.config.listen),
        };
        format!("{origin}{}", self.prefix)
    }
}

/// `http://` and a listen address, a wildcard one (`0.0.0.0`, `[::]`) shown as loopback.
pub fn origin_of(addr: &str) -> String {
    format!(
        "http://{}",
        addr.replace("0.0.0.0", "127.0.0.1")
            .replace("[::]", "[::1]")
    )
}
