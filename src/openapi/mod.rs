//! `GET /openapi.json`: the sandbox's own OpenAPI document, generated from the route tables.
//!
//! Every route table is a `utoipa_axum` `OpenApiRouter`: a handler registered with `routes!`
//! brings its own `#[utoipa::path]` (path, methods, parameters, bodies, which are the `model`
//! types it returns), so a route cannot exist undocumented and the document cannot name a
//! route that does not exist. `crate::app` composes the tables; this module gives the
//! document its info block, the error body every operation may answer, and serves it.
//!
//! Every operation documents the Powens error body for the statuses any route may answer
//! (400, 401 when it takes a token, 404 when its path has a parameter, and `default` for the
//! rest: 405, 409, 413, 503...): those are added here, once, on the composed document.

use crate::error::ServiceError;
use crate::state::AppState;
use axum::Json;
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What the document says before any route is added: its info block and the error body.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "powens-sandbox",
        description = "A self-hosted, stateful sandbox of the Powens aggregation API 2.0 (`/2.0`), its control plane (`/sandbox`, config token) and ops routes. Errors are always `{code, description, message?, request_id}`.",
    ),
    components(schemas(ServiceError))
)]
struct Base;

/// The document's start, for `OpenApiRouter::with_openapi`: the routes merged into it after
/// keep its info block.
pub fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// `/openapi.json` itself.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(serve))
}

static DOCUMENT: OnceLock<Value> = OnceLock::new();

/// The document, finished (error bodies, security scheme, version) from the composed route
/// tables' documentation the first time it is asked for, and kept: the route tables are the
/// same for every application the process builds, so `build` runs at most once.
pub fn document(build: impl FnOnce() -> utoipa::openapi::OpenApi) -> &'static Value {
    DOCUMENT.get_or_init(|| {
        let mut doc = build();
        PowensErrors.modify(&mut doc);
        let mut doc = serde_json::to_value(doc).expect("the document serializes");
        doc["info"]["version"] = Value::String(crate::config::VERSION.into());
        doc
    })
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "The OpenAPI document of the sandbox", body = serde_json::Value)))]
pub async fn serve() -> Json<Value> {
    // `crate::app` finishes the document before it returns a router that routes here.
    Json(
        DOCUMENT
            .get()
            .expect("the document is built with the router")
            .clone(),
    )
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
            "Any other error, in the same body: 405 `methodNotAllowed`, 409, 413, 429 `rateLimiting` (`--rate-limit`, fault rules), 500 `bug`, 503 `websiteUnavailable`",
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
