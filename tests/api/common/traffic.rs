//! The request journal, fault rules and the rate limit: servers started with flags, the
//! journal read back, rules added, and requests sent where a connection may be dropped.

use super::{Reply, TestApp};
use clap::Parser;
use powens_sandbox::config::Cli;
use reqwest::Method;
use serde_json::Value;

/// A server started with these command-line arguments (on top of the test defaults: an
/// in-memory database, a free port, no scheduler).
pub async fn spawn_args(args: &[&str]) -> TestApp {
    let argv = ["powens-sandbox", "--database", ":memory:"]
        .into_iter()
        .chain(args.iter().copied());
    let config = Cli::try_parse_from(argv).expect("valid arguments").config;
    super::spawn_with(move |c| {
        let (listen, interval) = (c.listen.clone(), c.scheduler_interval);
        *c = config;
        c.listen = listen;
        c.scheduler_interval = interval;
    })
    .await
}

impl TestApp {
    /// `GET /sandbox/requests?{query}`: the journal's answer.
    pub async fn journal(&self, query: &str) -> Value {
        self.sandbox_get(&format!("/sandbox/requests?{query}"))
            .await
            .ok()
    }

    /// The journal's newest entry.
    pub async fn last_request(&self) -> Value {
        self.journal("limit=1").await["requests"][0].clone()
    }

    /// `POST /sandbox/faults` with this rule; its answer.
    pub async fn add_fault(&self, rule: Value) -> Reply {
        self.sandbox_post("/sandbox/faults", rule).await
    }

    /// A request on a connection of its own (no pool), which a fault may drop: the reply,
    /// or the transport error the client saw.
    pub async fn try_call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let url = self.url(path);
        let mut req = client.request(method.clone(), &url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await?;
        let reply = TestApp::reply(res).await;
        crate::conformance::check(&method, &url, &reply);
        Ok(reply)
    }

    /// Sends raw HTTP/1.1 bytes and reads until the server closes: what it wrote (nothing
    /// when it dropped the connection), or the error a reset gives.
    pub async fn raw_http(&self, request: &str) -> std::io::Result<Vec<u8>> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = self.base.trim_start_matches("http://");
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        s.write_all(request.as_bytes()).await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok(out)
    }
}
