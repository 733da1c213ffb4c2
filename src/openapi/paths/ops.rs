//! The legacy webview entries on the API host (their handlers are pages, routed outside
//! the API's table). `/health` and `/openapi.json` are documented on their handlers.

/// Legacy webview entry on the API host: redirects to the webview.
#[utoipa::path(get, path = "/2.0/auth/webview/{flow}", tag = "webview",
    params(("flow" = String, Path, description = "`connect`, `reconnect` or `manage`")),
    responses(
        (status = 302, description = "To the webview"),
        (status = 200, description = "A page", content_type = "text/html", body = String),
        (status = 400, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "A page naming the error", content_type = "text/html", body = String),
    ))]
pub fn webview() {}

/// Legacy webview entry on the API host, with a language.
#[utoipa::path(get, path = "/2.0/auth/webview/{lang}/{flow}", tag = "webview",
    params(("lang" = String, Path), ("flow" = String, Path, description = "`connect`, `reconnect` or `manage`")),
    responses(
        (status = 302, description = "To the webview"),
        (status = 200, description = "A page", content_type = "text/html", body = String),
        (status = 400, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "A page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "A page naming the error", content_type = "text/html", body = String),
    ))]
pub fn webview_lang() {}
