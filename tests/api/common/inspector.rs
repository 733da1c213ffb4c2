//! The inspector's HTML pages: signing in with the config token, then pages and forms with
//! the session cookie and the form guard, without following redirects.

use super::{Hop, TestApp, CONFIG_TOKEN};

/// A signed-in visitor of the inspector: its cookie and its forms' `csrf` value.
pub struct Inspector<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

/// Posts the sign-in form with `token`, without following the redirect.
pub async fn inspector_sign_in_with(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/sandbox/inspector/sign-in", app.base))
        .form(&[("token", token)])
        .send()
        .await
        .expect("request")
}

/// Signs in with the config token.
pub async fn inspector(app: &TestApp) -> Inspector<'_> {
    let res = inspector_sign_in_with(app, CONFIG_TOKEN).await;
    assert_eq!(res.status().as_u16(), 303, "signed in");
    let set = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_string();
    let cookie = set.split(';').next().unwrap().to_string();
    let mut me = Inspector {
        app,
        cookie,
        csrf: String::new(),
    };
    let page = me.get("/sandbox/inspector").await;
    assert_eq!(page.status, 200, "overview: {}", page.text);
    me.csrf = csrf_of(&page.text).expect("a form guard on the overview");
    me
}

/// The `csrf` field of a page's first form.
pub fn csrf_of(page: &str) -> Option<String> {
    let rest = page.split("name=\"csrf\" value=\"").nth(1)?;
    Some(rest.split('"').next()?.to_string())
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

impl Inspector<'_> {
    pub async fn get(&self, path: &str) -> Hop {
        let res = self
            .app
            .client
            .get(format!("{}{path}", self.app.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request");
        read(res).await
    }

    /// Posts a form with the session's guard field added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Hop {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &self.csrf)];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// Posts a form as given (no guard field added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Hop {
        let res = self
            .app
            .client
            .post(format!("{}{path}", self.app.base))
            .header("cookie", &self.cookie)
            .form(fields)
            .send()
            .await
            .expect("request");
        read(res).await
    }
}

/// Every inspector page, for a user, a connection and a delivery with these ids.
pub fn inspector_pages(user: i64, connection: i64, delivery: i64) -> Vec<String> {
    vec![
        "/sandbox/inspector".into(),
        "/sandbox/inspector/".into(),
        "/sandbox/inspector/users".into(),
        format!("/sandbox/inspector/users/{user}"),
        format!("/sandbox/inspector/connections/{connection}"),
        "/sandbox/inspector/webhooks".into(),
        format!("/sandbox/inspector/webhooks/{delivery}"),
        "/sandbox/inspector/requests".into(),
        "/sandbox/inspector/requests/1".into(),
    ]
}

/// Every inspector form, for a connection and a delivery with these ids.
pub fn inspector_forms(connection: i64, delivery: i64) -> Vec<String> {
    let mut forms: Vec<String> = ["clock", "tick", "sign-out"]
        .iter()
        .map(|f| format!("/sandbox/inspector/{f}"))
        .collect();
    for op in [
        "sync",
        "state",
        "validate",
        "outage",
        "end-outage",
        "delete",
    ] {
        forms.push(format!("/sandbox/inspector/connections/{connection}/{op}"));
    }
    forms.push(format!("/sandbox/inspector/webhooks/{delivery}/redeliver"));
    forms.push("/sandbox/inspector/faults".into());
    forms.push("/sandbox/inspector/faults/1/remove".into());
    forms
}
