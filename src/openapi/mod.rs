//! `GET /openapi.json`: the sandbox's own OpenAPI document, generated from the code.
//!
//! Handlers build their bodies as JSON values, so the shapes are described by the types in
//! [`schemas`], [`aggregation`] and [`control`], and each route by a documentation function
//! in [`paths`] naming its real path and method. Two tests keep the document honest:
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

use axum::Json;
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
        paths::auth::auth_init, paths::auth::auth_code, paths::auth::auth_code_post,
        paths::auth::auth_access, paths::auth::auth_renew, paths::auth::auth_revoke,
        paths::auth::users_list, paths::auth::users_get, paths::auth::users_delete,
        paths::auth::webauth_url, paths::auth::webauth,
        paths::connections::create, paths::connections::list, paths::connections::get,
        paths::connections::update, paths::connections::sync, paths::connections::delete,
        paths::connections::sources, paths::connections::source,
        paths::connections::source_update, paths::connections::source_put,
        paths::connections::logs,
        crate::api::accounts::list, crate::api::accounts::get, crate::api::accounts::update,
        crate::api::accounts::list_in_connection, crate::api::accounts::get_in_connection,
        crate::api::accounts::update_in_connection,
        crate::api::transactions::list, crate::api::transactions::list_in_account,
        crate::api::transactions::list_in_connection,
        crate::api::transactions::list_in_connection_account, crate::api::transactions::get,
        crate::api::transactions::get_in_account, crate::api::transactions::update,
        paths::catalogue::connectors, paths::catalogue::connectors_patch,
        paths::catalogue::connector, paths::catalogue::connector_update,
        paths::catalogue::connector_sources, paths::catalogue::connector_source,
        paths::catalogue::connector_fields, paths::catalogue::banks, paths::catalogue::bank,
        paths::catalogue::providers, paths::catalogue::provider,
        paths::catalogue::account_types, paths::catalogue::account_type,
        paths::catalogue::currencies, paths::catalogue::currency,
        paths::catalogue::auth_providers, paths::catalogue::auth_provider_create,
        paths::catalogue::auth_provider_delete,
        paths::sandbox::clock, paths::sandbox::clock_update, paths::sandbox::tick,
        paths::sandbox::reset, paths::sandbox::scenario, paths::sandbox::users,
        paths::sandbox::webauth, paths::sandbox::webauth_set, paths::sandbox::connection,
        paths::sandbox::force_state, paths::sandbox::validate, paths::sandbox::sync,
        paths::sandbox::bank_account_add, paths::sandbox::bank_account_remove,
        paths::sandbox::bank_transactions, paths::sandbox::outage_start,
        paths::sandbox::outage_end, paths::sandbox::subscriptions,
        paths::sandbox::subscription_create, paths::sandbox::subscription_delete,
        paths::sandbox::deliveries, paths::sandbox::delivery, paths::sandbox::redeliver,
        paths::sandbox::wait, paths::sandbox::test_event, paths::sandbox::sink_receive,
        paths::sandbox::sink_receive_path, paths::sandbox::sink_list,
        paths::sandbox::sink_clear,
        paths::ops::health, paths::ops::openapi, paths::ops::webview, paths::ops::webview_lang,
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
        doc["info"]["version"] = Value::String(crate::ops::VERSION.into());
        doc
    })
}

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
