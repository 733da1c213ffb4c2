//! powens-sandbox: a self-hosted, stateful sandbox of the Powens bank-aggregation API 2.0.
//!
//! `main` parses the configuration and calls [`run`]; tests call [`build_state`] and [`app`]
//! or [`run`] on a listener of their own.

pub mod api;
pub mod bank;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod error;
pub mod jobs;
pub mod model;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod request_id;
pub mod sandbox;
pub mod state;
pub mod store;
pub mod sync;
pub mod tenants;
pub mod traffic;
pub mod webhooks;

use crate::catalogue::Catalogue;
use crate::clock::{Clock, ClockSetting};
use crate::config::Config;
use crate::state::AppState;
use crate::store::Db;
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;

/// The whole HTTP application: the Powens API under `/2.0`, the control plane, the pages, ops
/// routes, and the layers that give every response a request id, the sandbox header and
/// Powens-shaped errors.
pub fn app(state: AppState) -> Router {
    let (router, doc) = routes().split_for_parts();
    openapi::document(|| doc);
    ops::layers(
        router
            .fallback(ops::not_found)
            .method_not_allowed_fallback(ops::method_not_allowed)
            .with_state(state.clone()),
        &state,
    )
}

/// `GET /openapi.json`'s document, without building an application.
pub fn document() -> &'static serde_json::Value {
    openapi::document(|| routes().split_for_parts().1)
}

/// Every route table, with the documentation its handlers carry. The tables name full paths
/// (`/2.0/...`, `/sandbox/...`), as their `#[utoipa::path]` do, so they are merged, not nested.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(api::routes())
        .merge(sandbox::routes())
        .merge(ops::routes())
        .merge(openapi::routes())
        .merge(pages::routes())
}

/// Opens the database, runs migrations, applies the seed and restores the clock.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    build_tenant_state(config, "", Arc::default()).await
}

/// A tenant's state: `config.database` is its own, `prefix` its path prefix (empty for the
/// default tenant) and `bound` the server's address, shared by every tenant.
pub(crate) async fn build_tenant_state(
    config: Config,
    prefix: &str,
    bound: Arc<std::sync::OnceLock<String>>,
) -> Result<AppState, StartError> {
    let catalogue = Catalogue::load(config.seed_dir.as_deref())?;
    let db = Db::connect(&config.database).await?;
    db.migrate().await?;
    let mut tx = db.begin().await?;
    seed(&mut tx, &catalogue, &config).await?;
    let mut setting = store::clock::load(&mut tx).await?;
    if let Some(start) = &config.clock_start {
        // Only a new database takes the start instant; a restarted one keeps its clock.
        let fresh = store::sandbox::user_count(&mut tx).await?;
        if fresh == 0 && setting == ClockSetting::default() {
            let t = model::format::parse_datetime(start)
                .map(|t| model::format::local_to_utc(t, config.timezone))
                .ok_or("--clock-start must be YYYY-MM-DD HH:MM:SS")?;
            setting.frozen_at = Some(t);
            store::clock::save(&mut tx, &setting).await?;
        }
    }
    sandbox::webhooks::apply_config(&mut tx, &config.webhook_urls, Clock::new(setting).now())
        .await?;
    let fresh = store::sandbox::user_count(&mut tx).await?;
    tx.commit().await?;
    let password_fields = catalogue
        .connectors
        .iter()
        .flat_map(|c| &c.fields)
        .filter(|f| f.kind == "password")
        .map(|f| f.name.clone())
        .collect::<Vec<_>>();
    let traffic = Arc::new(traffic::Traffic::new(&config, password_fields));
    let state = AppState {
        db,
        config: Arc::new(config),
        clock: Clock::new(setting),
        catalogue: Arc::new(catalogue),
        webhooks: webhooks::Wakeup::default(),
        traffic,
        bound,
        prefix: prefix.into(),
    };
    if let (Some(path), 0) = (state.config.scenario.clone(), fresh) {
        let zone = state.config.timezone;
        model::format::in_zone(zone, sandbox::scenario::load_file(&state, &path)).await?;
    }
    Ok(state)
}

/// Applies the catalogue's client applications idempotently; the default one takes the
/// configured credentials, which win over a catalogue application with the same client_id.
/// Applications no longer served (a previous configuration's default) are removed.
async fn seed(
    conn: &mut sqlx::SqliteConnection,
    cat: &Catalogue,
    config: &Config,
) -> sqlx::Result<()> {
    let apps = cat.effective_client_apps(&config.client_id, &config.client_secret);
    for app in &apps {
        store::client_apps::upsert(conn, app).await?;
    }
    let ids: Vec<&str> = apps.iter().map(|a| a.client_id.as_str()).collect();
    store::client_apps::delete_others(conn, &ids).await?;
    Ok(())
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains in-flight requests.
pub async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        let _ = state.bound.set(state::origin_of(&addr.to_string()));
    }
    // Background work lives as long as the server: stopped when serving ends, so an
    // embedded server (tests, benchmarks) leaves nothing running behind it.
    let background = spawn_background(&state);
    let registry = tenants::Tenants::new(state);
    let evictor = registry.spawn_evictor();
    let served = axum::serve(listener, registry.clone().router())
        .with_graceful_shutdown(shutdown)
        .await;
    for task in background {
        task.abort();
    }
    if let Some(t) = evictor {
        t.abort();
    }
    registry.shutdown();
    served
}

/// A tenant's webhook worker and scheduler.
pub(crate) fn spawn_background(state: &AppState) -> Vec<tokio::task::JoinHandle<()>> {
    let mut background = vec![webhooks::worker::spawn(state.clone())];
    if state.config.scheduler_interval > 0 {
        background.push(jobs::spawn_scheduler(
            state.clone(),
            std::time::Duration::from_secs(state.config.scheduler_interval),
        ));
    }
    background
}

/// Start-up failures end the process with a message; no caller needs to match on them.
pub type StartError = Box<dyn std::error::Error + Send + Sync>;
