//! The client used against the mock, and what it observed: Prism reports validation
//! problems in an `sl-violations` response header (a JSON list with a `location` such as
//! `["request", "body", "email"]`), on error and success responses alike. The client's
//! `on_response` hook hands every response's headers to the harness.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use polar::client::reqwest;
use polar::Client;
use serde_json::Value;

/// One response the client received.
#[derive(Debug, Clone)]
pub struct Observed {
    /// Parsed `sl-violations` entries.
    pub violations: Vec<Value>,
}

/// A violation's location below `request` or `response`, e.g. `["body", "email"]`.
pub struct Violation {
    pub location: Vec<String>,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location.join("."), self.message)
    }
}

impl Observed {
    /// Violations on one side with severity `Error` (Prism also reports warnings, such as
    /// the use of a deprecated parameter, which a valid request may cause).
    fn violations_at(&self, side: &'static str) -> impl Iterator<Item = Violation> + '_ {
        self.violations
            .iter()
            .filter(move |v| v["location"][0] == side && v["severity"] == "Error")
            .map(|v| Violation {
                location: v["location"]
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .skip(1)
                            .map(|part| match part {
                                Value::String(text) => text.clone(),
                                other => other.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                message: v["message"].as_str().unwrap_or("").to_owned(),
            })
    }

    /// Problems Prism found in the request we sent.
    pub fn request_violations(&self) -> impl Iterator<Item = Violation> + '_ {
        self.violations_at("request")
    }

    /// Problems Prism found in its own response (a mock limitation, not ours).
    pub fn response_violations(&self) -> impl Iterator<Item = Violation> + '_ {
        self.violations_at("response")
    }
}

pub type Sink = Arc<Mutex<Vec<Observed>>>;

/// A client for the mock with every kind of credential (dummy values: Prism only checks
/// that the security scheme's header is present). `dynamic` asks Prism to generate
/// responses from the schemas (`Prefer: dynamic=true`) instead of serving examples.
pub fn client(base_url: &str, dynamic: bool, sink: &Sink) -> Client {
    let sink = Arc::clone(sink);
    let mut builder = Client::builder()
        // No keep-alive reuse: Node closes idle sockets, and a request racing that close
        // fails as a network error that says nothing about the SDK (retries are off here
        // so that every request Prism validates is one the test made).
        .http_client(
            reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
        )
        .base_url(base_url)
        .access_token("polar_oat_conformance")
        .customer_session_token("polar_cst_conformance")
        .member_session_token("polar_mst_conformance")
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .on_response(move |info| {
            let violations = info
                .headers
                .get_all("sl-violations")
                .iter()
                .filter_map(|v| serde_json::from_slice::<Vec<Value>>(v.as_bytes()).ok())
                .flatten()
                .collect();
            sink.lock().unwrap().push(Observed { violations });
        });
    if dynamic {
        builder = builder.default_header("Prefer", "dynamic=true");
    }
    builder.build().expect("client builds")
}
