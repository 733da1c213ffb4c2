//! Tenants: a whole sandbox per Powens domain, in one process.
//!
//! A request reaches a tenant by the path prefix `/t/{domain}/...` or by the Host
//! `{domain}.localhost` (and `{domain}.<--tenant-host-suffix>`); any other request goes to
//! the default tenant, which is the sandbox as it always was. The dispatcher in front of the
//! router strips the prefix, finds the tenant (creating it on first use: its own database,
//! migrations, seed, clock, webhook worker and scheduler) and hands the request to the
//! tenant's own router, built once. Nothing is shared between tenants but the catalogue
//! files and the configuration they start from.

use crate::config::Config;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// The path prefix addressing a tenant: `/t/{domain}/2.0/...`.
pub const PREFIX: &str = "/t/";

/// One open tenant: its state, its router and its background work.
pub struct Tenant {
    pub domain: String,
    /// When it was created, on its own clock.
    pub created: chrono::NaiveDateTime,
    pub state: AppState,
    router: Router,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Milliseconds since the registry started at its last request.
    last_used: std::sync::atomic::AtomicU64,
}

/// Every tenant of the process, the default one apart.
pub struct Tenants {
    default: AppState,
    default_router: Router,
    open: Mutex<HashMap<String, Arc<OnceCell<Arc<Tenant>>>>>,
    started: std::time::Instant,
}

/// A Powens domain name: `[a-z0-9-]{1,63}`.
pub fn valid_domain(domain: &str) -> bool {
    (1..=63).contains(&domain.len())
        && domain
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Where a request goes: a tenant and the path it asks of it, or the default tenant.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    Default,
    /// The tenant and the path inside it (the prefix stripped, `/` at least).
    Tenant(String, String),
    /// `/t/{name}` with a name that is not a domain.
    BadDomain,
}

/// Reads the tenant from the path prefix, else from the Host.
pub fn target(path: &str, host: Option<&str>, suffix: Option<&str>) -> Target {
    if let Some(rest) = path.strip_prefix(PREFIX) {
        let (domain, inner) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        return if valid_domain(domain) {
            Target::Tenant(domain.to_string(), inner.to_string())
        } else {
            Target::BadDomain
        };
    }
    let Some(host) = host else {
        return Target::Default;
    };
    let name = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let name = name.to_ascii_lowercase();
    let suffixes = std::iter::once("localhost").chain(suffix);
    for s in suffixes {
        let s = s.trim_matches('.');
        if let Some(domain) = name
            .strip_suffix(s)
            .and_then(|d| d.strip_suffix('.'))
            .filter(|d| valid_domain(d))
        {
            return Target::Tenant(domain.to_string(), path.to_string());
        }
    }
    Target::Default
}

/// The database of a tenant: in memory when the default one is, else
/// `<directory of --database>/tenants/<domain>.db`.
pub fn database_of(default: &str, domain: &str) -> String {
    if default == ":memory:" {
        return default.to_string();
    }
    let dir = std::path::Path::new(default)
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("tenants");
    dir.join(format!("{domain}.db"))
        .to_string_lossy()
        .into_owned()
}

impl Tenants {
    pub fn new(default: AppState) -> Arc<Tenants> {
        Arc::new(Tenants {
            default_router: crate::app(default.clone()),
            default,
            open: Mutex::default(),
            started: std::time::Instant::now(),
        })
    }

