//! HTML pages (webauth, the bank's consent page, the webview): single hops without following
//! redirects, and what a page or a redirect carries.

use super::TestApp;
use serde_json::Value;

/// The app's callback the webauth and webview tests register and expect redirects to.
pub const CALLBACK: &str = "https://app.example.com/callback";
/// A connector whose only source is webauth (Célestine Banque).
pub const WEBAUTH_ONLY_UUID: &str = "6aa92b28-c073-45e1-ab77-1611e9ea01e6";

/// A GET without following redirects: status, Location, content type and body text.
pub struct Hop {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub text: String,
}

pub async fn hop(app: &TestApp, url: &str) -> Hop {
    let url = absolute(app, url);
    let res = app.client.get(&url).send().await.expect("request");
    read(res).await
}

pub async fn hop_form(app: &TestApp, url: &str, form: &[(&str, &str)]) -> Hop {
    let url = absolute(app, url);
    let res = app
        .client
        .post(&url)
        .form(form)
        .send()
        .await
        .expect("request");
    read(res).await
}

async fn read(res: reqwest::Response) -> Hop {
    let status = res.status().as_u16();
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let location = header("location");
    let content_type = header("content-type").unwrap_or_default();
    let text = res.text().await.unwrap_or_default();
    Hop {
        status,
        location,
        content_type,
        text,
    }
}

/// A path or an absolute URL on the sandbox, as an absolute URL.
pub fn absolute(app: &TestApp, url: &str) -> String {
    if url.starts_with("http") {
        url.to_string()
    } else {
        format!("{}{}", app.base, url)
    }
}

/// The query parameters of a URL.
pub fn query(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .expect("query")
        .into_iter()
        .collect()
}

/// Asserts an HTML error page with this status showing this Powens code, and no redirect.
pub fn assert_error_page(h: &Hop, status: u16, code: &str) {
    assert_eq!(h.status, status, "status of {}", h.text);
    assert!(
        h.content_type.starts_with("text/html"),
        "an HTML page, got {}",
        h.content_type
    );
    assert!(h.location.is_none(), "no redirect on an error");
    assert!(
        h.text.contains(&format!("<code>{code}</code>")),
        "code {code} in {}",
        h.text
    );
}

/// A GET with this `Accept-Language` header, without following redirects.
pub async fn hop_lang(app: &TestApp, url: &str, accept_language: &str) -> Hop {
    let url = absolute(app, url);
    let res = app
        .client
        .get(&url)
        .header("accept-language", accept_language)
        .send()
        .await
        .expect("request");
    read(res).await
}

/// A webview entry on the bare path (its language from `Accept-Language`).
pub fn webview_entry(flow: &str, params: &[(&str, &str)]) -> String {
    format!(
        "/webview/{flow}?{}",
        serde_urlencoded::to_string(params).unwrap()
    )
}

/// Follows GET redirects inside the sandbox until a page or a redirect out of it.
pub async fn follow(app: &TestApp, mut h: Hop) -> Hop {
    for _ in 0..10 {
        match &h.location {
            Some(l) if l.starts_with('/') || l.starts_with(&app.base) => {
                h = hop(app, l).await;
            }
            _ => return h,
        }
    }
    panic!("too many redirects");
}

/// Opens a visit and returns its first page (after the redirects).
pub async fn visit(app: &TestApp, flow: &str, params: &[(&str, &str)]) -> (String, Hop) {
    visit_url(app, &webview_entry(flow, params), None).await
}

/// Opens a visit in this language (`/webview/{lang}/{flow}`).
pub async fn visit_in(
    app: &TestApp,
    lang: &str,
    flow: &str,
    params: &[(&str, &str)],
) -> (String, Hop) {
    let url = webview_entry(flow, params).replacen("/webview/", &format!("/webview/{lang}/"), 1);
    visit_url(app, &url, None).await
}

/// Opens a visit at this entry URL, with this `Accept-Language` if any.
pub async fn visit_url(app: &TestApp, url: &str, accept_language: Option<&str>) -> (String, Hop) {
    let h = match accept_language {
        Some(a) => hop_lang(app, url, a).await,
        None => hop(app, url).await,
    };
    assert_eq!(h.status, 302, "entry redirects: {}", h.text);
    let session = h.location.clone().unwrap();
    assert!(session.starts_with("/webview/session/"), "{session}");
    (session, follow(app, h).await)
}

/// The value of the first `name="account" value="N"` inputs of a page.
pub fn account_ids(page: &str) -> Vec<String> {
    page.split("name=\"account\" value=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap().to_string())
        .collect()
}

/// The URL a connection in `webauthRequired` tells the PSU to visit, parsed out of its
/// `error_message` ("Redirecting to https://...") as real apps do.
pub fn webauth_url_in(connection: &Value) -> String {
    let message = connection["error_message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error_message in {connection}"));
    message
        .split_once("Redirecting to ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .unwrap_or_else(|| panic!("a URL to visit in {message:?}"))
        .to_string()
}
