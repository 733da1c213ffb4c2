//! `/sandbox/webhooks/...`: subscriptions, the delivery log, redelivery, a blocking wait for
//! a delivery, and test events. The built-in receiver (the sink) is in `webhook_sink`.

use crate::api::extract::{Body, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::webhook::{
    DeliveriesList, Delivery, Subscription, SubscriptionRequest, SubscriptionsList,
    TestEventQueued, TestEventRequest,
};
use crate::state::AppState;
use crate::store::connections;
use crate::store::webhook_deliveries::{self, Filter};
use crate::store::{auth_providers, webhook_subscriptions};
use crate::sync::{events, sample};
use crate::webhooks::emit::{emit, emit_sample};
use crate::webhooks::{now_ms, EVENTS};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use sqlx::SqliteConnection;

fn check_event(e: &str) -> Result<()> {
    if EVENTS.contains(&e) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "event",
            format!("expected one of {}", EVENTS.join(", ")),
        ))
    }
}

fn check_url(u: &str) -> Result<()> {
    match reqwest::Url::parse(u) {
        Ok(url) if url.scheme() == "http" || url.scheme() == "https" => Ok(()),
        _ => Err(ApiError::invalid("url", "expected an http(s) URL")),
    }
}

/// Adds a subscription; `origin` is "config" for the ones given by flags.
pub async fn subscribe(
    conn: &mut SqliteConnection,
    url: &str,
    event: Option<&str>,
    id_auth: Option<i64>,
    origin: &str,
    now: chrono::NaiveDateTime,
) -> Result<i64> {
    Ok(webhook_subscriptions::create(conn, url, event, id_auth, origin, now).await?)
}

/// The `--webhook-url` subscriptions, made current at start (kept rows keep their ids and
/// pending deliveries; ones no longer configured are deactivated).
pub async fn apply_config(
    conn: &mut SqliteConnection,
    specs: &[String],
    now: chrono::NaiveDateTime,
) -> Result<()> {
    webhook_subscriptions::deactivate_configured(conn).await?;
    for spec in specs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (event, url) = match spec.split_once('=') {
            Some((e, u)) if !e.contains(':') => (Some(e.trim()), u.trim()),
            _ => (None, spec),
        };
        if let Some(e) = event {
            check_event(e).map_err(|_| {
                ApiError::InvalidValue(format!("--webhook-url {spec}: unknown event {e}"))
            })?;
        }
        check_url(url).map_err(|_| {
            ApiError::InvalidValue(format!("--webhook-url {spec}: not an http(s) URL"))
        })?;
        match webhook_subscriptions::find_configured(conn, url, event).await? {
            Some(id) => webhook_subscriptions::activate(conn, id).await?,
            None => {
                subscribe(conn, url, event, None, "config", now).await?;
            }
        }
    }
    Ok(())
}

#[utoipa::path(get, path = "/sandbox/webhooks/subscriptions", tag = "sandbox",
    responses((status = 200, description = "Active subscriptions", body = SubscriptionsList)),
    security(("bearerAuth" = [])))]
pub async fn list_subscriptions(
    State(st): State<AppState>,
    who: Principal,
) -> Result<Json<SubscriptionsList>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let subscriptions = webhook_subscriptions::active(&mut conn).await?;
    let total = subscriptions.len();
    Ok(Json(SubscriptionsList {
        subscriptions,
        total,
    }))
}

/// `{url, event?, id_auth?}`; `url` may be `sink` for the built-in receiver.
#[utoipa::path(post, path = "/sandbox/webhooks/subscriptions", tag = "sandbox",
    request_body(content = SubscriptionRequest),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub async fn create_subscription(
    State(st): State<AppState>,
    who: Principal,
    headers: HeaderMap,
    Body(body): Body<SubscriptionRequest>,
) -> Result<Json<Subscription>> {
    who.require_config()?;
    let mut url = body.url;
    if url.is_empty() {
        return Err(ApiError::missing("url"));
    }
    if url == "sink" {
        url = format!("{}/sandbox/webhooks/sink", st.base_url(&headers));
    }
    check_url(&url)?;
    let event = body.event;
    if let Some(e) = &event {
        check_event(e)?;
    }
    let id_auth = body.id_auth;
    let mut tx = st.db.begin().await?;
    if let Some(a) = id_auth {
        if !auth_providers::exists(&mut tx, a).await? {
            return Err(ApiError::invalid("id_auth", "no such auth provider"));
        }
    }
    let id = subscribe(
        &mut tx,
        &url,
        event.as_deref(),
        id_auth,
        "api",
        st.clock.now(),
    )
    .await?;
    let subscription = webhook_subscriptions::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(subscription))
}

