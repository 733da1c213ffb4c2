//! Layout and small helpers shared by the HTML pages.
//!
//! Markup is written with `maud`: templates are Rust code checked at compile time and every
//! interpolated value is escaped unless wrapped in `PreEscaped`. Hand-built strings would
//! leave escaping to each call site; a template-file engine (askama, tera) would move the
//! markup away from the handler that fills it, for pages this small. The pages load no
//! external asset and need no JavaScript: they run offline and a plain HTTP client can go
//! through them with forms and redirects.

use crate::error::ApiError;
use crate::pages::i18n;
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The sandbox's own colour, for pages that are not a bank's.
pub const SANDBOX_COLOR: &str = "3b4a6b";

const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;background:#f3f4f7}
header{color:#fff;padding:14px 20px;display:flex;align-items:center;gap:12px}
header .logo{width:34px;height:34px;border-radius:8px;background:rgba(255,255,255,.25);display:flex;align-items:center;justify-content:center;font-weight:700}
header h1{font-size:18px;margin:0}
main{max-width:560px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin-bottom:16px}
h2{font-size:20px;margin:0 0 12px}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=text],input[type=password],input[type=date],input[type=number],input[type=search],select{width:100%;padding:9px;border:1px solid #b8bfcc;border-radius:6px;font:inherit}
button,.button{display:inline-block;padding:9px 16px;border-radius:6px;border:1px solid transparent;font:inherit;cursor:pointer;text-decoration:none;background:var(--accent);color:#fff;margin:12px 8px 0 0}
button.secondary,.button.secondary{background:#fff;color:#1d2330;border-color:#b8bfcc}
button.danger{background:#b3261e}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c15;padding:10px;border-radius:6px;margin-bottom:12px}
.notice{background:#eef3fb;border:1px solid #c9d8f0;padding:10px;border-radius:6px;margin-bottom:12px}
ul.list{list-style:none;padding:0;margin:0}
ul.list li{padding:10px 0;border-bottom:1px solid #e3e6ec;display:flex;justify-content:space-between;align-items:center;gap:8px}
ul.list li:last-child{border-bottom:0}
.muted{color:#5d6575;font-size:14px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:8px;vertical-align:middle}
code{background:#eef0f4;padding:1px 5px;border-radius:4px}
form.inline{display:inline}
footer{max-width:560px;margin:0 auto 24px;padding:0 16px;color:#5d6575;font-size:13px}
";

/// A colour from the catalogue (hex without `#`), or the sandbox's when it is not one.
pub fn color(c: Option<&str>) -> &str {
    match c {
        Some(c) if c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit()) => c,
        _ => SANDBOX_COLOR,
    }
}

/// A whole page: header in `accent` colour with `brand`, then `body`.
pub fn page(lang: &str, title: &str, brand: &str, accent: &str, body: Markup) -> Markup {
    let accent = color(Some(accent));
    let lang = i18n::Lang::of_code(lang);
    let initial: String = brand.chars().take(1).collect();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (brand) }
                style { (PreEscaped(STYLE)) ":root{--accent:#" (accent) "}" }
            }
            body {
                header style={ "background:#" (accent) } {
                    span.logo { (initial) }
                    h1 { (brand) }
                }
                main { (body) }
                footer { (lang.texts().footer) }
            }
        }
    }
}

/// A page with a status (200 unless said otherwise), never cached.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut res = (status, Html(markup.into_string())).into_response();
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The error page: what went wrong in the page's language, then the Powens error code and
/// description (the API's own words), with the error's status.
pub fn error_page(lang: &str, err: &ApiError) -> Response {
    if let ApiError::Internal(e) = err {
        tracing::error!(error = %e, "internal error on a page");
    }
    let t = i18n::texts(lang);
    let body = err.body();
    let what = match body.code.as_str() {
        "missingParameter" => t.error_missing,
        "invalidValue" => t.error_invalid,
        "notFound" => t.error_not_found,
        _ => t.error_other,
    };
    let markup = page(
        lang,
        t.error_title,
        "Powens sandbox",
        SANDBOX_COLOR,
        html! {
            div.card {
                h2 { (t.error_heading) }
                p #reason { (what) }
                div.error { (t.error_details) " " code { (body.code) } " " (body.description) }
                @if let Some(m) = &body.message { p { (m) } }
                @if let Some(id) = &body.request_id { p.muted { (t.error_request_id) " " code { (id) } } }
            }
        },
    );
    respond(err.status(), markup)
}

/// A redirect. `302 Found` after a GET (as `/webauth` answers), `303 See Other` after a form.
pub fn redirect(status: StatusCode, url: &str) -> Response {
    let mut res = status.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        res.headers_mut().insert(LOCATION, v);
    }
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub fn found(url: &str) -> Response {
    redirect(StatusCode::FOUND, url)
}

pub fn see_other(url: &str) -> Response {
    redirect(StatusCode::SEE_OTHER, url)
}

/// `base` with these query parameters appended (after its own, if it has any).
pub fn with_query(base: &str, params: &[(&str, String)]) -> String {
    if params.is_empty() {
        return base.to_string();
    }
    let q = serde_urlencoded::to_string(params).unwrap_or_default();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{q}")
}

#[cfg(test)]
mod tests {
    use crate::pages::html::{color, page, with_query, SANDBOX_COLOR};
    use maud::html;

    #[test]
    fn query_parameters_are_encoded_and_appended() {
        assert_eq!(
            with_query(
                "https://app.example.com/cb",
                &[("state", "a b&c".into()), ("id", "3".into())]
            ),
            "https://app.example.com/cb?state=a+b%26c&id=3"
        );
        assert_eq!(
            with_query("http://x/cb?k=v", &[("id", "3".into())]),
            "http://x/cb?k=v&id=3"
        );
    }

    #[test]
    fn colours_that_are_not_hex_fall_back_to_the_sandbox_one() {
        assert_eq!(color(Some("5c2963")), "5c2963");
        assert_eq!(color(Some("red;}")), SANDBOX_COLOR);
        assert_eq!(color(None), SANDBOX_COLOR);
    }

    #[test]
    fn values_are_escaped() {
        let m = page("en", "<t>", "B&B", "000000", html! { p { "<script>" } });
        let s = m.into_string();
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains("B&amp;B"));
    }
}