    /// The outer router: every request goes through [`dispatch`].
    pub fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(dispatch).with_state(self)
    }

    /// The tenant `domain`, created (database, migrations, seed, workers) on first use.
    pub async fn get_or_create(&self, domain: &str) -> Result<Arc<Tenant>, ApiError> {
        let cell = {
            let mut open = self.open.lock().expect("tenants lock");
            match open.get(domain) {
                Some(cell) => cell.clone(),
                None => {
                    if open.len() >= self.default.config.max_tenants {
                        return Err(ApiError::Forbidden(format!(
                            "this sandbox serves at most {} tenants (--max-tenants)",
                            self.default.config.max_tenants
                        )));
                    }
                    let cell = Arc::new(OnceCell::new());
                    open.insert(domain.to_string(), cell.clone());
                    cell
                }
            }
        };
        let made = cell.get_or_try_init(|| self.create(domain)).await.cloned();
        if made.is_err() {
            let mut open = self.open.lock().expect("tenants lock");
            if open.get(domain).is_some_and(|c| c.get().is_none()) {
                open.remove(domain);
            }
        }
        made
    }

    async fn create(&self, domain: &str) -> Result<Arc<Tenant>, ApiError> {
        let mut config: Config = (*self.default.config).clone();
        config.database = database_of(&self.default.config.database, domain);
        if let Some(dir) = std::path::Path::new(&config.database).parent() {
            if config.database != ":memory:" {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ApiError::Internal(format!("tenant directory: {e}")))?;
            }
        }
        let prefix = format!("{PREFIX}{domain}");
        let state = crate::build_tenant_state(config, &prefix, self.default.bound.clone())
            .await
            .map_err(|e| ApiError::Internal(format!("tenant {domain}: {e}")))?;
        let tasks = crate::spawn_background(&state);
        Ok(Arc::new(Tenant {
            domain: domain.to_string(),
            created: state.clock.now(),
            router: crate::app(state.clone()),
            state,
            tasks,
            last_used: self.elapsed_ms().into(),
        }))
    }

    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Releases the tenants kept in files that no request used for `--tenant-idle-ms`: their
    /// workers stop and their database closes; the next request reopens them from the file.
    pub async fn evict_idle(&self) -> usize {
        let idle = self.default.config.tenant_idle_ms;
        if idle == 0 || self.default.config.database == ":memory:" {
            return 0;
        }
        let now = self.elapsed_ms();
        let evicted: Vec<Arc<Tenant>> = {
            let mut open = self.open.lock().expect("tenants lock");
            let stale: Vec<String> = open
                .iter()
                .filter(|(_, c)| {
                    c.get().is_some_and(|t| {
                        now.saturating_sub(t.last_used.load(std::sync::atomic::Ordering::Relaxed))
                            >= idle
                    })
                })
                .map(|(d, _)| d.clone())
                .collect();
            stale
                .iter()
                .filter_map(|d| open.remove(d))
                .filter_map(|c| c.get().cloned())
                .collect()
        };
        for t in &evicted {
            for task in &t.tasks {
                task.abort();
            }
            t.state.db.close().await;
        }
        evicted.len()
    }

    /// Looks for idle tenants every tenth of the idle time (at most every minute).
    pub fn spawn_evictor(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        let idle = self.default.config.tenant_idle_ms;
        if idle == 0 || self.default.config.database == ":memory:" {
            return None;
        }
        let every = std::time::Duration::from_millis((idle / 10).clamp(10, 60_000));
        let me = Arc::downgrade(self);
        Some(tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                let Some(t) = me.upgrade() else { return };
                t.evict_idle().await;
            }
        }))
    }

    /// Stops every tenant's background work.
    pub fn shutdown(&self) {
        let open = self.open.lock().expect("tenants lock");
        for cell in open.values() {
            if let Some(t) = cell.get() {
                for task in &t.tasks {
                    task.abort();
                }
            }
        }
    }

    /// An error answered before any tenant is reached, with the Powens body and the
    /// request id the default tenant's layers give it.
    async fn refuse(&self, error: ApiError, req: Request) -> Response {
        let error = Arc::new(Mutex::new(Some(error)));
        let router = crate::ops::layers(
            Router::new().fallback(move || {
                let e = error.lock().expect("error").take();
                async move {
                    e.unwrap_or(ApiError::NotFound("no such tenant".into()))
                        .into_response()
                }
            }),
            &self.default,
        );
        match router.oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        }
    }
}