#[utoipa::path(delete, path = "/sandbox/webhooks/subscriptions/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deactivated")),
    security(("bearerAuth" = [])))]
pub async fn delete_subscription(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("Subscription"))?;
    let mut tx = st.db.begin().await?;
    if !webhook_subscriptions::deactivate(&mut tx, id).await? {
        return Err(ApiError::not_found("Subscription"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Filters shared by the delivery log and the wait (a blank value is no filter).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilters {
    event: Option<String>,
    #[serde(default, deserialize_with = "crate::model::lenient::opt_int")]
    id_user: Option<i64>,
    #[serde(default, deserialize_with = "crate::model::lenient::opt_int")]
    id_connection: Option<i64>,
    /// `pending`, `delivered` or `any`.
    status: Option<String>,
    /// Only deliveries after this id.
    #[serde(default, deserialize_with = "crate::model::lenient::opt_int")]
    after: Option<i64>,
}

/// The store's filter for the list and the wait.
pub fn filter(filters: DeliveryFilters) -> Result<Filter> {
    let text = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let event = text(filters.event);
    if let Some(e) = &event {
        check_event(e)?;
    }
    let status = match text(filters.status).as_deref() {
        None | Some("any") => None,
        Some(s @ ("pending" | "delivered")) => Some(s.to_owned()),
        Some(_) => {
            return Err(ApiError::invalid(
                "status",
                "expected pending, delivered or any",
            ))
        }
    };
    Ok(Filter {
        event,
        id_user: filters.id_user,
        id_connection: filters.id_connection,
        status,
        after: filters.after,
    })
}

#[utoipa::path(get, path = "/sandbox/webhooks/deliveries", tag = "sandbox",
    params(DeliveryFilters, ("limit" = Option<i64>, Query, description = "At most 1000, default 100")),
    responses((status = 200, description = "The delivery log", body = DeliveriesList)),
    security(("bearerAuth" = [])))]
pub async fn deliveries(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<DeliveriesList>> {
    who.require_config()?;
    let filter = filter(params.typed()?)?;
    let limit = params.bounded("limit", 1000)?.unwrap_or(100);
    let mut conn = st.db.reader.acquire().await?;
    let total = webhook_deliveries::count(&mut conn, &filter).await?;
    let deliveries = webhook_deliveries::list(&mut conn, &filter, limit).await?;
    Ok(Json(DeliveriesList { deliveries, total }))
}

#[utoipa::path(get, path = "/sandbox/webhooks/deliveries/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The delivery", body = Delivery)),
    security(("bearerAuth" = [])))]
pub async fn delivery(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Delivery>> {
    who.require_config()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Delivery"))?;
    let mut conn = st.db.reader.acquire().await?;
    webhook_deliveries::get(&mut conn, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Delivery"))
}

/// Sends a delivery again, with the same `id_webhook_data`.
#[utoipa::path(post, path = "/sandbox/webhooks/deliveries/{id}/redeliver", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The delivery, pending again", body = Delivery)),
    security(("bearerAuth" = [])))]
pub async fn redeliver(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<Delivery>> {
    who.require_config()?;
    redeliver_now(&st, &id).await.map(Json)
}

/// Makes delivery `id` pending again and wakes the worker: the control plane's route and the
/// inspector's button.
pub async fn redeliver_now(st: &AppState, id: &str) -> Result<Delivery> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Delivery"))?;
    let mut tx = st.db.begin().await?;
    if !webhook_deliveries::make_pending(&mut tx, id, now_ms()).await? {
        return Err(ApiError::not_found("Delivery"));
    }
    let delivery = webhook_deliveries::get(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Delivery"))?;
    tx.commit().await?;
    st.webhooks.wake();
    Ok(delivery)
}

/// Blocks until a delivery matching the filters exists (default: delivered), up to
/// `timeout` seconds (default 10, at most 60); 404 when none came.
#[utoipa::path(get, path = "/sandbox/webhooks/wait", tag = "sandbox",
    params(DeliveryFilters, ("timeout" = Option<i64>, Query, description = "Seconds, default 10, at most 60")),
    responses((status = 200, description = "The first matching delivery", body = Delivery)),
    security(("bearerAuth" = [])))]
