//! `GET /openapi.json`: the sandbox's own OpenAPI document, generated from the code.
//!
//! Typed handlers carry their own `#[utoipa::path]` and return the `model` types that are
//! also their schemas (the catalogue, ops, and the control plane's clock, reset, webauth and
//! webhook routes). The others still build JSON values: their shapes are described by the
//! types in [`schemas`], [`aggregation`] and [`control`], and each route by a documentation
//! function in [`paths`] naming its real path and method. Two tests keep the document honest:
//! one compares its paths and methods with the route tables (`src/api/mod.rs`,
//! `src/sandbox/mod.rs`, the `/2.0` pages, ops) and with the router itself; the HTTP tests
//! validate every response they receive against it.
//!
//! Every operation also documents the Powens error body for the statuses any route may
//! answer (400, 401 when it takes a token, 404 when its path has a parameter, and `default`
//! for the rest: 405, 409, 413, 503...): those are added here, once.

pub mod aggregation;
pub mod control;
pub mod paths;
pub mod schemas;

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "powens-sandbox",
        description = "A self-hosted, stateful sandbox of the Powens aggregation API 2.0 (`/2.0`), its control plane (`/sandbox`, config token) and ops routes. Errors are always `{code, description, message?, request_id}`.",
    ),
    paths(
        crate::api::auth::init, crate::api::auth::code, crate::api::auth::access,
        crate::api::auth::renew, crate::api::auth::revoke,
        crate::api::users::list, crate::api::users::get, crate::api::users::delete,
        crate::api::webauth::url, crate::api::webauth::start,
        crate::api::connections::create, crate::api::connections::list,
        crate::api::connections::get, crate::api::connection_update::update,
        crate::api::connections::sync_now, crate::api::connections::delete,
        crate::api::sources::list, crate::api::sources::get, crate::api::sources::update,
        crate::api::sources::logs,
        crate::api::accounts::list, crate::api::accounts::get, crate::api::accounts::update,
        crate::api::accounts::list_in_connection, crate::api::accounts::get_in_connection,
        crate::api::accounts::update_in_connection,
        crate::api::transactions::list, crate::api::transactions::list_in_account,
        crate::api::transactions::list_in_connection,
        crate::api::transactions::list_in_connection_account, crate::api::transactions::get,
        crate::api::transactions::get_in_account, crate::api::transactions::update,
        crate::api::connectors::list, crate::api::connectors::patch,
        crate::api::connectors::get, crate::api::connectors::update,
        crate::api::connectors::sources, crate::api::connectors::source,
        crate::api::connectors::fields, crate::api::connectors::list_banks,
        crate::api::connectors::get_bank, crate::api::connectors::list_providers,
        crate::api::connectors::get_provider,
        crate::api::reference::account_types, crate::api::reference::account_type,
        crate::api::reference::currencies, crate::api::reference::currency,
        crate::api::webhooks_auth::list, crate::api::webhooks_auth::create,
        crate::api::webhooks_auth::delete,
        crate::sandbox::clock::get, crate::sandbox::clock::update, crate::sandbox::clock::tick,
        crate::sandbox::reset::reset, crate::sandbox::scenario::post, crate::sandbox::scenario::create_user,
        crate::sandbox::webauth::get, crate::sandbox::webauth::set, crate::sandbox::connections::get,
        crate::sandbox::connections::force_state, crate::sandbox::connections::validate, crate::sandbox::connections::sync_now,
        crate::sandbox::bank::add_account, crate::sandbox::bank::remove_account,
        crate::sandbox::bank::inject, crate::sandbox::bank::delete_transaction,
        crate::sandbox::bank::amend_transaction, crate::sandbox::bank::start_outage,
        crate::sandbox::bank::end_outage,
        crate::sandbox::webhooks::list_subscriptions,
        crate::sandbox::webhooks::create_subscription,
        crate::sandbox::webhooks::delete_subscription, crate::sandbox::webhooks::deliveries,
        crate::sandbox::webhooks::delivery, crate::sandbox::webhooks::redeliver,
        crate::sandbox::webhooks::wait, crate::sandbox::webhooks::test_event,
        crate::sandbox::webhook_sink::sink_receive_root,
        crate::sandbox::webhook_sink::sink_receive, crate::sandbox::webhook_sink::sink_list,
        crate::sandbox::webhook_sink::sink_clear,
        crate::ops::health, serve, paths::ops::webview, paths::ops::webview_lang,
    ),
    components(schemas(schemas::ServiceError)),
    modifiers(&PowensErrors),
)]
struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
        doc["info"]["version"] = Value::String(crate::config::VERSION.into());
        doc
    })
}

/// `/openapi.json`, routed here rather than with the ops routes: this module names every
/// handler, so a route to it from them would make a circle.
pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(serve))
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "The OpenAPI document of the sandbox", body = serde_json::Value)))]
pub async fn serve() -> Json<Value> {
    Json(document().clone())
}

struct PowensErrors;

impl Modify for PowensErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_param = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                add_errors(op, has_param);
            }
        }
    }
}

fn add_errors(op: &mut Operation, has_param: bool) {
    let error = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ServiceError")))
                    .build(),
            )
            .build()
    };
    let takes_token = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let wanted = [
        (
            "400",
            true,
            "`invalidValue` or `missingParameter`, naming the parameter",
        ),
        ("401", takes_token, "`unauthorized`: no token, or not one that may do this"),
        ("404", has_param, "`notFound`: no such resource for this token"),
        (
            "default",
            true,
            "Any other error, in the same body: 405 `methodNotAllowed`, 409, 413, 503 `websiteUnavailable`",
        ),
    ];
    for (status, applies, what) in wanted {
        if applies && !op.responses.responses.contains_key(status) {
            op.responses
                .responses
                .insert(status.to_string(), error(what).into());
        }
    }
}