/// Sends the request to its tenant's router, the prefix stripped; a relative redirect the
/// tenant answers gets the prefix back, so the browser stays inside the tenant.
async fn dispatch(State(tenants): State<Arc<Tenants>>, req: Request) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let suffix = tenants.default.config.tenant_host_suffix.clone();
    let target = target(req.uri().path(), host.as_deref(), suffix.as_deref());
    let (domain, inner) = match target {
        Target::Default if is_control(req.uri().path()) => {
            let router = control_routes(tenants.clone());
            return match router.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
        }
        Target::Default => {
            return match tenants.default_router.clone().oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            }
        }
        Target::BadDomain => {
            let e = ApiError::NotFound(
                "a tenant is named like a Powens domain: [a-z0-9-]{1,63}".into(),
            );
            return tenants.refuse(e, req).await;
        }
        Target::Tenant(domain, inner) => (domain, inner),
    };
    let tenant = match tenants.get_or_create(&domain).await {
        Ok(t) => t,
        Err(e) => return tenants.refuse(e, req).await,
    };
    tenant
        .last_used
        .store(tenants.elapsed_ms(), std::sync::atomic::Ordering::Relaxed);
    let (mut parts, body) = req.into_parts();
    let prefixed = parts.uri.path().starts_with(PREFIX);
    if prefixed {
        let path_and_query = match parts.uri.query() {
            Some(q) => format!("{inner}?{q}"),
            None => inner,
        };
        let mut uri = parts.uri.clone().into_parts();
        uri.path_and_query = path_and_query.parse().ok();
        if let Ok(u) = Uri::from_parts(uri) {
            parts.uri = u;
        }
    }
    let req = Request::from_parts(parts, Body::new(body));
    let mut res = match tenant.router.clone().oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if prefixed {
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .filter(|l| l.starts_with('/') && !l.starts_with("//"))
            .map(|l| format!("{}{l}", tenant.state.prefix));
        if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(header::LOCATION, v);
        }
    }
    res
}

fn is_control(path: &str) -> bool {
    path == "/sandbox/tenants" || path.starts_with("/sandbox/tenants/")
}

/// `GET /sandbox/tenants`, `PUT` and `DELETE /sandbox/tenants/{domain}`, on the default
/// tenant with its config token.
fn control_routes(tenants: Arc<Tenants>) -> Router {
    use axum::routing::get;
    let layers_state = tenants.default.clone();
    crate::ops::layers(
        Router::new()
            .route("/sandbox/tenants", get(list))
            .route(
                "/sandbox/tenants/{domain}",
                axum::routing::put(put_one).delete(delete_one),
            )
            .fallback(crate::ops::not_found)
            .method_not_allowed_fallback(crate::ops::method_not_allowed)
            .with_state(tenants),
        &layers_state,
    )
}

fn require_config(tenants: &Tenants, headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(t) if t == tenants.default.config.config_token => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}

/// One tenant as `GET /sandbox/tenants` lists it.
#[derive(serde::Serialize)]
pub struct TenantSummary {
    pub domain: String,
    pub created: String,
    pub users: i64,
    pub connections: i64,
    pub clock: String,
    /// Bytes of its database file (and write-ahead log); null in memory.
    pub database_size: Option<u64>,
}