pub async fn wait(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<Delivery>> {
    who.require_config()?;
    let mut filters: DeliveryFilters = params.typed()?;
    // Without `status`: the deliveries made (a blank one is any).
    filters.status.get_or_insert_with(|| "delivered".into());
    let filter = filter(filters)?;
    let timeout = params.bounded("timeout", 60)?.unwrap_or(10);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(timeout as u64);
    loop {
        let found = {
            let mut conn = st.db.reader.acquire().await?;
            webhook_deliveries::list(&mut conn, &filter, 1).await?
        };
        if let Some(d) = found.into_iter().next() {
            return Ok(Json(d));
        }
        if std::time::Instant::now() >= deadline {
            return Err(ApiError::not_found("Matching webhook delivery"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Fires a test event of any type: `{event, id_user?, id_connection?, count?}`. Without
/// `id_user`, a sample payload (a sample user, connection and account); with it, the payload
/// of that user's real data (the user must be permanent), built as a sync builds it.
#[utoipa::path(post, path = "/sandbox/webhooks/test", tag = "sandbox",
    request_body(content = TestEventRequest),
    responses((status = 200, description = "Queued", body = TestEventQueued)),
    security(("bearerAuth" = [])))]
pub async fn test_event(
    State(st): State<AppState>,
    who: Principal,
    Body(body): Body<TestEventRequest>,
) -> Result<Json<TestEventQueued>> {
    who.require_config()?;
    let event = body.event;
    if event.is_empty() {
        return Err(ApiError::missing("event"));
    }
    check_event(&event)?;
    let (id_user, id_connection) = (body.id_user, body.id_connection);
    let count = body.count.unwrap_or(1);
    if !(1..=100_000).contains(&count) {
        return Err(ApiError::invalid("count", "expected 1 to 100000"));
    }
    let now = st.clock.now();
    // Webhooks have no request: file URLs are under the public URL (or the listen address).
    let base = st.base_url(&axum::http::HeaderMap::new());
    let mut tx = st.db.begin().await?;
    let mut events = Vec::new();
    match id_user {
        None => {
            if id_connection.is_some() {
                return Err(ApiError::missing("id_user"));
            }
            let payload =
                sample::payload(&st.catalogue, &base, &event, sample::Ids::default(), now)?;
            for _ in 0..count {
                if let Some(id) = emit_sample(&mut tx, &event, &payload, now).await? {
                    events.push(id);
                }
            }
        }
        Some(id_user) => {
            if !crate::webhooks::emit::is_permanent(&mut tx, id_user).await? {
                return Err(ApiError::invalid(
                    "id_user",
                    "no permanent user with this id",
                ));
            }
            let connection = match id_connection {
                Some(id) => connections::get(&mut tx, id_user, id).await?,
                None => connections::list(&mut tx, id_user)
                    .await?
                    .into_iter()
                    .next(),
            };
            let real =
                events::current_payload(&mut tx, &st, &event, id_user, connection.as_ref(), now)
                    .await?;
            let id_connection = connection.as_ref().map(|c| c.id).or(id_connection);
            // When the user has no data for the event (no such connection, no account):
            // the sample, addressed to this user and connection id.
            let payload = match real {
                Some(p) => p,
                None => {
                    let ids = sample::Ids {
                        user: id_user,
                        connection: id_connection.unwrap_or(sample::SAMPLE_ID),
                    };
                    sample::payload(&st.catalogue, &base, &event, ids, now)?
                }
            };
            for _ in 0..count {
                if let Some(id) =
                    emit(&mut tx, &event, id_user, id_connection, &payload, now).await?
                {
                    events.push(id);
                }
            }
        }
    }
    tx.commit().await?;
    st.webhooks.wake();
    Ok(Json(TestEventQueued {
        queued: events.len(),
        first_event: events.first().copied(),
        event,
    }))
}