async fn summary(t: &Tenant) -> Result<TenantSummary, ApiError> {
    let mut conn = t.state.db.reader.acquire().await?;
    let counts = crate::store::sandbox::counts(&mut conn).await?;
    let db = &t.state.config.database;
    let database_size = (db != ":memory:").then(|| {
        ["", "-wal"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{db}{s}")).ok())
            .map(|m| m.len())
            .sum()
    });
    let zone = t.state.config.timezone;
    let local = |at: chrono::NaiveDateTime| {
        use chrono::TimeZone;
        crate::model::format::datetime(
            chrono::Utc
                .from_utc_datetime(&at)
                .with_timezone(&zone)
                .naive_local(),
        )
    };
    Ok(TenantSummary {
        domain: t.domain.clone(),
        created: local(t.created),
        users: counts.users,
        connections: counts.connections,
        clock: local(t.state.clock.now()),
        database_size,
    })
}

async fn list(
    State(tenants): State<Arc<Tenants>>,
    headers: axum::http::HeaderMap,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    require_config(&tenants, &headers)?;
    let open: Vec<Arc<Tenant>> = {
        let open = tenants.open.lock().expect("tenants lock");
        let mut v: Vec<_> = open.values().filter_map(|c| c.get().cloned()).collect();
        v.sort_by(|a, b| a.domain.cmp(&b.domain));
        v
    };
    let mut out = Vec::new();
    for t in &open {
        out.push(summary(t).await?);
    }
    Ok(axum::Json(
        serde_json::json!({ "total": out.len(), "tenants": out }),
    ))
}

/// Creates the tenant up front; an optional body is a scenario document (users,
/// connections and a clock) loaded into it.
async fn put_one(
    State(tenants): State<Arc<Tenants>>,
    axum::extract::Path(domain): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    require_config(&tenants, &headers)?;
    if !valid_domain(&domain) {
        return Err(ApiError::InvalidValue(
            "domain: a tenant is named like a Powens domain: [a-z0-9-]{1,63}".into(),
        ));
    }
    let doc: Option<crate::model::scenario::ScenarioDocument> =
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            None
        } else {
            Some(
                serde_json::from_slice(&body)
                    .map_err(|e| ApiError::InvalidValue(format!("scenario document: {e}")))?,
            )
        };
    let existed = {
        let open = tenants.open.lock().expect("tenants lock");
        open.get(&domain).is_some_and(|c| c.get().is_some())
    };
    let tenant = tenants.get_or_create(&domain).await?;
    let loaded = match &doc {
        Some(doc) => Some(crate::sandbox::scenario::load(&tenant.state, doc).await?),
        None => None,
    };
    let mut body = serde_json::to_value(summary(&tenant).await?)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(l) = loaded {
        body["scenario"] =
            serde_json::to_value(l).map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let status = if existed {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::CREATED
    };
    Ok((status, axum::Json(body)).into_response())
}

/// Removes the tenant: its workers stop, its database closes and its files go.
async fn delete_one(
    State(tenants): State<Arc<Tenants>>,
    axum::extract::Path(domain): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::http::StatusCode, ApiError> {
    require_config(&tenants, &headers)?;
    let cell = tenants.open.lock().expect("tenants lock").remove(&domain);
    let Some(tenant) = cell.and_then(|c| c.get().cloned()) else {
        return Err(ApiError::NotFound("tenant".into()));
    };
    for task in &tenant.tasks {
        task.abort();
    }
    tenant.state.db.close().await;
    let db = &tenant.state.config.database;
    if db != ":memory:" {
        for s in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{s}"));
        }
    }
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_prefix_then_the_host() {
        let t = |p, h| target(p, h, Some("sandbox.test"));
        assert_eq!(
            t("/t/acme/2.0/users", None),
            Target::Tenant("acme".into(), "/2.0/users".into())
        );
        assert_eq!(
            t("/t/acme", None),
            Target::Tenant("acme".into(), "/".into())
        );
        assert_eq!(t("/t/Acme/2.0", None), Target::BadDomain);
        assert_eq!(t("/2.0/users", Some("127.0.0.1:3000")), Target::Default);
        assert_eq!(
            t("/2.0", Some("ci-1.localhost:3000")),
            Target::Tenant("ci-1".into(), "/2.0".into())
        );
        assert_eq!(
            t("/2.0", Some("ci-2.sandbox.test")),
            Target::Tenant("ci-2".into(), "/2.0".into())
        );
        assert_eq!(t("/2.0", Some("localhost:3000")), Target::Default);
        assert_eq!(t("/2.0", Some("a.b.localhost")), Target::Default);
    }

    #[test]
    fn domains_are_powens_names() {
        assert!(valid_domain("my-app-1"));
        assert!(!valid_domain(""));
        assert!(!valid_domain(&"a".repeat(64)));
        assert!(!valid_domain("a_b"));
        assert!(!valid_domain("a.b"));
    }
}
